"""``constats serve``, ``constats export`` and ``constats recurring``: thin layers over the API's
library."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
import uvicorn
from fastapi.exceptions import RequestValidationError

from api.errors import french_errors
from api.export import FORMATS, export_batches_to_file
from api.filters import iter_matching_batches, make_params
from constats.config import get_settings
from runtime.services import Services
from search.recurring import compute, groups_path, write
from store.repo import iter_findings
from worker.derived import send_digests


def serve(host: str = typer.Option(None, help="Adresse d'écoute (défaut : réglage api_host)."),
          port: int = typer.Option(None, help="Port (défaut : réglage api_port)."),
          workers: int = typer.Option(None, min=1, max=16,
                                      help="Processus uvicorn (défaut : réglage api_workers).")) -> None:
    """Servir l'API et les pages."""
    s = get_settings()
    if workers is None:
        # a quota kept in memory is each process's own: one process keeps it a quota per client
        workers = 1 if s.public_rate_limit_store == "memory" else s.api_workers
    elif workers > 1 and s.public_rate_limit_store == "memory":
        typer.echo(f"attention : quota en mémoire, propre à chacun des {workers} processus "
                   "(CONSTATS_PUBLIC_RATE_LIMIT_STORE=redis pour un quota commun)", err=True)
    # proxy_headers=False: uvicorn would trust X-Forwarded-For from 127.0.0.1 and let any local
    # client reset its quota; the app reads it from CONSTATS_TRUSTED_PROXIES only
    uvicorn.run("api.app:create_app", factory=True, host=host or s.api_host,
                port=port or s.api_port, workers=workers, log_level="info", proxy_headers=False)


def export(fmt: str = typer.Option("csv", "--format", "-f", help="csv, jsonl ou parquet"),
           output: Path = typer.Option(..., "--output", "-o", help="Fichier à écrire ('-' : sortie standard)."),
           q: str = typer.Option("", help="Mots que chaque constat doit contenir."),
           chamber: list[str] = typer.Option(None, help="Chambre (répétable)."),
           region: list[str] = typer.Option(None, help="Région (répétable)."),
           departement: list[str] = typer.Option(None, help="Code du département (répétable)."),
           body_kind: list[str] = typer.Option(None, help="Type d'organisme (répétable)."),
           insee: list[str] = typer.Option(None, help="Code INSEE de la commune (répétable)."),
           siren: list[str] = typer.Option(None, help="SIREN de l'organisme (répétable)."),
           kind: list[str] = typer.Option(None, help="Type de constat (répétable)."),
           theme: list[str] = typer.Option(None, help="Thème (répétable)."),
           status: list[str] = typer.Option(None, help="Statut de mise en œuvre (répétable)."),
           sector: list[str] = typer.Option(None, help="Secteur (répétable)."),
           report_id: list[str] = typer.Option(None, help="Identifiant de rapport (répétable)."),
           year_from: int = typer.Option(None, help="Année minimale."),
           year_to: int = typer.Option(None, help="Année maximale.")) -> None:
    """Exporter tous les constats qui répondent aux filtres (CSV, JSON Lines, Parquet), avec provenance."""
    if fmt not in FORMATS:
        typer.secho(f"format inconnu : {fmt} (csv, jsonl ou parquet)", fg="red", err=True)
        raise typer.Exit(2)
    try:
        params = make_params(q=q, chamber=chamber, region=region, departement=departement,
                             body_kind=body_kind, insee=insee, siren=siren, kind=kind,
                             theme=theme, status=status, sector=sector, report_id=report_id,
                             year_from=year_from, year_to=year_to)
    except RequestValidationError as exc:
        for e in french_errors(list(exc.errors())):
            typer.secho(f"{e['parametre']} : {e['message']}", fg="red", err=True)
        raise typer.Exit(2) from None
    tmp = None if str(output) == "-" else output.with_name(output.name + ".part")
    if tmp is not None and not output.parent.is_dir():
        typer.secho(f"dossier introuvable : {output.parent}", fg="red", err=True)
        raise typer.Exit(2)
    with Services(get_settings()).session() as session:
        if tmp is None:
            n = export_batches_to_file(fmt, iter_matching_batches(session, params), sys.stdout.buffer)
        else:
            with open(tmp, "wb") as fh:
                n = export_batches_to_file(fmt, iter_matching_batches(session, params), fh)
            tmp.replace(output)  # a failed export never leaves a half file under the name
    typer.echo(f"{n} constats exportés" + (f" dans {output}" if tmp else ""), err=True)


def recurring(threshold: float = typer.Option(None, min=0.0, max=1.0,
                                              help="Similarité minimale (défaut : celle mesurée)."),
              embedder: str = typer.Option(None, help="Embedder (défaut : réglage embedder).")) -> None:
    """Calculer les groupes de constats récurrents servis par GET /api/recurring."""
    s = get_settings()
    if embedder:
        s = s.model_copy(update={"embedder": embedder})
    svc = Services(s)
    try:
        emb = svc.embedder()
    except Exception as exc:  # noqa: BLE001 - reported below
        emb, why = None, str(exc)
    else:
        why = "embedder 'none'"
    if emb is None:
        typer.secho(f"impossible de calculer les constats récurrents sans embedder ({why})",
                    fg="red", err=True)
        raise typer.Exit(1)
    with svc.session() as session:
        data = compute(iter_findings(session), emb, threshold=threshold)
    path = groups_path(s.state_dir)
    write(path, data)
    typer.echo(f"{len(data['groups'])} groupes sur {data['findings']} constats écrits dans {path}")


def newsletter_send() -> None:
    """Envoyer les lettres d'information dues (nouveaux constats des recherches suivies)."""
    svc = Services(get_settings())
    try:
        n = send_digests(svc)
    finally:
        svc.close()
    typer.echo(f"{n} lettre{'s' if n != 1 else ''} envoyée{'s' if n != 1 else ''}")


def register(app: typer.Typer) -> None:
    newsletter = typer.Typer(help="La lettre d'information : recherches suivies par courriel.")
    newsletter.command("send")(newsletter_send)
    app.add_typer(newsletter, name="newsletter")
    app.command("serve")(serve)
    app.command("export")(export)
    app.command("recurring")(recurring)
