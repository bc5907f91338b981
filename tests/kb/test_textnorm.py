"""The shared normal form and the jieba setup."""

from __future__ import annotations

import time

from kb.segment import Segmenter, dictionary_words, user_dict_text
from kb.textnorm import MAX_LENGTH, normalize


def test_traditional_to_simplified():
    assert normalize("醫療保險怎麼報銷") == "医疗保险怎么报销"


def test_full_width_to_half_width():
    assert normalize("打１２３３３，ＨＩＶ？") == "打12333,HIV?"


def test_controls_removed_and_whitespace_collapsed():
    assert normalize("\x00低保\x1b\u200b  \t\n 找谁\u202e ") == "低保 找谁"
    assert normalize("\u3000\u3000") == ""
    assert normalize(None) == ""


def test_length_capped():
    assert len(normalize("低" * 10_000)) == MAX_LENGTH
    assert len(normalize("低保 " * 10_000, max_length=20)) <= 20


def test_simplified_text_unchanged():
    text = "我爸70岁了社区能免费体检吗"
    assert normalize(text) == text


def test_normalize_speed(capsys):
    normalize("预热")
    started = time.perf_counter()
    for _ in range(1000):
        normalize("我爸七十歲了，社區能免費體檢嗎？")
    with capsys.disabled():
        print(
            f"\nnormalize: {(time.perf_counter() - started):.3f} ms per call (1000 calls)"
        )


def test_user_words_kept_whole():
    segmenter = Segmenter(["免费体检", "城乡居民基本医疗保险"])
    assert "免费体检" in segmenter.cut("我爸能免费体检吗")
    tokens = segmenter.cut_for_search("城乡居民基本医疗保险怎么报销")
    assert "城乡居民基本医疗保险" in tokens and "医疗" in tokens  # whole word and parts
    assert "吗" not in segmenter.query_terms("能免费体检吗")


def test_dictionary_helpers():
    assert dictionary_words(["低保", "低", "低保", " 医保 "], ["a b"]) == [
        "低保",
        "医保",
    ]
    assert user_dict_text(["低保"]).startswith("低保 ")


def test_dedicated_tokenizer_leaves_global_jieba_alone():
    import jieba

    Segmenter(["一个很特别的词语"]).cut("一个很特别的词语")
    assert "一个很特别的词语" not in list(jieba.cut("一个很特别的词语"))
