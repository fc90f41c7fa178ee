"""Command-line entry points of this package (registered by constats.cli)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract(
        file: Path = typer.Argument(..., help="Fichier PDF d'un rapport."),
        pretty: bool = typer.Option(False, "--pretty", help="JSON indenté."),
        report_id: str | None = typer.Option(None, "--id", help="Identifiant du rapport (défaut : dérivé du sha256)."),
        no_ocr_cache: bool = typer.Option(False, "--no-ocr-cache", help="Ne pas utiliser le cache d'OCR."),
        themes: bool = typer.Option(True, "--themes/--no-themes", help="Classer les constats par thème."),
    ) -> None:
        """Print the structured report of FILE.pdf as JSON (no services needed)."""
        from constats.config import get_settings
        from constats.domain import report_id_for, sha256_hex
        from nlp.errors import PdfError
        from nlp.report import understand

        try:
            data = file.read_bytes()
        except OSError as exc:
            typer.echo(f"erreur : impossible de lire {file} ({exc.strerror or exc})", err=True)
            raise typer.Exit(2) from exc
        sha = sha256_hex(data)
        cache = None if no_ocr_cache else get_settings().state_dir / "ocr-cache"
        try:
            report = understand(data, report_id or report_id_for(sha), sha256=sha, ocr_cache=cache)
        except PdfError as exc:
            typer.echo(f"erreur ({exc.code}) : {exc}", err=True)
            raise typer.Exit(2) from exc
        if themes:
            from nlp.classify import ThemeClassifier
            from nlp.report import with_themes

            try:
                report = with_themes(report, ThemeClassifier.load())
            except (FileNotFoundError, RuntimeError, ValueError) as exc:
                typer.echo(f"attention : constats non classés ({exc})", err=True)
        typer.echo(report.model_dump_json(indent=2 if pretty else None))
