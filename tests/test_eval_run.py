"""The evaluation runner end to end on one gold report: render → understand → score → Markdown."""

from __future__ import annotations

import pytest

from tests.corpus import CORPUS, needs_corpus


@needs_corpus
@pytest.mark.slow
def test_run_variant_on_one_gold_report():
    from lab.evaluate.extraction import VariantRun, markdown, run_variant
    from lab.evaluate.scoring import load_gold
    from lab.replica.variants import TEXT_VARIANTS

    rows = [row for row in load_gold(corpus_dir=CORPUS) if row["key"] == "391301"]
    run = run_variant(rows, TEXT_VARIANTS[0], scanned=False, corpus_dir=CORPUS)
    assert isinstance(run, VariantRun)
    assert run.failures == {} and run.reports == 1 and run.pages > 0
    rec = run.scores["findings"]["recommandation"]
    gold_recs = sum(it["kind"] == "recommandation" for it in rows[0]["items"])
    assert gold_recs == 6  # gold v2: three listed recommendations and three stated in paragraphs
    assert rec["tp"] + rec["fn"] == gold_recs
    text = markdown([run], gold_reports=1)
    assert "| recommandation |" in text and "s/page" in text
