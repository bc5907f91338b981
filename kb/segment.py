"""Chinese word segmentation with the knowledge base's own user dictionary.

The FTS index, the search queries and the NLU pipeline must cut text the same way, or a
term indexed as ``免费体检`` is never found by a query cut as ``免费 / 体检``. This module
owns that setup: a dedicated ``jieba.Tokenizer`` (not jieba's global one, which other code
may load differently) with the item names, aliases, groups, departments and domains added
as user words. The builder stores the words in the database (table ``dictionary``); the
query side and the NLU generator rebuild the same tokenizer from them.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from functools import lru_cache

import jieba

USER_WORD_FREQ = 200_000
"""Frequency given to user words: high enough that jieba keeps each one whole."""

_STOPWORD_TEXT = """
    的 了 吗 呢 吧 啊 呀 哦 嘛 么 是 有 在 和 与 及 或 我 你 他 她 它 我们 你们 他们 咱 俺
    我家 家里 这 那 这个 那个 哪 哪个 哪些 哪里 什么 怎么 怎么办 怎样 如何 为什么 多少 几 能
    能不能 可以 可不可以 会 要 想 请问 请 问 问下 问一下 一下 一个 吗 么 没有 没 不 都 也 还
    就 才 又 给 让 被 把 对 向 到 从 去 来 上 下 里 中 个 些 啥 咋 谁 得 地 着 过 么 嘛 呗 哈 啦
    需要 应该 是不是 有没有 能否 帮 帮忙 告诉 知道 了解 一些 现在 今年 这样 那样 然后 但是
    因为 所以 如果 就是 还是 而且 已经 自己 其他 等 每 各 该 之 其 于 为 以 所 者
    电话 号码 联系方式 打电话 拨打 部门 负责 找
    """
# The last line: what a question asks for (a phone number, a department), not what it
# is about; as search words they pulled "过期药…举报电话多少" to the 12333 hotline item.
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
"""Words that carry no meaning for finding a service; dropped from search queries."""

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)

logging.getLogger("jieba").setLevel(logging.WARNING)


def dictionary_words(*groups: Iterable[str]) -> list[str]:
    """Merge word lists into one sorted, de-duplicated user dictionary.

    Words shorter than two characters are left out (jieba knows single characters
    already, and forcing them would split real words).
    """
    words = {w.strip() for group in groups for w in group if w and len(w.strip()) >= 2}
    return sorted(w for w in words if " " not in w)


def user_dict_text(words: Iterable[str]) -> str:
    """The words in jieba's dictionary file format (``word freq``, one a line).

    The NLU generator writes this to a file for Rasa's ``JiebaTokenizer`` or spaCy.
    """
    return "".join(f"{w} {USER_WORD_FREQ}\n" for w in words)


class Segmenter:
    """A jieba tokenizer with the knowledge base's user words, loaded on first use.

    Loading jieba's main dictionary takes about half a second, so it happens lazily
    (once per process) and under a lock, to be safe in a threaded action server.
    """

    def __init__(self, words: Iterable[str] = ()):
        self.words: tuple[str, ...] = tuple(dictionary_words(words))
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    def _get(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    for word in self.words:
                        tokenizer.add_word(word, freq=USER_WORD_FREQ)
                    self._tokenizer = tokenizer
        return self._tokenizer

    def cut(self, text: str) -> list[str]:
        """Precise-mode tokens, punctuation and spaces dropped."""
        return [t for t in self._get().cut(text) if t.strip() and not _PUNCT.match(t)]

    def cut_for_search(self, text: str) -> list[str]:
        """Search-mode tokens: long words also yield their parts (城乡 居民 … 医疗保险)."""
        return [
            t
            for t in self._get().cut_for_search(text)
            if t.strip() and not _PUNCT.match(t)
        ]

    def index_text(self, text: str) -> str:
        """Space-joined search-mode tokens, the form stored in the FTS index."""
        return " ".join(self.cut_for_search(text))

    def query_terms(self, text: str) -> list[str]:
        """Distinct meaningful search tokens of a question, in order of appearance."""
        seen: dict[str, None] = {}
        for token in self.cut_for_search(text):
            if token not in STOPWORDS and token not in seen:
                seen[token] = None
        return list(seen)


@lru_cache(maxsize=4)
def shared_segmenter(words: tuple[str, ...]) -> Segmenter:
    """One :class:`Segmenter` per distinct word list in this process.

    jieba's prefix dictionary costs about half a second and tens of megabytes per
    tokenizer; the builder, every opened knowledge base and the tests share one.
    """
    return Segmenter(words)
