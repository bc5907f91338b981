"""Plain-function tests of the operations modules (no servers)."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from bot import action_schema, failsafe, rasa_server


def test_outage_is_logged_once_and_recovery_once(caplog):
    log = failsafe.OutageLog(logging.getLogger("test.failsafe"), quiet_s=0)
    with caplog.at_level(logging.INFO, logger="test.failsafe"):
        assert log.failed("action_answer", "http://127.0.0.1:5055/webhook", "refused")
        assert not log.failed(
            "action_answer", "http://127.0.0.1:5055/webhook", "refused"
        )
        log.succeeded()
        log.succeeded()
        assert log.failed("action_answer", "http://127.0.0.1:5055/webhook", "slow")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    recoveries = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(errors) == 2 and len(recoveries) == 1
    assert "make run" in errors[0].getMessage()
    assert "2 message(s)" in recoveries[0].getMessage()


def test_flapping_outages_are_counted_not_logged(caplog):
    now = [0.0]
    log = failsafe.OutageLog(
        logging.getLogger("test.flap"), quiet_s=60, clock=lambda: now[0]
    )
    url = "http://127.0.0.1:5055/webhook"
    with caplog.at_level(logging.INFO, logger="test.flap"):
        assert log.failed("a", url, "slow")
        log.succeeded()
        for t in (5.0, 10.0, 20.0):  # three short outages within a minute
            now[0] = t
            assert not log.failed("a", url, "slow")
            log.succeeded()
        now[0] = 70.0
        assert log.failed("a", url, "slow")
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2
    assert "3 shorter outage(s)" in errors[1]
    recoveries = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(recoveries) == 1


def test_reasons_are_short_and_hold_no_request():
    assert failsafe.describe(asyncio.TimeoutError()).startswith("no answer within")
    from rasa.shared.exceptions import RasaException

    refused = RasaException(
        "Failed to execute custom action 'a'. Couldn't connect to x"
    )
    assert failsafe.describe(refused) == "connection refused or unreachable"


def test_busy_events_reply_and_stop_the_turn(monkeypatch):
    from rasa.core.actions import action as action_module
    from rasa.shared.core.events import BotUttered, FollowupAction

    # Put Rasa back as it was after this test: install() is meant for the Rasa process.
    monkeypatch.setattr(action_module, "DEFAULT_REQUEST_TIMEOUT", 300)
    monkeypatch.setattr(
        action_module.RemoteAction, "run", action_module.RemoteAction.run
    )
    failsafe.install(timeout_s=2.5)

    assert action_module.DEFAULT_REQUEST_TIMEOUT == 2.5
    assert action_module.RemoteAction.run._langfang_failsafe
    reply, follow = failsafe.busy_events()
    assert isinstance(reply, BotUttered) and reply.text == failsafe.BUSY_REPLY
    assert isinstance(follow, FollowupAction) and follow.action_name == "action_listen"


_ANSWER = {
    "events": [
        {"event": "slot", "timestamp": None, "name": "item_id", "value": 46},
        {"event": "followup", "timestamp": None, "name": "action_listen"},
    ],
    "responses": [{"text": "「第46项 最低生活保障」由市民政局负责。", "buttons": []}],
}


@pytest.mark.parametrize(
    "answer",
    [
        _ANSWER,
        {"events": [], "responses": []},
        {"events": "slot"},  # not a list
        {"events": [{"name": "item_id"}]},  # an event without its type
        {"responses": ["text"]},  # a response that is not an object
    ],
)
def test_cached_action_validation_judges_as_rasa_does(monkeypatch, answer):
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    original = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    action_schema.install()
    assert RemoteAction._validate_action_result is action_schema.validate_action_result

    action = RemoteAction("action_answer", None)

    def verdict(method):
        try:
            return method(action, json.loads(json.dumps(answer)))
        except ValidationError as error:
            return error.message

    expected = verdict(original)
    assert verdict(action_schema.validate_action_result) == expected
    assert (expected is True) is (answer in (_ANSWER, {"events": [], "responses": []}))


@pytest.mark.parametrize(
    "argv, refused",
    [
        (["run", "--enable-api"], True),
        (["run", "--enable-api", "--auth-token", " "], True),
        (["run", "--enable-api", "--auth-token", "abc"], False),
        (["run", "--enable-api", "--auth-token=abc"], False),
        (["run"], False),
    ],
)
def test_api_token_rule(argv, refused):
    assert (rasa_server.check_args(argv) is not None) is refused
