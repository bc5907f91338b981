"""A spaCy tokenizer for Chinese that segments with jieba and its own user dictionary.

spaCy's built-in Chinese tokenizer (``segmenter: jieba``) calls the *global* jieba, and
does not save a user dictionary with the model: a pipeline trained on knowledge-base
words would segment differently in any process that had not loaded the same dictionary
first (the Rasa server, `rasa train`, tests). This tokenizer owns a private
``jieba.Tokenizer`` and writes its dictionary into the model folder (``tokenizer/
userdict.txt``), so ``spacy.load(path)`` alone restores the exact segmentation.

spaCy finds the factory by name through the ``spacy_tokenizers`` entry point declared
in pyproject.toml (``langfang.jieba_tokenizer.v1``), so no import side effect is needed
in the loading process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import jieba
import spacy
from spacy.tokens import Doc
from spacy.util import DummyTokenizer, get_words_and_spaces
from spacy.vocab import Vocab

TOKENIZER_NAME = "langfang.jieba_tokenizer.v1"
USERDICT_FILE = "userdict.txt"

MIN_USER_FREQ = 50_000
"""Frequency given to user-dictionary words at least. jieba picks the segmentation path
with the highest product of word frequencies; a knowledge-base term must beat the
general dictionary's split of it ("城乡居民" + "基本养老保险") in every context, or the
entity ruler (which matches whole tokens) misses it."""

_DIGITS_AND_REST = re.compile(r"\d+|\D+")


class JiebaUserDictTokenizer(DummyTokenizer):
    """Segments text with a private jieba instance plus a user dictionary.

    Args:
        vocab: the spaCy vocabulary of the pipeline.
        words: user-dictionary words to add right away.
    """

    def __init__(self, vocab: Vocab, words: Iterable[str] = ()) -> None:
        self.vocab = vocab
        self.words: list[str] = []
        # Private instance: the process-wide jieba (jieba.dt) stays untouched, and two
        # pipelines with different dictionaries can live in one process.
        self._jieba = jieba.Tokenizer()
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Adds words to the user dictionary (duplicates and blanks are ignored)."""
        known = set(self.words)
        for word in words:
            word = word.strip()
            if not word or word in known or any(ch.isspace() for ch in word):
                continue
            known.add(word)
            self.words.append(word)
            freq = max(self._jieba.suggest_freq(word, False), MIN_USER_FREQ)
            self._jieba.add_word(word, freq)

    def segment(self, text: str) -> list[str]:
        """Returns the words of ``text``; digits are always split from other characters.

        Splitting digits keeps "70岁" as "70" + "岁" even when jieba's statistics glue
        them, so an age is always a whole token.
        """
        words: list[str] = []
        for word in self._jieba.cut(text, cut_all=False, HMM=True):
            if not word:
                continue
            if any(ch.isdigit() for ch in word) and not word.isdigit():
                words.extend(_DIGITS_AND_REST.findall(word))
            else:
                words.append(word)
        return words

    def __call__(self, text: str) -> Doc:
        words, spaces = get_words_and_spaces(self.segment(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)

    # --- serialization: the dictionary travels with the model -----------------------
    def to_bytes(self, **kwargs: object) -> bytes:
        return json.dumps(self.words, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs: object) -> JiebaUserDictTokenizer:
        self.add_words(json.loads(data.decode("utf-8")))
        return self

    def to_disk(self, path: str | Path, **kwargs: object) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        # jieba's own user-dictionary format ("word freq" per line), so the file can
        # also be read by jieba.load_userdict, e.g. by the search index.
        lines = [
            f"{w} {max(self._jieba.suggest_freq(w, False), MIN_USER_FREQ)}"
            for w in self.words
        ]
        (path / USERDICT_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, **kwargs: object) -> JiebaUserDictTokenizer:
        text = (Path(path) / USERDICT_FILE).read_text(encoding="utf-8")
        self.add_words(line.split(" ")[0] for line in text.splitlines())
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_jieba_tokenizer():
    """The spaCy factory named in the model's config.cfg as TOKENIZER_NAME."""

    def make(nlp: spacy.Language) -> JiebaUserDictTokenizer:
        return JiebaUserDictTokenizer(nlp.vocab)

    return make
