"""Test helpers for the operations tests: talking to the channels, loading scripts.

The slow link (`DelayProxy`) lives in tests/delay_proxy.py, shared with the WeChat tests.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Answer:
    """One exchange: what came back and how long it took."""

    status: int
    texts: list[str]
    seconds: float


def post_json(url: str, payload: dict[str, Any], timeout: float = 30.0) -> Answer:
    """POSTs JSON to a REST-shaped webhook; returns the bot's texts."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            status, body = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    seconds = time.monotonic() - started
    try:
        texts = [m.get("text") or "" for m in json.loads(body)]
    except (ValueError, AttributeError):
        texts = []
    return Answer(status, texts, seconds)


def chat(rasa_url: str, sender: str, text: str) -> Answer:
    """A message through the web chat channel (conversation id "web:<sender>")."""
    return post_json(
        f"{rasa_url}/webhooks/chat/webhook", {"sender": sender, "message": text}
    )


def wechat(
    rasa_url: str,
    config: Any,
    open_id: str,
    text: str = "",
    event: str = "",
    safe: bool = False,
) -> Answer:
    """A message (or event) through the WeChat channel, signed as WeChat signs it."""
    from bot import wechat_simulator as sim

    xml = sim.message_xml(text, kind=event or "text", from_user=open_id)
    query, body = sim.sign_request(config, xml, safe=safe)
    started = time.monotonic()
    status, reply = sim.post(f"{rasa_url}/webhooks/wechat/webhook", query, body)
    seconds = time.monotonic() - started
    texts: list[str] = []
    if status == 200:
        decoded = sim.decode_reply(config, reply)
        if decoded["kind"] == "text":
            texts = [decoded["content"]]
    return Answer(status, texts, seconds)


def tracker(rasa_url: str, token: str, conversation_id: str) -> dict[str, Any]:
    """The conversation as Rasa's HTTP API returns it (slots, events)."""
    url = (
        f"{rasa_url}/conversations/{urllib.parse.quote(conversation_id, safe=':')}"
        f"/tracker?token={token}"
    )
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


def stored_events(db: Path, sender_id: str) -> int:
    """How many events the SQLite tracker store holds for a sender."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender_id,)
        ).fetchone()[0]


def wait_for(predicate, timeout: float = 20.0, every: float = 0.2) -> bool:
    """Polls `predicate` until it is true or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


def load_script(name: str) -> Any:
    """Imports scripts/<name>.py (scripts/ is not a package)."""
    from bot import settings

    module_name = f"scripts_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    path = settings.ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module
