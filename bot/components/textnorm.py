"""A Rasa NLU component that puts citizen text into the project's normal form.

It runs first in the pipeline, so tokenizer, featurizers and extractors all see
``kb.textnorm.normalize(text)``: simplified characters, NFKC-folded digits and
punctuation, no control characters, bounded length. Entity offsets therefore refer to
the normalised text; actions compare entity *values* (also normalised), never offsets
into the raw message.

At inference it also spells knowledge-base terms written by sound as the knowledge base
does ("dibao" → 低保, "残急人" → 残疾人; kb.phonetic), reading the terms from the built
knowledge base (`settings.KB_PATH`) as the action server does. The corrected text is
what Rasa stores and what the actions read. Without a knowledge base the text is only
normalised (and a warning says so once).
"""

from __future__ import annotations

import logging

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.kb_access import knowledge_base
from bot.components.stateless import StatelessComponent
from kb.textnorm import normalize

FULLWIDTH_SOLIDUS = "\uff0f"

logger = logging.getLogger(__name__)


def correct_sounds(text: str) -> str:
    """kb.phonetic's correction with the knowledge base at `settings.KB_PATH`."""
    kb = knowledge_base()
    if kb is None:
        return text
    try:
        return kb.correct_sounds(text)
    except Exception:  # noqa: BLE001 - a spelling aid must never cost a reply
        logger.exception("Correcting terms written by sound failed; text kept as is")
        return text


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class TextNormalizer(StatelessComponent):
    """Replaces each message's text with its normal form (training and inference)."""

    @staticmethod
    def normalize_message(message: Message, by_sound: bool = False) -> None:
        """Normalises the message's text in place; messages without text are skipped.

        `by_sound` also corrects terms written by sound (inference only: training
        examples are spelt right, and their entity offsets must not move).

        A training example whose annotated entity offsets would move (normalisation
        changed its length) keeps its text: the annotation is worth more than the fold.
        """
        text = message.get(TEXT)
        if not isinstance(text, str) or not text:
            return
        normal = normalize(text)
        if message.get(ENTITIES) and len(normal) != len(text):
            return
        if by_sound:
            normal = correct_sounds(normal)
        if normal.startswith("/"):
            # NFKC turns the channels' full-width "／" back into "/"; keep it full-width
            # so the text stored in the tracker can never read as "/intent" if replayed.
            normal = FULLWIDTH_SOLIDUS + normal[1:]
        message.set(TEXT, normal)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self.normalize_message(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.normalize_message(message, by_sound=True)
        return messages
