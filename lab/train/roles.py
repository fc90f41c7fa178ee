"""Train the role model of candidate sentences (``nlp.roles``) on the DEVELOPMENT gold reports.

Each development report (``models/gold/split.json``) is rendered by the chosen layout variants
(``lab.replica.families``), read by ``nlp.pdf.read_pdf`` and structured like the runtime does;
every candidate sentence of a body paragraph (``nlp.findings.items_and_sentences``) gets its
features (``nlp.findings.unit_features``) and a label from the gold: the kind of the gold item
whose text it is (normalised as the scorer does), else ``none`` (a restatement of a listed item —
a gold ``alt`` —, a fact recalled, a softer formula…). A multinomial logistic regression is fitted
and written as weights by feature name (``sentences.json`` under ``models/roles/``, with ``--write``).

``leave_one_family_out`` trains on the renderings of some families and scores the sentences of
another, against the rules alone: how designs are chosen (models/roles/EVALUATION.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from lab.evaluate.scoring import load_gold, normalise_text
from lab.paths import GOLD_PATH
from lab.replica.families import render_reports, variant_named
from nlp.findings import RESCUE, RESTATES, items_and_sentences, unit_features
from nlp.pdf import read_pdf
from nlp.roles import DEFAULT_PATH, LABELS, RoleModel
from nlp.structure import build_sections, lines_of

SPLIT_PATH = GOLD_PATH.parent / "split.json"
C = 0.3  # inverse regularisation, with balanced classes (chosen by cross-validation over development reports)


def dev_keys() -> list[str]:
    return list(json.loads(SPLIT_PATH.read_text(encoding="utf-8"))["dev"])


def examples(rows: list[dict], pdf_for: Callable[[str], bytes | None]) -> list[tuple[dict, str, str]]:
    """``(features, label, key)`` of every candidate sentence of the given gold rows."""
    out = []
    for row in rows:
        pdf = pdf_for(row["key"])
        if pdf is None:
            continue
        doc = read_pdf(pdf)
        lines = lines_of(doc)
        _, sections = build_sections(doc, lines)
        items, units = items_and_sentences(doc, sections, lines)
        # the gold items the listed items already give (by their text or an other occurrence)
        found = {_norm(doc.text[c.start:c.end]) for c in items}
        open_items = [it for it in row["items"] if it["kind"] in ("recommandation", "rappel_au_droit")
                      and not ({_norm(t) for t in [it["text"], *it["alt_texts"]]} & found)]
        for unit, feats in zip(units, unit_features(doc, units, items)):
            text = _norm(doc.text[unit.cand.start:unit.cand.end])
            hit = next((it for it in open_items if text in {_norm(t) for t in [it["text"], *it["alt_texts"]]}), None)
            if hit is not None:
                open_items.remove(hit)  # each gold item is found once: a second sentence is a restatement
            out.append((feats, hit["kind"] if hit else "none", row["key"]))
    return out


def _norm(text: str) -> str:
    return normalise_text(" ".join(text.split()))


def fit(data: list[tuple[dict, str, str]], c: float = C, balanced: bool = True) -> RoleModel:
    from sklearn.feature_extraction import DictVectorizer  # noqa: PLC0415 - lab only
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    vec = DictVectorizer()
    x = vec.fit_transform([f for f, _, _ in data])
    y = [label for _, label, _ in data]
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None)
    clf.fit(x, y)
    names = vec.get_feature_names_out()
    weights: dict[str, dict[str, float]] = {}
    classes = list(clf.classes_)
    if len(classes) == 2:  # binary: scikit-learn keeps one row; spread it as a softmax
        rows = {classes[1]: (clf.coef_[0], clf.intercept_[0]), classes[0]: (clf.coef_[0] * 0, 0.0)}
    else:
        rows = {label: (clf.coef_[i], clf.intercept_[i]) for i, label in enumerate(classes)}
    for label in LABELS:
        if label not in rows:
            weights[label] = {"bias": -50.0}
            continue
        coef, intercept = rows[label]
        w = {str(n): round(float(v), 5) for n, v in zip(names, coef) if abs(v) > 1e-6}
        w["bias"] = round(w.get("bias", 0.0) + float(intercept), 5)
        weights[label] = w
    return RoleModel(weights, {"trained_on": sorted({k for _, _, k in data}).__len__(), "examples": len(data),
                               "C": c, "labels": {lab: y.count(lab) for lab in LABELS}})


def _rules(feats: dict) -> str:
    """The rules' decision as ``nlp.findings`` takes it: their verdict, unless the sentence restates
    a listed item or an earlier sentence (the overlap test ``nlp.findings.RESTATES``)."""
    rule = next((k.split("=", 1)[1] for k in feats if k.startswith("rule=")), "none")
    if (rule in ("none", "None") or feats.get("listed_overlap", 0) >= RESTATES
            or feats.get("earlier_overlap", 0) >= RESTATES):
        return "none"
    return rule


def score(model: RoleModel | None, data: list[tuple[dict, str, str]], rescue: float = RESCUE) -> dict:
    """Sentence-level P/R/F1 of the items (kind must match): the rules alone (``model`` None) or the
    rules with the learned rescue of what they dropped (``nlp.findings.find_recommendations``)."""
    tp = fp = fn = 0
    for feats, label, _ in data:
        pred = _rules(feats)
        if model is not None and pred == "none":
            role, p = model.best_item(feats)
            pred = role if p >= rescue else "none"
        if pred != "none" and pred == label:
            tp += 1
        else:
            fp += pred != "none"
            fn += label != "none"
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def cached_pdfs(directory: Path) -> Callable[[str], bytes | None]:
    def pdf_for(key: str) -> bytes | None:
        path = directory / f"{key}.pdf"
        return path.read_bytes() if path.is_file() else None
    return pdf_for


def train(pdf_dirs: list[Path], out: Path = DEFAULT_PATH, c: float = C) -> RoleModel:
    """Fit on the development reports rendered in ``pdf_dirs`` (one directory per variant)."""
    keys = set(dev_keys())
    rows = [r for r in load_gold() if r["key"] in keys]
    data = [e for d in pdf_dirs for e in examples(rows, cached_pdfs(d))]
    model = fit(data, c)
    model.save(out)
    return model


def leave_one_family_out(pdf_dirs: dict[str, Path], c: float = C) -> dict[str, dict]:
    """For each family: train on the others' development renderings, score on its own."""
    keys = set(dev_keys())
    rows = [r for r in load_gold() if r["key"] in keys]
    data = {fam: examples(rows, cached_pdfs(d)) for fam, d in pdf_dirs.items()}
    out = {}
    for held, test in data.items():
        train_data = [e for fam, d in data.items() if fam != held for e in d]
        model = fit(train_data, c)
        out[held] = {"rules": score(None, test), "model": score(model, test), "sentences": len(test)}
    return out


def render_dev(variant: str, cache: Path) -> Path:
    """Render the development reports with one layout variant into ``cache/<variant>/`` (kept)."""
    directory = cache / variant
    directory.mkdir(parents=True, exist_ok=True)
    keys = [k for k in dev_keys() if not (directory / f"{k}.pdf").exists()]
    for i in range(0, len(keys), 12):
        for key, pdf in render_reports(keys[i:i + 12], variant_named(variant)).items():
            if isinstance(pdf, bytes):
                (directory / f"{key}.pdf").write_bytes(pdf)
    return directory
