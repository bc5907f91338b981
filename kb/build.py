"""Build the SQLite knowledge base from the published document and the curated data.

One function, :func:`build`, does it all: parse the text, apply the reviewed corrections,
join the curated aliases, groups, age bounds, departments and hotlines, check that every
piece of curated data still fits the text, and write the database. It writes into a
temporary file next to the target and renames it over the target only when everything
succeeded, so a failed build never leaves a half-built database where a good one was.

The output is deterministic: the same inputs give a byte-identical file (no timestamps;
the source's sha256 and :data:`SCHEMA_VERSION` are stored in the ``meta`` table).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from kb import parse
from kb.parse import DOMAINS, ParseError
from kb.segment import dictionary_words, shared_segmenter
from kb.textnorm import normalize

SCHEMA_VERSION = 4
"""Bump when tables or columns change; kb.query refuses a database of another version."""

CURATED_DIR = Path(__file__).resolve().parent / "curated"

FALLBACK_HOTLINE = "12345"
"""The general government service hotline, used where no department has its own."""

FTS_COLUMNS = ("name", "aliases", "groups", "target", "standard")


class BuildError(Exception):
    """The knowledge base cannot be built; the message says what to fix."""


@dataclass
class BuildReport:
    """What a build did, for the command line and for tests."""

    path: Path
    source_sha256: str
    counts: dict[str, int]
    corrections: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def format(self) -> str:
        """A short human-readable report."""
        lines = [f"Built {self.path}"]
        lines.append("  " + ", ".join(f"{k} {v}" for k, v in self.counts.items()))
        lines.append(f"  source sha256 {self.source_sha256[:16]}…")
        lines.append(f"Corrections applied ({len(self.corrections)}):")
        for c in self.corrections:
            lines.append(
                f"  {c['record']} {c['key']} {c['field']}: {c['original']} → "
                f"{c['corrected']}  ({c['why']})"
            )
        if self.notes:
            lines.append(f"Defects of the text stepped over ({len(self.notes)}):")
            lines.extend(f"  {n}" for n in self.notes)
        return "\n".join(lines)


# --- curated data ----------------------------------------------------------------------


def read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Read a curated CSV, checking its header; every value is stripped text."""
    if not path.is_file():
        raise BuildError(f"curated file missing: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise BuildError(f"{path.name}: missing column(s) {', '.join(missing)}")
        rows = []
        for number, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise BuildError(f"{path.name}, line {number}: wrong number of fields")
            rows.append(
                {k: (v or "").strip() for k, v in row.items()} | {"_line": number}
            )
    return rows


def _ids(text: str, where: str, valid: set[int]) -> list[int]:
    out = []
    for token in text.split():
        if not token.isdigit() or int(token) not in valid:
            raise BuildError(f"{where}: '{token}' is not an item number 1–{max(valid)}")
        out.append(int(token))
    return out


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split("|") if t.strip()]


# --- corrections ---------------------------------------------------------------------


def apply_corrections(
    document: parse.Document, rows: list[dict]
) -> tuple[parse.Document, list[dict]]:
    """Apply reviewed corrections to the parsed records.

    Each row names a record (``item``/``indicator``/``task``), its number, a field, and
    the original and corrected text. The original must occur exactly once in that field
    and the corrected text must not be there already; otherwise the build stops, so a
    changed document can never silently skip a correction.
    """
    tables = {
        "item": ({r.id: r for r in document.items}, parse.ITEM_FIELDS),
        "indicator": ({r.id: r for r in document.indicators}, parse.INDICATOR_FIELDS),
        "task": ({r.id: r for r in document.tasks}, parse.TASK_FIELDS),
    }
    applied = []
    for row in rows:
        where = f"corrections.csv, line {row['_line']}"
        if row["record"] not in tables:
            raise BuildError(f"{where}: record must be item, indicator or task")
        records, fields = tables[row["record"]]
        if not row["key"].isdigit() or int(row["key"]) not in records:
            raise BuildError(
                f"{where}: no {row['record']} {row['key']} in the document"
            )
        if row["field"] not in fields:
            raise BuildError(f"{where}: field must be one of {', '.join(fields)}")
        record = records[int(row["key"])]
        text = getattr(record, row["field"])
        original, corrected = row["original"], row["corrected"]
        if not original or original == corrected:
            raise BuildError(
                f"{where}: original must be non-empty and differ from corrected"
            )
        found = text.count(original)
        if corrected in text and corrected not in original:
            raise BuildError(
                f"{where}: {row['record']} {row['key']} {row['field']} already contains "
                f"'{corrected}': the document was fixed, remove this correction"
            )
        if found != 1:
            raise BuildError(
                f"{where}: original text '{original}' found {found} times in "
                f"{row['record']} {row['key']} {row['field']} (expected once): the "
                "document changed; review this correction"
            )
        records[record.id] = parse.with_field(
            record, row["field"], text.replace(original, corrected)
        )
        line = getattr(record, "field_lines", {}).get(row["field"], record.line)
        applied.append(
            {
                "record": row["record"],
                "key": int(row["key"]),
                "field": row["field"],
                "original": original,
                "corrected": corrected,
                "why": row["why"],
                "line": line,
            }
        )
    corrected_document = parse.Document(
        items=tuple(tables["item"][0][k] for k in sorted(tables["item"][0])),
        indicators=tuple(
            tables["indicator"][0][k] for k in sorted(tables["indicator"][0])
        ),
        tasks=tuple(tables["task"][0][k] for k in sorted(tables["task"][0])),
        notes=document.notes,
    )
    return corrected_document, applied


# --- derived facts ---------------------------------------------------------------------

_FIGURE = re.compile(r"^(>=|<=|>|<|≥|≤)?\s*(\d+(?:\.\d+)?)\s*(%|‰)?\s*(以上|以下)?$")


def parse_figure(text: str) -> tuple[float | None, str | None]:
    """Read a table figure: ``'95%'`` → (95, '='), ``'>25'`` → (25, '>'),
    ``'30以上'`` → (30, '>='), ``'-'`` or empty → (None, None)."""
    match = _FIGURE.match(text.strip())
    if not match:
        return None, None
    op, number, _unit, word = match.groups()
    comparator = {"≥": ">=", "≤": "<="}.get(op or "", op or "")
    if word == "以上":
        comparator = ">="
    elif word == "以下":
        comparator = "<="
    value = float(number)
    return (int(value) if value.is_integer() else value), comparator or "="


_AGE_PATTERNS: tuple[tuple[re.Pattern, callable], ...] = (
    (re.compile(r"(\d+)[—\-–~至到](\d+)周?岁"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"年满(\d+)周?岁"), lambda m: (int(m[1]), None)),
    (re.compile(r"未满(\d+)周?岁"), lambda m: (None, int(m[1]) - 1)),
    (re.compile(r"百岁以上"), lambda m: (100, None)),
    # 以上/以下 include the number itself in Chinese legal usage (民法典 第1259条).
    (re.compile(r"(\d+)周?岁(?:及)?以上"), lambda m: (int(m[1]), None)),
    (re.compile(r"(\d+)周?岁(?:及)?以下"), lambda m: (None, int(m[1]))),
)


def find_ages(text: str) -> list[tuple[str, int | None, int | None, int]]:
    """Every age phrase in ``text`` as (phrase, min_age, max_age, offset), in order."""
    found: list[tuple[str, int | None, int | None, int]] = []
    taken: list[range] = []
    for pattern, bounds in _AGE_PATTERNS:
        for match in pattern.finditer(text):
            span = range(match.start(), match.end())
            if any(set(span) & set(t) for t in taken):
                continue
            taken.append(span)
            low, high = bounds(match)
            found.append((match.group(0), low, high, match.start()))
    return sorted(found, key=lambda f: f[3])


def _num(text: str) -> int | None:
    return int(text) if text else None


def derive_ages(items: list[parse.Item], rows: list[dict]) -> list[dict]:
    """Check the curated age bounds against the text and return them as rows.

    Every age phrase in a 服务对象 must have a reviewed row (so a new one is never
    missed), every row's phrase must be in its field, and the numbers must be the ones
    the phrase says.
    """
    by_id = {i.id: i for i in items}
    out = []
    listed: dict[tuple[int, str], list[dict]] = {}
    for row in rows:
        where = f"age_bounds.csv, line {row['_line']}"
        item_id = _ids(row["item"], where, set(by_id))[0]
        if row["field"] not in ("target", "standard"):
            raise BuildError(f"{where}: field must be target or standard")
        if row["scope"] not in ("whole", "part"):
            raise BuildError(f"{where}: scope must be whole or part")
        text = getattr(by_id[item_id], row["field"])
        phrases = [f for f in find_ages(text) if f[0] == row["phrase"]]
        if not phrases:
            raise BuildError(
                f"{where}: phrase '{row['phrase']}' not found in item {item_id} {row['field']}"
            )
        _, low, high, _ = phrases[0]
        if (low, high) != (_num(row["min_age"]), _num(row["max_age"])):
            raise BuildError(
                f"{where}: '{row['phrase']}' means min {low} max {high}, row says "
                f"{row['min_age'] or None}/{row['max_age'] or None}"
            )
        listed.setdefault((item_id, row["field"]), []).append(row)
        out.append(
            {
                "item_id": item_id,
                "field": row["field"],
                "phrase": row["phrase"],
                "min_age": low,
                "max_age": high,
                "applies_to": row["applies_to"],
                "scope": row["scope"],
                "note": row["note"],
            }
        )
    for item in items:
        for phrase, *_ in find_ages(item.target):
            if not any(
                r["phrase"] == phrase for r in listed.get((item.id, "target"), [])
            ):
                raise BuildError(
                    f"item {item.id} 服务对象 states an age ('{phrase}') that "
                    "age_bounds.csv does not list: add a reviewed row"
                )
    return out


def section_rows(item: parse.Item) -> list[dict]:
    """Rows for the labelled paragraphs of a multi-paragraph 服务对象 (items 48, 49).

    The standard is one paragraph for all labels; each section gets the sentences that
    name its label (and the unlabelled sentences that follow them), or the whole
    standard when no sentence names it.
    """
    sentences = [s for s in re.split(r"(?<=[。;；])", item.standard) if s.strip()]
    rows = []
    for position, section in enumerate(item.sections, start=1):
        stem = section.label
        picked, following = [], False
        for sentence in sentences:
            mentions = [s.label for s in item.sections if s.label in sentence]
            if stem in sentence:
                picked.append(sentence)
                following = True
            elif mentions:
                following = False
            elif following:
                picked.append(sentence)
        rows.append(
            {
                "item_id": item.id,
                "position": position,
                "label": section.label,
                "target_text": section.target,
                "standard_text": "".join(picked).strip() or item.standard,
            }
        )
    return rows


# --- build -----------------------------------------------------------------------------


def _default_paths() -> tuple[Path, Path]:
    from bot import settings

    return settings.KB_SOURCE, settings.KB_PATH


def build(
    source: str | Path | None = None,
    out: str | Path | None = None,
    curated: str | Path | None = None,
) -> BuildReport:
    """Build the knowledge base.

    Args:
        source: The document text file; default ``settings.KB_SOURCE``.
        out: The database to write; default ``settings.KB_PATH``.
        curated: Folder of curated CSV files; default ``kb/curated``.

    Returns:
        A :class:`BuildReport` (counts, corrections applied, defects stepped over).

    Raises:
        BuildError: The document does not parse or curated data does not fit it; the
            target file is left as it was.
    """
    default_source, default_out = (
        _default_paths() if source is None or out is None else (None, None)
    )
    source = Path(source or default_source)
    out = Path(out or default_out)
    curated = Path(curated or CURATED_DIR)
    if not source.is_file():
        raise BuildError(f"source document not found: {source}")
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(f"{source}: not UTF-8 text ({exc})") from None
    try:
        document = parse.parse_document(text)
    except ParseError as exc:
        raise BuildError(f"{source.name}: {exc}") from None
    data = assemble(document, text, curated)
    sha = hashlib.sha256(raw).hexdigest()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{out.name}.", suffix=".tmp", dir=out.parent
        )
        os.close(handle)
    except OSError as exc:
        raise BuildError(f"cannot write next to {out}: {exc}") from None
    temp = Path(temp_name)
    try:
        write_database(temp, data, sha, source.name)
        os.chmod(temp, 0o644)
        os.replace(temp, out)
    except (OSError, sqlite3.Error) as exc:
        raise BuildError(f"cannot write {out}: {exc}") from None
    finally:
        if temp.exists():
            temp.unlink()
    return BuildReport(
        path=out,
        source_sha256=sha,
        counts=data["counts"],
        corrections=data["corrections"],
        notes=[f"line {n.line}: {n.message}" for n in document.notes],
    )


def assemble(document: parse.Document, text: str, curated: Path) -> dict:
    """Join the parsed document with the curated data into table rows (no I/O but reads)."""
    corrections = read_csv(
        curated / "corrections.csv",
        ("record", "key", "field", "original", "corrected", "why"),
    )
    published = {item.id: item for item in document.items}
    document, applied = apply_corrections(document, corrections)
    items = list(document.items)
    item_ids = {i.id for i in items}

    # Departments and hotlines.
    hotline_rows = read_csv(
        curated / "hotlines.csv",
        ("number", "name", "hours", "in_document", "source", "note"),
    )
    hotlines = {}
    for row in hotline_rows:
        where = f"hotlines.csv, line {row['_line']}"
        if row["in_document"] not in ("yes", "no"):
            raise BuildError(f"{where}: in_document must be yes or no")
        in_doc = row["in_document"] == "yes"
        if in_doc != (row["number"] in text):
            state = "is not" if in_doc else "is"
            raise BuildError(
                f"{where}: {row['number']} {state} in the document; fix in_document"
            )
        if row["hours"] and in_doc and row["hours"] not in text:
            raise BuildError(
                f"{where}: hours '{row['hours']}' not found in the document"
            )
        line = next(
            (n for n, ln in enumerate(text.split("\n"), 1) if row["number"] in ln), None
        )
        hotlines[row["number"]] = {
            "number": row["number"],
            "name": row["name"],
            "hours": row["hours"] or None,
            "in_document": int(in_doc),
            "source": row["source"],
            "source_line": line if in_doc else None,
            "note": row["note"] or None,
        }
    if FALLBACK_HOTLINE not in hotlines:
        raise BuildError(f"hotlines.csv must list the fallback {FALLBACK_HOTLINE}")

    department_rows = read_csv(
        curated / "departments.csv",
        ("department", "short_names", "hotline", "renamed_to", "note"),
    )
    departments: dict[str, dict] = {}
    short_seen: dict[str, str] = {}
    for position, row in enumerate(department_rows, start=1):
        where = f"departments.csv, line {row['_line']}"
        if row["hotline"] not in hotlines:
            raise BuildError(
                f"{where}: hotline {row['hotline']} is not in hotlines.csv"
            )
        for short in _split(row["short_names"]):
            if short in short_seen:
                raise BuildError(
                    f"{where}: short name '{short}' also used by {short_seen[short]}"
                )
            short_seen[short] = row["department"]
        departments[row["department"]] = {
            "id": position,
            "name": row["department"],
            "short_names": "|".join(_split(row["short_names"])),
            "hotline": row["hotline"],
            "renamed_to": row["renamed_to"] or None,
            "note": row["note"] or None,
        }

    item_departments = []
    for item in items:
        names = parse.split_departments(item.departments)
        for position, name in enumerate(names, start=1):
            if name not in departments:
                raise BuildError(
                    f"item {item.id}: department '{name}' is not in departments.csv "
                    "(add it, or a correction if it is a typo)"
                )
            item_departments.append(
                {
                    "item_id": item.id,
                    "position": position,
                    "department_id": departments[name]["id"],
                    "department": name,
                    "is_lead": int(position == 1),
                }
            )
    task_rows, task_unit_rows = [], []
    for task in document.tasks:
        units = parse.task_units(task.units)
        for position, unit in enumerate(units, start=1):
            if unit not in departments:
                raise BuildError(
                    f"task {task.id}: unit '{unit}' is not in departments.csv"
                )
            task_unit_rows.append(
                {
                    "task_id": task.id,
                    "position": position,
                    "unit": unit,
                    "department_id": departments[unit]["id"],
                }
            )
        task_rows.append(
            {
                "id": task.id,
                "text": task.text,
                "units_text": task.units,
                "line": task.line,
            }
        )

    # Aliases.
    alias_rows = read_csv(curated / "aliases.csv", ("alias", "items", "note"))
    aliases = []
    seen_alias = set()
    for row in alias_rows:
        where = f"aliases.csv, line {row['_line']}"
        alias = normalize(row["alias"]).lower()
        if len(alias) < 2:
            raise BuildError(f"{where}: alias must be at least 2 characters")
        if alias in seen_alias:
            raise BuildError(
                f"{where}: alias '{alias}' listed twice; put all its items on one row"
            )
        seen_alias.add(alias)
        for item_id in _ids(row["items"], where, item_ids):
            aliases.append(
                {"alias": alias, "item_id": item_id, "note": row["note"] or None}
            )
    per_item = {i: 0 for i in item_ids}
    for a in aliases:
        per_item[a["item_id"]] += 1
    thin = [str(i) for i, n in sorted(per_item.items()) if n < 2]
    if thin:
        raise BuildError(
            f"aliases.csv: items with fewer than 2 aliases: {', '.join(thin)}"
        )

    # Groups.
    group_rows = read_csv(
        curated / "groups.csv",
        ("group", "synonyms", "keywords", "add_items", "remove_items", "note"),
    )
    groups, item_groups = [], []
    for position, row in enumerate(group_rows, start=1):
        where = f"groups.csv, line {row['_line']}"
        keywords = _split(row["keywords"])
        add = _ids(row["add_items"], where, item_ids)
        remove = set(_ids(row["remove_items"], where, item_ids))
        links: dict[int, str] = {}
        for item in items:
            hit = next((k for k in keywords if k in item.target), None)
            if hit and item.id not in remove:
                links[item.id] = f"服务对象 contains '{hit}'"
        for item_id in add:
            if item_id in links:
                raise BuildError(
                    f"{where}: item {item_id} is added but the keywords already link it"
                )
            links[item_id] = "reviewed addition"
        if not links:
            raise BuildError(f"{where}: group '{row['group']}' serves no item")
        groups.append(
            {
                "id": position,
                "name": row["group"],
                "synonyms": "|".join(_split(row["synonyms"])),
                "keywords": "|".join(keywords),
                "note": row["note"] or None,
            }
        )
        for item_id in sorted(links):
            item_groups.append(
                {"item_id": item_id, "group_id": position, "reason": links[item_id]}
            )

    ages = derive_ages(
        items,
        read_csv(
            curated / "age_bounds.csv",
            (
                "item",
                "field",
                "phrase",
                "min_age",
                "max_age",
                "applies_to",
                "scope",
                "note",
            ),
        ),
    )

    domain_rows = read_csv(curated / "domains.csv", ("domain", "short_names"))
    domain_short = {r["domain"]: _split(r["short_names"]) for r in domain_rows}
    if set(domain_short) != set(DOMAINS):
        raise BuildError("domains.csv must list exactly the 8 domains of the document")
    domains = []
    for domain_id, name in enumerate(DOMAINS, start=1):
        members = [i.id for i in items if i.domain_id == domain_id]
        domains.append(
            {
                "id": domain_id,
                "name": name,
                "short_names": "|".join(domain_short[name]),
                "first_item": min(members),
                "last_item": max(members),
            }
        )

    # Items with their item-level age bounds (the rows whose bound covers everyone).
    item_rows = []
    for item in items:
        whole = [
            a
            for a in ages
            if a["item_id"] == item.id
            and a["field"] == "target"
            and a["scope"] == "whole"
        ]
        item_rows.append(
            {
                "id": item.id,
                "domain_id": item.domain_id,
                "name": item.name,
                "target": item.target,
                "standard": item.standard,
                "funding": item.funding,
                "departments_text": item.departments,
                "departments_text_original": published[item.id].departments,
                "min_age": whole[0]["min_age"] if whole else None,
                "max_age": whole[0]["max_age"] if whole else None,
                "line": item.line,
            }
        )
    sections = [row for item in items for row in section_rows(item)]

    indicators = []
    for indicator in document.indicators:
        name, unit = parse.split_label(indicator.label)
        row = {
            "id": indicator.id,
            "domain_id": indicator.domain_id,
            "name": name,
            "unit": unit,
            "label": indicator.label,
            "value_2015": indicator.value_2015,
            "target_2020": indicator.target_2020,
            "cumulative": indicator.cumulative,
            "line": indicator.line,
        }
        for column in ("value_2015", "target_2020", "cumulative"):
            row[f"{column}_num"], row[f"{column}_cmp"] = parse_figure(
                getattr(indicator, column)
            )
        if not unit:
            raise BuildError(
                f"indicator {indicator.id} '{indicator.label}' has no unit: add a correction"
            )
        indicators.append(row)

    # The user dictionary shared by the FTS index, search queries and the NLU pipeline.
    kinds: dict[str, set[str]] = {}

    def word(term: str, kind: str) -> None:
        kinds.setdefault(normalize(term).lower(), set()).add(kind)

    for item in items:
        word(item.name, "service")
    for a in aliases:
        word(a["alias"], "alias")
    for g in groups:
        for term in [g["name"], *_split(g["synonyms"])]:
            word(term, "group")
    for d in departments.values():
        for term in [
            d["name"],
            *_split(d["short_names"]),
            *([d["renamed_to"]] if d["renamed_to"] else []),
        ]:
            word(term, "department")
    for d in domains:
        for term in [d["name"], *_split(d["short_names"])]:
            word(term, "domain")
    words = dictionary_words(kinds)
    dictionary = [{"word": w, "kinds": " ".join(sorted(kinds[w]))} for w in words]

    segmenter = shared_segmenter(tuple(words))
    alias_text = {i: [] for i in item_ids}
    for a in aliases:
        alias_text[a["item_id"]].append(a["alias"])
    group_text = {i: [] for i in item_ids}
    group_names = {g["id"]: [g["name"], *_split(g["synonyms"])] for g in groups}
    for link in item_groups:
        group_text[link["item_id"]].extend(group_names[link["group_id"]])
    search_rows = [
        {
            "id": item.id,
            "name": segmenter.index_text(normalize(item.name)),
            "aliases": segmenter.index_text(" ".join(alias_text[item.id])),
            "groups": segmenter.index_text(" ".join(group_text[item.id])),
            "target": segmenter.index_text(normalize(item.target, 5000)),
            "standard": segmenter.index_text(normalize(item.standard, 5000)),
        }
        for item in items
    ]

    not_in_list = not_in_list_rows(curated, items, aliases)
    examples = example_rows(curated, item_ids)
    situations = situation_rows(curated, item_ids)

    counts = {
        "items": len(items),
        "domains": len(domains),
        "departments": len(departments),
        "hotlines": len(hotlines),
        "indicators": len(indicators),
        "tasks": len(task_rows),
        "aliases": len({a["alias"] for a in aliases}),
        "alias_links": len(aliases),
        "groups": len(groups),
        "group_links": len(item_groups),
        "age_bounds": len(ages),
        "corrections": len(applied),
        "dictionary_words": len(dictionary),
        "not_in_list": len(not_in_list),
        "examples": len(examples),
        "situations": len(situations),
    }
    return {
        "counts": counts,
        "corrections": applied,
        "tables": {
            "domains": (domains, "id"),
            "items": (item_rows, "id"),
            "item_sections": (sections, ("item_id", "position")),
            "item_ages": (
                [{"position": n, **a} for n, a in enumerate(ages, 1)],
                "position",
            ),
            "hotlines": (
                sorted(hotlines.values(), key=lambda h: h["number"]),
                "number",
            ),
            "departments": (list(departments.values()), "id"),
            "item_departments": (item_departments, ("item_id", "position")),
            "indicators": (indicators, "id"),
            "tasks": (task_rows, "id"),
            "task_units": (task_unit_rows, ("task_id", "position")),
            "aliases": (aliases, ("alias", "item_id")),
            "groups": (groups, "id"),
            "item_groups": (item_groups, ("item_id", "group_id")),
            "corrections_applied": (
                [{"position": n, **c} for n, c in enumerate(applied, 1)],
                "position",
            ),
            "dictionary": (dictionary, "word"),
            "not_in_list": (not_in_list, "topic"),
            "item_examples": (examples, "position"),
            "situations": (situations, "position"),
            "item_search": (search_rows, "id"),
        },
    }


def not_in_list_rows(
    curated: Path, items: list, aliases: list[dict]
) -> list[dict[str, str]]:
    """Topics citizens ask about that the list does not cover (kb/curated/
    not_in_list.csv): the assistant says so plainly instead of guessing an item.

    A topic the list does cover would hide a real answer, so one that an item's name,
    服务对象 or 服务指导标准 contains, or that is an alias, stops the build.
    """
    alias_names = {a["alias"] for a in aliases}
    rows, seen = [], {}
    for row in read_csv(curated / "not_in_list.csv", ("topic", "note")):
        where = f"not_in_list.csv, line {row['_line']}"
        topic = normalize(row["topic"]).lower()
        if len(topic) < 2:
            raise BuildError(f"{where}: a topic needs two characters or more")
        if topic in seen:
            raise BuildError(f"{where}: '{topic}' is listed on line {seen[topic]} too")
        seen[topic] = row["_line"]
        if topic in alias_names:
            raise BuildError(f"{where}: '{topic}' is an alias of a list item")
        for item in items:
            if topic in f"{item.name} {item.target} {item.standard}":
                raise BuildError(f"{where}: item {item.id} mentions '{topic}'")
        rows.append({"topic": topic, "note": row["note"]})
    return rows


def example_rows(curated: Path, item_ids: set[int]) -> list[dict]:
    """Citizens' questions per item (kb/curated/examples.csv; see kb/examples.py).

    Each text is stored normalised; one written for two items would point both ways,
    so a repeated text stops the build.
    """
    rows, seen = [], {}
    for row in read_csv(curated / "examples.csv", ("item", "text")):
        where = f"examples.csv, line {row['_line']}"
        ids = _ids(row["item"], where, item_ids)
        if len(ids) != 1:
            raise BuildError(f"{where}: an example belongs to exactly one item")
        item_id = ids[0]
        text = normalize(row["text"])
        if len(text) < 4:
            raise BuildError(f"{where}: an example needs four characters or more")
        if text in seen:
            raise BuildError(f"{where}: the same text as line {seen[text]}")
        seen[text] = row["_line"]
        rows.append({"position": len(rows) + 1, "item_id": item_id, "text": text})
    return rows


SITUATION_PARTS = 4
"""At most this many parts in a situation: more would describe one message, not a kind."""


def situation_rows(curated: Path, item_ids: set[int]) -> list[dict]:
    """Situations that name an item by words apart from each other (kb/curated/
    situations.csv): "独生子…车祸…没了" is 计划生育家庭特别扶助 however much is said
    between the words, which no single alias can catch.

    ``words`` is parts joined by "+", each part alternatives joined by "|"; the parts
    must appear in that order (kb.query.KnowledgeBase.match_situations). One part alone
    is an alias; a later part may be one character ("岁"), the first may not, or it
    would start a match almost anywhere.
    """
    rows, seen = [], {}
    for row in read_csv(curated / "situations.csv", ("words", "items", "note")):
        where = f"situations.csv, line {row['_line']}"
        parts = [_split(part) for part in row["words"].split("+")]
        if not 2 <= len(parts) <= SITUATION_PARTS or not all(parts):
            raise BuildError(
                f"{where}: a situation is 2–{SITUATION_PARTS} parts joined by '+', "
                "each a word or words joined by '|'"
            )
        short = [w for w in parts[0] if len(normalize(w)) < 2]
        if short:
            raise BuildError(
                f"{where}: '{short[0]}' is one character; a situation starts with "
                "words of two or more"
            )
        words = "+".join("|".join(normalize(w).lower() for w in p) for p in parts)
        if words in seen:
            raise BuildError(f"{where}: the same words as line {seen[words]}")
        seen[words] = row["_line"]
        ids = _ids(row["items"], where, item_ids)
        if not ids:
            raise BuildError(f"{where}: name the item(s) the situation is about")
        rows.append(
            {
                "position": len(rows) + 1,
                "words": words,
                "items": " ".join(map(str, ids)),
                "note": row["note"] or None,
            }
        )
    return rows


def write_database(path: Path, data: dict, sha: str, source_name: str) -> None:
    """Write all tables into a fresh SQLite file at ``path``."""
    connection = sqlite3.connect(path)
    try:
        db = sqlite_utils.Database(connection)
        with connection:
            db["meta"].insert_all(
                [
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "source_sha256", "value": sha},
                    {"key": "source_name", "value": source_name},
                    {
                        "key": "counts",
                        "value": json.dumps(
                            data["counts"], ensure_ascii=False, sort_keys=True
                        ),
                    },
                ],
                pk="key",
            )
            for name, (rows, pk) in data["tables"].items():
                if rows:
                    db[name].insert_all(rows, pk=pk)
                else:
                    db[name].create({"placeholder": str})
            db["item_search"].enable_fts(
                list(FTS_COLUMNS), create_triggers=False, tokenize="unicode61"
            )
        db.execute("INSERT INTO item_search_fts(item_search_fts) VALUES('optimize')")
        connection.commit()
        db.vacuum()
    finally:
        connection.close()
