"""Where conversations are kept: the tracker store and the lock store, from settings.

`bot/endpoints.yml` names Rasa's own stores (`SQLTrackerStore`, `RedisLockStore`)
and takes their parameters from `${LANGFANG_...}` variables, which Rasa expands when it
reads the file. `endpoint_env()` computes those variables from `bot.settings`, and
`bot.rasa_server` sets them in Rasa's process, so the one endpoints file serves both the
single-process default (SQLite file, in-memory locks) and a scaled-out deployment
(PostgreSQL, Redis) by settings alone.

The retention command, the curators' report and the unsubscribe helper read the same
database through `tracker_db_url()`.
"""

from __future__ import annotations

from types import ModuleType
from urllib.parse import unquote, urlsplit

from bot import settings as default_settings

TRACKER_STORES = ("sqlite", "postgres")
LOCK_STORES = ("memory", "redis")


class StoreConfigError(ValueError):
    """A storage setting has a value Rasa cannot use; the message names the setting."""


def tracker_db_url(settings: ModuleType = default_settings) -> str:
    """The SQLAlchemy URL of the tracker store's database.

    Args:
        settings: the settings module (tests pass a namespace with other values).

    Returns:
        `sqlite:////abs/path/tracker.db` or `postgresql://user:password@host:port/db`.

    Raises:
        StoreConfigError: LANGFANG_TRACKER_STORE is neither sqlite nor postgres.
    """
    from sqlalchemy.engine import URL

    kind = settings.TRACKER_STORE
    if kind == "sqlite":
        return f"sqlite:///{settings.TRACKER_DB}"
    if kind == "postgres":
        url = URL.create(
            "postgresql",
            username=settings.PG_USER or None,
            password=settings.PG_PASSWORD or None,
            host=settings.PG_HOST,
            port=settings.PG_PORT,
            database=settings.PG_DB,
        )
        # render_as_string keeps the password: str(URL) would mask it as "***".
        return url.render_as_string(hide_password=False)
    raise StoreConfigError(
        f"LANGFANG_TRACKER_STORE must be one of {', '.join(TRACKER_STORES)},"
        f" got {kind!r}"
    )


def _redis_parts(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    if parts.scheme != "redis" or not parts.hostname:
        raise StoreConfigError(
            f"LANGFANG_REDIS_URL must look like redis://host:6379/1, got {url!r}"
        )
    db = parts.path.strip("/") or "1"
    if not db.isdigit():
        raise StoreConfigError(f"LANGFANG_REDIS_URL: database must be a number: {db!r}")
    return {
        "LANGFANG_REDIS_HOST": parts.hostname,
        "LANGFANG_REDIS_PORT": str(parts.port or 6379),
        "LANGFANG_REDIS_DB": db,
        "LANGFANG_REDIS_PASSWORD": unquote(parts.password or ""),
    }


def endpoint_env(settings: ModuleType = default_settings) -> dict[str, str]:
    """The variables `bot/endpoints.yml` refers to, computed from settings.

    Args:
        settings: the settings module.

    Returns:
        A mapping to add to Rasa's environment.

    Raises:
        StoreConfigError: a storage setting is invalid.
    """
    if settings.LOCK_STORE not in LOCK_STORES:
        raise StoreConfigError(
            f"LANGFANG_LOCK_STORE must be one of {', '.join(LOCK_STORES)},"
            f" got {settings.LOCK_STORE!r}"
        )
    env = {"LANGFANG_TRACKER_URL": tracker_db_url(settings)}
    if "$" in env["LANGFANG_TRACKER_URL"]:
        raise StoreConfigError(
            "LANGFANG_PG_PASSWORD must not contain '$' (Rasa expands ${...} in"
            " endpoints.yml and refuses what it cannot expand)."
        )
    if settings.LOCK_STORE == "redis":
        env["LANGFANG_LOCK_TYPE"] = "redis"
        env.update(_redis_parts(settings.REDIS_URL))
    else:
        # Rasa ignores the redis parameters for the in-memory lock store, but the
        # variables must exist for the file to be read.
        env["LANGFANG_LOCK_TYPE"] = "in_memory"
        env.update(
            {
                "LANGFANG_REDIS_HOST": "127.0.0.1",
                "LANGFANG_REDIS_PORT": "6379",
                "LANGFANG_REDIS_DB": "1",
                "LANGFANG_REDIS_PASSWORD": "",
            }
        )
    return env


class StoreUnavailable(RuntimeError):
    """A configured store does not answer; the message says which and what to set."""


REACH_TIMEOUT_S = 5


def check_reachable(settings: ModuleType = default_settings) -> None:
    """Connects once to the PostgreSQL tracker store and pings the Redis lock store,
    when configured.

    Rasa itself retries an unreachable tracker database every few seconds forever and
    never says it is ready; an operator is better served by one line saying which
    server did not answer and which settings point at it.

    Raises:
        StoreUnavailable: a configured server did not answer within REACH_TIMEOUT_S.
    """
    if settings.TRACKER_STORE == "postgres":
        import sqlalchemy as sa

        engine = sa.create_engine(
            tracker_db_url(settings), connect_args={"connect_timeout": REACH_TIMEOUT_S}
        )
        try:
            with engine.connect():
                pass
        except sa.exc.SQLAlchemyError as exc:
            raise StoreUnavailable(
                f"the PostgreSQL tracker store at {settings.PG_HOST}:{settings.PG_PORT}"
                f" (database {settings.PG_DB!r}, user {settings.PG_USER!r}) did not"
                f" answer: {_first_line(exc)}. Start PostgreSQL, or correct"
                " LANGFANG_PG_HOST / LANGFANG_PG_PORT / LANGFANG_PG_DB / LANGFANG_PG_USER"
                " / LANGFANG_PG_PASSWORD, or set LANGFANG_TRACKER_STORE=sqlite."
            ) from exc
        finally:
            engine.dispose()
    if settings.LOCK_STORE == "redis":
        import redis

        parts = _redis_parts(settings.REDIS_URL)
        client = redis.Redis(
            host=parts["LANGFANG_REDIS_HOST"],
            port=int(parts["LANGFANG_REDIS_PORT"]),
            db=int(parts["LANGFANG_REDIS_DB"]),
            password=parts["LANGFANG_REDIS_PASSWORD"] or None,
            socket_connect_timeout=REACH_TIMEOUT_S,
            socket_timeout=REACH_TIMEOUT_S,
        )
        try:
            client.ping()
        except redis.RedisError as exc:
            where = f"{parts['LANGFANG_REDIS_HOST']}:{parts['LANGFANG_REDIS_PORT']}"
            raise StoreUnavailable(
                f"the Redis lock store at {where} did not answer: {_first_line(exc)}."
                " Start Redis, or correct LANGFANG_REDIS_URL, or set"
                " LANGFANG_LOCK_STORE=memory (one Rasa process only)."
            ) from exc
        finally:
            client.close()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__


def prepare(settings: ModuleType = default_settings) -> None:
    """Creates the SQLite file's folder: Rasa retries a missing folder forever."""
    if settings.TRACKER_STORE == "sqlite":
        settings.TRACKER_DB.parent.mkdir(parents=True, exist_ok=True)


def sql_engine(url: str | None = None):  # -> sqlalchemy.engine.Engine
    """An SQLAlchemy engine on the tracker store's database (default: from settings)."""
    import sqlalchemy as sa

    return sa.create_engine(url or tracker_db_url())


def base_tracker_store(store: object) -> object:
    """Unwraps Rasa's wrappers (AwaitableTrackerStore, FailSafeTrackerStore)."""
    seen = 0
    while hasattr(store, "_tracker_store") and seen < 5:
        store = store._tracker_store  # noqa: SLF001 - Rasa keeps no public accessor
        seen += 1
    return store
