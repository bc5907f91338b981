"""Retention, deletion on WeChat unsubscribe, and no secrets in the logs.

Retention and deletion run on Rasa's real `SQLTrackerStore` (a SQLite file in a
temporary folder) filled through Rasa's own API with controlled timestamps.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot import privacy, retention, stores
from tests.ops.helpers import chat, stored_events, wait_for, wechat

DAY = 86400


def _session(sender: str, start: float, texts: list[str]) -> list:
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    events = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start),
        SlotSet("item_id", 51, timestamp=start),
        ActionExecuted("action_listen", timestamp=start),
    ]
    for i, text in enumerate(texts, 1):
        events += [
            UserUttered(
                text, {"name": "ask_department", "confidence": 0.9}, timestamp=start + i
            ),
            BotUttered("reply", timestamp=start + i),
            ActionExecuted("action_listen", timestamp=start + i),
        ]
    return events


def _store(tmp_path: Path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    domain = Domain.from_yaml(
        "version: '3.1'\nslots:\n  item_id:\n    type: any\n    mappings:\n"
        "    - type: custom\n"
    )
    return SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def _save(store, sender: str, events: list) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events(sender, events, store.domain.slots)
    asyncio.run(store.save(tracker))


def _count(store, sender: str) -> int:
    with store.session_scope() as session:
        return session.query(store.SQLEvent).filter_by(sender_id=sender).count()


def test_retention_deletes_old_conversations_and_sessions(tmp_path):
    now = time.time()
    store = _store(tmp_path)
    _save(store, "old", _session("old", now - 100 * DAY, ["低保"]))
    # An active citizen: two sessions that ended before the cutoff, and one that
    # started before it and went on after it, and a recent one.
    _save(
        store,
        "active",
        _session("active", now - 120 * DAY, ["很久以前"])
        + _session("active", now - 91 * DAY, ["截止前"])
        + _session("active", now - 90 * DAY - 1.5, ["跨过截止", "截止后"])
        + _session("active", now - 1 * DAY, ["昨天"]),
    )
    _save(store, "new", _session("new", now - 2 * DAY, ["最近"]))
    engine = stores.sql_engine(f"sqlite:///{tmp_path / 'tracker.db'}")

    dry = retention.prune(engine, 90, now=now, dry_run=True)
    assert _count(store, "old") > 0
    result = retention.prune(engine, 90, now=now)
    assert result == dry
    assert result.conversations == 1
    assert _count(store, "old") == 0
    assert _count(store, "new") == 7
    kept = asyncio.run(store.retrieve_full_tracker("active"))
    texts = [e.text for e in kept.events if e.type_name == "user"]
    # Sessions that ended before the cutoff are gone, the rest is intact.
    assert texts == ["跨过截止", "截止后", "昨天"]
    assert kept.get_slot("item_id") == 51
    assert retention.prune(engine, 90, now=now).events == 0  # idempotent


def test_retention_refuses_zero_days(tmp_path):
    engine = stores.sql_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ValueError, match="at least 1 day"):
        retention.prune(engine, 0)


def test_delete_conversation_sql_store_with_lock(tmp_path):
    from rasa.core.lock_store import InMemoryLockStore

    store = _store(tmp_path)
    _save(store, "o-citizen", _session("o-citizen", time.time(), ["法律援助"]))
    _save(store, "o-other", _session("o-other", time.time(), ["低保"]))
    deleted = asyncio.run(
        privacy.delete_conversation(store, "o-citizen", InMemoryLockStore())
    )
    assert deleted == 7
    assert _count(store, "o-citizen") == 0
    assert _count(store, "o-other") == 7


def test_delete_conversation_memory_store():
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    store = InMemoryTrackerStore(Domain.empty())
    asyncio.run(store.save(DialogueStateTracker.from_events("o-x", [], [])))
    assert asyncio.run(privacy.delete_conversation(store, "o-x")) == 1
    assert asyncio.run(store.retrieve("o-x")) is None


@pytest.mark.slow
def test_wechat_unsubscribe_deletes_the_conversation(ops):
    open_id = "o-unsub-" + str(int(time.time()))
    assert wechat(ops.url, ops.wechat, open_id, "法律援助找哪个部门").status == 200
    assert chat(ops.url, "unsub-other", "法律援助找哪个部门").status == 200
    assert stored_events(ops.tracker_db, open_id) > 0
    assert wechat(ops.url, ops.wechat, open_id, event="unsubscribe").status == 200
    assert wait_for(lambda: stored_events(ops.tracker_db, open_id) == 0)
    assert stored_events(ops.tracker_db, "web:unsub-other") > 0


@pytest.mark.slow
def test_logs_hold_no_secrets(ops):
    """After plain and encrypted WeChat traffic, failures and restarts in this
    package's run, no log line holds the AppSecret, token or EncodingAESKey."""
    assert wechat(
        ops.url, ops.wechat, "o-secret-check", "法律援助电话", safe=True
    ).texts
    assert wechat(ops.url, ops.wechat, "o-secret-check", "低保找哪个部门").texts
    logs = list(ops.log_dir.glob("*.log"))
    assert logs
    text = "\n".join(p.read_text(errors="replace") for p in logs)
    for name, value in ops.secrets.items():
        if name == "LANGFANG_WECHAT_APP_ID":
            continue  # an AppID is public (it is in every message WeChat sends)
        assert value not in text, f"{name} found in the logs"
