"""The words citizens use for themselves and their relatives.

Several readers need them: an age after a person ("俺娘七十三了") is that person's age
(actions.numbers), and a question about the asker or a relative states a situation to
check (bot.intent_cues). One list keeps them agreeing on who counts as a person.
"""

from __future__ import annotations

import re

SELF = ("我", "俺", "咱")
"""The asker."""

RELATIVES = (
    "爸", "妈", "爹", "娘", "父亲", "母亲", "老人", "爷爷", "奶奶", "姥姥", "姥爷",
    "外公", "外婆", "老伴儿", "老伴", "老头", "老太", "儿子", "闺女", "女儿", "孙子",
    "孙女", "外孙女", "外孙", "孩子", "娃", "媳妇", "老两口", "两口子",
    # In-laws and the wider family ("公公六十八了呢", "俺侄子14").
    "公公", "婆婆", "岳父", "岳母", "老丈人", "丈母娘", "儿媳妇", "儿媳", "女婿",
    "侄子", "侄女", "外甥女", "外甥", "舅舅", "姑姑", "姨妈", "叔叔", "婶子", "大爷",
    "大娘", "老公", "丈夫", "老婆", "爱人",
)  # fmt: skip
"""Relatives, longest spelling first where one contains another (老伴儿 before 老伴),
so a regex alternation built from them takes the whole word."""

PEOPLE = ("老爷子", "老太太", "男的", "女的", "男方", "女方", "他", "她")
"""Others a follow-up may state an age for ("女的57呢", "老爷子61了"): a person, but
not a relative whose mention would make a question the asker's own case."""


def alternation(words: tuple[str, ...]) -> str:
    """A regex alternation (no group) of the words, longest first."""
    return "|".join(sorted(words, key=len, reverse=True))


CHILDS_RELATIVE_RE = re.compile(
    rf"(孩子|娃)的?(他|她)?({alternation(tuple(r for r in RELATIVES if r not in ('孩子', '娃')))})"
)
"""A relative named through the child ("孩子姥爷", "娃他爸"): a person, not the 孩子 a
group or an item's name means."""
