"""The action server: rasa_sdk's app, with this project's operating rules.

`python -m bot.action_server` is what `bot.stack` starts instead of
`python -m rasa_sdk`:

- it opens the knowledge base before listening and refuses to start, naming the
  command that rebuilds it (`make kb`), when the database is missing, empty or from an
  older schema; once open, the server keeps answering from that database even if the
  file is deleted or replaced underneath it (rebuilds take effect on restart);
- it listens on `settings.ACTIONS_HOST` (127.0.0.1 by default; rasa_sdk would bind
  0.0.0.0) and allows no cross-origin browser calls (only Rasa calls it);
- on an error it answers a short JSON body: rasa_sdk's own handler answers 500 with the
  whole request, i.e. the citizen's conversation, to whoever made the request;
- no access log: every request is Rasa's, and the log stays small under load.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from bot import settings

logger = logging.getLogger("bot.action_server")

REBUILD_HINT = (
    "Rebuild it with `make kb` (or `make setup`), then start the server again."
)


class StartupError(RuntimeError):
    """The server must not start; the message says why and what to do."""


def open_knowledge_base() -> Any:
    """Opens the shared knowledge base the actions use, or explains why it cannot.

    Returns:
        The `kb.query.KnowledgeBase` the actions will answer from.

    Raises:
        StartupError: missing, empty, old-schema or unreadable database.
    """
    from actions.actions import default_kb
    from kb.query import KnowledgeBaseError

    try:
        return default_kb()
    except KnowledgeBaseError as exc:
        message = str(exc)
        if "make kb" not in message:
            message = f"{message} {REBUILD_HINT}"
        raise StartupError(
            f"The knowledge base at {settings.KB_PATH} cannot be used: {message}"
        ) from exc
    except (
        Exception
    ) as exc:  # noqa: BLE001 - e.g. sqlite3.DatabaseError: not a database
        raise StartupError(
            f"The knowledge base at {settings.KB_PATH} cannot be opened"
            f" ({type(exc).__name__}: {exc}). {REBUILD_HINT}"
        ) from exc


def create_app(actions_package: str = "actions") -> Any:
    """rasa_sdk's Sanic app with a short error answer and no CORS.

    Args:
        actions_package: the package whose `Action` classes are served.

    Returns:
        The Sanic app (not running).
    """
    from rasa_sdk.endpoint import create_app as sdk_create_app
    from sanic import response
    from sanic.exceptions import SanicException

    app = sdk_create_app(actions_package, cors_origins="")

    async def short_error(request: Any, exception: Exception) -> Any:
        if isinstance(exception, SanicException) and exception.status_code < 500:
            # 400 for a body that is not JSON, 404/405 for other paths and methods.
            return response.json(
                {"error": exception.__class__.__name__}, status=exception.status_code
            )
        # The trace goes to our log (it names the action and the line), never the
        # request body: that is the citizen's conversation.
        logger.error(
            "Error while answering %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        return response.json({"error": "internal error"}, status=500)

    # Registered after rasa_sdk's handler for the same class, so it takes its place.
    app.error_handler.add(Exception, short_error)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.action_server", description=__doc__
    )
    parser.add_argument("--port", type=int, default=settings.ACTIONS_PORT)
    parser.add_argument("--actions", default="actions", help="package of actions")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s"
    )
    try:
        kb = open_knowledge_base()
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    logger.info(
        "Knowledge base opened: %s (%d items)", settings.KB_PATH, len(kb.items())
    )
    # The first search loads jieba's dictionary (seconds): do it now, not while the
    # first citizen waits against Rasa's action timeout.
    kb.search("法律援助找哪个部门")
    app = create_app(args.actions)
    logger.info(
        "Action server listening on http://%s:%d", settings.ACTIONS_HOST, args.port
    )
    app.run(settings.ACTIONS_HOST, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
