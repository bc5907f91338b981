"""The evaluation's plain functions: judging, fact checking, baseline, generator."""

from __future__ import annotations

import pytest

from bot.baseline import Bm25Baseline
from bot.factcheck import facts_from_kb, invented
from bot.heldout import Turn, holds, judge, mentioned_items, percentile
from bot.nlu_gen import chinese_numeral, generate_examples, load_vocabulary


@pytest.fixture(scope="module")
def facts(kb):
    return facts_from_kb(kb)


@pytest.fixture(scope="module")
def tables(kb):
    items = kb.items()
    return (
        {i.id: i.name for i in items},
        {i.id: i.departments[0] for i in items},
        {i.id: kb.hotline(i.id).number for i in items},
    )


def test_a_reply_with_item_department_and_hotline_passes(tables):
    reply = "「第51项 法律援助」由市司法局牵头负责。咨询电话：12348（法律服务热线）。"
    turn = Turn("法律援助找谁", ("ask_department",), (51,), "department")
    verdict = judge(turn, reply, "ask_department", *tables)
    assert verdict.ok, verdict.problems


def test_a_candidate_list_does_not_count_as_naming_the_one_item(tables):
    reply = (
        "您想问的是哪一项？\n1. 第21项 职工基本医疗保险\n2. 第23项 城乡居民基本医疗保险"
    )
    single = Turn("居民医保", ("ask_service_info",), (23,), "info")
    both = Turn("医保", ("ask_service_info",), (21, 23), "info")
    assert not judge(single, reply, "ask_service_info", *tables).ok
    assert judge(both, reply, "ask_service_info", *tables).item


def test_wrong_intent_and_missing_hotline_are_reported(tables):
    reply = "「第46项 最低生活保障」由市民政局牵头负责。"
    turn = Turn("低保电话", ("ask_hotline",), (46,), "hotline")
    verdict = judge(turn, reply, "ask_department", *tables)
    assert not verdict.ok
    assert verdict.intent is False and verdict.hotline is False
    assert verdict.department is True


@pytest.mark.parametrize(
    ("reply", "expected", "held"),
    [
        ("城乡居民基本养老保险参保率：2020年目标为90%以上。", ">90", True),
        ("城镇新增就业人数：“十三五”期间累计25万人以上。", ">25", True),
        ("农民工综合培训：“十三五”期间累计7万人次以上。", ">7", True),
        ("养老床位中护理型床位比例：2020年目标为30%以上。", "30以上", True),
        ("目标为190%以上", ">90", False),  # another number
        ("目标为90%左右", ">90", False),  # not a lower bound
        ("标准为每生每年1250元", "1250", True),
    ],
)
def test_the_tables_lower_bound_notation_is_held_by_the_same_bound_in_words(
    reply, expected, held
):
    assert holds(reply, expected) is held


def test_items_are_found_by_number_or_name(tables):
    names = tables[0]
    assert mentioned_items("先看「第3项 寄宿生生活补助」，再看法律援助", names) == [
        3,
        51,
    ]


def test_facts_from_the_kb_pass_and_made_up_ones_do_not(facts):
    good = (
        "「第3项 寄宿生生活补助」小学生每生每年1000元。牵头部门：市教育局；电话12345。"
    )
    assert invented(good, facts) == []
    bad = "每月发放999元，请拨打12399，或找市宇宙局。"
    assert invented(bad, facts) == [
        "department 市宇宙局",
        "hotline 12399",
        "number 12399",
        "number 999",
    ]


def test_the_users_own_numbers_may_be_repeated(facts):
    assert invented("您说您今年93岁。", facts, user_text="我今年93岁") == []
    assert invented("您说您今年93岁。", facts) == ["number 93"]
    # Written in Chinese numerals by the user, repeated in digits by the reply.
    assert invented("83岁符合这个年龄条件。", facts, user_text="俺奶奶八十三了") == []
    assert invented("93岁符合这个年龄条件。", facts, user_text="俺奶奶八十三了") == [
        "number 93"
    ]


def test_list_positions_are_not_facts(facts):
    reply = "1. 第46项 最低生活保障\n2. 第72项 无业重度残疾人最低生活保障\n回复 1/2 查看详情"
    assert invented(reply, facts) == []


def test_baseline_finds_plain_words_but_not_aliases(kb):
    baseline = Bm25Baseline(kb.items())
    assert baseline.search("法律援助电话多少") == [51]
    assert baseline.search("电话多少") == []  # nothing item-specific to match


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile([], 50) == 0.0


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (63, "六十三"),
        (70, "七十"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
    ],
)
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


def test_generated_examples_are_deterministic_and_cover_every_item(kb):
    vocab = load_vocabulary(kb)
    first, second = generate_examples(vocab), generate_examples(vocab)
    assert first == second
    text = "\n".join(line for lines in first.values() for line in lines)
    missing = [names[0] for names in vocab.item_names if f"[{names[0]}]" not in text]
    assert not missing, missing


def _row(text: str, ok: bool, answer_ok: bool | None = None, intent: str = "x") -> dict:
    return {
        "text": text,
        "intent": intent,
        "ok": ok,
        "answer_ok": ok if answer_ok is None else answer_ok,
        "problems": [] if ok else ["intent x not in y"],
    }


def test_replay_summary_counts_a_dialogue_right_only_when_every_turn_is():
    from bot.replay import summary

    rows = {
        "q0": _row("a", True),
        "q1": _row("b", False, answer_ok=True),
        "d0.0": _row("c", True),
        "d0.1": _row("d", False),
        "d1.0": _row("e", True),
    }
    assert summary(rows) == (
        "questions: fully right 1/2 (50.0%), answer right 2/2 (100.0%);"
        " dialogues right 1/2"
    )


def test_replay_compare_lists_gains_and_losses_and_refuses_another_set():
    from bot.replay import compare

    before = {"q0": _row("a", True), "q1": _row("b", False), "q2": _row("c", True)}
    after = {
        "q0": _row("a", False, intent="y"),
        "q1": _row("b", True),
        "q2": _row("c", True),
    }
    assert compare(before, after) == [
        "- q0 a [x → y] intent x not in y",
        "+ q1 b [x → x]",
    ]
    with pytest.raises(ValueError):
        compare(before, {"q0": _row("other", True)})
