"""What the assistant says and remembers for each kind of turn, as plain functions.

Each handler takes the knowledge base and a `Turn` (what the user just said plus the
remembered context) and returns an `Outcome` (messages to send, slots to set). The
Action classes in `actions.actions` only translate between these and rasa_sdk.

Context lives in three slots: `item_id` (the item under discussion), `facet` (what was
last asked about it) and `candidates` (the item ids of the last numbered list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from actions import eligibility, facets, indicators, lists, replies
from actions.numbers import (
    Age,
    describes_age_range,
    names_a_position,
    only_a_number,
    parse_age,
    parse_choice,
)
from actions.resolve import (
    CONTEXT,
    SITUATION_CHARS,
    ENTITY,
    MAX_CHOICES,
    SEARCH,
    SERVICE_KINDS,
    TERM,
    distinguishing,
    resolve,
    service_ids_in,
)

ITEM_SLOT = "item_id"
FACET_SLOT = "facet"
CANDIDATES_SLOT = "candidates"
INDICATORS_SLOT = "indicators"

UNSURE = "我不太确定是否理解对了您的问题，先按最接近的一项回答："

_MEANINGFUL_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_AGE_WORDS_RE = re.compile(r"[\d零一二两三四五六七八九十百]+\s*[多来几]?\s*(?:周岁|岁)|今年")


@dataclass
class Turn:
    """One user message with the context remembered before it.

    Attributes:
        text: the message in normal form (`kb.textnorm.normalize`).
        intent: the NLU intent name.
        entities: the NLU entities (Rasa's dicts).
        item_id: the item under discussion, if any.
        facet: the facet last asked about, if any.
        candidates: item ids of the last numbered list, in order.
        indicators: names of the indicators the last indicator answer gave.
    """

    text: str
    intent: str | None = None
    entities: list[dict] = field(default_factory=list)
    item_id: int | None = None
    facet: str | None = None
    candidates: list[int] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """Messages to send (keyword arguments of `utter_message`) and slots to set."""

    messages: list[dict] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str, buttons: list[dict] | None = None) -> "Outcome":
        message: dict[str, Any] = {"text": text}
        if buttons:
            message["buttons"] = buttons
        self.messages.append(message)
        return self


def stated_age(turn: Turn) -> Age | None:
    """The age in the message: read from the text, else from the `age` entity NLU
    found (the text's own reading knows "俺家老二五岁" is 5, where the tagger took 二五)."""
    from_text = parse_age(turn.text)
    if from_text is not None:
        return from_text
    for entity in turn.entities:
        if entity.get("entity") == "age":
            age = parse_age(str(entity.get("value") or ""))
            if age is not None:
                return age
    return None


def _choice(
    kb: Any,
    items: list[Any],
    facet: str,
    intro: str = "您想问的是哪一项？",
    message: str = "",
) -> Outcome:
    previews = [replies.preview(kb, item, facet, message) for item in items]
    out = Outcome().say(
        replies.choice_text(items, intro, previews), replies.choice_buttons(items)
    )
    out.slots = {CANDIDATES_SLOT: [i.id for i in items], FACET_SLOT: facet}
    return out


def answer_item(
    kb: Any, item: Any, facet: str, turn: Turn, refine: bool = True
) -> Outcome:
    """The answer about one item; it becomes the item under discussion.

    Args:
        refine: answer the part that fits who the user said they are; off for a reply
            to a numbered list, whose words name the item, not the user.
    """
    message = turn.text if refine else ""
    if facet == facets.CHECK:
        age = stated_age(turn) if refine else None
        text = eligibility.check_reply(kb, item, message, age)
    else:
        text = replies.compose(kb, item, facet, message)
    out = Outcome().say(text)
    out.slots = {ITEM_SLOT: item.id, FACET_SLOT: facet, CANDIDATES_SLOT: None}
    return out


def off_list(kb: Any, text: str) -> Outcome | None:
    """The answer to a message about a topic the list does not cover ("公积金咋提取"),
    unless it also names a list item; None otherwise. The item under discussion is
    dropped: "电话多少" next asks about that topic, not the earlier item."""
    topics = kb.not_in_list(text)
    if not topics or service_ids_in(kb, text)[0]:
        return None
    out = Outcome().say(replies.not_in_list_text(topics))
    out.slots = {ITEM_SLOT: None, CANDIDATES_SLOT: None}
    return out


_NAMED_BENEFIT_RE = re.compile(r"(?<=[\u4e00-\u9fff]{2})(补助|补贴|资助|津贴)")


def is_follow_up(kb: Any, text: str) -> bool:
    """"那X呢" (facets.is_elliptical), where a word that asks a facet does not count when
    it is part of what X calls the service: "那住校生的生活补助呢" after "…谁出钱" asks
    who pays for 寄宿生生活补助, though 补助 alone would ask how much."""
    if facets.is_elliptical(text):
        return True
    bare = text  # already in normal form, as match_terms' offsets are
    for m in kb.match_terms(bare):
        if m.kind in SERVICE_KINDS:
            bare = bare[: m.start] + " " * (m.end - m.start) + bare[m.end :]
    return facets.is_elliptical(_NAMED_BENEFIT_RE.sub("", bare))


def question_facet(kb: Any, turn: Turn) -> str:
    """The facet asked for: from the intent, or the previous one for "那X呢"."""
    facet = facets.facet_for_intent(turn.intent) or facets.INFO
    # Only an item's facet carries over; after an indicator answer "那低保呢" is new.
    follow_up = turn.facet in facets.ITEM_FACETS and is_follow_up(kb, turn.text)
    if (
        facet in (facets.INFO, facets.CHECK)
        and follow_up
        and turn.facet in (facets.ELIGIBILITY, facets.CHECK)
        and stated_age(turn) is not None
    ):
        # "多大岁数能做" → "俺老伴都六十八了 她呢": check that age against the bound.
        return facets.CHECK
    if facet in (facets.INFO, facets.CHECK) and follow_up:
        # "工伤保险归哪个部门" → "那生育保险呢": same question, other item. A stated age or
        # group ("那63岁呢") keeps it an eligibility check.
        if not (facet == facets.CHECK and turn.facet == facets.INFO):
            return turn.facet
    return facet


_QUESTION_RE = re.compile(r"[吗么呢嘛不没啥谁哪几?？]|多少|什么|怎么|咋|是否|能否")


def is_statement(text: str) -> bool:
    """True for a bare statement ("俺家孩子上小学"): no question word, no facet cue."""
    return not _QUESTION_RE.search(text) and not facets.cued_facets(text)


_WHAT_IF_RE = re.compile(r"要是|如果|假如|若是")


def refines_current_standard(kb: Any, turn: Turn) -> bool:
    """True for a bare statement right after a standard question that names whose
    part of that standard applies ("寄宿生补助给多少钱" → "孩子在市区的学校上"), or a
    "what if" asking that part ("那要是念小学呢", "要是转到市区的学校呢 免多少")."""
    if turn.item_id is None or turn.facet != facets.STANDARD:
        return False
    what_if = bool(_WHAT_IF_RE.search(turn.text)) and set(
        facets.cued_facets(turn.text)
    ) <= {facets.STANDARD}
    return (is_statement(turn.text) or what_if) and replies.refines_standard(
        kb.item(turn.item_id), turn.text
    )


def _names_a_part_of(current: Any | None, found: Any, turn: Turn) -> bool:
    """True when the words that name another item each name a part of the current
    item's standard, and nothing but the standard is asked: "他妹妹上小学呢" or "上小学的
    一年给多少" after 寄宿生生活补助 asks its 小学生 part (上小学 also names 免费义务
    教育, but a follow-up about a person's school is about the subsidy discussed)."""
    return (
        current is not None
        and found.source in (TERM, ENTITY)
        and found.item is not current
        and bool(found.terms)
        and all(replies.matching_clauses(current.standard, t) for t in found.terms)
        and set(facets.cued_facets(turn.text)) <= {facets.STANDARD}
    )


def _only_about_the_user(kb: Any, text: str) -> bool:
    """True for "我是残疾人" / "我70岁了": who the user is, and nothing they want."""
    rest = _AGE_WORDS_RE.sub(" ", text)
    for m in kb.match_terms(text):
        if m.kind == "group":
            rest = rest.replace(text[m.start : m.end], " ")
    return len(facets.content_words(rest)) < 2


_LEADING_PART_RE = re.compile(r"^\s*(\S{2,6}的)[\s,，]+\S")
"""A short "X的" before the rest of a message: "职工的 村里小伙在厂里上班"."""


def _not_an_item_question(kb: Any, turn: Turn) -> Outcome | None:
    """The reply to a message that only looks like an item question, whatever NLU made
    of it: a person asked for ("找个工作人员跟我说", "还是不太明白 转人工吧"), an
    indicator follow-up ("婴儿死亡率目标多少" → "那孕产妇死亡率呢"), a topic outside
    the list. None for a real item question."""
    if facets.wants_person(turn.text):
        return handoff(kb, turn)
    if indicator_follow_up(kb, turn):
        return indicator(kb, turn)
    return off_list(kb, turn.text)


def answer(kb: Any, turn: Turn) -> Outcome:
    """A question about an item: 谁能享受 / 多少钱 / 找哪个部门 / 电话 / 谁出钱 / 我能不能."""
    early = _not_an_item_question(kb, turn)
    if early is not None:
        return early
    found = resolve(kb, turn.text, turn.entities, turn.item_id)
    if (
        indicators.asks_for_a_plan_target(turn.text)
        and kb.find_indicators(turn.text, best_only=True)
        and not (found.item and indicators.rate_in_standard(found.item, turn.text))
    ):
        # "2020年经常锻炼身体的人要占多大比例" read as an item question: 锻炼身体 names
        # 全民健身服务, but the plan's year and a rate its standard lacks ask the
        # indicator's target.
        return indicator(kb, turn)
    facet = question_facet(kb, turn)
    if facet == facets.CHECK and describes_age_range(turn.text):
        # NLU reads any age as a stated situation; "65岁以上老人…吗" asks who qualifies.
        facet = facets.ELIGIBILITY
    named = found.source in (TERM, ENTITY)
    if len(turn.candidates) > 1:
        # A numbered list is on screen. "职工的 村里小伙在厂里上班单位给交的" under
        # 职工/城乡居民 医保: the pick comes first, and the story after it names other
        # items (厂里上班 is 劳动关系). A message naming none of the 81 items is a
        # choice in other words ("村里老百姓自己交的那个" after 职工/城乡居民 养老保险).
        lead = _LEADING_PART_RE.match(turn.text)
        picked = distinguishing(kb, lead.group(1), turn.candidates) if lead else None
        if picked is None and not named:
            picked = distinguishing(kb, turn.text, turn.candidates)
        if picked is not None:
            asked = turn.facet if turn.facet in facets.ITEM_FACETS else facets.INFO
            return answer_item(kb, kb.item(picked), asked, turn, refine=False)
    if len(turn.candidates) > 1 and not named:
        if (
            found.source != CONTEXT
            and len(facets.content_words(turn.text)) < SITUATION_CHARS
        ):
            # "找哪个部门办" under a list: the question is clear, the item is still to
            # be picked; search on a word or two ("办") would pick one at random.
            items = [kb.item(i) for i in turn.candidates]
            return _choice(kb, items, facet, "请先回复序号，告诉我是哪一项：")
    current = kb.item(turn.item_id) if turn.item_id is not None else None
    if (
        current is not None
        and facet in (facets.CHECK, facets.ELIGIBILITY, facets.INFO, facets.STANDARD)
        and eligibility.check_exclusion(current, turn.text) is not None
    ):
        # "孩子学的舞蹈表演 也能免吗" after 中职免学费: the list leaves 表演专业 out,
        # whatever else its words name (唱戏 is also 送地方戏).
        return answer_item(kb, current, facets.CHECK, turn)
    if refines_current_standard(kb, turn) or _names_a_part_of(current, found, turn) or (
        facet in (facets.CHECK, facets.INFO, facets.ELIGIBILITY)
        and turn.facet == facets.STANDARD
        and found.source == CONTEXT
        and facets.ELIGIBILITY not in facets.cued_facets(turn.text)
        and replies.refines_standard(found.item, turn.text)
    ):
        # "寄宿生生活补助给多少钱" → "俺家孩子上小学" / "在市区上的学吗": how much for
        # them, not whether they qualify (no 谁能 / 条件 in it). A bare statement
        # refines even when its words name or suggest another item (上小学 also names
        # 免费义务教育, "孩子…学校" suggests 留守儿童): it says whose part applies.
        return answer_item(kb, current, facets.STANDARD, turn)
    if facet == facets.CHECK and not named:
        if turn.item_id is not None:
            # "我是农村户口" / "我爸63岁能享受吗" while an item is under discussion.
            return answer_item(kb, current, facet, turn)
        if found.item is not None and not _only_about_the_user(kb, turn.text):
            # "农村独生子女父母60岁有奖励吗": the question itself points at one item.
            return answer_item(kb, found.item, facet, turn)
        # "我是残疾人" with nothing under discussion: show what that group can use.
        label, items = lists.select(kb, turn.text, stated_age(turn))
        if items:
            return list_outcome(label, items)
    if found.item is not None:
        return answer_item(kb, found.item, facet, turn)
    if found.ambiguous:
        return _choice(kb, found.items, facet, message=turn.text)
    if not facets.content_words(turn.text):
        # "找哪个部门" as the first message: the question is clear, the item is not.
        out = Outcome().say(
            "请问您想了解哪项服务？请把服务名称告诉我，例如“法律援助找哪个部门”"
            "“低保电话多少”。"
        )
        out.slots = {FACET_SLOT: facet}
        return out
    label, items = lists.select(kb, turn.text)
    if items:
        # "文化体育这块政府都提供些啥": no item, but a domain, department or group whose
        # services can be listed, which helps more than "not found".
        return list_outcome(label, items)
    return Outcome().say(replies.NOT_FOUND)


def list_outcome(label: str, items: list[Any]) -> Outcome:
    shown = items[: lists.MAX_LISTED]
    out = Outcome().say(lists.list_text(label, items))
    out.slots = {CANDIDATES_SLOT: [i.id for i in shown], FACET_SLOT: facets.INFO}
    return out


def list_services(kb: Any, turn: Turn) -> Outcome:
    """"社会保险都包括哪些" / "我是残疾人，能享受哪些服务" / "市司法局负责哪些服务"."""
    outside = off_list(kb, turn.text)
    if outside is not None:
        return outside
    if refines_current_standard(kb, turn):
        # "孩子在市区的学校上" after "中职免学费多少": 孩子 is no request for a list.
        return answer_item(kb, kb.item(turn.item_id), facets.STANDARD, turn)
    # A curated situation is more than a group's word: "听说社区给老年人免费做健康管理
    # 具体都包括些啥" tells 老年人健康管理, not everything for the old.
    if not lists.names_a_selection(kb, turn.text) or kb.match_situations(turn.text):
        found = resolve(kb, turn.text, turn.entities)
        if found.item is not None and found.source in (TERM, ENTITY):
            # "全民健身有什么服务" names one item: what it offers is the answer.
            return answer_item(kb, found.item, facets.asked_facet(turn.text), turn)
        if found.ambiguous and found.source in (TERM, ENTITY) and found.terms:
            # "计划生育方面国家有啥政策": a word several items share is the selection.
            ordered = sorted(found.items, key=lambda i: i.id)
            return list_outcome("、".join(found.terms), ordered)
    label, items = lists.select(kb, turn.text, stated_age(turn))
    if not items and turn.item_id is not None and not lists.asks_for_the_list(turn.text):
        # "有啥帮扶" after 留守儿童: nothing to list by, so what that item provides.
        return answer_item(kb, kb.item(turn.item_id), facets.STANDARD, turn)
    if not items:
        return Outcome().say(lists.overview_text(kb))
    return list_outcome(label, items)


def _pick_by_name(kb: Any, text: str, candidates: list[int]) -> int | None:
    # "城乡居民的": the candidate sharing the longest run of characters with the reply.
    best, best_len = None, 1
    for item_id in candidates:
        item = kb.item(item_id)
        run = replies.shared_run(text, item.name) if item else 0
        if run > best_len:
            best, best_len = item_id, run
        elif run == best_len and run > 1:
            best = None  # a tie is no choice
    return best


_NOT_WHAT_I_MEANT_RE = re.compile(r"不是|不对|错了|搞错|没问")
"""A no that corrects the assistant's reading, not one that ends the questions."""


def choose(kb: Any, turn: Turn) -> Outcome:
    """The reply to a numbered list ("2", "第二个", "城乡居民的"), or yes/no to an offer."""
    candidates = turn.candidates or []
    facet = turn.facet if turn.facet in facets.ITEM_FACETS else facets.INFO
    number = None
    for entity in turn.entities:
        if entity.get("entity") == "number":
            number = parse_choice(str(entity.get("value") or ""))
    if number is None:
        number = parse_choice(turn.text)
    if number is not None and turn.intent in ("affirm", "deny") and len(candidates) > 1:
        # "对，第二个" / "不是，要3" read as yes/no: the number is the answer.
        turn = Turn(turn.text, "choose", turn.entities, turn.item_id, facet, candidates)
    if turn.intent == "deny":
        # A no to a list, or to what was understood ("不是", after a guess), wants
        # another wording; any other no after an answer ("没了 就这些") says there is
        # nothing more to ask.
        out = Outcome().say(
            "好的。您可以换个说法再问一次，或拨打12345政务服务便民热线咨询。"
            if candidates or _NOT_WHAT_I_MEANT_RE.search(turn.text)
            else "好的。还有问题随时问我，也可以拨打12345政务服务便民热线。"
        )
        out.slots = {CANDIDATES_SLOT: None}
        return out
    if turn.intent == "affirm":
        if len(candidates) == 1:
            return answer_item(kb, kb.item(candidates[0]), facet, turn, refine=False)
        return Outcome().say("好的。还有什么想了解的，请直接问我。")

    if candidates:
        if number == -1:
            number = len(candidates)
        if number is not None and 1 <= number <= len(candidates):
            return answer_item(
                kb, kb.item(candidates[number - 1]), facet, turn, refine=False
            )
        picked = _pick_by_name(kb, turn.text, candidates)
        if picked is None and len(candidates) > 1:
            # "村里老百姓自己交的那个": no words of a name, but of one candidate's
            # 服务对象 or groups.
            picked = distinguishing(kb, turn.text, candidates)
        if picked is not None:
            return answer_item(kb, kb.item(picked), facet, turn, refine=False)
    if (
        number is None
        and not candidates
        and turn.item_id is not None
        and stated_age(turn) is not None
    ):
        # "俺妈都68了 她能去做吧" read as a choice with no list on screen: an age
        # stated about the item under discussion asks whether it qualifies.
        return answer_item(kb, kb.item(turn.item_id), facets.CHECK, turn)
    if (
        not candidates
        and turn.item_id is not None
        and (
            names_a_position(turn.text)
            or (
                only_a_number(turn.text)
                and "项" not in turn.text
                and number is not None
                and number <= MAX_CHOICES
            )
        )
    ):
        # "第一个" or "2" when the last answer was one item, no list: the citizen
        # expected a choice (a position, not the list's item 2), and the first (only)
        # entry is the item just answered.
        current = kb.item(turn.item_id)
        if number == 1:
            return answer_item(kb, current, facet, turn, refine=False)
        return Outcome().say(
            f"刚才回答的是「第{current.id}项 {current.name}」，没有列出可选的序号。"
            "请直接说说您想了解哪项服务，例如“低保找哪个部门”；"
            "要看清单上的某一项，请回复“第N项”。"
        )
    # With no list on screen a number is an item's ("51"), but not a number that
    # begins a story ("1 让冰雹砸的"), which is answered as the question it is.
    by_item_number = (not candidates and only_a_number(turn.text)) or "项" in turn.text
    if not candidates and not by_item_number:
        number = None
    if number is not None and by_item_number and kb.item(number) is not None:
        # "51" with no list on screen, or "第51项": the item with that number.
        return answer_item(
            kb,
            kb.item(number),
            facet if candidates else facets.INFO,
            turn,
            refine=False,
        )
    if number is None and (
        service_ids_in(kb, turn.text)[0]
        or (not candidates and turn.item_id is not None)
    ):
        # "工伤那个呢" with no list on screen, or naming no item of the list: not a
        # choice but "and what about 工伤保险?" — the same question about that item.
        # With no list and no item named ("残疾人的那个" after 护理补贴), the item under
        # discussion is meant.
        return answer(
            kb, Turn(turn.text, "ask_service_info", turn.entities, turn.item_id,
                     turn.facet, [])
        )
    if candidates:
        items = [kb.item(i) for i in candidates]
        return _choice(kb, items, facet, "没有看懂您选的是哪一项，请回复序号：")
    return Outcome().say(
        "请先告诉我您想了解哪项服务，例如“低保找哪个部门”。"
        "清单共81项，也可以直接回复项目序号（1—81）。"
    )


def indicator_follow_up(kb: Any, turn: Turn) -> bool:
    """True for "那孕产妇死亡率呢" / "婴儿的呢" right after an indicator answer, and for
    "2015年的时候是多少" about the indicators just given."""
    if turn.facet != facets.INDICATOR:
        return False
    if (
        facets.is_elliptical(turn.text) or facets.is_bare_topic(turn.text)
    ) and indicators.named_in_follow_up(kb, turn.text, turn.indicators):
        return True
    return (
        bool(turn.indicators)
        and indicators.asks_for_the_base_year(turn.text)
        and not service_ids_in(kb, turn.text)[0]
    )


def indicator(kb: Any, turn: Turn) -> Outcome:
    """"2020年婴儿死亡率要降到多少": the target with unit and 2015 baseline."""
    previous = turn.indicators if turn.facet == facets.INDICATOR else []
    follow_up = turn.facet == facets.INDICATOR and indicators.named_in_follow_up(
        kb, turn.text, previous
    )
    found = None
    if not indicators.asks_for_a_target(turn.text) and not follow_up:
        # ("那农村危房改造呢" right after an indicator answer names its indicator.)
        found = resolve(kb, turn.text, turn.entities)
        about_an_item = found.source in (TERM, ENTITY) or (
            found.source == SEARCH and not facets.is_elliptical(turn.text)
        )
        if found.item is not None and about_an_item:
            # "特困人员供养都管些什么" shares words with 特困人员集中供养率 but asks
            # about the item: no rate, target or year in it ("残疾娃上学 12年都免费吗"
            # neither, though it names no item: what search finds is meant).
            return answer_item(kb, found.item, facets.asked_facet(turn.text), turn)
    current = kb.item(turn.item_id) if turn.item_id is not None else None
    if not indicators.named_in_follow_up(kb, turn.text) and not kb.find_indicators(
        turn.text, best_only=True
    ):
        # "那这个管理率得达到多少": a rate of the item under discussion, in its
        # standard; "传染病报告率及报告及时率达到…多少": a rate of the item named.
        if found is None:
            found = resolve(kb, turn.text, turn.entities)
        for item in (current, found.item if found.source in (TERM, ENTITY) else None):
            if item is not None and indicators.rate_in_standard(item, turn.text):
                return answer_item(kb, item, facets.STANDARD, turn)
    if follow_up:
        shown = follow_up
        text = indicators.answer_for(shown)
    else:
        # "2015年是多少来着" right after an indicator answer asks about the same ones.
        text, shown = indicators.answer(kb, turn.text, current, previous)
    out = Outcome().say(text)
    out.slots = {FACET_SLOT: facets.INDICATOR, INDICATORS_SLOT: [i.name for i in shown]}
    return out


def handoff(kb: Any, turn: Turn) -> Outcome:
    """"转人工": the right hotline for the current topic, its hours, and 12345."""
    # "工作人员" must not read as 找工作 (item 9): the words asking for a person go.
    text = facets.without_person_cues(turn.text)
    found = resolve(kb, text, turn.entities, turn.item_id)
    lines = []
    # Only an item the user named, was just offered or was discussing: a search hit
    # on "工作人员" is noise.
    item = found.item if found.source in (TERM, ENTITY) else None
    if item is None and len(turn.candidates) == 1:
        # "您是想了解「第77项」吗？" → "还是转人工吧": the item just offered is the topic
        # (an answer clears the offer, so a pending one is newer than the item slot).
        item = kb.item(turn.candidates[0])
    if item is None and turn.item_id is not None:
        item = kb.item(turn.item_id)
    if item is not None:
        lead = replies.department_text(kb, item.departments[0])
        lines.append(
            f"关于{replies.title(item)}（牵头部门：{lead}），可拨打"
            f"{replies.hotline_text(kb, item, with_hours=True)}找人工咨询。"
        )
    elif field := _field_with_one_hotline(kb, text):
        # "社保的事儿…人工啥时候有人接": no item, but every item of 社会保险 has 12333.
        name, first = field
        lines.append(
            f"关于{name}，可拨打"
            f"{replies.hotline_text(kb, first, with_hours=True)}找人工咨询。"
        )
    if not (lines and facets.asks_when_staffed(turn.text)):
        # "12333人工几点有人接" asks the hours, which the line found gives; it asked for
        # no one, so "cannot put you through" would not answer it.
        lines.insert(0, "我是自动应答助手，不能直接转接人工。")
    lines.append(
        f"其他问题可拨打{replies.GENERAL_HOTLINE}{replies.GENERAL_HOTLINE_NAME}。"
    )
    out = Outcome().say("\n".join(lines))
    if item is not None:
        out.slots = {ITEM_SLOT: item.id}
    return out


def _field_with_one_hotline(kb: Any, text: str) -> tuple[str, Any] | None:
    """What the text names of a domain or a department, in words for the reply, and
    the field's first item, when all its items share one hotline other than 12345
    (社会保险: 12333)."""
    for m in kb.match_terms(text):
        if m.kind == "domain":
            items, name = kb.items_by_domain(m.canonical), f"{m.canonical}方面的问题"
        elif m.kind == "department":
            items = kb.items_by_department(m.canonical, lead_only=True)
            name = f"{m.canonical}负责的服务"
        else:
            continue
        numbers = {kb.hotline(i.id).number for i in items}
        if items and len(numbers) == 1 and replies.GENERAL_HOTLINE not in numbers:
            return name, items[0]
    return None


def out_of_scope(kb: Any, turn: Turn) -> Outcome:
    """NLU judged the message outside the list. If it names a list item all the same
    (an item name or curated alias: "拆迁补偿标准", 拆迁 being 城镇棚户区住房改造), offer
    that item the way a low-confidence message is answered, rather than saying no;
    otherwise say what the assistant covers. The item under discussion is not used:
    "驾照到期去哪换" after a question about 低保 is not about 低保."""
    if service_ids_in(kb, turn.text)[0]:
        return fallback(kb, Turn(turn.text, turn.intent, turn.entities))
    return off_list(kb, turn.text) or Outcome(
        messages=[{"response": "utter_out_of_scope"}]
    )


def fallback(kb: Any, turn: Turn) -> Outcome:
    """Low NLU confidence: say so honestly, offer what search finds, give 12345."""
    if not _MEANINGFUL_RE.search(turn.text):
        return Outcome().say(
            "没有看懂您发的内容。请用文字说说您想问的服务，例如“低保找哪个部门”"
            "“老年人免费体检谁能享受”。也可拨打12345政务服务便民热线。"
        )
    if not _CJK_RE.search(turn.text):
        return Outcome().say(
            "抱歉，我目前只能回答中文提问。请用中文说说您想问的服务，例如“低保找哪个部门”。"
            "也可拨打12345政务服务便民热线。"
        )
    early = _not_an_item_question(kb, turn)
    if early is not None:
        return early
    if (
        turn.item_id is not None
        and turn.facet in facets.ITEM_FACETS
        and (facets.is_elliptical(turn.text) or refines_current_standard(kb, turn))
    ):
        # "要是在市区念呢" / "在市区上的学" after a question about an item: a follow-up
        # NLU was unsure of.
        return answer(kb, Turn(turn.text, "ask_service_info", turn.entities,
                               turn.item_id, turn.facet, []))
    # Terms, search and the curated example questions, as for any question: "卫生院
    # 卖药加不加价" names no term, but its examples say 基本药物制度.
    hits = resolve(kb, turn.text, turn.entities).items
    if len(hits) == 1:
        # One item fits: answer it, saying that it is a guess. A citizen gets the facts
        # at once (an offer to confirm cost a turn and showed none), and the item's
        # name in the first line shows a wrong guess just as plainly.
        out = answer_item(kb, hits[0], facets.asked_facet(turn.text), turn)
        out.messages[0]["text"] = (
            f"{UNSURE}\n{out.messages[0]['text']}\n"
            "如果问的不是这一项，请换个说法，或拨打12345政务服务便民热线。"
        )
        return out
    if hits:
        return _choice(
            kb,
            hits,
            facets.INFO,
            "我不太确定您的意思，您想问的可能是下面哪一项？"
            "（都不是的话，请换个说法或拨打12345政务服务便民热线）",
        )
    return Outcome().say(
        "抱歉，我不太明白您的问题。我可以回答廊坊市基本公共服务清单中各项服务"
        "谁能享受、标准多少、找哪个部门、打什么电话，例如“低保找哪个部门”。"
        "其他问题请拨打12345政务服务便民热线。"
    )
