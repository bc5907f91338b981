"""The curators' report: what citizens asked that the assistant could not answer well.

`make report [FROM=2026-11-01 TO=2026-11-30]` reads the tracker store and lists every
citizen message in the date range that ended in a fallback (`nlu_fallback`, or the
dialogue's `action_default_fallback` / `utter_default`) or whose intent confidence was
below `LANGFANG_REPORT_LOW_CONFIDENCE`, grouped by the list item it most likely
concerned (`kb.search`), with counts: the work list for aliases and training data.

Privacy: sender ids (WeChat OpenIDs) appear only as keyed hashes (HMAC-SHA256, key from
LANGFANG_REPORT_HASH_KEY or a random key kept in var/report.key), enough to see that
several messages came from one person and no more; runs of 7+ digits in the text
(phone, ID card numbers) are masked.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import html
import json
import re
import secrets
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from bot import settings

CHINA_TZ = timezone(timedelta(hours=8))
"""Dates in the report are Beijing time, the citizens' calendar (no DST)."""
FALLBACK_ACTIONS = {
    "action_default_fallback",
    "utter_default",
    "action_two_stage_fallback",
}
UNMATCHED = "（未匹配到服务项目）"
_LONG_DIGITS = re.compile(r"\d{7,}")


@dataclass(frozen=True)
class Flagged:
    """One citizen message the assistant handled badly."""

    when: datetime
    sender: str
    """Hashed sender id."""
    text: str
    intent: str | None
    confidence: float | None
    reason: str
    """"fallback", "low confidence" or "dialogue fallback"."""


@dataclass
class Group:
    """Flagged messages that most likely concern one list item."""

    label: str
    item_id: int | None
    messages: list[Flagged] = field(default_factory=list)

    @property
    def senders(self) -> int:
        return len({m.sender for m in self.messages})

    def top_texts(self, n: int = 10) -> list[tuple[str, int]]:
        return Counter(m.text for m in self.messages).most_common(n)


def hash_key() -> bytes:
    """The HMAC key for sender ids: the setting, or a random one kept in var/."""
    if settings.REPORT_HASH_KEY:
        return settings.REPORT_HASH_KEY.encode()
    path = settings.VAR_DIR / "report.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def hash_sender(sender_id: str, key: bytes) -> str:
    """A stable pseudonym for a sender id (12 hex digits)."""
    return hmac.new(key, sender_id.encode(), hashlib.sha256).hexdigest()[:12]


def mask(text: str) -> str:
    """Masks long digit runs (phone, ID card numbers) a citizen may have typed."""
    return _LONG_DIGITS.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 3), text)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"dates look like 2026-11-30, got {text!r}") from exc


def day_bounds(start: date, end: date) -> tuple[float, float]:
    """Unix times from the start of `start` to the end of `end`, Beijing time."""
    lo = datetime.combine(start, datetime.min.time(), CHINA_TZ)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), CHINA_TZ)
    return lo.timestamp(), hi.timestamp()


def flag_messages(
    rows: Iterable[tuple[str, str, float, str | None, str]],
    threshold: float,
    key: bytes,
) -> list[Flagged]:
    """Picks the badly handled messages out of tracker events.

    Args:
        rows: (sender_id, type_name, timestamp, action_name, data json) ordered by
            sender then event id, as stored by Rasa's SQLTrackerStore.
        threshold: intent confidence below which a message is listed.
        key: the sender-hash key.

    Returns:
        The flagged messages in time order.
    """
    flagged: list[Flagged] = []
    pending: dict[str, Any] | None = None  # the sender's last message, not yet flagged

    def flag(msg: dict[str, Any], reason: str) -> None:
        flagged.append(
            Flagged(
                when=datetime.fromtimestamp(msg["ts"], CHINA_TZ),
                sender=hash_sender(msg["sender"], key),
                text=mask(msg["text"]),
                intent=msg["intent"],
                confidence=msg["confidence"],
                reason=reason,
            )
        )

    for sender, type_name, ts, action_name, data in rows:
        if pending is not None and pending["sender"] != sender:
            pending = None
        if type_name == "user":
            event = json.loads(data)
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            name, conf = intent.get("name"), intent.get("confidence")
            msg = {
                "sender": sender,
                "ts": ts,
                "text": event.get("text") or "",
                "intent": name,
                "confidence": conf,
            }
            pending = None
            if name == "nlu_fallback":
                ranking = parse.get("intent_ranking") or []
                best = next((r for r in ranking if r.get("name") != "nlu_fallback"), {})
                msg["intent"], msg["confidence"] = best.get("name"), best.get(
                    "confidence"
                )
                flag(msg, "fallback")
            elif conf is not None and conf < threshold:
                flag(msg, "low confidence")
            else:
                pending = msg
        elif type_name == "action" and action_name in FALLBACK_ACTIONS and pending:
            flag(pending, "dialogue fallback")
            pending = None
    flagged.sort(key=lambda m: m.when)
    return flagged


def group_by_item(
    messages: list[Flagged], search: Callable[[str], list[Any]] | None
) -> list[Group]:
    """Groups messages by the list item `search` finds first for their text.

    Args:
        messages: flagged messages.
        search: `kb.search`-like (text -> hits with `.item.id`, `.item.name`); None
            when the knowledge base is unavailable (everything lands in one group).

    Returns:
        Groups, largest first.
    """
    groups: dict[int | None, Group] = {}
    for msg in messages:
        hits = search(msg.text) if search and msg.text else []
        item = hits[0].item if hits else None
        gid = item.id if item else None
        if gid not in groups:
            label = f"第{item.id}项 {item.name}" if item else UNMATCHED
            groups[gid] = Group(label, gid)
        groups[gid].messages.append(msg)
    return sorted(groups.values(), key=lambda g: (-len(g.messages), g.item_id or 999))


def read_events(engine: Any, start: float, end: float) -> list[tuple]:
    """Events of conversations with a message in [start, end), in stored order."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("events"):
            return []
        return list(
            conn.execute(
                sa.text(
                    "SELECT sender_id, type_name, timestamp, action_name, data"
                    " FROM events"
                    " WHERE timestamp >= :start AND timestamp < :end"
                    " AND type_name IN ('user', 'action')"
                    " ORDER BY sender_id, id"
                ),
                {"start": start, "end": end},
            )
        )


def render_text(groups: list[Group], start: date, end: date, threshold: float) -> str:
    total = sum(len(g.messages) for g in groups)
    lines = [
        f"未能很好回答的市民提问 {start} 至 {end}（北京时间）",
        f"共 {total} 条，来自 {len({m.sender for g in groups for m in g.messages})} 位市民"
        f"（兜底回复或意图置信度低于 {threshold:.2f}；市民标识已哈希）",
        "",
    ]
    for g in groups:
        lines.append(f"{g.label}: {len(g.messages)} 条, {g.senders} 位市民")
        for text, n in g.top_texts():
            lines.append(f"  {n:>4} × {text}")
        lines.append("")
    if not groups:
        lines.append("（这段时间没有需要处理的提问）")
    return "\n".join(lines)


def render_html(groups: list[Group], start: date, end: date, threshold: float) -> str:
    esc = html.escape
    parts = [
        "<!doctype html><meta charset='utf-8'><title>未能很好回答的提问</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "td,th{padding:2px 8px;text-align:left}</style>",
        f"<h1>未能很好回答的市民提问</h1><p>{start} 至 {end}（北京时间）；兜底回复或置信度"
        f"低于 {threshold:.2f}；市民标识为哈希。</p>",
    ]
    for g in groups:
        parts.append(
            f"<h2>{esc(g.label)}：{len(g.messages)} 条，{g.senders} 位市民</h2>"
        )
        parts.append(
            "<table><tr><th>时间</th><th>市民</th><th>提问</th><th>意图</th>"
            "<th>置信度</th><th>原因</th></tr>"
        )
        for m in g.messages:
            conf = "" if m.confidence is None else f"{m.confidence:.2f}"
            parts.append(
                f"<tr><td>{m.when:%m-%d %H:%M}</td><td>{m.sender}</td>"
                f"<td>{esc(m.text)}</td><td>{esc(m.intent or '')}</td><td>{conf}</td>"
                f"<td>{esc(m.reason)}</td></tr>"
            )
        parts.append("</table>")
    return "\n".join(parts)


def build(
    engine: Any, start: date, end: date, threshold: float, search: Callable | None
) -> list[Group]:
    """Reads, flags and groups: the whole report as data."""
    lo, hi = day_bounds(start, end)
    rows = read_events(engine, lo, hi)
    return group_by_item(flag_messages(rows, threshold, hash_key()), search)


def kb_search() -> Callable[[str], list[Any]] | None:
    """`kb.search` limited to the best hit; None (with a note) if the KB is unusable."""
    try:
        from kb.query import KnowledgeBase

        kb = KnowledgeBase.open(settings.KB_PATH)
    except Exception as exc:  # noqa: BLE001 - the report still lists the messages
        print(
            f"note: not grouping by item, the knowledge base is unavailable: {exc}",
            file=sys.stderr,
        )
        return None
    return lambda text: kb.search(text, limit=1)


def main(argv: list[str] | None = None) -> int:
    from bot import stores

    today = datetime.now(CHINA_TZ).date()
    parser = argparse.ArgumentParser(
        prog="python -m bot.report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--from",
        dest="start",
        default=str(today - timedelta(days=30)),
        help="first day, YYYY-MM-DD (default: 30 days ago)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        default=str(today),
        help="last day, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--threshold", type=float, default=settings.REPORT_LOW_CONFIDENCE
    )
    parser.add_argument(
        "--html", type=Path, help="also write the report as a page here"
    )
    args = parser.parse_args(argv)
    try:
        start, end = parse_day(args.start), parse_day(args.end)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if end < start:
        print(f"error: TO ({end}) is before FROM ({start})", file=sys.stderr)
        return 2
    if settings.TRACKER_STORE == "sqlite" and not settings.TRACKER_DB.exists():
        print(f"No tracker store at {settings.TRACKER_DB}: no conversations yet.")
        return 0
    try:
        groups = build(stores.sql_engine(), start, end, args.threshold, kb_search())
    except Exception as exc:  # noqa: BLE001 - e.g. the database server is down
        print(f"error: cannot read the tracker store: {exc}", file=sys.stderr)
        return 1
    print(render_text(groups, start, end, args.threshold))
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_html(groups, start, end, args.threshold), "utf-8")
        print(f"Page written to {args.html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
