"""The web chat channel: the page citizens open in a browser and the webhook it uses.

Registered in `bot/credentials.yml` as `bot.channels.chat.ChatInput:`; Rasa mounts it
under `/webhooks/chat/`:

- `GET  /webhooks/chat/`  the page (`webchat/index.html`, `app.js`, `style.css`)
- `GET  /webhooks/chat/health`  `{"status": "ok"}`
- `POST /webhooks/chat/webhook`  `{"sender": "...", "message": "..."}` → a list of
  `{"recipient_id", "text", "buttons"?}`, the same shape as Rasa's REST channel.

The page is three static files served from this process, so it needs no build step and
nothing from the internet. Request checking and reply shaping are plain functions below,
testable without a server; the blueprint only glues them to Sanic and Rasa.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.common import citizen_text

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "webchat"
"""Where the page's files live; only the names in STATIC_FILES are ever served."""

STATIC_FILES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}

MAX_BODY_BYTES = 32 * 1024
"""A 2,000-character message (common.MAX_MESSAGE_CHARS) is at most ~12 KB as JSON with
\\u escapes; anything much larger is not a chat message: refused before parsing."""

SENDER_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""The page sends a random hex id; a narrow alphabet keeps ids safe in URLs and logs."""

CONVERSATION_PREFIX = "web:"
"""Web senders get their own namespace in the tracker store. Without it a browser could
post another channel's user id (a WeChat OpenID) as `sender` and write into, and read
answers from, that citizen's conversation. ":" is outside SENDER_RE, so no sender can
forge a prefixed id."""

HOTLINE_HINT = "也可拨打12345政务服务便民热线咨询。"

EMPTY_MESSAGE_REPLY = (
    "请输入您想咨询的问题，例如：“低保找哪个部门”“法律援助电话多少”。" + HOTLINE_HINT
)
"""Answered by the channel itself: an empty message carries nothing for NLU to read."""

NO_ANSWER_REPLY = "抱歉，系统暂时无法回答您的问题，请稍后再试。" + HOTLINE_HINT
"""Sent when Rasa produced nothing (e.g. the action server is down, where Rasa answers
with silence): a citizen must never be left without a reply."""

SECURITY_HEADERS = {
    # Everything the page needs comes from this origin; no inline script can run, so
    # even a rendering bug could not turn a reply into executable markup.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
        " img-src 'self' data:; base-uri 'none'; form-action 'self';"
        " frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class ChatRequestError(ValueError):
    """A request the webhook refuses; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class ChatRequest:
    sender: str
    text: str
    """Already passed through `citizen_text()`: stripped, capped, no leading "/"."""

    @property
    def conversation_id(self) -> str:
        return CONVERSATION_PREFIX + self.sender


def parse_request(body: bytes) -> ChatRequest:
    """Checks a webhook body and reads the sender and the citizen's text from it.

    Args:
        body: the raw HTTP request body.

    Returns:
        The sender id and the text, made safe for Rasa by `citizen_text()`.

    Raises:
        ChatRequestError: status 413 for an oversized body, 400 for anything that is
            not `{"sender": "<id>", "message": "<text>"}`; the message says what is
            wrong.
    """
    if len(body) > MAX_BODY_BYTES:
        raise ChatRequestError(
            413, f"The request body is larger than {MAX_BODY_BYTES} bytes."
        )
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ChatRequestError(
            400, "The request body must be UTF-8 encoded JSON."
        ) from None
    except ValueError:
        raise ChatRequestError(
            400,
            'The request body must be JSON like {"sender": "abc123", "message": "hi"}.',
        ) from None
    if not isinstance(data, dict):
        raise ChatRequestError(
            400, 'The request body must be a JSON object with "sender" and "message".'
        )
    sender = data.get("sender")
    if not isinstance(sender, str) or not SENDER_RE.fullmatch(sender):
        raise ChatRequestError(
            400,
            '"sender" must be 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-".',
        )
    message = data.get("message")
    if message is not None and not isinstance(message, str):
        raise ChatRequestError(400, '"message" must be a string.')
    return ChatRequest(sender=sender, text=citizen_text(message))


def shape_replies(messages: list[dict[str, Any]], sender: str) -> list[dict[str, Any]]:
    """Turns what Rasa's collector gathered into what the page renders.

    Only text and buttons are passed on (the page shows nothing else), buttons reduced
    to string `title` and `payload`, and every reply is addressed to the sender as the
    browser knows it rather than to the namespaced conversation id.

    Args:
        messages: `CollectingOutputChannel.messages`.
        sender: the sender id from the request.

    Returns:
        The replies; never empty (NO_ANSWER_REPLY when Rasa said nothing).
    """
    replies: list[dict[str, Any]] = []
    for message in messages:
        reply: dict[str, Any] = {"recipient_id": sender}
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            reply["text"] = text
        buttons = [
            {"title": str(button["title"]), "payload": str(button["payload"])}
            for button in message.get("buttons") or []
            if isinstance(button, dict)
            and button.get("title") is not None
            and button.get("payload") is not None
        ]
        if buttons:
            reply["buttons"] = buttons
        if len(reply) > 1:
            replies.append(reply)
    return replies or [{"recipient_id": sender, "text": NO_ANSWER_REPLY}]


def _error(exc: ChatRequestError) -> HTTPResponse:
    return response.json({"error": exc.message}, status=exc.status)


def static_response(name: str) -> HTTPResponse:
    """Serves one of the page's files (name must be a key of STATIC_FILES)."""
    content = (STATIC_DIR / name).read_bytes()
    return response.raw(
        content, content_type=STATIC_FILES[name], headers=dict(SECURITY_HEADERS)
    )


class ChatInput(InputChannel):
    """The web chat page and its webhook (see the module docstring for the routes)."""

    @classmethod
    def name(cls) -> str:
        return "chat"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        chat = Blueprint("chat_webhook", __name__)

        @chat.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):
                # The page loads app.js and posts to "webhook" by relative address,
                # which only resolves under /webhooks/chat/; a relative Location keeps
                # working behind a reverse proxy that adds a path prefix.
                return response.redirect("chat/", status=301)
            return static_response("index.html")

        @chat.route("/app.js", methods=["GET"])
        async def script(request: Request) -> HTTPResponse:
            return static_response("app.js")

        @chat.route("/style.css", methods=["GET"])
        async def style(request: Request) -> HTTPResponse:
            return static_response("style.css")

        @chat.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @chat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                chat_request = parse_request(request.body or b"")
            except ChatRequestError as exc:
                return _error(exc)
            if not chat_request.text:
                return response.json(
                    [{"recipient_id": chat_request.sender, "text": EMPTY_MESSAGE_REPLY}]
                )
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        chat_request.text,
                        collector,
                        chat_request.conversation_id,
                        input_channel=self.name(),
                    )
                )
            except Exception:  # noqa: BLE001 - the citizen still gets a polite reply
                logger.exception("The chat message could not be handled.")
            return response.json(shape_replies(collector.messages, chat_request.sender))

        return chat
