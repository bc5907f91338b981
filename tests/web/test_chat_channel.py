"""The web chat channel: its request checks as plain functions, then its routes over
real HTTP against the running assistant (bot.channels.chat, mounted by Rasa from
bot/credentials.yml)."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from bot.channels import chat
from bot.channels.common import MAX_MESSAGE_CHARS

# --- request checks and reply shaping (no server) -------------------------------------


def test_parse_request_reads_sender_and_neutralises_a_leading_slash() -> None:
    request = chat.parse_request(
        json.dumps({"sender": "a1_B-2", "message": "  /restart "}).encode()
    )
    assert request.sender == "a1_B-2"
    assert request.text == "／restart"
    assert request.conversation_id == "web:a1_B-2"


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json", 400, "JSON"),
        (b"", 400, "JSON"),
        ("\xff\xfe".encode("latin-1"), 400, "UTF-8"),
        (b'["sender", "message"]', 400, "object"),
        (b'{"message": "hi"}', 400, '"sender"'),
        (b'{"sender": "", "message": "hi"}', 400, '"sender"'),
        (b'{"sender": "has space", "message": "hi"}', 400, '"sender"'),
        (b'{"sender": "web:x", "message": "hi"}', 400, '"sender"'),
        (json.dumps({"sender": "x" * 65, "message": "hi"}).encode(), 400, '"sender"'),
        (b'{"sender": 12, "message": "hi"}', 400, '"sender"'),
        (b'{"sender": "abc", "message": 12}', 400, '"message"'),
        (b'{"sender": "abc", "message": ["hi"]}', 400, '"message"'),
        (b'{"sender": "abc", "message": "' + b"a" * 40_000 + b'"}', 413, "bytes"),
    ],
)
def test_parse_request_refuses_bad_bodies_with_a_clear_message(
    body: bytes, status: int, says: str
) -> None:
    with pytest.raises(chat.ChatRequestError) as refused:
        chat.parse_request(body)
    assert refused.value.status == status
    assert says in refused.value.message


def test_parse_request_caps_long_messages() -> None:
    request = chat.parse_request(
        json.dumps({"sender": "abc", "message": "问" * 5000}).encode()
    )
    assert request.text == "问" * MAX_MESSAGE_CHARS


def test_shape_replies_keeps_text_and_buttons_addressed_to_the_browser_sender() -> None:
    collected = [
        {"recipient_id": "web:abc", "text": "您想问的是哪一项？"},
        {
            "recipient_id": "web:abc",
            "text": "请选择",
            "buttons": [{"title": "1. 低保", "payload": 1, "type": "postback"}],
        },
        {"recipient_id": "web:abc", "image": "https://example.org/x.png"},
    ]
    assert chat.shape_replies(collected, "abc") == [
        {"recipient_id": "abc", "text": "您想问的是哪一项？"},
        {
            "recipient_id": "abc",
            "text": "请选择",
            "buttons": [{"title": "1. 低保", "payload": "1"}],
        },
    ]


def test_shape_replies_never_leaves_the_citizen_without_an_answer() -> None:
    assert chat.shape_replies([], "abc") == [
        {"recipient_id": "abc", "text": chat.NO_ANSWER_REPLY}
    ]
    assert "12345" in chat.NO_ANSWER_REPLY


# --- over HTTP against the running assistant ------------------------------------------


def new_sender() -> str:
    return uuid.uuid4().hex


@pytest.mark.slow
def test_the_page_and_its_files_are_served(chat_url: str, http) -> None:
    page = http(chat_url)
    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "廊坊市基本公共服务咨询" in page.text
    # Everything the page needs is local: no http(s) address outside tel: links.
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"

    for name, kind in (("app.js", "text/javascript"), ("style.css", "text/css")):
        asset = http(chat_url + name)
        assert asset.status == 200, name
        assert asset.headers["content-type"].startswith(kind)
        assert "innerHTML" not in asset.text

    # Only the page's own files are served, nothing else from the folder or the repo.
    for path in ("chat.py", "../chat.py", "%2e%2e/chat.py", "webchat/app.js"):
        assert http(chat_url + path).status == 404, path


@pytest.mark.slow
def test_the_address_without_a_trailing_slash_redirects_to_the_page(
    chat_url: str, http
) -> None:
    reply = http(chat_url.rstrip("/"), follow=False)
    assert reply.status == 301
    assert reply.headers["location"] == "chat/"
    assert http(chat_url.rstrip("/")).text == http(chat_url).text


@pytest.mark.slow
def test_health(chat_url: str, http) -> None:
    reply = http(chat_url + "health")
    assert (reply.status, reply.json()) == (200, {"status": "ok"})


@pytest.mark.slow
def test_a_message_gets_replies_in_the_rest_channel_shape(say) -> None:
    sender = new_sender()
    replies = say(sender, "你好")
    assert replies, "no reply"
    for reply in replies:
        assert set(reply) <= {"recipient_id", "text", "buttons"}
        assert reply["recipient_id"] == sender
    assert "您好" in replies[0]["text"]


@pytest.mark.slow
def test_a_question_is_answered_with_item_department_and_hotline(say) -> None:
    text = "\n".join(r.get("text", "") for r in say(new_sender(), "低保找哪个部门"))
    assert "最低生活保障" in text
    assert "民政" in text
    assert re.search(r"123\d\d", text), text


@pytest.mark.slow
def test_numbered_choices_come_as_buttons_with_number_payloads(say) -> None:
    sender = new_sender()
    replies = say(sender, "医保")
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert len(buttons) >= 2, replies
    assert [b["payload"] for b in buttons] == [
        str(n) for n in range(1, len(buttons) + 1)
    ]
    # Answering with a payload picks that item: the answer names it.
    chosen = buttons[0]["title"].split(".", 1)[-1].strip()
    answer = "\n".join(r.get("text", "") for r in say(sender, buttons[0]["payload"]))
    assert chosen in answer, answer


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"sender": "abc", "message": ',
        b"[1, 2]",
        b'{"sender": "a b", "message": "hi"}',
        b'{"sender": "abc", "message": {"text": "hi"}}',
        "\xff".encode("latin-1"),
    ],
)
def test_bad_requests_get_400_with_a_message_not_a_trace(
    chat_url: str, http, body: bytes
) -> None:
    reply = http(chat_url + "webhook", body)
    assert reply.status == 400
    assert set(reply.json()) == {"error"}
    assert "Traceback" not in reply.text


@pytest.mark.slow
def test_an_oversized_body_gets_413(chat_url: str, http) -> None:
    body = json.dumps({"sender": "abc", "message": "a" * 40_000}).encode()
    assert http(chat_url + "webhook", body).status == 413


@pytest.mark.slow
@pytest.mark.parametrize("message", ["", "   ", None])
def test_an_empty_message_gets_a_polite_prompt(say, message: str | None) -> None:
    replies = say(new_sender(), message)
    assert [r["text"] for r in replies] == [chat.EMPTY_MESSAGE_REPLY]


def tracker_events(stack, http, conversation_id: str) -> list[dict]:
    url = (
        f"{stack.rasa_url}/conversations/{conversation_id}/tracker"
        f"?token={stack.api_token}&include_events=ALL"
    )
    reply = http(url)
    assert reply.status == 200, reply.text
    return reply.json()["events"]


@pytest.mark.slow
def test_a_leading_slash_is_text_not_an_intent(stack, http, say) -> None:
    sender = new_sender()
    say(sender, "你好")
    say(sender, "/restart")
    say(sender, '/ask_department{"service": "低保"}')
    events = tracker_events(stack, http, chat.CONVERSATION_PREFIX + sender)
    user_texts = [e["text"] for e in events if e["event"] == "user"]
    assert user_texts == ["你好", "／restart", '／ask_department{"service": "低保"}']
    # "/restart" read as an intent would have restarted the conversation, and the
    # slot-setting form would have set entities straight from the text.
    assert not [e for e in events if e["event"] == "restart"]


@pytest.mark.slow
def test_web_senders_have_their_own_namespace_in_the_tracker_store(
    stack, http, say
) -> None:
    sender = new_sender()
    say(sender, "你好")
    assert [
        e for e in tracker_events(stack, http, "web:" + sender) if e["event"] == "user"
    ]
    # The bare id (which another channel's user could have) is untouched.
    assert not [e for e in tracker_events(stack, http, sender) if e["event"] == "user"]
