"""The access-token / customer-service client against the fake WeChat API (loopback)."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest
from wechat_fakes import FakeWeChatApi

from bot.channels.wechat_api import WeChatApi, WeChatApiError

APP_ID = "wxapitest000000001"
SECRET = "api-test-secret-0123456789abcdef"


@pytest.fixture
def api_server():
    server = FakeWeChatApi({APP_ID: SECRET}).start()
    yield server
    server.stop()


def run(coro):
    return asyncio.run(coro)


def token_calls(server: FakeWeChatApi) -> int:
    return sum(c["path"] == "/cgi-bin/token" for c in server.calls)


async def _send(api: WeChatApi, *texts: str) -> None:
    try:
        for text in texts:
            await api.send_text("o-user", text)
    finally:
        await api.close()


def test_token_fetched_once_and_reused(api_server):
    run(_send(WeChatApi(APP_ID, SECRET, api_server.url), "一", "二"))
    assert token_calls(api_server) == 1
    assert len(api_server.delivered("o-user")) == 2


def test_invalid_token_refreshed_once_and_retried_once(api_server, caplog):
    api_server.fail_next = [40001]
    with caplog.at_level(logging.INFO):
        run(_send(WeChatApi(APP_ID, SECRET, api_server.url), "你好"))
    assert token_calls(api_server) == 2
    assert len(api_server.delivered("o-user")) == 1
    api_server.fail_next = [42001, 42001]
    with pytest.raises(WeChatApiError) as error:
        run(_send(WeChatApi(APP_ID, SECRET, api_server.url), "你好"))
    assert error.value.code == 42001  # no endless refresh loop
    assert SECRET not in caplog.text
    assert not any(t in caplog.text for t in api_server.issued)


@pytest.mark.parametrize(
    "code,words", [(45015, "48 hours"), (45047, "too many"), (45002, "too long")]
)
def test_send_errors_are_named(api_server, code, words):
    api_server.fail_next = [code]
    with pytest.raises(WeChatApiError, match=words) as error:
        run(_send(WeChatApi(APP_ID, SECRET, api_server.url), "你好"))
    assert error.value.code == code


def test_wrong_secret_and_unreachable_server_never_show_the_secret(api_server):
    with pytest.raises(WeChatApiError) as error:
        run(_send(WeChatApi(APP_ID, "wrong-" + SECRET, api_server.url), "你好"))
    assert error.value.code == 40125 and SECRET not in str(error.value)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with pytest.raises(WeChatApiError) as error:
        run(_send(WeChatApi(APP_ID, SECRET, f"http://127.0.0.1:{closed_port}"), "你好"))
    assert error.value.code == -1 and SECRET not in str(error.value)
    assert SECRET not in repr(WeChatApi(APP_ID, SECRET))
