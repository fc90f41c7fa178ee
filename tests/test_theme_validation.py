"""Held-out evaluation of the theme classifier: splits, calibration, scores, near-duplicates."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from lab.train import validation as va
from lab.train.data import near_duplicate_groups, report_chambers
from lab.train.designs import Item
from lab.train.themes import eval_heading, training_items
from lab.train.validation import CLASSES
from nlp.classify import TwoStep
from tests.corpus import CORPUS, needs_corpus


def one_hot_proba(labels: list[str], confidence: float) -> np.ndarray:
    """Rows giving ``confidence`` to the label and the rest evenly to the other classes."""
    p = np.full((len(labels), len(CLASSES)), (1 - confidence) / (len(CLASSES) - 1))
    for i, c in enumerate(labels):
        p[i, CLASSES.index(c)] = confidence
    return p


# --------------------------------------------------------------------------- splits
def test_report_folds_keep_each_group_in_one_fold():
    groups = [f"g{i // 3}" for i in range(60)]  # 20 groups of 3 findings
    splits = va.report_folds(groups, n_folds=5)
    assert len(splits) == 5
    seen = np.concatenate([s.test for s in splits])
    assert sorted(seen.tolist()) == list(range(60))
    for s in splits:
        assert not {groups[i] for i in s.test} & {groups[i] for i in s.train}


def test_chamber_folds_hold_out_one_chamber_and_never_split_a_group():
    chambers = ["A", "A", "B", "B", "C", "C", None]
    # findings 1 and 2 are in one near-duplicate group filed under two chambers
    groups = ["r1", "dup", "dup", "r3", "r4", "r5", "r6"]
    splits = {s.name: s for s in va.chamber_folds(chambers, groups)}
    assert set(splits) == {"A", "B", "C", "inconnue"}
    assert splits["A"].test.tolist() == [0, 1, 2]  # the group goes with its first finding's chamber
    assert splits["B"].test.tolist() == [3]
    for s in splits.values():
        assert not {groups[i] for i in s.test} & {groups[i] for i in s.train}


# --------------------------------------------------------------------------- calibration
def test_ece_of_a_known_reliability_table():
    y = ["gouvernance"] * 10
    # 10 predictions at confidence 0.9, 7 right: |0.9 - 0.7| = 0.2
    wrong = one_hot_proba(["commande_publique"] * 3, 0.9)
    right = one_hot_proba(["gouvernance"] * 7, 0.9)
    proba = np.vstack([right, wrong])
    assert va.expected_calibration_error(proba, y) == pytest.approx(0.2)
    rows = [r for r in va.reliability(proba, y) if r["n"]]
    assert rows == [{"bin": "0.9–1.0", "n": 10, "confidence": 0.9, "accuracy": 0.7}]
    # perfectly calibrated: confidence 0.7, 7 of 10 right
    proba = np.vstack([one_hot_proba(["gouvernance"] * 7, 0.7), one_hot_proba(["commande_publique"] * 3, 0.7)])
    assert va.expected_calibration_error(proba, y) == pytest.approx(0.0)


def test_temperature_scaling_repairs_overconfidence():
    rng = np.random.default_rng(0)
    n = 2000
    y = [CLASSES[k] for k in rng.integers(0, len(CLASSES), n)]
    # an over-confident model: always 0.95 on its answer, right 60 % of the time
    pred = [t if rng.random() < 0.6 else CLASSES[(CLASSES.index(t) + 1) % len(CLASSES)] for t in y]
    proba = one_hot_proba(pred, 0.95)
    t = va.fit_temperature(proba, y)
    assert t > 1  # flattens
    calibrated = va.temper(proba, t)
    assert np.allclose(calibrated.sum(axis=1), 1)
    assert (calibrated.argmax(axis=1) == proba.argmax(axis=1)).all()  # same decisions
    assert va.expected_calibration_error(proba, y) > 0.3
    assert va.expected_calibration_error(calibrated, y) < 0.05


def test_cross_fitted_calibration_uses_other_folds_only():
    y = ["gouvernance"] * 40
    # fold 1: always right at 0.6; fold 2: always right at 0.6 too, but fold 2's temperature must
    # come from fold 1 alone: changing fold 2's labels must not change fold 2's temperature
    proba = one_hot_proba(["gouvernance"] * 40, 0.6)
    splits = [va.Split("a", np.arange(20, 40), np.arange(20)), va.Split("b", np.arange(20), np.arange(20, 40))]
    _, temps = va.cross_fitted_calibration(proba, y, splits)
    y2 = y[:20] + ["commande_publique"] * 20
    _, temps2 = va.cross_fitted_calibration(proba, y2, splits)
    assert temps2[1] == temps[1] and temps2[0] != temps[0]


def test_threshold_is_the_lowest_reaching_the_target_accuracy():
    y = ["gouvernance"] * 100
    conf = np.linspace(0.3, 0.99, 100)
    proba = np.vstack([one_hot_proba(["gouvernance" if c >= 0.6 else "commande_publique"], c) for c in conf])
    t = va.choose_threshold(proba, y, target=0.85)
    kept = conf >= t
    assert np.mean(conf[kept] >= 0.6) >= 0.85
    assert 0.5 < t <= 0.625


# --------------------------------------------------------------------------- scores
def test_macro_f1_scores_present_classes_and_bootstrap_resamples_groups():
    y = ["gouvernance", "gouvernance", "commande_publique", "commande_publique"]
    assert va.macro_f1(y, y) == 1.0
    assert va.macro_f1(y, ["gouvernance"] * 4) == pytest.approx((2 / 3 + 0) / 2)
    # two reports, one all right, one all wrong: resamples of whole reports span 0..1
    y = ["gouvernance"] * 4 + ["commande_publique"] * 4
    pred = ["gouvernance"] * 4 + ["gouvernance"] * 4
    lo, hi = va.macro_f1_ci(y, pred, ["a"] * 4 + ["b"] * 4, seed=0, reps=200)
    assert lo < va.macro_f1(y, pred) < hi or lo == hi


def test_two_step_probabilities():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 5))
    themes = np.array(["gouvernance", "commande_publique", "politique_publique"])
    y = themes[np.argmax(x[:, :3], axis=1)]
    m = TwoStep("politique_publique", LogisticRegression(), LogisticRegression()).fit(x, y)
    p = m.predict_proba(x)
    assert p.shape == (300, 3) and np.allclose(p.sum(axis=1), 1)
    assert list(m.classes_)[-1] == "politique_publique"
    assert np.mean(np.asarray(m.classes_)[p.argmax(axis=1)] == y) > 0.9


# --------------------------------------------------------------------------- items
def test_recommendations_are_trained_with_and_without_their_body_heading():
    items = [Item("k", 0, 10, "Respecter les seuils.", "2. La commande publique", "recommandation",
                  "commande_publique"),
             Item("k", 20, 30, "Liste.", "Recommandations", "recommandation", "commande_publique"),
             Item("k", 40, 50, "Les marchés.", "2. La commande publique", "observation", "commande_publique")]
    assert [eval_heading(i) for i in items] == ["2. La commande publique", "", "2. La commande publique"]
    assert [eval_heading(i, bare=True) for i in items] == ["", "", "2. La commande publique"]
    got = training_items(items)
    assert [(i.start, i.heading) for i in got] == [(0, "2. La commande publique"), (20, ""),
                                                   (40, "2. La commande publique"), (0, "")]


def test_near_duplicate_reports_are_grouped(tmp_path):
    (tmp_path / "txt").mkdir()
    para = [f"Paragraphe numéro {i} : " + "la chambre observe que la commune gère son budget. " * 3 for i in range(10)]
    (tmp_path / "txt" / "a.txt").write_text("\n".join(para), encoding="utf-8")
    (tmp_path / "txt" / "b.txt").write_text("\n".join(para[:8] + ["autre"]), encoding="utf-8")  # a copy
    (tmp_path / "txt" / "c.txt").write_text("\n".join(para[:2] + [p.upper() + " x" for p in para[2:]]),
                                            encoding="utf-8")  # shares 2 of 10
    groups = near_duplicate_groups(tmp_path, ["c", "b", "a", "a"])
    assert groups == {"a": "a", "b": "a", "c": "c"}


@needs_corpus
def test_known_near_duplicates_of_the_corpus_and_chambers():
    groups = near_duplicate_groups(CORPUS, ["393924", "394560", "259964"])
    assert groups["393924"] == groups["394560"] != groups["259964"]
    chambers = report_chambers(CORPUS)
    assert chambers["259964"]["chamber"] == "CRC Nouvelle-Aquitaine" and chambers["259964"]["year"] == 2015
    assert chambers["394684"]["chamber"] == "CRC Corse"  # département read from the title by hand
