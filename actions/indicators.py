"""Answers about the 主要发展指标 table: 2020 targets with unit and 2015 baseline."""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from actions import facets

MAX_SHOWN = 3
"""A question usually names one indicator; more than a few means it named none."""


def _with_unit(value: str, unit: str) -> str:
    """"95%" / ">90" + "%" → "90%以上" / "4.8" + "万套" → "4.8万套"; "" for "-"."""
    value = (value or "").strip()
    if not value or value in ("-", "—"):
        return ""
    more = ""
    if value.startswith(">"):
        value, more = value.lstrip(">=").strip(), "以上"
    elif value.endswith("以上"):
        value, more = value[: -len("以上")], "以上"
    if unit and unit not in value:
        value = f"{value}（{unit}）" if "/" in unit else f"{value}{unit}"
    return value + more


def describe(indicator: Any) -> str:
    """One indicator in a sentence: target first, then the 2015 value or the total."""
    unit = indicator.unit or ""
    target = _with_unit(indicator.target_2020, unit)
    base = _with_unit(indicator.value_2015, unit)
    total = _with_unit(indicator.cumulative, unit)
    parts = []
    if target:
        parts.append(f"2020年目标为{target}")
    if total:
        parts.append(f"“十三五”期间累计{total}")
    if base:
        parts.append(f"2015年为{base}")
    if not parts:
        parts.append("文件中没有给出具体数值")
    return f"{indicator.name}：{'，'.join(parts)}。"


def for_item(kb: Any, item: Any) -> list[Any]:
    """Indicators about an item: those whose name contains the item's name
    (城镇棚户区住房改造 → 4.8万套; 城乡居民基本养老保险参保率 → >90%)."""
    return [i for i in kb.indicators() if item.name in i.name]


def _best(found: list[Any], text: str) -> list[Any]:
    # find_indicators keeps the longest name overlap; "婴儿死亡率" also shares 死亡率
    # with two others as much. An indicator named in full wins.
    named = [i for i in found if i.name in text]
    if named:
        return named
    return found


_PLAN_WORDS = ("2020", "二零二零", "二〇二〇", "到二零年", "到二〇年", "到20年",  # 2020
               "十三五", "目标", "指标")
"""Words naming the plan's year or its targets."""
_TARGET_WORDS = (*_PLAN_WORDS, "率", "比例", "占比", "人次", "规划", "计划", "2015",
                 "达到", "降到", "提高到", "万人", "万套", "多少户", "占多少", "占多大")


def asks_for_a_target(text: str) -> bool:
    """True when the wording is about a planned figure (a rate, a target, a year),
    as every question about the 主要发展指标 table is."""
    return any(word in text for word in _TARGET_WORDS)


_BASE_YEAR_RE = re.compile(r"2015|一五年|十二五末|原来是多少|以前是多少")


def asks_for_the_base_year(text: str) -> bool:
    """True for "2015年的时候是多少": the table's 2015 column."""
    return bool(_BASE_YEAR_RE.search(text))


def asks_for_a_plan_target(text: str) -> bool:
    """True when the wording asks a planned figure and names the plan's year or target
    ("2020年…占多大比例"): stricter than `asks_for_a_target`, whose 率 / 比例 alone an
    item's standard can answer."""
    return any(word in text for word in _PLAN_WORDS)


def named_in_follow_up(kb: Any, text: str, previous: Sequence[str] = ()) -> list[Any]:
    """Indicators a follow-up like "那孕产妇死亡率呢" names without doubt.

    A full indicator name, or a topic of four or more characters that only one
    indicator's name contains ("那5岁以下儿童的呢"). Shorter topics ("那低保呢") are left
    to the items: "低保户" inside the 危房改造 indicator is not what that citizen means.

    `previous` names the indicators of the answer just given. Right after one, a
    topic is read against its measure ("孕产妇死亡率" → "婴儿的呢" is 婴儿死亡率), and an
    item with an indicator of its own asks for that one ("那棚户区改造呢").
    """
    found = [i for i in kb.indicators() if i.name in text]
    if found:
        return found
    topic = _follow_up_topic(text)
    if previous and len(topic) >= 2:
        found = _same_measure(kb, topic, previous) or _of_named_item(kb, topic)
        if not found and len(topic) >= SPREAD_TOPIC_CHARS:
            # "那农民工培训呢" after another indicator: 农民工综合培训, its words apart.
            found = _spread_in_one_name(kb, topic)
        if found:
            return found
    if len(topic) < 3:
        return []
    found = _named_by_topic(kb, topic)
    if not found:
        # "5岁以下小孩的呢": indicators say 儿童 where citizens say 小孩.
        found = _named_by_topic(kb, _canonical_groups(kb, topic))
    if not found:
        # "那医保参保率呢": 医保 is what 基本医疗保险参保率 calls 基本医疗保险.
        found = _named_by_topic(kb, _canonical_services(kb, topic))
    if not found and _MEASURE_RE.search(topic):
        # "那经常锻炼身体的人比例呢": not the indicator's words, but a measure the
        # search over indicators ranks one indicator first for.
        best = kb.find_indicators(topic, best_only=True)
        found = best if len(best) == 1 else []
    if not found and _ASKS_TARGET_RE.search(text):
        # "那棚户区改造的目标呢": 棚户区改造 names item 60, whose target is meant.
        found = _of_named_item(kb, topic)
    return found


_FOLLOW_UP_HEAD_RE = re.compile(r"^(?:那么|那要是|要是|那个|那|还有|换成|如果是|对了)+")
_FOLLOW_UP_TAIL_RE = re.compile(
    r"(?:的|这块|那块|这一块|那一块|方面)*(?:的?(?:指标|目标|规划))?"
    r"(?:的|这块|那块|这一块|那一块|方面)*$"
)
_ASKS_TARGET_RE = re.compile(r"指标|目标")
_MEASURE_RE = re.compile(r"率|比例|人次|人数|多少人|多少套|多少户")


_SMALL_NUMBERS = str.maketrans("一二三四五六七八九", "123456789")
_SMALL_NUMBER_RE = re.compile(r"[一二三四五六七八九](?=岁)")


def _follow_up_topic(text: str) -> str:
    """What a follow-up asks about: "那要是农村危房改造那块的目标呢" → 农村危房改造;
    "医保的参保率呢" → 医保参保率, "那五岁以下的小孩呢" → 5岁以下小孩 (as the table
    writes its names)."""
    topic = text.strip("?？。!！ ")
    topic = topic[:-1] if topic.endswith("呢") else topic
    topic = _FOLLOW_UP_TAIL_RE.sub("", _FOLLOW_UP_HEAD_RE.sub("", topic))
    topic = _SMALL_NUMBER_RE.sub(lambda m: m.group(0).translate(_SMALL_NUMBERS), topic)
    return topic.replace("的", "").replace(" ", "")


_MEASURE_TAIL = 3
"""How much of a name's end says what is measured: 死亡率, 参保率, 覆盖率."""


def _same_measure(kb: Any, topic: str, previous: Sequence[str]) -> list[Any]:
    """The one indicator measuring what a previous one did, for the topic's people
    or service: 婴儿 after 孕产妇死亡率 is 婴儿死亡率; 医保参保率 after 城乡居民基本养老
    保险参保率 is 基本医疗保险参保率."""
    tails = {name[-_MEASURE_TAIL:] for name in previous if len(name) > _MEASURE_TAIL}
    measured = [
        i
        for i in kb.indicators()
        if i.name[-_MEASURE_TAIL:] in tails and i.name not in previous
    ]
    # The citizen's own words first: 婴儿 is in one name, its group's name 儿童 in two.
    spellings = (topic, _canonical_groups(kb, topic), _canonical_services(kb, topic))
    for spelling in spellings:
        core = _core(spelling)
        found = [i for i in measured if core and core in i.name]
        if len(found) == 1:
            return found
    return []


def _core(topic: str) -> str:
    """The topic without the measure the previous indicator supplies ("医保参保率" →
    the part before 参保率 once respelt), so that it is looked for in a name."""
    for measure in ("死亡率", "参保率", "覆盖率", "供养率", "巩固率", "率", "比例"):
        if topic.endswith(measure) and len(topic) > len(measure):
            return topic[: -len(measure)]
    return topic


def _replace_terms(
    kb: Any, text: str, replacement: Callable[[Any], str | None]
) -> str:
    """The text with each term match that `replacement` gives a spelling for respelt;
    matches are taken from the end, and one overlapping a respelt match is skipped."""
    limit = len(text)
    for m in sorted(kb.match_terms(text), key=lambda m: (-m.start, m.end)):
        spelling = replacement(m) if m.end <= limit else None
        if spelling:
            text = text[: m.start] + spelling + text[m.end :]
            limit = m.start
    return text


def _canonical_groups(kb: Any, text: str) -> str:
    """The text with everyday words for groups of people replaced by the groups'
    names (小孩 → 儿童)."""
    return _replace_terms(kb, text, lambda m: m.canonical if m.kind == "group" else None)


def _canonical_services(kb: Any, text: str) -> str:
    """The text with an alias naming several items replaced by the longest part their
    names share (医保 → 基本医疗保险, the part of 职工基本医疗保险 and 城乡居民基本医疗
    保险 that an indicator's name uses)."""

    def shared_name(m: Any) -> str | None:
        if m.kind != "alias" or len(m.item_ids) < 2:
            return None
        first, *others = [kb.item(i).name for i in m.item_ids]
        return max(
            (
                first[a:b]
                for a in range(len(first))
                for b in range(a + 2, len(first) + 1)
                if all(first[a:b] in n for n in others)
            ),
            key=len,
            default=None,
        )

    return _replace_terms(kb, text, shared_name)


SPREAD_TOPIC_CHARS = 4
"""A follow-up topic this long may have other words between its own in the name."""


def _spread_in_one_name(kb: Any, topic: str) -> list[Any]:
    """The one indicator whose name holds the topic's characters in order."""
    pattern = re.compile(".*?".join(map(re.escape, topic)))
    found = [i for i in kb.indicators() if pattern.search(i.name)]
    return found if len(found) == 1 else []


def _named_by_topic(kb: Any, topic: str) -> list[Any]:
    if len(topic) == 3:
        # "那阅读率呢" names a rate and "孕产妇呢" starts an indicator's name; in "那低保
        # 呢" the topic is an item, though 低保户 is inside the 危房改造 indicator.
        found = [
            i
            for i in kb.indicators()
            if (topic.endswith("率") and topic in i.name) or i.name.startswith(topic)
        ]
    else:
        found = [i for i in kb.indicators() if topic in i.name]
    return found if len(found) == 1 else []


def _of_named_item(kb: Any, text: str) -> list[Any]:
    """The indicators of the one item the text names ("十三五棚改一共计划改多少万套":
    棚改 is 城镇棚户区住房改造, whose indicator is 4.8万套)."""
    ids = {
        i
        for m in kb.match_terms(text)
        if m.kind in ("service", "alias")
        for i in m.item_ids
    }
    return for_item(kb, kb.item(ids.pop())) if len(ids) == 1 else []


_RATE_RE = re.compile(r"[\u4e00-\u9fff]{2,4}率")


def rate_in_standard(item: Any, text: str) -> bool:
    """True when the text asks about a rate that the item's own standard sets
    ("那这个管理率得达到多少" after 孕产妇健康管理: 孕产妇健康管理率逐步达到90%以上),
    not one of the 主要发展指标."""
    return any(
        m.group(0)[i:] in item.standard
        for m in _RATE_RE.finditer(text)
        for i in range(len(m.group(0)) - 2)
    )


SOURCE = "（来源：《廊坊市“十三五”推进基本公共服务均等化规划》主要发展指标）"


def answer_for(found: Sequence[Any]) -> str:
    """The reply giving these indicators, with the table as source."""
    return "\n".join(describe(i) for i in found) + "\n" + SOURCE


def answer(
    kb: Any, text: str, context_item: Any = None, previous: Sequence[str] = ()
) -> tuple[str, list[Any]]:
    """The answer to "2020年婴儿死亡率要降到多少", or the list of indicators; with the
    indicators it gives (none for the list).

    `context_item` is the item under discussion: of several indicators the wording
    fits ("这个参保率" fits two), the ones of that item are meant. `previous` names the
    indicators of the answer just given: a question naming none ("2015年是多少来着")
    is about those.
    """
    found = _best(kb.find_indicators(text, best_only=True), text) or _of_named_item(
        kb, text
    )
    if len(found) > 1 and context_item is not None:
        own = for_item(kb, context_item)
        found = [i for i in found if i in own] or found
    if not found and previous:
        found = [i for i in kb.indicators() if i.name in previous]
    if (
        not found
        and context_item is not None
        and (facets.POINTS_BACK_RE.search(text) or asks_for_a_plan_target(text))
    ):
        # "这个到2020年一共要改多少套" / "十三五要改多少套" while discussing 城镇棚户区
        # 住房改造: a target that names nothing is the item's own.
        found = for_item(kb, context_item)
    if found and len(found) <= MAX_SHOWN:
        return answer_for(found), found
    names = "、".join(i.name for i in kb.indicators())
    return (
        f"规划列出了{len(kb.indicators())}项主要发展指标：{names}。\n"
        "请告诉我您想了解哪一项，例如“2020年婴儿死亡率目标是多少”。"
    ), []

