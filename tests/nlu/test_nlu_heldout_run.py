"""The held-out set through the real stack: every reply sensible, nothing invented.

Starts the action server and Rasa (bot.stack) with the trained model, sends every
held-out question and dialogue over HTTP exactly as `make eval` does, and asserts what
must hold for every single reply. Accuracy and latency are figures for `make eval` to
print, not assertions here.
"""

from __future__ import annotations

import pytest

from bot import settings

# The first test to use the module's fixture pays for the whole run over HTTP (about
# nine minutes for the 8,000 messages of 2026-11-29 on two cores, growing with each
# batch), which pytest-timeout counts against that test: hence a limit of its own.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def heldout_run(tmp_path_factory: pytest.TempPathFactory):
    from bot.evaluate import Client, expectations, run_heldout
    from bot.stack import Stack
    from kb.query import KnowledgeBase

    model = settings.MODEL_DIR / "langfang.tar.gz"
    assert model.exists(), "no trained model: run `make setup` first"
    kb = KnowledgeBase.open()
    exp = expectations(kb)
    logs = tmp_path_factory.mktemp("logs")
    with Stack(model=model, api_token="auto", log_dir=logs) as stack:
        client = Client(stack.rasa_url, stack.api_token)
        questions, dialogues = run_heldout(client, exp, tag="pytest")
    kb.close()
    return questions + [e for _, turns in dialogues for e in turns]


def test_every_reply_states_only_facts_from_the_kb(heldout_run):
    made_up = [
        (e.turn.text[:30], e.invented, e.reply) for e in heldout_run if e.invented
    ]
    assert not made_up, made_up[:5]


def test_every_message_gets_a_sensible_reply(heldout_run):
    bad = [
        (e.turn.text[:30], e.status, e.reply[:100])
        for e in heldout_run
        if not e.verdict.sensible or e.status != 200
    ]
    assert not bad, bad[:5]


def test_a_leading_slash_never_reaches_rasa_as_an_intent(heldout_run):
    slashed = [e for e in heldout_run if e.turn.not_slash]
    assert slashed
    assert not [e.turn.text for e in slashed if e.slash_seen]


def test_the_in_process_replay_gives_the_same_verdicts(heldout_run, tmp_path):
    """`python -m bot.replay` stands in for `make eval` while tuning: it must judge
    every held-out message as the run over HTTP does, with the same intent."""
    from actions.actions import default_kb
    from bot import heldout, replay

    questions, dialogues = heldout.load_questions(), heldout.load_dialogues()
    texts = [q.text for q in questions] + [t.text for d in dialogues for t in d.turns]
    parses = replay.parse_all(
        settings.MODEL_DIR / "langfang.tar.gz", texts, cache_file=tmp_path / "c.json"
    )
    rows = list(replay.replay(default_kb(), parses, questions, dialogues).values())
    assert len(rows) == len(heldout_run)
    differ = [
        (e.turn.text[:30], e.intent, e.verdict.ok, row["intent"], row["ok"])
        for e, row in zip(heldout_run, rows)
        if (e.intent, e.verdict.ok) != (row["intent"], row["ok"])
    ]
    assert not differ, differ[:5]
