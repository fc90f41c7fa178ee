"""Integrity of the extraction gold set (models/gold/extraction.jsonl) against the corpus."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path

from constats.domain import Body
from lab.evaluate.scoring import GOLD_PATH, load_gold
from nlp import geo
from tests.corpus import CORPUS, needs_corpus

ROOT = Path(__file__).resolve().parents[1]
ROWS = [json.loads(line) for line in GOLD_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
BODY_KINDS = set(Body.model_fields["kind"].annotation.__args__)


def test_gold_covers_enough_reports_and_kinds():
    assert len(ROWS) >= 40
    assert len({r["key"] for r in ROWS}) == len(ROWS)
    kinds = {r["metadata"]["body_kind"] for r in ROWS}
    assert {"commune", "epci", "departement", "hopital"} <= kinds
    items = [it for r in ROWS for it in r["items"]]
    assert sum(it["kind"] == "rappel_au_droit" for it in items) >= 20
    assert sum(it["kind"] == "suivi" for it in items) >= 20  # v2: follow-up items of earlier audits
    # a report without any list: since v2 its in-paragraph recommendations are items (394818 Le Havre)
    assert any(r["items"] and all(it["number"] is None and it["status"] is None for it in r["items"]) for r in ROWS)


def test_metadata_values_are_well_formed():
    fields = {"body_name", "body_kind", "departement", "insee", "siren", "link_status", "deliberation_date",
              "chamber", "announced_recommendations", "year", "year_source", "seat_insee"}
    for row in ROWS:
        meta = row["metadata"]
        assert set(meta) == fields, row["key"]
        assert meta["body_kind"] in BODY_KINDS, row["key"]
        if meta["departement"]:
            assert geo.departement_code(meta["departement"]) == meta["departement"], row["key"]
        if meta["insee"]:
            assert geo.commune_by_insee(meta["insee"])["departement"] == meta["departement"], row["key"]
        if meta["siren"]:
            assert meta["siren"] in geo.reference().epci, row["key"]
        if meta["deliberation_date"]:
            assert date(2014, 1, 1) < date.fromisoformat(meta["deliberation_date"]) < date(2018, 1, 1)
        if meta["chamber"]:
            assert geo.canonical_chamber(meta["chamber"]) == meta["chamber"], row["key"]
        # v2: the report's year and where it comes from; the seat commune of a non-commune body
        assert isinstance(meta["year"], int) and 2013 <= meta["year"] <= 2017, row["key"]
        assert meta["year_source"] in ("deliberation", "publication", "notification"), row["key"]
        if meta["deliberation_date"]:
            assert meta["year_source"] == "deliberation", row["key"]
            assert meta["year"] == int(meta["deliberation_date"][:4]), row["key"]
        if meta["seat_insee"]:
            assert meta["body_kind"] != "commune", row["key"]
            assert geo.commune_by_insee(meta["seat_insee"]) is not None, row["key"]
        if meta["body_kind"] == "commune":
            assert meta["seat_insee"] is None, row["key"]


def test_items_are_offsets_only_and_numbers_unique():
    for row in ROWS:
        seen = set()
        for item in row["items"]:
            assert set(item) <= {"kind", "number", "start", "end", "status", "alt", "in_paragraph"}, row["key"]
            assert item["kind"] in ("recommandation", "rappel_au_droit", "suivi"), row["key"]
            assert item["status"] in (None, "totalement_mise_en_oeuvre", "en_cours", "non_mise_en_oeuvre",
                                      "sans_objet"), row["key"]
            assert 0 <= item["start"] < item["end"]
            if item["number"]:
                assert (item["kind"], item["number"]) not in seen, row["key"]
                seen.add((item["kind"], item["number"]))


@needs_corpus
def test_gold_offsets_resolve_in_the_corpus_reports():
    titles = {r["key"]: r for r in csv.DictReader(open(CORPUS / "metadata.csv", encoding="utf-8"))}
    for row in load_gold(corpus_dir=CORPUS):
        assert titles[row["key"]]["doc_type"].startswith("Rapport d"), row["key"]
        for item in row["items"]:
            text = item["text"]
            assert text == text.strip() and len(text) >= 10, (row["key"], item)
            assert not text.lower().startswith(("recommandation n", "rappel au droit n")), (row["key"], item)
            for alt in item["alt_texts"]:
                assert alt == alt.strip() and alt, (row["key"], item)


@needs_corpus
def test_gold_file_is_what_the_hand_check_decisions_build():
    sys.path.insert(0, str(ROOT / "lab" / "scripts"))
    try:
        import gold_build  # noqa: PLC0415
    finally:
        sys.path.pop(0)
    # gold_spec.py, merged with gold_spec_more.py when it exists
    rebuilt = [gold_build.build_row(key, spec) for key, spec in gold_build.SPEC.items()]
    assert rebuilt == ROWS
