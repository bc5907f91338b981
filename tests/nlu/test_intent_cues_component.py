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
    message = _process(_message("低保一个月多少钱", ranking))
    assert message.get(INTENT) == {"name": "ask_standard", "confidence": 0.8}


def test_a_message_without_an_intent_is_left_alone():
    message = Message(data={TEXT: "电话多少"})
    assert _process(message).get(INTENT) is None


def test_a_reading_ruled_out_keeps_no_confidence_to_undo_the_next():
    # Left at 0.9 beside the next reading's 0.6, the ruled-out reading would make the
    # fallback's ambiguity check reject the replacement.
    # (No cue decides this wording; "在市区上的学" is now confirmed by the place cue.)
    ranking = [("greet", 0.9), ("check_eligibility", 0.6), ("ask_standard", 0.05)]
    message = _process(_message("上的是市区的学校", ranking))
    assert message.get(INTENT) == {"name": "check_eligibility", "confidence": 0.6}
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking][:2] == ["check_eligibility", "ask_standard"]
    assert {r["name"]: r["confidence"] for r in ranking}["greet"] == 0.0


def test_a_sure_reading_ruled_out_on_a_named_item_asks_about_the_item():
    # DIET was sure of ask_funding and left the rest next to nothing; no money word,
    # but an item named: what that item is.
    ranking = [("ask_funding", 0.99), ("help", 0.004), ("ask_department", 0.003)]
    message = _process(_message("怎么建个人健康档案", ranking, kinds=("service",)))
    assert message.get(INTENT) == {"name": "ask_service_info", "confidence": 0.99}


def test_an_unsure_reading_ruled_out_gives_way_to_the_next_reading():
    ranking = [("goodbye", 0.23), ("ask_standard", 0.2), ("thanks", 0.18)]
    message = _process(_message("娃上初中了 课本费还用自己掏不", ranking, ("service",)))
    assert message.get(INTENT)["name"] == "ask_standard"


def test_without_an_item_a_sure_reading_ruled_out_still_gives_way():
    ranking = [("ask_department", 0.99), ("ask_eligibility", 0.004)]
    message = _process(_message("卫生院卖的药是不是不加价", ranking))
    assert message.get(INTENT)["name"] == "ask_eligibility"


def test_a_curated_situation_names_an_item_as_an_alias_does(kb):
    # 老年人 is a group and 健康管理 no item's word alone; together they tell 老年人健康管理
    # (kb/curated/situations.csv), so "都包括些啥" asks what it offers, not for a list.
    ranking = [("ask_standard", 0.7), ("list_services", 0.2)]
    told = _process(
        _message("听说社区给老年人免费做健康管理，具体都包括些啥内容", ranking, ["group"])
    )
    assert told.get(INTENT)["name"] == "ask_standard"
    group_alone = _process(_message("给老年人的服务具体都包括些啥", ranking, ["group"]))
    assert group_alone.get(INTENT)["name"] == "list_services"


def test_a_told_situation_asking_what_there_is_asks_about_its_item(kb):
    ranking = [("list_services", 0.8), ("ask_service_info", 0.1)]
    message = _process(
        _message("爸妈出去打工 孩子在老家跟着奶奶 有啥关爱政策", ranking, ["group"])
    )
    assert message.get(INTENT)["name"] == "ask_service_info"


def test_a_groups_own_name_read_as_an_item_still_lists_the_group(kb):
    # 退役军人 is a group's name and an alias of 退役军人安置; the entity extractor
    # reports the item, and DIET read the story as out of scope.
    text = "楼下老张当过兵 退役军人都有啥政策"
    at = text.index("退役军人")
    message = _message(text, [("out_of_scope", 0.9), ("list_services", 0.1)])
    message.set(
        ENTITIES,
        [{"entity": "service", "value": "退役军人", "start": at, "end": at + 4}],
    )
    assert _process(message).get(INTENT)["name"] == "list_services"
    # Another word that names only items the group's name names (退伍, an alias of
    # 退役军人安置) does not make it a question about one item.
    text = "退伍好几年了 现在跑滴滴 退役军人都有啥政策"
    at = text.index("退役军人")
    message = _message(text, [("ask_service_info", 0.9), ("list_services", 0.1)])
    message.set(
        ENTITIES,
        [
            {"entity": "service", "value": "退伍", "start": 0, "end": 2},
            {"entity": "service", "value": "退役军人", "start": at, "end": at + 4},
        ],
    )
    assert _process(message).get(INTENT)["name"] == "list_services"
    # With an item the group's name does not name, it is about that item.
    text = "退役军人交城乡居民养老保险都有啥政策"
    message = _message(text, [("ask_service_info", 0.9), ("list_services", 0.1)])
    message.set(
        ENTITIES,
        [
            {"entity": "service", "value": "退役军人", "start": 0, "end": 4},
            {"entity": "service", "value": "城乡居民养老保险", "start": 5, "end": 13},
        ],
    )
    assert _process(message).get(INTENT)["name"] == "ask_service_info"
    # An item named by its own words is asked about, not listed.
    text = "优抚对象都有啥待遇"
    message = _message(text, [("ask_standard", 0.9), ("list_services", 0.1)])
    message.set(ENTITIES, [{"entity": "service", "value": "优抚对象", "start": 0, "end": 4}])
    assert _process(message).get(INTENT)["name"] == "ask_standard"
