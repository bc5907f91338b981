"""The site-search baseline: what a citizen gets from a plain search box.

SQLite FTS5 ranked by bm25 over each item's published text (name, 服务对象, 服务指导标准,
支出责任, departments), segmented by jieba with its stock dictionary only: no aliases,
no knowledge-base user words, no dialogue. The top hit is the baseline's answer. The
evaluation puts it next to the assistant on the same held-out questions.
"""

from __future__ import annotations

import re
import sqlite3

import jieba

from kb.textnorm import normalize

_WORD = re.compile(r"\w", re.UNICODE)


class Bm25Baseline:
    """An in-memory FTS5 index of the 81 items.

    Args:
        items: `kb.query.Item` objects (only their published texts are used).
    """

    def __init__(self, items: list) -> None:
        # A private tokenizer with jieba's stock dictionary: whatever user words other
        # code loaded into the global jieba must not help the baseline.
        self._jieba = jieba.Tokenizer()
        self._db = sqlite3.connect(":memory:")
        self._db.execute("CREATE VIRTUAL TABLE items USING fts5(body)")
        for item in items:
            text = " ".join(
                [item.name, item.target, item.standard, item.funding, *item.departments]
            )
            self._db.execute(
                "INSERT INTO items(rowid, body) VALUES (?, ?)",
                (item.id, self._cut(text)),
            )

    def _tokens(self, text: str) -> list[str]:
        return [t for t in self._jieba.cut(normalize(text)) if _WORD.search(t)]

    def _cut(self, text: str) -> str:
        return " ".join(self._tokens(text))

    def search(self, text: str, limit: int = 1) -> list[int]:
        """Item ids best first (bm25 over the OR of the question's words)."""
        terms = dict.fromkeys(self._tokens(text))
        if not terms:
            return []
        query = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self._db.execute(
            "SELECT rowid FROM items WHERE items MATCH ? ORDER BY bm25(items), rowid"
            " LIMIT ?",
            (query, limit),
        ).fetchall()
        return [row[0] for row in rows]
