"""Ages and list choices as citizens type them."""

import pytest

from actions.numbers import (
    Age,
    chinese_to_int,
    names_a_position,
    only_a_number,
    parse_age,
    parse_choice,
    states_one_age,
)


@pytest.mark.parametrize(
    "text, expected",
    [("63", 63), ("六十三", 63), ("七十", 70), ("十五", 15), ("一百零一", 101),
     ("两", 2), ("六三", 63), ("八十", 80), ("abc", None), ("", None)],
)
def test_chinese_to_int(text, expected):
    assert chinese_to_int(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我爸63岁能享受吗", Age(63)),
        ("我妈七十岁了", Age(70)),
        ("老人六十三了,能免费体检吗", Age(63)),
        ("我70多岁", Age(70, approximate=True)),
        ("爷爷八十来岁", Age(80, approximate=True)),
        ("孩子5周岁", Age(5)),
        ("六十五", Age(65)),  # an `age` entity value
        ("第51项法律援助", None),
        ("低保找哪个部门", None),
        ("我200岁", None),
        ("我妈今年66了家里条件不好", Age(66)),  # "N了" mid-sentence after a person
        ("俺娘都八十多了还能领吗", Age(80, approximate=True)),
        ("我失业3个月了", None),
        ("工作了5年了能领吗", None),
        ("俺老伴都六十八了 她呢", Age(68)),  # before a space, after 老伴
        ("我今年六十八", Age(68)),
        ("今年3月份失业了", None),  # a date, not an age
        ("今年2026年", None),
        ("俺爹六十四 村医说得明年才给免费查体", Age(64)),  # a person, a number, a pause
        ("俺爸63", Age(63)),
        ("我2 个孩子", None),  # a count, not an age
        ("俺家老二五岁", Age(5)),  # 老二 is which child
        ("女的57呢", Age(57)),  # the wife of a couple just asked about
        ("老爷子61了", Age(61)),
        ("其他65个", None),  # 其他 is no 他
    ],
)
def test_parse_age(text, expected):
    assert parse_age(text) == expected


def test_approximate_age_spans_its_decade():
    age = Age(70, approximate=True)
    assert (age.low, age.high, str(age)) == (70, 79, "70多岁")
    assert Age(63).high == 63


@pytest.mark.parametrize(
    "text, expected",
    [("2", 2), ("第二个", 2), ("第2项", 2), ("选3", 3), ("三", 3), ("1.", 1),
     ("我要第一个", 1), ("最后一个", -1), ("51", 51), ("城乡居民的", None),
     ("好的", None), ("头一个", 1), ("要头一个吧", 1),
     # What people add around the position, and a position followed by more.
     ("看下2", 2), ("俺要2", 2), ("嗯 2吧", 2), ("2吧谢谢", 2), ("3 俺们村里的", 3),
     ("再问下第二个", 2), ("2吧 就它", 2), ("下一个", None), ("再来一个", None), ("65 岁了", None)],
)
def test_parse_choice(text, expected):
    assert parse_choice(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("51", True), ("要第51项", True), ("看下2", True), ("第二个", True),
     ("1 让冰雹砸的", False), ("3 俺们村里的", False)],
)
def test_only_a_number(text, expected):
    assert only_a_number(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [("第一个", True), ("头一个", True), ("就第二个吧", True), ("第1个", True),
     ("第51项", False), ("51", False), ("2", False), ("第一个 俺没单位", False)],
)
def test_a_position_in_a_list_is_not_an_item_number(text, expected):
    assert names_a_position(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("俺67了 在固安帮闺女带孩子", True),
        ("今年六十八", True),
        ("俺67了 孙子3岁", False),
        ("俺娘七十三了能享受吗 我爸75岁", False),
        ("社区能免费体检不", False),
    ],
)
def test_states_one_age(text, expected):
    assert states_one_age(text) is expected
