"""Fixtures for action tests: real rasa_sdk trackers and dispatchers over the real KB.

`Conversation` plays a dialogue turn by turn the way Rasa would: the intent picks the
next action through the rules in bot/data/rules.yml, the action runs with a real
`Tracker` and `CollectingDispatcher`, and the slots it sets are carried to the next
turn. Only NLU is left out: each turn gives its intent and entities, so these tests pin
down what the actions do and the conversation tests (tests/test_*.yml) what NLU does.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as action_module
from bot import settings

ACTION_CLASSES = {
    cls().name(): cls
    for cls in vars(action_module).values()
    if isinstance(cls, type)
    and issubclass(cls, action_module.KnowledgeAction)
    and cls is not action_module.KnowledgeAction
}


def _load_yaml(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def domain() -> dict:
    """The dialogue half of the domain (slots, responses, actions)."""
    return _load_yaml(settings.ROOT / "bot" / "domain" / "dialogue.yml")


@pytest.fixture(scope="session")
def rule_actions() -> dict[str, str]:
    """intent → the action its rule in bot/data/rules.yml runs."""
    rules = _load_yaml(settings.ROOT / "bot" / "data" / "rules.yml")["rules"]
    mapping = {}
    for rule in rules:
        steps = rule["steps"]
        if len(steps) == 2 and "intent" in steps[0] and "action" in steps[1]:
            mapping[steps[0]["intent"]] = steps[1]["action"]
    return mapping


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    text: str,
    intent: str,
    entities: list[dict] | None = None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest message is `text`, as Rasa sends it to the actions."""
    return Tracker(
        sender_id="test-user",
        slots=dict(slots or {}),
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": list(entities or []),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(
    action, tracker: Tracker, dispatcher: CollectingDispatcher, domain: dict
):
    return asyncio.run(action.run(dispatcher, tracker, domain))


class Conversation:
    """A dialogue with the real actions and rules; see the module docstring."""

    def __init__(self, kb, domain: dict, rule_actions: dict[str, str]) -> None:
        self.kb = kb
        self.domain = domain
        self.rule_actions = rule_actions
        self.slots: dict[str, Any] = {}
        self.last_action = ""
        self.last_messages: list[dict] = []

    def say(self, text: str, intent: str, entities: list[dict] | None = None) -> str:
        """Sends one message; returns the reply text (all messages joined)."""
        action_name = self.rule_actions[intent]
        self.last_action = action_name
        dispatcher = CollectingDispatcher()
        if action_name.startswith("utter_"):
            responses = self.domain["responses"][action_name]
            self.last_messages = [{"text": responses[0]["text"], "buttons": []}]
        else:
            action = ACTION_CLASSES[action_name](kb=self.kb)
            tracker = make_tracker(text, intent, entities, self.slots)
            events = run_action(action, tracker, dispatcher, self.domain)
            for event in events:
                assert event["event"] == "slot", event
                self.slots[event["name"]] = event["value"]
            # A message naming a response is sent as that response's text by Rasa.
            self.last_messages = [
                {"text": self.domain["responses"][m["response"]][0]["text"]}
                if m.get("response")
                else m
                for m in dispatcher.messages
            ]
        return "\n".join(m.get("text") or "" for m in self.last_messages)

    @property
    def buttons(self) -> list[dict]:
        return [b for m in self.last_messages for b in m.get("buttons") or []]


@pytest.fixture
def conversation(kb, domain, rule_actions) -> Conversation:
    return Conversation(kb, domain, rule_actions)
