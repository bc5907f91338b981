"""The IntentCues component on real Rasa messages (no server, no model)."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.intent_cues import RULED_OUT_FACTOR, IntentCues


def _message(text: str, ranking: list[tuple[str, float]], kinds=()) -> Message:
    return Message(
        data={
            TEXT: text,
            INTENT: {"name": ranking[0][0], "confidence": ranking[0][1]},
            INTENT_RANKING_KEY: [{"name": n, "confidence": c} for n, c in ranking],
            ENTITIES: [{"entity": k, "value": "x"} for k in kinds],
        }
    )


def _process(message: Message) -> Message:
    IntentCues().process([message])
    return message


def test_a_cue_moves_the_intent_to_the_top_with_full_confidence():
    message = _process(
        _message("残联那边电话多少", [("ask_service_info", 0.96), ("ask_hotline", 0.03)])
    )
    assert message.get(INTENT) == {"name": "ask_hotline", "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking] == ["ask_hotline", "ask_service_info"]
    assert ranking[1]["confidence"] == 0.96 * RULED_OUT_FACTOR


def test_a_reading_the_text_cannot_have_gives_way_to_the_next():
    ranking = [("greet", 0.5), ("thanks", 0.2), ("check_eligibility", 0.2)]
    message = _process(_message("在市区上的学", ranking))
    assert message.get(INTENT)["name"] == "check_eligibility"


def test_without_a_cue_the_message_is_left_as_it_was():
    ranking = [("ask_standard", 0.8), ("ask_funding", 0.1)]
    message = _process(_message("低保能领多少钱", ranking))
    assert message.get(INTENT) == {"name": "ask_standard", "confidence": 0.8}


def test_a_message_without_an_intent_is_left_alone():
    message = Message(data={TEXT: "电话多少"})
    assert _process(message).get(INTENT) is None
