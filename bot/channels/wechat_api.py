"""The two WeChat server APIs the channel calls: access token and customer-service send.

When an answer is not ready within WeChat's 5 seconds, the channel answers `success`
and sends the answer later as a customer-service message (客服消息). That API needs an
access token, which lasts 7200 s, and fetching a new one invalidates the old one: so
one object owns the token per process, refreshes it shortly before it expires, and on
40001/42001 (invalid/expired) refreshes once and retries once.

Nothing here logs the AppSecret or a token: the token URL carries the secret in its
query and the send URL carries the access token, so URLs are never logged and error
texts are passed through `redact()`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Callable

import aiohttp

logger = logging.getLogger(__name__)

TOKEN_INVALID_CODES = {40001, 40014, 42001}
"""invalid credential / invalid access_token / access_token expired: refresh once."""

SEND_ERRORS = {
    45015: "the citizen has not written in the last 48 hours (reply window closed)",
    45047: "too many customer-service messages to this citizen without a reply",
    45002: "message too long",
    45009: "daily API call limit reached",
    48001: "the account is not authorised for the customer-service API",
}
"""Errors worth naming in the log: the operator can act on each of them."""

TOKEN_MARGIN_S = 300
"""Refresh this long before WeChat's expiry, so a token never dies in flight."""


class WeChatApiError(RuntimeError):
    """A WeChat API call failed; `code` is WeChat's errcode (or -1 for transport)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"WeChat API error {code}: {message}")
        self.code = code


def redact(text: str, secrets: list[str]) -> str:
    """Replaces every non-empty secret in text with "***"."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


class WeChatApi:
    """Access-token owner and customer-service message sender for one account.

    Args:
        app_id: the account's AppID.
        app_secret: the AppSecret (never logged).
        api_base: `https://api.weixin.qq.com`, or a fake server in tests.
        timeout_s: per HTTP call.
        clock: monotonic seconds (tests pass a fake).
    """

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        api_base: str = "https://api.weixin.qq.com",
        timeout_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app_id = app_id
        self._secret = app_secret
        self.api_base = api_base.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"WeChatApi(app_id={self.app_id!r}, api_base={self.api_base!r})"

    @property
    def configured(self) -> bool:
        return bool(self.app_id and self._secret)

    def _secrets(self) -> list[str]:
        return [self._secret, self._token or ""]

    async def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def _call(
        self, method: str, path: str, params: dict, body: Any = None
    ) -> dict:
        session = await self._http()
        try:
            async with session.request(
                method, f"{self.api_base}{path}", params=params, json=body
            ) as resp:
                if resp.status != 200:
                    raise WeChatApiError(-1, f"HTTP {resp.status} from {path}")
                data = await resp.json(content_type=None)
        except WeChatApiError:
            raise
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            # str(exc) of aiohttp errors can contain the URL with the secret or token.
            reason = redact(str(exc), self._secrets()) or type(exc).__name__
            raise WeChatApiError(-1, f"{type(exc).__name__} calling {path}: {reason}")
        if not isinstance(data, dict):
            raise WeChatApiError(-1, f"unexpected answer from {path}")
        return data

    async def access_token(self, stale: str | None = None) -> str:
        """Returns a valid access token, fetching one when needed.

        Args:
            stale: a token WeChat just refused; it is replaced unless another caller
                already replaced it (so concurrent failures cause one refresh).
        """
        async with self._lock:
            fresh = self._token and self._clock() < self._expires_at
            if fresh and (stale is None or stale != self._token):
                return self._token  # type: ignore[return-value]
            data = await self._call(
                "GET",
                "/cgi-bin/token",
                {
                    "grant_type": "client_credential",
                    "appid": self.app_id,
                    "secret": self._secret,
                },
            )
            token = data.get("access_token")
            if not token:
                code = int(data.get("errcode", -1))
                raise WeChatApiError(
                    code,
                    redact(str(data.get("errmsg", "no access_token")), self._secrets()),
                )
            lifetime = float(data.get("expires_in", 7200))
            self._token = str(token)
            self._expires_at = self._clock() + max(
                lifetime - TOKEN_MARGIN_S, lifetime / 2
            )
            logger.info("Fetched a WeChat access token (valid %d s).", int(lifetime))
            return self._token

    async def send_text(self, open_id: str, text: str) -> None:
        """Sends a customer-service text message to one citizen.

        Raises:
            WeChatApiError: WeChat refused (after one token refresh for 40001/42001)
                or could not be reached.
        """
        body = {"touser": open_id, "msgtype": "text", "text": {"content": text}}
        token = await self.access_token()
        for attempt in (1, 2):
            data = await self._call(
                "POST", "/cgi-bin/message/custom/send", {"access_token": token}, body
            )
            code = int(data.get("errcode", 0) or 0)
            if code == 0:
                return
            if code in TOKEN_INVALID_CODES and attempt == 1:
                logger.warning(
                    "WeChat refused the access token (errcode %d); refreshing once.",
                    code,
                )
                token = await self.access_token(stale=token)
                continue
            meaning = SEND_ERRORS.get(code, str(data.get("errmsg", "")))
            raise WeChatApiError(code, redact(meaning, self._secrets()))
        raise AssertionError("unreachable")  # pragma: no cover
