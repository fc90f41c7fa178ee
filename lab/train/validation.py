"""Held-out evaluation of the theme classifier: splits, calibration, scores and intervals.

Two ways of holding data out, both keeping every finding of a report (and of its near-duplicate
reports, ``lab.train.data.near_duplicate_groups``) on the same side:
- **by report**: 5 folds of report groups (``GroupKFold``), the model never sees the report it
  is tested on;
- **leave one chamber out**: one fold per chamber, the model never sees the chamber (its
  templates, its wording, its bodies) it is tested on.

Probabilities are calibrated by temperature scaling, *cross-fitted*: the temperature applied to
a fold's predictions is fitted on the out-of-fold predictions of the OTHER folds, so no finding's
label tunes its own calibration. Intervals are 95 % percentile bootstraps over report groups.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from constats.taxonomy import THEMES

CLASSES = list(THEMES)
N_FOLDS = 5
BOOTSTRAP_REPS = 1000


@dataclass(frozen=True)
class Split:
    """One fold: indices of the training and test findings, and a name ("fold 2", a chamber)."""

    name: str
    train: np.ndarray
    test: np.ndarray


def report_folds(groups: Sequence[str], n_folds: int = N_FOLDS) -> list[Split]:
    """``n_folds`` folds of report groups (deterministic: GroupKFold balances fold sizes)."""
    idx = np.arange(len(groups))
    return [Split(f"fold {k + 1}", tr, te)
            for k, (tr, te) in enumerate(GroupKFold(n_splits=n_folds).split(idx, groups=list(groups)))]


def chamber_folds(chambers: Sequence[str | None], groups: Sequence[str]) -> list[Split]:
    """One fold per chamber. A near-duplicate group spanning two chambers (a report filed under
    two départements) goes wholly to the chamber of its first finding, so no copy is trained on."""
    chamber_of_group: dict[str, str] = {}
    for ch, g in zip(chambers, groups):
        chamber_of_group.setdefault(g, ch or "inconnue")
    fold_of = np.array([chamber_of_group[g] for g in groups])
    return [Split(ch, np.where(fold_of != ch)[0], np.where(fold_of == ch)[0]) for ch in sorted(set(fold_of))]


# --------------------------------------------------------------------------- calibration
def temper(proba: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax of log-probabilities divided by ``temperature`` (> 1 flattens, < 1 sharpens)."""
    logits = np.log(np.clip(proba, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(proba: np.ndarray, y: Sequence[str]) -> float:
    """The temperature minimising the negative log-likelihood of the true classes."""
    cols = np.array([CLASSES.index(c) for c in y])
    if not len(cols):
        return 1.0

    def nll(log_t: float) -> float:
        p = temper(proba, float(np.exp(log_t)))
        return float(-np.mean(np.log(np.clip(p[np.arange(len(cols)), cols], 1e-12, 1.0))))

    res = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return round(float(np.exp(res.x)), 4)


def cross_fitted_calibration(proba: np.ndarray, y: Sequence[str], splits: list[Split]) -> tuple[np.ndarray, list]:
    """Calibrated out-of-fold probabilities: each fold tempered by a temperature fitted on the
    other folds' out-of-fold probabilities. Returns them and the temperature of each fold."""
    out = np.zeros_like(proba)
    temps = []
    y = list(y)
    for s in splits:
        others = np.setdiff1d(np.arange(len(y)), s.test)
        t = fit_temperature(proba[others], [y[i] for i in others])
        out[s.test] = temper(proba[s.test], t)
        temps.append(t)
    return out, temps


def reliability(proba: np.ndarray, y: Sequence[str], bins: int = 10) -> list[dict]:
    """Reliability diagram: per confidence bin, count, mean confidence and accuracy."""
    conf = proba.max(axis=1)
    correct = np.array([CLASSES[j] == t for j, t in zip(proba.argmax(axis=1), y)])
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        m = (conf >= lo) & ((conf < hi) if b < bins - 1 else (conf <= hi))
        rows.append({"bin": f"{lo:.1f}–{hi:.1f}", "n": int(m.sum()),
                     "confidence": round(float(conf[m].mean()), 3) if m.any() else None,
                     "accuracy": round(float(correct[m].mean()), 3) if m.any() else None})
    return rows


def expected_calibration_error(proba: np.ndarray, y: Sequence[str], bins: int = 10) -> float:
    """ECE with ``bins`` equal-width confidence bins, weighted by the share of findings in each."""
    n = len(y)
    if not n:
        return float("nan")
    return round(float(sum(r["n"] / n * abs(r["confidence"] - r["accuracy"])
                           for r in reliability(proba, y, bins) if r["n"])), 4)


def choose_threshold(proba: np.ndarray, y: Sequence[str], target: float = 0.85, min_kept: int = 20) -> float:
    """Lowest confidence threshold at which the predictions kept reach ``target`` accuracy."""
    conf = proba.max(axis=1)
    correct = np.array([CLASSES[j] == t for j, t in zip(proba.argmax(axis=1), y)])
    for t in np.arange(0.20, 0.951, 0.025):
        kept = conf >= t
        if kept.sum() >= min_kept and correct[kept].mean() >= target:
            return round(float(t), 3)
    return 0.5


# --------------------------------------------------------------------------- scores
def macro_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    """Macro-F1 over the classes present in ``y_true`` (a class absent from a subset is not scored)."""
    labels = sorted(set(y_true))
    if not labels:
        return float("nan")
    return float(f1_score(list(y_true), list(y_pred), labels=labels, average="macro", zero_division=0))


def per_class(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, dict]:
    p, r, f, s = precision_recall_fscore_support(list(y_true), list(y_pred), labels=CLASSES, zero_division=0)
    return {c: {"precision": round(float(p[k]), 3), "recall": round(float(r[k]), 3), "f1": round(float(f[k]), 3),
                "support": int(s[k])} for k, c in enumerate(CLASSES)}


def bootstrap(groups: Sequence[str], stat: Callable[[np.ndarray], float], reps: int = BOOTSTRAP_REPS,
              seed: int = 0) -> tuple[float, float]:
    """95 % percentile interval of ``stat(indices)`` over resamples of the report groups."""
    rows_of: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        rows_of.setdefault(g, []).append(i)
    keys = sorted(rows_of)
    if not keys:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(reps):
        idx = np.fromiter((j for k in rng.integers(0, len(keys), len(keys)) for j in rows_of[keys[k]]), dtype=int)
        v = stat(idx)
        if not np.isnan(v):
            values.append(v)
    lo, hi = np.percentile(values, [2.5, 97.5])
    return round(float(lo), 4), round(float(hi), 4)


def macro_f1_ci(y: Sequence[str], pred: Sequence[str], groups: Sequence[str], seed: int = 0,
                reps: int = BOOTSTRAP_REPS) -> tuple[float, float]:
    y_arr, p_arr = np.asarray(y), np.asarray(pred)
    return bootstrap(groups, lambda idx: macro_f1(y_arr[idx], p_arr[idx]), reps, seed)


def paired_gain_ci(y: Sequence[str], pred_a: Sequence[str], pred_b: Sequence[str], groups: Sequence[str],
                   seed: int = 0, reps: int = BOOTSTRAP_REPS) -> tuple[float, float]:
    """95 % interval of macro-F1(b) − macro-F1(a) on the same resamples of report groups."""
    y_arr, a_arr, b_arr = np.asarray(y), np.asarray(pred_a), np.asarray(pred_b)
    return bootstrap(groups, lambda idx: macro_f1(y_arr[idx], b_arr[idx]) - macro_f1(y_arr[idx], a_arr[idx]),
                     reps, seed)
