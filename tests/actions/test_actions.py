"""The Action classes with a real rasa_sdk Tracker and CollectingDispatcher.

Asserts both what each action says and the events it returns (RasaHQ/rasa-demo style).
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import ActionExecutor

from actions import actions as action_module
from actions.actions import (
    ActionAnswer,
    ActionChoose,
    ActionFallback,
    ActionHandoff,
    ActionIndicator,
    ActionListServices,
    ActionOutOfScope,
    KnowledgeAction,
)
from bot import settings
from tests.actions.conftest import make_tracker, run_action
from tests.actions.facts import assert_from_kb


def test_rasa_sdk_registers_every_action_without_touching_the_database():
    executor = ActionExecutor()
    executor.register_package("actions")
    names = set(executor.actions)
    assert {
        "action_answer", "action_choose", "action_list_services",
        "action_indicator", "action_handoff", "action_out_of_scope",
        "action_fallback",
    } <= names
    assert action_module._default_kb is None or settings.KB_PATH.exists()
    assert inspect.isabstract(KnowledgeAction)
    with pytest.raises(TypeError):
        KnowledgeAction()  # type: ignore[abstract]


def test_domain_declares_exactly_the_actions(domain):
    declared = set(domain["actions"])
    implemented = {cls().name() for cls in (
        ActionAnswer, ActionChoose, ActionListServices, ActionIndicator,
        ActionHandoff, ActionOutOfScope, ActionFallback)}
    assert declared == implemented


@pytest.mark.parametrize(
    "action_cls, text, intent, entities, slots, expected_text, expected_events",
    [
        (ActionAnswer, "法律援助找哪个部门", "ask_department",
         [{"entity": "service", "value": "法律援助"}], {},
         "「第51项 法律援助」由市司法局牵头负责",
         [SlotSet("item_id", 51), SlotSet("facet", "department"),
          SlotSet("candidates", None)]),
        (ActionAnswer, "电话多少", "ask_hotline", [], {"item_id": 15.0},
         "12333（人力资源和社会保障服务热线，人工服务为5×8小时",
         [SlotSet("item_id", 15), SlotSet("facet", "hotline"),
          SlotSet("candidates", None)]),
        (ActionAnswer, "那生育保险呢", "ask_service_info",
         [{"entity": "service", "value": "生育保险"}],
         {"item_id": 25, "facet": "funding"},
         "「第22项 生育保险」的资金（支出责任）：用人单位原则上按照不超过工资总额0.5%",
         [SlotSet("item_id", 22), SlotSet("facet", "funding"),
          SlotSet("candidates", None)]),
        (ActionChoose, "3", "choose", [{"entity": "number", "value": "3"}],
         {"candidates": [19, 20, 21], "facet": "department"},
         "「第21项 职工基本医疗保险」由市人力资源社会保障局牵头负责",
         [SlotSet("item_id", 21), SlotSet("facet", "department"),
          SlotSet("candidates", None)]),
        (ActionListServices, "公共文化体育有哪些", "list_services", [], {},
         "1. 第62项 公共文化设施免费开放",
         [SlotSet("candidates", list(range(62, 71))), SlotSet("facet", "info")]),
        (ActionIndicator, "2020年孕产妇死亡率目标", "ask_indicator", [], {},
         "孕产妇死亡率：2020年目标为14.0（1/10万），2015年为20.2（1/10万）。",
         [SlotSet("facet", "indicator"), SlotSet("indicators", ["孕产妇死亡率"])]),
        (ActionHandoff, "我要人工", "human_handoff", [], {"item_id": 51},
         "可拨打12348（法律服务热线", [SlotSet("item_id", 51)]),
    ],
)
def test_action(kb, dispatcher, domain, action_cls, text, intent, entities, slots,
                expected_text, expected_events):
    tracker = make_tracker(text, intent, entities, slots)
    events = run_action(action_cls(kb=kb), tracker, dispatcher, domain)
    assert events == expected_events
    assert len(dispatcher.messages) == 1
    reply = dispatcher.messages[0]["text"]
    assert expected_text in reply, reply
    assert_from_kb(kb, reply)


def test_choice_is_sent_as_text_and_plain_number_buttons(kb, dispatcher, domain):
    tracker = make_tracker("免费体检找谁", "ask_department",
                           [{"entity": "service", "value": "免费体检"}])
    events = run_action(ActionAnswer(kb=kb), tracker, dispatcher, domain)
    message = dispatcher.messages[0]
    assert "请回复序号 1/2" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["1", "2"]
    assert all(not b["payload"].startswith("/") for b in message["buttons"])
    candidates = dict((e["name"], e["value"]) for e in events)["candidates"]
    assert sorted(candidates) == [32, 40]


LONG = "我想问一下低保的事情" * 500  # 5,000 characters


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("", "nlu_fallback", "没有看懂您发的内容"),
        ("😀😀😀🙏", "nlu_fallback", "没有看懂您发的内容"),
        ("   \u200b\x1d ", "nlu_fallback", "没有看懂您发的内容"),
        ("／restart", "nlu_fallback", "12345"),
        ("/ask_department{\"service\":\"低保\"}", "nlu_fallback", "12345"),
        ("'; DROP TABLE items; --", "nlu_fallback", "12345"),
        ("SELECT * FROM items WHERE 1=1", "nlu_fallback", "12345"),
        ("hello, how are you", "nlu_fallback", "12345"),
        (LONG, "ask_service_info", "第46项 最低生活保障"),
        ("低保找哪個部門", "ask_department", "「第46项 最低生活保障」由市民政局牵头负责"),
        ("請問法律援助電話多少", "ask_hotline", "12348"),
        ("dibao低保de电话shi多少", "ask_hotline", "第46项 最低生活保障"),
        ("ＳＱＬ；ｄｒｏｐ", "ask_service_info", "12345"),
    ],
)
def test_bad_input_gets_a_sensible_reply(
    kb, dispatcher, domain, text, intent, expected
):
    action_cls = ActionFallback if intent == "nlu_fallback" else ActionAnswer
    tracker = make_tracker(text, intent)
    run_action(action_cls(kb=kb), tracker, dispatcher, domain)
    assert len(dispatcher.messages) == 1
    reply = dispatcher.messages[0]["text"]
    assert expected in reply, reply
    assert len(reply) < 680  # fits one WeChat passive reply
    assert_from_kb(kb, reply)


def test_missing_knowledge_base_gets_an_apology_not_a_500(tmp_path):
    """With no build/kb.db the default KB cannot open; the user still gets an answer."""
    code = (
        "import asyncio, json\n"
        "from rasa_sdk.executor import CollectingDispatcher\n"
        "from actions.actions import ActionAnswer\n"
        "from tests.actions.conftest import make_tracker\n"
        "d = CollectingDispatcher()\n"
        "t = make_tracker('低保找谁', 'ask_department')\n"
        "ev = asyncio.run(ActionAnswer().run(d, t, {}))\n"
        "print(json.dumps([ev, d.messages], ensure_ascii=False))\n"
    )
    env = {"LANGFANG_KB_PATH": str(tmp_path / "missing.db"), "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(settings.ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    events, messages = json.loads(result.stdout.strip().splitlines()[-1])
    assert events == []
    assert messages[0]["text"] == action_module.UNAVAILABLE


def test_a_new_session_forgets_the_topic(domain):
    session = domain["session_config"]
    assert session["carry_over_slots_to_new_session"] is False
    assert all(
        slot["influence_conversation"] is False for slot in domain["slots"].values()
    )
