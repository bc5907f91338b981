"""Which list item(s) a message is about.

Evidence is taken in order of reliability: service entities from NLU, then every
knowledge-base term found in the text (item names and aliases), then the item already
under discussion, then free-text search. Score margins decide between one item, a
numbered choice and nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from actions.facets import content_words, is_elliptical

MAX_CHOICES = 5
"""A numbered choice longer than this is not a clarification any more."""
SEARCH_MARGIN = 1.5
"""The best search hit must score this many times the second to be taken alone."""
MIN_CONTENT_CHARS = 2
"""Content left after removing question words must be at least this long before a
search can override the item under discussion (a single character matches too much)."""

SERVICE_KINDS = ("service", "alias")
"""Term kinds that name items (an item's own name, a curated alias); groups,
departments and domains only narrow a search."""
MIN_SEARCH_SCORE = 4.5
"""kb.search gives the best pure full-text hit 4.0 whatever the question; above this,
curated terms (a group, a department) agree with the text: the hit means something."""

_ITEM_REF_RE = re.compile(r"第\s*(\d{1,2})\s*项")
"""「第51项」: citizens reading the published list refer to items by number."""

ENTITY = "entity"
TERM = "term"
CONTEXT = "context"
SEARCH = "search"
NONE = "none"


@dataclass
class Resolution:
    """The outcome: one item (answer it), several (ask which), or none (say so).

    Attributes:
        items: the candidate items, best first.
        source: which kind of evidence decided (ENTITY, TERM, CONTEXT, SEARCH, NONE).
        terms: the knowledge-base terms that matched, for the reply's wording.
    """

    items: list[Any] = field(default_factory=list)
    source: str = NONE
    terms: list[str] = field(default_factory=list)

    @property
    def item(self) -> Any | None:
        return self.items[0] if len(self.items) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.items) > 1


def outermost(matches: Iterable[Any]) -> list[Any]:
    """Drops term matches lying inside a longer match ("养老保险" in "城乡居民基本养老保险")."""
    matches = list(matches)
    kept = []
    for m in matches:
        inside = any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in matches
        )
        if not inside:
            kept.append(m)
    return kept


def service_ids_in(kb: Any, text: str) -> tuple[list[int], list[str]]:
    """Item ids named in the text by item names and aliases, in order of mention."""
    matches = [m for m in kb.match_terms(text) if m.kind in SERVICE_KINDS]
    ids: list[int] = []
    terms: list[str] = []
    for m in sorted(outermost(matches), key=lambda m: m.start):
        terms.append(m.term)
        for item_id in m.item_ids:
            if item_id not in ids:
                ids.append(item_id)
    return ids, terms


def entity_values(entities: Iterable[dict], name: str) -> list[str]:
    return [
        str(e.get("value") or "") for e in entities or [] if e.get("entity") == name
    ]


def _rank(kb: Any, text: str, ids: list[int], context_id: int | None) -> list[int]:
    """One id when the whole message clearly fits it best, else all ids in order."""
    if context_id in ids:
        # "养老保险谁出钱" while talking about 城乡居民基本养老保险: the user means that one.
        return [context_id]
    scores = {hit.item.id: hit.score for hit in kb.search(text, limit=20)}
    ranked = sorted(ids, key=lambda i: -scores.get(i, 0.0))
    if len(ranked) > 1:
        first, second = scores.get(ranked[0], 0.0), scores.get(ranked[1], 0.0)
        if first > 0 and first >= SEARCH_MARGIN * second and second > 0:
            return ranked[:1]
    # Close candidates are offered in the list's own order, so "2" after "医保…" always
    # means the same item, whatever small score differences the wording makes.
    return sorted(ids)


def resolve(
    kb: Any,
    text: str,
    entities: Iterable[dict] = (),
    context_id: int | None = None,
) -> Resolution:
    """Decides which item(s) a message is about.

    Args:
        kb: the knowledge base (`kb.query.KnowledgeBase`).
        text: the normalized message text.
        entities: NLU entities of the message (Rasa's dicts).
        context_id: the item under discussion before this message, if any.
    """
    ids: list[int] = []
    terms: list[str] = []
    source = NONE
    for value in entity_values(entities, "service"):
        found, found_terms = service_ids_in(kb, value)
        if not found:
            hits = kb.search(value, limit=1)
            found = [hits[0].item.id] if hits else []
            found_terms = [value] if hits else []
        ids += [i for i in found if i not in ids]
        terms += found_terms
        source = ENTITY
    in_text, text_terms = service_ids_in(kb, text)
    for ref in _ITEM_REF_RE.finditer(text):
        if kb.item(int(ref.group(1))) is not None and int(ref.group(1)) not in in_text:
            in_text.append(int(ref.group(1)))
            text_terms.append(ref.group(0))
    if in_text:
        if not ids:
            source = TERM
        ids += [i for i in in_text if i not in ids]
        terms += [t for t in text_terms if t not in terms]
    if ids:
        ranked = _rank(kb, text, ids, context_id)
        return Resolution([kb.item(i) for i in ranked[:MAX_CHOICES]], source, terms)

    content = content_words(text)
    if context_id is not None and (
        is_elliptical(text) or len(content) < MIN_CONTENT_CHARS
    ):
        return Resolution([kb.item(context_id)], CONTEXT)

    hits = search_candidates(kb, text) if len(content) >= 1 else []
    if hits:
        return Resolution(hits, SEARCH)
    if context_id is not None:
        return Resolution([kb.item(context_id)], CONTEXT)
    return Resolution()


def search_candidates(kb: Any, text: str) -> list[Any]:
    """Items from free-text search: the best alone if it stands out, else close ones."""
    hits = [
        h for h in kb.search(text, limit=MAX_CHOICES)
        if h.score >= MIN_SEARCH_SCORE and h.matched_terms
    ]
    if not hits:
        return []
    best = hits[0].score
    if len(hits) == 1 or best >= SEARCH_MARGIN * hits[1].score:
        return [hits[0].item]
    return [h.item for h in hits if h.score * SEARCH_MARGIN >= best]
