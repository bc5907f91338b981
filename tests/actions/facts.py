"""Checks that a reply states no number or department the knowledge base lacks."""

from __future__ import annotations

import re

_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_DEPARTMENT_RE = re.compile(r"(?:市|人行)[\u4e00-\u9fff]{1,14}?(?:局|委员会|委|办|联|支行)")


def kb_numbers(kb) -> set[str]:
    texts = []
    for item in kb.items():
        texts += [item.name, item.target, item.standard, item.funding, str(item.id)]
    for line in kb.hotlines():
        texts += [line.number, line.hours or ""]
    for ind in kb.indicators():
        texts += [ind.name, ind.unit, ind.value_2015, ind.target_2020, ind.cumulative]
    found = set()
    for text in texts:
        found.update(_NUMBER_RE.findall(text))
    # Years and counts the document states about itself (2015 baseline, 2020 targets,
    # 81 items in 8 domains, 20 indicators).
    found.update({"2015", "2020", "81", "8", "20"})
    return found


def kb_departments(kb) -> set[str]:
    names = set()
    for department in kb.departments():
        names.add(department.name)
        if department.renamed_to:
            names.add(department.renamed_to)
    return names


def assert_from_kb(kb, reply: str, list_positions: int = 20) -> None:
    """Every number and department name in `reply` comes from the knowledge base.

    List positions ("1. 第20项 …", "回复序号 1/2") are allowed up to `list_positions`.
    """
    allowed = kb_numbers(kb) | {str(n) for n in range(1, list_positions + 1)}
    invented = [n for n in _NUMBER_RE.findall(reply) if n not in allowed]
    assert not invented, f"numbers not in the knowledge base: {invented}\n{reply}"
    known = kb_departments(kb)
    for name in _DEPARTMENT_RE.findall(reply):
        known_name = any(name in k or k in name for k in known)
        assert known_name, f"unknown department {name}\n{reply}"
