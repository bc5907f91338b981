"""Rasa checks every answer of the action server against a JSON schema; this keeps that check cheap.

Rasa 3.6 validates each answer with `jsonschema.validate(answer, spec)`
(`RemoteAction._validate_action_result`). That call first validates the *schema itself*
against the JSON Schema meta-schema and builds a new validator, on every action of every
message. The spec has no `$schema`, so jsonschema 4.17 picks draft 2020-12, whose
meta-schema is the expensive one: profiled with py-spy on the running server, this
meta-check was about a third of the Rasa process's CPU per message, more than the NLU
pipeline and the dialogue policies together.

`install()` replaces that method with one that validates the answer exactly as before
(same validator class, same `best_match` error, same message appended) against a
validator built and schema-checked once per process. An answer that fails is rejected
as before; only the repeated meta-check is gone. `bot.rasa_server` installs it.
"""

from __future__ import annotations

from typing import Any

_validator: Any = None


def validator() -> Any:
    """The jsonschema validator of Rasa's action response spec, built once."""
    global _validator
    if _validator is None:
        from jsonschema.validators import validator_for
        from rasa.core.actions.action import RemoteAction

        spec = RemoteAction.action_response_format_spec()
        cls = validator_for(spec)
        cls.check_schema(spec)  # once, as jsonschema.validate would on every call
        _validator = cls(spec)
    return _validator


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's `_validate_action_result`, with the validator built once."""
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import DOCS_BASE_URL

    error = best_match(validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Makes Rasa validate action answers with the cached validator. Idempotent.

    Fails loudly if the pinned Rasa no longer has the method it replaces.
    """
    from rasa.core.actions.action import RemoteAction

    if not hasattr(RemoteAction, "_validate_action_result") or not hasattr(
        RemoteAction, "action_response_format_spec"
    ):
        raise RuntimeError(
            "bot.action_schema targets Rasa 3.6 (RemoteAction has changed)"
        )
    validator()
    RemoteAction._validate_action_result = validate_action_result
