"""Curated example questions per item, and how close a question comes to them.

Citizens often describe their trouble instead of naming a service, in words no alias or
item text holds, or with a typo the segmenter cannot see past ("乡镇卫生院卖药还加价不"
is 基本药物制度, "职业技能坚定归谁管" is 职业技能鉴定). `kb/curated/examples.csv` gives
each item questions like that, written from the document; `actions.resolve` answers a
question that neither a term nor the full-text search settles with the item whose
examples it is clearly most like. The measure is the cosine of character unigram and
bigram vectors weighted by inverse document frequency: it needs no segmentation, so it
copes with typos, dialect words and unspaced text. No model to train: an example added
to the CSV counts from the next `python -m kb build`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from kb.textnorm import normalize

_NOT_FEATURES = re.compile(r"[\s\d,.!?;:'\"，。！？；：、~～…（）()\[\]【】-]+")
# Characters that make up the frame of any question ("俺家的能不能领啊"), not its
# topic: alone or two together they only add noise; beside a topic character they stay
# ("找工作" keeps 找工).
_FRAME_CHARS = frozenset(
    "的了吗么嘛呢吧啊呀嘞哈不没是有在我俺咱你他她这那个都还要就能给把被和跟与也又很啥咋怎么什哪谁找问"
)


def features(text: str) -> dict[str, int]:
    """Character unigrams and bigrams of the normalised text, with their counts,
    leaving out what is only question frame (a frame character alone, two together:
    "有没", "能不"); punctuation, digits and spaces split the text."""
    counts: dict[str, int] = defaultdict(int)
    for run in _NOT_FEATURES.split(normalize(text).lower()):
        for i, char in enumerate(run):
            if char not in _FRAME_CHARS:
                counts[char] += 1
            if i + 1 < len(run) and not (
                char in _FRAME_CHARS and run[i + 1] in _FRAME_CHARS
            ):
                counts[run[i : i + 2]] += 1
    return counts


class ExampleIndex:
    """Example questions of the items, searchable by likeness."""

    def __init__(self, examples: list[tuple[int, str]]):
        """Args:
        examples: (item id, question) pairs.
        """
        self._items = [item_id for item_id, _ in examples]
        self._texts = [text for _, text in examples]
        counted = [features(text) for _, text in examples]
        document_frequency: dict[str, int] = defaultdict(int)
        for counts in counted:
            for feature in counts:
                document_frequency[feature] += 1
        n = len(examples)
        self._idf = {
            f: math.log((1 + n) / (1 + df)) + 1 for f, df in document_frequency.items()
        }
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, counts in enumerate(counted):
            vector = self._weigh(counts)
            for feature, weight in vector.items():
                self._postings[feature].append((position, weight))

    def __len__(self) -> int:
        return len(self._texts)

    def _weigh(self, counts: dict[str, int]) -> dict[str, float]:
        """A unit-length tf-idf vector; features no example has are left out."""
        vector = {
            f: (1 + math.log(c)) * self._idf[f]
            for f, c in counts.items()
            if f in self._idf
        }
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {f: w / norm for f, w in vector.items()} if norm else {}

    def closest(self, text: str, minimum: float = 0.0) -> dict[int, tuple[float, str]]:
        """For each item with an example at least `minimum` alike (cosine 0..1), its
        best likeness and that example, best first."""
        dots: dict[int, float] = defaultdict(float)
        for feature, weight in self._weigh(features(text)).items():
            for position, other in self._postings.get(feature, ()):
                dots[position] += weight * other
        best: dict[int, tuple[float, str]] = {}
        for position, likeness in dots.items():
            item_id = self._items[position]
            if likeness >= minimum and likeness > best.get(item_id, (0.0, ""))[0]:
                best[item_id] = (round(likeness, 4), self._texts[position])
        return dict(sorted(best.items(), key=lambda pair: (-pair[1][0], pair[0])))
