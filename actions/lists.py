"""Lists of items by group, domain or department, numbered for a "回复序号" reply."""

from __future__ import annotations

import re
from typing import Any

from actions.numbers import Age

MAX_LISTED = 20
"""More lines than this stop being readable on a phone (and near WeChat's limit)."""

LIST_KINDS = ("department", "domain", "group")
"""Which term decides the list when several appear: a department or a domain is a more
specific request than a group word."""


def _items_for(kb: Any, match: Any) -> list[Any]:
    lookup = {
        "department": kb.items_by_department,
        "domain": kb.items_by_domain,
        "group": kb.items_by_group,
    }[match.kind]
    items = lookup(match.canonical) or [kb.item(i) for i in match.item_ids]
    return [i for i in items if i is not None]


_SEVERAL_RE = re.compile(
    r"享受(点|些|一些|国家|政府)?(哪些|哪几|啥|什么)|(啥|什么|哪些)(政策|服务|待遇|福利|保障)?能?享受"
    r"|都有(哪些|啥|什么)(政策|服务|待遇|福利)|(对|给)(俺们|我们|咱们)这(样|号|种|类)"
)
"""What they can have ("都能享受哪些", "能享受啥服务", "都能享受点啥", "有啥政策能享受",
"国家对俺们这号人都有啥政策");
"高龄津贴有哪些" and "孕妇产检有啥服务" ask about the one service named."""


def names_a_selection(kb: Any, text: str) -> bool:
    """True when the text names a department, a domain or a group to list.

    A group counts when the same words also name an item ("退役军人能享受什么": the
    people, not only item 57 退役军人安置); a group beside an item name ("糖尿病患者管理")
    does not.
    """
    matches = kb.match_terms(text)
    if any(m.kind in ("department", "domain") for m in matches):
        return True
    group_spans = {(m.start, m.end) for m in matches if m.kind == "group"}
    if any(
        m.kind in ("service", "alias") and (m.start, m.end) in group_spans
        for m in matches
    ):
        return True
    # "当过兵的 退伍以后都能享受哪些": several asked for, and the item words (退伍 →
    # 退役军人安置) are among the group's own items: the group is what is meant.
    served = {i for m in matches if m.kind == "group" for i in m.item_ids}
    named = {
        i
        for m in matches
        if m.kind in ("service", "alias") and (m.start, m.end) not in group_spans
        for i in m.item_ids
    }
    return bool(served and named <= served and _SEVERAL_RE.search(text))


def items_for_age(kb: Any, age: Age) -> list[Any]:
    """Items with an age phrase that includes the stated age (65岁及以上, 0—6岁 …)."""
    return [
        item
        for item in kb.items()
        if any(r.contains(age.low) for r in getattr(item, "age_ranges", ()) or ())
    ]


def select(kb: Any, text: str, age: Age | None = None) -> tuple[str, list[Any]]:
    """Finds what the user wants listed.

    Returns:
        (label, items): label names the selection in the reply ("残疾人", "基本社会保险");
        items is empty when the message names no group, domain, department or age.
    """
    matches = [m for m in kb.match_terms(text) if m.kind in LIST_KINDS]
    # "残疾人" is both a group and the start of a domain name; as a word on its own it
    # means the people, so the group list (every item serving them) wins.
    group_spans = {(m.start, m.end) for m in matches if m.kind == "group"}
    matches = [
        m
        for m in matches
        if not (m.kind == "domain" and (m.start, m.end) in group_spans)
    ]
    for kind in LIST_KINDS:
        chosen = [m for m in matches if m.kind == kind]
        if chosen:
            items: list[Any] = []
            for m in chosen:
                items += [i for i in _items_for(kb, m) if i not in items]
            # Several groups or departments: one list in the list's own order, as the
            # reply says ("按清单顺序"), not one block per term.
            items.sort(key=lambda item: item.id)
            if kind == "group":
                items = dedicated_first(items, [m.canonical for m in chosen])
            return "、".join(dict.fromkeys(m.canonical for m in chosen)), items
    if age is not None:
        return str(age), items_for_age(kb, age)
    return "", []


def dedicated_first(items: list[Any], groups: list[str]) -> list[Any]:
    """Items of a domain named for one of the groups (残疾人基本公共服务 for 残疾人)
    first, then the others serving the group, each part in the list's order.

    A citizen asking what disabled people can have thinks of that domain first, and
    numbers "第9个" in it; the other items serving them follow.
    """
    dedicated = [i for i in items if any(i.domain.startswith(g) for g in groups)]
    return dedicated + [i for i in items if i not in dedicated]


def list_text(label: str, items: list[Any]) -> str:
    """A numbered list grouped under domain headings, ending "回复序号查看详情"."""
    shown = items[:MAX_LISTED]
    head = f"与“{label}”有关的基本公共服务共{len(items)}项" if label else "相关服务"
    more = len(items) > MAX_LISTED
    in_order = [i.id for i in items] == sorted(i.id for i in items)
    order = "（按清单顺序）" if in_order else f"（专门面向{label}的服务在前，其余按清单顺序）"
    lines = [head + (f"，先列出前{MAX_LISTED}项：" if more else f"{order}：")]
    domain = None
    for n, item in enumerate(shown, 1):
        if item.domain != domain:
            domain = item.domain
            lines.append(f"【{domain}】")
        lines.append(f"{n}. 第{item.id}项 {item.name}")
    lines.append("回复序号查看详情。")
    return "\n".join(lines)


_WHOLE_LIST_RE = re.compile(r"服务|项目|清单|业务|几项|哪项|事")


def asks_for_the_list(text: str) -> bool:
    """True for "都有哪些服务" / "你们管哪些事": the list's own content, not what the item
    under discussion provides ("有啥帮扶")."""
    return bool(_WHOLE_LIST_RE.search(text))


def overview_text(kb: Any) -> str:
    """What the list contains, when the user asked for a list without saying of what."""
    by_domain: dict[str, list[int]] = {}
    for item in kb.items():
        by_domain.setdefault(item.domain, []).append(item.id)
    lines = [f"《廊坊市“十三五”基本公共服务清单》共{len(kb.items())}项，分{len(by_domain)}个领域："]
    for domain, ids in by_domain.items():
        lines.append(f"· {domain}（第{min(ids)}—{max(ids)}项）")
    lines.append("您可以说“社会保险都有哪些”“我是残疾人能享受哪些服务”或“市民政局负责哪些服务”。")
    return "\n".join(lines)
