"""Fixtures for action tests: real rasa_sdk trackers and dispatchers over the real KB.

`Conversation` (bot.replay, shared with `python -m bot.replay`) plays a dialogue turn by turn the way Rasa would: the intent picks the
next action through the rules in bot/data/rules.yml, the action runs with a real
`Tracker` and `CollectingDispatcher`, and the slots it sets are carried to the next
turn. Only NLU is left out: each turn gives its intent and entities, so these tests pin
down what the actions do and the conversation tests (tests/test_*.yml) what NLU does.
"""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import replay
from bot.replay import Conversation, action_classes, dialogue_domain, tracker_for

ACTION_CLASSES = action_classes()


@pytest.fixture(scope="session")
def domain() -> dict:
    """The dialogue half of the domain (slots, responses, actions)."""
    return dialogue_domain()


@pytest.fixture(scope="session")
def rule_actions() -> dict[str, str]:
    """intent → the action its rule in bot/data/rules.yml runs."""
    return replay.rule_actions()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


make_tracker = tracker_for
"""A tracker whose latest message is `text`, as Rasa sends it to the actions."""


def run_action(
    action, tracker: Tracker, dispatcher: CollectingDispatcher, domain: dict
):
    return asyncio.run(action.run(dispatcher, tracker, domain))


@pytest.fixture
def conversation(kb, domain, rule_actions) -> Conversation:
    return Conversation(kb, domain, rule_actions, ACTION_CLASSES)
