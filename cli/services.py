"""``constats services up|down|status``: the local Meilisearch and Redis (no root, no Docker)."""

from __future__ import annotations

import signal

import typer

from constats.config import get_settings
from runtime import local

services_app = typer.Typer(help="Meilisearch et Redis locaux (sans droits root ni Docker).",
                           no_args_is_help=True)


@services_app.command("up")
def services_up() -> None:
    """Démarrer Meilisearch et Redis, sauf si MEILI_URL / REDIS_URL désignent des services externes."""
    settings = get_settings()
    running_before = {s.name for s in local.status(settings) if s.running}
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        urls = local.up(settings)
    except local.ServiceError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:  # SIGINT or SIGTERM while starting: stop what was started
        stopped = local.down(settings, only={"meilisearch", "redis"} - running_before)
        typer.secho("interrompu : " + (f"arrêtés : {', '.join(stopped)}" if stopped else "rien à arrêter"),
                    fg="red", err=True)
        raise typer.Exit(130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    for name, url in urls.items():
        typer.echo(f"{name}: {url}")


@services_app.command("down")
def services_down() -> None:
    """Arrêter les services démarrés par ce projet."""
    stopped = local.down(get_settings())
    typer.echo("arrêtés : " + (", ".join(stopped) if stopped else "aucun service ne tournait"))


@services_app.command("status")
def services_status() -> None:
    """Dire quels services répondent."""
    ok = True
    for s in local.status(get_settings()):
        ok &= s.running
        typer.echo(f"{s.name:12} {'up' if s.running else 'DOWN':5} {s.url}"
                   f"{'' if s.managed else ' (externe)'} {s.detail}")
    raise typer.Exit(0 if ok else 1)


def _interrupt(signum, _frame) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def register(app: typer.Typer) -> None:
    app.add_typer(services_app, name="services")
