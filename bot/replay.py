"""Replay the held-out set in one process: the real NLU model and the real actions,
without the servers or HTTP.

`make eval` is the measurement of record: it starts both servers, talks over HTTP and
times every message, which takes about twenty minutes for the whole held-out set. To
weigh a change to a cue word or a curated row, a developer needs the same verdicts in
a couple of minutes. This module gives them:

- the NLU pipeline of `models/langfang.tar.gz` parses each text as the chat channel
  hands it to Rasa (`bot.channels.common.citizen_text`); an empty one gets the
  channel's own reply;
- the intent picks the action through the rules in bot/data/rules.yml, the action runs
  with a real rasa_sdk `Tracker` and `CollectingDispatcher`, and the slots it sets are
  carried to the next turn of a dialogue, as Rasa's rule policy and tracker would;
- `bot.heldout.judge` gives the verdict, as in `make eval`.

On 2026-11-29 its verdicts matched those of `make eval` over HTTP question for
question (4,244 of 4,721 fully right), and dialogues within one.

Parses are cached in build/replay-cache.json under a digest of the model, the
knowledge base and the code the pipeline runs untrained (`parse_key`), so replaying
after a change to the actions parses nothing again, and a change to a cue word or the
model parses everything again.

    python -m bot.replay [--json OUT] [--compare EARLIER.json] [--failures]
                         [--questions FILE ...] [--dialogues FILE ...]

`Conversation` is also what the action tests use (tests/actions/conftest.py) to play a
dialogue with given intents.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import heldout, settings
from bot.channels.chat import EMPTY_MESSAGE_REPLY
from bot.channels.common import citizen_text

RULES = settings.ROOT / "bot" / "data" / "rules.yml"
DIALOGUE_DOMAIN = settings.ROOT / "bot" / "domain" / "dialogue.yml"
CACHE = settings.ROOT / "build" / "replay-cache.json"


def _load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dialogue_domain() -> dict:
    """The dialogue half of the domain (slots, responses, actions)."""
    return _load_yaml(DIALOGUE_DOMAIN)


def rule_actions(path: Path = RULES) -> dict[str, str]:
    """intent → the action its rule runs (every rule is "intent, then one action")."""
    mapping = {}
    for rule in _load_yaml(path)["rules"]:
        steps = rule["steps"]
        if len(steps) == 2 and "intent" in steps[0] and "action" in steps[1]:
            mapping[steps[0]["intent"]] = steps[1]["action"]
    return mapping


def action_classes() -> dict[str, type]:
    """action name → its class in actions/actions.py."""
    from actions import actions as module

    return {
        cls().name(): cls
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, module.KnowledgeAction)
        and cls is not module.KnowledgeAction
    }


def tracker_for(
    text: str,
    intent: str,
    entities: list[dict] | None = None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest message is `text`, as Rasa sends it to the actions."""
    return Tracker(
        sender_id="replay",
        slots=dict(slots or {}),
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": list(entities or []),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


class Conversation:
    """One conversation with the real actions: the intent picks the action through
    the rules, the action runs on a real tracker, and its slots carry over."""

    def __init__(
        self,
        kb: Any,
        domain: dict,
        rules: dict[str, str],
        classes: dict[str, type] | None = None,
    ) -> None:
        self.kb = kb
        self.domain = domain
        self.rules = rules
        self.classes = classes or action_classes()
        self.slots: dict[str, Any] = {}
        self.last_action = ""
        self.last_messages: list[dict] = []

    def say(self, text: str, intent: str, entities: list[dict] | None = None) -> str:
        """Sends one message; returns the reply text (all messages joined)."""
        action_name = self.rules[intent]
        self.last_action = action_name
        responses = self.domain["responses"]
        if action_name.startswith("utter_"):
            self.last_messages = [{"text": responses[action_name][0]["text"]}]
        else:
            action = self.classes[action_name](kb=self.kb)
            dispatcher = CollectingDispatcher()
            tracker = tracker_for(text, intent, entities, self.slots)
            events = asyncio.run(action.run(dispatcher, tracker, self.domain))
            for event in events:
                if event["event"] != "slot":
                    raise ValueError(f"{action_name} returned {event}, not a slot")
                self.slots[event["name"]] = event["value"]
            # A message naming a response is sent as that response's text by Rasa.
            self.last_messages = [
                {"text": responses[m["response"]][0]["text"]}
                if m.get("response")
                else m
                for m in dispatcher.messages
            ]
        return "\n".join(m.get("text") or "" for m in self.last_messages)

    @property
    def buttons(self) -> list[dict]:
        return [b for m in self.last_messages for b in m.get("buttons") or []]


# --- parsing with the trained model --------------------------------------------------
def parse_key(model: Path) -> str:
    """What a parse depends on: the model, the knowledge base the components read, and
    the code they run without training: the pipeline components, the intent cues and
    what those import (kb/*.py: places, relatives, sound correction, situations;
    actions/numbers.py)."""
    digest = hashlib.sha256()
    root = settings.ROOT
    parts = [model, settings.KB_PATH, root / "bot" / "intent_cues.py"]
    parts += [root / "actions" / "numbers.py", *sorted((root / "kb").glob("*.py"))]
    parts += sorted((root / "bot" / "components").glob("*.py"))
    for path in parts:
        digest.update(str(path.name).encode())
        if path.exists():
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def parse_all(
    model: Path, texts: Sequence[str], reparse: bool = False, cache_file: Path = CACHE
) -> dict[str, dict]:
    """text → {"text", "intent", "entities"} from the model's NLU pipeline, cached
    under `parse_key`. "text" is the message as the actions see it: normalised, with
    terms written by sound corrected (bot.components.textnorm)."""
    key = parse_key(model)
    cache: dict[str, dict] = {}
    if cache_file.exists() and not reparse:
        stored = json.loads(cache_file.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            cache = stored["parses"]
    missing = sorted({citizen_text(t) for t in texts} - set(cache) - {""})
    if missing:
        print(f"Parsing {len(missing)} texts with {model}...", file=sys.stderr)
        import logging

        import structlog
        from rasa.core.agent import load_agent

        # Rasa logs every parse at debug level through structlog, to stdout.
        structlog.configure(
            wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING)
        )

        async def parse() -> None:
            agent = await load_agent(model_path=str(model))
            for text in missing:
                result = await agent.parse_message(text)
                cache[text] = {
                    "text": result.get("text") or text,
                    "intent": (result.get("intent") or {}).get("name"),
                    "entities": result.get("entities") or [],
                }

        asyncio.run(parse())
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(
            json.dumps({"key": key, "parses": cache}, ensure_ascii=False),
            encoding="utf-8",
        )
    return cache


# --- the replay ----------------------------------------------------------------------
def replay(
    kb: Any,
    parses: dict[str, dict],
    questions: Sequence[heldout.Turn],
    dialogues: Sequence[heldout.Dialogue],
) -> dict[str, dict]:
    """Verdicts keyed q{n} (questions) and d{n}.{k} (dialogue turns)."""
    from bot.evaluate import expectations

    exp = expectations(kb)
    domain, rules, classes = dialogue_domain(), rule_actions(), action_classes()

    def play(conversation: Conversation, turn: heldout.Turn) -> dict:
        text = citizen_text(turn.text)
        parse = parses.get(text) or {"text": text, "intent": None, "entities": []}
        intent = parse["intent"]
        if not text:
            reply = EMPTY_MESSAGE_REPLY
        elif intent in rules:
            reply = conversation.say(parse["text"], intent, parse["entities"])
        else:
            reply = ""
        verdict = heldout.judge(
            turn, reply, intent, exp.names, exp.lead_departments, exp.hotlines
        )
        return {
            "text": turn.text[:200],
            "intent": intent,
            "reply": reply,
            "ok": verdict.ok,
            "answer_ok": all(p.startswith("intent") for p in verdict.problems),
            "problems": verdict.problems,
        }

    rows = {}
    for n, turn in enumerate(questions):
        rows[f"q{n}"] = play(Conversation(kb, domain, rules, classes), turn)
    for n, dialogue in enumerate(dialogues):
        conversation = Conversation(kb, domain, rules, classes)
        for k, turn in enumerate(dialogue.turns):
            rows[f"d{n}.{k}"] = play(conversation, turn)
    return rows


def summary(rows: dict[str, dict]) -> str:
    questions = [r for key, r in rows.items() if key.startswith("q")]
    dialogues: dict[str, bool] = {}
    for key, row in rows.items():
        if key.startswith("d"):
            name = key.split(".")[0]
            dialogues[name] = dialogues.get(name, True) and row["ok"]
    n = len(questions) or 1
    fully = sum(r["ok"] for r in questions)
    answer = sum(r["answer_ok"] for r in questions)
    return (
        f"questions: fully right {fully}/{len(questions)} ({100 * fully / n:.1f}%),"
        f" answer right {answer}/{len(questions)} ({100 * answer / n:.1f}%);"
        f" dialogues right {sum(dialogues.values())}/{len(dialogues)}"
    )


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    """Lines for every key whose verdict changed (same held-out set on both sides)."""
    lines = []
    for key, row in after.items():
        old = before.get(key)
        if old is None or old["text"] != row["text"]:
            raise ValueError(
                f"{key} differs between the runs: compare replays of the same held-out set"
            )
        if old["ok"] != row["ok"]:
            sign = "+" if row["ok"] else "-"
            problems = "; ".join(row["problems"])
            lines.append(
                f"{sign} {key} {row['text']} [{old['intent']} → {row['intent']}]"
                + (f" {problems}" if problems else "")
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.replay",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--model", type=Path, default=settings.MODEL_DIR / "langfang.tar.gz")
    parser.add_argument("--json", type=Path, help="write the verdicts to this file")
    parser.add_argument(
        "--compare", type=Path, help="list the verdicts that changed since this --json"
    )
    parser.add_argument("--failures", action="store_true", help="list every failure")
    parser.add_argument("--reparse", action="store_true", help="ignore the parse cache")
    parser.add_argument("--questions", type=Path, nargs="+", default=[])
    parser.add_argument("--dialogues", type=Path, nargs="+", default=[])
    args = parser.parse_args(argv)

    if not args.model.exists():
        print(f"error: no model at {args.model}; run `make setup` first", file=sys.stderr)
        return 1
    from actions.actions import default_kb

    only = bool(args.questions or args.dialogues)
    questions = heldout.load_questions(*args.questions) if only else heldout.load_questions()
    dialogues = heldout.load_dialogues(*args.dialogues) if only else heldout.load_dialogues()
    texts = [q.text for q in questions] + [t.text for d in dialogues for t in d.turns]
    parses = parse_all(args.model, texts, args.reparse)
    rows = replay(default_kb(), parses, questions, dialogues)
    print(summary(rows))
    if args.failures:
        for key, row in rows.items():
            if not row["ok"]:
                print(f"  {key} {row['text']} [{row['intent']}] {'; '.join(row['problems'])}")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        try:
            changed = compare(before, rows)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"{len(changed)} verdicts changed since {args.compare}:")
        print("\n".join(changed))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
