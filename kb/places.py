"""廊坊's districts and counties, read as the place words the document's standards use.

Item 6 (中职免学费) pays 2300元 a year for "市区的学校" and 1600元 for "县(市)城区和乡镇
的学校". Citizens name their county or town instead: "就在燕郊本地的学校上", "孩子在霸州
上中专". 廊坊's 市区 is 广阳区 and 安次区 (with the 经济技术开发区); everything else is a
county (固安, 永清, 香河, 大城, 文安, 大厂) or a county-level city (三河, with 燕郊, and
霸州), so its schools are "县(市)城区和乡镇的学校".

Names that are also everyday words need their county's own word: 大厂 alone is "a big
factory" ("在大厂上班"), 大城 before 市 is "a big city".
"""

from __future__ import annotations

import re

_CITY = r"广阳|安次|开发区"
_COUNTY = r"三河|燕郊|霸州|固安|永清|香河|大城(?!市)|文安|大厂(?:县|回族)"
CITY_RE = re.compile(_CITY)
COUNTY_RE = re.compile(_COUNTY)

PLACE_NAMES = f"{_CITY}|{_COUNTY}"
"""Both kinds, for a pattern that only needs to know a place is named (no groups)."""


def document_place(text: str) -> str | None:
    """The document's word for the place the text names: "市区" (广阳, 安次), "县城" (a
    county or county-level city), or None when it names neither or both."""
    city, county = CITY_RE.search(text), COUNTY_RE.search(text)
    if city and not county:
        return "市区"
    if county and not city:
        return "县城"
    return None
