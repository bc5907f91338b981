"""Fixtures for the web chat tests: one running assistant for the whole folder, HTTP
helpers, and a headless Debian Chromium driven by playwright.

The assistant is the real one (action server + Rasa with the trained model, started by
`bot.stack.Stack` on free ports) with its conversations in a temporary tracker database,
so the tests neither depend on nor disturb `var/`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.stack import Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # the tests may run as root in a container, where the sandbox fails
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Nothing but the page under test: no update checks, sync or other traffic."""


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("web-stack")
    env = {
        "LANGFANG_VAR_DIR": str(tmp / "var"),
        # These tests are about the page and the channel, not the busy reply: on a
        # loaded 2-core CI machine an action can take longer than production's 3 s.
        "LANGFANG_ACTION_TIMEOUT_S": "30",
    }
    with Stack(env=env, log_dir=tmp / "logs") as running:
        # The first answer loads lazily built state in both processes; pay for it here
        # rather than in whichever test happens to run first.
        _http(
            f"{running.rasa_url}/webhooks/chat/webhook",
            json.dumps({"sender": "warmup", "message": "低保找哪个部门"}).encode(),
        )
        yield running


@pytest.fixture(scope="package")
def chat_url(stack: Stack) -> str:
    """The page's address; the webhook is `chat_url + "webhook"`."""
    return f"{stack.rasa_url}/webhooks/chat/"


@dataclass
class Reply:
    """An HTTP response; header names are lower-case."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _http(
    url: str, data: bytes | None = None, method: str | None = None, follow: bool = True
) -> Reply:
    """One real HTTP request; error statuses are returned, not raised."""
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    opener = urllib.request.build_opener(*([] if follow else [_NoRedirect()]))
    try:
        with opener.open(request, timeout=60) as response:
            return Reply(response.status, _lower(response.headers), response.read())
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, _lower(exc.headers), exc.read())


def _lower(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@pytest.fixture(scope="package")
def http() -> Callable[..., Reply]:
    """`http(url, data=None, method=None, follow=True)` → Reply(status, headers, body)
    without raising on error statuses."""
    return _http


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture(scope="package")
def say(chat_url: str) -> Callable[[str, Any], list[dict[str, Any]]]:
    """Posts one message as `sender` to the chat webhook; returns the replies."""

    def _say(sender: str, message: Any) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        reply = _http(chat_url + "webhook", body)
        assert reply.status == 200, reply.text
        return reply.json()

    return _say


@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Debian's chromium is not installed and could not be: run `make sysdeps`"
            " (apt-get install chromium) as root"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def open_browser(
    playwright_driver: Any, tmp_path: Path
) -> Iterator[Callable[..., Any]]:
    """Starts Chromium with a fresh profile: `open_browser(**options)` → a context.

    Each call is a new browser with an empty user-data dir (empty localStorage), e.g.
    `open_browser(viewport={"width": 390, "height": 844}, is_mobile=True)`.
    """
    contexts: list[Any] = []

    def _open(**options: Any) -> Any:
        profile = tmp_path / f"profile-{len(contexts)}"
        options.setdefault("viewport", {"width": 1100, "height": 860})
        options.setdefault("locale", "zh-CN")
        context = playwright_driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            **options,
        )
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context

    yield _open
    for context in contexts:
        context.close()
