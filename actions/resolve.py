"""Which list item(s) a message is about.

Evidence is taken in order of reliability: service entities from NLU, then every
knowledge-base term found in the text (item names and aliases), then the item already
under discussion, then free-text search. Score margins decide between one item, a
numbered choice and nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from actions.facets import (
    POINTS_BACK_RE,
    content_words,
    in_follow_up_frame,
    is_elliptical,
)
from actions.numbers import describes_age_range, parse_age, states_one_age
from kb.relatives import CHILDS_RELATIVE_RE

MAX_CHOICES = 5
"""A numbered choice longer than this is not a clarification any more."""
SEARCH_MARGIN = 1.5
"""The best search hit must score this many times the second to be taken alone."""
OVERRIDE_MARGIN = 1.3
"""Search overrules the items a term names only when its best hit scores this many
times theirs."""
BM25_ONLY_MARGIN = 1.7
"""A hit backed by full-text words alone (no curated term) counts only when it
stands this far above the next one..."""
MIN_WEAK_EVIDENCE = 1.5
"""...and when enough of the question's words are in its text (SearchHit.text_words; a
word of two characters or more counts 1, a single character 0.5): one shared word (医院
in 医院挂号, 补贴 in 种粮补贴) says nothing about the topic; 过期 + 药 does."""
MIN_CONTENT_CHARS = 2
"""Content left after removing question words must be at least this long before a
search can override the item under discussion (a single character matches too much)."""

SERVICE_KINDS = ("service", "alias")
"""Term kinds that name items (an item's own name, a curated alias); groups,
departments and domains only narrow a search."""
EXAMPLE_LIKENESS = 0.35
"""How alike (cosine of character vectors) a question and an item's curated example
must be for the example alone to decide the item."""
EXAMPLE_MARGIN = 1.3
"""…and how many times more alike than the closest example of any other item."""
EXAMPLE_STRONG = 0.5
EXAMPLE_STRONG_MARGIN = 1.5
"""An example this alike, and this much closer than any other item's, overrules what
group or full-text words alone suggested."""
SITUATION_CHARS = 6
"""Content characters a message must have besides the terms it names (items, groups)
before the curated examples choose among the items those terms name: a situation told
in words ("智障的成年孩子 白天有地方托着吗"), not a short question that is as ambiguous
as its term ("医保住院能报多少")."""
MIN_SEARCH_SCORE = 4.5
"""kb.search gives the best pure full-text hit 4.0 whatever the question; above this,
curated terms (a group, a department) agree with the text: the hit means something."""

OLD_AGE = 60
"""A stated age from which a person is one of the 老年人 (the age the law on the
elderly uses): "俺妈今年63 能去社区免费查体不" is about the elderly's health check."""
ELDERLY = "老年人"
PLACE_GROUPS = frozenset({"农村居民"})
"""Groups that say where a person lives rather than who they are."""

_ITEM_REF_RE = re.compile(r"第\s*(\d{1,2})\s*项")
"""「第51项」: citizens reading the published list refer to items by number."""
_REPORTER_RE = re.compile(
    r"(村里|社区|小区|辖区的?)?((有个|有位|有户|一户|好几户|几户|帮)?居民们?|有个?人)"
    r"(老|常|总|经常|天天)?(来|过来)?(问|反映|打听|咨询)[问的过俺我]*"
)
"""Who brought the question, in a community worker's words ("居民来问养老保险的事",
"医保住院能报多少 村里有人问"): a resident, not the 城乡居民 of an item's name, and
no story to weigh."""

ENTITY = "entity"
TERM = "term"
CONTEXT = "context"
SEARCH = "search"
NONE = "none"


@dataclass
class Resolution:
    """The outcome: one item (answer it), several (ask which), or none (say so).

    Attributes:
        items: the candidate items, best first.
        source: which kind of evidence decided (ENTITY, TERM, CONTEXT, SEARCH, NONE).
        terms: the knowledge-base terms that matched, for the reply's wording.
    """

    items: list[Any] = field(default_factory=list)
    source: str = NONE
    terms: list[str] = field(default_factory=list)

    @property
    def item(self) -> Any | None:
        return self.items[0] if len(self.items) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.items) > 1


def outermost(matches: Iterable[Any]) -> list[Any]:
    """Drops term matches lying inside a longer match ("养老保险" in "城乡居民基本养老保险")."""
    matches = list(matches)
    kept = []
    for m in matches:
        inside = any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in matches
        )
        if not inside:
            kept.append(m)
    return kept


_LINK_WORDS_RE = re.compile(r"的|那个|这个")


def service_mentions(kb: Any, text: str) -> list[tuple[str, tuple[int, ...]]]:
    """(term, item ids) for each item name or alias in the text, in order of mention.

    When none is found, the text is read once more without 的 / 那个 / 这个, which
    citizens put inside a name: "幼儿园的资助" is 幼儿园资助, "学校那个营养餐".
    """
    for candidate in (text, _LINK_WORDS_RE.sub("", text)):
        matches = [m for m in kb.match_terms(candidate) if m.kind in SERVICE_KINDS]
        # A situation told around an alias is the longer match and wins (outermost),
        # unless the one age the citizen states rules its items out: in "俺67了 在固安
        # 帮闺女带孩子 社区能免费体检不", 孩子…免费体检 tells of 儿童健康管理 (0—6岁), but
        # the 67-year-old asks about 免费体检 for themselves.
        matches += [
            m
            for m in kb.match_situations(candidate)
            if not _age_rules_out(kb, candidate, m.item_ids)
        ]
        if matches:
            ordered = sorted(outermost(matches), key=lambda m: m.start)
            # (A situation is a whole story, not a status: "我们是建档立卡户 孩子…高中".)
            asked = [
                m
                for m in ordered
                if m.kind == "situation" or not _describes_the_user(candidate, m.start)
            ]
            return [(m.term, tuple(m.item_ids)) for m in asked or ordered]
    return []


def _age_rules_out(kb: Any, text: str, item_ids: Iterable[int]) -> bool:
    """True when the message states one age and each of these items has age ranges,
    none of which holds it."""
    if not states_one_age(text):
        return False
    age = parse_age(text)
    items = [kb.item(i) for i in item_ids]
    return (
        age is not None
        and all(item.age_ranges for item in items)
        and not any(r.contains(age.low) for item in items for r in item.age_ranges)
    )


_SELF_INTRO_RE = re.compile(r"(我|俺|咱)们?(家里?)?(也|就)?(不|也不)?(是|属于)$")


def _describes_the_user(text: str, start: int) -> bool:
    """True for a term right after "我是" / "俺家(不)是": "我是农村低保户，孩子上高中能免学费
    吗" says who they are with 农村低保, and asks about 免学费; "俺家不是低保 也能申请不"
    after 医疗救助 asks about 医疗救助."""
    return bool(_SELF_INTRO_RE.search(text[max(0, start - 6) : start]))


def _every_mention(text: str, term: str, holds: Callable[[int], bool]) -> bool:
    """True when `term` is in the text and `holds` for where each mention starts."""
    starts = [m.start() for m in re.finditer(re.escape(term), text)]
    return bool(starts) and all(holds(at) for at in starts)


_NEGATION = r"(?<![有是])(没有|没|不是)"
"""没/没有/不是: what someone lacks or is not ("没退休金", "不是上班那种"); not the 没有
of 有没有 or the 不是 of 是不是, which ask."""
_NEGATION_BEFORE_RE = re.compile(_NEGATION + "$")


def _only_negated(text: str, term: str) -> bool:
    """True when every mention of `term` in the text says what someone lacks or is not."""
    return _every_mention(
        text, term, lambda at: bool(_NEGATION_BEFORE_RE.search(text[max(0, at - 3) : at]))
    )


def _without_what_one_lacks(
    text: str, mentions: list[tuple[str, tuple[int, ...]]]
) -> list[tuple[str, tuple[int, ...]]]:
    """The mentions without a term the citizen says someone lacks, when another term
    asks among the same items: in "刘婶没单位也没退休金 城乡居民养老那个基础养老金一个
    月给几个钱", 没退休金 (19) tells which of 基础养老金's 19 and 20 she means, and votes
    for neither. A lack naming items of its own stays: "楼门口没坡道 轮椅推不上去" is
    about the 坡道 (81) as much as the wheelchair (73)."""
    def lacked(term: str, ids: tuple[int, ...]) -> bool:
        others = {i for t, named in mentions if t != term for i in named}
        return _only_negated(text, term) and set(ids) <= others

    return [m for m in mentions if not lacked(*m)] or mentions


_DURING = "期间"


def _without_times(
    text: str, mentions: list[tuple[str, tuple[int, ...]]]
) -> list[tuple[str, tuple[int, ...]]]:
    """The mentions without a term that only says when ("媳妇单位给上了生育险 坐月子
    期间能领啥钱": 坐月子 names 孕产妇健康管理's visits, but here it is the time the
    生育保险 pays for), when another term remains."""
    def when(term: str) -> bool:
        return _every_mention(text, term, lambda at: text.startswith(_DURING, at + len(term)))

    return [m for m in mentions if not when(m[0])] or mentions


_INFANT_AGE_RE = re.compile(r"(刚|才)?(满月|出生|生下来)")
"""A baby's age said without a number. In a follow-up ("那老二呢 刚满月" after 预防接种)
it is the sibling's age, not the alias 刚满月 of 儿童健康管理."""


def _says_more_about_the_item(text: str, term: str) -> bool:
    """True when, in a message about the item under discussion, `term` names no other
    item: what the citizen lacks, or a baby's age in a follow-up."""
    return _only_negated(text, term) or bool(
        is_elliptical(text) and _INFANT_AGE_RE.fullmatch(term)
    )


def _only_describes_the_user(text: str, term: str) -> bool:
    """True when every mention of `term` in the text says who the user is."""
    return _every_mention(text, term, lambda at: _describes_the_user(text, at))


SITUATION_VOTES = 2
"""A curated situation is two words or more that agree, so it counts as two terms."""


def vote(
    mentions: Iterable[tuple[str, tuple[int, ...]]],
    situations: Iterable[str] = (),
    naming: Iterable[str] = (),
) -> list[int]:
    """The items most of the distinct terms point at, in order of first mention.

    "智力残疾的孩子…能托养吗": 智力残疾 names 76 and 77, 托养 only 76; the item more
    terms agree on is meant. Equal votes ("职工医保和居民医保") keep them all. A
    situation (its matched text in `situations`) outweighs a single alias beside it:
    "小区楼道没坡道 轮椅进不去" is 无障碍环境 (81), though 轮椅 names 73. A situation
    that also names its own item (`naming`: "评了二级残疾 护理补贴" holds 护理补贴) outweighs
    one that is only a story: "俺在工地伤了 评了二级残疾 护理补贴能领不" asks for the
    护理补贴, whatever the injury's story suggests (工伤保险).
    """
    situations, naming = set(situations), set(naming)
    ids: list[int] = []
    votes: dict[int, int] = {}
    seen: set[str] = set()
    for term, item_ids in mentions:
        if term in seen:
            continue
        seen.add(term)
        weight = SITUATION_VOTES if term in situations else 1
        weight += term in naming
        for item_id in item_ids:
            votes[item_id] = votes.get(item_id, 0) + weight
            if item_id not in ids:
                ids.append(item_id)
    most = max(votes.values(), default=0)
    return [i for i in ids if votes[i] == most]


def service_ids_in(kb: Any, text: str) -> tuple[list[int], list[str]]:
    """Item ids named in the text by item names and aliases, and the terms."""
    mentions = service_mentions(kb, text)
    return vote(mentions), [term for term, _ in mentions]


def _within(text: str, value: str, spans: Iterable[Any]) -> bool:
    """Whether every occurrence of value in text lies inside one of the spans."""
    spans = list(spans)
    return _every_mention(
        text,
        value,
        lambda at: any(s.start <= at and at + len(value) <= s.end for s in spans),
    )


def entity_values(entities: Iterable[dict], name: str) -> list[str]:
    return [
        str(e.get("value") or "") for e in entities or [] if e.get("entity") == name
    ]


def _bigrams(text: str) -> set[str]:
    cjk = re.sub(r"[^\u4e00-\u9fff]", " ", text)
    return {w[i : i + 2] for w in cjk.split() for i in range(len(w) - 1)}


def _profile(item: Any, group_words: Iterable[str] = ()) -> str:
    # What an item is called and whom it serves, with the everyday words for those
    # groups (上班族 for 城镇职工); the standard is left out because its long text shares
    # words with almost any question.
    labels = [s.label for s in getattr(item, "sections", ()) or ()]
    return " ".join(
        [item.name, *item.aliases, item.target, *item.groups, *group_words, *labels]
    )


def _group_words(kb: Any, ids: list[int]) -> dict[int, list[str]]:
    """Candidate id -> the synonyms of the groups it serves that some other candidate
    does not (城镇职工's 上班族 tells 19 from 20; 学生's 高中生 serves 5 and 7 alike and
    would only blur the words that do tell them apart)."""
    words: dict[int, list[str]] = {}
    for group in kb.groups():
        members = set(group.item_ids) & set(ids)
        if members and members != set(ids):
            for item_id in members:
                words.setdefault(item_id, []).extend(group.synonyms)
    return words


_NEGATED_RE = re.compile(_NEGATION + r"[\u4e00-\u9fff]{1,3}")
"""What the citizen says they are not ("俺没单位", "不是上班那种"); not the 没有 of 有没有
or the 不是 of 是不是, which ask."""


def distinguishing(
    kb: Any, text: str, ids: list[int], terms: Iterable[str] = ()
) -> int | None:
    """The one candidate that the rest of the message speaks for, if exactly one.

    "城乡居民养老金": 养老金 names items 19 and 20, but 城乡居民 appears only in 20's name.
    The words left after removing the shared term and question words are compared with
    each candidate's name, aliases, 服务对象 and groups; a group word ("农民"), and an
    age inside a candidate's age range, count too. Evidence that every candidate shares
    decides nothing.
    """
    rest = text
    for term in sorted(terms, key=len, reverse=True):
        rest = rest.replace(term, " ")
    # Group words are looked for before the cue words go: 单位 is a word for a
    # department question, and also how 城镇职工 say who pays ("单位交的养老保险").
    # What the citizen says they are not ("俺没单位", "不是上班那种") speaks for nobody.
    with_lacks = rest  # (what the citizen lacks or is not rules candidates out below)
    said = _NEGATED_RE.sub(" ", rest)
    rest = content_words(said)
    grams = _bigrams(rest)
    group_ids: set[int] = set()
    for m in kb.match_terms(said):
        if m.kind in ("group", "department", "domain"):
            group_ids.update(m.item_ids)
    age = parse_age(text)
    group_words = _group_words(kb, ids)
    profiles = {i: _profile(kb.item(i), group_words.get(i, ())) for i in ids}
    served = {
        i: " ".join([kb.item(i).target, *kb.item(i).groups, *group_words.get(i, ())])
        for i in ids
    }
    denied = {
        i
        for m in _NEGATED_RE.finditer(with_lacks)
        for i in ids
        if _bigrams(m.group(0)[len(m.group(1)) :]) & _bigrams(served[i])
    }
    if denied and len(denied) < len(ids):
        # "俺没单位 在村里交的那个" under 职工/城乡居民 医保: what the citizen is not
        # rules out the candidate serving such people; denying every candidate rules
        # out none. A lack the service itself names ("没坡道") is the need, not who.
        ids = [i for i in ids if i not in denied]
        if len(ids) == 1:
            return ids[0]
    held = {
        i
        for i in ids
        if age is not None
        and any(r.contains(age.low) for r in getattr(kb.item(i), "age_ranges", ()))
    }
    if not held and age is not None and age.low >= OLD_AGE:
        # "俺妈62了 农村的 免费体检", "我婆婆64了天天在家带孩子 社区免费查体": no range
        # holds 62 or 64, but she is one of the 老年人, whom only 老年人健康管理 serves
        # (the check then says "满65岁后"); 孩子 is whom she looks after.
        held = {i for i in ids if ELDERLY in kb.item(i).groups}
    support: dict[int, set[str]] = {}
    for item_id in ids:
        profile = profiles[item_id]
        found = {g for g in grams if g in profile}
        if item_id in group_ids:
            found.add("<group>")
        if item_id in held:
            found.add("<age>")
        support[item_id] = found
    exclusive = _with_own_support(support)
    if len(exclusive) > 1 and age is not None:
        # "俺爹66了 在农村 村里那个免费体检能做不": 农村 speaks for 孕前优生健康检查,
        # but only 老年人健康管理's age range holds 66; the age is about the person.
        aged = [i for i in exclusive if "<age>" in support[i]]
        if len(aged) == 1:
            return aged[0]
    return exclusive[0] if len(exclusive) == 1 else None


def _with_own_support(support: dict[int, set[str]]) -> list[int]:
    """The candidates with evidence no other candidate has, in order; evidence that
    every candidate shares decides nothing."""
    return [
        i
        for i in support
        if support[i] - set().union(*(support[j] for j in support if j != i))
    ]


def _rank(
    kb: Any, text: str, ids: list[int], context_id: int | None, terms: list[str]
) -> list[int]:
    """One id when the message clearly fits it best, else all ids in list order."""
    if context_id in ids:
        # "养老保险谁出钱" while talking about 城乡居民基本养老保险: the user means that one.
        return [context_id]
    if len(ids) == 1:
        return ids
    rest = text  # what the message says besides the items and groups it names
    said = {*terms, *(text[m.start : m.end] for m in kb.match_terms(text))}
    # Longest first, in a fixed order: "居民医保" must go before "医保" inside it.
    for term in sorted(said, key=lambda t: (-len(t), t)):
        rest = rest.replace(term, " ")
    closest = (
        kb.closest_example(text)
        if len(content_words(rest)) >= SITUATION_CHARS
        else None
    )
    if (
        closest is not None
        and closest[0].id in ids
        and _alike(closest, EXAMPLE_LIKENESS, EXAMPLE_STRONG_MARGIN)
    ):
        # "智障的成年孩子 白天有地方托着吗": 智障 names 托养 and 康复, and 孩子 speaks for
        # 康复's 残疾儿童, but the question is plainly like 托养's examples.
        return [closest[0].id]
    picked = distinguishing(kb, text, ids, terms)
    if picked is not None:
        return [picked]
    own = _groups_own_counterpart(kb, text, ids)
    if own is not None:
        # "残疾人找工作学技术 有啥电话": 学技术 names 职业技能培训, 残疾人找工作 its
        # counterpart for the disabled; the group said inside the term decides.
        return [own]
    # "危房改造归哪管": 农村危房改造 is called that; 残疾人基本住房保障 only mentions it.
    # (Before the item under discussion is weighed: after 公共租赁住房, "那危房改造呢"
    # is still 农村危房改造, though 住房 is in the other's name.)
    named = [i for i in ids if any(t in kb.item(i).name for t in terms)]
    if (
        len(named) == 1
        and any(_names(t, kb.item(named[0]).name) for t in terms)
        and not _for_a_group_not_said(kb, text, named[0], ids)
    ):
        return named
    wanted = _wanted(kb, text, terms, ids)
    if len(wanted) == 1 and not _groups_named(kb, text):
        # "包工头欠俺们仨月工钱 想申请劳动仲裁 找哪个部门": the story names 劳动保障监察,
        # what they want to do names 劳动人事争议调解仲裁. (Who wants it weighs more:
        # "残疾人家庭申请保障房" is 残疾人基本住房保障.)
        return sorted(wanted)
    if context_id is not None:
        # "中职免学费多少" → "那助学金呢": of 中职 and 普通高中 助学金, the one that
        # shares words with the item under discussion.
        picked = distinguishing(kb, f"{text} {kb.item(context_id).name}", ids, terms)
        if picked is not None:
            return [picked]
    scores = {hit.item.id: hit.score for hit in kb.search(text, limit=20)}
    ranked = sorted(ids, key=lambda i: -scores.get(i, 0.0))
    first, second = scores.get(ranked[0], 0.0), scores.get(ranked[1], 0.0)
    if first > 0 and second > 0 and first >= SEARCH_MARGIN * second:
        return ranked[:1]
    # Close candidates are offered in the list's own order, so "2" after "医保…" always
    # means the same item, whatever small score differences the wording makes.
    return sorted(ids)


def _says_group(kb: Any, text: str, groups: set[str]) -> bool:
    """Whether the text says one of these groups, by name or synonym, even inside a
    term ("残疾人找工作")."""
    return any(
        word in text
        for group in kb.groups()
        if group.name in groups
        for word in (group.name, *group.synonyms)
    )


def _groups_own_counterpart(kb: Any, text: str, ids: list[int]) -> int | None:
    """The one candidate named for a group the text says (even inside a term), when
    every other candidate is a general item it is the counterpart of."""
    own = [i for i in ids if kb.named_for(i)]
    if len(own) != 1:
        return None
    groups = kb.named_for(own[0])
    others = [i for i in ids if i != own[0]]
    if _says_group(kb, text, groups) and all(
        own[0] in kb.counterparts([i], groups) for i in others
    ):
        return own[0]
    return None


def _for_a_group_not_said(kb: Any, text: str, item_id: int, ids: list[int]) -> bool:
    """Whether the item is named for a group the text does not say, and another
    candidate is the general item it is the counterpart of: "职业培训找哪个部门" is
    as much 职业技能培训 as 残疾人职业培训, whose name holds the words."""
    groups = kb.named_for(item_id)
    return (
        bool(groups)
        and not _says_group(kb, text, groups)
        and any(item_id in kb.counterparts([i], groups) for i in ids if i != item_id)
    )


_WANTS_RE = re.compile(r"(申请|想|要|打算|准备)\S{0,2}$")
"""What comes right before a term the citizen wants ("想申请劳动仲裁", "要打仲裁")."""


def _wanted(kb: Any, text: str, terms: list[str], ids: list[int]) -> set[int]:
    """Of `ids`, the items named by a term the citizen says they want ("想申请劳动仲裁")."""
    wanted: set[int] = set()
    for term in terms:
        before, found, _ = text.partition(term)
        if found and _WANTS_RE.search(before[-4:]):
            wanted |= {i for _, named in service_mentions(kb, term) for i in named if i in ids}
    return wanted


def _names(term: str, name: str) -> bool:
    """Whether a term names an item by its name: 危房改造 names 农村危房改造. The second
    of two services a name joins with 和 alone does not: 护理补贴 is as much 老年人福利补贴's
    (its 护理补贴 for 失能老年人) as "困难残疾人生活补贴和重度残疾人护理补贴"'s."""
    head, _, second = name.partition("和")
    return term in name and not (second and term in second and term not in head)


def _overridden(kb: Any, text: str, ids: list[int]) -> Any | None:
    """An item the whole message fits far better than the items its terms name.

    "重度残疾的成年人能单独吃低保吗": 低保 names item 46, but everything else in the
    question describes item 72 (无业重度残疾人最低生活保障), and search says so. The
    better item must still be on the named topic: its name, aliases or 服务对象 hold a
    named item's name.
    """
    hits = kb.search(text, limit=20)
    if not hits or hits[0].item.id in ids or not hits[0].matched_terms:
        return None
    named = max((h.score for h in hits if h.item.id in ids), default=0.0)
    if named <= 0:  # named by 「第N项」, which search does not read
        return None
    better = hits[0].item
    if hits[0].score < OVERRIDE_MARGIN * named:
        return None
    # Still the topic the citizen named: 72's name holds 46's 最低生活保障. A story with
    # many group words ("俺家男人瘫在床上了 … 俩孩子还上学 … 能吃低保") lifts 残疾人教育
    # in search, but nothing of it is 低保.
    profile = _profile(better)
    return better if any(kb.item(i).name in profile for i in ids) else None


def with_age_group(kb: Any, text: str, besides: frozenset[str] = frozenset()) -> str:
    """The text with 老年人 added when it states an old person's age and names no
    group of people other than `besides`: the words that search and `distinguishing`
    weigh."""
    age = parse_age(text)
    if age is None or age.low < OLD_AGE or describes_age_range(text):
        return text
    if _groups_named(kb, text) - besides:
        return text
    return f"{text} {ELDERLY}"


def resolve(
    kb: Any,
    text: str,
    entities: Iterable[dict] = (),
    context_id: int | None = None,
) -> Resolution:
    """Decides which item(s) a message is about.

    Args:
        kb: the knowledge base (`kb.query.KnowledgeBase`).
        text: the normalized message text.
        entities: NLU entities of the message (Rasa's dicts).
        context_id: the item under discussion before this message, if any.
    """
    mentions: list[tuple[str, tuple[int, ...]]] = []
    source = NONE
    text = _REPORTER_RE.sub(" ", text)
    situations = kb.match_situations(text)
    for value in entity_values(entities, "service"):
        if _only_describes_the_user(text, value):
            # "俺家是低保 老人走了 火化费能减免不": 低保 says who asks, not what.
            continue
        if context_id is not None and _says_more_about_the_item(text, value):
            # "跟站点没签合同 也能上吗" after 工伤保险: what they lack, about the item
            # discussed (not 劳动关系协调, which 签合同 names).
            continue
        if _within(text, value, situations):
            # "医保报完自己掏的还能救助多少": 医保 is part of a situation of 医疗救助.
            continue
        found = service_mentions(kb, value)
        if not found:
            hits = kb.search(value, limit=1)
            found = [(value, (hits[0].item.id,))] if hits else []
        mentions += found
        source = ENTITY if found else source
    in_text = service_mentions(kb, text)
    if context_id is not None:
        # "俺家不是低保 也能申请不" after 医疗救助: who they are, or what they lack,
        # about the item discussed.
        in_text = [
            m
            for m in in_text
            if not _only_describes_the_user(text, m[0])
            and not _says_more_about_the_item(text, m[0])
        ]
    for ref in _ITEM_REF_RE.finditer(text):
        if kb.item(int(ref.group(1))) is not None:
            in_text.append((ref.group(0), (int(ref.group(1)),)))
    if in_text and source == NONE:
        source = TERM
    mentions += in_text
    mentions = _without_times(text, _without_what_one_lacks(text, mentions))
    told = [m.term for m in situations]
    naming = [
        m.term
        for m in situations
        if any(
            t.kind in ("service", "alias") and set(t.item_ids) & set(m.item_ids)
            for t in kb.match_terms(m.term)
        )
    ]
    ids = vote(mentions, told, naming)
    terms = list(dict.fromkeys(term for term, _ in mentions))
    if ids and context_id not in ids and not any(t.startswith("第") for t in terms):
        # "盲人能去图书馆借书吗": 图书馆 names 读书看报, but for 残疾人 the list has its
        # own item on that topic (残疾人文化体育).
        # (Group words inside a told situation belong to its story: "工伤了胳膊落下
        # 残疾" is 工伤保险's 伤残, not a disabled person's item.)
        groups = _groups_named(kb, text, situations) | _groups_of_departments(
            kb, text, ids
        )
        swapped = kb.counterparts(ids, groups)
        if swapped:
            # Named items that also serve the group stay candidates: "残疾娃上学能免几年
            # 学费" fits 残疾人教育, and 普通高中免学费 lists 残疾学生 too.
            theirs = {g for i in swapped for g in kb.named_for(i)} & groups
            serving = [i for i in ids if set(kb.item(i).groups) & theirs]
            ranked = _rank(kb, text, sorted({*swapped, *serving}), context_id, terms)
            return Resolution([kb.item(i) for i in ranked[:MAX_CHOICES]], source, terms)
    if ids:
        if (
            context_id not in ids
            and not any(t.startswith("第") for t in terms)
            and not set(told) & set(terms)
        ):
            # (A curated situation is not overruled by search: "独生子出车祸没了" is 44,
            # though the alias 车祸 inside it makes search favour 临时救助.)
            better = _overridden(kb, text, ids)
            if better is not None:
                # Still an item the question named, through its other words.
                return Resolution([better], source, terms)
        # Among the items a term names, where the person lives does not hide their
        # age ("俺爹64了 农村 卫生院免费体检" is the elderly's check, not the
        # pre-pregnancy one of 农村 couples). In a search over all items it would:
        # 老年人 lifts the pensions above the story a villager tells.
        ranked = _rank(
            kb, with_age_group(kb, text, PLACE_GROUPS), ids, context_id, terms
        )
        return Resolution([kb.item(i) for i in ranked[:MAX_CHOICES]], source, terms)

    content = content_words(text)
    if context_id is not None and (
        is_elliptical(text)
        or len(content) < MIN_CONTENT_CHARS
        or POINTS_BACK_RE.search(text)
    ):
        # "啥样的学生能吃上这个": 这个 is the item under discussion, whatever group
        # words the question adds.
        other = _sibling_named(kb, text, context_id)
        if other is not None:
            return Resolution([kb.item(other)], TERM)
        return Resolution([kb.item(context_id)], CONTEXT)

    if (
        context_id is not None
        and not in_follow_up_frame(text)
        and _only_groups_it_serves(kb, text, context_id)
    ):
        # "啥样的学生能申请" after 普通高中国家助学金: its own 学生, not another item's.
        # ("那寄宿生补助呢" names another item by a group's word: search finds it.)
        return Resolution([kb.item(context_id)], CONTEXT)
    hits = (
        search_candidates(kb, with_age_group(kb, text))
        if len(content) >= MIN_CONTENT_CHARS
        else []
    )
    if context_id is not None and hits and not _curated(kb, text):
        # "打啥电话" while discussing an item: full-text words alone do not change topic.
        hits = []
    if len(hits) > 1:
        picked = distinguishing(kb, text, [h.id for h in hits])
        hits = [kb.item(picked)] if picked is not None else hits
    if context_id is None:
        # No term names an item here. A curated example question much like this one
        # decides when nothing was found or among several close items; one very much
        # like it also overrules what group or full-text words alone suggested
        # ("学校一学期给孩子放几部爱国片": 孩子 suggests 留守儿童, the examples 爱国电影).
        closest = kb.closest_example(text)
        if closest is not None:
            item = closest[0]
            if _alike(closest, EXAMPLE_LIKENESS, EXAMPLE_MARGIN) and (
                not hits or (len(hits) > 1 and item in hits)
            ):
                hits = [item]
            elif _alike(closest, EXAMPLE_STRONG, EXAMPLE_STRONG_MARGIN):
                hits = [item]
            elif not hits and closest[1] >= EXAMPLE_LIKENESS and _top_hit(kb, text) == item:
                # Two weak signals that agree: the closest example and the full-text
                # top hit name the same item ("开个小吃店 本钱不够 政府能给贷款么").
                hits = [item]
    if hits:
        return Resolution(hits, SEARCH)
    if context_id is not None:
        return Resolution([kb.item(context_id)], CONTEXT)
    return Resolution()


def _sibling_named(kb: Any, text: str, context_id: int) -> int | None:
    """The other item of a shared name that a follow-up calls by its own name: "那职工的
    呢" while discussing 城乡居民基本医疗保险 is 职工基本医疗保险 (both are 医保).

    Only the items' names and aliases count. A group the other item also serves is
    no such name: "那残疾人呢" asks about the same item for disabled people.
    """
    if not is_elliptical(text):
        return None
    siblings = kb.siblings(context_id)
    # "小学的呢" after 寄宿生生活补助 asks for its standard's 小学生 part, though 小学
    # is also what people call 免费义务教育: words the current standard holds refine it.
    # "那孩子姥爷63呢" is a person, whose 孩子 does not call 要孩子前的体检.
    current_standard = kb.item(context_id).standard
    words = content_words(CHILDS_RELATIVE_RE.sub(" ", text))
    grams = _bigrams(words)
    if any(g in current_standard for g in grams):
        return None
    called: dict[int, set[str]] = {}
    for item_id in siblings:
        item = kb.item(item_id)
        names = " ".join([item.name, *item.aliases])
        called[item_id] = {g for g in grams if g in names}
    only = _with_own_support(called)
    if not only and _KIND_OF_RE.search(text) and siblings:
        # "那上班的那种呢" after 城乡居民养老保险: "the kind for people with a job" is
        # the other item of the pair, by the people each serves.
        picked = distinguishing(kb, text, list(siblings))
        only = [picked] if picked is not None else []
    return only[0] if len(only) == 1 and only[0] != context_id else None


_KIND_OF_RE = re.compile(r"的?那(种|个|类)")
"""A kind of the thing under discussion: "上班的那种", "农村那个"."""


def _alike(closest: tuple[Any, float, float], needed: float, margin: float) -> bool:
    """True when the closest curated example (`kb.closest_example`: item, likeness,
    the next item's likeness) is at least `needed` alike and `margin` times closer than
    any other item's: the last resort before "not found" or a list, for situations told
    in words no term or item text holds ("乡镇卫生院卖药还加价不" → 基本药物制度), and for
    typos."""
    _, likeness, runner_up = closest
    return likeness >= needed and likeness >= margin * runner_up


def _top_hit(kb: Any, text: str) -> Any | None:
    hits = kb.search(text, limit=1)
    return hits[0].item if hits else None


def _only_groups_it_serves(kb: Any, text: str, item_id: int) -> bool:
    """True when the text's only curated terms are groups of people the item serves."""
    found = kb.match_terms(text)
    return bool(found) and all(
        m.kind == "group" and item_id in m.item_ids for m in found
    )


def _curated(kb: Any, text: str) -> bool:
    """True when the text holds a curated term (group, department, domain, alias)."""
    return bool(kb.match_terms(text))


def _evidence(hit: Any) -> float:
    return sum(1.0 if len(word) >= 2 else 0.5 for word in hit.text_words)


def _groups_named(kb: Any, text: str, outside: Iterable[Any] = ()) -> set[str]:
    """The groups of people the text names, by their canonical names, but for the
    words inside the spans `outside` (matches with start and end)."""
    spans = list(outside)
    found = set()
    for m in kb.match_terms(text):
        if any(s.start <= m.start and m.end <= s.end for s in spans):
            continue
        if m.kind == "group":
            found.add(m.canonical)
        elif _describes_the_user(text, m.start):
            # "俺是二级残疾": the item word 二级残疾 says the user is one of 残疾人.
            words = text[m.start : m.end]
            found |= {
                g.name for g in kb.groups() if any(syn in words for syn in g.synonyms)
            }
    return found


def _groups_of_departments(kb: Any, text: str, ids: list[int]) -> set[str]:
    """The groups a named department's own items are for, when it leads none of `ids`:
    "残联那边管培训不" asks 残联's training for the disabled (残疾人职业培训), not the
    general 职业技能培训 that 学门手艺 names."""
    found: set[str] = set()
    for m in kb.match_terms(text):
        if m.kind != "department":
            continue
        own = [item.id for item in kb.items_by_department(m.canonical, lead_only=True)]
        if own and not set(own) & set(ids):
            found |= {g for i in own for g in kb.named_for(i)}
    return found


def search_candidates(kb: Any, text: str) -> list[Any]:
    """Items from free-text search: the best alone if it stands out, else close ones.

    Hits backed by a curated term (an alias, a group) need MIN_SEARCH_SCORE; a hit found
    by full-text words alone ("买到过期药找谁") only counts when several of the
    question's words are in its text and it stands well above the rest, since kb.search
    gives some item the top full-text score for any question.
    """
    hits = kb.search(text, limit=MAX_CHOICES)
    if not hits:
        return []
    if not hits[0].matched_terms:
        runner_up = hits[1].score if len(hits) > 1 else 0.0
        clear = hits[0].score >= BM25_ONLY_MARGIN * runner_up
        return [hits[0].item] if clear and _evidence(hits[0]) >= MIN_WEAK_EVIDENCE else []
    hits = [h for h in hits if h.score >= MIN_SEARCH_SCORE and h.matched_terms]
    if not hits:
        return []
    best = hits[0].score
    if len(hits) == 1 or best >= SEARCH_MARGIN * hits[1].score:
        return [hits[0].item]
    close = [h.item for h in hits if h.score * SEARCH_MARGIN >= best]
    # "孩子上学有补助吗" names no 残疾人: 残疾人教育 is not among the answers then.
    groups = _groups_named(kb, text)
    general = [i for i in close if not kb.named_for(i.id) - groups]
    return general or close
