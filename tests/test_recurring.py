"""Recurring findings: groups across reports, labels, counts, threshold."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from nlp.recurring import DEFAULT_THRESHOLD, find_recurring, similar_pairs, times_found_elsewhere

PAIRS = Path(__file__).resolve().parents[1] / "models" / "themes" / "recurring_pairs.jsonl"


def _items(spec):
    """spec: list of (report, chamber, year, direction index, noise)."""
    rng = np.random.default_rng(0)
    base = rng.normal(size=(4, 64))
    out = []
    for n, (report, chamber, year, d, noise) in enumerate(spec):
        v = base[d] + noise * rng.normal(size=64)
        out.append({"id": f"f{n}", "report_id": report, "text": f"constat {n} (direction {d})",
                    "chamber": chamber, "year": year, "vector": v / np.linalg.norm(v)})
    return out


def test_groups_span_reports_and_count_by_chamber_and_year():
    items = _items([("r1", "CRC Bretagne", 2015, 0, 0.05), ("r2", "CRC Bretagne", 2016, 0, 0.05),
                    ("r3", "CRC Occitanie", 2016, 0, 0.05), ("r4", "CRC Occitanie", 2016, 1, 0.05),
                    ("r5", "CRC Bretagne", 2015, 1, 0.05), ("r6", "CRC Grand Est", 2017, 2, 0.05),
                    ("r7", "CRC Grand Est", 2017, 3, 0.05)])
    groups = find_recurring(items, threshold=0.9)
    assert [sorted(g.member_ids) for g in groups] == [["f0", "f1", "f2"], ["f3", "f4"]]
    g = groups[0]
    assert g.n_reports == 3 and g.by_chamber == {"CRC Bretagne": 2, "CRC Occitanie": 1}
    assert g.by_year == {"2015": 1, "2016": 2}
    assert g.label in {it["text"] for it in items[:3]} and g.representative_id in g.member_ids
    assert times_found_elsewhere(groups)["f0"] == 2 and "f5" not in times_found_elsewhere(groups)


def test_same_report_is_never_a_recurrence():
    items = _items([("r1", "A", 2015, 0, 0.01), ("r1", "A", 2015, 0, 0.01), ("r2", "A", 2015, 1, 0.01)])
    assert find_recurring(items, threshold=0.9) == []
    assert similar_pairs(items, 0.9) == []


def test_threshold_controls_grouping():
    items = _items([("r1", "A", 2015, 0, 0.6), ("r2", "A", 2015, 0, 0.6)])
    cos = float(items[0]["vector"] @ items[1]["vector"])
    assert find_recurring(items, threshold=cos - 0.01) and not find_recurring(items, threshold=cos + 0.01)


def test_group_ids_are_stable():
    items = _items([("r1", "A", 2015, 0, 0.05), ("r2", "B", 2016, 0, 0.05)])
    assert find_recurring(items, 0.9)[0].id == find_recurring(list(reversed(items)), 0.9)[0].id


def test_tiny_inputs():
    assert find_recurring([], 0.8) == [] and find_recurring(_items([("r1", "A", 2015, 0, 0.1)]), 0.8) == []


def test_default_threshold_is_backed_by_hand_checked_pairs():
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 30 and all("text" not in r["a"] for r in rows)
    kept = [r for r in rows if r["use_cosine"] >= DEFAULT_THRESHOLD]
    precision = sum(r["near_identical"] for r in kept) / len(kept)
    recall = sum(r["near_identical"] for r in kept) / sum(r["near_identical"] for r in rows)
    assert precision >= 0.8 and recall >= 0.6
