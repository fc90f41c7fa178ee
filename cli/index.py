"""``constats index …``: apply the index settings, rebuild the indexes, fill the bodies index."""

from __future__ import annotations

import httpx
import typer

from constats.config import Settings, get_settings
from runtime.services import Services
from search.client import MeiliError
from search.indexer import index_bodies, rebuild
from search.settings import apply_settings

index_app = typer.Typer(help="Index Meilisearch : réglages, reconstruction, organismes.",
                        no_args_is_help=True)


def _services(embedder: str | None) -> Services:
    settings: Settings = get_settings()
    if embedder:
        settings = settings.model_copy(update={"embedder": embedder})
    return Services(settings)


def _fail(exc: Exception) -> None:
    typer.secho(f"échec : {exc}", fg="red", err=True)
    raise typer.Exit(1)


@index_app.command("settings")
def settings_cmd(embedder: str = typer.Option(None, help="Embedder (défaut : réglage embedder).")) -> None:
    """Appliquer les réglages déclarés aux trois index (idempotent)."""
    svc = _services(embedder)
    emb = svc.embedder()
    try:
        changed = apply_settings(svc.meili_admin(), svc.prefix, emb.dim if emb else None)
    except (MeiliError, httpx.HTTPError) as exc:
        _fail(exc)
    finally:
        svc.close()
    for name, patch in changed.items():
        typer.echo(f"{name}: {'modifié : ' + ', '.join(patch) if patch else 'à jour'}")


@index_app.command("rebuild")
def rebuild_cmd(embedder: str = typer.Option(None, help="Embedder (défaut : réglage embedder)."),
                bodies: bool = typer.Option(True, help="Remplir aussi l'index des organismes.")) -> None:
    """Reconstruire les index des constats et des rapports, puis les échanger (sans interruption)."""
    svc = _services(embedder)
    try:
        with svc.session() as session:
            summary = rebuild(session, svc.meili_admin(), svc.embedder(), svc.prefix)
            if bodies:
                summary.merge(index_bodies(svc.meili_admin(), svc.prefix))
    except (MeiliError, httpx.HTTPError) as exc:
        _fail(exc)
    finally:
        svc.close()
    typer.echo(f"constats indexés : {summary.findings_indexed}, rapports : "
               f"{summary.reports_indexed}, organismes : {summary.bodies_indexed}, "
               f"ignorés : {len(summary.skipped)} ({summary.seconds:.1f} s)")
    for doc_id, problems in summary.skipped[:20]:
        typer.echo(f"  ignoré {doc_id} : {'; '.join(problems)}")


@index_app.command("bodies")
def bodies_cmd() -> None:
    """Remplir l'index de recherche des communes, EPCI et départements."""
    svc = _services(None)
    try:
        summary = index_bodies(svc.meili_admin(), svc.prefix)
    finally:
        svc.close()
    typer.echo(f"organismes indexés : {summary.bodies_indexed}, ignorés : {len(summary.skipped)}")


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")
