"""``constats eval extraction``: score report understanding against the gold set.

Registered by ``constats.cli`` (add ``"nlp.eval_commands"`` to ``COMMAND_MODULES``).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

eval_app = typer.Typer(help="Quality on the corpus: extraction, themes, retrieval (numbers recorded in models/).",
                       no_args_is_help=True)


@eval_app.command("extraction")
def extraction(
    variant: str = typer.Option("all", help="all | text | scanned"),
    limit: int = typer.Option(0, help="Only the first N gold reports (0: all)."),
    scanned_limit: int = typer.Option(6, help="Gold reports read through OCR in the scanned variant (0: all)."),
    write: bool = typer.Option(True, help="Write models/gold/EVALUATION.md."),
    errors: Path = typer.Option(None, help="Write every per-report error (fp, fn, metadata) as JSON here."),
    ocr_cache: Path = typer.Option(None, help="OCR cache directory for the scanned variant (when warm, the "
                                              "time per page is a re-read's, not OCR's)."),
) -> None:
    """Render every gold report to PDF, read it, and print precision/recall/F1 per field."""
    from nlp.eval_run import EVALUATION_PATH, evaluate, markdown  # noqa: PLC0415
    from nlp.evaluate import format_table, load_gold  # noqa: PLC0415

    if variant not in ("all", "text", "scanned"):
        raise typer.BadParameter("variant must be all, text or scanned")

    def progress(name, key, report):
        typer.echo(f"  [{name}] {key}: {report.n_pages} pages, {len(report.findings)} findings", err=True)

    runs = evaluate(variant, limit or None, scanned_limit or None, progress=progress, ocr_cache=ocr_cache)
    for run in runs:
        typer.echo(format_table(run.scores, f"{run.name}{' (OCR)' if run.scanned else ''}"))
        typer.echo(f"{run.reports} reports, {run.pages} pages, {run.seconds_per_page:.3f} s/page, "
                   f"{len(run.failures)} extraction failures, {len(run.render_failures)} not rendered\n")
    if write:
        EVALUATION_PATH.write_text(markdown(runs, len(load_gold())), encoding="utf-8")
        typer.echo(f"written {EVALUATION_PATH}")
    if errors:
        errors.write_text(json.dumps({r.name: {"errors": r.scores["errors"], "failures": r.failures,
                                               "render_failures": r.render_failures}
                                      for r in runs}, ensure_ascii=False, indent=1), encoding="utf-8")


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
