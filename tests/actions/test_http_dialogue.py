"""The multi-turn flows of issue #3 through the running assistant, over real HTTP.

The real stack (`bot.stack.Stack`: action server + Rasa with the trained model) on free
ports, with a temporary tracker store; messages go through the citizen-facing web chat
webhook, so NLU, rules, actions and the channel's input handling are all in the path.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from bot.stack import Stack

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("dialogue-stack")
    env = {
        "LANGFANG_VAR_DIR": str(tmp / "var"),
    }
    with Stack(env=env, log_dir=tmp / "logs") as running:
        yield running


class Chat:
    """One citizen's conversation with the web chat webhook."""

    def __init__(self, stack: Stack) -> None:
        self.url = f"{stack.rasa_url}/webhooks/chat/webhook"
        self.sender = "t" + uuid.uuid4().hex[:12]
        self.buttons: list[dict] = []

    def say(self, text: str) -> str:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            replies = json.loads(response.read())
        self.buttons = [b for r in replies for b in r.get("buttons") or []]
        return "\n".join(r.get("text") or "" for r in replies)


@pytest.fixture
def chat(stack: Stack) -> Chat:
    return Chat(stack)


def test_item_persists_and_switching_keeps_the_question(chat):
    assert "由市司法局牵头负责" in chat.say("法律援助找哪个部门")
    assert "12348" in chat.say("电话多少")
    assert "经济困难公民" in chat.say("谁能申请")
    assert "第25项 工伤保险」由市人力资源社会保障局牵头负责" in chat.say("工伤保险归哪个部门")
    assert "第22项 生育保险」由市人力资源社会保障局牵头负责" in chat.say("那生育保险呢")


def test_refining_a_standard(chat):
    assert "初中生每生每年1250元" in chat.say("寄宿生生活补助多少钱")
    reply = chat.say("小学生呢")
    assert "小学生每生每年1000元" in reply and "1250" not in reply


def test_numbered_choice_and_reply(chat):
    reply = chat.say("养老保险每月发多少")
    assert "请回复序号 1/2" in reply
    assert [b["payload"] for b in chat.buttons] == ["1", "2"]
    reply = chat.say("城乡居民的")
    assert "「第20项 城乡居民基本养老保险」" in reply and "每人每月90元" in reply


def test_eligibility_by_age(chat):
    chat.say("老年人免费体检谁能享受")
    reply = chat.say("我爸63岁能享受吗")
    assert "65岁及以上" in reply and "审核认定为准" in reply


def test_list_then_pick_then_hotline(chat):
    reply = chat.say("我是残疾人，能享受哪些服务")
    assert "回复序号查看详情" in reply
    position = next(ln.split(".")[0] for ln in reply.splitlines() if "第77项" in ln)
    assert "「第77项 残疾人康复」" in chat.say(position)
    assert "12385" in chat.say("电话多少")


def test_handoff_names_the_topic_hotline_and_hours(chat):
    chat.say("失业保险找哪个部门")
    reply = chat.say("转人工")
    assert "12333" in reply and "5×8小时" in reply and "12345" in reply


@pytest.mark.parametrize(
    "text",
    ["", "😀😀", "'; DROP TABLE items; --", "hello", '/ask_department{"service":"低保"}'],
)
def test_bad_input_gets_an_answer(chat, text):
    assert chat.say(text).strip(), f"no answer to {text!r}"


def test_leading_slash_is_text_not_a_command(chat):
    """The channel turns "/" into "／"; nothing after it may turn it back into a command:
    "/restart" would silently wipe the conversation (no answer, topic forgotten)."""
    chat.say("法律援助找哪个部门")
    assert chat.say("/restart").strip(), "no answer to /restart"
    assert "12348" in chat.say("电话多少")


@pytest.mark.parametrize(
    "text", ["低保找哪個部門", "我想问一下低保的事情" * 500, "dibao低保找哪个部门"]
)
def test_traditional_long_and_mixed_input_is_understood(chat, text):
    assert "第46项 最低生活保障" in chat.say(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("dibao 找哪个部门", "「第46项 最低生活保障」由市民政局牵头负责"),  # typed pinyin
        ("殘急人能享受哪些服务", "与“残疾人”有关的基本公共服务"),  # voice input
        ("公猪房找哪个部门", "「第59项 公共租赁住房」由市房管局牵头负责"),  # zh/z
    ],
)
def test_terms_written_by_sound_are_understood(chat, text, expected):
    assert expected in chat.say(text)
