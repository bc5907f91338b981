"""When the action server is down or slow, the citizen still gets a reply in time.

Rasa 3.6 alone fails a city service in two ways (GUIDE §2):

- it waits up to 300 s for the action server (`DEFAULT_REQUEST_TIMEOUT`, a module
  constant; `timeout:` in endpoints.yml is ignored and `--request-timeout` only concerns
  the console), while WeChat gives up after 5 s;
- when the call fails, `MessageProcessor._run_action` logs the exception, drops the
  action's events and goes on: the citizen silently gets nothing.

Rasa offers no setting or plugin hook for either, so `install()` changes exactly two
things inside the Rasa process (started by `bot.rasa_server`): the module constant the
remote-action call reads at call time becomes `settings.ACTION_TIMEOUT_S`, and
`RemoteAction.run` is wrapped so that a failed call (refused, timed out, 5xx) returns
the busy reply plus `FollowupAction("action_listen")` as the action's events. Those
events go through Rasa's normal path: the reply reaches the citizen through whatever
channel they used (REST, chat, WeChat), it is stored in the conversation, and the
prediction loop stops there instead of trying more actions. Slots and the rest of the
conversation are untouched, so once the action server answers again the next message
is handled normally. Rejections (HTTP 400, `ActionExecutionRejection`) keep Rasa's own
meaning and are passed through.

Alternatives considered: a custom pipeline component that patches at import time
(hidden in config.yml, owned by the NLU work); a proxy in front of the action server
(one more process and a second JSON round trip of the whole tracker per action).

The failure is logged once per outage, with what to do; Rasa's own per-message
"Couldn't connect" error is filtered out so the log is not flooded at lunchtime.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from bot import settings

BUSY_REPLY = "系统繁忙，请稍后再试，或拨打12345。"
"""What the citizen reads when the action server cannot answer in time. 12345 is the
national 政务服务便民热线 (not named by the document), the general fallback."""

logger = logging.getLogger("bot.failsafe")
_RASA_ACTION_LOGGER = "rasa.core.actions.action"


class OutageLog:
    """Logs an outage once and its end once, not every message.

    Under overload the action server's answers flap around the timeout; outages that
    begin within `quiet_s` of the last logged one are only counted, and the count is
    reported with the next logged outage.

    Args:
        log: where to log.
        quiet_s: minimum time between two logged outages.
        clock: monotonic seconds (tests pass their own).
    """

    def __init__(
        self,
        log: logging.Logger = logger,
        quiet_s: float = 60.0,
        clock: Any = time.monotonic,
    ) -> None:
        self._log = log
        self._quiet_s = quiet_s
        self._clock = clock
        self._lock = threading.Lock()
        self._in_outage = False
        self._logged = False
        self._last_logged: float | None = None
        self._unlogged_outages = 0
        self.failures = 0

    def failed(self, action: str, url: str | None, reason: str) -> bool:
        """Records one failed call; returns True when it was logged."""
        with self._lock:
            self.failures += 1
            if self._in_outage:
                return False
            self._in_outage = True
            now = self._clock()
            if (
                self._last_logged is not None
                and now - self._last_logged < self._quiet_s
            ):
                self._logged = False
                self._unlogged_outages += 1
                return False
            self._logged, self._last_logged = True, now
            unlogged, self._unlogged_outages = self._unlogged_outages, 0
        self._log.error(
            "The action server at %s could not run '%s' (%s). Citizens get the busy"
            " reply (%s) until it answers again. What to do: check that the action"
            " server is running and healthy (GET /health), read its log"
            " (var/logs/actions.log), restart it (`make run` starts both processes);"
            " if both run but are overloaded, add capacity or raise"
            " LANGFANG_ACTION_TIMEOUT_S (now %.1f s). Logged once per outage%s.",
            url,
            action,
            reason,
            BUSY_REPLY,
            current_timeout(),
            f"; {unlogged} shorter outage(s) since the last report" if unlogged else "",
        )
        return True

    def succeeded(self) -> None:
        """Records a successful call; logs the end of a logged outage."""
        with self._lock:
            if not self._in_outage:
                return
            self._in_outage = False
            failures, self.failures = self.failures, 0
            logged = self._logged
        if logged:
            self._log.warning(
                "The action server answers again; %d message(s) got the busy reply.",
                failures,
            )


outage = OutageLog()


def describe(exc: BaseException) -> str:
    """A short reason for the log: no request bodies, no tracker contents."""
    if isinstance(exc, asyncio.TimeoutError):
        return f"no answer within {current_timeout():.1f} s"
    cause = exc.__cause__
    status = getattr(cause, "status", None)
    if status:
        return f"it answered HTTP {status}"
    text = str(exc)
    if "Couldn't connect" in text:
        return "connection refused or unreachable"
    return type(exc).__name__


def busy_events() -> list[Any]:
    """The events a failed remote action returns instead of nothing."""
    from rasa.core.actions.action import create_bot_utterance
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import FollowupAction

    return [
        create_bot_utterance({"text": BUSY_REPLY}),
        FollowupAction(ACTION_LISTEN_NAME),
    ]


class _DropConnectFailures(logging.Filter):
    """Drops Rasa's per-message "Failed to run custom action" error.

    `outage` logs the failure instead, once per outage.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to run custom action")


def current_timeout() -> float:
    import rasa.core.actions.action as action_module

    return float(action_module.DEFAULT_REQUEST_TIMEOUT)


def install(timeout_s: float | None = None) -> None:
    """Sets the action-call timeout and the busy reply inside this (Rasa) process.

    Idempotent. Fails loudly if the pinned Rasa no longer has what it changes.

    Args:
        timeout_s: seconds to wait for the action server; default from settings.
    """
    import aiohttp
    import rasa.core.actions.action as action_module
    from rasa.shared.exceptions import RasaException

    if not hasattr(action_module, "DEFAULT_REQUEST_TIMEOUT") or not hasattr(
        action_module, "RemoteAction"
    ):
        raise RuntimeError(
            "bot.failsafe targets Rasa 3.6 (rasa.core.actions.action has changed)"
        )
    action_module.DEFAULT_REQUEST_TIMEOUT = (
        settings.ACTION_TIMEOUT_S if timeout_s is None else timeout_s
    )
    remote = action_module.RemoteAction
    if getattr(remote.run, "_langfang_failsafe", False):
        return
    original_run = remote.run
    rejection = action_module.ActionExecutionRejection

    async def run(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any):
        try:
            events = await original_run(self, output_channel, nlg, tracker, domain)
        except rejection:
            raise
        except (RasaException, asyncio.TimeoutError, aiohttp.ClientError) as exc:
            url = self.action_endpoint.url if self.action_endpoint else None
            outage.failed(self.name(), url, describe(exc))
            return busy_events()
        outage.succeeded()
        return events

    run._langfang_failsafe = True  # type: ignore[attr-defined]
    run.__doc__ = original_run.__doc__
    remote.run = run
    logging.getLogger(_RASA_ACTION_LOGGER).addFilter(_DropConnectFailures())
