"""The knowledge base as NLU components see it at inference: opened once, lazily.

Components run inside the Rasa server, which (like the action server) reads the built
knowledge base at `settings.KB_PATH`. Without one, NLU still works: each component
falls back to reading the text alone, and a warning says so once.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)
_kb: Any = None
_missing = False


def knowledge_base() -> Any | None:
    """The open `kb.query.KnowledgeBase`, or None when it cannot be opened."""
    global _kb, _missing
    if _kb is None and not _missing:
        from bot import settings
        from kb.query import KnowledgeBase, KnowledgeBaseError

        try:
            _kb = KnowledgeBase.open(settings.KB_PATH)
        except KnowledgeBaseError as exc:
            _missing = True
            logger.warning(
                "NLU runs without the knowledge base (no sound correction, no "
                "out-of-list cue): %s",
                exc,
            )
    return _kb
