"""Commands of the worker: run it, ingest local PDFs, reprocess outdated reports."""

from __future__ import annotations

from pathlib import Path

import typer

from constats.config import get_settings


def worker(concurrency: int = typer.Option(2, help="Worker processes."),
           beat: bool = typer.Option(False, help="Also run the beat scheduler (periodic crawls)."),
           loglevel: str = typer.Option("INFO")) -> None:
    """Run a Celery worker (fetch → extract → index)."""
    from store.db import migrate
    from worker.app import celery_app

    migrate(get_settings().db_url)
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}"]
    if beat:
        argv += ["--beat", f"--schedule={get_settings().state_dir / 'celerybeat-schedule'}"]
    celery_app.worker_main(argv)


def ingest(paths: list[Path] = typer.Argument(..., help="PDF files or folders of PDFs."),
           inline: bool = typer.Option(False, help="Process here instead of handing to the workers.")) -> None:
    """Ingest local PDF files: store, extract, index."""
    from store.db import migrate, session_scope
    from store import repo
    from worker import pipeline

    migrate(get_settings().db_url)
    files = [p for path in paths for p in (sorted(path.rglob("*.pdf")) if path.is_dir() else [path])]
    ok = failed = 0
    for path in files:
        rid = pipeline.ingest_bytes(path.read_bytes(), source_url=path.absolute().as_uri(), title=path.stem)
        if inline:
            done = pipeline.process_report(rid)
            with session_scope() as s:
                row = repo.get_report(s, rid)
                msg = f"{row.status}" + (f" ({row.error_code}: {row.error})" if row.error else "")
            typer.echo(f"{path.name}: {rid} {msg}")
            ok += bool(done)
            failed += not done
        else:
            pipeline.enqueue_report(rid)
            typer.echo(f"{path.name}: {rid} queued")
    if inline:
        typer.echo(f"{ok} indexed, {failed} failed")


def reprocess(all_reports: bool = typer.Option(False, "--all", help="Every report, not only outdated ones."),
              inline: bool = typer.Option(False, help="Process here instead of handing to the workers.")) -> None:
    """Re-run extraction/classification/indexing of reports made by older versions."""
    from sqlalchemy import select

    from store.db import migrate, session_scope
    from store.models import ReportRow
    from worker import pipeline

    migrate(get_settings().db_url)
    if all_reports:
        with session_scope() as s:
            ids = list(s.scalars(select(ReportRow.id)))
    else:
        ids = pipeline.outdated_report_ids()
    for rid in ids:
        if all_reports:
            with session_scope() as s:  # force: forget the versions that made it
                s.get(ReportRow, rid).extractor_version = None
        pipeline.process_report(rid) if inline else pipeline.enqueue_report(rid)
    typer.echo(f"{len(ids)} report(s) {'reprocessed' if inline else 'queued'}")


def beat(loglevel: str = typer.Option("INFO")) -> None:
    """Run the beat scheduler alone (periodic incremental crawls)."""
    from worker.app import celery_app

    celery_app.start(["beat", f"--loglevel={loglevel}",
                      f"--schedule={get_settings().state_dir / 'celerybeat-schedule'}"])


def register(app: typer.Typer) -> None:
    app.command()(worker)
    app.command()(beat)
    app.command()(ingest)
    app.command()(reprocess)
