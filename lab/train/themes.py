"""Training and held-out evaluation of the theme classifier, reproducibly, from the hand labels.

Data: the hand labels of ``labels.jsonl`` (adjudicated against TAXONOMY.md v1.1) and of
``labels_more.jsonl`` (every chamber and year, recommendation and rappel sentences inside
paragraphs), read together: both files are the training data and both are hashed into the
artefact's version. Spans are resolved to text from the corpus; no corpus text is stored.

Evaluation (``lab.train.validation``): every design is trained and tested twice, on 5 folds of
reports (near-duplicate reports in one fold) and leaving one chamber out, giving out-of-fold
probabilities for every label; they are calibrated by cross-fitted temperature scaling.
Observations are classified with their heading path; recommendations and rappels with the path
of the body section they sit in (``nlp.headings.finding_heading``) and, scored apart, with no
heading at all (as in a report's list). The design is chosen on the report folds, fold by fold
(the design applied to a fold is the one with the best macro-F1 on the OTHER folds), so the
chosen design's numbers are not inflated by the choice; the final model is the design that the
whole of the report folds prefer, retrained on every label.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix
from threadpoolctl import threadpool_limits

from constats.config import get_settings
from lab.paths import CLASSIFIER_PATH, LABELS_MORE2_PATH, LABELS_MORE_PATH, LABELS_PATH, resolve
from lab.train import data as td
from lab.train import validation as va
from lab.train.designs import Embeddings, Ensemble, FeatureCache, Item, Linear
from lab.train.validation import CLASSES, Split
from nlp.classify import ThemeClassifier
from nlp.embed import UseEmbedder
from nlp.headings import WEAK_HEADING_THEMES, finding_heading
from nlp.metadata import body_kind
from nlp.sectors import guess_sector

#: The training data: the hand-label files, read together (``labels_more2.jsonl``: a uniform random
#: sample of findings, h18f, models/themes/LABELS_MORE.md).
LABEL_FILES: tuple[Path, ...] = (LABELS_PATH, LABELS_MORE_PATH, LABELS_MORE2_PATH)
#: Kinds scored apart.
KIND_GROUPS = {"observation": ("observation",), "recommandation": ("recommandation",),
               "rappel_au_droit": ("rappel_au_droit",), "reco+rappel": ("recommandation", "rappel_au_droit")}
DEFAULT_DESIGN = "tfidf"


def _paths(label_files: Path | Sequence[Path]) -> list[Path]:
    return [Path(label_files)] if isinstance(label_files, str | Path) else [Path(p) for p in label_files]


def labels_hash(label_files: Path | Sequence[Path] = LABEL_FILES, extra: str = "") -> str:
    """Hash of the training data: the label files (in order) and the heading keyword table."""
    digest = hashlib.sha256()
    for path in _paths(label_files):
        digest.update(path.read_bytes())
    digest.update(repr(WEAK_HEADING_THEMES).encode())
    digest.update(extra.encode())
    return digest.hexdigest()[:16]


# --------------------------------------------------------------------------- data
def hand_items(label_files: Path | Sequence[Path], corpus_dir: Path) -> list[Item]:
    """Every hand label as an ``Item``, with its report's chamber and near-duplicate group."""
    rows = [r for p in _paths(label_files) for r in td.read_labels(p)]
    chambers = td.report_chambers(corpus_dir)
    meta = td.corpus_metadata(corpus_dir)
    groups = td.near_duplicate_groups(corpus_dir, [r["key"] for r in rows])
    out = []
    for lab in td.label_texts(rows, corpus_dir):
        heading = " > ".join(t.strip() for t in lab["path_texts"])
        out.append(Item(lab["key"], lab["start"], lab["end"], lab["text"], heading, lab["kind"], lab["primary"],
                        sector=lab.get("sector"), themes=(lab["primary"], *lab.get("secondary", [])),
                        source=lab.get("source", "labels"),
                        chamber=(chambers.get(lab["key"]) or {}).get("chamber"), group=groups[lab["key"]],
                        body_kind=body_kind((meta.get(lab["key"]) or {}).get("title") or "")))
    return out


def eval_heading(it: Item, bare: bool = False) -> str:
    """The heading an item is classified with: observations their path; recommendations and
    rappels the path of the body section they sit in, or none with ``bare`` (a list)."""
    if it.kind == "observation":
        return it.heading
    return "" if bare else finding_heading(it.kind, it.heading.split(" > "))


def training_items(items: list[Item]) -> list[Item]:
    """Items with the heading they are classified with; each recommendation or rappel that has a
    body heading is ALSO given once without it, so that one model serves a body section and a list."""
    out = [replace(i, heading=eval_heading(i)) for i in items]
    out += [replace(i, heading="") for i in items if i.kind != "observation" and eval_heading(i)]
    return out


def designs(emb: Callable[[], Embeddings], seed: int, cache: FeatureCache | None = None,
            extra: bool = False) -> dict[str, Callable[[], object]]:
    """The candidates, by name (``emb`` gives the shared embedding cache, built on first use;
    ``cache`` shares fitted TF-IDF features between designs trained on the same fold). ``extra``
    adds designs measured once and not kept in the default comparison (the runtime cannot serve
    them): the audited body's kind as context."""
    more = {"tfidf+body": lambda: Linear(("tfidf", "body"), seed=seed, cache=cache)} if extra else {}
    return {
        "tfidf": lambda: Linear(("tfidf",), seed=seed, cache=cache),
        "use+usehead": lambda: Linear(("use", "usehead"), emb(), C=4.0, seed=seed),
        "tfidf+use": lambda: Linear(("tfidf", "use"), emb(), seed=seed, cache=cache),
        "two-step tfidf": lambda: Linear(("tfidf",), two_step=True, seed=seed, cache=cache),
        "ensemble tfidf | use+usehead": lambda: Ensemble(
            [(lambda: Linear(("tfidf",), seed=seed, cache=cache), 0.6),
             (lambda: Linear(("use", "usehead"), emb(), C=4.0, seed=seed), 0.4)], "ensemble tfidf | use+usehead"),
    } | more


#: Designs the runtime (``nlp.classify.ThemeClassifier``) can serve; the others are compared only.
#: The ensemble reads the findings' sentence embeddings (computed once by the worker for the
#: classifier and the index) and one embedding per distinct heading path of a report.
SERVABLE = {"tfidf", "tfidf+use", "two-step tfidf", "ensemble tfidf | use+usehead"}


# --------------------------------------------------------------------------- evaluation
def out_of_fold(make: Callable[[], object], items: list[Item], splits: list[Split],
                log: Callable[..., None] = print) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities of every item (with its heading) and of every item given no heading
    to recommendations and rappels (observations unchanged), by the same fold models."""
    proba = np.zeros((len(items), len(CLASSES)))
    bare = np.zeros_like(proba)
    for s in splits:
        t = time.perf_counter()
        model = make().fit(training_items([items[i] for i in s.train]))
        test = [items[i] for i in s.test]
        texts = [i.text for i in test]
        bodies = [i.body_kind for i in test]
        proba[s.test] = model.proba(texts, [eval_heading(i) for i in test], bodies)
        bare[s.test] = model.proba(texts, [eval_heading(i, bare=True) for i in test], bodies)
        log(f"    {s.name}: {len(s.test)} tested, {time.perf_counter() - t:.0f} s")
    return proba, bare


def score(items: list[Item], proba: np.ndarray, bare: np.ndarray, splits: list[Split], seed: int = 0,
          reps: int = va.BOOTSTRAP_REPS) -> dict:
    """Held-out scores of out-of-fold probabilities, after cross-fitted temperature scaling."""
    y = [i.label for i in items]
    groups = [i.group for i in items]
    cal, temps = va.cross_fitted_calibration(proba, y, splits)
    pred = [CLASSES[j] for j in proba.argmax(axis=1)]
    pred_bare = [CLASSES[j] for j in bare.argmax(axis=1)]
    out: dict = {"macro_f1": round(va.macro_f1(y, pred), 4), "ci95": va.macro_f1_ci(y, pred, groups, seed, reps),
                 "accuracy": round(float(np.mean([a == b for a, b in zip(y, pred)])), 4),
                 "ece": va.expected_calibration_error(cal, y),
                 "ece_uncalibrated": va.expected_calibration_error(proba, y),
                 "temperatures": temps, "kinds": {}}
    for name, kinds in KIND_GROUPS.items():
        idx = [k for k, i in enumerate(items) if i.kind in kinds]
        sub_y, sub_p = [y[k] for k in idx], [pred[k] for k in idx]
        entry = {"n": len(idx), "macro_f1": round(va.macro_f1(sub_y, sub_p), 4),
                 "ci95": va.macro_f1_ci(sub_y, sub_p, [groups[k] for k in idx], seed, reps)}
        if kinds != ("observation",):
            entry["macro_f1_no_heading"] = round(va.macro_f1(sub_y, [pred_bare[k] for k in idx]), 4)
        out["kinds"][name] = entry
    out["sources"] = {}
    for src in sorted({i.source for i in items}):
        idx = [k for k, i in enumerate(items) if i.source == src]
        out["sources"][src] = {"n": len(idx), "macro_f1": round(va.macro_f1([y[k] for k in idx],
                                                                            [pred[k] for k in idx]), 4)}
    out["per_class"] = va.per_class(y, pred)
    out["min_class_f1"] = min(v["f1"] for v in out["per_class"].values())
    return out


@dataclass
class DesignResult:
    name: str
    by_report: dict
    by_chamber: dict
    proba_report: np.ndarray = field(repr=False)
    proba_chamber: np.ndarray = field(repr=False)


def choose_per_fold(results: dict[str, DesignResult], items: list[Item],
                    splits: list[Split]) -> tuple[list, np.ndarray]:
    """For each report fold, the design with the best macro-F1 on the other folds' out-of-fold
    predictions, and the out-of-fold probabilities of that choice: an honest score of "compare
    the designs, keep the best"."""
    y = np.array([i.label for i in items])
    chosen, proba = [], np.zeros((len(items), len(CLASSES)))
    for s in splits:
        others = np.setdiff1d(np.arange(len(items)), s.test)

        def f1_on_others(name: str) -> float:
            p = results[name].proba_report[others].argmax(axis=1)
            return va.macro_f1(y[others], [CLASSES[j] for j in p])

        best = max(sorted(results), key=lambda n: (f1_on_others(n), n == DEFAULT_DESIGN))
        chosen.append(best)
        proba[s.test] = results[best].proba_report[s.test]
    return chosen, proba


def choose_design(results: dict[str, DesignResult], items: list[Item], seed: int = 0,
                  reps: int = va.BOOTSTRAP_REPS) -> tuple[str, dict]:
    """The default (cheapest) design, unless another one's gain over it is beyond the noise: its
    paired 95 % bootstrap interval above 0 on held-out reports and, when measured, on held-out
    chambers. Among those (and the designs the runtime serves), the best macro-F1 by report.
    Returns the choice and every gain."""
    y = [i.label for i in items]
    groups = [i.group for i in items]
    base = results[DEFAULT_DESIGN]
    gains, winners = {}, []
    for name, r in results.items():
        if name == DEFAULT_DESIGN:
            continue
        g: dict = {}
        for scheme, pa, pb in (("by_report", base.proba_report, r.proba_report),
                               ("by_chamber", base.proba_chamber, r.proba_chamber)):
            if scheme == "by_chamber" and not r.by_chamber:
                continue
            a = [CLASSES[j] for j in pa.argmax(axis=1)]
            b = [CLASSES[j] for j in pb.argmax(axis=1)]
            g[scheme] = {"gain": round(va.macro_f1(y, b) - va.macro_f1(y, a), 4),
                         "ci95": va.paired_gain_ci(y, a, b, groups, seed, reps)}
        gains[name] = g
        if name in SERVABLE and all(v["ci95"][0] > 0 for v in g.values()):
            winners.append(name)
    chosen = max(winners, key=lambda n: results[n].by_report["macro_f1"]) if winners else DEFAULT_DESIGN
    return chosen, gains


# --------------------------------------------------------------------------- train
@dataclass
class TrainReport:
    chosen: str
    n_labels: int
    n_reports: int
    n_chambers: int
    label_files: list[str]
    by_report: dict
    by_chamber: dict
    selection: dict
    threshold: float
    temperature: float
    low_confidence: dict
    reliability: list[dict]
    confusion: list[list[int]]
    comparison: dict[str, dict]
    sector_accuracy: dict
    secondary_recall: float | None
    data_hash: str
    version: str
    seconds: float
    classes: list[str] = field(default_factory=lambda: list(CLASSES))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)


def _summary(r: dict) -> dict:
    return {k: r[k] for k in ("macro_f1", "ci95", "accuracy", "ece", "min_class_f1")} | {
        "kinds": {k: {kk: v[kk] for kk in ("macro_f1", "macro_f1_no_heading") if kk in v}
                  for k, v in r["kinds"].items()}}


def train(label_files: Path | Sequence[Path] = LABEL_FILES, corpus_dir: Path | None = None,
          out_path: Path = CLASSIFIER_PATH, seed: int = 0, compare: bool = True, chambers: bool = True,
          reps: int = va.BOOTSTRAP_REPS, extra: bool = False, log: Callable[..., None] = print) -> TrainReport:
    """Evaluate the designs on held-out reports and chambers, keep the best, calibrate it,
    retrain it on every label and save it to ``out_path``; seeded (same data → same artefact).

    ``compare=False`` evaluates the default design only; ``chambers=False`` skips the
    leave-one-chamber-out evaluation (tests)."""
    t0 = time.perf_counter()
    random.seed(seed)
    np.random.seed(seed)
    corpus_dir = resolve(Path(corpus_dir or get_settings().corpus_dir))
    if not (corpus_dir / "txt").is_dir():
        raise FileNotFoundError(f"corpus not found at {corpus_dir}: the labels point into it")
    items = hand_items(label_files, corpus_dir)
    groups = [i.group for i in items]
    report_splits = va.report_folds(groups)
    chamber_splits = va.chamber_folds([i.chamber for i in items], groups) if chambers else []
    log(f"{len(items)} hand labels, {len(set(i.key for i in items))} reports "
        f"({len(set(groups))} groups of near-duplicates), {len(chamber_splits)} chambers")
    cache: dict[str, Embeddings] = {}

    def emb() -> Embeddings:
        if "e" not in cache:
            cache["e"] = Embeddings(UseEmbedder(threads=1))
            cache["e"].add([i.text for i in items] + [eval_heading(i) for i in items])
        return cache["e"]

    candidates = designs(emb, seed, FeatureCache(), extra)
    if not compare:
        candidates = {DEFAULT_DESIGN: candidates[DEFAULT_DESIGN]}
    results: dict[str, DesignResult] = {}
    with threadpool_limits(1):  # one BLAS/OpenMP thread: much faster on a shared 2-core machine
        for name, make in candidates.items():
            t = time.perf_counter()
            pr, br = out_of_fold(make, items, report_splits, log)
            by_report = score(items, pr, br, report_splits, seed, reps)
            pc = np.zeros_like(pr)
            by_chamber: dict = {}
            if chamber_splits:
                pc, bc = out_of_fold(make, items, chamber_splits, log)
                by_chamber = score(items, pc, bc, chamber_splits, seed, reps)
            results[name] = DesignResult(name, by_report, by_chamber, pr, pc)
            log(f"  {name:32s} by report {by_report['macro_f1']:.3f} {by_report['ci95']}"
                + (f"  by chamber {by_chamber['macro_f1']:.3f} {by_chamber['ci95']}" if by_chamber else "")
                + f"  ({time.perf_counter() - t:.0f} s)")
    y = [i.label for i in items]
    per_fold, proba_sel = choose_per_fold(results, items, report_splits)
    pred_sel = [CLASSES[j] for j in proba_sel.argmax(axis=1)]
    chosen, gains = choose_design(results, items, seed, reps)
    selection = {"rule": "the default design unless another beats it on held-out reports AND chambers with a "
                         "paired 95 % interval of the gain above 0; then the one with the best macro-F1 by report",
                 "gains_over_default": gains, "per_fold": per_fold,
                 "per_fold_macro_f1": round(va.macro_f1(y, pred_sel), 4),
                 "per_fold_ci95": va.macro_f1_ci(y, pred_sel, groups, seed, reps)}
    res = results[chosen]
    temperature = va.fit_temperature(res.proba_report, y)
    cal_report, _ = va.cross_fitted_calibration(res.proba_report, y, report_splits)
    threshold = va.choose_threshold(cal_report, y)
    low = _low_confidence(cal_report, y, threshold)
    if chamber_splits:
        cal_chamber, _ = va.cross_fitted_calibration(res.proba_chamber, y, chamber_splits)
        low["by_chamber"] = _low_confidence(cal_chamber, y, threshold)["by_report"]
    pred = [CLASSES[j] for j in res.proba_report.argmax(axis=1)]
    with threadpool_limits(1):
        final = candidates[chosen]().fit(training_items(items))
    data_hash = labels_hash(label_files)
    metrics = {"design": chosen, "by_report": _summary(res.by_report),
               "by_chamber": _summary(res.by_chamber) if res.by_chamber else None,
               "per_class_f1": {c: v["f1"] for c, v in res.by_report["per_class"].items()},
               "per_class_f1_by_chamber": ({c: v["f1"] for c, v in res.by_chamber["per_class"].items()}
                                           if res.by_chamber else None),
               "ece": res.by_report["ece"], "n_labels": len(items)}
    clf = ThemeClassifier.from_design(final, threshold=threshold, temperature=temperature, data_hash=data_hash,
                                      trained_on=f"{len(items)} hand labels", metrics=metrics)
    clf.save(out_path)
    report = TrainReport(
        chosen=chosen, n_labels=len(items), n_reports=len({i.key for i in items}), n_chambers=len(chamber_splits),
        label_files=[str(p.name) for p in _paths(label_files)],
        by_report=res.by_report, by_chamber=res.by_chamber, selection=selection, threshold=threshold,
        temperature=temperature, low_confidence=low, reliability=va.reliability(cal_report, y),
        confusion=confusion_matrix(y, pred, labels=CLASSES).tolist(),
        comparison={n: {"by_report": _summary(r.by_report), "by_chamber": _summary(r.by_chamber) if r.by_chamber
                        else None} for n, r in results.items()},
        sector_accuracy=_sector_accuracy(items), secondary_recall=_secondary_recall(items, cal_report, pred, clf),
        data_hash=data_hash, version=clf.version, seconds=round(time.perf_counter() - t0, 1))
    return report


def _low_confidence(proba: np.ndarray, y: list[str], threshold: float) -> dict:
    conf = proba.max(axis=1)
    correct = np.array([CLASSES[j] == t for j, t in zip(proba.argmax(axis=1), y)])
    kept = conf >= threshold
    return {"by_report": {"threshold": threshold, "kept": round(float(kept.mean()), 3),
                          "accuracy_kept": round(float(correct[kept].mean()), 3) if kept.any() else None,
                          "accuracy_low": round(float(correct[~kept].mean()), 3) if (~kept).any() else None}}


def _secondary_recall(items: list[Item], proba: np.ndarray, pred: list[str], clf: ThemeClassifier) -> float | None:
    """Recall of the hand secondary themes among the predicted themes (p ≥ the secondary threshold)."""
    hits = total = 0
    for k, it in enumerate(items):
        predicted = {CLASSES[j] for j in np.where(proba[k] >= clf.secondary_threshold)[0]} | {pred[k]}
        for t in it.themes[1:]:
            total += 1
            hits += t in predicted
    return round(hits / total, 3) if total else None


def _sector_accuracy(items: list[Item]) -> dict:
    """Keyword sectors against the hand sectors, on the labels where ``politique_publique`` is among
    the themes (the findings the runtime gives a sector to)."""
    pp = [i for i in items if i.sector and "politique_publique" in i.themes]
    hits = [guess_sector(f"{eval_heading(i)} {i.text}") == i.sector for i in pp]
    return {"n": len(pp), "accuracy": round(float(np.mean(hits)), 3) if hits else None}
