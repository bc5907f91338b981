"""廊坊's districts and counties as the document's place words (kb.places)."""

from __future__ import annotations

import pytest

from kb.places import document_place


@pytest.mark.parametrize(
    "text, place",
    [
        ("就在燕郊本地的学校上", "县城"),
        ("孩子在霸州上中专", "县城"),
        ("俺们在大厂县的学校", "县城"),
        ("学校在广阳区", "市区"),
        ("开发区那边的职校", "市区"),
        # Everyday words that hold a county's name are no place.
        ("儿子在大厂上班", None),
        ("在大城市打工", None),
        ("孩子在学校住校", None),
        # Both kinds named: no telling which is meant.
        ("从安次转到固安去念", None),
    ],
)
def test_document_place(text, place):
    assert document_place(text) == place
