"""The text of an answer about one list item, for each facet.

Every reply puts the asked-for fact first, names the item as 「第N项 名称」, and ends with
one short line giving the lead department and the hotline. All facts come from the
knowledge base; this module only chooses and arranges them.
"""

from __future__ import annotations

import re
from typing import Any

from actions import facets, indicators
from actions.numbers import Age
from kb.places import document_place

GENERAL_HOTLINE = "12345"
GENERAL_HOTLINE_NAME = "政务服务便民热线"
INFO_SUMMARY_CHARS = 80
"""The summary of an item quotes at most this much of its standard."""
INFO_FOCUS_PAIRS = 2
"""Character pairs a later sentence of the standard must share with the question before
a summary adds it ("鉴定费有补贴没" → …享有职业技能鉴定补贴), one of them outside the
item's name."""

_SENTENCE_RE = re.compile(r"[^。;；]+[。;；]?")
_CLAUSE_RE = re.compile(r"[^,，。;；]+[,，。;；]?")


_ASCII_PUNCT = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
_ASCII_PUNCT_RE = re.compile(r"(?<!\d)[,;:()]|[,;:()](?!\d)")


def display(text: str) -> str:
    """Document text with the scrape's ASCII punctuation made Chinese ("," → "，").

    Digits keep theirs (none of the document's numbers uses one, but a "1,000" would).
    """
    return _ASCII_PUNCT_RE.sub(lambda m: _ASCII_PUNCT[m.group(0)], text or "")


def title(item: Any) -> str:
    """「第51项 法律援助」: how every reply names an item."""
    return f"「第{item.id}项 {item.name}」"


def department_text(kb: Any, name: str) -> str:
    """A department as the document names it, plus its current name if renamed."""
    department = kb.department(name)
    current = department.renamed_to if department is not None else None
    return f"{name}（现{current}）" if current and current != name else name


def hotline_text(kb: Any, item: Any, with_hours: bool = False) -> str:
    """The item's hotline with its name and where the number comes from.

    Numbers the document itself names are marked as such; national numbers it does not
    name are labelled "清单未列出" so the citizen knows where the fact comes from.
    """
    line = kb.hotline(item.id)
    text = f"{line.number}（{line.name}"
    if with_hours and line.hours:
        text += f"，{display(line.hours)}"
    text += "，规划文件写明）" if line.in_document else "，全国统一号码，清单未列出）"
    return text


def footer(kb: Any, item: Any, facet: str) -> str:
    """The short closing line: lead department and hotline, minus what was answered."""
    parts = []
    if facet != facets.DEPARTMENT:
        parts.append(f"牵头部门：{department_text(kb, item.departments[0])}")
    if facet != facets.HOTLINE:
        parts.append(f"咨询电话：{hotline_text(kb, item)}")
    return "；".join(parts) + "。" if parts else ""


def matching_section(item: Any, text: str) -> Any | None:
    """The sub-paragraph of a multi-paragraph cell that fits who the user said they are.

    Item 49 has 家庭对象 / 个人对象; item 48 has four kinds of 救助对象. A section fits when
    its label (minus the word 对象) or a run of its target text appears in the message.
    """
    best, best_len = None, 0
    for section in getattr(item, "sections", ()) or ():
        label = section.label.replace("对象", "")
        keys = [label] if label else []
        keys += _keywords(section.target_text)
        for key in keys:
            if len(key) >= 2 and key in text and len(key) > best_len:
                best, best_len = section, len(key)
    return best


def _keywords(text: str) -> list[str]:
    # Short phrases of a target cell ("最低生活保障家庭成员", "特困救助供养人员") that a user
    # may name; the split on punctuation and 和/或/及 keeps them whole.
    return [p for p in re.split(r"[,，。;；、:：()（）和或及以]", text) if 2 <= len(p) <= 12]


_ASIDE_RE = re.compile(r"[(（][^()（）]{10,}[)）]")


def matching_clauses(text_block: str, message: str) -> list[str]:
    """Clauses of a standard whose subject the message names ("小学生" in item 3).

    A clause's subject is its head, the words before 每 / 平均 / 按 / 为 ("小学生",
    "市区的学校"). It fits when the message contains the head or starts the same way,
    a district or county counting as the document's 市区 or 县城 (`kb.places`).
    Long asides in brackets (item 6's rules for private schools) are not subjects.
    """
    place = document_place(message)
    if place:
        # "就在燕郊本地的学校上" is at a 县(市) school: the document's own word joins it.
        message += place
    body = _ASIDE_RE.sub("", text_block)
    clauses = _whole_clauses([c.strip() for c in _CLAUSE_RE.findall(body) if c.strip()])
    picked = []
    for clause in clauses:
        head = re.split(r"每|平均|按|为", clause, maxsplit=1)[0]
        # "县（市）城区和乡镇的学校" is met by "俺们学校在县城": brackets out.
        head = re.sub(r"[(（][^)）]*[)）]", "", head)
        if len(head) < 2 or len(head) > 12 or "政府" in head:
            # (Item 50's "受灾地区政府应当为…" names who acts, not whom it is for.)
            continue
        # "县城区和乡镇的学校" is met by 县城 and by 乡镇.
        starts = [part[:2] for part in re.split(r"和|及|或|、", head) if len(part) >= 2]
        if head in message or any(start in message for start in starts):
            picked.append(clause.rstrip(",，;；。"))
    return picked if len(picked) < len(clauses) else []


def _whole_clauses(clauses: list[str]) -> list[str]:
    """Clauses with a topic clause joined to what it introduces: item 57's "自主就业的,"
    says nothing until "在领取退役金后,按规定享受扶持就业优惠政策;" (to its sentence end)."""
    out: list[str] = []
    open_topic = False
    for clause in clauses:
        if open_topic:
            out[-1] += clause
        else:
            out.append(clause)
        bare = out[-1].rstrip(",，")
        open_topic = bare.endswith("的") and not out[-1].endswith(("。", ";", "；"))
    return out


def refines_standard(item: Any, message: str) -> bool:
    """True when the message names whom part of the item's standard is for (初中 in
    item 3, 市区 in item 6): compose() would answer that part."""
    return bool(matching_clauses(item.standard, message)) or (
        matching_section(item, message) is not None
    )


def shared_run(a: str, b: str) -> int:
    """Length of the longest common substring (short strings only)."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def age_conditions(item: Any) -> str:
    """Age conditions the 服务指导标准 adds (item 52: 80周岁以上 for 高龄津贴), quoted."""
    quoted = []
    for age_range in getattr(item, "age_ranges", ()) or ():
        if age_range.field != "standard":
            continue
        for clause in _CLAUSE_RE.findall(item.standard):
            clause = clause.strip().rstrip(",，;；。")
            if age_range.phrase in clause and clause not in quoted:
                quoted.append(clause)
    return f"\n标准中的年龄条件：{display('；'.join(quoted))}。" if quoted else ""


def first_sentences(text: str, limit: int = INFO_SUMMARY_CHARS) -> str:
    """The leading whole sentences of a cell, cut at a sentence end near `limit`."""
    out = ""
    for sentence in _SENTENCE_RE.findall(text):
        if out and len(out) + len(sentence) > limit:
            return display(out.rstrip("；;")) + "……"
        out += sentence
    return display(out)


def _sentence(text: str) -> str:
    text = display(text).strip()
    return text if text.endswith(("。", "！", "？", ")", "）")) else text + "。"


_DIGIT_RE = re.compile(r"\d")


def amount_clauses(standard: str) -> list[str]:
    """The clauses of a standard that hold a number (its amounts and rates), long
    bracketed asides left out, each joined to the topic clause that introduces it."""
    body = _ASIDE_RE.sub("", standard)
    clauses = _whole_clauses([c.strip() for c in _CLAUSE_RE.findall(body) if c.strip()])
    return [c.rstrip(",，;；。") for c in clauses if _DIGIT_RE.search(c)]


def age_clauses(item: Any, age: Age) -> list[str]:
    """The clauses of the standard whose age bound the stated age meets ("俺娘今年102了"
    for item 52: 80周岁以上…高龄津贴 and 百岁以上…不少于300元), in the standard's order."""
    phrases = [
        r.phrase
        for r in getattr(item, "age_ranges", ()) or ()
        if r.field == "standard" and r.contains(age.low)
    ]
    return [c for c in _clauses(item.standard) if any(p in c for p in phrases)]


def _clauses(text: str) -> list[str]:
    """The text's clauses (split at commas, semicolons and full stops), without their
    closing punctuation."""
    return [c.strip().rstrip(",，;；。") for c in _CLAUSE_RE.findall(text)]


def standard_parts(item: Any, message: str) -> list[str]:
    """The clauses of the standard the message names, with the amounts when it asks
    how much and those clauses state none."""
    parts = matching_clauses(item.standard, message) if message else []
    if (
        parts
        and facets.ASKS_HOW_MUCH_RE.search(message)
        and not any(_DIGIT_RE.search(p) for p in parts)
    ):
        # "保育费能减免多少": 减免保育教育费 names the fee, the amount is elsewhere.
        parts += [c for c in amount_clauses(item.standard) if c not in parts]
    return parts


def standard_line(item: Any, message: str, age: Age | None = None) -> str:
    """One line of the 服务指导标准 for an eligibility check that also asked how much:
    the part that fits the message or the stated age, else the opening sentences, and
    after them the sentence about the stated case when they do not reach it."""
    parts = standard_parts(item, message) or (
        age_clauses(item, age) if age is not None else []
    )
    if parts:
        return f"服务标准：{display('，'.join(parts))}。"
    summary = first_sentences(item.standard)
    focus = focus_sentence(item, message, shown=summary)
    if focus:
        # "低保户…医保报完剩下的还能再给救助点不": the sentence about 住院…70%, which
        # the opening sentences do not reach.
        return f"服务标准：{summary}\n与您说的情况相关的是：{focus}。"
    return f"服务标准：{summary}"


def compose(kb: Any, item: Any, facet: str, message: str = "") -> str:
    """The answer about `item` for `facet`, refined by who the user said they are.

    Args:
        kb: the knowledge base.
        item: the item the question is about.
        facet: one of the facets in `actions.facets` (CHECK is answered elsewhere).
        message: the normalized message, used to pick the part that fits the user.
    """
    name = title(item)
    section = matching_section(item, message) if message else None
    if facet == facets.DEPARTMENT:
        lead, *others = [department_text(kb, d) for d in item.departments]
        body = f"{name}由{lead}牵头负责"
        body += f"，配合部门：{'、'.join(others)}。" if others else "。"
    elif facet == facets.HOTLINE:
        body = f"{name}可拨打{hotline_text(kb, item, with_hours=True)}咨询。"
        if kb.hotline(item.id).number != GENERAL_HOTLINE:
            body += f"也可拨打{GENERAL_HOTLINE}{GENERAL_HOTLINE_NAME}。"
    elif facet == facets.ELIGIBILITY:
        if section is not None:
            body = f"{name}的{section.label}是：{_sentence(section.target_text)}"
        else:
            body = f"{name}的服务对象是：{_sentence(item.target)}"
        body += age_conditions(item)
        condition = condition_sentence(item, message) if message else None
        if facets.ASKS_HOW_MUCH_RE.search(message):
            # "普惠园困难家庭的娃 能资助多少": who, then how much.
            body += "\n" + standard_line(item, message)
        elif facets.ASKS_WHAT_RE.search(message):
            # "光荣院是干嘛的 啥人能住进去": what it is, and who.
            body += f"\n服务内容：{first_sentences(item.standard)}"
        elif facets.ASKS_A_CUT_RE.search(message):
            # "老年人去看文物古迹 门票给减免不": who, and what is cut.
            body += "\n" + standard_line(item, message)
        elif condition and condition not in body:
            # "培训补贴谁能享受": the standard says who gets the 补贴 itself.
            body += f"\n清单的服务标准写明：{condition}。"
        elif part := named_part_sentence(item, message):
            # "重度残疾人那个护理补贴 啥人能领": of an item that is two benefits, the
            # sentence about the one named says who gets it (一级、二级).
            body += f"\n清单的服务标准写明：{part}。"
        elif (
            section is None
            and len(item.target) <= SHORT_TARGET
            and not _DIGIT_RE.search(item.target)
        ):
            # "残疾人申请公租房能排前头不": "服务对象是：残疾人" alone tells them nothing
            # they did not say; what the item gives them does.
            body += f"\n服务标准：{first_sentences(item.standard)}"
    elif facet == facets.STANDARD:
        parts = standard_parts(item, message)
        if parts:
            body = f"{name}：{display('，'.join(parts))}。"
        elif section is not None:
            body = f"{name}对{section.label}的标准：{_sentence(section.standard_text)}"
        else:
            body = f"{name}的服务标准：{_sentence(item.standard)}"
        if facets.ASKS_WHO_RE.search(message):
            # "职高的助学金一年给多少 啥样的学生能领": how much, then who.
            target = section.target_text if section is not None else item.target
            body += f"\n服务对象：{_sentence(target)}"
        body += "".join(
            f"\n“十三五”规划指标：{indicators.describe(ind)}"
            for ind in indicators.for_item(kb, item)
        )
    elif facet == facets.FUNDING:
        body = f"{name}的资金（支出责任）：{_sentence(item.funding)}"
    else:
        summary = first_sentences(item.standard)
        sentence = focus_sentence(item, message, shown=summary)
        if sentence and sentence not in summary:
            # "鉴定费有补贴没": the sentence about 鉴定补贴 is past the opening ones.
            summary += f"\n其中：{_sentence(sentence)}"
        body = (
            f"{name}属于{item.domain}。\n"
            f"服务对象：{_sentence(item.target)}\n"
            f"服务内容：{summary}"
        )
    if facet not in (facets.FUNDING, facets.DEPARTMENT, facets.HOTLINE) and (
        share := own_share_line(item, message)
    ):
        body += f"\n{share}"
    tail = footer(kb, item, facet)
    return f"{body}\n{tail}" if tail else body


def own_share_line(item: Any, message: str) -> str | None:
    """The 支出责任 when the message asks whether the citizen pays a share and the item's
    says what they pay ("棚户区改造 老百姓自己得掏钱不": 住户承担一部分)."""
    if facets.ASKS_OWN_SHARE_RE.search(message) and facets.OWN_SHARE_RE.search(
        item.funding
    ):
        return f"资金（支出责任）：{_sentence(item.funding)}"
    return None


SHORT_TARGET = 8
"""A 服务对象 this short and without an age ("残疾人", "城乡居民") is a group, not a
condition: an eligibility reply adds what the item provides."""

PREVIEW_CHARS = 40
"""A choice line's preview of the asked fact stays this short: the list must stay a list."""


def preview(kb: Any, item: Any, facet: str, message: str = "") -> str:
    """The asked fact of one candidate, shortened, for its line in a numbered choice:
    "医保住院能报多少" shows each candidate's 75% at once, and "回复序号" gives the rest."""
    if facet == facets.DEPARTMENT:
        return "牵头部门：" + department_text(kb, item.departments[0])
    if facet == facets.HOTLINE:
        return "咨询电话：" + kb.hotline(item.id).number
    if facet == facets.STANDARD:
        return _short(best_sentence(item.standard, message))
    if facet == facets.ELIGIBILITY:
        return "服务对象：" + _short(item.target)
    if facet == facets.FUNDING:
        return "资金：" + _short(best_sentence(item.funding, message))
    return ""


def best_sentence(text: str, message: str) -> str:
    """The sentence (or clause) of a cell sharing the most character pairs with the
    message; the first one when none shares any."""
    return _scored_sentence(text, in_document_words(message))[0]


# Citizens' words for what the document says in its own: "医保报完自己还得掏好几千" is
# the 个人负担 after 报销 of 医疗救助's sentence about 70%; "考个焊工证" is a 技能鉴定.
# (A 考证 beside 培训 or 学 is the course's end, and the training sentence is the answer.)
_DOCUMENT_WORDS = (
    (re.compile(r"报完|报了"), "报销", None),
    (re.compile(r"自己还?得?掏|自个儿?掏|剩下的"), "个人负担", None),
    (re.compile(r"考\S{0,4}证"), "职业技能鉴定", re.compile(r"培训|学")),
)


def in_document_words(message: str) -> str:
    """The message with the document's words added after citizens' words for them."""
    for pattern, words, unless in _DOCUMENT_WORDS:
        if unless is None or not unless.search(message):
            message = pattern.sub(lambda m, words=words: m.group(0) + words, message)
    return message


def _sentences(text: str) -> list[str]:
    """The sentences of a field as shown to citizens (`display`), without their 。/；,
    empty ones left out."""
    return [p for p in re.split(r"[。；;]", display(text)) if p.strip()]


def _scored_sentence(text: str, message: str, shown: str = "") -> tuple[str, int]:
    # `message` is in the document's words (in_document_words). (Sentences already
    # `shown` are no candidates.)
    parts = [p for p in _sentences(text) if p not in shown]
    if not parts:
        return display(text), 0
    grams = {message[i : i + 2] for i in range(len(message) - 1)}
    shared = [sum(g in part for g in grams) for part in parts]
    ranks = list(shared)
    if facets.ASKS_HOW_MUCH_RE.search(message):
        # "…剩下自己掏的那部分还能救助多少": of the sentences about what is left to pay,
        # the one with the amount (不低于70%) answers "how much".
        ranks = [s + AMOUNT_BONUS * bool(_DIGIT_RE.search(p)) for s, p in zip(ranks, parts)]
    best = ranks.index(max(ranks))
    return parts[best], shared[best]


AMOUNT_BONUS = 2
"""What an amount is worth, in shared character pairs, when ranking a standard's
sentences for a question that asks how much (the thresholds count only real pairs)."""


CJK_PAIR_RE = re.compile(r"[\u4e00-\u9fff]{2}")
# A sentence that says who gets what ("…可按规定享受职业培训补贴", "为…一级、二级…提供
# 护理补贴"), not an amount or a target.
_CONDITION_WORDS_RE = re.compile(r"享受|符合|条件|对象|给予|提供|纳入|等级|评定")
_ASKS_GRADE_RE = re.compile(r"几级|哪一?级|什么级别|啥级别|多少级")
CONDITION_PAIRS = 3
"""Character pairs a standard's sentence must share with a stated situation before an
eligibility check quotes it ("一级残疾…护理补贴" → 一级、二级且需要长期照护)."""


def _own_pairs(item: Any, message: str, sentence: str) -> set[str]:
    # Pairs of Chinese characters the message and sentence share, outside the item's
    # name (naming the item says nothing about which sentence is meant).
    return {
        message[i : i + 2]
        for i in range(len(message) - 1)
        if message[i : i + 2] in sentence
        and message[i : i + 2] not in item.name
        and CJK_PAIR_RE.fullmatch(message[i : i + 2])
    }


def focus_sentence(item: Any, message: str, shown: str = "") -> str | None:
    """The sentence of the standard the question is about, when it clearly is one, of
    those not already `shown` ("…见习 见习期间给不给生活费": the opening sentence about
    见习 is in the summary; the one about 生活补助 is what was asked)."""
    if not message:
        return None
    message = in_document_words(message)
    sentence, shared = _scored_sentence(item.standard, message, shown)
    if shared < INFO_FOCUS_PAIRS or not _own_pairs(item, message, sentence):
        return None
    return sentence.strip()


def sentence_naming(item: Any, words: list[str]) -> str | None:
    """The one sentence of the 服务指导标准 that names any of `words` (the groups the
    user said they belong to), when the standard has several and only one does: "我们是
    农村的" and 残疾人职业培训's "为农村贫困残疾人提供农业实用技术培训"."""
    sentences = _sentences(item.standard)
    naming = [p for p in sentences if any(w in p for w in words)]
    return naming[0].strip() if len(sentences) > 1 and len(naming) == 1 else None


def condition_sentence(item: Any, message: str) -> str | None:
    """The sentence of the 服务指导标准 that speaks to the situation the user stated, if
    one clearly does; None otherwise.

    Pairs inside the item's own name (护理补贴) only say the item was named, digits are
    the age check's business and punctuation says nothing: at least one shared pair
    must be two other Chinese characters.
    """
    if _ASKS_GRADE_RE.search(message):
        # "重度残疾护理补贴 几级才给": the sentence that names the grades answers it,
        # however few words it shares with the question.
        graded = [
            part
            for part in _sentences(item.standard)
            if "级" in part and _CONDITION_WORDS_RE.search(part)
        ]
        if graded:
            return graded[0].strip()
    sentence, shared = _scored_sentence(item.standard, in_document_words(message))
    if shared < CONDITION_PAIRS or not _CONDITION_WORDS_RE.search(sentence):
        return None
    return sentence.strip() if _own_pairs(item, message, sentence) else None


PART_KEY_CHARS = 4
"""The end of each part of a two-benefit name that says which benefit it is
(生活补贴, 护理补贴; 辅助器具 is also "基本型辅助器具")."""


def named_part_sentence(item: Any, message: str) -> str | None:
    """For an item named for two benefits ("困难残疾人生活补贴和重度残疾人护理补贴"),
    the clause of the standard about the one benefit the message names; else None."""
    parts = [p for p in item.name.split("和") if len(p) >= PART_KEY_CHARS]
    if len(parts) != 2:
        return None
    keys = [p[-PART_KEY_CHARS:] for p in parts]
    named = [k for k in keys if k in message]
    if len(named) != 1:
        return None
    return next((c for c in _clauses(display(item.standard)) if named[0] in c), None)


def _short(text: str) -> str:
    text = text.strip().rstrip("，,")
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def choice_text(
    items: list[Any],
    intro: str = "您想问的是哪一项？",
    previews: list[str] | None = None,
) -> str:
    """A numbered choice between items, to be answered with "1", "2", ..."""
    lines = [intro]
    previews = previews or [""] * len(items)
    lines += [
        f"{n}. 第{item.id}项 {item.name}" + (f"（{extra}）" if extra else "")
        for n, (item, extra) in enumerate(zip(items, previews), 1)
    ]
    numbers = "/".join(str(n) for n in range(1, len(items) + 1))
    lines.append(f"请回复序号 {numbers}。")
    return "\n".join(lines)


def choice_buttons(items: list[Any]) -> list[dict]:
    """Buttons whose payload is the plain number text, never "/intent{...}"."""
    return [
        {"title": f"{n}. {item.name}", "payload": str(n)}
        for n, item in enumerate(items, 1)
    ]


NOT_FOUND = (
    "抱歉，没有在《廊坊市“十三五”基本公共服务清单》里找到与您的问题对应的服务项目。\n"
    "我可以回答清单中81项基本公共服务（如低保、医保、养老保险、免费体检、法律援助、"
    "残疾人补贴）的服务对象、标准、负责部门和咨询电话。\n"
    f"其他问题请拨打{GENERAL_HOTLINE}{GENERAL_HOTLINE_NAME}。"
)


def not_in_list_text(topics: list[str]) -> str:
    """The honest answer about a topic the list does not cover (kb/curated/
    not_in_list.csv): no guess at an item, the general hotline."""
    named = "、".join(f"“{t}”" for t in topics)
    return (
        f"抱歉，{named}不在《廊坊市“十三五”基本公共服务清单》的81项服务里，我没法回答。\n"
        f"请拨打{GENERAL_HOTLINE}{GENERAL_HOTLINE_NAME}咨询。"
    )
