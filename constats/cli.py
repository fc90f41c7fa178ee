"""The ``constats`` command: a thin layer over the library.

Each package contributes its commands through ``<package>/commands.py:register(app)``;
this module only assembles them.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(help="Constats: the findings of the chambres régionales des comptes, searchable.",
                  no_args_is_help=True, add_completion=False)

COMMAND_MODULES = [
    "constats.commands",
    "crawler.commands",
    "nlp.commands",
    "nlp.eval_commands",
    "nlp.train_commands",
    "search.commands",
    "api.commands",
    "worker.commands",
]


def build() -> typer.Typer:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def main() -> None:
    build()()


if __name__ == "__main__":
    main()
