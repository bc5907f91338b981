"""Evaluate the assistant on the held-out set, next to a plain BM25 site search.

`make eval` runs `python -m bot.evaluate`: it starts the real action server and Rasa
through bot.stack on free ports, sends every held-out question (each in a fresh
conversation) and every held-out dialogue over HTTP (the `chat` channel, same JSON as
Rasa's REST channel), reads the intent Rasa gave each message from the tracker (HTTP API
with a random token), and prints

- accuracy per category (intent, item, department, hotline, stated facts, fully right),
  dialogue success, and the list of failures;
- latency per message (p50/p95, the round trip of the webhook call);
- the "never invent" check over every reply;
- the BM25 baseline (bot.baseline) on the same questions;
- training time (when recorded by `make model`, or measured with --train), model size,
  server start times, and the resident memory of the Rasa and action servers.

Figures are printed, never asserted: the slow test tests/nlu/test_heldout_run.py asserts
correctness on the same run machinery, not speed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot import heldout, settings
from bot.baseline import Bm25Baseline
from bot.channels.chat import CONVERSATION_PREFIX
from bot.factcheck import Facts, facts_from_kb, invented
from bot.heldout import Turn, Verdict, judge, percentile
from bot.nlu_gen import rasa_project_args

TRAIN_RECORD = settings.MODEL_DIR / "langfang.train-seconds"
"""Written by `make model`: how long the last `rasa train` took, in seconds."""

CATEGORIES = ("intent", "item", "department", "hotline", "contains")


# --- talking to the running assistant -----------------------------------------------
@dataclass
class Exchange:
    """One message sent and what came back."""

    turn: Turn
    reply: str
    latency_ms: float
    intent: str | None
    slash_seen: bool
    status: int
    verdict: Verdict | None = None
    invented: list[str] = field(default_factory=list)


class Client:
    """Sends citizen messages to a running stack the way the web page does."""

    def __init__(self, rasa_url: str, api_token: str | None) -> None:
        self.rasa_url = rasa_url
        self.api_token = api_token
        # The web chat channel: what a citizen's browser uses (REST-style JSON).
        self.channel, self.prefix = "chat", CONVERSATION_PREFIX

    def send(self, sender: str, text: str) -> tuple[int, str, float]:
        """Posts one message; returns (HTTP status, joined reply texts, latency ms)."""
        body = json.dumps({"sender": sender, "message": text}, ensure_ascii=False)
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/{self.channel}/webhook",
            data=body.encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        latency = (time.perf_counter() - start) * 1000
        return status, _reply_text(raw), latency

    def parse_ms(self, text: str) -> float:
        """Latency of NLU alone (Rasa's /model/parse), for the latency breakdown."""
        request = urllib.request.Request(
            f"{self.rasa_url}/model/parse"
            f"?token={urllib.parse.quote(self.api_token or '')}",
            data=json.dumps({"text": text}, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        return (time.perf_counter() - start) * 1000

    def last_parse(self, sender: str) -> tuple[str | None, str]:
        """The intent and text Rasa recorded for the sender's latest message."""
        if not self.api_token:
            return None, ""
        # Sanic does not decode %3A in the path: keep ":" of "web:" literal.
        conversation = urllib.parse.quote(self.prefix + sender, safe=":")
        url = (
            f"{self.rasa_url}/conversations/{conversation}/tracker"
            f"?include_events=NONE&token={urllib.parse.quote(self.api_token)}"
        )
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                tracker = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError):
            return None, ""
        latest = tracker.get("latest_message") or {}
        return (latest.get("intent") or {}).get("name"), latest.get("text") or ""


def _reply_text(raw: bytes) -> str:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return raw.decode("utf-8", "replace")
    if isinstance(data, dict):  # an error object from the channel
        return str(data.get("error") or data)
    parts = []
    for message in data if isinstance(data, list) else []:
        if message.get("text"):
            parts.append(str(message["text"]))
        for button in message.get("buttons") or []:
            parts.append(str(button.get("title", "")))
    return "\n".join(parts)


# --- the knowledge base's expectations -----------------------------------------------
@dataclass(frozen=True)
class Expectations:
    names: dict[int, str]
    lead_departments: dict[int, str]
    hotlines: dict[int, str]
    facts: Facts


def expectations(kb: object) -> Expectations:
    items = kb.items()
    return Expectations(
        names={i.id: i.name for i in items},
        lead_departments={i.id: i.departments[0] for i in items},
        hotlines={i.id: kb.hotline(i.id).number for i in items},
        facts=facts_from_kb(kb),
    )


def exchange(client: Client, sender: str, turn: Turn, exp: Expectations) -> Exchange:
    """Sends one turn and judges the reply."""
    status, reply, latency = client.send(sender, turn.text)
    intent, seen_text = client.last_parse(sender) if turn.text.strip() else (None, "")
    result = Exchange(turn, reply, latency, intent, seen_text.startswith("/"), status)
    result.verdict = judge(
        turn,
        reply,
        intent,
        exp.names,
        exp.lead_departments,
        exp.hotlines,
        result.slash_seen,
    )
    result.invented = invented(reply, exp.facts, turn.text)
    return result


def run_heldout(
    client: Client,
    exp: Expectations,
    tag: str = "eval",
    questions_files: Sequence[Path] = (),
    dialogue_files: Sequence[Path] = (),
) -> tuple[list[Exchange], list[tuple[heldout.Dialogue, list[Exchange]]]]:
    """Sends the held-out questions and dialogues; returns the exchanges.

    With no files named, the whole of tests/heldout/ is sent. Naming files of
    either kind sends only those files (a batch kept outside the tree until its
    first run can be measured that way).
    """
    run_id = f"{tag}{int(time.time())}"
    only = bool(questions_files or dialogue_files)
    turns = (
        heldout.load_questions(*questions_files)
        if only
        else heldout.load_questions()
    )
    questions = [
        exchange(client, f"{run_id}-q{n}", turn, exp) for n, turn in enumerate(turns)
    ]
    dialogues = []
    to_send = (
        heldout.load_dialogues(*dialogue_files) if only else heldout.load_dialogues()
    )
    for n, dialogue in enumerate(to_send):
        sender = f"{run_id}-d{n}"
        dialogues.append(
            (dialogue, [exchange(client, sender, turn, exp) for turn in dialogue.turns])
        )
    return questions, dialogues


# --- process measurements ------------------------------------------------------------
def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children[int(fields[1])].append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass
        todo.extend(children.get(current, []))
    return total_kb / 1024


def train(out_dir: Path) -> tuple[Path, float]:
    """Trains into out_dir with the Makefile's command; returns (model, seconds)."""
    rasa = Path(sys.executable).with_name("rasa")
    start = time.perf_counter()
    log = out_dir / "train.log"
    with open(log, "wb") as sink:
        result = subprocess.run(
            [
                str(rasa),
                "train",
                *rasa_project_args(),
                "--out",
                str(out_dir),
                "--fixed-model-name",
                "langfang",
            ],
            cwd=settings.ROOT,
            check=False,  # the return code is checked below, with the log
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-20:]
        raise RuntimeError("rasa train failed:\n" + "\n".join(tail))
    return out_dir / "langfang.tar.gz", time.perf_counter() - start


# --- report ---------------------------------------------------------------------------
def _rate(verdicts: list[Verdict], attr: str) -> str:
    values = [getattr(v, attr) for v in verdicts if getattr(v, attr) is not None]
    if not values:
        return "    n/a"
    hits = sum(bool(x) for x in values)
    return f"{100 * hits / len(values):6.1f}% ({hits}/{len(values)})"


def report(
    questions: list[Exchange],
    dialogues: list[tuple[heldout.Dialogue, list[Exchange]]],
    baseline: Bm25Baseline,
    figures: dict[str, str],
) -> str:
    lines: list[str] = []
    out = lines.append
    q_verdicts = [e.verdict for e in questions]
    d_exchanges = [e for _, turns in dialogues for e in turns]
    out(
        f"Held-out questions: {len(questions)}   dialogues: {len(dialogues)}"
        f" ({len(d_exchanges)} turns)"
    )
    out("")
    out("Accuracy per category        questions              dialogue turns")
    for attr in CATEGORIES:
        out(
            f"  {attr:<12} {_rate(q_verdicts, attr):>24}   "
            f"{_rate([e.verdict for e in d_exchanges], attr):>22}"
        )
    fully = sum(v.ok for v in q_verdicts)
    out(
        f"  {'fully right':<12} {100 * fully / len(questions):16.1f}% ({fully}/"
        f"{len(questions)})"
    )
    answered = sum(v.answer_ok for v in q_verdicts)
    out(
        f"  {'answer right':<12} {100 * answered / len(questions):16.1f}% ({answered}/"
        f"{len(questions)})  (item, department, hotline, facts; intent not counted)"
    )
    won = sum(all(e.verdict.ok for e in turns) for _, turns in dialogues)
    if dialogues:
        out(f"  dialogue success: {won}/{len(dialogues)}")

    out("")
    out("By batch (file; each batch's first run, before any change made for it, is the")
    out("honest measure of how the assistant copes with questions it has not seen):")
    batches: dict[str, list[Verdict]] = defaultdict(list)
    for e in questions:
        batches[e.turn.batch].append(e.verdict)
    for batch, verdicts in sorted(batches.items()):
        n = len(verdicts)
        full, answer = sum(v.ok for v in verdicts), sum(v.answer_ok for v in verdicts)
        out(
            f"  {batch:<22} n={n:<4d} fully right {100 * full / n:5.1f}%"
            f"   answer right {100 * answer / n:5.1f}%"
        )
    dialogue_batches: dict[str, list[bool]] = defaultdict(list)
    for dialogue, turns in dialogues:
        dialogue_batches[dialogue.batch].append(all(e.verdict.ok for e in turns))
    for batch, oks in sorted(dialogue_batches.items()):
        out(f"  {batch:<22} dialogues right {sum(oks)}/{len(oks)}")

    by_intent: dict[str, list[bool]] = defaultdict(list)
    for e in questions:
        by_intent[e.turn.intents[0] if e.turn.intents else "-"].append(e.verdict.ok)
    out("")
    out("Fully right by expected intent:")
    for intent, oks in sorted(by_intent.items()):
        out(f"  {intent:<18} {sum(oks):3d}/{len(oks):<3d}")

    # Baseline on the questions about items (the only ones a search can answer).
    item_qs = [e for e in questions if e.turn.items]
    base_hits = bot_hits = 0
    for e in item_qs:
        top = baseline.search(e.turn.text, 1)
        base_hits += bool(top) and top[0] in e.turn.items
        bot_hits += bool(e.verdict.item)
    base_dlg = bot_dlg = n_dlg = 0
    for e in d_exchanges:
        if e.turn.items and not e.turn.reply_any:
            n_dlg += 1
            top = baseline.search(e.turn.text, 1)
            base_dlg += bool(top) and top[0] in e.turn.items
            bot_dlg += bool(e.verdict.item)
    out("")
    out("Item right, assistant vs BM25 site search (top hit, stock jieba, no aliases):")
    out(
        f"  held-out questions naming items: assistant"
        f" {100 * bot_hits / len(item_qs):.1f}%"
        f"   BM25 {100 * base_hits / len(item_qs):.1f}%   (n={len(item_qs)})"
    )
    if n_dlg:
        out(
            f"  dialogue turns about items:      assistant {100 * bot_dlg / n_dlg:.1f}%"
            f"   BM25 {100 * base_dlg / n_dlg:.1f}%   (n={n_dlg})"
        )
    out(
        f"  all held-out questions fully right: assistant"
        f" {100 * fully / len(questions):.1f}%"
        f"   BM25 {100 * base_hits / len(questions):.1f}% (item right is its best case)"
    )

    latencies = [e.latency_ms for e in questions + d_exchanges if e.turn.text.strip()]
    out("")
    out(
        f"Latency per message (chat webhook round trip, n={len(latencies)}):"
        f" p50 {percentile(latencies, 50):.0f} ms,"
        f" p95 {percentile(latencies, 95):.0f} ms,"
        f" max {max(latencies):.0f} ms"
    )

    made_up = [e for e in questions + d_exchanges if e.invented]
    out("")
    out(
        f"Never invent: {len(questions) + len(d_exchanges) - len(made_up)}/"
        f"{len(questions) + len(d_exchanges)} replies state only KB facts"
    )
    for e in made_up:
        out(f"  ! {e.turn.text[:30]!r}: {', '.join(e.invented)}")

    out("")
    for key, value in figures.items():
        out(f"{key:<28} {value}")

    failures = [e for e in questions if not e.verdict.ok]
    out("")
    out(f"Failures ({len(failures)} questions):")
    for e in failures:
        out(f"  - {e.turn.text[:40]}  [{'; '.join(e.verdict.problems)}]")
        out(f"      reply: {_short(e.reply)}")
    for dialogue, turns in dialogues:
        bad = [e for e in turns if not e.verdict.ok]
        if bad:
            out(f"  * dialogue '{dialogue.name}':")
            for e in bad:
                out(
                    f"      turn {e.turn.text[:40]!r} [{'; '.join(e.verdict.problems)}]"
                )
                out(f"        reply: {_short(e.reply)}")
    return "\n".join(lines)


def _short(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--model", help="model archive (default models/langfang.tar.gz)"
    )
    parser.add_argument(
        "--train",
        action="store_true",
        help="train a fresh model into a temporary folder and time it",
    )
    parser.add_argument("--json", help="also write the raw exchanges to this file")
    parser.add_argument(
        "--questions",
        type=Path,
        nargs="+",
        default=[],
        help="only these questions files (e.g. tests/heldout/questions_fresh.yml);"
        " with neither option, all of tests/heldout/",
    )
    parser.add_argument(
        "--dialogues",
        type=Path,
        nargs="+",
        default=[],
        help="only these dialogue files (same format as tests/heldout/dialogues.yml)",
    )
    args = parser.parse_args(argv)

    from bot.stack import Stack, StackError
    from kb.query import KnowledgeBase

    kb = KnowledgeBase.open()
    exp = expectations(kb)
    baseline = Bm25Baseline(kb.items())
    figures: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="langfang-eval-") as tmp:
        model = Path(args.model) if args.model else None
        if args.train:
            print("Training a model (this takes a few minutes)...", flush=True)
            try:
                model, seconds = train(Path(tmp))
            except RuntimeError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            figures["training time"] = f"{seconds:.0f} s (measured now)"
        elif TRAIN_RECORD.exists():
            figures["training time"] = (
                f"{float(TRAIN_RECORD.read_text()):.0f} s (last `make model`; Rasa restores"
                " unchanged parts from its cache, --train times a training from scratch)"
            )
        else:
            figures["training time"] = "not recorded (run with --train to measure)"
        stack = Stack(model=model, api_token="auto", log_dir=Path(tmp) / "logs")
        figures["model size"] = (
            f"{stack.model.stat().st_size / 1e6:.1f} MB ({stack.model})"
        )
        try:
            start = time.perf_counter()
            stack.start_actions()
            actions_s = time.perf_counter() - start
            start = time.perf_counter()
            stack.start_rasa()
            rasa_s = time.perf_counter() - start
        except StackError as exc:
            stack.stop()
            print(f"error: {exc}", file=sys.stderr)
            return 1
        try:
            figures["server start"] = (
                f"action server {actions_s:.1f} s, Rasa {rasa_s:.1f} s (until ready)"
            )
            client = Client(stack.rasa_url, stack.api_token)
            figures["channel"] = f"/webhooks/{client.channel}/webhook"
            print(
                f"Sending the held-out set through {figures['channel']}...", flush=True
            )
            questions, dialogues = run_heldout(
                client,
                exp,
                questions_files=args.questions,
                dialogue_files=args.dialogues,
            )
            if stack.api_token:
                parse = [client.parse_ms(q.turn.text) for q in questions]
                figures["NLU alone (/model/parse)"] = (
                    f"p50 {percentile(parse, 50):.0f} ms,"
                    f" p95 {percentile(parse, 95):.0f} ms"
                )
            figures["RSS after the run"] = (
                f"Rasa {tree_rss_mb(stack.rasa.pid):.0f} MB,"
                f" action server {tree_rss_mb(stack.actions.pid):.0f} MB"
            )
        finally:
            stack.stop()
    print(report(questions, dialogues, baseline, figures))
    if args.json:
        rows = [
            {
                "text": e.turn.text[:200],
                "reply": e.reply,
                "intent": e.intent,
                "ok": e.verdict.ok,
                "problems": e.verdict.problems,
                "latency_ms": round(e.latency_ms, 1),
                "invented": e.invented,
            }
            for e in questions + [x for _, turns in dialogues for x in turns]
        ]
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(main())
