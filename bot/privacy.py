"""Deleting a citizen's conversation: on WeChat unsubscribe, and for retention.

A WeChat account must delete a user's data when they unsubscribe. The channel calls
`delete_conversation` from inside Rasa with the agent's own stores, so the deletion goes
through the same database connection Rasa uses and is serialised with that user's
messages by the lock store (a message being processed while the user unsubscribes
would otherwise write the whole conversation back after the delete: Rasa's SQL store
saves "the events beyond the number already stored", and after a delete that is all).
"""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from typing import Any

from bot.stores import base_tracker_store

logger = logging.getLogger(__name__)


async def delete_conversation(
    tracker_store: Any, sender_id: str, lock_store: Any | None = None
) -> int:
    """Deletes every stored event of one conversation (all its sessions).

    Args:
        tracker_store: Rasa's tracker store, e.g. `request.app.ctx.agent.tracker_store`
            in a channel's route. SQL and in-memory stores are supported.
        sender_id: the conversation id (for WeChat, the OpenID).
        lock_store: `request.app.ctx.agent.lock_store`; when given, the deletion waits
            for a message of this user that is being processed to finish.

    Returns:
        How many events were deleted (0 when there was no such conversation).

    Raises:
        TypeError: a tracker store kind this helper does not know how to delete from.
    """
    async with AsyncExitStack() as stack:
        if lock_store is not None:
            await stack.enter_async_context(lock_store.lock(sender_id))
        deleted = _delete(base_tracker_store(tracker_store), sender_id)
    # The id is a pseudonym already, but it is personal data: log only that it happened.
    logger.info("Deleted a conversation on request (%d events).", deleted)
    return deleted


def _delete(store: Any, sender_id: str) -> int:
    if hasattr(store, "SQLEvent") and hasattr(store, "session_scope"):
        with store.session_scope() as session:
            deleted = (
                session.query(store.SQLEvent)
                .filter(store.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
            return int(deleted)
    if hasattr(store, "store") and isinstance(
        store.store, dict
    ):  # InMemoryTrackerStore
        serialised = store.store.pop(sender_id, None)
        return 0 if serialised is None else 1
    raise TypeError(f"Cannot delete conversations from {type(store).__name__}")


def delete_conversation_sql(engine: Any, sender_id: str) -> int:
    """Deletes one conversation directly in the tracker database (outside Rasa).

    For operators (e.g. a deletion request by other means) while Rasa may be running:
    a message in flight for this sender can write its events back, so prefer the
    in-process `delete_conversation` when Rasa is up.

    Args:
        engine: an SQLAlchemy engine on the tracker store (`bot.stores.sql_engine()`).
        sender_id: the conversation id.

    Returns:
        How many events were deleted.
    """
    import sqlalchemy as sa

    with engine.begin() as conn:
        result = conn.execute(
            sa.text("DELETE FROM events WHERE sender_id = :sid"), {"sid": sender_id}
        )
        return int(result.rowcount or 0)
