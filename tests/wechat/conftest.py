"""Fixtures for the WeChat channel's HTTP tests (helpers in wechat_fakes.py).

Rasa starts once for the whole folder with two channel instances
(tests/wechat/plain_channel.py): `/webhooks/wechat/` in safe mode with wechatpy's
published test key, `/webhooks/wechat_plain/` in plain mode with the GUIDE's "AAAAA"
token. WeChat's API servers (outside this machine) are played by a fake on loopback; the
slow answer is made honestly by a proxy holding Rasa's calls to the real action server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from wechat_fakes import (
    APP_SECRET,
    PLAIN_APP_ID,
    PLAIN_TOKEN,
    SAFE_APP_ID,
    SAFE_KEY,
    SAFE_TOKEN,
    FakeWeChatApi,
    WeChatClient,
)

from bot.channels.wechat import WeChatConfig
from bot.stack import Stack
from tests.delay_proxy import DelayProxy


@pytest.fixture(scope="session")
def fake_api() -> Iterator[FakeWeChatApi]:
    api = FakeWeChatApi({SAFE_APP_ID: APP_SECRET, PLAIN_APP_ID: APP_SECRET}).start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def wechat_stack(
    tmp_path_factory: pytest.TempPathFactory, fake_api: FakeWeChatApi
) -> Iterator[tuple[Stack, DelayProxy, Path]]:
    tmp = tmp_path_factory.mktemp("wechat-stack")
    credentials = tmp / "credentials.yml"
    common = f'  app_secret: "{APP_SECRET}"\n  api_base: "{fake_api.url}"\n'
    credentials.write_text(
        "bot.channels.wechat.WeChatInput:\n"
        f'  token: "{SAFE_TOKEN}"\n  mode: "safe"\n  app_id: "{SAFE_APP_ID}"\n'
        f'  encoding_aes_key: "{SAFE_KEY}"\n'
        + common
        + "tests.wechat.plain_channel.PlainWeChatInput:\n"
        f'  token: "{PLAIN_TOKEN}"\n  mode: "plain"\n  app_id: "{PLAIN_APP_ID}"\n'
        + common,
        encoding="utf-8",
    )
    tracker_db = tmp / "var" / "tracker.db"
    env = {
        # The test credentials decide: a developer's LANGFANG_WECHAT_* must not leak in.
        **{
            f"LANGFANG_WECHAT_{name}": ""
            for name in (
                "TOKEN",
                "APP_ID",
                "APP_SECRET",
                "ENCODING_AES_KEY",
                "MODE",
                "API_BASE",
            )
        },
        "LANGFANG_VAR_DIR": str(tmp / "var"),
        # Let a slow action really take its 10 s (the failsafe would cut it short).
        "LANGFANG_ACTION_TIMEOUT_S": "30",
    }
    # The proxy listens before the stack chooses its free ports.
    proxy = DelayProxy().start()
    env["LANGFANG_ACTIONS_URL"] = f"http://127.0.0.1:{proxy.port}/webhook"
    stack = Stack(credentials=credentials, env=env, log_dir=tmp / "logs")
    with stack:
        proxy.upstream_port = stack.actions_port
        yield stack, proxy, tracker_db
    proxy.stop()


@pytest.fixture(scope="session")
def wx(wechat_stack: tuple[Stack, DelayProxy, Path]) -> WeChatClient:
    stack, _, tracker_db = wechat_stack
    safe = WeChatConfig(
        token=SAFE_TOKEN, app_id=SAFE_APP_ID, encoding_aes_key=SAFE_KEY, mode="safe"
    )
    plain = WeChatConfig(token=PLAIN_TOKEN)
    return WeChatClient(stack, tracker_db, safe, plain)


@pytest.fixture(scope="session")
def delay_proxy(wechat_stack: tuple[Stack, DelayProxy, Path]) -> DelayProxy:
    return wechat_stack[1]
