"""What the WeChat channel says itself, its menu, and how bot messages become one reply.

A passive WeChat reply is one text message of at most about 2,047 UTF-8 bytes with no
buttons (GUIDE §3), so the bot's messages are joined, buttons become numbered choices
("回复 1/2/3"), and the whole is cut on a character boundary. Plain functions and data,
testable without a server; docs/wechat.md shows the same menu to operators.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from bot.channels.wechat_xml import truncate_utf8

WELCOME = (
    "您好，欢迎关注！我是廊坊市基本公共服务咨询助手。\n"
    "我可以回答《廊坊市“十三五”基本公共服务清单》81项服务的问题：某项服务找哪个部门、"
    "谁能享受、服务标准是什么、打什么电话。\n"
    "您可以直接输入问题，例如：“低保找哪个部门”“老人免费体检”“法律援助打什么电话”。\n"
    "也可以点击下方菜单。其他问题请拨打12345政务服务便民热线。"
)
"""Sent when a citizen follows the account (subscribe event)."""

PLEASE_TYPE = (
    "抱歉，我目前只能看懂文字消息。请直接输入您的问题，例如“低保找哪个部门”。"
    "也可拨打12345政务服务便民热线。"
)
"""For images, locations, links, videos and anything else that is not text."""

VOICE_NOT_RECOGNISED = (
    "抱歉，没有听清您的语音。请用文字输入您的问题，例如“低保找哪个部门”。"
)
"""For a voice message without a speech-recognition result."""

SORRY_NO_ANSWER = (
    "抱歉，暂时无法回答您的问题，请稍后再试，或拨打12345政务服务便民热线。"
)
"""When the assistant produced nothing (or failed): the citizen is never left silent."""

SUCCESS = "success"
"""WeChat's 'received, no passive reply' answer."""

CHOICE_HINT = "回复 {numbers} 选择"


@dataclass(frozen=True)
class MenuItem:
    """One CLICK button of the account's custom menu.

    Attributes:
        key: the button's `key`, which WeChat sends back as EventKey.
        name: the label on the button (at most 4 Chinese characters for a top button).
        text: what the click means, sent to the assistant as if the citizen typed it
            (plain text the NLU understands; never "/intent").
    """

    key: str
    name: str
    text: str


MENU: tuple[MenuItem, ...] = (
    MenuItem("SERVICE_QUERY", "服务查询", "有哪些基本公共服务"),
    MenuItem("HOTLINE", "热线电话", "热线电话是多少"),
    MenuItem("HUMAN", "转人工", "转人工"),
)
"""The menu definition. `menu_definition()` renders it for WeChat's menu/create API."""

_MENU_BY_KEY = {item.key: item for item in MENU}


def menu_text(event_key: str) -> str | None:
    """The text a menu click stands for; None for a key not in MENU."""
    item = _MENU_BY_KEY.get(event_key.strip())
    return item.text if item else None


def menu_definition() -> dict[str, Any]:
    """The JSON body for `POST /cgi-bin/menu/create` (see docs/wechat.md)."""
    return {"button": [{"type": "click", "name": i.name, "key": i.key} for i in MENU]}


def _button_lines(text: str, buttons: list[dict[str, Any]]) -> list[str]:
    titles = [str(b.get("title") or b.get("payload") or "").strip() for b in buttons]
    titles = [t for t in titles if t]
    if not titles:
        return []
    numbers = [str(i) for i in range(1, len(titles) + 1)]
    # Actions already write numbered choices into the text (architecture.md); repeat
    # them only when the text does not show them.
    lines = (
        []
        if all(t in text for t in titles)
        else [f"{n}. {t}" for n, t in zip(numbers, titles)]
    )
    hint = CHOICE_HINT.format(numbers="/".join(numbers))
    if "回复" not in text:
        lines.append(hint)
    return lines


def compose(messages: Iterable[dict[str, Any]], max_bytes: int = 2000) -> str:
    """Joins the bot's messages into one WeChat text, within max_bytes of UTF-8.

    Args:
        messages: what Rasa's CollectingOutputChannel collected (text, buttons,
            image, custom...).
        max_bytes: the limit of one passive reply.

    Returns:
        The text, or "" when the bot said nothing.
    """
    parts: list[str] = []
    for message in messages:
        text = str(message.get("text") or "").strip()
        lines = [text] if text else []
        lines += _button_lines(text, list(message.get("buttons") or []))
        if message.get("image"):
            lines.append(str(message["image"]))
        if lines:
            parts.append("\n".join(lines))
    return truncate_utf8("\n\n".join(parts), max_bytes)
