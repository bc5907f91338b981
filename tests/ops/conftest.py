"""One real assistant for the operations tests, started once for the folder.

Action server + Rasa (the trained model) through `bot.stack.Stack` on free ports, with
its own var/ folder, tracker database and a copy of the knowledge base (so a test may
delete it under the running action server), a `DelayProxy` between Rasa and the action
server (so a test can make the action server slow), and WeChat configured with random
secrets (so a test can grep the logs for them).
"""

from __future__ import annotations

import base64
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.stack import Stack
from tests.delay_proxy import DelayProxy
from tests.ops.helpers import load_script


@dataclass
class OpsStack:
    """The running stack and what the tests need to know about it."""

    stack: Stack
    proxy: DelayProxy
    wechat_api: object  # scripts/loadtest.py FakeWeChatApi
    tmp: Path
    kb_path: Path
    tracker_db: Path
    secrets: dict[str, str]
    wechat: object  # bot.channels.wechat.WeChatConfig

    @property
    def url(self) -> str:
        return self.stack.rasa_url

    @property
    def log_dir(self) -> Path:
        return self.stack.log_dir


def wechat_secrets() -> dict[str, str]:
    """Random WeChat credentials in the shapes WeChat issues."""
    return {
        "LANGFANG_WECHAT_TOKEN": "tok" + secrets.token_hex(12),
        "LANGFANG_WECHAT_APP_ID": "wx" + secrets.token_hex(8),
        "LANGFANG_WECHAT_APP_SECRET": secrets.token_hex(16),
        # 43 characters of base64 (32 bytes) as in the 公众号 settings page.
        "LANGFANG_WECHAT_ENCODING_AES_KEY": base64.b64encode(secrets.token_bytes(32))
        .decode()
        .rstrip("="),
    }


@pytest.fixture(scope="package")
def ops(tmp_path_factory: pytest.TempPathFactory, kb_path: Path) -> Iterator[OpsStack]:
    from bot.channels.wechat import WeChatConfig

    tmp = tmp_path_factory.mktemp("ops-stack")
    kb_copy = tmp / "kb.db"
    shutil.copy(kb_path, kb_copy)
    keys = wechat_secrets()
    # The proxy and the fake listen before the stack chooses its free ports.
    proxy = DelayProxy().start()
    # WeChat's API server is outside the machine: a fake on loopback receives the
    # answers that miss WeChat's 5 s window.
    fake_api = load_script("loadtest").FakeWeChatApi().start()
    env = {
        "LANGFANG_VAR_DIR": str(tmp / "var"),
        "LANGFANG_KB_PATH": str(kb_copy),
        "LANGFANG_ACTIONS_URL": f"http://127.0.0.1:{proxy.port}/webhook",
        "LANGFANG_WECHAT_MODE": "compatible",
        "LANGFANG_WECHAT_API_BASE": fake_api.url,
        **keys,
    }
    stack = Stack(env=env, log_dir=tmp / "logs")
    config = WeChatConfig(
        token=keys["LANGFANG_WECHAT_TOKEN"],
        app_id=keys["LANGFANG_WECHAT_APP_ID"],
        app_secret=keys["LANGFANG_WECHAT_APP_SECRET"],
        encoding_aes_key=keys["LANGFANG_WECHAT_ENCODING_AES_KEY"],
        mode="compatible",
    )
    with stack:
        proxy.upstream_port = stack.actions_port
        yield OpsStack(
            stack,
            proxy,
            fake_api,
            tmp,
            kb_copy,
            tmp / "var" / "tracker.db",
            keys,
            config,
        )
    proxy.stop()
    fake_api.stop()
