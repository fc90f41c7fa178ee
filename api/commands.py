"""``constats serve`` and ``constats export``: thin layers over the library."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(host: str = typer.Option(None, help="Adresse d'écoute (défaut : réglage api_host)."),
              port: int = typer.Option(None, help="Port (défaut : réglage api_port)."),
              workers: int = typer.Option(1, min=1, max=16, help="Processus uvicorn.")) -> None:
        """Serve the API and the pages."""
        import uvicorn

        from constats.config import get_settings

        s = get_settings()
        uvicorn.run("api.app:create_app", factory=True, host=host or s.api_host,
                    port=port or s.api_port, workers=workers, log_level="info")

    @app.command("export")
    def export(fmt: str = typer.Option("csv", "--format", "-f", help="csv, jsonl ou parquet"),
               output: Path = typer.Option(..., "--output", "-o", help="Fichier à écrire ('-' : sortie standard)."),
               q: str = typer.Option("", help="Mots que chaque constat doit contenir."),
               chamber: list[str] = typer.Option(None, help="Chambre (répétable)."),
               region: list[str] = typer.Option(None), departement: list[str] = typer.Option(None),
               body_kind: list[str] = typer.Option(None), insee: list[str] = typer.Option(None),
               siren: list[str] = typer.Option(None), kind: list[str] = typer.Option(None),
               theme: list[str] = typer.Option(None), status: list[str] = typer.Option(None),
               sector: list[str] = typer.Option(None), report_id: list[str] = typer.Option(None),
               year_from: int = typer.Option(None), year_to: int = typer.Option(None)) -> None:
        """Export every matching finding (CSV, JSON Lines or Parquet) with provenance."""
        import sys

        from fastapi.exceptions import RequestValidationError

        from api.errors import french_errors
        from api.export import FORMATS, export_to_file
        from api.filters import iter_matching, make_params
        from constats.config import get_settings
        from store.db import session_scope

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
            raise typer.Exit(2)
        tmp = None if str(output) == "-" else output.with_name(output.name + ".part")
        with session_scope(get_settings().db_url) as session:
            if tmp is None:
                n = export_to_file(fmt, iter_matching(session, params), sys.stdout.buffer)
            else:
                with open(tmp, "wb") as fh:
                    n = export_to_file(fmt, iter_matching(session, params), fh)
                tmp.replace(output)  # a failed export never leaves a half file under the name
        typer.echo(f"{n} constats exportés" + (f" dans {output}" if tmp else ""), err=True)

    @app.command("recurring")
    def recurring(threshold: float = typer.Option(None, min=0.0, max=1.0,
                                                  help="Similarité minimale (défaut : celle mesurée)."),
                  embedder: str = typer.Option(None, help="Embedder (défaut : réglage embedder).")) -> None:
        """Compute the groups of recurring findings served by GET /api/recurring."""
        from api.recurring import compute, groups_path, write
        from constats.config import get_settings
        from store.db import session_scope
        from store.repo import iter_findings

        s = get_settings()
        try:
            from search.commands import project_embedder

            emb = project_embedder(embedder)
        except Exception as exc:  # noqa: BLE001
            emb, why = None, exc
        else:
            why = "embedder 'none'"
        if emb is None:
            typer.secho(f"impossible de calculer les constats récurrents sans embedder ({why})",
                        fg="red", err=True)
            raise typer.Exit(1)
        try:
            with session_scope(s.db_url) as session:
                data = compute(iter_findings(session), emb, threshold=threshold)
        except ImportError as exc:
            typer.secho(f"module de regroupement absent : {exc}", fg="red", err=True)
            raise typer.Exit(1)
        path = groups_path(s.state_dir)
        write(path, data)
        typer.echo(f"{len(data['groups'])} groupes sur {data['findings']} constats écrits dans {path}")

