"""The pure reply builders: document text display, parts of a cell, eligibility rules."""

from __future__ import annotations

import pytest

from actions import eligibility, replies
from actions.numbers import Age


def test_display_makes_scraped_punctuation_chinese():
    assert replies.display("小学生1000元,初中生1250元;(含县镇)") == (
        "小学生1000元，初中生1250元；（含县镇）"
    )
    assert replies.display("1,000") == "1,000"


@pytest.mark.parametrize(
    "message, expected",
    [("小学生呢", ["小学生每生每年1000元"]), ("初中生多少", ["初中生每生每年1250元"]),
     ("多少钱", [])],
)
def test_matching_clauses(kb, message, expected):
    assert replies.matching_clauses(kb.item(3).standard, message) == expected


@pytest.mark.parametrize(
    "message, label",
    [("个人的呢", "个人对象"), ("我们家里着火了", None), ("家庭对象", "家庭对象")],
)
def test_matching_section(kb, message, label):
    section = replies.matching_section(kb.item(49), message)
    assert (section.label if section else None) == label


@pytest.mark.parametrize(
    "item_id, age, fits, words",
    [
        (32, Age(63), False, ["65岁及以上老年人", "满65岁后"]),
        (32, Age(65), True, ["符合"]),
        (32, Age(60, approximate=True), None, ["要看具体年龄"]),  # 60多岁 spans 65
        (37, Age(63), None, ["其他服务对象"]),  # its age bounds cover only some users
        (30, Age(7), False, ["0—6岁"]),
        (51, Age(40), None, None),  # no age condition at all
    ],
)
def test_check_age(kb, item_id, age, fits, words):
    verdict = eligibility.check_age(kb.item(item_id), age)
    if words is None:
        assert verdict is None
        return
    assert verdict.fits is fits
    for word in words:
        assert word in verdict.reason


def test_check_reply_always_leaves_the_decision_to_the_department(kb):
    reply = eligibility.check_reply(kb, kb.item(23), "我是农村户口", None)
    assert "您说的情况符合「第23项 城乡居民基本医疗保险」" in reply
    assert reply.splitlines()[-2] == "最终能否享受，以市人力资源社会保障局的审核认定为准。"
