"""The ``constats`` command: a thin layer over the library.

Every module of this package is one group of commands and registers itself the same way: its
commands are functions of the module, and its ``register(app)`` adds them to the command.
Distributions installed beside the runtime add theirs through the entry point group
``constats.commands`` (the lab adds ``demo``, ``eval``, ``train`` and ``replica``): the runtime
never imports them by name.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

import typer

from cli import crawl, extract, index, serve, services, worker

log = logging.getLogger(__name__)

PLUGIN_GROUP = "constats.commands"
GROUPS = (services, crawl, extract, index, serve, worker)


def build() -> typer.Typer:
    app = typer.Typer(help="Constats : les constats des chambres régionales des comptes, cherchables.",
                      no_args_is_help=True, add_completion=False)
    for group in GROUPS:
        group.register(app)
    for entry in entry_points(group=PLUGIN_GROUP):
        entry.load()(app)
    return app


def main() -> None:
    build()()


if __name__ == "__main__":
    main()
