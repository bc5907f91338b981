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

