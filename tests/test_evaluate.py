"""Scoring of extraction against gold, on synthetic reports and a fictional corpus text."""

from __future__ import annotations

import json
from datetime import date

import pytest

from constats.domain import Body, Finding, Report, ReportMetadata
from lab.evaluate.scoring import load_gold, normalise_number, normalise_text, score_extraction, similarity

TEXT = (
    "RECOMMANDATIONS\n"
    "Recommandation n° 1 : tenir un inventaire   des biens.\n"
    "Recommandation n° 2 : délibérer sur le temps de travail.\n"
    "Rappel au droit n° 1 : respecter l’article L. 2312-1 du CGCT.\n"
    "Corps du rapport.\n"
    "Recommandation n° 1. Tenir un inventaire des biens, dès 2017.\n"
)


def _span(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


@pytest.fixture
def gold(tmp_path):
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "k1.txt").write_text(TEXT, encoding="utf-8")
    r1 = _span("tenir un inventaire   des biens.")
    r1b = _span("Tenir un inventaire des biens, dès 2017.")
    r2 = _span("délibérer sur le temps de travail.")
    a1 = _span("respecter l’article L. 2312-1 du CGCT.")
    row = {"key": "k1", "items": [
        {"kind": "recommandation", "number": "1", "start": r1[0], "end": r1[1], "alt": [list(r1b)]},
        {"kind": "recommandation", "number": "2", "start": r2[0], "end": r2[1], "status": "en_cours"},
        {"kind": "rappel_au_droit", "number": "1", "start": a1[0], "end": a1[1]},
    ], "metadata": {"body_kind": "commune", "insee": "33249", "deliberation_date": "2016-03-15",
                    "chamber": "CRC Nouvelle-Aquitaine", "announced_recommendations": 2}}
    epci = {"key": "k2", "items": [], "metadata": {"body_kind": "epci", "link_status": "not_linkable"}}
    (tmp_path / "txt" / "k2.txt").write_text("Rien.\n", encoding="utf-8")
    path = tmp_path / "extraction.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (row, epci)) + "\n", encoding="utf-8")
    return load_gold(path, tmp_path)


def _finding(kind, number, text, i=0, status=None):
    return Finding(id=f"r-{i}", report_id="r", kind=kind, number=number, text=text, page=1, start=i, end=i + 1,
                   status=status)


def _report(findings, **meta):
    return Report(id="r", findings=findings, metadata=ReportMetadata(**meta))


def test_load_gold_resolves_offsets(gold):
    assert gold[0]["items"][0]["text"] == "tenir un inventaire   des biens."
    assert gold[0]["items"][0]["alt_texts"] == ["Tenir un inventaire des biens, dès 2017."]


def test_perfect_prediction_scores_one(gold):
    report = _report(
        [_finding("recommandation", "1", "tenir un inventaire des biens"),
         _finding("recommandation", "n° 2", "délibérer sur le\ntemps de travail.", status="en_cours"),
         _finding("rappel_au_droit", "1", "respecter l'article L. 2312-1 du CGCT."),
         _finding("observation", None, "Corps du rapport.")],
        body=Body(name="Lormont", kind="commune", insee="33249"), deliberation_date=date(2016, 3, 15),
        chamber="Chambre régionale des comptes Nouvelle-Aquitaine", announced_recommendations=2)
    scores = score_extraction(gold, {"k1": report, "k2": _report([], body=Body(name="CC", kind="epci"))})
    assert scores["findings"]["all"]["f1"] == 1.0
    assert all(m["accuracy"] == 1.0 for name, m in scores["metadata"].items() if m["total"])
    assert scores["epci_unlinkable"] == {"gold": 1, "predicted_not_linkable": 1}
    assert scores["metadata"]["status"] == {"correct": 1, "total": 1, "accuracy": 1.0}


def test_status_and_chamber_lineage(gold):
    report = _report([_finding("recommandation", "2", "délibérer sur le temps de travail.",
                               status="non_mise_en_oeuvre")],
                     chamber="Chambre régionale des comptes d'Aquitaine, Poitou-Charentes")
    scores = score_extraction(gold, {"k1": report})
    assert scores["findings"]["recommandation"]["tp"] == 1
    assert scores["metadata"]["status"]["correct"] == 0 and scores["metadata"]["status"]["total"] == 1
    # the 2012-2015 name of the chamber designates the same institution as its 2016 name
    assert scores["metadata"]["chamber"]["correct"] == 1
    other = score_extraction(gold, {"k1": _report([], chamber="CRC Bretagne")})
    assert other["metadata"]["chamber"]["correct"] == 0


def test_wrong_number_duplicate_and_missing_are_counted(gold):
    report = _report([
        _finding("recommandation", "1", "tenir un inventaire des biens."),
        _finding("recommandation", "1", "Tenir un inventaire des biens, dès 2017."),  # duplicate: fp
        _finding("recommandation", "3", "délibérer sur le temps de travail."),  # wrong number: fp + fn
    ], body=Body(name="X", kind="epci"), deliberation_date=date(2016, 3, 16))
    scores = score_extraction(gold, {"k1": report})
    rec = scores["findings"]["recommandation"]
    assert (rec["tp"], rec["fp"], rec["fn"]) == (1, 2, 1)
    assert scores["findings"]["rappel_au_droit"]["recall"] == 0.0
    assert scores["metadata"]["body_kind"]["accuracy"] == 0.0
    assert scores["metadata"]["deliberation_date"]["correct"] == 0
    assert scores["metadata"]["chamber"]["correct"] == 0
    # k2 missing from predictions: its metadata counts as wrong
    assert scores["metadata"]["body_kind"]["total"] == 2
    assert {e["type"] for e in scores["errors"]["k1"]} >= {"fp", "fn", "metadata"}


def test_similarity_variant_accepts_ocr_noise_but_exact_does_not(gold):
    noisy = _report([_finding("recommandation", "2", "dé1ibérer sur le ternps de travail.")])
    exact = score_extraction(gold, {"k1": noisy})
    fuzzy = score_extraction(gold, {"k1": noisy}, use_similarity=True)
    assert exact["findings"]["recommandation"]["tp"] == 0
    assert fuzzy["findings"]["recommandation"]["tp"] == 1
    far = _report([_finding("recommandation", "2", "mettre fin aux avantages en nature.")])
    assert score_extraction(gold, {"k1": far}, use_similarity=True)["findings"]["recommandation"]["tp"] == 0


def test_normalisation_helpers():
    assert normalise_text("  l’article\u00a0L. 1 ;  ") == "l'article L. 1"
    assert normalise_text("« budget »") == normalise_text('"budget"')
    assert normalise_number("n° 03") == "3" and normalise_number(None) is None
    assert normalise_number("unique") == "unique"
    assert similarity("abc", "abc") == 1.0 and similarity("abc", "xyz") < 0.5
