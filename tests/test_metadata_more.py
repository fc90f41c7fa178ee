"""The metadata gold outside the extraction gold (``lab.evaluate.metadata_more``)."""

from __future__ import annotations

import json
import re

from lab.evaluate.metadata_more import GOLD, load, score

ALLOWED = {"key", "part", "skip", "note", "deliberation_date", "insee", "seat_insee"}


def test_the_gold_holds_keys_dates_and_codes_only_and_no_report_of_the_extraction_gold():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    extraction = {json.loads(line)["key"] for line in
                  (GOLD.parent / "extraction.jsonl").read_text(encoding="utf-8").splitlines()}
    assert len(rows) == 60 and len({r["key"] for r in rows}) == 60
    assert not {r["key"] for r in rows} & extraction
    for row in rows:
        assert set(row) <= ALLOWED
        assert row["part"] in ("dev", "test")
        assert row.get("deliberation_date") is None or re.fullmatch(r"20\d\d-\d\d-\d\d", row["deliberation_date"])
        for code in (row.get("insee"), row.get("seat_insee")):
            assert code is None or re.fullmatch(r"\d[\dAB]\d{3}", code)
    assert {r["part"] for r in load()} == {"dev", "test"} and all("skip" not in r for r in load())


def test_scoring_counts_a_date_the_text_does_not_state_apart_and_skips_noted_dates():
    rows = [{"key": "a", "deliberation_date": "2016-03-03", "insee": "33063"},
            {"key": "b", "deliberation_date": None, "seat_insee": "14118"},
            {"key": "c", "deliberation_date": "2016-04-28", "note": "ambiguous"}]
    predictions = {"a": {"deliberation_date": "2016-03-03", "insee": "33249", "seat_insee": "33249"},
                   "b": {"deliberation_date": "2015-01-01", "insee": None, "seat_insee": "14118"},
                   "c": {"deliberation_date": None, "insee": None, "seat_insee": None}}
    hits, errors = score(rows, predictions)
    assert hits["deliberation_date"] == [True]
    assert hits["insee"] == [False] and hits["seat_insee"] == [True]
    assert hits["date_where_none"] == [True]
    assert errors == [("a", "insee", "33063", "33249")]
