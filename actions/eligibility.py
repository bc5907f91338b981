"""Simple eligibility checks: a stated age against an item's age bounds, a stated group
(残疾人, 低保户, 农村户口) against its 服务对象.

The answer explains the rule and always says that the department decides; it never
promises a benefit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from actions import facets, replies
from actions.numbers import Age
from kb.relatives import CHILDS_RELATIVE_RE


@dataclass(frozen=True)
class Verdict:
    """Outcome of one check: True fits, False does not, None cannot tell."""

    fits: bool | None
    reason: str
    quoted: str = ""  # the words of 服务对象 an age verdict quotes


def check_age(item: Any, age: Age) -> Verdict | None:
    """Compares a stated age with the item's age phrases; None when it states none.

    A phrase with scope ``whole`` bounds everyone the item serves (32: 65岁及以上); one
    with scope ``part`` bounds one of several populations (37: 65岁以上老人、0—3岁儿童),
    so missing it does not rule the user out.
    """
    ranges = [r for r in item.age_ranges if r.field == "target"]
    ranges = ranges or list(item.age_ranges)
    if not ranges:
        return None
    inside = [r for r in ranges if r.contains(age.low) and r.contains(age.high)]
    if inside:
        r = inside[0]
        quoted = f"{r.phrase}{r.applies_to}"
        return Verdict(True, f"清单写的是“{quoted}”，{age}符合这个年龄条件。", quoted)
    straddle = [r for r in ranges if r.contains(age.low) or r.contains(age.high)]
    if straddle:
        r = straddle[0]
        return Verdict(None, f"清单写的是“{r.phrase}{r.applies_to}”，{age}是否符合要看具体年龄。")
    phrases = "、".join(f"{r.phrase}{r.applies_to}" for r in ranges)
    later = [r for r in ranges if r.min_age is not None and r.min_age > age.high]
    when = f"满{later[0].min_age}岁后就在这个年龄范围内。" if later else ""
    whole = any(r.scope == "whole" for r in ranges)
    if whole:
        return Verdict(False, f"清单写的是“{phrases}”，{age}不在这个范围内。{when}")
    return Verdict(
        None,
        f"清单按年龄写明的对象是“{phrases}”，{age}不在其中；{when}"
        "是否属于其他服务对象要看具体情况。",
    )


RURAL = "农村居民"
"""The group of people living in the countryside (kb/curated/groups.csv)."""

_EXCLUSION_RE = re.compile(r"[^，。；,;（()]*除外")
# Pairs every student or course has: they say nothing about who is left out.
_GENERIC_PAIRS = frozenset({"学生", "专业", "相关"})


def check_exclusion(item: Any, message: str) -> Verdict | None:
    """The 服务对象's "…除外" clause the message speaks of, if any ("孩子学的舞蹈表演
    也能免吗" and 中职免学费's 艺术类相关表演专业学生除外); None otherwise."""
    for clause in _EXCLUSION_RE.findall(replies.display(item.target)):
        pairs = {clause[i : i + 2] for i in range(len(clause) - 1)} - _GENERIC_PAIRS
        if any(pair in message for pair in pairs if replies.CJK_PAIR_RE.fullmatch(pair)):
            return Verdict(False, f"清单写明：{clause.strip()}。")
    return None


def user_groups(kb: Any, text: str) -> list[Any]:
    """Group terms the user used about themselves ("残疾人", "低保户", "农村户口")."""
    seen, out = set(), []
    # ("孩子姥爷63" is the grandfather's age: its 孩子 is no group the asker claims.)
    kin = [k.span() for k in CHILDS_RELATIVE_RE.finditer(text)]
    for m in kb.match_terms(text):
        if any(start <= m.start and m.end <= end for start, end in kin):
            continue
        if m.kind == "group" and m.canonical not in seen:
            seen.add(m.canonical)
            out.append(m)
    return out


def check_group(item: Any, group: Any) -> Verdict:
    """Whether a group the user named is among the item's 服务对象."""
    if item.id in group.item_ids:
        return Verdict(True, f"“{group.term}”属于这一项服务的对象（{group.canonical}）。")
    if group.canonical == RURAL and "城乡" in item.target:
        # "我们是农村的" and 城乡残疾人: where they live is inside what the list says.
        return Verdict(True, f"清单写的服务对象是城乡都有，“{group.term}”也在其中。")
    return Verdict(
        None,
        f"清单列出的服务对象中没有直接写到“{group.term}”，是否符合要看具体情况。",
    )


_POPULATIONS_RE = re.compile(r"、|和|及(?!以)")
"""Between the populations a 服务对象 lists ("65岁以上老人、0—3岁儿童")."""


def _more_than_an_age(target: str, age_verdict: Verdict) -> bool:
    """True when the age fits and the 服务对象 asks more than that age ("年满60周岁、
    只生育一个子女或两个女孩的…夫妇"): fitting the age alone is not the whole condition,
    so the reply shows all of it. Not when the age phrase is one of the populations the
    服务对象 lists ("65岁以上老人、0—3岁儿童")."""
    return (
        age_verdict.fits is True
        and bool(age_verdict.quoted)
        and age_verdict.quoted not in _POPULATIONS_RE.split(target)
    )


def check_reply(kb: Any, item: Any, message: str, age: Age | None) -> str:
    """The reply to "我爸63岁能享受吗" / "我是农村户口" about `item`.

    Args:
        kb: the knowledge base.
        item: the item under discussion.
        message: the normalized message.
        age: the age the user stated, if any.
    """
    age_verdict = check_age(item, age) if age is not None else None
    verdicts: list[Verdict] = [age_verdict] if age_verdict is not None else []
    groups = [check_group(item, group) for group in user_groups(kb, message)]
    if any(v.fits for v in (*verdicts, *groups)):
        # "建档立卡户孩子上公办高中": 建档立卡户 fits; "孩子" is only whom they ask for,
        # and a group the list does not name cannot take away a fit another gives, nor
        # one the age gives ("俺爹66了 在农村" and 65岁及以上老年人).
        groups = [v for v in groups if v.fits is not None]
    verdicts += groups
    excluded = check_exclusion(item, message)
    if excluded is not None:
        # "孩子学的舞蹈表演": the clause that leaves them out is the answer; that
        # 孩子 is not itself a 服务对象 word adds nothing.
        verdicts = [v for v in verdicts if v.fits is not None] + [excluded]
    target = replies.display(item.target).rstrip("。")
    lines = []
    if not verdicts:
        lines.append(f"{replies.title(item)}的服务对象是：{target}。")
    else:
        if any(v.fits is False for v in verdicts):
            lead = "按清单的条件，您说的情况可能暂不符合"
        elif all(v.fits is True for v in verdicts):
            lead = "按清单的条件，您说的情况符合"
        else:
            lead = "按清单的条件，还不能确定您说的情况是否符合"
        lines.append(f"{lead}{replies.title(item)}。")
        lines += [v.reason for v in verdicts]
        # An age verdict quotes the age's words of 服务对象; otherwise show all of it
        # ("带11岁的孩子去看文物古迹": no age bound, the groups served are the answer).
        if age_verdict is None or len(verdicts) > 1 or _more_than_an_age(target, age_verdict):
            lines.append(f"清单写的服务对象是：{target}。")
    if facets.STANDARD in facets.cued_facets(message):
        # "在市区念中职 农村户口 学费能免多少": they asked how much as well.
        lines.append(replies.standard_line(item, message))
    elif message and (condition := replies.condition_sentence(item, message)):
        # "俺闺女一级残疾…能领护理补贴吗": the standard says which grades qualify.
        lines.append(f"清单的服务标准写明：{condition}。")
    elif own := replies.sentence_naming(item, [g.term for g in user_groups(kb, message)]):
        lines.append(f"服务标准：{own}。")
    else:
        # Whether they qualify, then what they would get ("学电气焊 培训有补贴没"):
        # the part of the standard the message names or the age meets, else its opening.
        lines.append(replies.standard_line(item, message, age))
    if share := replies.own_share_line(item, message):
        # "老城区要拆迁改造 住户自己还得往里搭钱吗": what they would pay, too.
        lines.append(share)
    lead_dept = replies.department_text(kb, item.departments[0])
    lines.append(f"最终能否享受，以{lead_dept}的审核认定为准。")
    lines.append(f"咨询电话：{replies.hotline_text(kb, item)}。")
    return "\n".join(lines)

