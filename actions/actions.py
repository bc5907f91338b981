"""The custom actions Rasa calls: thin adapters from rasa_sdk to `actions.dialogue`.

rasa_sdk instantiates every concrete `Action` subclass with no arguments, so the
knowledge base is injected through the constructor with a lazily opened module-level
default (as in rasa_sdk's knowledge-base action): importing this module touches no
database, and tests pass a knowledge base built in a temporary directory.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import dialogue
from actions.dialogue import Outcome, Turn

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "抱歉，服务资料暂时无法查询，请稍后再试，或拨打12345政务服务便民热线咨询。"
)

_default_kb: Any = None


def default_kb() -> Any:
    """The knowledge base at `settings.KB_PATH`, opened on first use and then shared."""
    global _default_kb
    if _default_kb is None:
        from bot import settings
        from kb.query import KnowledgeBase

        _default_kb = KnowledgeBase.open(settings.KB_PATH)
    return _default_kb


def normalize(text: str | None) -> str:
    from kb.textnorm import normalize as _normalize

    return _normalize(text)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def turn_from_tracker(tracker: Tracker) -> Turn:
    """The latest message and the remembered context, read from the tracker."""
    latest = tracker.latest_message or {}
    candidates = tracker.get_slot(dialogue.CANDIDATES_SLOT) or []
    return Turn(
        text=normalize(latest.get("text")),
        intent=(latest.get("intent") or {}).get("name"),
        entities=list(latest.get("entities") or []),
        item_id=_int_or_none(tracker.get_slot(dialogue.ITEM_SLOT)),
        facet=tracker.get_slot(dialogue.FACET_SLOT),
        candidates=[i for i in map(_int_or_none, candidates) if i is not None],
        indicators=[str(n) for n in tracker.get_slot(dialogue.INDICATORS_SLOT) or []],
    )


class KnowledgeAction(Action, ABC):
    """An action answered from the knowledge base by one `actions.dialogue` handler.

    Args:
        kb: the knowledge base; None uses the shared default from `settings.KB_PATH`.
    """

    def __init__(self, kb: Any = None) -> None:
        self._kb = kb

    @property
    def kb(self) -> Any:
        return self._kb if self._kb is not None else default_kb()

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def handler(self) -> Callable[[Any, Turn], Outcome]: ...

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        try:
            outcome = self.handler()(self.kb, turn_from_tracker(tracker))
        except Exception:  # noqa: BLE001 - a citizen gets an answer, never a 500
            # rasa_sdk would answer 500 with the whole tracker and the user would get
            # nothing; log the trace for us and give the user the general hotline.
            logger.exception("%s failed", self.name())
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        for message in outcome.messages:
            dispatcher.utter_message(**message)
        return [SlotSet(slot, value) for slot, value in outcome.slots.items()]


class ActionAnswer(KnowledgeAction):
    """Every question about one item's facts: ask_* intents and check_eligibility."""

    def name(self) -> str:
        return "action_answer"

    def handler(self) -> Callable[[Any, Turn], Outcome]:
        return dialogue.answer


class ActionChoose(KnowledgeAction):
    """Replies to a numbered list or an offer: choose, affirm, deny."""

    def name(self) -> str:
        return "action_choose"

    def handler(self) -> Callable[[Any, Turn], Outcome]:
        return dialogue.choose


class ActionListServices(KnowledgeAction):
    def name(self) -> str:
        return "action_list_services"

    def handler(self) -> Callable[[Any, Turn], Outcome]:
        return dialogue.list_services


class ActionIndicator(KnowledgeAction):
    def name(self) -> str:
        return "action_indicator"

    def handler(self) -> Callable[[Any, Turn], Outcome]:
        return dialogue.indicator


class ActionHandoff(KnowledgeAction):
    def name(self) -> str:
        return "action_handoff"

    def handler(self) -> Callable[[Any, Turn], Outcome]:
        return dialogue.handoff


class ActionOutOfScope(KnowledgeAction):
    """out_of_scope: the list's limits and 12345, unless the message names an item."""

    def name(self) -> str:
        return "action_out_of_scope"

    def handler(self) -> Callable[[Any, Turn], Outcome]:
        return dialogue.out_of_scope


class ActionFallback(KnowledgeAction):
    """nlu_fallback: an honest "not sure", suggestions from search, and 12345."""

    def name(self) -> str:
        return "action_fallback"

    def handler(self) -> Callable[[Any, Turn], Outcome]:
        return dialogue.fallback
