"""The ``constats`` command: a thin layer over the library.

Every module of this package is one group of commands and registers itself the same way: its
commands are functions of the module, and its ``register(app)`` adds them to the command.
Distributions installed beside the runtime add theirs through the entry point group
``constats.commands`` (the lab adds ``demo``, ``eval``, ``train`` and ``replica``): the runtime
never imports them by name.
"""

from __future__ import annotations

import logging
import os
import sys
from importlib.metadata import entry_points

import typer

from cli import crawl, extract, index, serve, services, worker

log = logging.getLogger(__name__)

PLUGIN_GROUP = "constats.commands"
GROUPS = (services, crawl, extract, index, serve, worker)


def build() -> typer.Typer:
    app = typer.Typer(help="Constats : les constats des chambres régionales des comptes, cherchables.",
                      no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
    for group in GROUPS:
        group.register(app)
    for entry in entry_points(group=PLUGIN_GROUP):
        entry.load()(app)
    return app


def main() -> None:
    """The command, with no traceback for the user: an unexpected error is one line in French
    (exit 1); ``CONSTATS_DEBUG=1`` shows the traceback."""
    try:
        build()()
    except Exception as exc:  # noqa: BLE001 - the last resort of a command line
        if os.environ.get("CONSTATS_DEBUG"):
            raise
        service, text = _unavailable(exc), " ".join(str(exc).split())[:500]
        if service:
            print(f"erreur : service indisponible ({service}) : {text}", file=sys.stderr)
        else:
            print(f"erreur inattendue : {type(exc).__name__}: {text} (CONSTATS_DEBUG=1 pour le détail)",
                  file=sys.stderr)
        sys.exit(1)


def _unavailable(exc: BaseException) -> str | None:
    """The service an error of a client library says is down (None: something else)."""
    module = type(exc).__module__.split(".")[0]
    return {"redis": "Redis", "kombu": "Redis", "httpx": "Meilisearch", "httpcore": "Meilisearch",
            "sqlalchemy": "base de données", "psycopg": "base de données"}.get(module) or (
        "connexion refusée" if isinstance(exc, ConnectionError) else None)


if __name__ == "__main__":
    main()
