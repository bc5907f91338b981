"""Which fact of an item a question asks for, read from the intent and the wording.

A *facet* is one column of the 清单 (or a view of it): `info` (a summary), `eligibility`
(服务对象), `standard` (服务指导标准), `department` (牵头负责部门), `hotline`, `funding`
(支出责任) and `check` (the user stated their situation and asks whether it qualifies).
"""

from __future__ import annotations

import re

INFO = "info"
ELIGIBILITY = "eligibility"
STANDARD = "standard"
DEPARTMENT = "department"
HOTLINE = "hotline"
FUNDING = "funding"
CHECK = "check"
INDICATOR = "indicator"  # a 主要发展指标 question, not a column of an item

ITEM_FACETS = (INFO, ELIGIBILITY, STANDARD, DEPARTMENT, HOTLINE, FUNDING, CHECK)

FACET_BY_INTENT = {
    "ask_service_info": INFO,
    "ask_eligibility": ELIGIBILITY,
    "ask_standard": STANDARD,
    "ask_department": DEPARTMENT,
    "ask_hotline": HOTLINE,
    "ask_funding": FUNDING,
    "check_eligibility": CHECK,
}

# Words that show what a message asks for. Used to tell an elliptical follow-up
# ("那生育保险呢": no facet words, so it repeats the previous question) from a new
# question, and to strip question words before a free-text search.
FACET_CUES = {
    DEPARTMENT: ("哪个部门", "什么部门", "哪个单位", "什么单位", "哪个局", "找谁", "找哪",
                 "归谁", "归哪", "谁管", "谁负责", "负责", "哪里办", "去哪", "在哪办",
                 "哪儿办", "部门", "单位", "管的"),
    HOTLINE: ("电话", "热线", "号码", "打什么", "打哪个", "联系方式", "怎么联系", "人工"),
    STANDARD: ("多少钱", "多少", "标准", "给多少", "补多少", "能领多少", "待遇", "给什么",
               "提供什么", "什么服务", "内容", "补助", "怎么补", "几块", "交不交",
               "要钱", "收费", "免多少", "领点啥", "领啥", "领什么", "领些啥"),
    ELIGIBILITY: ("谁能", "谁可以", "哪些人", "什么人", "什么条件", "条件", "资格", "服务对象",
                  "能不能", "可不可以", "能享受", "能领", "能办", "符合"),
    FUNDING: ("谁出钱", "钱从哪", "经费", "资金", "支出", "谁掏钱", "谁承担", "财政",
              "谁付", "谁掏", "谁出", "谁给出"),
}

# A question may ask a second fact as well ("职高的助学金一年给多少 啥样的学生能领"):
# the reply for the first adds the second. Narrow on purpose: "多少岁" asks an age
# bound, "什么样的服务" what is provided.
ASKS_HOW_MUCH_RE = re.compile(
    r"多少(?!岁|周岁|项|种|个部门)|几(块|元|百|千|万|成|个点)|百分之几|补(啥|什么)|给(啥|什么)补"
)
ASKS_WHAT_RE = re.compile(r"干嘛的|干啥的|是啥|是什么|咋回事|怎么回事|啥意思|什么意思")
"""What the service is ("光荣院是干嘛的 啥人能住进去" asks that and who)."""
ASKS_A_CUT_RE = re.compile(r"(减免|减|免|优惠)(吗|么|嘛|不|没)")
"""Whether a price is cut ("老年人去看文物古迹 门票给减免不"): who, and the cut itself."""
ASKS_WHO_RE = re.compile(
    r"谁能|谁可以|谁有资格|哪些人|什么人|啥人|(啥|什么)样的?(人|学生|家庭|孩子|娃|老人)"
    r"|(什么|啥)条件|够(条件|格)"
)

ASKS_OWN_SHARE_RE = re.compile(
    r"(自己|自个儿?|个人|老百姓|住户|俺们|咱们|我们)还?(得|要|用|需要)?(往里)?"
    r"(掏|出|交|拿|花|承担|负担|搭|贴)"
)
"""Whether the citizen pays a share ("棚户区改造 老百姓自己得掏钱不"): where the item's
支出责任 names one, the reply of any facet adds it."""
OWN_SHARE_RE = re.compile(r"个人|住户|职工缴纳|自筹|参保人")
"""An individual's share in an item's 支出责任 ("住户承担一部分住房改善费用")."""

POINTS_BACK_RE = re.compile(
    r"这个|这事|这项|这块|这一块|这钱|它|也(能|可以|算|行|有|给|免|享受|符合|包括)"
)
"""Words pointing back at what was just discussed ("这个谁能领", "这一块的目标多少",
"学舞蹈的也能免吗")."""

# (Courtesy says nothing about the topic: "再问下医保住院能报多少" is as ambiguous as
# "医保住院能报多少".)
_FILLER = ("请问", "你好", "您好", "我想问", "我想知道", "想问", "问一下", "问下", "再问",
           "麻烦", "顺便", "打听", "一下", "那么",
           "那个", "这个", "还有", "怎么", "什么", "是", "的", "了", "吗", "呢", "啊",
           "呀", "吧", "那", "我", "你", "们", "谁", "哪", "能", "有", "要", "去", "办",
           "找", "给", "请", "和", "跟", "也", "啥", "咋", "打", "领取", "领", "享受", "申请", "可以",
           "多少")
# Longest first, then in code-point order: cues overlap ("给多少", "多少钱"), so the order
# they are removed in decides what is left, and it must not follow the set's hash order
# (which changes from one process to the next).
_ALL_CUES = sorted(
    {c for cues in FACET_CUES.values() for c in cues}, key=lambda c: (-len(c), c)
)
_PUNCT_RE = re.compile(r"[\s,.!?;:'\"()\[\]{}<>、，。！？；：“”‘’（）【】《》…~～·]+")


# 人工 inside another word asks for no one: "个人工资里扣百分之几" (个人 + 工资),
# 人工耳蜗 (a cochlear implant, a disabled child's 辅助器具), 人工流产, 人工关节.
_PERSON_RE = re.compile(
    r"(?<!个)人工(?!资|耳蜗|流产|关节|晶体|授精|智能)|工作人员|真人|客服|转接|找个人"
)


def wants_person(text: str) -> bool:
    """True when the user asks for a human ("转人工", "找个工作人员跟我说")."""
    return _PERSON_RE.search(text) is not None


# "12333人工服务几点有人" asks for opening hours, not to be put through.
HOURS_RE = re.compile(
    r"几点|什么时候|啥时候|时间|上班|有人接|打通|打得通|一天到晚|24小时|全天|晚上|夜里"
    r"|周末|节假日|过年"
)
_HOTLINE_NUMBER_RE = re.compile(r"(?<!\d)123\d\d(?!\d)")
"""The national service lines (12333, 12348, 12345, 12320, 12385…)."""


def asks_line_hours(text: str) -> bool:
    """True for "12333人工几点有人接", "12333是不是一天到晚都能打通": when a line's people
    answer, a question about the line (the intent cue and the handoff reply both ask)."""
    return bool(
        ("人工" in text or _HOTLINE_NUMBER_RE.search(text)) and HOURS_RE.search(text)
    )


_TRANSFER_RE = re.compile(r"转|接通|找个人|工作人员|真人")
"""A request to be put through now; not 人工客服 or 有人工, which hours questions say too
("12333人工客服啥时候有人接")."""


def asks_when_staffed(text: str) -> bool:
    """True for "12333人工几点有人接": when people answer the line, a question to answer,
    not a request to be put through to one now ("人工几点有人 给俺转人工")."""
    return asks_line_hours(text) and not _TRANSFER_RE.search(text)


def without_person_cues(text: str) -> str:
    return _PERSON_RE.sub(" ", text)


def facet_for_intent(intent: str | None) -> str | None:
    return FACET_BY_INTENT.get(intent or "")


def cued_facets(text: str) -> list[str]:
    """Facets whose cue words appear in the text, in FACET_CUES order."""
    return [facet for facet, cues in FACET_CUES.items() if any(c in text for c in cues)]


def asked_facet(text: str) -> str:
    """The first facet the words ask for, else INFO: for a message whose intent NLU
    got wrong or was unsure of, answered about an item it names."""
    cued = cued_facets(text)
    return cued[0] if cued else INFO


def is_elliptical(text: str) -> bool:
    """True for a follow-up that leaves the question implicit: "那生育保险呢", "小学生呢".

    Such a message carries no facet words of its own and either ends with 呢 or starts
    with 那 / 那么 / 还有, which is how people say "and what about X?".
    """
    bare = _PUNCT_RE.sub("", text)
    return bool(bare) and not cued_facets(bare) and in_follow_up_frame(bare)


BARE_TOPIC_CHARS = 8
"""A message this short with no question word of its own ("5岁以下的") names a topic."""


def is_bare_topic(text: str) -> bool:
    """True for "5岁以下的": a few words and no question word, so that right after an
    answer it says what to ask the same question about."""
    bare = _PUNCT_RE.sub("", text)
    return 0 < len(bare) <= BARE_TOPIC_CHARS and not cued_facets(bare)


def in_follow_up_frame(text: str) -> bool:
    """True for "那X呢", "X呢", "还有X": the frame of "and what about X?", whatever X's
    words (is_elliptical also wants no facet words in them)."""
    bare = _PUNCT_RE.sub("", text)
    return bare.endswith("呢") or bare.startswith(("那", "还有", "换成", "如果是"))


def content_words(text: str) -> str:
    """The text without punctuation, facet cue words and fillers.

    What is left is what the question is *about*; when nothing is left ("找哪个部门",
    "电话多少") the question must be about the item already under discussion.
    """
    rest = _PUNCT_RE.sub("", text)
    for cue in _ALL_CUES:
        rest = rest.replace(cue, "")
    for word in _FILLER:
        rest = rest.replace(word, "")
    return rest
