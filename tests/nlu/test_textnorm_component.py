"""The first NLU component: normal form for training and inference, and terms written by
sound corrected at inference only (with the real knowledge base at settings.KB_PATH)."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.textnorm import TextNormalizer


def _message(text: str, **data) -> Message:
    return Message(data={TEXT: text, **data})


def test_inference_folds_and_corrects_terms_written_by_sound():
    messages = [_message("dibao 找哪個部門"), _message("殘急人能享受哪些服務")]
    TextNormalizer().process(messages)
    assert [m.get(TEXT) for m in messages] == ["低保 找哪个部门", "残疾人能享受哪些服务"]


def test_training_examples_are_folded_but_never_corrected():
    # Training text is spelt as written; an annotated example keeps its offsets.
    plain = _message("dibao 找哪個部門")
    annotated = _message("  低保找哪个部门", **{ENTITIES: [{"start": 2, "end": 4}]})
    TextNormalizer().process_training_data(TrainingData([plain, annotated]))
    assert plain.get(TEXT) == "dibao 找哪个部门"
    assert annotated.get(TEXT) == "  低保找哪个部门"  # stripping would move the offsets


def test_a_leading_slash_stays_harmless():
    message = _message("／restart")
    TextNormalizer().process([message])
    assert message.get(TEXT) == "／restart"
