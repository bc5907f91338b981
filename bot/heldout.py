"""The held-out set (tests/heldout/) and how a reply is judged against it.

Plain data and plain functions: loading, and checking one reply, need no server, so the
evaluation (bot.evaluate), the slow pytest run and unit tests share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot import settings

HELDOUT_DIR = settings.ROOT / "tests" / "heldout"
QUESTIONS_FILE = HELDOUT_DIR / "questions.yml"
FRESH_FILE = HELDOUT_DIR / "questions_fresh.yml"
"""A later batch, run once after the training data was frozen (its own figure)."""
DIALOGUES_FILE = HELDOUT_DIR / "dialogues.yml"

ITEM_FACETS = {
    "info",
    "eligibility",
    "standard",
    "department",
    "hotline",
    "funding",
    "check",
}
"""Facets answered about one item: such a reply must name the item's lead department
and hotline (the issue's "adds the department and hotline in one short line")."""

_ITEM_REF = re.compile(r"第(\d{1,2})项")
_ERROR_WORDS = ("Traceback", "Internal Server Error")
_AT_LEAST_RE = re.compile(r"^(?:>|＞|大于)\s*(\d+(?:\.\d+)?)$|^(\d+(?:\.\d+)?)\s*以上$")
"""The indicator table's notation (">90", "30以上"), which writers copy from the
document; a reply says the same target in words ("90%以上", "25万人以上")."""


def holds(reply: str, expected: str) -> bool:
    """True when the reply states `expected`: verbatim, or, for a target written in
    the table's ">N" notation, as "N…以上" (N, then at most a unit, then 以上)."""
    if expected in reply:
        return True
    bound = _AT_LEAST_RE.match(expected.strip())
    if bound is None:
        return False
    number = re.escape(bound.group(1) or bound.group(2))
    unit = r"(?:%|‰|万人次|万人|万套|万|人次|人|户|个|张|岁)?"  # the table's units, and more
    return re.search(rf"(?<![\d.]){number}{unit}以上", reply) is not None


@dataclass(frozen=True)
class Turn:
    """One message and what its reply must show (see tests/heldout/questions.yml)."""

    text: str
    intents: tuple[str, ...] = ()
    items: tuple[int, ...] = ()
    facet: str = "none"
    contains: tuple[str, ...] = ()
    reply_any: bool = False
    not_slash: bool = False
    batch: str = ""
    """The file it came from (questions_fresh3): batches were written at different
    times, and a batch's first run is the honest measure of generalisation."""


@dataclass(frozen=True)
class Dialogue:
    name: str
    turns: tuple[Turn, ...]
    batch: str = ""


def _turn(raw: dict, batch: str = "") -> Turn:
    text = str(raw.get("text", ""))
    text *= int(raw.get("text_repeat", 1))
    return Turn(
        text=text,
        intents=_intents(raw.get("intent")),
        items=tuple(int(i) for i in raw.get("items") or ()),
        facet=str(raw.get("facet", "none")),
        contains=tuple(str(c) for c in raw.get("contains") or ()),
        reply_any=bool(raw.get("reply_any", False)),
        not_slash=bool(raw.get("not_slash", False)),
        batch=batch,
    )


def _intents(value: object) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def load_questions(*paths: Path) -> list[Turn]:
    """Questions from the given files; by default every tests/heldout/questions*.yml."""
    files = paths or tuple(sorted(HELDOUT_DIR.glob("questions*.yml")))
    turns: list[Turn] = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        turns += [_turn(raw, path.stem) for raw in data["questions"]]
    return turns


def load_dialogues(*paths: Path) -> list[Dialogue]:
    """Dialogues from the given files; by default every tests/heldout/dialogues*.yml."""
    files = paths or tuple(sorted(HELDOUT_DIR.glob("dialogues*.yml")))
    dialogues: list[Dialogue] = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        dialogues += [
            Dialogue(
                str(d["name"]),
                tuple(_turn(t, path.stem) for t in d["turns"]),
                path.stem,
            )
            for d in data["dialogues"]
        ]
    return dialogues


def all_texts() -> list[str]:
    """Every held-out message text (for the no-overlap-with-training check)."""
    texts = [q.text for q in load_questions()]
    texts += [t.text for d in load_dialogues() for t in d.turns]
    return [t for t in texts if t]


def mentioned_items(reply: str, names: dict[int, str]) -> list[int]:
    """Item numbers a reply names, in order of first appearance.

    An item counts as named by 「第N项」 or by its full 服务项目 name.
    """
    positions: dict[int, int] = {}
    for match in _ITEM_REF.finditer(reply):
        item_id = int(match.group(1))
        if item_id in names:
            positions.setdefault(item_id, match.start())
    for item_id, name in names.items():
        at = reply.find(name)
        if at >= 0 and (item_id not in positions or at < positions[item_id]):
            positions[item_id] = at
    return [i for i, _ in sorted(positions.items(), key=lambda pair: pair[1])]


@dataclass
class Verdict:
    """The checks one reply passed or failed; None = not applicable."""

    intent: bool | None = None
    item: bool | None = None
    department: bool | None = None
    hotline: bool | None = None
    contains: bool | None = None
    sensible: bool = True
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Fully right: every applicable check passed, the intent included."""
        return self.answer_ok and self.intent is not False

    @property
    def answer_ok(self) -> bool:
        """What the citizen sees is right (item, department, hotline, facts), whatever
        intent NLU chose on the way."""
        checks = (self.item, self.department, self.hotline, self.contains)
        return self.sensible and all(c is not False for c in checks)


def judge(
    turn: Turn,
    reply: str,
    intent: str | None,
    names: dict[int, str],
    lead_departments: dict[int, str],
    hotlines: dict[int, str],
    slash_seen: bool = False,
) -> Verdict:
    """Checks one reply against what the held-out turn expects.

    Args:
        turn: the expected outcome.
        reply: every text the assistant sent back for this message, joined.
        intent: the intent Rasa gave the message (from the tracker), if known.
        names: item id -> 服务项目 name.
        lead_departments: item id -> lead department (document name, corrected).
        hotlines: item id -> hotline number (kb.hotline(item_id).number).
        slash_seen: the tracker shows Rasa read text starting with "/".
    """
    v = Verdict()
    if not reply.strip() or any(word in reply for word in _ERROR_WORDS):
        v.sensible = False
        v.problems.append("no sensible reply")
    if turn.not_slash and slash_seen:
        v.sensible = False
        v.problems.append("a leading '/' reached Rasa")
    if turn.reply_any:
        return v
    if turn.intents:
        v.intent = intent in turn.intents
        if not v.intent:
            v.problems.append(f"intent {intent} not in {'/'.join(turn.intents)}")
    if turn.items:
        named = mentioned_items(reply, names)
        if len(turn.items) == 1:
            v.item = bool(named) and named[0] == turn.items[0]
        else:
            v.item = all(i in named for i in turn.items)
        if not v.item:
            v.problems.append(f"items named {named[:6]} != expected {list(turn.items)}")
        if len(turn.items) == 1 and turn.facet in ITEM_FACETS:
            item_id = turn.items[0]
            v.department = lead_departments[item_id] in reply
            v.hotline = hotlines[item_id] in reply
            if not v.department:
                v.problems.append(f"department {lead_departments[item_id]} missing")
            if not v.hotline:
                v.problems.append(f"hotline {hotlines[item_id]} missing")
    if turn.contains:
        missing = [c for c in turn.contains if not holds(reply, c)]
        v.contains = not missing
        if missing:
            v.problems.append(f"missing {missing}")
    return v


def percentile(values: Iterable[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of values; 0.0 when empty."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]
