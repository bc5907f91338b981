"""Deletes conversations older than the retention period (`make prune`).

Rasa's tracker store keeps every event forever. A conversation is split into sessions
(a new one after `session_expiration_time` of silence). Rasa reads only the latest
session, and slots that carry over are copied into the new one, so a session never
needs the ones before it. Pruning therefore removes whole sessions:

- a citizen whose last event is older than the cutoff loses the whole conversation;
- a citizen still active keeps the session that was running at the cutoff and
  everything after it; the sessions before it are deleted.

Works on the SQLite file and on PostgreSQL (plain SQL on Rasa's `events` table), and
may run while Rasa runs. Schedule it daily, e.g. with cron:

    17 3 * * *  cd /srv/langfang && make prune >> var/logs/prune.log 2>&1
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

from bot import settings

DAY_S = 86400

_OLD_SENDERS = """
    SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff
"""
_OLD_SESSIONS = """
    SELECT e.id FROM events e
    JOIN (
        SELECT s.sender_id, MAX(s.id) AS boundary FROM events s
        JOIN (
            SELECT sender_id, MIN(id) AS first_recent FROM events
            WHERE timestamp >= :cutoff GROUP BY sender_id
        ) r ON s.sender_id = r.sender_id
        WHERE s.type_name = 'action' AND s.action_name = 'action_session_start'
          AND s.id <= r.first_recent
        GROUP BY s.sender_id
    ) b ON e.sender_id = b.sender_id
    WHERE e.id < b.boundary
"""
"""Events before the start of the session holding a citizen's first recent event."""


@dataclass(frozen=True)
class PruneResult:
    """What a prune removed (or would remove, for a dry run)."""

    conversations: int
    """Conversations deleted entirely."""
    events: int
    """Events deleted in all (whole conversations and old sessions)."""
    cutoff: float
    """Unix time: events of sessions that ended before this are gone."""


def prune(
    engine, days: int, now: float | None = None, dry_run: bool = False
) -> PruneResult:
    """Deletes conversations and sessions older than `days` days.

    Args:
        engine: SQLAlchemy engine on the tracker store (`bot.stores.sql_engine()`).
        days: the retention period; must be at least 1.
        now: the current Unix time (tests pass another).
        dry_run: count only, delete nothing.

    Returns:
        The counts.

    Raises:
        ValueError: days < 1.
    """
    import sqlalchemy as sa

    if days < 1:
        raise ValueError(f"The retention period must be at least 1 day, got {days}")
    cutoff = (time.time() if now is None else now) - days * DAY_S
    params = {"cutoff": cutoff}
    with engine.begin() as conn:
        if not sa.inspect(conn).has_table("events"):
            return PruneResult(0, 0, cutoff)
        senders = [row[0] for row in conn.execute(sa.text(_OLD_SENDERS), params)]
        whole = conn.execute(
            sa.text(f"SELECT COUNT(*) FROM events WHERE sender_id IN ({_OLD_SENDERS})"),
            params,
        ).scalar_one()
        partial = conn.execute(
            sa.text(f"SELECT COUNT(*) FROM ({_OLD_SESSIONS}) AS old"), params
        ).scalar_one()
        if not dry_run:
            conn.execute(
                sa.text(f"DELETE FROM events WHERE sender_id IN ({_OLD_SENDERS})"),
                params,
            )
            conn.execute(
                sa.text(
                    f"DELETE FROM events WHERE id IN (SELECT id FROM ({_OLD_SESSIONS})"
                    " AS old)"
                ),
                params,
            )
    return PruneResult(len(senders), int(whole) + int(partial), cutoff)


def main(argv: list[str] | None = None) -> int:
    from bot import stores

    parser = argparse.ArgumentParser(
        prog="python -m bot.retention",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--days",
        type=int,
        default=settings.RETENTION_DAYS,
        help="retention period (default: LANGFANG_RETENTION_DAYS,"
        f" {settings.RETENTION_DAYS})",
    )
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    if settings.TRACKER_STORE == "sqlite" and not settings.TRACKER_DB.exists():
        print(f"No tracker store at {settings.TRACKER_DB}: nothing to prune.")
        return 0
    try:
        result = prune(stores.sql_engine(), args.days, dry_run=args.dry_run)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - e.g. the database server is down
        print(f"error: cannot prune the tracker store: {exc}", file=sys.stderr)
        return 1
    verb = "Would delete" if args.dry_run else "Deleted"
    print(
        f"{verb} {result.conversations} conversation(s) and {result.events} event(s)"
        f" older than {args.days} day(s)"
        f" (before {time.strftime('%Y-%m-%d %H:%M', time.localtime(result.cutoff))})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
