"""Conversations survive a restart of Rasa (SQLite tracker store by default), and the
stores switch by settings."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from bot import stores
from tests.ops.helpers import chat, stored_events, tracker


@pytest.mark.slow
def test_conversation_continues_after_rasa_restart(ops):
    first = chat(ops.url, "persist1", "法律援助找哪个部门")
    assert any("第51项" in t for t in first.texts), first.texts
    assert stored_events(ops.tracker_db, "web:persist1") > 0  # in the SQLite file

    ops.stack.stop_rasa()
    ops.stack.start_rasa()

    slots = tracker(ops.url, ops.stack.api_token, "web:persist1")["slots"]
    assert slots["item_id"] == 51  # the current item survived
    follow_up = chat(ops.url, "persist1", "电话多少")
    assert any("第51项" in t for t in follow_up.texts), follow_up.texts


def _settings(**overrides):
    base = dict(
        TRACKER_STORE="sqlite",
        TRACKER_DB=Path("/srv/x/var/tracker.db"),
        PG_HOST="db.internal",
        PG_PORT=5433,
        PG_DB="langfang",
        PG_USER="bot",
        PG_PASSWORD="p@ss:w/rd",
        LOCK_STORE="memory",
        REDIS_URL="redis://:s3cret@redis.internal:6380/2",
    )
    base.update(overrides)
    return types.SimpleNamespace(**base)


def test_default_is_sqlite_file_and_memory_locks():
    env = stores.endpoint_env(_settings())
    assert env["LANGFANG_TRACKER_URL"] == "sqlite:////srv/x/var/tracker.db"
    assert env["LANGFANG_LOCK_TYPE"] == "in_memory"


def test_postgres_and_redis_by_settings():
    env = stores.endpoint_env(_settings(TRACKER_STORE="postgres", LOCK_STORE="redis"))
    assert env["LANGFANG_TRACKER_URL"] == (
        "postgresql://bot:p%40ss%3Aw%2Frd@db.internal:5433/langfang"
    )
    assert env["LANGFANG_LOCK_TYPE"] == "redis"
    assert env["LANGFANG_REDIS_HOST"] == "redis.internal"
    assert env["LANGFANG_REDIS_PORT"] == "6380"
    assert env["LANGFANG_REDIS_DB"] == "2"
    assert env["LANGFANG_REDIS_PASSWORD"] == "s3cret"


@pytest.mark.parametrize(
    "overrides",
    [
        {"TRACKER_STORE": "mongo"},
        {"LOCK_STORE": "etcd"},
        {"LOCK_STORE": "redis", "REDIS_URL": "http://x"},
        {"TRACKER_STORE": "postgres", "PG_PASSWORD": "a$b"},
    ],
)
def test_bad_store_settings_are_named(overrides):
    with pytest.raises(stores.StoreConfigError, match="LANGFANG_"):
        stores.endpoint_env(_settings(**overrides))


def test_endpoints_file_reads_with_rasa(monkeypatch):
    """Rasa's own reader expands the variables into its stores' parameters."""
    from rasa.core.utils import AvailableEndpoints

    from bot import settings

    env = stores.endpoint_env(_settings(TRACKER_STORE="postgres", LOCK_STORE="redis"))
    env["LANGFANG_ACTIONS_URL"] = "http://127.0.0.1:5055/webhook"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    endpoints = AvailableEndpoints.read_endpoints(
        str(settings.ROOT / "bot/endpoints.yml")
    )
    assert endpoints.action.url == "http://127.0.0.1:5055/webhook"
    assert endpoints.tracker_store.type == "sql"
    assert endpoints.tracker_store.url == env["LANGFANG_TRACKER_URL"]
    assert endpoints.lock_store.type == "redis"
    assert endpoints.lock_store.url == "redis.internal"
    assert str(endpoints.lock_store.kwargs["port"]) == "6380"
