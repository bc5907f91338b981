"""The base of the project's NLU components that learn nothing and hold no state."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class StatelessComponent(GraphComponent):
    """A graph component built the same way for training and inference: no config,
    nothing persisted in the model, so Rasa's `create` (and `load`, which defaults to
    `create`) just instantiates it."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StatelessComponent:
        return cls()
