"""The "never invent" check: every number, department and hotline a reply states must
come from the knowledge base.

A reply passes when each number in it appears among the numbers of the knowledge base's
texts (items, sections, indicators, hotlines, departments, tasks), each 5-digit service
number is in the hotline table, and each department-like name (市…局/委/委员会/残联/支行)
is a department the knowledge base knows or appears verbatim in its texts. Item numbers
written as 「第N项」 and the positions of a numbered list ("1. …", "回复 1/2/3") are
references, not facts, and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.numbers import chinese_to_int

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CHINESE_NUMBER = re.compile(r"[零一二两三四五六七八九十百]+")
_HOTLINE = re.compile(r"(?<!\d)1\d{4}(?!\d)")
_DEPARTMENT = re.compile(r"市[\u4e00-\u9fff]{1,14}?(?:委员会|局|委|残联|支行|厅)")
_REFERENCES = (
    re.compile(r"第\s*\d{1,2}\s*项"),  # 「第51项」
    re.compile(r"(?m)^\s*\d{1,2}\s*[.、)．]"),  # "1. …" list positions
    re.compile(r"回复\s*(?:序号\s*)?\d{1,2}(?:\s*[/、,，或至到~-]\s*\d{1,2})*"),
    re.compile(r"(?<![\d.])\d{1,2}\s*[/、]\s*\d{1,2}(?:\s*[/、]\s*\d{1,2})*(?![\d.])"),
)


@dataclass(frozen=True)
class Facts:
    """What the knowledge base states, in the forms the check compares."""

    numbers: frozenset[str]
    hotlines: frozenset[str]
    departments: frozenset[str]
    corpus: str


def _canonical_number(text: str) -> str:
    # "75.0" and "75" are the same fact; "0.5" stays "0.5".
    return text.rstrip("0").rstrip(".") if "." in text else text.lstrip("0") or "0"


def facts_from_kb(kb: object) -> Facts:
    """Collects every text of an open `kb.query.KnowledgeBase`."""
    texts: list[str] = []
    for item in kb.items():
        texts += [
            item.name,
            item.target,
            item.standard,
            item.funding,
            item.departments_original,
            *item.departments,
        ]
        for section in item.sections:
            texts += [str(part) for part in section if part]
    for ind in kb.indicators():
        texts += [
            ind.name,
            ind.unit,
            ind.value_2015,
            ind.target_2020,
            ind.cumulative,
            ind.label,
        ]
    for line in kb.hotlines():
        texts += [
            line.number,
            line.name,
            line.hours or "",
            line.source,
            line.note or "",
        ]
    departments: set[str] = set()
    for dept in kb.departments():
        departments.add(dept.name)
        departments.update(dept.short_names)
        if dept.renamed_to:
            departments.add(dept.renamed_to)
        texts += [dept.name, dept.renamed_to or "", dept.note or ""]
    for task in kb.tasks():
        texts += [task.text, task.units_text]
    corpus = "\n".join(t for t in texts if t)
    numbers = {_canonical_number(n) for n in _NUMBER.findall(corpus)}
    # Structure is data too: item and domain numbers, how many there are, and the
    # indicator table's two columns (2015 value, 2020 target).
    numbers.update(str(item.id) for item in kb.items())
    numbers.update(str(item.domain_id) for item in kb.items())
    numbers.update({str(len(kb.items())), "2015", "2020"})
    numbers = frozenset(numbers)
    hotlines = frozenset(line.number for line in kb.hotlines())
    return Facts(numbers, hotlines, frozenset(departments), corpus)


def invented(reply: str, facts: Facts, user_text: str = "") -> list[str]:
    """What the reply states that the knowledge base does not; [] when nothing.

    Numbers the user wrote ("我爸63岁") may be repeated back: they are the user's, not
    claims of the assistant.
    """
    said = {_canonical_number(n) for n in _NUMBER.findall(user_text)}
    # "俺奶奶八十三了" → "83岁符合这个年龄条件": the user's number, in other writing.
    said |= {
        str(value)
        for run in _CHINESE_NUMBER.findall(user_text)
        if (value := chinese_to_int(run)) is not None
    }
    problems: list[str] = []
    for number in _HOTLINE.findall(reply):
        if number not in facts.hotlines:
            problems.append(f"hotline {number}")
    stripped = reply
    for pattern in _REFERENCES:
        stripped = pattern.sub(" ", stripped)
    for number in _NUMBER.findall(stripped):
        if _canonical_number(number) not in facts.numbers | said:
            problems.append(f"number {number}")
    for name in _DEPARTMENT.findall(reply):
        if name not in facts.departments and name not in facts.corpus:
            problems.append(f"department {name}")
    return sorted(set(problems))
