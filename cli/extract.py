"""``constats extract FICHIER.pdf``: the structured report as JSON (no services needed)."""

from __future__ import annotations

from pathlib import Path

import typer

from constats.config import get_settings
from constats.domain import report_id_for, sha256_hex
from nlp.errors import PdfError
from nlp.report import understand, with_themes
from runtime.services import ModelsUnusable, Services


def extract(
    file: Path = typer.Argument(..., help="Fichier PDF d'un rapport."),
    pretty: bool = typer.Option(False, "--pretty", help="JSON indenté."),
    report_id: str | None = typer.Option(None, "--id", help="Identifiant du rapport (défaut : dérivé du sha256)."),
    no_ocr_cache: bool = typer.Option(False, "--no-ocr-cache", help="Ne pas utiliser le cache d'OCR."),
    themes: bool = typer.Option(True, "--themes/--no-themes", help="Classer les constats par thème."),
) -> None:
    """Écrire le rapport structuré de FICHIER.pdf en JSON (aucun service nécessaire)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"erreur : impossible de lire {file} ({exc.strerror or exc})", err=True)
        raise typer.Exit(2) from exc
    services = Services(get_settings())
    options = services.read_options()
    if no_ocr_cache:
        options["ocr_cache"] = None
    sha = sha256_hex(data)
    try:
        report = understand(data, report_id or report_id_for(sha), sha256=sha, **options)
    except PdfError as exc:
        typer.echo(f"erreur ({exc.code}) : {exc}", err=True)
        raise typer.Exit(2) from exc
    if themes:  # as the worker: a model that cannot be used is an error, not a silent warning
        try:
            services.check_models()
            classifier = services.classifier()
            embedder = services.classifier_embedder()  # a model reading embeddings: each text once
        except ModelsUnusable as exc:
            typer.echo(f"erreur : {exc} ; --no-themes pour extraire sans les thèmes", err=True)
            raise typer.Exit(1) from None
        if classifier is not None:
            report = with_themes(report, classifier, embedder=embedder)
    typer.echo(report.model_dump_json(indent=2 if pretty else None))


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
