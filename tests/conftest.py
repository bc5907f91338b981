"""Fixtures shared by every test directory: the knowledge base built from the real document.

The build takes about two seconds, so it happens once per session into a temporary
folder; tests never read or write build/kb.db.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base freshly built from kb/source and kb/curated."""
    from kb.build import build

    path = tmp_path_factory.mktemp("kb") / "kb.db"
    build(out=path)
    return path


@pytest.fixture(scope="session")
def kb(kb_path: Path):
    """The knowledge base at ``kb_path``, opened read-only."""
    from kb.query import KnowledgeBase

    knowledge_base = KnowledgeBase.open(kb_path)
    yield knowledge_base
    knowledge_base.close()
