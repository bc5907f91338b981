"""Telling a follow-up ("那生育保险呢") from a new question."""

import pytest

from actions.facets import (
    ELIGIBILITY,
    STANDARD,
    asked_facet,
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
