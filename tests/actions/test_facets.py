"""Telling a follow-up ("那生育保险呢") from a new question."""

import os
import subprocess
import sys

import pytest

from actions.facets import (
    ASKS_OWN_SHARE_RE,
    ELIGIBILITY,
    STANDARD,
    asked_facet,
    asks_when_staffed,
    content_words,
    cued_facets,
    facet_for_intent,
    is_elliptical,
)


@pytest.mark.parametrize(
    "text, expected",
    [("那生育保险呢", True), ("小学生呢?", True), ("那个人对象呢", True),
     ("生育保险找哪个部门", False), ("那电话呢", False), ("低保是什么", False),
     ("", False)],
)
def test_is_elliptical(text, expected):
    assert is_elliptical(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [("找哪个部门", ""), ("电话多少", ""), ("谁能领", ""), ("孩子打疫苗找谁", "孩子疫苗")],
)
def test_content_words_strip_question_words(text, expected):
    assert content_words(text) == expected


def test_cues_and_intents():
    assert cued_facets("打什么电话") == ["hotline"]
    assert facet_for_intent("ask_department") == "department"
    assert facet_for_intent("greet") is None


def test_what_one_can_draw_asks_the_standard():
    # "能领" alone asks who qualifies; "能领点啥" asks what is paid.
    assert asked_facet("厂子黄了 俺失业了能领点啥") == STANDARD
    assert asked_facet("失业保险金谁能领") == ELIGIBILITY


@pytest.mark.parametrize(
    "text, expected",
    [
        ("棚户区改造 老百姓自己得掏钱不", True),
        ("农村危房改造 自个儿还得掏钱不", True),  # 自个儿 is how many say 自己
        ("为房改造自个还得掏钱不", True),
        ("危房改造找谁", False),
    ],
)
def test_whether_the_citizen_pays_a_share(text, expected):
    assert bool(ASKS_OWN_SHARE_RE.search(text)) == expected


def test_what_is_left_of_a_question_does_not_depend_on_the_hash_seed():
    # Cues overlap ("给多少", "多少钱"): removed in set order, "能给多少钱" left "钱" in
    # some processes and nothing in others, and got a different reply.
    code = "from actions.facets import content_words as c; print(repr(c('能给多少钱')))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert outputs == {"''\n"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12333人工几点有人接", True),
        ("12333人工几点有人 半夜打有人接不", True),
        ("社保的事儿 人工啥时候有人接", True),
        ("转人工", False),
        ("人工几点有人 给俺转人工", False),  # put through now
        ("找个工作人员跟我说", False),
    ],
)
def test_asks_when_staffed(text, expected):
    assert asks_when_staffed(text) is expected
