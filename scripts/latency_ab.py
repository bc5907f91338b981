"""Per-message latency of two running assistants, measured in one run.

Shared machines drift by a factor of two between hours, so a latency change is only
measured against a baseline taken at the same time. Start two stacks (for example this
checkout with `make run`, and a git worktree at the older commit sharing `.venv`,
`build` and `models`, started with LANGFANG_RASA_PORT=5105 LANGFANG_ACTIONS_PORT=5155),
then:

    .venv/bin/python scripts/latency_ab.py http://127.0.0.1:5105 http://127.0.0.1:5005

Each held-out question (a fixed random sample) goes to both, as a new conversation
through the web chat webhook, alternating which is asked first; the script prints p50
and p95 per assistant, their ratios, and how many replies differed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import heldout  # noqa: E402

WEBHOOK = "/webhooks/chat/webhook"
WARM_UP = 10


def ask(base_url: str, sender: str, text: str) -> tuple[float, list]:
    """Milliseconds for one message and the replies."""
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    request = urllib.request.Request(
        base_url.rstrip("/") + WEBHOOK, body, {"Content-Type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        replies = json.loads(response.read())
    return (time.perf_counter() - start) * 1000, [r.get("text") for r in replies]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", help="URL of the assistant to compare against")
    parser.add_argument("candidate", help="URL of the assistant measured")
    parser.add_argument("-n", type=int, default=300, help="questions (default 300)")
    args = parser.parse_args(argv)
    texts = [q.text for q in heldout.load_questions() if q.text.strip()]
    random.Random(3).shuffle(texts)
    texts = texts[: args.n]
    urls = [args.baseline, args.candidate]
    for url in urls:
        for i, text in enumerate(texts[:WARM_UP]):
            ask(url, f"warm-up-{i}", text)
    times: dict[str, list[float]] = {url: [] for url in urls}
    differing = 0
    for i, text in enumerate(texts):
        replies = {}
        for url in urls if i % 2 == 0 else urls[::-1]:
            ms, replies[url] = ask(url, f"ab-{i}", text)
            times[url].append(ms)
        differing += replies[args.baseline] != replies[args.candidate]
    for name, url in (("baseline", args.baseline), ("candidate", args.candidate)):
        print(
            f"{name:9} {url}: {len(times[url])} messages,"
            f" p50 {percentile(times[url], .5):.0f} ms, p95 {percentile(times[url], .95):.0f} ms"
        )
    base, cand = times[args.baseline], times[args.candidate]
    print(
        f"candidate / baseline: p50 {percentile(cand, .5) / percentile(base, .5):.2f},"
        f" p95 {percentile(cand, .95) / percentile(base, .95):.2f};"
        f" {differing} of {len(texts)} replies differ"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
