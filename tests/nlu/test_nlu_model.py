"""Intents and entities from the real trained model (models/langfang.tar.gz).

Loaded in-process with Rasa's Agent, as `rasa run` loads it; `make test` trains the
model first (`make setup`). Sentences are the issue's own examples, which are also
training examples: this checks the pipeline wiring (normaliser, jieba tokenizer,
entity ruler, regexes, synonyms) end to end, not generalisation (that is `make eval`).
"""

from __future__ import annotations

import asyncio
import os

import pytest

from bot import settings


@pytest.fixture(scope="module")
def parse():
    from rasa.core.agent import Agent

    model = settings.MODEL_DIR / "langfang.tar.gz"
    assert model.exists(), "no trained model: run `make setup` first"
    # The model loads build/nlu/spacy_zh by a path relative to the repository root,
    # as bot.stack starts Rasa there.
    cwd = os.getcwd()
    os.chdir(settings.ROOT)
    try:
        agent = Agent.load(str(model))
    finally:
        os.chdir(cwd)
    loop = asyncio.new_event_loop()

    def run(text: str) -> dict:
        return loop.run_until_complete(agent.parse_message(text))

    yield run
    loop.close()


def _entities(result: dict) -> set[tuple[str, str]]:
    return {(e["entity"], str(e["value"])) for e in result["entities"]}


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        (
            "我爸70岁了社区能免费体检吗",
            "check_eligibility",
            {("age", "70"), ("service", "免费体检")},
        ),
        ("低保找哪个部门", "ask_department", {("service", "低保")}),
        ("法律援助电话多少", "ask_hotline", {("service", "法律援助")}),
        ("那生育保险呢", "ask_service_info", {("service", "生育保险")}),
        ("我是残疾人，能享受哪些服务", "list_services", {("group", "残疾人")}),
        ("市司法局负责哪些服务", "list_services", {("department", "市司法局")}),
        ("社会保险都包括哪些", "list_services", {("domain", "社会保险")}),
        ("我爷爷八十岁了能领吗", "check_eligibility", {("age", "80")}),
        ("第二个", "choose", {("number", "2")}),
        ("电话多少", "ask_hotline", set()),
        ("转人工", "human_handoff", set()),
    ],
)
def test_intent_and_entities(parse, text, intent, expected):
    result = parse(text)
    assert result["intent"]["name"] == intent
    assert expected <= _entities(result), result["entities"]


def test_traditional_characters_are_read_as_simplified(parse):
    result = parse("低保找哪個部門")
    assert result["intent"]["name"] == "ask_department"
    assert ("service", "低保") in _entities(result)


def test_no_service_is_invented_for_small_talk(parse):
    for text in ("你好", "谢谢", "今天天气怎么样"):
        assert not [e for e in parse(text)["entities"] if e["entity"] == "service"]


def test_a_cue_word_settles_the_intent_in_the_pipeline(parse):
    # bot.components.intent_cues runs inside the model: whatever DIET ranked first, a
    # phone question is ask_hotline, with the cue's full confidence.
    result = parse("残疾人想学门手艺找个活干 残联那边电话多少")
    assert result["intent"] == {"name": "ask_hotline", "confidence": 1.0}
    assert result["intent_ranking"][0]["name"] == "ask_hotline"
    # The intents the cue ruled out cannot make the fallback call it ambiguous.
    assert result["intent_ranking"][1]["confidence"] <= 0.5
