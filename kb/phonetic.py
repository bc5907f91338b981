"""Knowledge-base terms written by sound: pinyin typed in Latin letters ("dibao") and
voice-input or pinyin-keyboard homophones ("残急人" for 残疾人, "微房改造" for 危房改造).

Many citizens, older ones especially, dictate their messages or pick characters from a
pinyin keyboard, so a service's name often arrives with the right sound and a wrong
character. `PhoneticIndex.correct` puts the knowledge base's own spelling back, and only
where the sound matches a known term exactly:

- a run of Latin letters (spaces allowed) whose toneless pinyin is a term's: "dibao",
  "di bao", "DiBao" → 低保 (four letters at least, so "ok" or "no" are left alone);
- a span of three or more Chinese characters with a term's pinyin that differs from the
  term in exactly one character ("残急人" → 残疾人, "公猪房" → 公租房). Not a span
  whose wrong character at its edge makes a word with its neighbour ("低保护理" is 护理,
  not 低保户), or is a function word there ("是建设局管吗" asks whether 建设局 is in
  charge; it is not a misspelt 市建设局). Inside the span a function word's sound is
  corrected: "临时就助" is 临时救助. In a three-character term a wrong character at the edge
  must also have the term's tone ("住学金" is 助学金; "能领就业困难…", lǐng, is not
  零就业, líng).
- a two-character term only with the very tones, one character wrong, where the two
  characters as written are no dictionary word and neither makes a word with its other
  neighbour ("低宝" → 低保; "一学期" stays): too many everyday words share the sound of
  a two-character term to go by 模糊音.

Sounds are compared the way pinyin keyboards' 模糊音 settings do, because the northern
dialects around 廊坊 blur them: zh/z, ch/c, sh/s, n/l, and -ng/-n.

A sound shared by two different terms is ambiguous and corrects nothing. Pinyin is taken
character by character on both sides, so polyphonic characters (重, 行) read the same in
a term and in a message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin

from kb.segment import STOPWORDS

MIN_CHINESE = 3
"""Shortest term corrected from homophones."""
MIN_LATIN = 4
"""Fewest letters read as pinyin."""
MAX_TERM = 12

_CJK_RE = re.compile(r"^[\u4e00-\u9fff]+$")
_LATIN_RUN_RE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
_AMBIGUOUS = ""


@lru_cache(maxsize=8192)
def _exact(char: str) -> str:
    syllables = lazy_pinyin(char)
    return syllables[0] if syllables else char


@lru_cache(maxsize=8192)
def _toned(char: str) -> str:
    syllables = lazy_pinyin(char, style=Style.TONE3)
    return syllables[0] if syllables else char


@lru_cache(maxsize=8192)
def _syllable(char: str) -> str:
    syllable = _exact(char)
    if syllable[:2] in ("zh", "ch", "sh"):
        syllable = syllable[0] + syllable[2:]
    if syllable.startswith("n"):
        syllable = "l" + syllable[1:]
    return syllable[:-1] if syllable.endswith("ng") else syllable


@lru_cache(maxsize=1)
def _two_character_words() -> frozenset[str]:
    """The two-character words of jieba's dictionary, read from its file: 18 MB, where
    initialising a jieba tokenizer for the same check would cost 77 MB (measured)."""
    with jieba.get_module_res(jieba.DEFAULT_DICT_NAME) as handle:
        words = (line.split(b" ", 1)[0].decode("utf-8", "ignore") for line in handle)
        return frozenset(w for w in words if len(w) == 2)


def _makes_word(text: str, at: int, neighbour: int) -> bool:
    """True when the characters at `at` and `neighbour` form a dictionary word."""
    if not 0 <= neighbour < len(text):
        return False
    pair = text[min(at, neighbour)] + text[max(at, neighbour)]
    return pair in _two_character_words()


def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin with 模糊音 folded, one syllable per character (non-Chinese
    characters as they are)."""
    return tuple(_syllable(c) for c in text)


class PhoneticIndex:
    """The sounds of a set of terms (item names, aliases, groups, domains)."""

    def __init__(
        self, terms: Iterable[str], meaning: Callable[[str], object] = str
    ) -> None:
        """`meaning(term)` says what a term stands for: two alike-sounding terms that
        mean the same (低保, and its common misspelling 底保 listed as an alias of the
        same item) are no ambiguity, and the first in sorted order is written."""
        self._meaning = meaning
        self._by_sound: dict[tuple[str, ...], str] = {}
        self._by_letters: dict[str, str] = {}
        self._two_by_tones: dict[tuple[str, ...], str] = {}
        terms = sorted(set(terms))
        for term in terms:
            if not (2 <= len(term) <= MAX_TERM and _CJK_RE.match(term)):
                continue
            sound = syllables(term)
            if len(term) >= MIN_CHINESE:
                self._add(self._by_sound, sound, term)
            else:
                self._add(self._two_by_tones, tuple(_toned(c) for c in term), term)
            # Typed pinyin is read as written: no 模糊音 for letters.
            self._add(self._by_letters, "".join(_exact(c) for c in term), term)
        self._lengths = sorted({len(s) for s in self._by_sound}, reverse=True)
        self._terms = {t for t in terms if len(t) >= MIN_CHINESE and _CJK_RE.match(t)}

    def _add(self, index: dict, key: object, term: str) -> None:
        known = index.get(key)
        if known is None:
            index[key] = term
        elif known and self._meaning(known) != self._meaning(term):
            index[key] = _AMBIGUOUS  # two terms sound alike: correct neither

    def correct(self, text: str) -> str:
        """The text with terms written by sound spelled as the knowledge base does."""
        return self._homophones(self._latin(text))

    def _latin(self, text: str) -> str:
        def spell(match: re.Match[str]) -> str:
            run = match.group(0)
            whole = self._by_letters.get(run.replace(" ", "").lower())
            if whole and len(run.replace(" ", "")) >= MIN_LATIN:
                return whole
            words = [
                self._by_letters.get(w.lower()) if len(w) >= MIN_LATIN else None
                for w in run.split(" ")
            ]
            if not any(words):
                return run
            return " ".join(t or w for t, w in zip(words, run.split(" ")))

        return _LATIN_RUN_RE.sub(spell, text)

    def _homophones(self, text: str) -> str:
        if not self._lengths:
            return text
        sounds = syllables(text)
        out: list[str] = []
        i = 0
        while i < len(text):
            replaced = False
            for length in self._lengths:
                span = text[i : i + length]
                if len(span) < length or not _CJK_RE.match(span):
                    continue
                if span in self._terms:
                    out.append(span)  # a correctly written term is kept whole
                    i += length
                    replaced = True
                    break
                term = self._by_sound.get(sounds[i : i + length])
                if term and self._fits(text, i, span, term):
                    out.append(term)
                    i += length
                    replaced = True
                    break
            if not replaced:
                term = self._two_character_term(text, i)
                out.append(term or text[i])
                i += len(term) if term else 1
        return "".join(out)

    def _two_character_term(self, text: str, start: int) -> str | None:
        """The two-character term `text[start:start + 2]` was meant to be: same sound
        and tones, one character wrong ("低宝" → 低保, "五宝" → 五保), where the two
        characters as written make no word and neither makes one with its other
        neighbour."""
        span = text[start : start + 2]
        if len(span) < 2 or not _CJK_RE.match(span):
            return None
        term = self._two_by_tones.get(tuple(_toned(c) for c in span))
        if not term or term == span or span in _two_character_words():
            return None
        if _wrong_character(span, term) is None:
            return None
        # Neither character may make a word with its outer neighbour: "一学期" is 一 +
        # 学期, not 医学; "低宝到底" is still 低宝 + 到底.
        if _makes_word(text, start, start - 1) or _makes_word(text, start + 1, start + 2):
            return None
        return term


    @staticmethod
    def _fits(text: str, start: int, span: str, term: str) -> bool:
        k = _wrong_character(span, term)
        if k is None:
            return False
        last = len(span) - 1
        if len(span) == MIN_CHINESE and k in (0, last) and _toned(span[k]) != _toned(
            term[k]
        ):
            # Two right characters and a sound at the edge is too little: "能领就业…"
            # is 领 (lǐng) + 就业, not 零就业 (líng). With the very tones, it is
            # enough: "住学金" is 助学金, "公租防" 公租房.
            return False
        if k == 0 and _makes_word(text, start, start - 1):
            return False
        return not (k == last and _makes_word(text, start + last, start + last + 1))


def _wrong_character(span: str, term: str) -> int | None:
    """Where `span` differs from `term`, when in exactly one character and that one is
    not a function word at the span's edge ("是建设局" is no misspelt 市建设局); None
    otherwise. Inside the span a function word has the term on both sides: "临时就助"
    is 临时救助."""
    wrong = [k for k, (a, b) in enumerate(zip(span, term)) if a != b]
    if len(wrong) != 1:
        return None
    k = wrong[0]
    if span[k] in STOPWORDS and k in (0, len(span) - 1):
        return None
    return k



