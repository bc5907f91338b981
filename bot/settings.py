"""All configuration, read from the environment in this one place.

Every setting has a documented default that works on a developer's machine with nothing
configured. The README's "Configuration" table lists them; keep both in step.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository root; relative paths below are resolved against it."""


def _path(name: str, default: str) -> Path:
    value = Path(os.environ.get(name, default))
    return value if value.is_absolute() else ROOT / value


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def _str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


# --- Knowledge base -------------------------------------------------------------------
KB_SOURCE = _path("LANGFANG_KB_SOURCE", "kb/source/langfang-13th-fyp-basic-public-services.txt")
"""The published document the knowledge base is built from."""
KB_PATH = _path("LANGFANG_KB_PATH", "build/kb.db")
"""The SQLite knowledge base the actions read (built by `make kb`)."""

# --- Processes ------------------------------------------------------------------------
RASA_HOST = _str("LANGFANG_RASA_HOST", "127.0.0.1")
"""Interface Rasa listens on. Loopback by default: put a reverse proxy in front for the internet."""
RASA_PORT = _int("LANGFANG_RASA_PORT", 5005)
ACTIONS_HOST = _str("LANGFANG_ACTIONS_HOST", "127.0.0.1")
"""Interface the action server listens on (rasa_sdk binds 0.0.0.0 unless told)."""
ACTIONS_PORT = _int("LANGFANG_ACTIONS_PORT", 5055)
MODEL_DIR = _path("LANGFANG_MODEL_DIR", "models")
VAR_DIR = _path("LANGFANG_VAR_DIR", "var")
"""Runtime state: tracker store, logs, pid files."""

# --- Conversation storage and operations (see README "Persistence") -------------------
TRACKER_STORE = _str("LANGFANG_TRACKER_STORE", "sqlite")
"""Where Rasa keeps conversations: "sqlite" (a file, no server) or "postgres" (needed
when several Rasa processes serve together)."""
TRACKER_DB = _path("LANGFANG_TRACKER_DB", str(VAR_DIR / "tracker.db"))
"""The SQLite tracker store file (TRACKER_STORE=sqlite); inside VAR_DIR unless set, so
moving the runtime state (a test's temporary folder) moves the conversations too."""
PG_HOST = _str("LANGFANG_PG_HOST", "127.0.0.1")
PG_PORT = _int("LANGFANG_PG_PORT", 5432)
PG_DB = _str("LANGFANG_PG_DB", "langfang")
PG_USER = _str("LANGFANG_PG_USER", "langfang")
PG_PASSWORD = _str("LANGFANG_PG_PASSWORD", "")
"""PostgreSQL tracker store (TRACKER_STORE=postgres). Must not contain "$": Rasa expands
${...} in endpoints.yml and refuses a value that still holds one."""
LOCK_STORE = _str("LANGFANG_LOCK_STORE", "memory")
"""Per-conversation locks: "memory" (one Rasa process) or "redis" (several)."""
REDIS_URL = _str("LANGFANG_REDIS_URL", "redis://127.0.0.1:6379/1")
"""Redis lock store (LOCK_STORE=redis): redis://[:password@]host[:port][/db]."""
RETENTION_DAYS = _int("LANGFANG_RETENTION_DAYS", 90)
"""`make prune` deletes conversations whose sessions ended more than this many days ago."""
ACTION_TIMEOUT_S = _float("LANGFANG_ACTION_TIMEOUT_S", 3.0)
"""How long Rasa waits for the action server before the citizen gets the busy reply.
WeChat gives up after 5 s, so NLU + this budget must stay well under that."""
REPORT_LOW_CONFIDENCE = _float("LANGFANG_REPORT_LOW_CONFIDENCE", 0.6)
"""`make report` lists messages whose intent confidence is below this (and fallbacks)."""
REPORT_HASH_KEY = _str("LANGFANG_REPORT_HASH_KEY", "")
"""Key for hashing sender ids in the report; empty: a random key kept in var/report.key."""

# --- WeChat Official Account channel (see README "WeChat channel", docs/wechat.md) ----
# The first six override the same keys under bot.channels.wechat.WeChatInput in
# credentials.yml; empty means "use credentials.yml". Never logged.
WECHAT_TOKEN = _str("LANGFANG_WECHAT_TOKEN", "")
"""The token on the WeChat admin page (服务器配置 → 令牌). The channel refuses to start
without one; the shipped credentials.yml holds a development token only."""
WECHAT_APP_ID = _str("LANGFANG_WECHAT_APP_ID", "")
"""AppID: needed in safe/compatible mode and for customer-service messages."""
WECHAT_APP_SECRET = _str("LANGFANG_WECHAT_APP_SECRET", "")
"""AppSecret: fetches access tokens for customer-service messages (late answers)."""
WECHAT_ENCODING_AES_KEY = _str("LANGFANG_WECHAT_ENCODING_AES_KEY", "")
"""EncodingAESKey (43 characters): needed in safe/compatible mode."""
WECHAT_MODE = _str("LANGFANG_WECHAT_MODE", "")
"""plain (明文), compatible (兼容) or safe (安全, plaintext refused); empty: credentials.yml,
else plain."""
WECHAT_API_BASE = _str("LANGFANG_WECHAT_API_BASE", "")
"""WeChat's API server; empty: credentials.yml, else WECHAT_API_BASE_DEFAULT."""
WECHAT_API_BASE_DEFAULT = "https://api.weixin.qq.com"
WECHAT_REPLY_BUDGET_S = _float("LANGFANG_WECHAT_REPLY_BUDGET_S", 4.0)
"""WeChat gives up after 5 s; an answer not ready within this budget is replied to with
`success` and sent later as a customer-service message."""
WECHAT_TIMESTAMP_WINDOW_S = _int("LANGFANG_WECHAT_TIMESTAMP_WINDOW_S", 300)
"""Requests whose timestamp is further than this from our clock are refused (replay)."""
WECHAT_MAX_BODY_BYTES = _int("LANGFANG_WECHAT_MAX_BODY_BYTES", 65536)
"""Larger request bodies are refused with 413 before they are read further or parsed."""
WECHAT_MAX_REPLY_BYTES = _int("LANGFANG_WECHAT_MAX_REPLY_BYTES", 2000)
"""A passive reply holds about 2,047 UTF-8 bytes; longer answers are cut to this."""
