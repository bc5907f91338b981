"""Simple eligibility checks: a stated age against an item's age bounds, a stated group
(残疾人, 低保户, 农村户口) against its 服务对象.

The answer explains the rule and always says that the department decides; it never
promises a benefit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from actions import replies
from actions.numbers import Age


@dataclass(frozen=True)
class Verdict:
    """Outcome of one check: True fits, False does not, None cannot tell."""

    fits: bool | None
    reason: str


def bound_text(item: Any) -> str:
    """The item's age bounds in words: "65岁及以上", "0—6岁", "未满16周岁"."""
    low, high = item.min_age, item.max_age
    if low is not None and high is not None:
        return f"{low}—{high}岁"
    if low is not None:
        return f"{low}岁及以上"
    if high is not None:
        return f"{high}岁及以下"
    return ""


def check_age(item: Any, age: Age) -> Verdict | None:
    """Compares a stated age with the item's bounds; None when the item has none."""
    low, high = item.min_age, item.max_age
    if low is None and high is None:
        return None
    bound = bound_text(item)
    if low is not None and age.high < low:
        wait = low - age.value
        return Verdict(
            False,
            f"这一项按年龄面向{bound}的人。您说的{age}还不到{low}岁，"
            f"目前不在范围内；满{low}岁后（约{wait}年后）就可以享受。",
        )
    if high is not None and age.low > high:
        return Verdict(False, f"这一项按年龄面向{bound}的人，{age}已超出这个范围。")
    if (low is not None and age.low < low) or (high is not None and age.high > high):
        return Verdict(
            None,
            f"这一项按年龄面向{bound}的人。{age}是否符合，要看是否已满"
            f"{low if low is not None and age.low < low else high}岁。",
        )
    return Verdict(True, f"这一项按年龄面向{bound}的人，{age}符合年龄条件。")


def user_groups(kb: Any, text: str) -> list[Any]:
    """Group terms the user used about themselves ("残疾人", "低保户", "农村户口")."""
    return [m for m in kb.match_terms(text) if m.kind == "group"]


def check_group(item: Any, group: Any) -> Verdict:
    """Whether a group the user named is among the item's 服务对象."""
    if item.id in group.item_ids:
        return Verdict(True, f"服务对象包括“{group.term}”这类人群。")
    return Verdict(
        None,
        f"清单列出的服务对象中没有直接写到“{group.term}”，是否符合要看具体情况。",
    )


def check_reply(kb: Any, item: Any, message: str, age: Age | None) -> str:
    """The reply to "我爸63岁能享受吗" / "我是农村户口" about `item`.

    Args:
        kb: the knowledge base.
        item: the item under discussion.
        message: the normalized message.
        age: the age the user stated, if any.
    """
    verdicts: list[Verdict] = []
    if age is not None:
        verdict = check_age(item, age)
        if verdict is not None:
            verdicts.append(verdict)
    for group in user_groups(kb, message):
        verdicts.append(check_group(item, group))
    target = item.target.rstrip("。")
    lines = []
    if not verdicts:
        lines.append(f"{replies.title(item)}的服务对象是：{target}。")
    else:
        if any(v.fits is False for v in verdicts):
            lead = "按清单的条件，您可能暂不符合"
        elif all(v.fits is True for v in verdicts):
            lead = "按清单的条件，您符合"
        else:
            lead = "按清单的条件，还不能确定您是否符合"
        lines.append(f"{lead}{replies.title(item)}。")
        lines += [v.reason for v in verdicts]
        lines.append(f"清单写的服务对象是：{target}。")
    lead_dept = replies.department_text(kb, item.departments[0])
    lines.append(f"最终能否享受，以{lead_dept}的审核认定为准。")
    lines.append(f"咨询电话：{replies.hotline_text(kb, item)}。")
    return "\n".join(lines)

