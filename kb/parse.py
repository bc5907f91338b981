"""Parse the published planning document into records, as the text stands.

The source is a scraped web page: one table cell per line, cells separated by empty
lines. Lines holding only whitespace (``\\xa0``) are empty cells. This module turns the
text into plain records and checks the structure it expects (81 items in 8 domains, 20
indicators, 26 tasks); anything else raises :class:`ParseError` naming what is wrong and
where. It corrects nothing: typos are fixed later from the reviewed corrections file, so
every change to the published text is visible in review.

Everything here is a pure function of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

DOMAINS: tuple[str, ...] = (
    "基本公共教育",
    "基本劳动就业创业",
    "基本社会保险",
    "基本医疗卫生",
    "基本社会服务",
    "基本住房保障",
    "基本公共文化体育",
    "残疾人基本公共服务",
)
"""The eight domains of 附件1, in document order."""

EXPECTED_ITEMS = 81
EXPECTED_INDICATORS = 20
EXPECTED_TASKS = 26

ITEM_FIELDS = ("name", "target", "standard", "funding", "departments")
"""Correctable text fields of an item, in column order."""
ITEM_COLUMNS = ("服务项目", "服务对象", "服务指导标准", "支出责任", "牵头负责部门")
INDICATOR_FIELDS = ("label", "value_2015", "target_2020", "cumulative")
TASK_FIELDS = ("text", "units")

INDICATOR_TITLE = "主要发展指标"
ITEMS_TITLE = "基本公共服务清单"
TASKS_TITLE = "重点任务分工方案"
ITEM_HEADER = ("序号",) + ITEM_COLUMNS
TASK_HEADER = ("序号", "重点任务", "责任单位")

_CHINESE_NUMERALS = "一二三四五六七八九十"
_DOMAIN_HEADING = re.compile(rf"^([{_CHINESE_NUMERALS}]+)、(.+)$")
_SECTION_HEADING = re.compile(rf"^[(（][{_CHINESE_NUMERALS}]+[)）]")
_NUMBER = re.compile(r"^\d{1,3}$")
_LABELLED = re.compile(r"^([^:：,，。;；、]{2,16}?对象)[:：](.+)$")
_DEPARTMENT_NAME = re.compile(r"^(市|人行).{1,16}(局|委|厅|办|联|行|会|院)$")


class ParseError(ValueError):
    """The document does not have the structure the knowledge base is built from."""


@dataclass(frozen=True)
class Cell:
    """One non-empty line of the document."""

    line: int
    text: str


@dataclass(frozen=True)
class Section:
    """One labelled paragraph of a multi-paragraph 服务对象 cell (items 48, 49)."""

    label: str
    target: str


@dataclass(frozen=True)
class Item:
    """One service item of 附件1, texts exactly as published."""

    id: int
    domain_id: int
    name: str
    target: str
    standard: str
    funding: str
    departments: str
    line: int
    field_lines: dict = field(default_factory=dict, compare=False, hash=False)
    sections: tuple[Section, ...] = ()

    def department_list(self) -> list[str]:
        """The departments cell split into names, lead first."""
        return split_departments(self.departments)


@dataclass(frozen=True)
class Indicator:
    """One row of the 主要发展指标 table; ``label`` is the name cell as published."""

    id: int
    domain_id: int
    label: str
    value_2015: str
    target_2020: str
    cumulative: str
    line: int


@dataclass(frozen=True)
class Task:
    """One key task of 附件2; ``units`` is the 责任单位 cell as published."""

    id: int
    text: str
    units: str
    line: int


@dataclass(frozen=True)
class Note:
    """A known defect of the text that the parser stepped over, for the build report."""

    line: int
    message: str


@dataclass(frozen=True)
class Document:
    """Everything parsed from the source text."""

    items: tuple[Item, ...]
    indicators: tuple[Indicator, ...]
    tasks: tuple[Task, ...]
    notes: tuple[Note, ...]


# --- helpers ---------------------------------------------------------------------------


def cells(text: str) -> list[Cell]:
    """Split the text into cells: every line that is not empty, numbered from 1.

    A line of only whitespace (the page's ``&nbsp;`` cells) becomes a cell with empty
    text, so callers can tell an empty cell from a separator.
    """
    out = []
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if raw == "":
            continue
        out.append(Cell(number, raw.strip().replace("\u3000", " ").strip()))
    return out


def split_departments(text: str) -> list[str]:
    """Split a 牵头负责部门 cell on 、 and commas, keeping order (lead first)."""
    return [part.strip() for part in re.split(r"[、,，]", text) if part.strip()]


def split_label(label: str) -> tuple[str, str]:
    """Split an indicator name cell such as ``孕产妇死亡率(1/10万)`` into name and unit.

    The unit is the last bracketed group; a lost closing bracket (``巩固率(%``) is
    tolerated, a lost unit (``婴儿死亡率(``) gives an empty unit.
    """
    label = label.strip()
    cut = max(label.rfind("("), label.rfind("（"))
    if cut <= 0:
        return label, ""
    tail = label[cut + 1 :]
    if any(ch in tail for ch in "(（"):
        return label, ""
    return label[:cut].strip(), tail.rstrip(")）").strip()


def _find(cs: list[Cell], start: int, predicate, what: str) -> int:
    for index in range(start, len(cs)):
        if predicate(cs[index].text):
            return index
    after = f" after line {cs[start - 1].line}" if 0 < start <= len(cs) else ""
    raise ParseError(f"{what} not found{after}: is the document truncated?")


def _expect_header(
    cs: list[Cell], start: int, header: tuple[str, ...], where: str
) -> int:
    index = start
    for expected in header:
        while index < len(cs) and cs[index].text == "":
            index += 1
        if index >= len(cs):
            raise ParseError(f"{where}: table header ends early, expected '{expected}'")
        got = re.sub(r"\s+", "", cs[index].text)
        if got != expected:
            raise ParseError(
                f"{where}, line {cs[index].line}: expected table header '{expected}', "
                f"found '{cs[index].text[:30]}'"
            )
        index += 1
    return index


# --- 主要发展指标 ------------------------------------------------------------------------


def parse_indicators(cs: list[Cell]) -> tuple[list[Indicator], int]:
    """Parse the 主要发展指标 table; return the indicators and the index after it."""
    title = _find(
        cs, 0, lambda t: INDICATOR_TITLE in t and len(t) < 60, "indicator table"
    )
    index = _find(
        cs, title + 1, lambda t: re.sub(r"\s+", "", t) == "指标", "indicator header"
    )
    index = _expect_header(cs, index + 1, ("2015", "2020", "累计"), "indicator table")
    end = _find(
        cs, index, lambda t: bool(_SECTION_HEADING.match(t)), "end of indicator table"
    )
    body = cs[index:end]
    if len(body) % 4:
        raise ParseError(
            f"indicator table, lines {body[0].line}-{body[-1].line}: {len(body)} cells is "
            "not a whole number of 4-cell rows (指标, 2015, 2020, 累计): a cell is missing"
        )
    indicators: list[Indicator] = []
    domain_id = 0
    for row_start in range(0, len(body), 4):
        row = body[row_start : row_start + 4]
        first = row[0]
        if first.text in DOMAINS:
            expected = DOMAINS[domain_id] if domain_id < len(DOMAINS) else None
            if first.text != expected:
                raise ParseError(
                    f"indicator table, line {first.line}: domain '{first.text}' out of order"
                    f" (expected '{expected}')"
                )
            if any(c.text for c in row[1:]):
                raise ParseError(
                    f"indicator table, line {first.line}: domain row '{first.text}' has "
                    "values; a cell is missing or misplaced"
                )
            domain_id += 1
            continue
        if domain_id == 0:
            raise ParseError(
                f"indicator table, line {first.line}: indicator before any domain heading"
            )
        if not first.text or _NUMBER.match(first.text):
            raise ParseError(
                f"indicator table, line {first.line}: expected an indicator name, found "
                f"'{first.text}': a cell is missing"
            )
        indicators.append(
            Indicator(
                id=len(indicators) + 1,
                domain_id=domain_id,
                label=first.text,
                value_2015=row[1].text,
                target_2020=row[2].text,
                cumulative=row[3].text,
                line=first.line,
            )
        )
    if domain_id != len(DOMAINS):
        raise ParseError(
            f"indicator table: found {domain_id} domain headings, expected {len(DOMAINS)}"
        )
    if len(indicators) != EXPECTED_INDICATORS:
        raise ParseError(
            f"indicator table: found {len(indicators)} indicators, expected "
            f"{EXPECTED_INDICATORS}"
        )
    return indicators, end


# --- 附件1 服务清单 ------------------------------------------------------------------------


def _split_middle(number: int, middle: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """Split the cells between 服务项目 and 支出责任 into 服务对象 and 服务指导标准.

    Two cells are one of each. More cells occur where 服务对象 is a list of labelled
    paragraphs (``重点救助对象:…``): the leading labelled paragraphs are the target,
    the rest the standard.
    """
    if len(middle) == 2:
        return middle[:1], middle[1:]
    labelled = 0
    while labelled < len(middle) and _LABELLED.match(middle[labelled].text):
        labelled += 1
    if labelled == 0 or labelled == len(middle):
        raise ParseError(
            f"item {number}, line {middle[0].line}: {len(middle)} paragraphs between "
            "服务项目 and 支出责任 and no labelled 服务对象 paragraphs (X对象:…) to tell "
            "服务对象 from 服务指导标准: a cell is missing or one too many"
        )
    return middle[:labelled], middle[labelled:]


def _item_from_cells(number: int, domain_id: int, head: Cell, body: list[Cell]) -> Item:
    if len(body) < 5:
        have = ", ".join(f"'{c.text[:12]}'" for c in body) or "nothing"
        raise ParseError(
            f"item {number} (line {head.line}): expected 5 cells "
            f"({', '.join(ITEM_COLUMNS)}), found {len(body)} ({have}): a cell is missing"
            " or the document is truncated"
        )
    name, middle, funding, departments = body[0], body[1:-2], body[-2], body[-1]
    target_cells, standard_cells = _split_middle(number, middle)
    for part in split_departments(departments.text):
        if not _DEPARTMENT_NAME.match(part) and "牵头" not in part:
            raise ParseError(
                f"item {number}, line {departments.line}: last cell should be 牵头负责部门,"
                f" found '{departments.text[:30]}': a cell is missing or misplaced"
            )
    sections: tuple[Section, ...] = ()
    if len(target_cells) > 1:
        sections = tuple(
            Section(m.group(1), m.group(2).strip())
            for m in (_LABELLED.match(c.text) for c in target_cells)
        )
    return Item(
        id=number,
        domain_id=domain_id,
        name=name.text,
        target="\n".join(c.text for c in target_cells),
        standard="\n".join(c.text for c in standard_cells),
        funding=funding.text,
        departments=departments.text,
        line=head.line,
        field_lines={
            "name": name.line,
            "target": target_cells[0].line,
            "standard": standard_cells[0].line,
            "funding": funding.line,
            "departments": departments.line,
        },
        sections=sections,
    )


def parse_items(cs: list[Cell], start: int) -> tuple[list[Item], list[Note], int]:
    """Parse 附件1 from ``start``; return items, notes and the index of 附件2's title."""
    title = start
    while True:
        title = _find(
            cs,
            title,
            lambda t: t.endswith(ITEMS_TITLE),
            "附件1 title (…基本公共服务清单)",
        )
        following = next((c.text for c in cs[title + 1 :] if c.text), "")
        if following == ITEM_HEADER[0]:
            break
        title += 1  # the same title in the body's list of attachments
    index = _expect_header(cs, title + 1, ITEM_HEADER, "附件1")
    try:
        end = _find(
            cs, index, lambda t: t == TASKS_TITLE, f"附件2 title ({TASKS_TITLE})"
        )
        tasks_missing: ParseError | None = None
    except ParseError as exc:
        # Parse the items anyway: on a truncated text the last item names the place.
        end, tasks_missing = len(cs), exc
    notes: list[Note] = []
    # The attachment number printed just above 附件2's title ("2") belongs to no item.
    stop = end
    while stop > index and cs[stop - 1].text in ("", "2"):
        if cs[stop - 1].text == "2":
            notes.append(
                Note(cs[stop - 1].line, "attachment number '2' before 附件2 ignored")
            )
        stop -= 1
    items: list[Item] = []
    domain_id = 0
    current: tuple[Cell, list[Cell]] | None = None

    def close() -> None:
        if current is not None:
            head, body = current
            items.append(_item_from_cells(int(head.text), domain_id, head, body))

    for cell in cs[index:stop]:
        heading = _DOMAIN_HEADING.match(cell.text)
        if heading and heading.group(2) in DOMAINS:
            close()
            current = None
            expected = DOMAINS[domain_id] if domain_id < len(DOMAINS) else None
            if heading.group(2) != expected:
                raise ParseError(
                    f"附件1, line {cell.line}: domain heading '{cell.text}' out of order; "
                    f"expected '{expected}' (is a heading missing?)"
                )
            domain_id += 1
            continue
        if _NUMBER.match(cell.text):
            number = int(cell.text)
            expected_number = (int(current[0].text) if current else len(items)) + 1
            if number == expected_number:
                close()
                if domain_id == 0:
                    raise ParseError(
                        f"附件1, line {cell.line}: item {number} before any domain heading"
                    )
                current = (cell, [])
                continue
            raise ParseError(
                f"附件1, line {cell.line}: found item number {number} where item "
                f"{expected_number} was expected (a number cell is missing or out of order)"
            )
        if current is None:
            if cell.text == "":
                continue
            raise ParseError(
                f"附件1, line {cell.line}: text outside any item: '{cell.text[:30]}'"
            )
        if cell.text == "":
            notes.append(
                Note(cell.line, f"empty line in item {current[0].text} ignored")
            )
            continue
        current[1].append(cell)
    close()
    if domain_id != len(DOMAINS):
        missing = [
            d for d in DOMAINS if d not in {DOMAINS[i] for i in range(domain_id)}
        ]
        raise ParseError(f"附件1: domain heading(s) missing: {', '.join(missing)}")
    if len(items) != EXPECTED_ITEMS:
        last = items[-1] if items else None
        where = f"; last item {last.id} at line {last.line}" if last else ""
        raise ParseError(
            f"附件1: found {len(items)} items, expected {EXPECTED_ITEMS}{where}: is the "
            "document truncated or an item number missing?"
        )
    if tasks_missing is not None:
        raise tasks_missing
    return items, notes, end


# --- 附件2 重点任务分工方案 ----------------------------------------------------------------


def parse_tasks(cs: list[Cell], title: int) -> list[Task]:
    """Parse 附件2 whose title is at index ``title``."""
    index = _expect_header(cs, title + 1, TASK_HEADER, "附件2")
    tasks: list[Task] = []
    content = [c for c in cs[index:] if c.text]
    position = 0
    while position < len(content) and content[position].text == str(len(tasks) + 1):
        head = content[position]
        body = content[position + 1 : position + 3]
        if len(body) < 2 or _NUMBER.match(body[0].text) or _NUMBER.match(body[1].text):
            raise ParseError(
                f"附件2 task {head.text} (line {head.line}): expected 2 cells (重点任务, "
                "责任单位): a cell is missing or the document is truncated"
            )
        if "牵头" not in body[1].text:
            raise ParseError(
                f"附件2 task {head.text}, line {body[1].line}: 责任单位 cell should name the "
                f"lead (…牵头), found '{body[1].text[:30]}': a cell is missing"
            )
        tasks.append(Task(len(tasks) + 1, body[0].text, body[1].text, head.line))
        position += 3
    if len(tasks) != EXPECTED_TASKS:
        raise ParseError(f"附件2: found {len(tasks)} tasks, expected {EXPECTED_TASKS}")
    return tasks


def task_units(units: str) -> list[str]:
    """The lead units named in a 责任单位 cell (``市A、市B分别牵头,…`` → [市A, 市B])."""
    lead = re.split(r"[,，;；]", units, maxsplit=1)[0]
    lead = re.sub(r"(分别)?牵头.*$", "", lead)
    return split_departments(lead)


# --- whole document ------------------------------------------------------------------


def parse_document(text: str) -> Document:
    """Parse the whole document.

    Args:
        text: The document text as published (one cell per line).

    Returns:
        The parsed :class:`Document`, texts uncorrected.

    Raises:
        ParseError: The text does not have the expected structure; the message names
            what is wrong and where (line, item number).
    """
    if not text or not text.strip():
        raise ParseError("the document is empty")
    cs = cells(text)
    notes: list[Note] = []
    if cs and INDICATOR_TITLE not in cs[0].text and "规划" not in cs[0].text:
        # Injected spam above the title (葡京官网): nothing is anchored on it.
        notes.append(
            Note(cs[0].line, f"text before the title ignored: '{cs[0].text[:20]}'")
        )
    indicators, after = parse_indicators(cs)
    items, item_notes, tasks_title = parse_items(cs, after)
    tasks = parse_tasks(cs, tasks_title)
    notes = sorted(notes + item_notes, key=lambda note: note.line)
    return Document(tuple(items), tuple(indicators), tuple(tasks), tuple(notes))


def with_field(record, name: str, value: str):
    """Return a copy of a frozen record with one text field replaced."""
    return replace(record, **{name: value})
