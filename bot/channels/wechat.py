"""The WeChat Official Account (公众号) channel: a Rasa custom input channel.

Registered in `bot/credentials.yml` as `bot.channels.wechat.WeChatInput:`; Rasa mounts
it under `/webhooks/wechat/`:

- `GET  /webhooks/wechat/`         health: `{"status": "ok"}`
- `GET  /webhooks/wechat/webhook`  WeChat's URL check: returns `echostr` for a valid
  signature, 403 otherwise
- `POST /webhooks/wechat/webhook`  messages and events; answers one passive reply XML
  (encrypted when the request was), or `success`

Every request is checked before anything else happens, in this order: body size (413
before reading more than the limit), signature (403), timestamp window and replay
(403), XML (400), safe-mode signature and decryption (403/400). Only then is the
message deduplicated and, for text and voice, handed to Rasa. Refused requests never
reach Rasa and never produce a 500: every failure is a short 4xx text.

Answers that are not ready within the reply budget (WeChat gives up after 5 s) are
answered `success` and delivered later through the customer-service API
(`bot.channels.wechat_api`). The protocol pieces are plain modules beside this one:
`wechat_crypto` (signatures, AES), `wechat_xml` (parse/render), `wechat_cache` (replay
guard, deduplication), `wechat_replies` (texts, menu, composing one reply).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.channels.common import citizen_text
from bot.channels.wechat_api import WeChatApi, WeChatApiError
from bot.channels.wechat_cache import Job, OnceCache, ReplayGuard
from bot.channels.wechat_crypto import (
    CryptoError,
    MessageCrypto,
    aes_key,
    check_signature,
)
from bot.channels.wechat_crypto import signature as make_signature
from bot.channels.wechat_replies import (
    PLEASE_TYPE,
    SORRY_NO_ANSWER,
    SUCCESS,
    VOICE_NOT_RECOGNISED,
    WELCOME,
    compose,
    menu_text,
)
from bot.channels.wechat_xml import (
    Incoming,
    XmlError,
    incoming,
    parse_xml,
    render_encrypted_envelope,
    render_text_reply,
)

logger = logging.getLogger(__name__)

MODES = ("plain", "compatible", "safe")
"""WeChat's message encryption modes: 明文模式, 兼容模式, 安全模式."""

DEV_TOKEN = "langfang-dev-token"
"""The token in the shipped bot/credentials.yml, so `make run` + `make simulate` work
on a fresh clone. Anyone can read it: production must set LANGFANG_WECHAT_TOKEN."""

MAX_ECHOSTR = 256


class WeChatConfigError(ValueError):
    """The channel's configuration cannot work; the message says what to set."""


@dataclass(frozen=True)
class WeChatConfig:
    """Everything the channel is configured with (see README "WeChat channel")."""

    token: str
    app_id: str = ""
    app_secret: str = ""
    encoding_aes_key: str = ""
    mode: str = "plain"
    api_base: str = settings.WECHAT_API_BASE_DEFAULT
    reply_budget_s: float = 4.0
    timestamp_window_s: int = 300
    max_body_bytes: int = 65536
    max_reply_bytes: int = 2000

    def __repr__(self) -> str:  # secrets stay out of logs and tracebacks
        return (
            f"WeChatConfig(mode={self.mode!r}, app_id={self.app_id!r},"
            f" api_base={self.api_base!r})"
        )

    @classmethod
    def from_sources(
        cls, credentials: Mapping[str, Any] | None, conf: Any = settings
    ) -> "WeChatConfig":
        """Builds the configuration: environment (bot.settings) over credentials.yml.

        Args:
            credentials: the channel's section of credentials.yml (may be None).
            conf: the settings module (tests pass a namespace).

        Raises:
            WeChatConfigError: empty token, unknown mode, or in safe/compatible mode a
                missing AppID or a missing/invalid EncodingAESKey.
        """
        creds = dict(credentials or {})

        def pick(setting: str, key: str, default: str = "") -> str:
            value = getattr(conf, setting, "") or creds.get(key) or default
            return str(value).strip()

        config = cls(
            token=pick("WECHAT_TOKEN", "token"),
            app_id=pick("WECHAT_APP_ID", "app_id"),
            app_secret=pick("WECHAT_APP_SECRET", "app_secret"),
            encoding_aes_key=pick("WECHAT_ENCODING_AES_KEY", "encoding_aes_key"),
            mode=pick("WECHAT_MODE", "mode", "plain").lower(),
            api_base=pick("WECHAT_API_BASE", "api_base", conf.WECHAT_API_BASE_DEFAULT),
            reply_budget_s=float(conf.WECHAT_REPLY_BUDGET_S),
            timestamp_window_s=int(conf.WECHAT_TIMESTAMP_WINDOW_S),
            max_body_bytes=int(conf.WECHAT_MAX_BODY_BYTES),
            max_reply_bytes=int(conf.WECHAT_MAX_REPLY_BYTES),
        )
        config.validate()
        return config

    def validate(self) -> None:
        """Raises WeChatConfigError naming the setting to fix."""
        if not self.token:
            raise WeChatConfigError(
                "The WeChat channel needs a token: set LANGFANG_WECHAT_TOKEN (or"
                " `token` under bot.channels.wechat.WeChatInput in credentials.yml)"
                " to the token on the WeChat admin page. An empty token would let"
                " anyone sign requests."
            )
        if self.mode not in MODES:
            raise WeChatConfigError(
                f"LANGFANG_WECHAT_MODE must be one of {', '.join(MODES)},"
                f" got {self.mode!r}."
            )
        if self.mode != "plain":
            if not self.app_id:
                raise WeChatConfigError(
                    f"WeChat {self.mode} mode needs the AppID: set"
                    " LANGFANG_WECHAT_APP_ID."
                )
            try:
                aes_key(self.encoding_aes_key)
            except ValueError as exc:
                raise WeChatConfigError(
                    f"WeChat {self.mode} mode needs a valid EncodingAESKey (43"
                    " characters from the admin page) in"
                    f" LANGFANG_WECHAT_ENCODING_AES_KEY: {exc}."
                ) from None
        if not 0.5 <= self.reply_budget_s <= 4.8:
            raise WeChatConfigError(
                "LANGFANG_WECHAT_REPLY_BUDGET_S must be between 0.5 and 4.8 seconds:"
                " WeChat gives up after 5 s."
            )


class Refused(Exception):
    """A request the channel will not process: HTTP status and a short reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Verified:
    """A POST that passed every check: the message XML and how to answer it."""

    doc: dict[str, Any]
    encrypted: bool
    nonce: str


def verify_handshake(config: WeChatConfig, query: Mapping[str, str]) -> str:
    """Checks WeChat's URL-verification GET and returns the echostr to send back.

    The handshake only echoes a value back and changes nothing, so it is not
    subject to the timestamp window (that also keeps published test vectors usable).

    Raises:
        Refused: 403 for a missing or wrong signature.
    """
    echostr = query.get("echostr") or ""
    if not echostr or len(echostr) > MAX_ECHOSTR:
        raise Refused(403, "missing or oversized echostr")
    if not check_signature(
        config.token,
        query.get("signature"),
        query.get("timestamp") or "",
        query.get("nonce") or "",
    ):
        raise Refused(403, "invalid signature")
    return echostr


def verify_post(
    config: WeChatConfig,
    crypto: MessageCrypto | None,
    replay: ReplayGuard,
    query: Mapping[str, str],
    body: bytes,
) -> Verified:
    """Checks one message POST and returns its decrypted, parsed XML.

    Order matters: nothing reaches the XML parser or the replay memory before the
    signature is checked, and in safe mode nothing unencrypted is accepted.

    Raises:
        Refused: 403 (signature, time window, replay, plaintext in safe mode),
            400 (XML, decryption, AppID).
    """
    timestamp = query.get("timestamp") or ""
    nonce = query.get("nonce") or ""
    if not check_signature(config.token, query.get("signature"), timestamp, nonce):
        raise Refused(403, "invalid signature")
    problem = replay.check(timestamp, nonce, hashlib.sha256(body).hexdigest())
    if problem:
        raise Refused(403, problem)
    wants_aes = (query.get("encrypt_type") or "").lower() == "aes"
    if config.mode == "safe" and not wants_aes:
        raise Refused(403, "plaintext messages are refused in safe mode")
    try:
        outer = parse_xml(body)
    except XmlError as exc:
        raise Refused(400, str(exc)) from None
    if not wants_aes or crypto is None:
        if wants_aes:
            raise Refused(400, "encrypted message but the channel is in plain mode")
        return Verified(outer, encrypted=False, nonce=nonce)
    encrypted = outer.get("Encrypt")
    if not isinstance(encrypted, str) or not encrypted:
        raise Refused(400, "Encrypt missing")
    if not check_signature(
        config.token, query.get("msg_signature"), timestamp, nonce, encrypted
    ):
        raise Refused(403, "invalid msg_signature")
    try:
        inner = parse_xml(crypto.decrypt(encrypted))
    except CryptoError as exc:
        raise Refused(400, f"cannot decrypt: {exc}") from None
    except XmlError as exc:
        raise Refused(400, f"encrypted XML: {exc}") from None
    return Verified(inner, encrypted=True, nonce=nonce)


def encrypt_reply(
    config: WeChatConfig, crypto: MessageCrypto, xml: str, nonce: str
) -> str:
    """Wraps a reply for safe mode: encrypted, signed with the request's nonce."""
    timestamp = str(int(time.time()))
    encrypted = crypto.encrypt(xml)
    msg_signature = make_signature(config.token, timestamp, nonce, encrypted)
    return render_encrypted_envelope(encrypted, msg_signature, timestamp, nonce)


async def read_body(request: Request, limit: int) -> bytes | None:
    """Reads a streamed request body; None as soon as it exceeds `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                return None
        except ValueError:
            return None
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            break
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class WeChatInput(InputChannel):
    """Rasa input channel for a WeChat Official Account."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "WeChatInput":
        return cls(WeChatConfig.from_sources(credentials))

    def __init__(self, config: WeChatConfig) -> None:
        config.validate()
        self.config = config
        self.crypto = (
            MessageCrypto(config.encoding_aes_key, config.app_id)
            if config.mode != "plain"
            else None
        )
        self.api = WeChatApi(config.app_id, config.app_secret, config.api_base)
        self.replay = ReplayGuard(window_s=config.timestamp_window_s)
        # Jobs outlive the replay window, so an accepted copy always finds its job.
        self.jobs: OnceCache[str] = OnceCache(ttl_s=2 * config.timestamp_window_s + 60)
        self._background: set[asyncio.Future] = set()
        if config.token == DEV_TOKEN:
            logger.warning(
                "The WeChat channel uses the development token from credentials.yml."
                " Set LANGFANG_WECHAT_TOKEN before connecting a real account."
            )
        if not self.api.configured:
            logger.warning(
                "No WeChat AppID/AppSecret configured: answers slower than %.1f s"
                " cannot be delivered (set LANGFANG_WECHAT_APP_ID/_APP_SECRET).",
                config.reply_budget_s,
            )

    # --- Sanic routes -----------------------------------------------------------------
    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        bp = Blueprint(f"{self.name()}_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["GET"])
        async def handshake(request: Request) -> HTTPResponse:
            try:
                echostr = verify_handshake(self.config, _query(request))
            except Refused as exc:
                logger.info("Refused a WeChat handshake: %s.", exc.reason)
                return response.text("forbidden", status=exc.status)
            return response.text(echostr)

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            deadline = time.monotonic() + self.config.reply_budget_s
            body = await read_body(request, self.config.max_body_bytes)
            if body is None:
                logger.info("Refused a WeChat request: body over the size limit.")
                return response.text("payload too large", status=413)
            try:
                verified = verify_post(
                    self.config, self.crypto, self.replay, _query(request), body
                )
                message = incoming(verified.doc)
            except Refused as exc:
                logger.info(
                    "Refused a WeChat request (%d): %s.", exc.status, exc.reason
                )
                return response.text(_status_text(exc.status), status=exc.status)
            except XmlError as exc:
                logger.info("Refused a WeChat request (400): %s.", exc)
                return response.text(_status_text(400), status=400)
            try:
                reply = await self.respond(
                    message, on_new_message, request.app, deadline
                )
                return self.render(message, verified, reply)
            except Exception:  # noqa: BLE001 - a bug must not leave WeChat retrying
                logger.error("The WeChat channel failed on a message.", exc_info=True)
                return self.render(message, verified, SORRY_NO_ANSWER)

        @bp.listener("after_server_stop")
        async def close_api(*_: Any) -> None:
            await self.api.close()

        return bp

    # --- answering --------------------------------------------------------------------
    def render(
        self, message: Incoming, verified: Verified, reply: str | None
    ) -> HTTPResponse:
        """`success`, or one text reply, encrypted when the request was."""
        if not reply:
            return response.text(SUCCESS)
        xml = render_text_reply(message.from_user, message.to_user, reply)
        if verified.encrypted and self.crypto is not None:
            xml = encrypt_reply(self.config, self.crypto, xml, verified.nonce)
        return response.text(xml, content_type="application/xml; charset=utf-8")

    async def respond(
        self,
        message: Incoming,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        app: Any,
        deadline: float,
    ) -> str | None:
        """What to answer one verified message with; None means `success`."""
        kind = message.msg_type
        if kind == "event":
            event = message.event.lower()
            if event == "subscribe":
                return WELCOME
            if event == "unsubscribe":
                self._spawn(self._forget(app, message.from_user))
                return None
            if event == "click":
                text = menu_text(message.event_key)
                if text is None:
                    return PLEASE_TYPE
                return await self._ask(message, text, on_new_message, deadline)
            return None  # VIEW, LOCATION, SCAN...: nothing to say
        if kind == "text":
            text = citizen_text(message.content)
            if not text:
                return PLEASE_TYPE
            return await self._ask(message, text, on_new_message, deadline)
        if kind == "voice":
            text = citizen_text(message.recognition or "")
            if not text:
                return VOICE_NOT_RECOGNISED
            return await self._ask(message, text, on_new_message, deadline)
        return PLEASE_TYPE  # image, location, link, video, missing MsgType...

    async def _ask(
        self,
        message: Incoming,
        text: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        deadline: float,
    ) -> str | None:
        """Asks Rasa once per message (retries share the job); None if deferred."""
        job, _ = self.jobs.claim(
            message.dedup_key,
            lambda: self._answer(message, text, on_new_message),
            owner=message.from_user,
        )
        if job.deferred:
            return None
        try:
            await asyncio.wait({job.task}, timeout=max(deadline - time.monotonic(), 0))
        except asyncio.CancelledError:
            # WeChat hung up: the answer must still reach the citizen.
            self._defer(job, message.from_user)
            raise
        if not job.task.done():
            self._defer(job, message.from_user)
            return None
        return None if job.deferred else job.task.result()

    async def _answer(
        self,
        message: Incoming,
        text: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> str:
        collector = CollectingOutputChannel()
        user_message = UserMessage(
            text,
            collector,
            message.from_user,
            input_channel=self.name(),
            message_id=message.msg_id or None,
            metadata={"wechat_msg_type": message.msg_type},
        )
        try:
            await on_new_message(user_message)
        except Exception as exc:  # noqa: BLE001 - the citizen must get an answer
            logger.error(
                "Rasa failed on a WeChat message: %s", type(exc).__name__, exc_info=True
            )
            return SORRY_NO_ANSWER
        return (
            compose(collector.messages, self.config.max_reply_bytes) or SORRY_NO_ANSWER
        )

    def _defer(self, job: Job, open_id: str) -> None:
        if job.deferred:
            return
        job.deferred = True
        logger.info(
            "A WeChat answer took over %.1f s; it will be sent as a"
            " customer-service message.",
            self.config.reply_budget_s,
        )

        def deliver(task: asyncio.Future) -> None:
            if not task.cancelled():
                self._spawn(self._send_later(open_id, task.result()))

        job.task.add_done_callback(deliver)

    async def _send_later(self, open_id: str, text: str) -> None:
        if not self.api.configured:
            logger.error(
                "A late WeChat answer was dropped: no AppID/AppSecret configured for"
                " the customer-service API."
            )
            return
        try:
            await self.api.send_text(open_id, text)
            logger.info("Delivered a late answer through the customer-service API.")
        except WeChatApiError as exc:
            logger.error("Could not deliver a late WeChat answer: %s", exc)

    async def _forget(self, app: Any, open_id: str) -> None:
        from bot.privacy import delete_conversation

        self.jobs.forget_owner(open_id)  # remembered answers are their data too
        agent = getattr(app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            logger.error("Unsubscribe: no agent loaded, conversation not deleted.")
            return
        try:
            await delete_conversation(agent.tracker_store, open_id, agent.lock_store)
        except Exception as exc:  # noqa: BLE001 - logged for the operator
            logger.error("Unsubscribe: could not delete the conversation: %s", exc)

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)  # keep a reference until it is done
        task.add_done_callback(self._background.discard)


def _query(request: Request) -> dict[str, str]:
    return {key: values[0] for key, values in request.args.items() if values}


def _status_text(status: int) -> str:
    return {400: "bad request", 403: "forbidden", 413: "payload too large"}.get(
        status, "refused"
    )
