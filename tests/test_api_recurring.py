"""Batch computation of recurring findings (needs nlp.recurring from the classification work)."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

import pytest

from api.recurring import RecurringGroups, compute, groups_path, write
from tests.search_support import HashingEmbedder

needs_recurring = pytest.mark.skipif(importlib.util.find_spec("nlp.recurring") is None,
                                     reason="nlp.recurring (classification work) not merged yet")


def pair(fid, rid, text, chamber="CRC A", year=2016, kind="observation"):
    return (SimpleNamespace(id=fid, report_id=rid, text=text, kind=kind),
            SimpleNamespace(chamber=chamber, year=year))


@needs_recurring
def test_compute_groups_the_same_finding_across_reports(tmp_path):
    same = "La commune ne respecte pas la durée annuelle légale du temps de travail des agents."
    pairs = [pair("a-1-2", "ra", same), pair("b-1-2", "rb", same + " ", chamber="CRC B"),
             pair("c-1-2", "rc", "Le port de plaisance est géré en régie sans budget annexe."),
             pair("a-3-4", "ra", same, kind="synthese")]
    data = compute(pairs, HashingEmbedder(64), threshold=0.9)
    assert data["findings"] == 3
    assert [sorted(g["member_ids"]) for g in data["groups"]] == [["a-1-2", "b-1-2"]]
    write(groups_path(tmp_path), data)
    rec = RecurringGroups(groups_path(tmp_path))
    assert rec.elsewhere("a-1-2") == 1 and rec.elsewhere("c-1-2") == 0


def test_missing_or_broken_file_means_not_available(tmp_path):
    rec = RecurringGroups(groups_path(tmp_path))
    assert not rec.available() and rec.groups() == [] and rec.elsewhere("x") == 0
    groups_path(tmp_path).write_text("{not json")
    assert not rec.available()
