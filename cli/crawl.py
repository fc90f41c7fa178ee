"""``constats crawl ccomptes|folder|status``: collect report PDFs, politely."""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from constats.config import Settings, get_settings
from crawler.check import check_site
from crawler.crawl import CrawlSummary, OnNewFile, crawl_source
from crawler.fetcher import Fetcher
from crawler.savedpages import PageRecorder
from crawler.state import recent_crawls
from runtime import queue
from runtime.services import Services
from store.db import migrate, session_scope

log = logging.getLogger(__name__)

crawl_app = typer.Typer(help="Collecter les PDF des rapports sur le site de publication ou dans un dossier.",
                        no_args_is_help=True)


def _settings(base_url: str | None, allow_loopback: bool, rate: float | None = None) -> Settings:
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


def _pipeline_hook(settings: Settings, no_pipeline: bool) -> OnNewFile | None:
    """Hand each new file to the workers (by task name, through Redis)."""
    if no_pipeline:
        return None
    app = Services(settings).queue
    return lambda file_id, report_id: queue.enqueue_file(app, file_id)


def _run(name: str, settings: Settings, **kwargs) -> None:
    started = time.monotonic()
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), TextColumn("{task.fields[stats]}"),
                  TimeElapsedColumn(), transient=False) as bar:
        task = bar.add_task(f"crawl {name}", stats="starting")

        def progress(s: CrawlSummary) -> None:
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
    base_url: str = typer.Option(None, help="Site à parcourir (défaut : réglage crawl_base_url) ; "
                                            "son hôte est ajouté à la liste autorisée."),
    allow_loopback: bool = typer.Option(False, help="Autoriser 127.0.0.1 (une réplique locale)."),
    since: str = typer.Option(None, help="Seulement les publications depuis cette date (AAAA-MM-JJ)."),
    chamber: str = typer.Option(None, help="Seulement cette chambre (par ex. « Bretagne »)."),
    limit: int = typer.Option(None, help="Au plus ce nombre de publications."),
    rate: float = typer.Option(None, help="Requêtes par seconde (défaut : réglage crawl_rate_limit)."),
    no_pipeline: bool = typer.Option(False, "--no-pipeline", help="Télécharger seulement, sans traiter."),
    check: bool = typer.Option(False, "--check", help="Dire ce que trouve chaque stratégie et chaque indice "
                                                      "(sélecteur CSS) sur quelques pages du site."),
    save_pages: Path = typer.Option(None, "--save-pages", help="Garder chaque page et le robots.txt lus "
                                                               "(adresse, date, en-têtes) dans ce dossier, "
                                                               "pour en faire des jeux de test."),
) -> None:
    """Parcourir ccomptes.fr (ou une réplique) : rapports nouveaux ou modifiés, poliment."""
    settings = _settings(base_url, allow_loopback, rate)
    recorder = PageRecorder(save_pages) if save_pages else None
    if check:
        with Fetcher(settings, recorder=recorder) as fetcher:
            checks = check_site(fetcher, settings.crawl_base_url)
        for c in checks:
            typer.secho(str(c), fg="green" if c.ok else ("yellow" if c.warning else "red"))
        failed = [c for c in checks if c.failed]
        typer.echo(f"{len(checks) - len(failed)}/{len(checks)} checks passed")
        if recorder is not None:
            typer.echo(f"{recorder.count} pages saved in {save_pages}")
        raise typer.Exit(1 if failed else 0)
    try:
        since_d = date.fromisoformat(since) if since else None
    except ValueError:
        typer.secho(f"--since : pas une date (AAAA-MM-JJ) : {since}", fg="red", err=True)
        raise typer.Exit(2) from None
    _run("ccomptes", settings, base_url=settings.crawl_base_url, since=since_d, chamber=chamber,
         limit=limit, on_new_file=_pipeline_hook(settings, no_pipeline), recorder=recorder)
    if recorder is not None:
        typer.echo(f"{recorder.count} pages saved in {save_pages}")


@crawl_app.command("folder")
def crawl_folder(
    path: Path = typer.Argument(..., help="Dossier de fichiers PDF (parcouru récursivement)."),
    no_pipeline: bool = typer.Option(False, "--no-pipeline", help="Stocker seulement, sans traiter."),
) -> None:
    """Collecter les PDF d'un dossier local (stockés une fois par empreinte de contenu)."""
    if not path.is_dir():
        typer.secho(f"not a folder: {path}", fg="red", err=True)
        raise typer.Exit(2)
    settings = get_settings()
    _run("folder", settings, path=path.absolute(), on_new_file=_pipeline_hook(settings, no_pipeline))


@crawl_app.command("status")
def crawl_status(limit: int = typer.Option(10, help="Nombre de parcours.")) -> None:
    """Les derniers parcours et leurs comptes."""
    url = get_settings().db_url
    migrate(url)
    with session_scope(url) as s:
        for c in recent_crawls(s, limit):
            counts = c["counts"]
            typer.echo(f"#{c['id']} {c['source']} {c['status']} {c['started_at']} "
                       f"publications={counts.get('publications', 0)} downloaded={counts.get('downloaded', 0)} "
                       f"failed={counts.get('failed', 0)}" + (f" error={c['error']}" if c["error"] else ""))


def register(app: typer.Typer) -> None:
    app.add_typer(crawl_app, name="crawl")
