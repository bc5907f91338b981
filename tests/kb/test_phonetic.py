"""kb.phonetic on the real knowledge base's terms: pinyin and homophones spelt back,
and nothing else touched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.phonetic import PhoneticIndex, syllables

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("dibao 找哪个部门", "低保 找哪个部门"),
        ("di bao谁能申请", "低保谁能申请"),
        ("DiBao", "低保"),
        ("yang lao bao xian", "养老保险"),
        ("dibao zenme shenqing", "低保 zenme shenqing"),  # the rest is left as typed
        ("残急人能享受哪些服务", "残疾人能享受哪些服务"),  # voice input
        ("农村微房改造找哪个局", "农村危房改造找哪个局"),
        ("公猪房怎么申请", "公租房怎么申请"),  # zh/z blurred, as 模糊音 does
        ("健康档按怎么建", "健康档案怎么建"),
        # Same sound and tones: two-character terms, and the edge of three.
        ("啥样的人家能吃低宝", "啥样的人家能吃低保"),
        ("村里说他能进五宝 是真的不", "村里说他能进五保 是真的不"),
        ("高中贫困生那个住学金 每人能拿多少", "高中贫困生那个助学金 每人能拿多少"),
        ("能申请公租防么", "能申请公租房么"),
        # A function word's sound inside a term, between its right characters.
        ("临时就助咨询电话多少", "临时救助咨询电话多少"),
    ],
)
def test_terms_written_by_sound_are_spelt_back(kb, text, expected):
    assert kb.correct_sounds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "低保护理",  # 护理 is a word: not 低保户
        "我爸能领就业困难人员的补贴吗",  # 领 + 就业, not 零就业 (edge of a 3-char term)
        "无障碍环境支持是建设局管吗",  # 是 is a function word, not 市
        "残疾人能享受哪些服务",  # already right
        "ok好的",
        "no",
        "hello",
        "法律援助 phone number 多少",
        "医保",
        "一包烟",  # yī bāo is not 医保's yī bǎo
        "娃读初中一学期得交多少钱",  # 一 + 学期, not 医学
        "",
    ],
)
def test_everything_else_is_left_alone(kb, text):
    assert kb.correct_sounds(text) == text


def test_no_training_example_is_changed(kb):
    """The NLU training data is spelt right: a correction there would be a false one."""
    texts = []
    files = [*ROOT.glob("nlu_data/*.yml"), *ROOT.glob("build/nlu/data/generated.yml")]
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.append(re.sub(r"\[([^\]]*)\]\([a-z_]+\)", r"\1", line[2:]))
    assert len(texts) > 1500
    changed = [(t, kb.correct_sounds(t)) for t in texts if kb.correct_sounds(t) != t]
    assert not changed


def test_terms_that_sound_alike_correct_nothing():
    index = PhoneticIndex(["公租房", "公祖房"])  # same sound, two terms
    assert index.correct("公组房") == "公组房"
    assert syllables("张") == syllables("脏")  # zh/z


def test_terms_that_sound_alike_and_mean_the_same_are_no_ambiguity(kb):
    index = PhoneticIndex(["公租房", "公祖房"], meaning=lambda term: "item 59")
    assert index.correct("公组房") in ("公租房", "公祖房")
    assert index.correct("公祖房 公租房") == "公祖房 公租房"  # a known term stays
    # 底保, a misspelling listed as an alias of 低保's item, leaves "dibao" readable.
    assert kb.item(46).aliases.count("底保") == 1
    assert kb.correct_sounds("申请dibao得够啥条件") == "申请低保得够啥条件"
