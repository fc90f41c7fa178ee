"""``constats index …``: apply the index settings, rebuild the indexes, fill the bodies index."""

from __future__ import annotations

import logging

import typer

index_app = typer.Typer(help="Index Meilisearch : réglages, reconstruction, organismes.",
                        no_args_is_help=True)
log = logging.getLogger(__name__)


def project_embedder(spec: str | None = None, *, threads: int | None = None):
    """The configured embedder (``nlp.embed``), or None for 'none' / when unavailable.

    ``threads``: threads of one embedding call (the embedder's default when None)."""
    from constats.config import get_settings

    spec = spec or get_settings().embedder
    if spec == "none":
        return None
    try:
        from nlp.embed import get_embedder
    except ImportError as exc:
        log.warning("no embedder available (%s): indexing without vectors", exc)
        return None
    return get_embedder(spec, threads=threads)


def admin_client():
    from constats.config import get_settings
    from search.client import MeiliClient

    s = get_settings()
    return MeiliClient(s.meili, s.meili_master_key)


def _fail(exc: Exception) -> None:
    typer.secho(f"échec : {exc}", fg="red", err=True)
    raise typer.Exit(1)


@index_app.command("settings")
def settings_cmd(embedder: str = typer.Option(None, help="Embedder spec (default: setting)")) -> None:
    """Apply the declared settings to the three indexes (idempotent)."""
    import httpx

    from constats.config import get_settings
    from search.client import MeiliError
    from search.settings import apply_settings

    emb = project_embedder(embedder)
    try:
        with admin_client() as client:
            changed = apply_settings(client, get_settings().index_prefix, emb.dim if emb else None)
    except (MeiliError, httpx.HTTPError) as exc:
        _fail(exc)
    for name, patch in changed.items():
        typer.echo(f"{name}: {'modifié : ' + ', '.join(patch) if patch else 'à jour'}")


@index_app.command("rebuild")
def rebuild_cmd(embedder: str = typer.Option(None, help="Embedder spec (default: setting)"),
                bodies: bool = typer.Option(True, help="Also refill the bodies index.")) -> None:
    """Rebuild findings and reports into new indexes, then swap them in (no downtime)."""
    import httpx

    from constats.config import get_settings
    from search.client import MeiliError
    from search.indexer import index_bodies, rebuild
    from store.db import session_scope

    settings = get_settings()
    emb = project_embedder(embedder)
    try:
        with admin_client() as client, session_scope() as session:
            summary = rebuild(session, client, emb, settings.index_prefix)
            if bodies:
                summary.merge(index_bodies(client, settings.index_prefix))
    except (MeiliError, httpx.HTTPError) as exc:
        _fail(exc)
    typer.echo(f"constats indexés : {summary.findings_indexed}, rapports : "
               f"{summary.reports_indexed}, organismes : {summary.bodies_indexed}, "
               f"ignorés : {len(summary.skipped)} ({summary.seconds:.1f} s)")
    for doc_id, problems in summary.skipped[:20]:
        typer.echo(f"  ignoré {doc_id} : {'; '.join(problems)}")


@index_app.command("bodies")
def bodies_cmd() -> None:
    """Fill the lookup index of communes, EPCI and départements."""
    from constats.config import get_settings
    from search.indexer import index_bodies

    with admin_client() as client:
        summary = index_bodies(client, get_settings().index_prefix)
    typer.echo(f"organismes indexés : {summary.bodies_indexed}, ignorés : {len(summary.skipped)}")


@index_app.command("evaluate")
def evaluate_cmd(reports: int = typer.Option(60, help="Corpus reports to index"),
                 queries: int = typer.Option(300, help="Queries per query set"),
                 semantic: bool = typer.Option(False, help="Also embed and compare hybrid ratios")) -> None:
    """Retrieval evaluation (MRR, nDCG@10) of the ranking variants on the corpus."""
    from search.evaluation import main as evaluate

    evaluate(n_reports=reports, n_queries=queries,
             embedder=project_embedder() if semantic else None)


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")
