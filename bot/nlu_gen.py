"""Generate the NLU resources that come from the knowledge base.

`python -m bot.nlu_gen` (what `make nlu` runs whenever build/kb.db changes) writes:

- ``build/nlu/spacy_zh/``: a blank spaCy ``zh`` pipeline whose tokenizer is jieba with
  the knowledge base's terms as user words (see bot.components.jieba_tokenizer) and an
  ``entity_ruler`` labelling those terms ``service``, ``department``, ``domain`` or
  ``group``.
  Rasa's SpacyNLP loads it (config.yml) and SpacyEntityExtractor reads its entities, so
  the tokenizer's dictionary and the entity vocabulary always come from the same list.
- ``build/nlu/data/generated.yml``: training examples made of hand-written question
  templates filled with item names and aliases, groups, departments and domains.
- ``build/nlu/data/lookups.yml``: the same terms as lookup tables (regex features).
- ``build/nlu/data/synonyms.yml``: Chinese numerals mapped to digits for the ``age`` and
  ``number`` entities ("七十" -> "70", "二" -> "2").

Everything is deterministic (fixed seed, sorted inputs): the same knowledge base gives
byte-identical files, so make and git see no spurious changes.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot import settings
from kb.textnorm import normalize

OUT_DIR = settings.ROOT / "build" / "nlu"


def rasa_project_args(generated: Path = OUT_DIR / "data") -> list[str]:
    """Rasa CLI arguments naming the project's config, domain and training data.

    The same files the Makefile's `rasa train` uses, for Python callers (`bot.evaluate
    --train`, the data-validation test), with the generated data folder swappable for
    a temporary one. Run from the repository root.
    """
    return [
        "--config", "config.yml",
        "--domain", "bot/domain",
        "--data", "nlu_data", "bot/data", str(generated),
    ]
SPACY_DIR = OUT_DIR / "spacy_zh"
DATA_DIR = OUT_DIR / "data"
SEED = 20181022  # the document's publication date; any fixed value would do

ENTITY_KINDS = ("service", "department", "domain", "group")
"""Entity labels in order of precedence when one term belongs to several kinds: a
service name is the most specific thing a citizen can say."""

_UNSAFE = set("[](){}\"'|\\")
"""Characters that would break Rasa's `[text](entity)` training-data syntax."""

# --- question templates ------------------------------------------------------------
# `{s}` is an item name or alias. Written the way people ask, several per facet so
# that no single phrasing dominates; the hand-written examples in nlu_data/ cover the
# phrasings without a service.
SERVICE_TEMPLATES: dict[str, Sequence[str]] = {
    "ask_service_info": (
        "{s}",
        "{s}是什么",
        "介绍一下{s}",
        "那{s}呢",
        "{s}是怎么回事",
        "我想了解{s}",
        "问下{s}",
        "{s}有什么政策",
        "说说{s}",
        "{s}呢",
        "{s}怎么申请",
        "{s}怎么办理",
        "有没有{s}",
        "{s}的事",
        "想问问{s}",
        # "X是干嘛的" asks what X is; without these it was read as `help` ("你是干嘛的").
        "{s}是干嘛的",
        "{s}是干啥用的",
        "{s}是个啥",
        "啥叫{s}",
    ),
    "ask_eligibility": (
        "{s}谁能申请",
        "什么人能享受{s}",
        "{s}的服务对象是谁",
        "{s}需要什么条件",
        "哪些人可以办{s}",
        "{s}针对什么人",
        "谁可以领{s}",
        "{s}申请条件",
        "符合什么条件能享受{s}",
        "{s}管哪类人",
        "{s}是给谁的",
        "多大年龄能享受{s}",
        "{s}有年龄限制吗",
        "{s}到几岁为止",
    ),
    "ask_standard": (
        "{s}标准是多少",
        "{s}能给多少钱",
        "{s}有什么待遇",
        "{s}具体提供什么",
        "{s}补助多少",
        "{s}一年多少钱",
        "{s}能报多少",
        "{s}都包括啥",
        "{s}的标准",
        "{s}要交钱吗",
        "{s}都有哪些服务",
        "{s}有哪些待遇",
        "{s}包括哪几项",
        "{s}怎么算",
        "{s}咋算的",
    ),
    "ask_department": (
        "{s}找哪个部门",
        "{s}归哪个部门管",
        "办{s}去哪个单位",
        "{s}是哪个局负责的",
        "{s}找谁办",
        "{s}去哪里办",
        "{s}的牵头部门",
        "{s}哪个部门管",
        "{s}谁负责",
        "{s}在哪申请",
        "{s}去哪办理",
    ),
    "ask_hotline": (
        "{s}电话多少",
        "{s}打什么电话咨询",
        "{s}的咨询热线",
        "问{s}打哪个号码",
        "{s}热线电话",
        "{s}联系电话是多少",
        "{s}打哪个电话",
    ),
    "ask_funding": (
        "{s}的钱谁出",
        "{s}资金谁承担",
        "{s}是哪级财政出钱",
        "{s}费用谁负担",
        "{s}谁出钱",
        "{s}的支出责任",
        "{s}经费从哪来",
    ),
}

GROUP_LIST_TEMPLATES = (
    "我是{g}，能享受哪些服务",
    "{g}有什么福利",
    "{g}能享受哪些政策",
    "{g}有哪些服务",
    "针对{g}的服务有哪些",
    "{g}能办哪些",
    "{g}有啥待遇",
    "咱{g}有什么保障",
)
DEPARTMENT_LIST_TEMPLATES = (
    "{d}负责哪些服务",
    "{d}管哪些事",
    "{d}都管什么",
    "{d}负责的项目有哪些",
)
DOMAIN_LIST_TEMPLATES = (
    "{m}都包括哪些",
    "{m}有哪些项目",
    "{m}方面有什么服务",
    "{m}类的服务列一下",
    "{m}都有哪几种",
    "{m}这一块都有什么",
    "{m}方面都有啥政策",
)
CHECK_TEMPLATES = (
    "我是{g}，能申请{s}吗",
    "我{a}岁能享受{s}吗",
    "我家是{g}能办{s}吗",
    "我爸{a}岁了能领{s}吗",
    "我属于{g}，{s}有我的份吗",
)
INDICATOR_TEMPLATES = (
    # "那X呢" after an indicator answer asks for another indicator; the indicator's name
    # is the only clue, since indicators are not entities.
    "{i}呢",
    "那{i}是多少呢",
    "{i}2020年计划到多少",
    "{i}目标定的多少",
    "{i}十三五要达到多少",
)
OUT_OF_LIST_TOPICS = (
    # Everyday government and life matters that are not among the 81 items. Asked in
    # the same frames as the facet questions, so that the frame alone ("找哪个部门",
    # "多少钱") does not make a question about the list.
    "驾驶证", "户口迁移", "结婚登记", "离婚手续", "个人所得税", "房贷", "车辆年检",
    "违章罚款", "停车位", "燃气费", "水费", "宽带", "快递", "外卖", "机票", "酒店",
    "股票", "彩票", "物业费", "装修", "养狗", "营业执照", "签证", "高考志愿", "考研",
    "公务员考试", "二手车", "话费", "信用卡", "电动车上牌", "出租车", "暖气费",
    "商品房", "网购退货", "宅基地", "土地承包", "征兵体检", "港澳通行证",
)  # fmt: skip
OUT_OF_LIST_FRAMES = (
    "{t}找哪个部门",
    "{t}多少钱",
    "{t}打什么电话",
    "{t}怎么办理",
    "{t}谁负责",
    "{t}去哪里办",
    "{t}有什么政策",
    "问一下{t}的事",
    "{t}需要什么条件",
    "{t}谁出钱",
)
MAX_LIST_TERMS = 30
"""Group and department synonyms sampled for list_services examples."""
AGES = (6, 12, 16, 35, 45, 58, 60, 63, 65, 70, 75, 80, 85, 92)

# A group word or an age written as a description ("65岁以上老人") says whom a question is
# about, not what is asked: without these the classifier learnt "group word + 哪些 ->
# list_services" and "age -> check_eligibility". Each facet therefore also meets
# questions that name an item together with one of its groups or an age range.
GROUP_FACET_TEMPLATES: dict[str, Sequence[str]] = {
    "ask_service_info": (
        "{g}怎么申请{s}",
        "{g}有{s}这个政策吗",
        "给{g}的{s}是啥",
        "{g}想办{s}咋弄",
        "{g}的{s}怎么回事",
    ),
    "ask_eligibility": (
        "{s}哪些{g}能享受",
        "什么样的{g}能办{s}",
        "{g}都能领{s}吗",
        "{g}能申请{s}吗",
        "{g}可以享受{s}不",
        "{s}对{g}有啥条件",
        "{g}够不够{s}的条件",
    ),
    "ask_standard": (
        "{g}的{s}有哪些服务",
        "{g}{s}能享受什么",
        "{s}给{g}补多少",
        "{g}的{s}包括啥",
        "{s}对{g}有什么待遇",
    ),
    "ask_department": (
        "{g}办{s}找哪个部门",
        "{g}的{s}归谁管",
        "{g}{s}去哪办",
        "{s}给{g}办的是哪个局",
        "{g}问{s}该去哪个单位",
    ),
    "ask_hotline": (
        "{g}问{s}打什么电话",
        "{g}的{s}咨询热线",
        "{g}{s}电话多少",
        "{s}有给{g}的热线吗",
        "{g}咨询{s}拨哪个号码",
    ),
    "ask_funding": (
        "{g}的{s}谁出钱",
        "{g}{s}的费用谁负担",
        "{g}{s}的钱谁承担",
        "{s}给{g}的钱是财政出吗",
        "{g}{s}的资金从哪来",
    ),
}
AGE_FACET_TEMPLATES: dict[str, Sequence[str]] = {
    # A yes/no about a group ("70岁以上老人能享受X吗") asks who qualifies, as in
    # tests/heldout/questions.yml; "有X吗" asks whether the service exists.
    "ask_service_info": ("{p}有{s}吗", "{p}的{s}怎么申请", "{p}的{s}怎么办理"),
    "ask_eligibility": ("{s}是不是只给{p}", "{p}能享受{s}吗", "{p}符合{s}的条件吗"),
    "ask_standard": ("{p}的{s}都有什么服务", "{p}{s}一年能查几次", "{p}{s}给多少"),
    "ask_department": ("{p}的{s}找哪个部门", "{p}{s}去哪里办", "{p}的{s}谁负责"),
    "ask_hotline": ("{p}{s}打什么电话", "{p}的{s}热线多少", "问{p}{s}打哪个号"),
    "ask_funding": ("{p}的{s}谁出钱", "{p}{s}费用谁负担", "{p}{s}的经费谁管"),
    "list_services": ("{p}有哪些服务", "{p}能享受哪些政策", "给{p}的服务有啥"),
}
AGE_DESCRIPTIONS = (
    # (the group whose items it fits or None, ages, ways to write the range, people)
    ("老年人", (60, 65, 70, 75, 80), ("{a}岁以上", "{a}周岁以上", "{a}岁及以上",
     "满{a}周岁"), ("老人", "老年人", "的老人")),
    ("儿童", (3, 6, 12, 16), ("{a}岁以下", "未满{a}周岁", "0到{a}岁", "0—{a}岁"),
     ("孩子", "儿童", "的孩子", "的娃")),
    (None, (18, 35, 45), ("{a}岁到{b}岁", "{a}至{b}周岁"), ("的人", "的人员")),
)  # fmt: skip
FACET_EXTRA_ROUNDS = 3
"""Examples per group/age template: many templates, few rounds each, so that no one
frame weighs more than the hand-written phrasings (6 rounds of one "…自己掏钱吗" frame
had taught "自己" -> ask_funding)."""


@dataclass(frozen=True)
class Vocabulary:
    """The knowledge-base terms the NLU needs, by kind, plus names per item."""

    terms: dict[str, list[str]]  # kind -> terms (sorted, de-duplicated across kinds)
    words: list[str]  # jieba user words: the KB's dictionary (same cut as search)
    item_names: list[list[str]]  # per item: official name first, then its aliases
    item_groups: list[list[str]]  # per item (same order): group names and synonyms
    canonical_groups: list[str]
    departments: list[str]
    domains: list[str]
    indicators: list[str] = field(default_factory=list)  # 主要发展指标 names


def _safe(term: str) -> bool:
    return (
        bool(term) and len(term) >= 2 and not (_UNSAFE & set(term)) and " " not in term
    )


def load_vocabulary(kb: object) -> Vocabulary:
    """Collects terms from an open `kb.query.KnowledgeBase`.

    A term listed under several kinds keeps only the first kind in ENTITY_KINDS, so the
    entity ruler never has two labels for one string.
    """
    raw = kb.vocabulary()
    seen: set[str] = set()
    terms: dict[str, list[str]] = {}
    for kind in ENTITY_KINDS:
        kept = sorted({t.strip() for t in raw.get(kind, []) if _safe(t.strip())} - seen)
        seen.update(kept)
        terms[kind] = kept
    item_names = []
    for item in kb.items():
        names = [item.name] + [a for a in item.aliases if a != item.name]
        item_names.append([n for n in dict.fromkeys(names) if _safe(n)])
    members: dict[int, list[str]] = {}
    for group in kb.groups():
        for item_id in group.item_ids:
            members.setdefault(item_id, []).extend((group.name, *group.synonyms))
    item_groups = [
        sorted({g for g in members.get(item.id, []) if _safe(g)}) for item in kb.items()
    ]
    groups = sorted({g for item in kb.items() for g in item.groups if _safe(g)})
    departments = sorted(
        {d for item in kb.items() for d in item.departments if _safe(d)}
    )
    domains = sorted({item.domain for item in kb.items() if _safe(item.domain)})
    # The KB's own dictionary (what its search index is cut with) plus every term, so
    # NLU tokens and search tokens agree and every entity term is one token.
    words = sorted(
        set(kb.dictionary_words()) | {t for ts in terms.values() for t in ts}
    )
    indicators = sorted({i.name for i in kb.indicators() if _safe(i.name)})
    return Vocabulary(
        terms, words, item_names, item_groups, groups, departments, domains, indicators
    )


# --- spaCy model ---------------------------------------------------------------------
def build_spacy_model(vocab: Vocabulary, out: Path = SPACY_DIR) -> Path:
    """Writes the spaCy pipeline (jieba user words + entity ruler) to ``out``."""
    import spacy

    from bot.components.jieba_tokenizer import TOKENIZER_NAME

    nlp = spacy.blank(
        "zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}}
    )
    nlp.meta.update(
        name="langfang_zh",
        version="1.0.0",
        description="jieba with the Langfang KB's user words; KB-term entity ruler",
    )
    nlp.tokenizer.add_words(vocab.words)
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(
        [
            {"label": kind, "pattern": t}
            for kind in ENTITY_KINDS
            for t in vocab.terms[kind]
        ]
    )
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)  # a fresh clone has no build/nlu yet
    nlp.to_disk(out)
    return out


# --- training data -------------------------------------------------------------------
def _example(template: str, **slots: tuple[str, str]) -> str:
    """Fills a template; each slot is (text, entity) and becomes `[text](entity)`."""
    filled = template
    for key, (text, entity) in slots.items():
        value = f"[{text}]({entity})" if entity else text
        filled = filled.replace("{" + key + "}", value)
    return filled


def generate_examples(vocab: Vocabulary, seed: int = SEED) -> dict[str, list[str]]:
    """Returns intent -> examples built from templates and knowledge-base terms.

    Every item gets every facet once, and every alias appears at least once, so the
    classifier meets each term without any one intent owning it. Sizes stay in the
    hundreds per intent to keep `rasa train` within a few minutes on two cores.
    """
    rng = random.Random(seed)
    out: dict[str, list[str]] = {intent: [] for intent in SERVICE_TEMPLATES}
    facets = list(SERVICE_TEMPLATES)
    for names in vocab.item_names:
        if not names:
            continue
        shuffled = names[:1] + rng.sample(names[1:], len(names) - 1)
        count = max(len(facets), len(shuffled))
        offset = rng.randrange(len(facets))
        for i in range(count):
            intent = facets[(offset + i) % len(facets)]
            name = shuffled[i % len(shuffled)]
            template = rng.choice(SERVICE_TEMPLATES[intent])
            out[intent].append(_example(template, s=(name, "service")))

    lists: list[str] = []
    # A sample of the synonyms (with every canonical group) is enough to teach the
    # intent; all of them would make list_services outweigh every other intent.
    groups = sorted(
        set(vocab.canonical_groups)
        | set(
            rng.sample(
                vocab.terms["group"], min(MAX_LIST_TERMS, len(vocab.terms["group"]))
            )
        )
    )
    departments = sorted(
        set(vocab.departments)
        | set(
            rng.sample(
                vocab.terms["department"],
                min(MAX_LIST_TERMS, len(vocab.terms["department"])),
            )
        )
    )
    for group in groups:
        lists.append(_example(rng.choice(GROUP_LIST_TEMPLATES), g=(group, "group")))
    for dept in departments:
        template = rng.choice(DEPARTMENT_LIST_TEMPLATES)
        lists.append(_example(template, d=(dept, "department")))
    for domain in vocab.terms["domain"]:
        for template in rng.sample(DOMAIN_LIST_TEMPLATES, 2):
            lists.append(_example(template, m=(domain, "domain")))
    out["list_services"] = lists

    checks: list[str] = []
    named = [names for names in vocab.item_names if names]
    groups = vocab.terms["group"] or vocab.canonical_groups
    for i, template in enumerate(CHECK_TEMPLATES * 8):
        names = named[(i * 7) % len(named)]
        slots = {"s": (rng.choice(names), "service")}
        if "{g}" in template:
            slots["g"] = (rng.choice(groups), "group")
        if "{a}" in template:
            slots["a"] = (str(rng.choice(AGES)), "age")
        checks.append(_example(template, **slots))
    out["check_eligibility"] = checks
    for intent, lines in _group_and_age_examples(vocab, rng).items():
        out[intent] += lines
    out["ask_indicator"] = [
        template.format(i=name)
        for name in vocab.indicators
        for template in rng.sample(INDICATOR_TEMPLATES, 2)
    ]
    out["out_of_scope"] = [
        frame.format(t=topic)
        for topic in OUT_OF_LIST_TOPICS
        for frame in rng.sample(OUT_OF_LIST_FRAMES, 3)
    ]
    return {intent: list(dict.fromkeys(ex)) for intent, ex in out.items()}


def _age_phrase(rng: random.Random) -> tuple[str, str | None]:
    """An age range describing people ("65岁以上老人") and the group it fits."""
    group, ages, ranges, people = rng.choice(AGE_DESCRIPTIONS)
    low = rng.choice(ages)
    return rng.choice(ranges).format(a=low, b=low + 15) + rng.choice(people), group


def _group_and_age_examples(
    vocab: Vocabulary, rng: random.Random
) -> dict[str, list[str]]:
    """Facet questions that also name a group of the item, or an age range."""
    with_groups = [
        (names, groups)
        for names, groups in zip(vocab.item_names, vocab.item_groups)
        if names and groups
    ]
    named = [names for names in vocab.item_names if names]
    out: dict[str, list[str]] = {}
    for intent, templates in GROUP_FACET_TEMPLATES.items():
        for template in list(templates) * FACET_EXTRA_ROUNDS:
            names, groups = rng.choice(with_groups)
            service = (rng.choice(names), "service")
            group = (rng.choice(groups), "group")
            out.setdefault(intent, []).append(_example(template, s=service, g=group))
    for intent, templates in AGE_FACET_TEMPLATES.items():
        for template in list(templates) * FACET_EXTRA_ROUNDS:
            phrase, group = _age_phrase(rng)
            slots = {"p": (phrase, "")}
            if "{s}" in template:
                fitting = [n for n, gs in with_groups if group in gs] or named
                slots["s"] = (rng.choice(rng.choice(fitting)), "service")
            out.setdefault(intent, []).append(_example(template, **slots))
    return out


def chinese_numeral(n: int) -> str:
    """1..199 in Chinese numerals as people write ages: 七十, 八十五, 一百零二."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 200:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = "一百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    if ones:
        text += digits[ones]
    return text


def numeral_synonyms(limit: int = 120) -> dict[str, list[str]]:
    """digit string -> Chinese spellings, for EntitySynonymMapper."""
    synonyms = {str(n): [chinese_numeral(n)] for n in range(1, limit + 1)}
    synonyms["2"].append("两")
    synonyms["100"].append("百")
    return synonyms


def _block(lines: Iterable[str]) -> str:
    return "".join(f"      - {line}\n" for line in lines)


_MARKUP_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NOT_TEXT_RE = re.compile(r"[\s\W_]+")


def text_key(text: str) -> str:
    """What makes two messages the same question: the plain text (no entity markup),
    normalised, without spaces and punctuation, lower case."""
    return _NOT_TEXT_RE.sub("", normalize(_MARKUP_RE.sub(r"\1", text))).lower()


def without_heldout(
    examples: dict[str, list[str]], heldout_texts: Iterable[str]
) -> dict[str, list[str]]:
    """The examples minus any that is a held-out question: templates and KB terms can
    produce one by chance ("教育方面有什么服务"), and held-out texts are never trained on."""
    banned = {text_key(t) for t in heldout_texts}
    return {
        intent: [e for e in lines if text_key(e) not in banned]
        for intent, lines in examples.items()
    }


def render_nlu(examples: dict[str, list[str]]) -> str:
    parts = ['version: "3.1"\n', "nlu:\n"]
    for intent, lines in examples.items():
        parts += [f"  - intent: {intent}\n", "    examples: |\n", _block(lines)]
    return "".join(parts)


def render_lookups(vocab: Vocabulary) -> str:
    parts = ['version: "3.1"\n', "nlu:\n"]
    for kind in ENTITY_KINDS:
        if vocab.terms[kind]:
            parts += [
                f"  - lookup: {kind}\n",
                "    examples: |\n",
                _block(vocab.terms[kind]),
            ]
    return "".join(parts)


def render_synonyms(synonyms: dict[str, list[str]]) -> str:
    parts = ['version: "3.1"\n', "nlu:\n"]
    for value, spellings in synonyms.items():
        parts += [f'  - synonym: "{value}"\n', "    examples: |\n", _block(spellings)]
    return "".join(parts)


HEADER = "# Generated by `python -m bot.nlu_gen` from build/kb.db. Do not edit.\n"


def write_all(kb: object, out_dir: Path = OUT_DIR) -> dict[str, int]:
    """Writes every generated resource under ``out_dir``; returns counts for the log."""
    vocab = load_vocabulary(kb)
    build_spacy_model(vocab, out_dir / "spacy_zh")
    data = out_dir / "data"
    if data.exists():
        shutil.rmtree(data)  # stale files would silently stay in the training data
    data.mkdir(parents=True)
    from bot import heldout

    examples = without_heldout(generate_examples(vocab), heldout.all_texts())
    (data / "generated.yml").write_text(HEADER + render_nlu(examples), encoding="utf-8")
    (data / "lookups.yml").write_text(HEADER + render_lookups(vocab), encoding="utf-8")
    (data / "synonyms.yml").write_text(
        HEADER + render_synonyms(numeral_synonyms()), encoding="utf-8"
    )
    counts = {f"terms.{k}": len(v) for k, v in vocab.terms.items()}
    counts.update({f"examples.{k}": len(v) for k, v in examples.items()})
    return counts


def main() -> None:
    from kb.query import KnowledgeBase

    kb = KnowledgeBase.open()
    counts = write_all(kb)
    summary = ", ".join(f"{k}={v}" for k, v in counts.items())
    print(f"NLU resources written to {OUT_DIR.relative_to(settings.ROOT)}: {summary}")


if __name__ == "__main__":
    main()
