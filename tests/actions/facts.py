"""The "never invent" assertion for action tests: bot.factcheck's check, the same one the
held-out evaluation applies to every reply, so the tests and the figures cannot drift."""

from __future__ import annotations

from functools import lru_cache

from bot.factcheck import Facts, facts_from_kb, invented


@lru_cache(maxsize=4)
def _facts(kb) -> Facts:
    # Collecting the facts reads the whole knowledge base; tests call this per reply.
    return facts_from_kb(kb)


def assert_from_kb(kb, reply: str, user_text: str = "") -> None:
    """Every number, hotline and department name in `reply` comes from the knowledge
    base (numbers the user wrote may be repeated back; list positions are skipped)."""
    problems = invented(reply, _facts(kb), user_text)
    assert not problems, f"not in the knowledge base: {problems}\n{reply}"
