"""Rasa's tokens follow the knowledge base's user dictionary, in a process of their own.

The point of bot.components.jieba_tokenizer is that the dictionary travels inside the
spaCy model folder: a fresh process that only runs Rasa's SpacyNLP + SpacyTokenizer on
the folder (as `rasa run` does) must cut KB terms whole, while jieba's global tokenizer
in that same process, which nobody configured, still splits them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Runs in a child process started from an empty folder: nothing of ours is imported
# explicitly; spaCy finds the tokenizer through the package's entry point.
_RASA_TOKENS = r"""
import json, sys
import jieba
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.training_data.message import Message

path = sys.argv[1]
texts = json.loads(sys.stdin.read())
model = SpacyNLP.load_model(path)
spacy_nlp = SpacyNLP(model, {**SpacyNLP.get_default_config(), "model": path})
tokenizer = SpacyTokenizer(SpacyTokenizer.get_default_config())
messages = [Message(data={"text": t}) for t in texts]
spacy_nlp.process(messages, model)
tokenizer.process(messages)
print(json.dumps({
    "tokens": [[t.text for t in m.get("text_tokens")] for m in messages],
    "entities": [[(e.text, e.label_) for e in model.model(t).ents] for t in texts],
    "global_jieba": [jieba.lcut(t) for t in texts],
}, ensure_ascii=False))
"""


def _rasa_tokens(model_dir: Path, texts: list[str], cwd: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _RASA_TOKENS, str(model_dir)],
        input=json.dumps(texts, ensure_ascii=False),
        capture_output=True,
        check=False,  # the assertion reports stderr
        text=True,
        cwd=cwd,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def cut(nlu_out: Path, tmp_path_factory: pytest.TempPathFactory):
    from bot.nlu_gen import ENTITY_KINDS, load_vocabulary

    def run(texts: list[str]) -> dict:
        return _rasa_tokens(nlu_out / "spacy_zh", texts, tmp_path_factory.mktemp("cwd"))

    return run, ENTITY_KINDS, load_vocabulary


def test_rasa_cuts_kb_terms_whole_where_global_jieba_splits_them(cut):
    run, _, _ = cut
    texts = [
        "城乡居民基本养老保险每月发多少",
        "我爸70岁了社区能免费体检吗",
        "低保找哪个部门",
    ]
    out = run(texts)
    assert "城乡居民基本养老保险" in out["tokens"][0]
    assert "城乡居民基本养老保险" not in out["global_jieba"][0]
    assert "免费体检" in out["tokens"][1]
    assert out["tokens"][1][1:3] == ["70", "岁"]  # an age is always its own token
    assert out["tokens"][2][0] == "低保"


def test_every_kb_term_is_one_entity_in_a_sentence(cut, kb):
    """Each item name, alias, group, department and domain is found whole, labelled."""
    run, kinds, load_vocabulary = cut
    vocab = load_vocabulary(kb)
    cases = [(term, kind) for kind in kinds for term in vocab.terms[kind]]
    texts = [f"请问{term}怎么办" for term, _ in cases]
    out = run(texts)
    missed = [
        (term, kind, tokens)
        for (term, kind), tokens, entities in zip(cases, out["tokens"], out["entities"])
        if [term, kind] not in entities
    ]
    assert (
        not missed
    ), f"{len(missed)} of {len(cases)} terms not found whole: {missed[:10]}"
    # Terms without digits are single tokens (digits are split off on purpose).
    split = [
        (term, tokens)
        for (term, _), tokens in zip(cases, out["tokens"])
        if not any(ch.isdigit() for ch in term) and term not in tokens
    ]
    assert not split, f"{len(split)} terms split into several tokens: {split[:10]}"
