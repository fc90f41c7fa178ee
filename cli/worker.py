"""``constats worker|beat|ingest|reprocess``: run the pipeline's workers, feed them local PDFs,
reprocess reports made by older versions."""

from __future__ import annotations

from pathlib import Path

import typer

from constats.config import get_settings
from runtime import queue
from runtime.services import ModelsUnusable, Services
from store import repo
from store.db import migrate
from worker import pipeline
from worker.app import celery_app


def worker(concurrency: int = typer.Option(2, help="Processus de travail."),
           beat: bool = typer.Option(False, help="Lancer aussi l'ordonnanceur (parcours périodiques)."),
           loglevel: str = typer.Option("INFO", help="Niveau de journalisation.")) -> None:
    """Lancer un worker Celery (téléchargement → extraction → indexation)."""
    try:  # retrying could not help: refuse to start, naming the file and the versions
        Services(get_settings()).check_models()
    except ModelsUnusable as exc:
        typer.secho(f"le worker refuse de démarrer : {exc}", fg="red", err=True)
        raise typer.Exit(1) from None
    migrate(get_settings().db_url)
    queue.configure(celery_app, get_settings())
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}"]
    if beat:
        argv += ["--beat", f"--schedule={get_settings().state_dir / 'celerybeat-schedule'}"]
    celery_app.worker_main(argv)


def beat(loglevel: str = typer.Option("INFO", help="Niveau de journalisation.")) -> None:
    """Lancer l'ordonnanceur seul (parcours incrémentaux périodiques)."""
    queue.configure(celery_app, get_settings())
    celery_app.start(["beat", f"--loglevel={loglevel}",
                      f"--schedule={get_settings().state_dir / 'celerybeat-schedule'}"])


def ingest(paths: list[Path] = typer.Argument(..., help="Fichiers PDF ou dossiers de PDF."),
           inline: bool = typer.Option(False, help="Traiter ici plutôt que confier aux workers.")) -> None:
    """Ingérer des fichiers PDF locaux : stocker, extraire, indexer."""
    files: list[Path] = []
    unreadable = 0
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.pdf"))
        elif path.is_file():
            files.append(path)
        else:
            typer.secho(f"{path} : fichier introuvable", fg="red", err=True)
            unreadable += 1
    if not files:
        typer.secho("aucun fichier PDF à ingérer", fg="red", err=True)
        raise typer.Exit(1)
    services = Services(get_settings())
    migrate(services.settings.db_url)
    ok = failed = 0
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            typer.secho(f"{path} : illisible ({exc.strerror or exc})", fg="red", err=True)
            unreadable += 1
            continue
        rid = pipeline.ingest_bytes(services, data, source_url=path.absolute().as_uri(), title=path.stem)
        if inline:
            done = pipeline.process_report(services, rid)
            with services.session() as s:
                row = repo.get_report(s, rid)
                msg = (f"{row.status}" + (f" ({row.error_code}: {row.error})" if row.error else "")
                       if row else "inconnu")
            typer.echo(f"{path.name}: {rid} {msg}")
            ok += bool(done)
            failed += not done
        else:
            queue.enqueue_report(services.queue, rid)
            typer.echo(f"{path.name}: {rid} en file d'attente")
            ok += 1
    if inline:
        typer.echo(f"{ok} indexé(s), {failed} en échec" + (f", {unreadable} illisible(s)" if unreadable else ""))
    if ok == 0:  # nothing could be ingested: say so to scripts too
        raise typer.Exit(1)


def reprocess(all_reports: bool = typer.Option(False, "--all", help="Tous les rapports, pas seulement "
                                                                      "ceux des versions anciennes."),
              inline: bool = typer.Option(False, help="Traiter ici plutôt que confier aux workers.")) -> None:
    """Retraiter (extraire, classer, indexer) les rapports produits par des versions anciennes."""
    services = Services(get_settings())
    migrate(services.settings.db_url)
    with services.session() as s:
        ids = repo.report_ids(s) if all_reports else repo.outdated_reports(s, **services.versions())
    for rid in ids:
        if all_reports:
            with services.session() as s:  # force: forget the versions that made it
                repo.forget_versions(s, rid)
        if inline:
            pipeline.process_report(services, rid)
        else:
            queue.enqueue_report(services.queue, rid)
    typer.echo(f"{len(ids)} rapport(s) {'retraité(s)' if inline else 'en file d’attente'}")


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("beat")(beat)
    app.command("ingest")(ingest)
    app.command("reprocess")(reprocess)
