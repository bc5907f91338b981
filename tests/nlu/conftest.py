"""Fixtures for the NLU tests: generated resources built from the test session's KB."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def nlu_out(kb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m bot.nlu_gen`'s output for the freshly built KB, in a temp folder.

    Tests read this rather than build/nlu/, so they check what the generator makes from
    the current document and curated data, whatever state the build folder is in.
    """
    from bot.nlu_gen import write_all

    out = tmp_path_factory.mktemp("nlu")
    write_all(kb, out)
    return out
