"""Read-only query API over the built knowledge base (``build/kb.db``).

The actions, the NLU generator and the command line use this module only; none of them
reads SQL. The database is small (81 items), so :meth:`KnowledgeBase.open` loads every
record into frozen dataclasses once; only free-text search touches SQLite (the FTS5
index). The connection is read-only (``mode=ro``) and shared under a lock, so one
instance can serve a threaded or async action server.

Search combines two kinds of evidence:

* term matches (:meth:`KnowledgeBase.match_terms`): a longest-match scan for curated
  aliases and item names (strong evidence for their items), and for groups,
  departments and domains (weak evidence for every item they cover);
* BM25 over the jieba-segmented FTS index (name, aliases, groups, 服务对象,
  服务指导标准), which finds items whose text shares words with the question.

An age in the question (``我爸70岁``) favours items whose stated age range contains it
and pushes down those whose whole population is outside it.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kb.build import FALLBACK_HOTLINE, SCHEMA_VERSION
from kb.examples import ExampleIndex
from kb.phonetic import PhoneticIndex
from kb.segment import shared_segmenter
from kb.textnorm import normalize

REBUILD_HINT = "build it with `make kb` (or `python -m kb build`)"


SIBLINGS = 2
"""Items paired by an alias of exactly two items are siblings (KnowledgeBase.siblings)."""

SITUATION_GAP = 16
"""How many characters may lie between two words of a situation: a clause or two of a
colloquial message ("医保报完还得自己掏三万多 家里吃低保 剩下的还能给救助多少")."""


def situation_pattern(words: str) -> re.Pattern[str]:
    """The regex for a situation's words ("独生子|独生女+车祸|没了"): its parts in order,
    at most SITUATION_GAP characters apart; the gaps as short as they can be."""
    parts = ["(?:" + "|".join(map(re.escape, p.split("|"))) + ")" for p in words.split("+")]
    return re.compile(f".{{0,{SITUATION_GAP}}}?".join(parts), re.DOTALL)


class KnowledgeBaseError(Exception):
    """The knowledge base file is missing, unreadable or from another schema version."""


class Section(NamedTuple):
    """A labelled paragraph of a multi-paragraph 服务对象 (items 48, 49)."""

    label: str
    target_text: str
    standard_text: str


class AgeRange(NamedTuple):
    """An age phrase of an item: ``65岁及以上`` → min_age 65, max_age None.

    ``scope`` is ``whole`` when the bound applies to everyone the item serves, ``part``
    when it qualifies one of several populations (``applies_to``).
    """

    min_age: int | None
    max_age: int | None
    phrase: str
    applies_to: str
    field: str
    scope: str

    def contains(self, age: int) -> bool:
        """Whether ``age`` is inside the range."""
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )


@dataclass(frozen=True)
class Item:
    """One of the 81 items of 附件1, with corrected texts.

    ``departments`` holds the corrected names, lead first; ``departments_original`` the
    牵头负责部门 cell as published. ``min_age``/``max_age`` are set only where the age
    stated in 服务对象 covers everyone the item serves; ``age_ranges`` has every age
    phrase with its scope.
    """

    id: int
    domain_id: int
    domain: str
    name: str
    target: str
    standard: str
    funding: str
    departments: tuple[str, ...]
    aliases: tuple[str, ...]
    groups: tuple[str, ...]
    min_age: int | None
    max_age: int | None
    sections: tuple[Section, ...]
    age_ranges: tuple[AgeRange, ...] = ()
    departments_original: str = ""
    line: int = 0

    @property
    def lead_department(self) -> str:
        """The 牵头 department (first listed)."""
        return self.departments[0]


@dataclass(frozen=True)
class SearchHit:
    """One ranked search result; ``matched_terms`` are the terms that pointed at it."""

    item: Item
    score: float
    matched_terms: tuple[str, ...]
    text_words: tuple[str, ...] = ()
    """Words of the question that the item's searchable text contains, each once (see
    _outermost_words): how much of the question a weak hit explains."""

    @property
    def weak(self) -> bool:
        """Only word overlap with the item's text supports this hit.

        No alias, item name, group, department or domain was found in the question.
        Out-of-scope questions (结婚登记, 个人所得税) produce only weak hits, and so do a
        few real ones (请律师太贵了…): confirm a weak hit before answering with it.
        """
        return not self.matched_terms


@dataclass(frozen=True)
class TermMatch:
    """A known term found in (normalised) text, with the items it points at.

    ``start``/``end`` index into ``normalize(text)``. ``canonical`` is the name the term
    stands for (the group, department or domain name; the item name for a service).
    """

    term: str
    kind: str
    item_ids: tuple[int, ...]
    start: int
    end: int
    canonical: str = ""


@dataclass(frozen=True)
class Hotline:
    """A phone number to give a citizen, and where it comes from.

    ``in_document`` says whether the published document names the number; national
    numbers it does not name are labelled so in ``source``.
    """

    number: str
    name: str
    hours: str | None
    source: str
    in_document: bool
    department: str = ""
    note: str | None = None


@dataclass(frozen=True)
class Indicator:
    """A row of 主要发展指标: texts as published plus numbers where parseable.

    ``*_cmp`` is ``=``, ``>`` or ``>=`` (``>95`` → 95 and ``>``; ``30以上`` → 30 and
    ``>=``); both are None where the cell is ``-`` or empty.
    """

    id: int
    domain_id: int
    domain: str
    name: str
    unit: str
    value_2015: str
    target_2020: str
    cumulative: str
    value_2015_num: float | None
    value_2015_cmp: str | None
    target_2020_num: float | None
    target_2020_cmp: str | None
    cumulative_num: float | None
    cumulative_cmp: str | None
    label: str = ""


@dataclass(frozen=True)
class Task:
    """A key task of 附件2 with its lead units."""

    id: int
    text: str
    units: tuple[str, ...]
    units_text: str


@dataclass(frozen=True)
class Group:
    """A population group and the items that serve it."""

    id: int
    name: str
    synonyms: tuple[str, ...]
    item_ids: tuple[int, ...]


@dataclass(frozen=True)
class Domain:
    """One of the eight domains."""

    id: int
    name: str
    short_names: tuple[str, ...]
    item_ids: tuple[int, ...]


@dataclass(frozen=True)
class Department:
    """A department named in the document, with its hotline number."""

    id: int
    name: str
    short_names: tuple[str, ...]
    hotline: str
    renamed_to: str | None
    note: str | None
    item_ids: tuple[int, ...]


@dataclass(frozen=True)
class Correction:
    """A correction the build applied to the published text."""

    record: str
    key: int
    field: str
    original: str
    corrected: str
    why: str
    line: int


# Evidence weights for search. Term matches are curated, so they dominate; BM25 adds
# the rest and orders items that no term names.
_W_NAME = 6.0
_W_ALIAS = 5.0
_W_GROUP = 2.0
_W_DEPARTMENT = 1.0
_W_DOMAIN = 1.0
_W_FTS = 4.0
_W_COVERAGE = 0.8
_W_VARIANT = 0.4
_W_LITERAL = 1.5
_W_UNNAMED_GROUP = -1.2
_W_NAMED_GROUP = 1.0
_W_AGE_IN = 1.5
_W_AGE_OUT = -4.0
_BM25_WEIGHTS = (8.0, 6.0, 1.0, 2.5, 1.0)  # name, aliases, groups, target, standard
_MAX_QUERY_TERMS = 24

_KIND_WEIGHT = {
    "service": _W_NAME,
    "alias": _W_ALIAS,
    "group": _W_GROUP,
    "department": _W_DEPARTMENT,
    "domain": _W_DOMAIN,
}
_AGE = re.compile(r"(\d{1,3})\s*(?:周岁|岁)")
_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_AGE = re.compile(
    r"([一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])\s*(?:周岁|岁)"
)


def _chinese_number(text: str) -> int:
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def ages_in(text: str) -> list[int]:
    """Ages stated in normalised text: ``70岁`` and ``七十岁`` → 70."""
    ages = [int(m.group(1)) for m in _AGE.finditer(text)]
    ages += [_chinese_number(m.group(1)) for m in _CN_AGE.finditer(text)]
    return [a for a in ages if 0 <= a <= 120]


def _fts_query(terms: list[str]) -> str:
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms if t.strip()]
    return " OR ".join(quoted[:_MAX_QUERY_TERMS])


class KnowledgeBase:
    """The knowledge base: open with :meth:`open`, then query."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._connection = connection
        self._lock = threading.Lock()
        self._phonetic: PhoneticIndex | None = None
        self.path = path
        self._load()

    # --- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None) -> KnowledgeBase:
        """Open the knowledge base read-only.

        Args:
            path: The database file; default ``settings.KB_PATH``.

        Raises:
            KnowledgeBaseError: The file is missing, empty, not a knowledge base, or
                from another schema version; the message says how to rebuild.
        """
        if path is None:
            from bot import settings

            path = settings.KB_PATH
        path = Path(path)
        if not path.is_file():
            raise KnowledgeBaseError(
                f"knowledge base not found at {path}: {REBUILD_HINT}"
            )
        if path.stat().st_size == 0:
            raise KnowledgeBaseError(
                f"knowledge base {path} is empty: re{REBUILD_HINT}"
            )
        uri = path.resolve().as_uri() + "?mode=ro"
        try:
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as exc:
            raise KnowledgeBaseError(
                f"cannot open {path} ({exc}): re{REBUILD_HINT}"
            ) from None
        try:
            meta = dict(connection.execute("SELECT key, value FROM meta"))
            version = int(meta.get("schema_version", "0"))
        except (sqlite3.Error, ValueError) as exc:
            connection.close()
            raise KnowledgeBaseError(
                f"{path} is not a knowledge base or is damaged ({exc}): re{REBUILD_HINT}"
            ) from None
        if version != SCHEMA_VERSION:
            connection.close()
            raise KnowledgeBaseError(
                f"{path} has schema version {version}, this code reads version "
                f"{SCHEMA_VERSION}: re{REBUILD_HINT}"
            )
        try:
            return cls(connection, path)
        except (sqlite3.Error, KeyError, ValueError, TypeError) as exc:
            connection.close()
            raise KnowledgeBaseError(
                f"{path} is incomplete or damaged ({exc}): re{REBUILD_HINT}"
            ) from None

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._connection.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _rows(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self._connection.execute(sql, params)
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def _load(self) -> None:
        rows = self._rows
        self.meta = {r["key"]: r["value"] for r in rows("SELECT key, value FROM meta")}
        self.source_sha256 = self.meta["source_sha256"]
        domains = {r["id"]: r for r in rows("SELECT * FROM domains ORDER BY id")}
        departments_by_item: dict[int, list[str]] = {}
        for r in rows("SELECT * FROM item_departments ORDER BY item_id, position"):
            departments_by_item.setdefault(r["item_id"], []).append(r["department"])
        aliases_by_item: dict[int, list[str]] = {}
        items_by_alias: dict[str, list[int]] = {}
        for r in rows("SELECT alias, item_id FROM aliases ORDER BY rowid"):
            aliases_by_item.setdefault(r["item_id"], []).append(r["alias"])
            items_by_alias.setdefault(r["alias"], []).append(r["item_id"])
        group_rows = rows("SELECT * FROM groups ORDER BY id")
        links = rows("SELECT * FROM item_groups ORDER BY group_id, item_id")
        groups_by_item: dict[int, list[str]] = {}
        group_names = {g["id"]: g["name"] for g in group_rows}
        for link in links:
            groups_by_item.setdefault(link["item_id"], []).append(
                group_names[link["group_id"]]
            )
        sections: dict[int, list[Section]] = {}
        for r in rows("SELECT * FROM item_sections ORDER BY item_id, position"):
            sections.setdefault(r["item_id"], []).append(
                Section(r["label"], r["target_text"], r["standard_text"])
            )
        ages: dict[int, list[AgeRange]] = {}
        for r in rows("SELECT * FROM item_ages ORDER BY position"):
            ages.setdefault(r["item_id"], []).append(
                AgeRange(
                    r["min_age"],
                    r["max_age"],
                    r["phrase"],
                    r["applies_to"],
                    r["field"],
                    r["scope"],
                )
            )
        self._items: dict[int, Item] = {}
        for r in rows("SELECT * FROM items ORDER BY id"):
            self._items[r["id"]] = Item(
                id=r["id"],
                domain_id=r["domain_id"],
                domain=domains[r["domain_id"]]["name"],
                name=r["name"],
                target=r["target"],
                standard=r["standard"],
                funding=r["funding"],
                departments=tuple(departments_by_item[r["id"]]),
                aliases=tuple(aliases_by_item.get(r["id"], ())),
                groups=tuple(groups_by_item.get(r["id"], ())),
                min_age=r["min_age"],
                max_age=r["max_age"],
                sections=tuple(sections.get(r["id"], ())),
                age_ranges=tuple(ages.get(r["id"], ())),
                departments_original=r["departments_text_original"],
                line=r["line"],
            )
        self._domains = [
            Domain(
                d["id"],
                d["name"],
                tuple(_split(d["short_names"])),
                tuple(i.id for i in self._items.values() if i.domain_id == d["id"]),
            )
            for d in domains.values()
        ]
        self._groups = [
            Group(
                g["id"],
                g["name"],
                tuple(_split(g["synonyms"])),
                tuple(link["item_id"] for link in links if link["group_id"] == g["id"]),
            )
            for g in group_rows
        ]
        self._group_names = frozenset(group.name for group in self._groups)
        self._departments = [
            Department(
                d["id"],
                d["name"],
                tuple(_split(d["short_names"])),
                d["hotline"],
                d["renamed_to"],
                d["note"],
                tuple(i.id for i in self._items.values() if d["name"] in i.departments),
            )
            for d in rows("SELECT * FROM departments ORDER BY id")
        ]
        self._hotlines = {h["number"]: h for h in rows("SELECT * FROM hotlines")}
        self._not_in_list = [r["topic"] for r in rows("SELECT topic FROM not_in_list")]
        self._situations = [
            (situation_pattern(r["words"]), r["words"], tuple(int(i) for i in r["items"].split()))
            for r in rows("SELECT * FROM situations ORDER BY 1")
            if "words" in r.keys()  # an empty CSV leaves a placeholder table
        ]
        self._examples = ExampleIndex(
            [
                (r["item_id"], r["text"])
                for r in rows("SELECT * FROM item_examples ORDER BY 1")
                if "item_id" in r.keys()  # an empty CSV leaves a placeholder table
            ]
        )
        # The segmented words search matches, per item (see SearchHit.text_words).
        self._search_words = {
            r["id"]: frozenset(
                " ".join(str(r[c] or "") for c in r.keys() if c != "id").split()
            )
            for r in rows("SELECT * FROM item_search")
        }
        self._indicators = [
            Indicator(
                id=r["id"],
                domain_id=r["domain_id"],
                domain=domains[r["domain_id"]]["name"],
                name=r["name"],
                unit=r["unit"],
                value_2015=r["value_2015"],
                target_2020=r["target_2020"],
                cumulative=r["cumulative"],
                value_2015_num=r["value_2015_num"],
                value_2015_cmp=r["value_2015_cmp"],
                target_2020_num=r["target_2020_num"],
                target_2020_cmp=r["target_2020_cmp"],
                cumulative_num=r["cumulative_num"],
                cumulative_cmp=r["cumulative_cmp"],
                label=r["label"],
            )
            for r in rows("SELECT * FROM indicators ORDER BY id")
        ]
        units: dict[int, list[str]] = {}
        for r in rows("SELECT * FROM task_units ORDER BY task_id, position"):
            units.setdefault(r["task_id"], []).append(r["unit"])
        self._tasks = [
            Task(r["id"], r["text"], tuple(units.get(r["id"], ())), r["units_text"])
            for r in rows("SELECT * FROM tasks ORDER BY id")
        ]
        self._corrections = [
            Correction(
                r["record"],
                r["key"],
                r["field"],
                r["original"],
                r["corrected"],
                r["why"],
                r["line"],
            )
            for r in rows("SELECT * FROM corrections_applied ORDER BY position")
        ]
        self._words = [
            r["word"] for r in rows("SELECT word FROM dictionary ORDER BY word")
        ]
        self.segmenter = shared_segmenter(tuple(self._words))
        self._build_term_index(items_by_alias)

    def _build_term_index(self, items_by_alias: dict[str, list[int]]) -> None:
        # term → list of (kind, canonical, item ids); a term may have several kinds.
        index: dict[str, list[tuple[str, str, tuple[int, ...]]]] = {}

        def add(term: str, kind: str, canonical: str, ids) -> None:
            key = normalize(term).lower()
            if len(key) < 2:
                return
            entries = index.setdefault(key, [])
            if not any(e[0] == kind and e[1] == canonical for e in entries):
                entries.append((kind, canonical, tuple(ids)))

        for item in self._items.values():
            add(item.name, "service", item.name, (item.id,))
        self._siblings: dict[int, set[int]] = {}
        for alias, ids in items_by_alias.items():
            add(alias, "alias", alias, ids)
            for item_id in ids if len(ids) == SIBLINGS else ():
                self._siblings.setdefault(item_id, set()).update(ids)
        for group in self._groups:
            for term in (group.name, *group.synonyms):
                add(term, "group", group.name, group.item_ids)
        for department in self._departments:
            terms = [department.name, *department.short_names]
            if department.renamed_to:
                terms.append(department.renamed_to)
            for term in terms:
                add(term, "department", department.name, department.item_ids)
        for domain in self._domains:
            for term in (domain.name, *domain.short_names):
                add(term, "domain", domain.name, domain.item_ids)
        self._terms = index
        self._max_term = max(len(t) for t in index)
        items = list(self._items.values())
        # Items of another domain whose name says this domain's topic (残疾人基本住房
        # 保障 for 基本住房保障, 残疾人教育 for 基本公共教育).
        self._counterparts = {
            d.id: tuple(
                item.id
                for item in items
                if item.domain_id != d.id
                and any(
                    t in item.name
                    for t in (d.name, d.name.removeprefix("基本"), *d.short_names)
                    if len(t) >= 2
                )
            )
            for d in self._domains
        }
        self._variants = {
            item.id: tuple(
                o.id for o in items if o.id != item.id and item.name in o.name
            )
            for item in items
        }
        # Items named for a population (残疾人…, 老年人…, …儿童…), by the group's own name.
        self._named_groups = {
            item.id: {g.name for g in self._groups if g.name in item.name}
            for item in items
        }
        self._item_text = {
            item.id: normalize(
                f"{item.name} {item.target} {item.standard}", 5000
            ).lower()
            for item in items
        }

    def _items_mentioning(self, term: str) -> list[int]:
        return [item_id for item_id, text in self._item_text.items() if term in text]

    # --- records -------------------------------------------------------------------

    def item(self, item_id: int) -> Item | None:
        """The item with this number (1–81), or None."""
        try:
            return self._items.get(int(item_id))
        except (TypeError, ValueError):
            return None

    def items(self) -> list[Item]:
        """All 81 items, ordered by number."""
        return list(self._items.values())

    def domains(self) -> list[Domain]:
        """The eight domains in document order."""
        return list(self._domains)

    def groups(self) -> list[Group]:
        """The curated population groups."""
        return list(self._groups)

    def group_names(self) -> frozenset[str]:
        """The groups' own names (退役军人, 残疾人), without their synonyms."""
        return self._group_names

    def departments(self) -> list[Department]:
        """Every department named by an item or a task."""
        return list(self._departments)

    def indicators(self) -> list[Indicator]:
        """The 20 主要发展指标."""
        return list(self._indicators)

    def tasks(self) -> list[Task]:
        """The 26 key tasks of 附件2."""
        return list(self._tasks)

    def corrections(self) -> list[Correction]:
        """The corrections the build applied to the published text."""
        return list(self._corrections)

    def dictionary_words(self) -> list[str]:
        """The jieba user dictionary (item names, aliases, groups, departments, domains).

        The NLU pipeline loads the same words (see :func:`kb.segment.user_dict_text`)
        so that it cuts text exactly as the search index does.
        """
        return list(self._words)

    def vocabulary(self) -> dict[str, list[str]]:
        """Terms by entity type, for NLU training data and entity patterns.

        ``service``: item names and aliases; ``group``: group names and synonyms;
        ``department``: names, short names and new names; ``domain``: names and short
        names. Each list is sorted and de-duplicated.
        """
        out: dict[str, set[str]] = {
            "service": set(),
            "group": set(),
            "department": set(),
            "domain": set(),
        }
        for term, entries in self._terms.items():
            for kind, _canonical, _ids in entries:
                out["service" if kind == "alias" else kind].add(term)
        return {k: sorted(v) for k, v in out.items()}

    def _meaning(self, term: str) -> frozenset:
        # What a term points at, whatever its spelling: its kinds and item ids.
        return frozenset((kind, ids) for kind, _, ids in self._terms.get(term, ()))

    def siblings(self, item_id: int) -> list[int]:
        """The items that share a curated alias with this one and no other item, itself
        included, in list order (医保 is 21 and 23); empty when it shares none. A name
        for a whole family (社保, 体检) makes no pair."""
        return sorted(self._siblings.get(item_id, ()))

    def named_for(self, item_id: int) -> set[str]:
        """The groups an item is named for (残疾人 for 残疾人教育); empty for most."""
        return set(self._named_groups.get(item_id, ()))

    def counterparts(self, item_ids: list[int], groups: set[str]) -> list[int]:
        """Items on the same topic as `item_ids` but named for one of `groups`, from
        another domain (图书馆 → 读书看报 → 残疾人文化体育 for 残疾人), in list order.
        Empty when an item in `item_ids` is itself named for the counterpart's group, or
        when each already lists that group among its 服务对象: 参观文化遗产 names
        残疾人, so a disabled visitor's museum ticket stays with it."""
        found = {
            other
            for i in item_ids
            for other in self._counterparts[self._items[i].domain_id]
            if self._named_groups[other] & groups
        }
        named_for = {g for other in found for g in self._named_groups[other]} & groups
        if any(self._named_groups[i] & named_for for i in item_ids) or all(
            set(self._items[i].groups) & named_for for i in item_ids
        ):
            return []
        return sorted(found)

    def not_in_list(self, text: str) -> list[str]:
        """Topics the list does not cover that the text names ("公积金", "身份证"):
        kb/curated/not_in_list.csv."""
        query = normalize(text).lower()
        return [topic for topic in self._not_in_list if topic in query]

    def correct_sounds(self, text: str) -> str:
        """The text with terms written by sound ("dibao", "残急人") spelled as the
        knowledge base does (see kb.phonetic). Expects normalised text."""
        if self._phonetic is None:
            terms = (t for ts in self.vocabulary().values() for t in ts)
            self._phonetic = PhoneticIndex(terms, self._meaning)
        return self._phonetic.correct(text)

    def department(self, name: str) -> Department | None:
        """Resolve a department from its name, short name, new name, with or without 市."""
        key = normalize(name).lower()
        if not key:
            return None
        candidates = [key, "市" + key, key.removeprefix("市")]
        for candidate in candidates:
            for department in self._departments:
                if candidate == department.name or candidate in department.short_names:
                    return department
        for candidate in candidates:
            for department in self._departments:
                if candidate == (department.renamed_to or "") and department.item_ids:
                    return department
        for match in self.match_terms(key):
            if match.kind == "department":
                return next(d for d in self._departments if d.name == match.canonical)
        return None

    def group(self, name: str) -> Group | None:
        """Resolve a group from its name or a synonym (老人 → 老年人)."""
        key = normalize(name).lower()
        for group in self._groups:
            if key == group.name or key in group.synonyms:
                return group
        for match in self.match_terms(key):
            if match.kind == "group":
                return next(g for g in self._groups if g.name == match.canonical)
        return None

    def domain(self, name: str | int) -> Domain | None:
        """Resolve a domain from its number, name or short name (社保 → 基本社会保险)."""
        if isinstance(name, int) or str(name).strip().isdigit():
            number = int(name)
            return (
                self._domains[number - 1] if 1 <= number <= len(self._domains) else None
            )
        key = normalize(name).lower()
        for domain in self._domains:
            if key in (
                domain.name,
                domain.name.removeprefix("基本"),
                *domain.short_names,
            ):
                return domain
        for match in self.match_terms(key):
            if match.kind == "domain":
                return next(d for d in self._domains if d.name == match.canonical)
        return None

    def items_by_department(self, name: str, lead_only: bool = False) -> list[Item]:
        """Items a department is responsible for (``司法局``, ``市司法局``, ``人社局`` …)."""
        department = self.department(name)
        if department is None:
            return []
        return [
            self._items[i]
            for i in department.item_ids
            if not lead_only or self._items[i].lead_department == department.name
        ]

    def items_by_group(self, group: str) -> list[Item]:
        """Items that serve a population group (``老人``, ``残疾人`` …)."""
        found = self.group(group)
        return [self._items[i] for i in found.item_ids] if found else []

    def items_by_domain(self, domain: str | int) -> list[Item]:
        """Items of a domain (``社会保险``, ``基本社会保险``, ``社保`` or 1–8)."""
        found = self.domain(domain)
        return [self._items[i] for i in found.item_ids] if found else []

    def hotline(self, item_id: int) -> Hotline:
        """The number to call about an item: its lead department's hotline.

        Falls back to 12345 (政务服务便民热线) for departments without a line of their
        own and for an unknown item number.
        """
        item = self.item(item_id)
        department = self.department(item.lead_department) if item else None
        number = department.hotline if department else FALLBACK_HOTLINE
        row = self._hotlines[number]
        return Hotline(
            number=row["number"],
            name=row["name"],
            hours=row["hours"],
            source=row["source"],
            in_document=bool(row["in_document"]),
            department=department.name if department else "",
            note=row["note"],
        )

    def hotlines(self) -> list[Hotline]:
        """Every hotline number the knowledge base knows, with its source."""
        return [
            Hotline(
                h["number"],
                h["name"],
                h["hours"],
                h["source"],
                bool(h["in_document"]),
                "",
                h["note"],
            )
            for h in sorted(self._hotlines.values(), key=lambda h: h["number"])
        ]

    # --- text ----------------------------------------------------------------------

    def match_terms(self, text: str) -> list[TermMatch]:
        """Find known terms in text by a leftmost-longest scan.

        Every alias, item name, group, department and domain term is looked for in
        ``normalize(text)`` (lower-cased); at each position the longest term wins and
        the scan continues after it. A term with several kinds (残疾人 is a group and
        part of a domain name) yields one match per kind.
        """
        normal = normalize(text)
        # Scan a compact copy: lower-case, and without the spaces people type between
        # Chinese characters (低 保); ``where`` maps it back to offsets in ``normal``.
        chars, where = [], []
        for index, char in enumerate(normal):
            inner = 0 < index < len(normal) - 1
            if (
                char == " "
                and inner
                and not (normal[index - 1].isascii() or normal[index + 1].isascii())
            ):
                continue
            lower = char.lower()
            chars.append(lower if len(lower) == 1 else char)
            where.append(index)
        query = "".join(chars)
        matches: list[TermMatch] = []
        position = 0
        while position < len(query):
            for length in range(min(self._max_term, len(query) - position), 1, -1):
                term = query[position : position + length]
                entries = self._terms.get(term)
                if entries:
                    start, end = where[position], where[position + length - 1] + 1
                    for kind, canonical, ids in entries:
                        matches.append(
                            TermMatch(term, kind, ids, start, end, canonical)
                        )
                    position += length
                    break
            else:
                position += 1
        return matches

    def match_situations(self, text: str) -> list[TermMatch]:
        """Curated situations told in the text (kb/curated/situations.csv), each once,
        in order of where they start.

        A situation's words must appear in order, each within SITUATION_GAP characters
        of the one before: "独生子前年出车祸没了" tells 独生子+车祸. The match covers
        the span from the first word to the last, so it is the longer match over any
        alias inside it ("医保报完…自己掏…救助" is 医疗救助, not 医保).
        """
        normal = normalize(text)
        query = "".join(c.lower() if len(c.lower()) == 1 else c for c in normal)
        found = []
        for pattern, words, ids in self._situations:
            match = pattern.search(query)
            if match:
                found.append(
                    TermMatch(
                        match.group(0), "situation", ids, match.start(), match.end(), words
                    )
                )
        return sorted(found, key=lambda m: m.start)

    def search(self, text: str, limit: int = 5) -> list[SearchHit]:
        """Rank items for a free-text question, best first.

        Args:
            text: Any text; it is normalised first (traditional, full-width, noise).
            limit: Maximum number of hits.

        Returns:
            Up to ``limit`` hits with a positive score; ties are ordered by item number.
        """
        query = normalize(text)
        if not query or limit <= 0:
            return []
        scores: dict[int, float] = {}
        evidence: dict[int, list[str]] = {}

        def credit(item_id: int, amount: float, term: str | None = None) -> None:
            scores[item_id] = scores.get(item_id, 0.0) + amount
            if term and term not in evidence.setdefault(item_id, []):
                evidence[item_id].append(term)

        matches = self.match_terms(query)
        mentioned_groups = {m.canonical for m in matches if m.kind == "group"}
        covered: dict[int, set[str]] = {}
        for match in matches:
            if match.kind in ("service", "alias"):
                share = _KIND_WEIGHT[match.kind] / math.sqrt(len(match.item_ids))
                share += 0.15 * len(match.term)
                pointed = set(match.item_ids)
                for item_id in match.item_ids:
                    credit(item_id, share, match.term)
                    covered.setdefault(item_id, set()).add(match.term)
                    # A variant whose name contains this item's name (最低生活保障 →
                    # 无业重度残疾人最低生活保障) is a weaker candidate for the same term.
                    for variant in self._variants[item_id]:
                        if variant not in pointed:
                            pointed.add(variant)
                            credit(variant, share * _W_VARIANT, match.term)
                            covered.setdefault(variant, set()).add(match.term)
                    # The same topic for a group the question names: 公租房 (基本住房
                    # 保障) for 残疾人 → 残疾人基本住房保障.
                    domain_id = self._items[item_id].domain_id
                    for other in self._counterparts[domain_id]:
                        if other not in pointed and self._named_groups[other] & (
                            mentioned_groups
                        ):
                            pointed.add(other)
                            credit(other, share * _W_VARIANT, match.term)
                            covered.setdefault(other, set()).add(match.term)
                # Items that do not list the term but say it in their own text
                # (残疾人…缴费资助 mentions 医疗保险) get a little credit too.
                for item_id in self._items_mentioning(match.term):
                    if item_id not in pointed:
                        credit(item_id, _W_LITERAL, match.term)
                        covered.setdefault(item_id, set()).add(match.term)
            else:
                # Groups, departments and domains narrow the field: every member gets
                # the same modest credit, however many members there are.
                for item_id in match.item_ids:
                    credit(item_id, _KIND_WEIGHT[match.kind], match.term)
                    covered.setdefault(item_id, set()).add(match.canonical)
        # An item that several distinct terms point at (残疾 + 孩子 + 上学) fits the
        # question better than one that a single broad term covers.
        for item_id, names in covered.items():
            if len(names) > 1:
                credit(item_id, _W_COVERAGE * (len(names) - 1))
        # An item named for a group (残疾人职业培训…) is the wrong answer to a question
        # that names no such group, when a general item (职业技能培训…) also fits.
        for item_id in list(scores):
            named_for = self._named_groups[item_id]
            if named_for and not (named_for & mentioned_groups):
                credit(item_id, _W_UNNAMED_GROUP)
            elif named_for:
                credit(item_id, _W_NAMED_GROUP)

        terms = self.segmenter.query_terms(query.lower())
        if terms:
            sql = (
                "SELECT rowid, bm25(item_search_fts, ?, ?, ?, ?, ?) AS rank "
                "FROM item_search_fts WHERE item_search_fts MATCH ? ORDER BY rank, rowid"
            )
            try:
                rows = self._rows(sql, (*_BM25_WEIGHTS, _fts_query(terms)))
            except sqlite3.OperationalError:
                rows = []  # a query FTS5 cannot parse still gets the term evidence
            if rows:
                best = -rows[0]["rank"]
                for row in rows:
                    if best > 0:
                        credit(row["rowid"], _W_FTS * (-row["rank"]) / best)

        for age in ages_in(query):
            for item_id in list(scores):
                ranges = self._items[item_id].age_ranges
                if any(r.contains(age) for r in ranges):
                    credit(item_id, _W_AGE_IN, f"{age}岁")
                elif any(r.scope == "whole" and r.field == "target" for r in ranges):
                    credit(item_id, _W_AGE_OUT)

        ranked = sorted(
            (
                (round(score, 4), item_id)
                for item_id, score in scores.items()
                if score > 0
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return [
            SearchHit(
                self._items[item_id],
                score,
                tuple(evidence.get(item_id, ())),
                _outermost_words(terms, self._search_words.get(item_id, frozenset())),
            )
            for score, item_id in ranked[:limit]
        ]

    def closest_example(self, text: str) -> tuple[Item, float, float] | None:
        """The item whose curated example question (kb/curated/examples.csv) is most
        like the text, that likeness (cosine, 0..1) and the next item's, or None."""
        closest = list(self._examples.closest(text).items())  # it normalises
        if not closest:
            return None
        item_id, (likeness, _) = closest[0]
        runner_up = closest[1][1][0] if len(closest) > 1 else 0.0
        return self._items[item_id], likeness, runner_up

    def find_indicators(self, text: str, best_only: bool = False) -> list[Indicator]:
        """Indicators whose name shares words with the text, or of a domain it names,
        best first; with `best_only`, just those sharing the most ("护理型床位比例" is
        养老床位中护理型床位比例, not every indicator with 比例 in its name)."""
        query = normalize(text).lower()
        if not query:
            return []
        terms = [t for t in self.segmenter.query_terms(query) if len(t) >= 2]
        domains = {m.canonical for m in self.match_terms(query) if m.kind == "domain"}
        scored = []
        for indicator in self._indicators:
            name = indicator.name.lower()
            score = sum(len(t) for t in terms if t in name)
            if name in query:
                score += 10
            if indicator.domain in domains:
                score += 1
            if score:
                scored.append((-score, indicator.id, indicator))
        scored.sort()
        if best_only and scored:
            scored = [entry for entry in scored if entry[0] == scored[0][0]]
        return [entry[2] for entry in scored]


def _outermost_words(terms: list[str], words: frozenset[str]) -> tuple[str, ...]:
    """The question's terms found among an item's `words` (a single character also
    inside one: 药 in 药品), leaving out any term that is part of a longer term of the
    question: if the longer one was found it counts instead (大学毕业, not also 大学 and
    毕业); if not, the question is about something else (身份 in 身份证, 医院 in
    宠物医院)."""

    def found(term: str) -> bool:
        return term in words or (len(term) == 1 and any(term in w for w in words))

    return tuple(
        t
        for t in terms
        if not any(t != other and t in other for other in terms) and found(t)
    )


def _split(text: str | None) -> list[str]:
    return [t for t in (text or "").split("|") if t]
