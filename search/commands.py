"""Command-line entry points of this package (registered by constats.cli)."""

import typer


def register(app: typer.Typer) -> None:
    pass
