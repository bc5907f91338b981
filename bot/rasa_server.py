"""Rasa's own command line, with this project's operating rules in place.

`python -m bot.rasa_server run --model ... --endpoints bot/endpoints.yml ...` is what
`bot.stack` starts instead of `python -m rasa`. Before handing over to Rasa it:

- fills in the variables `bot/endpoints.yml` refers to from `bot.settings`
  (`bot.stores.endpoint_env`), in this process, so a stack started with other settings
  (e.g. LANGFANG_TRACKER_STORE=postgres) gets the matching stores;
- refuses to start when a configured PostgreSQL or Redis server does not answer
  (`bot.stores.check_reachable`), with the settings to correct;
- installs `bot.failsafe` (action-server timeout and busy reply) and
  `bot.action_schema` (action answers validated without re-checking the schema);
- refuses `--enable-api` without `--auth-token`: Rasa's HTTP API can read and rewrite
  any conversation.
"""

from __future__ import annotations

import os
import sys

from bot import action_schema, failsafe, stores


def check_args(argv: list[str]) -> str | None:
    """Returns why these Rasa arguments must not run, or None when they may."""
    if "--enable-api" in argv:
        token = None
        for i, arg in enumerate(argv):
            if arg == "--auth-token" and i + 1 < len(argv):
                token = argv[i + 1]
            elif arg.startswith("--auth-token="):
                token = arg.split("=", 1)[1]
        if not token or not token.strip():
            return (
                "Refusing to enable Rasa's HTTP API without an auth token: it can read"
                " and change every conversation. Set LANGFANG_RASA_API_TOKEN (make run)"
                " or pass --auth-token."
            )
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    problem = check_args(argv)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        os.environ.update(stores.endpoint_env())
        stores.check_reachable()
    except (stores.StoreConfigError, stores.StoreUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stores.prepare()
    # Rasa's telemetry and its Sentry error reports would send data about the
    # conversations' processing to a third party (and wait for an unreachable host).
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    failsafe.install()
    action_schema.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
