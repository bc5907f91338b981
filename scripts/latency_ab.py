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
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.evaluate import Client  # noqa: E402
from bot.heldout import load_questions, percentile  # noqa: E402

WARM_UP = 10


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", help="URL of the assistant to compare against")
    parser.add_argument("candidate", help="URL of the assistant measured")
    parser.add_argument("-n", type=int, default=300, help="questions (default 300)")
    args = parser.parse_args(argv)
    texts = [q.text for q in load_questions() if q.text.strip()]
    random.Random(3).shuffle(texts)
    texts = texts[: args.n]
    urls = [args.baseline, args.candidate]
    clients = {url: Client(url.rstrip("/"), None) for url in urls}
    for client in clients.values():
        for i, text in enumerate(texts[:WARM_UP]):
            client.send(f"warm-up-{i}", text)
    times: dict[str, list[float]] = {url: [] for url in urls}
    differing = 0
    for i, text in enumerate(texts):
        replies = {}
        for url in urls if i % 2 == 0 else urls[::-1]:
            _, replies[url], ms = clients[url].send(f"ab-{i}", text)
            times[url].append(ms)
        differing += replies[args.baseline] != replies[args.candidate]
    for name, url in (("baseline", args.baseline), ("candidate", args.candidate)):
        print(
            f"{name:9} {url}: {len(times[url])} messages,"
            f" p50 {percentile(times[url], 50):.0f} ms, p95 {percentile(times[url], 95):.0f} ms"
        )
    base, cand = times[args.baseline], times[args.candidate]
    print(
        f"candidate / baseline: p50 {percentile(cand, 50) / percentile(base, 50):.2f},"
        f" p95 {percentile(cand, 95) / percentile(base, 95):.2f};"
        f" {differing} of {len(texts)} replies differ"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
