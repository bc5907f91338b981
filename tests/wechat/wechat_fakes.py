"""Helpers for the WeChat channel's HTTP tests: a fake WeChat API server and a client
that talks to the channel the way WeChat's server does. conftest.py turns them into
fixtures, with the slow-down proxy of tests/delay_proxy.py in front of the action server.

Everything is real except WeChat's own API servers (outside this machine), which are
played by `FakeWeChatApi` on loopback. Rasa starts once for the whole folder with two
channel instances (tests/wechat/plain_channel.py): `/webhooks/wechat/` in safe mode with
wechatpy's published test key, and `/webhooks/wechat_plain/` in plain mode with the
GUIDE's "AAAAA" token. The slow answer is made honestly: `DelayProxy` holds Rasa's calls
to the real action server for 10 s.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bot.channels.wechat import WeChatConfig
from bot.stack import Stack
from bot.wechat_simulator import decode_reply, message_xml, sign_request

SAFE_TOKEN = "test"
SAFE_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAFE_APP_ID = "wx49f0ab532d5d035a"
PLAIN_TOKEN = "AAAAA"
PLAIN_APP_ID = "wxplaintest0000001"
APP_SECRET = "appsecret-" + secrets.token_hex(12)
"""Random per run, so the log check cannot be fooled by a constant."""


# --- fake WeChat API ------------------------------------------------------------------
@dataclass
class FakeWeChatApi:
    """WeChat's token and customer-service endpoints, recording every call.

    `fail_next` holds errcodes the next send calls answer with (e.g. [40001]).
    A send with a token that is not the latest for its AppID gets 40001, as WeChat does.
    """

    secrets_by_app: dict[str, str]
    calls: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    current: dict[str, str] = field(default_factory=dict)
    issued: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def handle(self, method: str, path: str, query: dict[str, str], body: Any) -> dict:
        with self.lock:
            call = {"method": method, "path": path, "query": query, "body": body}
            self.calls.append(call)
            if path == "/cgi-bin/token":
                app_id = query.get("appid", "")
                if self.secrets_by_app.get(app_id) != query.get("secret"):
                    call["answer"] = {"errcode": 40125, "errmsg": "invalid appsecret"}
                    return call["answer"]
                token = f"ACCESS-{app_id}-{len(self.issued)}-{secrets.token_hex(8)}"
                self.current[app_id] = token
                self.issued.append(token)
                call["answer"] = {"access_token": token, "expires_in": 7200}
                return call["answer"]
            if path == "/cgi-bin/message/custom/send":
                token = query.get("access_token", "")
                if self.fail_next:
                    code = self.fail_next.pop(0)
                    call["answer"] = {"errcode": code, "errmsg": "fake failure"}
                elif token not in self.current.values():
                    call["answer"] = {"errcode": 40001, "errmsg": "invalid credential"}
                else:
                    call["answer"] = {"errcode": 0, "errmsg": "ok"}
                return call["answer"]
            call["answer"] = {"errcode": 404, "errmsg": "no such API"}
            return call["answer"]

    def delivered(self, open_id: str) -> list[dict[str, Any]]:
        """Customer-service messages to open_id that WeChat accepted."""
        with self.lock:
            return [
                c
                for c in self.calls
                if c["path"] == "/cgi-bin/message/custom/send"
                and c["answer"].get("errcode") == 0
                and isinstance(c["body"], dict)
                and c["body"].get("touser") == open_id
            ]

    def start(self) -> "FakeWeChatApi":
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query))
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                data = json.dumps(api.handle(method, parsed.path, query, body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._answer("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._answer("POST")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


# --- the client -----------------------------------------------------------------------
@dataclass
class Response:
    status: int
    text: str
    elapsed: float


@dataclass
class WeChatClient:
    """Talks to the running channels as WeChat's server does, and reads trackers."""

    stack: Stack
    tracker_db: Path
    safe: WeChatConfig
    plain: WeChatConfig

    def url(self, channel: str) -> str:
        return f"{self.stack.rasa_url}/webhooks/{channel}/webhook"

    def config(self, channel: str) -> WeChatConfig:
        return self.safe if channel == "wechat" else self.plain

    def raw(
        self,
        channel: str,
        query: dict[str, str] | None,
        body: bytes | None,
        method: str = "POST",
        timeout: float = 60,
    ) -> Response:
        """One HTTP request; error statuses are returned, not raised."""
        url = self.url(channel)
        if query is not None:
            url += "?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(url, data=body, method=method)
        if body is not None:
            request.add_header("Content-Type", "text/xml")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                text = resp.read().decode("utf-8", "replace")
                return Response(resp.status, text, time.monotonic() - started)
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace")
            return Response(exc.code, text, time.monotonic() - started)

    def post(self, channel: str, xml: str, **sign: Any) -> Response:
        """Signs (in safe mode encrypts) xml with the channel's config and posts it."""
        safe = sign.pop("safe", channel == "wechat")
        query, body = sign_request(self.config(channel), xml, safe=safe, **sign)
        return self.raw(channel, query, body)

    def ask(self, channel: str, text: str, user: str, **kwargs: Any) -> dict[str, str]:
        """Sends a text message and returns the decoded reply (asserting HTTP 200)."""
        response = self.post(channel, message_xml(text, from_user=user, **kwargs))
        assert response.status == 200, (response.status, response.text)
        return decode_reply(self.config(channel), response.text)

    def decode(self, channel: str, response: Response) -> dict[str, str]:
        assert response.status == 200, (response.status, response.text)
        return decode_reply(self.config(channel), response.text)

    def stored_events(self, sender: str) -> int:
        """Events Rasa stored for sender, read from the tracker database itself."""
        if not self.tracker_db.exists():
            return 0
        with sqlite3.connect(self.tracker_db) as db:
            try:
                (count,) = db.execute(
                    "SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)
                ).fetchone()
            except sqlite3.OperationalError:  # no table yet: nothing stored
                return 0
        return int(count)

    def tracker(self, sender: str) -> dict[str, Any]:
        """The whole conversation through Rasa's HTTP API (creates one if none)."""
        quoted = urllib.parse.quote(sender, safe="")
        # ALL: the default view starts after the last restart and would hide one.
        url = (
            f"{self.stack.rasa_url}/conversations/{quoted}/tracker"
            f"?include_events=ALL&token={self.stack.api_token}"
        )
        with urllib.request.urlopen(url, timeout=30) as resp:
            return json.loads(resp.read())

    def user_texts(self, sender: str) -> list[str]:
        return [
            e.get("text") or ""
            for e in self.tracker(sender)["events"]
            if e.get("event") == "user"
        ]

    def assert_untouched(self, sender: str) -> None:
        """Rasa never saw this sender: nothing stored, no message in its tracker."""
        assert self.stored_events(sender) == 0
        assert self.user_texts(sender) == []


def new_user(label: str) -> str:
    """A fresh OpenID-like sender id, so tests never share a conversation."""
    return f"o-{label}-{secrets.token_hex(6)}"
