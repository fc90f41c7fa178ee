"""Commands of the shared layer: local services."""

from __future__ import annotations

import typer

from constats import services
from constats.config import get_settings

services_app = typer.Typer(help="Local Meilisearch and Redis (no root, no Docker).", no_args_is_help=True)


@services_app.command("up")
def services_up() -> None:
    """Start Meilisearch and Redis unless MEILI_URL / REDIS_URL point elsewhere."""
    try:
        urls = services.up(get_settings())
    except services.ServiceError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1)
    for name, url in urls.items():
        typer.echo(f"{name}: {url}")


@services_app.command("down")
def services_down() -> None:
    """Stop the services this project started."""
    stopped = services.down(get_settings())
    typer.echo("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))


@services_app.command("status")
def services_status() -> None:
    """Say which services answer."""
    ok = True
    for s in services.status(get_settings()):
        ok &= s.running
        typer.echo(f"{s.name:12} {'up' if s.running else 'DOWN':5} {s.url}"
                   f"{'' if s.managed else ' (external)'} {s.detail}")
    raise typer.Exit(0 if ok else 1)


def demo(check: bool = typer.Option(False, "--check", help="Query the API, exit 0/1 instead of serving."),
         reports: int = typer.Option(30, help="How many sample reports to publish on the replica."),
         port: int = typer.Option(None, help="API port (default: CONSTATS_API_PORT, 8000).")) -> None:
    """Start everything, crawl a local replica of the site, ingest, index and serve."""
    from constats.demo import run

    raise typer.Exit(run(check=check, reports=reports, port=port))


def register(app: typer.Typer) -> None:
    app.add_typer(services_app, name="services")
    app.command()(demo)
