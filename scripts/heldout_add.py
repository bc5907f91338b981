"""Add a sealed held-out batch to tests/heldout, after its first runs.

A batch is written outside the tree (say /tmp/sealed28/questions_fresh28.yml and
dialogues_fresh28.yml) by someone who sees only the document, and is run against the
assistant before anyone reads it (README, "Evaluation"). Then it joins tests/heldout.
Its texts must not equal a training example, a curated example question or another
held-out text (tests/nlu/test_nlu_data.py checks that), and a writer cannot know the
training data, so a text that collides is reworded as little as possible: a particle
added ("啊", "请问…"), a number reply turned into "就要2". The meaning, and so the
expected answer, stays the same. Every rewording is printed; read them.

    .venv/bin/python scripts/heldout_add.py --check /tmp/sealed28 /tmp/sealed29
    .venv/bin/python scripts/heldout_add.py /tmp/sealed28 \\
        --note "First run 11-30 09:00 at abc1234 (start of session): 85.0% / 93.0%"

--note lines ("|" separates lines) go under the writer's first comment line: when the
batch was first run, and by which commit.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import heldout  # noqa: E402
from bot.nlu_gen import text_key  # noqa: E402

KINDS = ("questions", "dialogues")


def taken_texts() -> set[str]:
    """Keys of every text a new held-out text must not equal."""
    from rasa.shared.nlu.training_data.loading import UNK, guess_format, load_data

    taken: set[str] = set()
    for folder in (ROOT / "nlu_data", ROOT / "bot" / "data", ROOT / "build/nlu/data"):
        for path in sorted(folder.rglob("*.yml")):
            if guess_format(str(path)) == UNK:
                continue  # rules and stories hold no user text
            data = load_data(str(path))
            taken.update(text_key(m.get("text")) for m in data.training_examples)
    with (ROOT / "kb/curated/examples.csv").open(encoding="utf-8") as handle:
        taken.update(text_key(row["text"]) for row in csv.DictReader(handle))
    taken.update(text_key(t) for t in heldout.all_texts())
    return taken


def variants(text: str) -> list[str]:
    """Rewordings that keep the meaning, most natural first."""
    if re.fullmatch(r"\d+", text):  # a choice by number
        # Not "{text}号" or "第{text}项": those read as a date or an item number.
        heads = ("", "就", "那就", "选", "我选", "俺选", "要", "我要", "俺要", "就要")
        heads += ("看", "看看", "就看", "那看", "嗯 ", "好 ", "那就选", "选第")
        tails = ("吧", "", "呗", "就行", "吧谢谢", "个", "个吧")
        return [
            f"{head}{text}{tail}"
            for tail in tails
            for head in heads
            if head or tail
            if tail.startswith("个") == head.endswith("第")
        ]
    if text.endswith("那个"):  # a choice by words
        return [
            *(text + end for end in ("吧", "呗", "就行", "吧谢谢")),
            *(
                start + text
                for start in ("就", "要", "选", "俺要", "我要", "我选", "俺选")
            ),
            *(
                start + text + "吧"
                for start in ("就", "那就", "选", "要", "还是", "我要")
            ),
            *(
                start + text
                for start in ("那就选", "就要", "我说的是", "我选的是", "俺说")
            ),
        ]
    if text.endswith("呢"):  # a follow-up "那X呢"
        rest = text.lstrip("那")
        topic = rest[:-1]
        return [
            *(
                start + rest
                for start in ("那", "那个", "还有", "那要是", "要是", "换成")
            ),
            *(
                "那" + topic + end
                for end in ("的呢", "这块呢", "那块呢", "这一块呢", "那个呢")
            ),
            *(start + rest for start in ("那换成", "再问问", "那么", "那再问下")),
        ]
    prefixed = [
        start + text
        for start in (
            "那个",
            "请问",
            "问下",
            "想问",
            "麻烦问下",
            "再问下",
            "俺想问",
            "我想问",
        )
    ]
    if text[-1] in "吧吗么嘛呢啊呀哈嘞不没":  # a second particle reads oddly
        return prefixed + ["就是" + text, "还想问" + text, "顺便问下" + text]
    base = text.rstrip("啊呀哈嘞")
    return [
        *(base + end for end in ("啊", "呀", "哈", "嘞", "呢", "来着")),
        *prefixed,
        *(start + text for start in ("还想问", "顺便问下")),
        text + "呗",
    ]


def batch_texts(data: dict) -> list[str]:
    texts = [str(q["text"]) for q in data.get("questions") or []]
    texts += [str(t["text"]) for d in data.get("dialogues") or [] for t in d["turns"]]
    return texts


def batch_files(folder: Path) -> list[Path]:
    files = [p for kind in KINDS for p in sorted(folder.glob(f"{kind}_*.yml"))]
    if not files:
        sys.exit(f"{folder}: no questions_*.yml or dialogues_*.yml here")
    return files


def reword(raw: str, taken: set[str], report: list[str]) -> str:
    """The file's text with each colliding message reworded in place (the YAML keeps
    its layout and comments); `taken` grows by every text kept."""
    data = yaml.safe_load(raw)
    lines = raw.splitlines()
    for text in batch_texts(data):
        if text_key(text) not in taken:
            taken.add(text_key(text))
            continue
        new = next((v for v in variants(text) if text_key(v) not in taken), None)
        if new is None:
            sys.exit(f"no free rewording for {text!r}: reword it by hand")
        pattern = re.compile(
            r"(\{text: |text: )([\"']?)" + re.escape(text) + r"\2(,|$)"
        )
        at = next((i for i, line in enumerate(lines) if pattern.search(line)), None)
        if at is None:
            sys.exit(f"cannot find {text!r} on one line: reword it by hand")
        lines[at] = pattern.sub(
            lambda m: m.group(1) + m.group(2) + new + m.group(2) + m.group(3),
            lines[at],
            count=1,
        )
        report.append(f"{text!r} -> {new!r}")
        taken.add(text_key(new))
    return "\n".join(lines) + "\n"


def with_note(body: str, note: str) -> str:
    """The note's lines under the file's first comment line."""
    lines = body.splitlines()
    at = 1 if lines and lines[0].startswith("#") else 0
    extra = [f"# {line.strip()}" for line in note.split("|") if line.strip()]
    return "\n".join(lines[:at] + extra + lines[at:]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, help="sealed batch folders")
    parser.add_argument("--check", action="store_true", help="only list collisions")
    parser.add_argument("--note", default="", help='header lines, "|" between them')
    args = parser.parse_args(argv)

    taken = taken_texts()
    outputs: dict[Path, str] = {}
    for folder in args.folders:
        for src in batch_files(folder):
            target = heldout.HELDOUT_DIR / src.name
            if target.exists() and not args.check:
                sys.exit(f"{target} exists: a batch is added once")
            report: list[str] = []
            body = reword(src.read_text(encoding="utf-8"), taken, report)
            yaml.safe_load(body)  # a rewording must leave valid YAML
            outputs[target] = with_note(body, args.note)
            for line in report:
                print(f"{src.name}: {line}")
            print(f"{src.name}: {len(report)} reworded")
    if not args.check:
        for target, body in outputs.items():
            target.write_text(body, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
