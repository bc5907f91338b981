"""Curated example questions: likeness by characters, and their weight in the search."""

from __future__ import annotations

from kb.examples import ExampleIndex, features

EXAMPLES = [
    (53, "孩子爹妈都进去了 没人管"),
    (53, "娃的爹娘都不在了 谁来养"),
    (49, "家里着火了 东西都烧没了"),
    (50, "发大水把房子冲塌了"),
]


def test_features_are_characters_and_pairs_without_the_question_frame():
    found = features("俺家的 娃呢？")
    assert found["娃"] == 1 and found["俺家"] == 1
    assert "的" not in found and "俺" not in found  # frame characters alone
    assert "的娃" not in found  # a space splits the text


def test_the_closest_example_wins_and_names_its_item():
    index = ExampleIndex(EXAMPLES)
    closest = index.closest("邻居家孩子爹妈都进去了 孩子谁管")
    assert next(iter(closest)) == 53
    likeness, example = closest[53]
    assert 0.3 < likeness <= 1.0 and example == "孩子爹妈都进去了 没人管"
    assert index.closest("孩子爹妈都进去了 没人管")[53][0] == 1.0


def test_a_question_sharing_only_its_frame_is_not_alike():
    index = ExampleIndex(EXAMPLES)
    assert index.closest("能不能 怎么办", minimum=0.35) == {}
    assert index.closest("") == {}
    assert ExampleIndex([]).closest("孩子爹妈都进去了") == {}


def test_every_item_has_examples_in_the_knowledge_base(kb_path):
    import sqlite3

    with sqlite3.connect(kb_path) as db:
        counts = dict(
            db.execute("SELECT item_id, count(*) FROM item_examples GROUP BY 1")
        )
    assert set(counts) == set(range(1, 82))
    assert min(counts.values()) >= 10


def test_the_closest_example_in_the_knowledge_base(kb):
    item, likeness, runner_up = kb.closest_example("屋里着火了 被子粮食全烧了")
    assert item.id == 49  # 临时救助
    assert likeness > 0.5 and likeness > 2 * runner_up
    assert kb.closest_example("") is None
