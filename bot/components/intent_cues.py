"""A Rasa NLU component that applies `bot.intent_cues` after the intent classifier.

It runs after DIETClassifier and the entity extractors (a list cue needs to know
whether a domain or an item was named) and before FallbackClassifier. When a cue
settles the intent, that intent goes to the top of the ranking with confidence 1.0 (a
cue is not a guess, so the fallback must not undo it); otherwise the message is left
as it is.
Nothing is learnt: training data passes through untouched.
"""

from __future__ import annotations

import logging

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.resolve import SERVICE_KINDS
from bot.components.kb_access import knowledge_base
from bot.components.stateless import StatelessComponent
from bot.intent_cues import SET_ASIDE, cue, names_only_items, unfounded

logger = logging.getLogger(__name__)

RULED_OUT_FACTOR = 0.5
WEAK_READING = 0.35
"""The fallback's threshold (config.yml): a next reading below it would only fall back."""
SURE = 0.5
"""DIET's confidence in a ruled-out reading above which its other readings say little."""
ABOUT_AN_ITEM = "ask_service_info"


def _group_as_item(kb, text: str, services: list[tuple[int, int]]) -> bool:
    """Whether a group's own name in the message names every item it names: "退役军人
    都有啥政策", and "退伍好几年了 … 退役军人都有啥政策" (退伍 names only what 退役军人
    does), but not "优抚对象都有啥待遇" (a synonym of a group, not its name)."""
    spans = {text[start:end] for start, end in services}
    groups = spans & kb.group_names()
    if not groups:
        return False
    ids = {
        m.term: set(m.item_ids)
        for m in kb.match_terms(text)
        if m.kind in SERVICE_KINDS
    }
    by_group = set().union(*(ids.get(name, set()) for name in groups))
    return bool(by_group) and all(ids.get(span, set()) <= by_group for span in spans)


def apply_cue(message: Message) -> None:
    """Moves the message's intent to the one its wording settles, if any, after
    setting aside a reading the text cannot have (a greeting with no greeting word,
    a yes/no that names an item)."""
    text = message.get(TEXT)
    intent = message.get(INTENT) or {}
    name = intent.get("name")
    if not isinstance(text, str) or not name:
        return
    entities = message.get(ENTITIES) or []
    kinds = frozenset(e.get("entity") for e in entities)
    services = [
        (e["start"], e["end"])
        for e in entities
        if e.get("entity") == "service" and "start" in e and "end" in e
    ]
    if unfounded(text, name, kinds):
        name = _demote(message, name, kinds)
    kb = knowledge_base()
    if kb and kb.match_situations(text):
        # A curated situation names an item as an alias does ("给老年人免费做健康管理
        # 具体都包括些啥" is 老年人健康管理, no list of the old's services), and its
        # group words are part of the story, not what to list by.
        kinds |= {"service", "situation"}
    cued = cue(
        text,
        name,
        kinds,
        off_list=bool(kb and kb.not_in_list(text)),
        item_follow_up=names_only_items(text, services),
        group_as_item=bool(kb and services) and _group_as_item(kb, text, services),
    )
    if cued is None:
        return
    if cued != name:
        logger.debug("Intent %s -> %s by its wording: %r", name, cued, text)
    # The intents the cue ruled out stay in the ranking, in order, at half their
    # confidence: left as they were, DIET's own first choice (often 0.9+) would sit
    # within the fallback's ambiguity threshold of the cue's 1.0 and undo it.
    ranking = [
        {**r, "confidence": r["confidence"] * RULED_OUT_FACTOR}
        for r in message.get(INTENT_RANKING_KEY) or []
        if r["name"] != cued
    ]
    top = {"name": cued, "confidence": 1.0}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)


def _demote(message: Message, name: str, kinds: frozenset[str]) -> str:
    """Replaces a reading the text cannot have (`unfounded`) by the next reading that
    is not small talk or yes/no; returns the intent the message now has."""
    text = message.get(TEXT)
    ranking = message.get(INTENT_RANKING_KEY) or []
    ruled_out = {r["name"] for r in ranking if unfounded(text, r["name"], kinds)}
    others = [
        r for r in ranking if r["name"] not in SET_ASIDE and r["name"] not in ruled_out
    ]
    best = others[0] if others else None
    sure = (message.get(INTENT) or {}).get("confidence", 0.0)
    if (
        "service" in kinds
        and sure >= SURE
        and (best is None or best["confidence"] < WEAK_READING)
    ):
        # DIET was sure of a reading the words rule out ("怎么建个人健康档案" as
        # ask_funding at 1.0) and left the rest next to nothing; an item is named, so
        # it is a question about that item: what it is, with who, what, whom to call.
        best = {"name": ABOUT_AN_ITEM, "confidence": sure}
    if best is None:
        return name
    logger.debug("Intent %s -> %s: no such word in %r", name, best["name"], text)
    # Readings the text cannot have keep no confidence: left as they were, DIET's
    # first choice would sit above the reading that replaces it and the fallback's
    # ambiguity check would undo the replacement.
    rest = sorted(
        (
            {**r, "confidence": 0.0} if r["name"] in ruled_out else r
            for r in ranking
            if r["name"] != best["name"]
        ),
        key=lambda r: -r["confidence"],
    )
    message.set(INTENT, dict(best), add_to_output=True)
    message.set(INTENT_RANKING_KEY, [best, *rest], add_to_output=True)
    return best["name"]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class IntentCues(StatelessComponent):
    """Corrects the classifier's intent where a cue word decides it."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            try:
                apply_cue(message)
            except Exception:  # noqa: BLE001 - a correction must never cost a reply
                logger.exception("Intent cues failed; the classifier's reading stands")
        return messages
