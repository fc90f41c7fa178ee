"""Commands of the crawler: ``constats crawl ccomptes|folder|status`` and ``constats replica``."""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import typer

from constats.config import get_settings

log = logging.getLogger(__name__)

crawl_app = typer.Typer(help="Collect report PDFs from the publication site or a folder.",
                        no_args_is_help=True)


def _settings(base_url: str | None, allow_loopback: bool, rate: float | None = None):
    settings = get_settings()
    updates: dict = {}
    if base_url:
        host = urlsplit(base_url).hostname or ""
        updates["crawl_base_url"] = base_url
        updates["crawl_allowed_hosts"] = sorted(set(settings.crawl_allowed_hosts) | {host})
    if allow_loopback:
        updates["crawl_allow_loopback"] = True
    if rate:
        updates["crawl_rate_limit"] = rate
    return settings.model_copy(update=updates) if updates else settings


def _pipeline_hook(no_pipeline: bool):
    if no_pipeline:
        return None
    try:
        from worker.pipeline import enqueue
    except Exception as exc:  # noqa: BLE001 - crawl anyway; files can be enqueued later
        log.warning("pipeline unavailable (%s): files are only downloaded", exc)
        typer.secho(f"pipeline unavailable ({exc}): files are only downloaded", fg="yellow", err=True)
        return None
    return lambda file_id, report_id: enqueue(file_id)


def _run(name: str, settings, **kwargs) -> None:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from crawler.crawl import crawl_source

    started = time.monotonic()
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), TextColumn("{task.fields[stats]}"),
                  TimeElapsedColumn(), transient=False) as bar:
        task = bar.add_task(f"crawl {name}", stats="starting")

        def progress(s) -> None:
            rate = s.files / max(time.monotonic() - started, 1e-6)
            bar.update(task, stats=(f"{s.publications} publications, {s.files} files: {s.downloaded} "
                                    f"downloaded, {s.not_modified} unchanged, {s.failed} failed "
                                    f"({rate:.1f} files/s)"))

        summary = crawl_source(name, settings, progress=progress, **kwargs)
        progress(summary)
    typer.echo(str(summary))
    by_code = summary.counts()["errors_by_code"]
    if by_code:
        typer.echo("errors: " + ", ".join(f"{k}={v}" for k, v in sorted(by_code.items())))
    if summary.status != "done":
        typer.secho(f"crawl {summary.status}: {summary.error}", fg="red", err=True)
        raise typer.Exit(1)


@crawl_app.command("ccomptes")
def crawl_ccomptes(
    base_url: str = typer.Option(None, help="Site to crawl (default: the crawl_base_url setting); "
                                            "its host is added to the allow-list."),
    allow_loopback: bool = typer.Option(False, help="Allow 127.0.0.1 (a local replica)."),
    since: str = typer.Option(None, help="Only publications from this date (YYYY-MM-DD)."),
    chamber: str = typer.Option(None, help="Only this chamber (e.g. 'Bretagne')."),
    limit: int = typer.Option(None, help="At most this many publications."),
    rate: float = typer.Option(None, help="Requests per second (default: the crawl_rate_limit setting)."),
    no_pipeline: bool = typer.Option(False, "--no-pipeline", help="Download only; do not enqueue."),
    check: bool = typer.Option(False, "--check", help="Validate the selectors on a few live pages."),
) -> None:
    """Crawl ccomptes.fr (or a replica): new and changed reports, politely."""
    settings = _settings(base_url, allow_loopback, rate)
    if check:
        from crawler.check import check_site
        from crawler.fetcher import Fetcher

        with Fetcher(settings) as fetcher:
            checks = check_site(fetcher, settings.crawl_base_url)
        for c in checks:
            typer.secho(str(c), fg="green" if c.ok else ("yellow" if c.warning else "red"))
        failed = [c for c in checks if c.failed]
        typer.echo(f"{len(checks) - len(failed)}/{len(checks)} checks passed")
        raise typer.Exit(1 if failed else 0)
    try:
        since_d = date.fromisoformat(since) if since else None
    except ValueError:
        typer.secho(f"--since: not a date (YYYY-MM-DD): {since}", fg="red", err=True)
        raise typer.Exit(2)
    _run("ccomptes", settings, base_url=settings.crawl_base_url, since=since_d, chamber=chamber,
         limit=limit, on_new_file=_pipeline_hook(no_pipeline))


@crawl_app.command("folder")
def crawl_folder(
    path: Path = typer.Argument(..., help="Folder of PDF files (searched recursively)."),
    no_pipeline: bool = typer.Option(False, "--no-pipeline", help="Store only; do not enqueue."),
) -> None:
    """Collect the PDFs of a local folder (stored once per content hash)."""
    if not path.is_dir():
        typer.secho(f"not a folder: {path}", fg="red", err=True)
        raise typer.Exit(2)
    _run("folder", get_settings(), path=path.absolute(), on_new_file=_pipeline_hook(no_pipeline))


@crawl_app.command("status")
def crawl_status(limit: int = typer.Option(10)) -> None:
    """The latest crawls and their counts."""
    from crawler.state import recent_crawls
    from store.db import migrate, session_scope

    migrate(get_settings().db_url)
    with session_scope() as s:
        for c in recent_crawls(s, limit):
            counts = c["counts"]
            typer.echo(f"#{c['id']} {c['source']} {c['status']} {c['started_at']} "
                       f"publications={counts.get('publications', 0)} downloaded={counts.get('downloaded', 0)} "
                       f"failed={counts.get('failed', 0)}" + (f" error={c['error']}" if c["error"] else ""))


def replica(corpus: int = typer.Option(20, help="How many corpus reports to publish."),
            port: int = typer.Option(8800, help="Port on 127.0.0.1 (0: any free port)."),
            page_size: int = typer.Option(10, help="Results per listing page.")) -> None:
    """Serve a local replica of the publication site (corpus reports rendered to PDF)."""
    from replica.corpus import serve_corpus

    serve_corpus(get_settings(), corpus, port, page_size)


def register(app: typer.Typer) -> None:
    app.add_typer(crawl_app, name="crawl")
    app.command("replica")(replica)
