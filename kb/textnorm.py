"""One normal form for citizen text, shared by the NLU pipeline, the actions and search.

Citizens type traditional characters, full-width digits and letters, stray control
characters pasted from other apps, and sometimes whole essays. Everything that compares
text with the knowledge base first passes it through :func:`normalize` so all parts see
the same string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_LENGTH = 500
"""Longer input is cut: no question about a public service needs more, and the cap keeps
every later step (segmentation, term scans, FTS queries) cheap."""

_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _converter():
    # Imported lazily: building the conversion tables costs ~50 ms, paid once.
    from opencc import OpenCC

    return OpenCC("t2s")


def _is_control(char: str) -> bool:
    # Cc (C0/C1 controls), Cf (zero-width and direction marks), Co/Cs/Cn (private,
    # surrogates, unassigned) never carry meaning in a citizen's question.
    return unicodedata.category(char)[0] == "C" and char not in "\t\n\r"


def normalize(text: str | None, max_length: int = MAX_LENGTH) -> str:
    """Return ``text`` in the project's normal form.

    Traditional characters become simplified (OpenCC ``t2s``), compatibility forms are
    folded (NFKC: full-width ``１２３３３`` becomes ``12333``, ``？`` becomes ``?``),
    control and format characters are dropped, runs of whitespace become one space,
    the ends are trimmed and the result is cut to ``max_length`` characters.

    Args:
        text: Any text; ``None`` is treated as empty.
        max_length: Upper bound on the length of the result.

    Returns:
        The normalised text (possibly empty).
    """
    if not text:
        return ""
    # Cap early as well, so a megabyte of input never reaches the converter.
    text = text[: max_length * 4]
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not _is_control(ch))
    text = _WHITESPACE.sub(" ", text).strip()
    if not text:
        return ""
    text = _converter().convert(text)
    return text[:max_length].strip()
