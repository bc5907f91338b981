"""A second WeChat channel for the tests: the same class under another URL prefix.

One Rasa process then serves a safe-mode account (`/webhooks/wechat/`) and a plain-mode
account (`/webhooks/wechat_plain/`), each with its own token from the test
credentials file, so the tests start Rasa once. Nothing but the name differs.
"""

from __future__ import annotations

from bot.channels.wechat import WeChatInput


class PlainWeChatInput(WeChatInput):
    @classmethod
    def name(cls) -> str:
        return "wechat_plain"
