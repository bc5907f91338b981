"""Numbers as citizens type them: ages ("七十岁", "六十三", "70多岁") and list choices.

Everything here works on text already passed through `kb.textnorm.normalize`, so digits
are half-width and characters simplified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.relatives import PEOPLE, RELATIVES, SELF, alternation

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}
_NUMERAL = "[零〇一二两三四五六七八九十百]+"
_NUMBER = rf"(?:\d{{1,3}}|{_NUMERAL})"

# "63岁", "七十周岁", "70多岁", "八十来岁", "六十几岁"; "六十三了" / "63了" also read as an age
# because that is how people state an age in a sentence about eligibility.
_AGE_RE = re.compile(
    # (Not the 二 of 老二: "老二五岁" is the second child, five.)
    rf"(?<!老)(?P<num>{_NUMBER})\s*(?P<approx>多|来|几)?\s*(?:周岁|岁|(?=了(?:$|[\s,.!?;，。！？；吧啊呀])))"
)
_PERSON_AGE_RE = re.compile(
    # "我爸今年82了家里挺困难…", "俺娘七十三了能享受吗": a person, then "N了" mid-sentence,
    # or a number that ends there ("俺爹六十四 村医说…").
    rf"(?:今年|(?<!其){alternation(SELF + RELATIVES + PEOPLE)})"
    rf"\s*(?:今年|已经|都|也)?\s*(?P<num>{_NUMBER})\s*(?P<approx>多|来)?\s*"
    r"(?:了|(?=\s|$|[,.!?;，。！？；呢])(?!\s*(?:个|口|人|月|年|块|元|万|次|天|亩)))"
    # "我今年六十八": 今年 and a number that ends there is an age; "今年3月" is a date.
    rf"|今年\s*(?P<num2>{_NUMBER})(?=\s|$|[,.!?;，。！？；了岁吧啊呀])"
)
_ORDINAL_RE = re.compile(rf"第\s*(?P<num>{_NUMBER})\s*(?:个|项|条|种|号)?")
_BARE_RE = re.compile(rf"^\s*(?P<num>{_NUMBER})\s*(?:个|项|条|号)?\s*[.。!！]?\s*$")
_ANY_NUMBER_RE = re.compile(rf"{_NUMBER}")
_LEADING_RE = re.compile(
    # "3 俺们村里的": a position, then what the citizen adds about themselves.
    rf"^\s*(?P<num>{_NUMBER})\s*(?:个|项|条|号)?[\s,，、](?!\s*(?:岁|周岁|年|月|元|块|万|个月))"
)
CHOICE_FILLER = (
    # Words before characters, so that 看下 goes as one.
    r"(?:谢谢|谢了|多谢|一下|看下|问下|就它|麻烦"
    r"|[选要看查就是那个吧的呀啊我好请俺咱嗯哦噢额呗嘛啦了给行再\s,.!?，。！？~～])"
)
"""What a reply to a numbered list says besides the position: "看下2", "俺要2", "嗯 2吧",
"2吧谢谢", "再问下第二个", "2吧 就它" (下 only after 看 or 问: "下一个" is no position)."""
_FILLER_RE = re.compile(CHOICE_FILLER)


def chinese_to_int(text: str) -> int | None:
    """Reads a number written in digits or Chinese numerals ("六十三", "一百零一", "63").

    Returns None for anything it cannot read, rather than guessing.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):
        # "六三" style digit-by-digit reading.
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            total += (current or 1) * unit  # "十五" means 15: an unwritten 一 before 十
            current = 0
    return total + current


@dataclass(frozen=True)
class Age:
    """An age the user stated; `approximate` for "70多岁" (somewhere in 70–79)."""

    value: int
    approximate: bool = False

    @property
    def low(self) -> int:
        return self.value

    @property
    def high(self) -> int:
        if not self.approximate:
            return self.value
        step = 10 if self.value % 10 == 0 else 1
        return self.value + step - 1

    def __str__(self) -> str:
        return f"{self.value}多岁" if self.approximate else f"{self.value}岁"


def parse_age(text: str) -> Age | None:
    """Finds the age stated in a message, or None.

    Args:
        text: normalized message text, or the value of an `age` entity.
    """
    match = _AGE_RE.search(text) or _PERSON_AGE_RE.search(text)
    if match is None:
        # An `age` entity value may be just the number ("六十三").
        if _BARE_RE.match(text):
            match = _BARE_RE.match(text)
        else:
            return None
    value = chinese_to_int(match.group("num") or match.groupdict().get("num2") or "")
    if value is None or not 0 <= value <= 130:
        return None
    approx = bool(match.groupdict().get("approx"))
    return Age(value, approx)


def states_one_age(text: str) -> bool:
    """True when the message states exactly one age: "俺67了 在固安帮闺女带孩子", not
    "俺67了 孙子3岁" (an age for each person)."""
    starts = {
        m.start(group)
        for regex in (_AGE_RE, _PERSON_AGE_RE)
        for m in regex.finditer(text)
        for group in ("num", "num2")
        if group in regex.groupindex and m.group(group)
    }
    return len(starts) == 1


_NUM = r"[\d零一二两三四五六七八九十百]+"
_AGE_RANGE_RE = re.compile(
    rf"{_NUM}\s*(?:周岁|岁)\s*(?:及|或)?\s*(?:以上|以下|以内|之上|之下)"
    rf"|{_NUM}\s*(?:到|至|—|-|~)\s*{_NUM}\s*(?:周岁|岁)"
    r"|年满|未满|不满"
)
_SELF_RE = re.compile(r"我|俺|咱|本人|今年")


def describes_age_range(text: str) -> bool:
    """True for "65岁以上老人免费体检吗": an age range describing who, not the user's age.

    Such a question asks who is eligible; only with a word about the asker
    ("我今年65岁以上了") is it a check of the asker's own situation.
    """
    return bool(_AGE_RANGE_RE.search(text)) and not _SELF_RE.search(text)


_CHOICE_WORDS = {
    "最后一个": -1,
    "最后那个": -1,
    "最后一项": -1,
    # 头一个 is colloquial for 第一个.
    "头一个": 1,
    "头一项": 1,
    "头一条": 1,
    "头个": 1,
}


def only_a_number(text: str) -> bool:
    """True for a message that is a number and nothing the citizen adds about
    themselves ("51", "要第51项", "看下2"); "1 让冰雹砸的" is a position and a story."""
    positions = _ORDINAL_RE.sub(lambda m: m.group("num"), text)  # 第51项 → 51
    return bool(_BARE_RE.match(_FILLER_RE.sub("", positions)))


_POSITION_RE = re.compile(rf"第\s*{_NUMBER}\s*(?:个|条|种)|头一个|最后一个")


def names_a_position(text: str) -> bool:
    """True for "第一个" / "头一个": an entry of a list, not an item's number (第51项,
    51)."""
    return bool(_POSITION_RE.search(text)) and only_a_number(
        _POSITION_RE.sub("1", text)
    )


def parse_choice(text: str) -> int | None:
    """Reads which entry of a numbered list the user picked: "2", "第二个", "选3".

    Returns the 1-based position, -1 for "the last one", or None.
    """
    for word, value in _CHOICE_WORDS.items():
        if word in text:
            return value
    match = _ORDINAL_RE.search(text) or _BARE_RE.match(text)
    if match is None:
        match = _BARE_RE.match(_FILLER_RE.sub("", text)) or _LEADING_RE.match(text)
    if match is None:
        return None
    return chinese_to_int(match.group("num"))
