"""scripts/heldout_add.py: a batch joins tests/heldout with its expectations untouched
and no text equal to one the assistant was trained on or already judged by."""

from __future__ import annotations

import importlib.util

import yaml

from bot import heldout, settings
from bot.nlu_gen import text_key

_spec = importlib.util.spec_from_file_location(
    "heldout_add", settings.ROOT / "scripts" / "heldout_add.py"
)
heldout_add = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(heldout_add)


def _without_text(data: dict) -> list[dict]:
    turns = list(data.get("questions") or [])
    turns += [t for d in data.get("dialogues") or [] for t in d["turns"]]
    return [{k: v for k, v in t.items() if k != "text"} for t in turns]


def test_a_batch_already_held_out_is_reworded_entirely_and_keeps_its_expectations():
    """Every text of an existing batch collides (it is held out already): each gets a
    free rewording, and nothing but the texts changes."""
    taken = heldout_add.taken_texts()
    for name in ("questions_fresh27.yml", "dialogues_fresh27.yml"):
        raw = (heldout.HELDOUT_DIR / name).read_text(encoding="utf-8")
        report: list[str] = []
        body = heldout_add.reword(raw, taken, report)
        before, after = yaml.safe_load(raw), yaml.safe_load(body)
        old, new = heldout_add.batch_texts(before), heldout_add.batch_texts(after)
        assert len(report) == len(old) == len(new)
        # each text becomes one of its own meaning-keeping rewordings ("那X呢" may
        # become "还有X呢" once "那个X呢" is held out too, as fresh68 made it)
        assert all(o != n and n in heldout_add.variants(o) for o, n in zip(old, new))
        assert len({text_key(t) for t in new}) == len(new), "a rewording repeats"
        assert _without_text(after) == _without_text(before)


def test_a_free_text_is_kept_and_a_number_reply_stays_a_number_reply():
    raw = (
        "# batch\n"
        "dialogues:\n"
        "  - name: list then choice\n"
        "    turns:\n"
        "      - {text: 残疾人能享受哪些, intent: list_services, items: [], facet: list}\n"
        "      - {text: 2, intent: choose, items: [60], facet: info}\n"
        "      - {text: 一个谁也没写过的问题吗, intent: out_of_scope, items: [], facet: none}\n"
    )
    taken = {text_key("残疾人能享受哪些"), text_key("2"), text_key("2吧")}
    report: list[str] = []
    body = heldout_add.reword(raw, taken, report)
    texts = heldout_add.batch_texts(yaml.safe_load(body))
    assert texts[0] != "残疾人能享受哪些" and "残疾人能享受哪些" in texts[0]
    assert texts[1] == "就2吧"  # "2吧" is taken; never "第2项", an item number
    assert texts[2] == "一个谁也没写过的问题吗"
    assert len(report) == 2


def test_the_note_goes_under_the_writers_first_line():
    body = "# Held-out batch X\n# Written by someone\nquestions: []\n"
    out = heldout_add.with_note(body, "First run at abc | 80% / 90%")
    assert out.splitlines()[:4] == [
        "# Held-out batch X",
        "# First run at abc",
        "# 80% / 90%",
        "# Written by someone",
    ]
