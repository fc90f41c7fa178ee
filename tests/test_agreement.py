"""lab/scripts/agreement.py (two-reading agreement of the theme labels) and the second-reading file."""

from __future__ import annotations

import json
import math
from pathlib import Path

from constats.taxonomy import SECTORS, THEMES
from lab.scripts import agreement
from tests.corpus import CORPUS, corpus_txt, needs_corpus

ROOT = Path(__file__).resolve().parents[1]

SECOND = ROOT / "models" / "themes" / "second_reading.jsonl"


def row(key, start, primary, kind="observation", secondary=(), sector=None):
    return {"key": key, "start": start, "end": start + 10, "kind": kind, "primary": primary,
            "secondary": list(secondary), "sector": sector}


def test_kappa_and_agreement_on_a_worked_example():
    # 2x2 table: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> po 0.7, pe 0.5, kappa 0.4
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert agreement.percent_agreement(a, b) == 0.7
    assert math.isclose(agreement.cohen_kappa(a, b), 0.4)
    assert agreement.cohen_kappa(["x", "y"], ["x", "y"]) == 1.0
    assert math.isnan(agreement.cohen_kappa(["x", "x"], ["x", "x"]))


def test_compare_matches_spans_splits_kinds_and_lists_confusions():
    first = [row("k1", 0, "gouvernance"), row("k1", 100, "fiabilite_comptes", "recommandation"),
             row("k2", 0, "gestion_deleguee", secondary=["gouvernance"]),
             row("k3", 0, "politique_publique", sector="eau")]
    second = [row("k1", 0, "gouvernance"), row("k1", 100, "information_budgetaire", "recommandation"),
              row("k2", 0, "gouvernance", secondary=["gestion_deleguee"]),
              row("k3", 0, "politique_publique", sector="eau"),
              row("k9", 0, "gouvernance")]
    res = agreement.compare(first, second, reps=50, seed=1)
    assert res["matched"] == 4 and res["unmatched"] == 1 and res["unmatched_spans"] == [["k9", 0, 10]]
    g = res["groups"]
    assert g["all"]["agreement"] == 0.5 and g["all"]["reports"] == 3
    assert g["all"]["lenient_agreement"] == 0.75
    assert g["recommandation+rappel"]["n"] == 1 and g["observation"]["n"] == 3
    assert res["confusions"][0]["n"] == 1
    pairs = {tuple(c["pair"]): c["first -> second"] for c in res["confusions"]}
    assert pairs[("fiabilite_comptes", "information_budgetaire")] == {"fiabilite_comptes -> information_budgetaire": 1}
    assert res["per_theme"]["gouvernance"] == {"first": 1, "second": 2, "both": 1,
                                               "specific_agreement": round(2 / 3, 4)}
    assert res["sector"] == {"n_both_politique_publique": 1, "same_sector": 1, "agreement": 1.0}
    # same seed, same interval
    assert agreement.compare(first, second, reps=50, seed=1)["groups"] == g


def test_bootstrap_resamples_reports_not_rows():
    # one report agrees on all its rows, the other on none: every resample draws whole reports
    keys = ["a"] * 3 + ["b"] * 3
    x = ["t"] * 6
    y = ["t"] * 3 + ["u"] * 3
    lo, hi = agreement.bootstrap_by_report(keys, x, y, agreement.percent_agreement, reps=200, seed=0)
    assert lo == 0.0 and hi == 1.0


def test_second_reading_rows_are_well_formed():
    rows = [json.loads(line) for line in SECOND.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 200
    assert len({(r["key"], r["start"], r["end"]) for r in rows}) == len(rows)
    assert sum(r["kind"] == "observation" for r in rows) >= 100
    assert sum(r["kind"] in ("recommandation", "rappel_au_droit") for r in rows) >= 100
    for r in rows:
        assert set(r) == {"key", "start", "end", "kind", "primary", "secondary", "sector", "reader", "date"}
        assert r["reader"] == "B" and r["date"] == "2026-12-06"
        assert r["primary"] in THEMES and r["primary"] not in r["secondary"]
        assert all(t in THEMES for t in r["secondary"])
        assert r["sector"] is None or r["sector"] in SECTORS
        if "politique_publique" in [r["primary"], *r["secondary"]]:
            assert r["sector"], r


@needs_corpus
def test_second_reading_spans_are_paragraphs_of_the_corpus():
    rows = [json.loads(line) for line in SECOND.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        txt = corpus_txt(r["key"])
        assert 0 <= r["start"] < r["end"] <= len(txt), r
        assert "\n" not in txt[r["start"]:r["end"]].strip(), r
    assert CORPUS.exists()
