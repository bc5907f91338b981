"""The chat page in a real browser: headless Debian Chromium, driven by playwright,
talking to the running assistant. Screenshots go to tests/output/ (and the README's one
to docs/).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "tests" / "output"
"""Screenshots for a person to look at (ignored by git)."""
DOCS_SCREENSHOT = ROOT / "docs" / "screenshot-webchat.png"
"""The README's picture of the page."""
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
XSS = "<img src=x onerror=\"document.title='pwned'\">"


def open_page(open_browser: Any, chat_url: str, **options: Any) -> Any:
    """A fresh browser on the chat page; page errors and console errors are recorded in
    `page.problems` (a CSP violation or a script error shows up there)."""
    context = open_browser(**options)
    page = context.pages[0] if context.pages else context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: page.problems.append(f"console: {msg.text}")
        if msg.type == "error"
        else None,
    )
    page.goto(chat_url)
    page.wait_for_load_state("networkidle")
    return page


def bot_messages(page: Any) -> Any:
    return page.locator("#messages .msg.bot:not(.typing)")


def ask(page: Any, text: str) -> Any:
    """Types a question, presses Enter, and returns the newest bot message once the
    assistant has answered."""
    before = bot_messages(page).count()
    page.get_by_label("输入您的问题").fill(text)
    page.get_by_label("输入您的问题").press("Enter")
    return wait_for_answer(page, before)


def wait_for_answer(page: Any, before: int) -> Any:
    """Waits until the assistant's reply to the latest message is shown; returns that
    reply (a locator pinned to its position, so later messages don't change it)."""
    page.wait_for_function(
        "n => document.querySelectorAll('#messages .msg.bot:not(.typing)').length > n"
        " && !document.querySelector('#messages .typing')",
        arg=before,
    )
    return bot_messages(page).nth(bot_messages(page).count() - 1)


def shoot(page: Any, name: str) -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / name
    page.screenshot(path=str(path))
    return path


def test_page_shows_hotlines_examples_and_an_accessible_input(
    open_browser: Any, chat_url: str
) -> None:
    page = open_page(open_browser, chat_url)
    assert page.title() == "廊坊市基本公共服务咨询"
    assert page.locator("html").get_attribute("lang") == "zh-CN"

    hotlines = page.get_by_role("navigation", name="咨询热线")
    for number, name in (
        ("12345", "政务服务便民热线"),
        ("12333", "人社"),
        ("12348", "法律"),
    ):
        link = hotlines.get_by_role("link", name=re.compile(number))
        assert link.is_visible()
        assert name in link.inner_text()
        assert link.get_attribute("href") == f"tel:{number}"

    chips = page.locator(".chip")
    assert chips.all_inner_texts() == [
        "低保找哪个部门",
        "我爸70岁了社区能免费体检吗",
        "法律援助电话多少",
    ]

    log = page.get_by_role("log")
    assert log.get_attribute("aria-live") == "polite"
    assert page.get_by_label("输入您的问题").is_visible()
    assert page.get_by_role("button", name="发送").is_visible()

    # Large type and big tap targets for elderly readers.
    base = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert base >= 18
    for selector in (".chip", "#send", "#input", ".hotline", ".tool"):
        height = page.locator(selector).first.bounding_box()["height"]
        assert height >= 44, (selector, height)
    assert page.problems == []


def test_ask_click_a_numbered_choice_and_read_the_answer(
    open_browser: Any, chat_url: str
) -> None:
    # Tall enough for the README's screenshot to show the choice and the whole answer.
    page = open_page(open_browser, chat_url, viewport={"width": 1000, "height": 1080})

    # An example chip asks its question.
    before = bot_messages(page).count()
    page.get_by_role("button", name="低保找哪个部门").click()
    answer = wait_for_answer(page, before).inner_text()
    assert "最低生活保障" in answer and "民政" in answer, answer
    # Hotline numbers in answers are tappable.
    assert bot_messages(page).last.locator('a[href^="tel:123"]').count() >= 1

    # An ambiguous question gets numbered choices as buttons.
    question = ask(page, "医保")
    choices = question.get_by_role("button")
    assert choices.count() >= 2, question.inner_text()
    # Each button shows its number as a badge and the item's name as its label.
    assert choices.first.get_attribute("aria-label").startswith("1. ")
    chosen_name = choices.first.locator(".label").inner_text()

    before = bot_messages(page).count()
    with page.expect_request("**/webhooks/chat/webhook") as sent:
        choices.first.click()
    assert json.loads(sent.value.post_data)["message"] == "1"
    # The citizen's bubble shows the choice they clicked, not a bare "1".
    assert page.locator("#messages .msg.user").last.inner_text().endswith(chosen_name)
    answer = wait_for_answer(page, before).inner_text()
    assert chosen_name in answer, answer
    # The answered list can no longer be clicked (its numbers refer to an old list).
    assert choices.first.is_disabled()

    shoot(page, "webchat-desktop.png")
    DOCS_SCREENSHOT.write_bytes((OUTPUT_DIR / "webchat-desktop.png").read_bytes())
    assert page.problems == []


def test_the_sender_id_is_stable_in_one_browser(
    open_browser: Any, chat_url: str
) -> None:
    page = open_page(open_browser, chat_url)
    senders = []
    for _ in range(2):
        with page.expect_request("**/webhooks/chat/webhook") as sent:
            ask(page, "你好")
        senders.append(json.loads(sent.value.post_data)["sender"])
        page.reload()
    assert senders[0] == senders[1]
    assert re.fullmatch(r"[0-9a-f]{32}", senders[0])
    stored = page.evaluate("localStorage.getItem('langfang-webchat-sender')")
    assert stored == senders[0]

    # Another browser (fresh profile) is another citizen.
    other = open_page(open_browser, chat_url)
    with other.expect_request("**/webhooks/chat/webhook") as sent:
        ask(other, "你好")
    assert json.loads(sent.value.post_data)["sender"] != senders[0]


def test_the_conversation_survives_a_reload_and_clearing_starts_afresh(
    open_browser: Any, chat_url: str
) -> None:
    page = open_page(open_browser, chat_url)
    sender = page.evaluate("localStorage.getItem('langfang-webchat-sender')")
    ask(page, "医保")
    shown = page.locator("#messages .msg").all_inner_texts()

    # A reload (a phone bringing back a tab it had put away) shows the same
    # conversation, and the unanswered list of choices still works.
    page.reload()
    assert page.locator("#messages .msg").all_inner_texts() == shown
    second = bot_messages(page).last.locator(".choice").nth(1)
    assert second.is_enabled()
    label = second.locator(".label").inner_text()
    before = bot_messages(page).count()
    second.click()
    assert label in wait_for_answer(page, before).inner_text()

    page.reload()
    chosen = page.locator("#messages .choice.chosen")
    assert chosen.count() == 1 and chosen.locator(".label").inner_text() == label
    assert page.locator("#messages .choice:enabled").count() == 0

    # 清空对话 leaves only the welcome and starts a new conversation (a new sender id).
    page.get_by_role("button", name="清空对话").click()
    page.reload()
    assert page.locator("#messages .msg").count() == 1
    assert page.evaluate("localStorage.getItem('langfang-webchat-sender')") != sender
    assert page.problems == []


def test_markup_typed_by_a_citizen_is_shown_as_text(
    open_browser: Any, chat_url: str
) -> None:
    page = open_page(open_browser, chat_url)
    ask(page, XSS)
    assert page.locator("#messages .msg.user .text").last.inner_text() == XSS
    assert page.locator("#messages img").count() == 0
    assert page.title() != "pwned"


def test_markup_in_a_reply_is_shown_as_text(open_browser: Any, chat_url: str) -> None:
    """The real assistant never sends markup, so to test how the page renders hostile
    content this one test answers the webhook from the browser's network layer."""
    page = open_page(open_browser, chat_url)
    hostile = [
        {"recipient_id": "x", "text": f"答复 {XSS}"},
        {
            "recipient_id": "x",
            "text": "选择",
            "buttons": [{"title": XSS, "payload": "1"}],
        },
    ]
    page.route(
        "**/webhooks/chat/webhook",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(hostile)
        ),
    )
    ask(page, "你好")
    page.wait_for_selector("#messages .choice")
    assert f"答复 {XSS}" in bot_messages(page).nth(-2).inner_text()
    assert page.locator("#messages .choice").last.inner_text().endswith(XSS)
    assert page.locator("#messages img").count() == 0
    assert page.title() != "pwned"


def test_a_network_failure_gets_a_polite_message_with_the_hotline(
    open_browser: Any, chat_url: str
) -> None:
    page = open_page(open_browser, chat_url)
    page.route(
        "**/webhooks/chat/webhook", lambda route: route.abort("internetdisconnected")
    )
    answer = ask(page, "低保找哪个部门").inner_text()
    assert "网络" in answer and "12345" in answer
    # The page recovers: the send button works again once the network is back.
    page.unroute("**/webhooks/chat/webhook")
    assert page.get_by_role("button", name="发送").is_enabled()
    assert "您好" in ask(page, "你好").inner_text()


def test_a_phone_sized_screen(open_browser: Any, chat_url: str) -> None:
    page = open_page(open_browser, chat_url, **PHONE)
    answer = ask(page, "法律援助电话多少")
    assert "12348" in answer.inner_text()

    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    height = page.evaluate("window.innerHeight")
    for selector in ("#input", "#send", ".hotlines", ".top h1"):
        box = page.locator(selector).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, selector
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    shoot(page, "webchat-phone.png")
    assert page.problems == []
