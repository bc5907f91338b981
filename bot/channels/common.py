"""Helpers every citizen-facing input channel shares."""

from __future__ import annotations

MAX_MESSAGE_CHARS = 2000
"""Longer messages are cut: nobody asks a question in 2,000 characters, and NLU cost grows
with length. The cut is visible to the dialogue (the text simply ends), nothing is dropped
silently from the stored conversation beyond this bound."""

_SLASH_LOOKALIKE = "\uff0f"  # FULLWIDTH SOLIDUS "／"


def citizen_text(text: object) -> str:
    """Make a citizen's message safe to hand to Rasa.

    Rasa reads text starting with "/" as an intent with confidence 1.0 ("/restart",
    "/ask_department{...}") before NLU runs, so a citizen could set slots or trigger
    any intent. A leading "/" (after whitespace) becomes a full-width "／", which reads the
    same to a person and is ordinary text to Rasa.

    Args:
        text: whatever the channel received; None and non-strings become "".

    Returns:
        The text, stripped, at most MAX_MESSAGE_CHARS characters, never starting with "/".
    """
    if not isinstance(text, str):
        return ""
    text = text.strip()[:MAX_MESSAGE_CHARS]
    if text.startswith("/"):
        text = _SLASH_LOOKALIKE + text[1:]
    return text
