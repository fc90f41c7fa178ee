"""The evaluation runner end to end on one gold report: render → understand → score → Markdown."""

from __future__ import annotations

import pytest

from tests.corpus import CORPUS, needs_corpus


@needs_corpus
@pytest.mark.slow
def test_run_variant_on_one_gold_report():
    from lab.evaluate.extraction import VariantRun, markdown, run_variant
    from lab.evaluate.scoring import load_gold
    from lab.replica.families import variant_named

    rows = [row for row in load_gold(corpus_dir=CORPUS) if row["key"] == "391301"]
    run = run_variant(rows, variant_named("classique"), corpus_dir=CORPUS)
    assert isinstance(run, VariantRun)
    assert run.failures == {} and run.reports == 1 and run.pages > 0
    rec = run.scores["findings"]["recommandation"]
    gold_recs = sum(it["kind"] == "recommandation" for it in rows[0]["items"])
    assert gold_recs == 6  # gold v2: three listed recommendations and three stated in paragraphs
    every = run.scores["every_item"]["recommandation"]
    assert every["tp"] + every["fn"] == gold_recs  # every item, in-paragraph ones included
    assert rec["tp"] + rec["fn"] == 3  # the v1 definition: listed items only
    text = markdown([run], gold_reports=1)
    assert "| recommandation (listed) |" in text and "s/page" in text and "## DEVELOPMENT reports" in text
