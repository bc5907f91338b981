"""The training data validates, and the held-out set is sound and never trained on."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot import heldout, settings
from bot.nlu_gen import rasa_project_args
from kb.textnorm import normalize

ROOT = settings.ROOT
INTENTS = yaml.safe_load((ROOT / "bot/domain/nlu.yml").read_text())["intents"]
_PUNCT = re.compile(r"[\s,.!?;:，。！？；：、~～…]+")


def _key(text: str) -> str:
    return _PUNCT.sub("", normalize(text)).lower()


def _training_texts(*folders: Path) -> set[str]:
    from rasa.shared.nlu.training_data.loading import UNK, guess_format, load_data

    texts: set[str] = set()
    for folder in folders:
        for path in sorted(folder.rglob("*.yml")):
            if guess_format(str(path)) == UNK:
                continue  # rules and stories without user text
            data = load_data(str(path))
            texts.update(_key(m.get("text")) for m in data.training_examples)
    return texts


def test_rasa_data_validate_is_clean(nlu_out: Path):
    rasa = Path(sys.executable).with_name("rasa")
    result = subprocess.run(
        [
            str(rasa),
            "data",
            "validate",
            "--fail-on-warnings",
            *rasa_project_args(nlu_out / "data"),
        ],
        check=False,  # the assertion reports the output
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]


def test_no_heldout_text_is_in_the_training_data(nlu_out: Path):
    training = _training_texts(
        ROOT / "nlu_data", ROOT / "bot" / "data", nlu_out / "data"
    )
    assert len(training) > 1000
    leaked = [t for t in heldout.all_texts() if _key(t) in training]
    assert not leaked, f"held-out texts found in training data: {leaked}"


def test_no_heldout_text_is_a_curated_example_question():
    """kb/curated/examples.csv steers the search: a held-out question there would be
    answered from memory."""
    import csv

    with (ROOT / "kb" / "curated" / "examples.csv").open(encoding="utf-8") as handle:
        examples = {_key(row["text"]) for row in csv.DictReader(handle)}
    assert len(examples) > 1000
    leaked = [t for t in heldout.all_texts() if _key(t) in examples]
    assert not leaked, f"held-out texts found in kb/curated/examples.csv: {leaked}"


def test_heldout_covers_every_item_and_intent():
    questions = heldout.load_questions()
    dialogues = heldout.load_dialogues()
    assert len(questions) >= 200
    assert len(dialogues) >= 15
    assert {i for q in questions for i in q.items} == set(range(1, 82))
    turns = questions + [t for d in dialogues for t in d.turns]
    assert {i for t in turns for i in t.intents} == set(INTENTS)
    assert all(i in INTENTS for t in turns for i in t.intents)
    texts = Counter(q.text for q in questions)
    assert not [t for t, n in texts.items() if n > 1], "duplicate held-out questions"


def test_every_intent_has_twenty_hand_written_examples():
    from rasa.shared.nlu.training_data.loading import load_data

    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "nlu_data").glob("*.yml")):
        counts.update(m.get("intent") for m in load_data(str(path)).intent_examples)
    thin = {i: counts[i] for i in INTENTS if counts[i] < 20}
    assert not thin, f"intents with fewer than 20 hand-written examples: {thin}"


@pytest.mark.parametrize(
    "text", ["", "   ", "😀", "/restart", "'; DROP TABLE items; --", "低保" * 3000]
)
def test_generated_resources_do_not_break_on_odd_text(nlu_out: Path, text: str):
    import spacy

    nlp = spacy.load(nlu_out / "spacy_zh")
    doc = nlp(normalize(text))
    assert len(doc.text) <= 500
