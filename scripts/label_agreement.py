"""How often two careful people agree on a held-out question's intent.

The held-out writers label each question with every intent that honestly fits; a second
annotator labelled the 502 questions of fresh14-19 blind (tests/heldout/agreement_*.tsv:
text, best intent, every fitting intent). The share of questions whose second-annotator
best intent is among the writer's intents is what "intent right" would be for a person:
the ceiling the assistant's intent figure can be read against.

    .venv/bin/python scripts/label_agreement.py [--eval-json FILE]

--eval-json: the raw exchanges of `make eval EVAL_ARGS="--json FILE"`; the assistant's
intent on the same questions is then scored against both annotators.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import heldout  # noqa: E402

AGREEMENT_FILE = ROOT / "tests" / "heldout" / "agreement_fresh14-19.tsv"


def second_labels(path: Path = AGREEMENT_FILE) -> dict[str, tuple[str, set[str]]]:
    """text -> (best intent, every fitting intent) of the second annotator."""
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, best, fitting = line.split("\t")
        labels[text] = (best, set(fitting.split(",")))
    return labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-json", type=Path)
    args = parser.parse_args()
    second = second_labels()
    writers = {q.text: set(q.intents) for q in heldout.load_questions() if q.text in second}
    missing = set(second) - set(writers)
    if missing:
        print(f"{len(missing)} labelled texts are no longer in tests/heldout", file=sys.stderr)
    n = len(writers)
    best_in_writers = sum(second[t][0] in writers[t] for t in writers)
    overlap = sum(bool(second[t][1] & writers[t]) for t in writers)
    print(f"questions labelled by both: {n}")
    print(f"second annotator's best intent among the writer's: {best_in_writers / n:.1%}")
    print(f"the two sets of fitting intents overlap:          {overlap / n:.1%}")
    if args.eval_json:
        said = {r["text"]: r["intent"] for r in json.loads(args.eval_json.read_text())}
        scored = [t for t in writers if t in said]
        by_writer = sum(said[t] in writers[t] for t in scored)
        by_second = sum(said[t] in second[t][1] for t in scored)
        print(f"assistant's intent among the writer's:   {by_writer / len(scored):.1%}"
              f" (n={len(scored)})")
        print(f"assistant's intent among the second's:   {by_second / len(scored):.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
