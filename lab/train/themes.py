"""Training and evaluation of the theme classifier, reproducibly, from the labels.

Evaluation is on the hand labels only, by report (GroupKFold: every finding of a report is in
the same fold), giving out-of-fold predictions for every hand-labelled finding.
Recommendations and rappels au droit are predicted WITHOUT a heading (in a report's list they
have none), body observations with the heading they sit under; the two are reported apart.
Weak labels (body paragraphs whose heading names a theme, ``nlp.headings.weak_theme``) are
optional extra training data, always without their heading (the heading made their label),
and never from a report of the test fold. The 95 % confidence interval of the macro-F1 is a
bootstrap over reports.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from constats.config import get_settings
from constats.taxonomy import THEMES
from lab.paths import CLASSIFIER_PATH, LABELS_PATH, resolve
from lab.train import data as td
from nlp.classify import Featurizer, ThemeClassifier
from nlp.embed import UseEmbedder
from nlp.headings import WEAK_HEADING_THEMES, finding_heading, weak_theme
from nlp.sectors import guess_sector

CLASSES = list(THEMES)


def labels_hash(labels_path: Path = LABELS_PATH, extra: str = "") -> str:
    """Hash of the training data: the labels file and the weak-labelling rules."""
    digest = hashlib.sha256(Path(labels_path).read_bytes())
    digest.update(repr(WEAK_HEADING_THEMES).encode())
    digest.update(extra.encode())
    return digest.hexdigest()[:16]
N_FOLDS = 5


@dataclass
class Item:
    key: str
    text: str
    heading: str
    kind: str
    label: str
    weak: bool = False
    sector: str | None = None
    themes: tuple = ()


@dataclass
class TrainReport:
    chosen: str
    n_hand: int
    n_weak: int
    macro_f1: float
    ci95: tuple[float, float]
    macro_f1_reco_rappel: float
    macro_f1_reco_rappel_no_heading: float
    macro_f1_observation: float
    accuracy: float
    threshold: float
    coverage_at_threshold: float
    accuracy_at_threshold: float
    ece: float
    per_class: dict[str, dict]
    confusion: list[list[int]]
    comparison: dict[str, dict]
    sector_accuracy: float | None
    secondary_recall: float | None
    data_hash: str
    seconds: float
    classes: list[str] = field(default_factory=lambda: list(CLASSES))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)


# --------------------------------------------------------------------------- data
def hand_items(labels_path: Path, corpus_dir: Path) -> list[Item]:
    out = []
    for lab in td.label_texts(td.read_labels(labels_path), corpus_dir):
        heading = " > ".join(t.strip() for t in lab["path_texts"])
        out.append(Item(lab["key"], lab["text"], heading, lab["kind"], lab["primary"],
                        sector=lab.get("sector"), themes=tuple([lab["primary"], *lab.get("secondary", [])])))
    return out


def weak_items(corpus_dir: Path, exclude: list[dict], n: int, seed: int) -> list[Item]:
    """Body paragraphs labelled by their heading (keyword table), hand-labelled spans excluded."""
    taken = {(lab["key"], lab["start"]) for lab in exclude}
    meta = td.corpus_metadata(corpus_dir)
    pool: list[Item] = []
    for key in sorted(meta):
        if "-" in key or not meta[key]["doc_type"].startswith("Rapport d"):
            continue
        txt, heads = td.load_report(corpus_dir, key)
        if len(heads) < 5:
            continue
        for u in td.units(key, txt, heads, min_chars=200):
            if u.kind != "observation" or (key, u.start) in taken:
                continue
            theme = weak_theme(u.path[-2:])
            if theme:
                pool.append(Item(key, u.text, "", "observation", theme, weak=True))
    rng = random.Random(seed)
    rng.shuffle(pool)
    # balance: at most n // len(CLASSES) * 2 per class
    cap, per = max(1, 2 * n // len(CLASSES)), {}
    out = []
    for it in pool:
        if per.get(it.label, 0) < cap:
            per[it.label] = per.get(it.label, 0) + 1
            out.append(it)
        if len(out) >= n:
            break
    return out


# --------------------------------------------------------------------------- models
def _lr(seed: int) -> LogisticRegression:
    return LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced", random_state=seed)


class TfidfModel:
    name = "tfidf+logreg"

    def __init__(self, seed: int = 0):
        self.seed = seed

    def fit(self, items: list[Item]):
        self.feat = Featurizer().fit([i.text for i in items], [i.heading for i in items])
        self.clf = _lr(self.seed).fit(self.feat.transform([i.text for i in items], [i.heading for i in items]),
                                      [i.label for i in items])
        return self

    def proba(self, texts, headings) -> np.ndarray:
        return _align(self.clf, self.clf.predict_proba(self.feat.transform(texts, headings)))


class EmbeddingModel:
    """Sentence embeddings of text (+ heading, weighted) and a logistic regression."""

    name = "use-embeddings+logreg"

    def __init__(self, cache: dict, seed: int = 0, heading_weight: float = 0.6):
        self.cache, self.seed, self.hw = cache, seed, heading_weight

    def _x(self, texts, headings):

        if "embedder" not in self.cache:
            self.cache["embedder"] = UseEmbedder()
        emb = self.cache["embedder"]
        missing = [t for t in set(texts) | set(headings) if t not in self.cache]
        if missing:
            for t, v in zip(missing, emb.embed(missing)):
                self.cache[t] = v
        return np.hstack([np.vstack([self.cache[t] for t in texts]),
                          self.hw * np.vstack([self.cache[h] if h else np.zeros(512, np.float32) for h in headings])])

    def fit(self, items):
        self.clf = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced", random_state=self.seed)
        self.clf.fit(self._x([i.text for i in items], [i.heading for i in items]), [i.label for i in items])
        return self

    def proba(self, texts, headings):
        return _align(self.clf, self.clf.predict_proba(self._x(texts, headings)))


def _align(clf, proba: np.ndarray) -> np.ndarray:
    out = np.zeros((proba.shape[0], len(CLASSES)))
    for j, c in enumerate(clf.classes_):
        out[:, CLASSES.index(c)] = proba[:, j]
    return out


# --------------------------------------------------------------------------- evaluation
def _eval_heading(it: Item, reco_heading: bool = False) -> str:
    """Observations: their heading path. Recommendations and rappels: none, or with
    ``reco_heading`` the path of the body section they sit in (``nlp.headings.finding_heading``)."""
    if it.kind == "observation":
        return it.heading
    return finding_heading(it.kind, it.heading.split(" > ")) if reco_heading else ""


def _training_items(hand: list[Item], reco_heading: bool) -> list[Item]:
    """Hand items with the heading they are classified with. With ``reco_heading`` each
    recommendation or rappel that has a body heading is ALSO given once without it, so that the
    model learns both cases it meets: in a body section and in a list."""
    out = [Item(**{**asdict(i), "heading": _eval_heading(i, reco_heading)}) for i in hand]
    if reco_heading:
        out += [Item(**{**asdict(i), "heading": ""}) for i in hand
                if i.kind != "observation" and _eval_heading(i, True)]
    return out


def out_of_fold(make_model, hand: list[Item], weak: list[Item], seed: int,
                reco_heading: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities of every hand label, and the same models' probabilities with
    recommendations and rappels given NO heading (as in a report's list of recommendations).
    Weak labels of a test-fold report are never trained on, so no weak label shares a heading
    (or a report) with a test item."""
    groups = [i.key for i in hand]
    proba = np.zeros((len(hand), len(CLASSES)))
    proba_bare = np.zeros((len(hand), len(CLASSES)))
    for train_idx, test_idx in GroupKFold(n_splits=N_FOLDS).split(hand, groups=groups):
        test_keys = {hand[i].key for i in test_idx}
        train = [hand[i] for i in train_idx]
        train = _training_items(train, reco_heading)
        train += [w for w in weak if w.key not in test_keys]
        model = make_model().fit(train)
        test = [hand[i] for i in test_idx]
        proba[test_idx] = model.proba([i.text for i in test], [_eval_heading(i, reco_heading) for i in test])
        proba_bare[test_idx] = (model.proba([i.text for i in test], [_eval_heading(i) for i in test])
                                if reco_heading else proba[test_idx])
    return proba, proba_bare


def macro_f1(y_true, y_pred) -> float:
    labels = sorted(set(y_true))
    return float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0))


def bootstrap_ci(hand: list[Item], pred: list[str], seed: int, reps: int = 1000) -> tuple[float, float]:
    by_key: dict[str, list[int]] = {}
    for i, it in enumerate(hand):
        by_key.setdefault(it.key, []).append(i)
    keys = sorted(by_key)
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(reps):
        idx = [j for k in rng.choice(keys, size=len(keys), replace=True) for j in by_key[k]]
        scores.append(macro_f1([hand[j].label for j in idx], [pred[j] for j in idx]))
    lo, hi = np.percentile(scores, [2.5, 97.5])
    return round(float(lo), 4), round(float(hi), 4)


def expected_calibration_error(proba: np.ndarray, y_true: list[str], bins: int = 10) -> float:
    conf = proba.max(axis=1)
    correct = np.array([CLASSES[j] == y for j, y in zip(proba.argmax(axis=1), y_true)])
    ece = 0.0
    for lo in np.linspace(0, 1, bins, endpoint=False):
        m = (conf >= lo) & (conf < lo + 1 / bins)
        if m.any():
            ece += m.mean() * abs(conf[m].mean() - correct[m].mean())
    return round(float(ece), 4)


def choose_threshold(proba: np.ndarray, y_true: list[str], target: float = 0.85) -> float:
    """Lowest threshold at which the predictions kept reach ``target`` accuracy."""
    conf = proba.max(axis=1)
    correct = np.array([CLASSES[j] == y for j, y in zip(proba.argmax(axis=1), y_true)])
    for t in np.arange(0.20, 0.95, 0.025):
        kept = conf >= t
        if kept.sum() >= 20 and correct[kept].mean() >= target:
            return round(float(t), 3)
    return 0.5


def summarise(hand: list[Item], proba: np.ndarray, proba_bare: np.ndarray | None = None) -> dict:
    """Scores of out-of-fold probabilities; ``proba_bare`` (recommendations and rappels given no
    heading) adds ``macro_f1_reco_rappel_no_heading``."""
    y = [i.label for i in hand]
    pred = [CLASSES[j] for j in proba.argmax(axis=1)]
    bare = [CLASSES[j] for j in (proba if proba_bare is None else proba_bare).argmax(axis=1)]
    rr = [k for k, i in enumerate(hand) if i.kind != "observation"]
    ob = [k for k, i in enumerate(hand) if i.kind == "observation"]
    return {"macro_f1": round(macro_f1(y, pred), 4),
            "macro_f1_reco_rappel": round(macro_f1([y[k] for k in rr], [pred[k] for k in rr]), 4),
            "macro_f1_reco_rappel_no_heading": round(macro_f1([y[k] for k in rr], [bare[k] for k in rr]), 4),
            "macro_f1_observation": round(macro_f1([y[k] for k in ob], [pred[k] for k in ob]), 4),
            "accuracy": round(float(np.mean([a == b for a, b in zip(y, pred)])), 4),
            "ece": expected_calibration_error(proba, y)}


# --------------------------------------------------------------------------- train
def train(labels_path: Path = LABELS_PATH, corpus_dir: Path | None = None, out_path: Path = CLASSIFIER_PATH,
          seed: int = 0, n_weak: int = 600, compare: bool = True, log=print) -> TrainReport:
    """Compare the candidates by report-grouped cross-validation, keep the best, retrain it on
    all the data, save it to ``out_path``; everything seeded (same data → same artefact)."""

    t0 = time.perf_counter()
    random.seed(seed)
    np.random.seed(seed)
    corpus_dir = resolve(Path(corpus_dir or get_settings().corpus_dir))
    if not (corpus_dir / "txt").is_dir():
        raise FileNotFoundError(f"corpus not found at {corpus_dir}: the labels point into it")
    labels = td.read_labels(labels_path)
    hand = hand_items(labels_path, corpus_dir)
    weak = weak_items(corpus_dir, labels, n_weak, seed) if n_weak else []
    log(f"{len(hand)} hand-labelled findings, {len(weak)} weak labels")
    cache: dict = {}
    candidates = {"tfidf+logreg": lambda: TfidfModel(seed)}
    if compare:
        candidates["use-embeddings+logreg"] = lambda: EmbeddingModel(cache, seed)
    comparison, probas, reco_heads = {}, {}, {}
    for name, make in candidates.items():
        for reco_heading in ([False, True] if name.startswith("tfidf") else [False]):
            for use_weak in ([False, True] if weak else [False]):
                tag = f"{name}{' +recohead' if reco_heading else ''}{' +weak' if use_weak else ''}"
                p, bare = out_of_fold(make, hand, weak if use_weak else [], seed, reco_heading)
                probas[tag], reco_heads[tag] = p, reco_heading
                comparison[tag] = summarise(hand, p, bare)
                log(f"  {tag:40s} {comparison[tag]}")
    chosen = max(comparison, key=lambda k: (comparison[k]["macro_f1"], k.startswith("tfidf")))
    if not chosen.startswith("tfidf"):
        log(f"note: {chosen} scored best; the artefact format holds the TF-IDF model, "
            "keeping the best TF-IDF variant")
        chosen = max((k for k in comparison if k.startswith("tfidf")), key=lambda k: comparison[k]["macro_f1"])
    proba = probas[chosen]
    y = [i.label for i in hand]
    pred = [CLASSES[j] for j in proba.argmax(axis=1)]
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=CLASSES, zero_division=0)
    per_class = {c: {"precision": round(float(p[k]), 3), "recall": round(float(r[k]), 3),
                     "f1": round(float(f[k]), 3), "support": int(s[k])} for k, c in enumerate(CLASSES)}
    threshold = choose_threshold(proba, y)
    conf = proba.max(axis=1)
    kept = conf >= threshold
    correct = np.array([a == b for a, b in zip(y, pred)])
    # secondary themes: recall of hand secondary themes among predicted themes (p >= 0.25)
    sec_hits = sec_total = 0
    for k, it in enumerate(hand):
        predicted = {CLASSES[j] for j in np.where(proba[k] >= 0.25)[0]} | {pred[k]}
        for t in it.themes[1:]:
            sec_total += 1
            sec_hits += t in predicted
    pp = [it for it in hand if it.sector]
    reco_heading = reco_heads[chosen]
    sector_acc = (round(float(np.mean([guess_sector(f"{_eval_heading(i, reco_heading)} {i.text}") == i.sector
                                       for i in pp])), 3) if pp else None)
    use_weak = chosen.endswith("+weak")
    final = TfidfModel(seed).fit(_training_items(hand, reco_heading) + (weak if use_weak else []))
    data_hash = labels_hash(labels_path)
    clf = ThemeClassifier(final.feat, final.clf, list(final.clf.classes_), threshold=threshold,
                          data_hash=data_hash, trained_on=f"{len(hand)} hand + {len(weak) if use_weak else 0} weak",
                          metrics=comparison[chosen], reco_heading=reco_heading)
    clf.save(out_path)
    report = TrainReport(
        chosen=chosen, n_hand=len(hand), n_weak=len(weak) if use_weak else 0,
        macro_f1=comparison[chosen]["macro_f1"], ci95=bootstrap_ci(hand, pred, seed),
        macro_f1_reco_rappel=comparison[chosen]["macro_f1_reco_rappel"],
        macro_f1_reco_rappel_no_heading=comparison[chosen]["macro_f1_reco_rappel_no_heading"],
        macro_f1_observation=comparison[chosen]["macro_f1_observation"],
        accuracy=comparison[chosen]["accuracy"], threshold=threshold,
        coverage_at_threshold=round(float(kept.mean()), 3),
        accuracy_at_threshold=round(float(correct[kept].mean()), 3) if kept.any() else 0.0,
        ece=comparison[chosen]["ece"], per_class=per_class,
        confusion=confusion_matrix(y, pred, labels=CLASSES).tolist(), comparison=comparison,
        sector_accuracy=sector_acc, secondary_recall=round(sec_hits / sec_total, 3) if sec_total else None,
        data_hash=data_hash, seconds=round(time.perf_counter() - t0, 1))
    return report
