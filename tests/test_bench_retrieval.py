"""The retrieval benchmark's metrics and its paired comparison (pure functions)."""

from __future__ import annotations

from lab.evaluate.retrieval import bootstrap_ci, mrr_ndcg, paired_difference, score_system


def test_mrr_and_ndcg_of_a_ranking():
    assert mrr_ndcg([5, 3, 9], {3}) == (0.5, 1 / __import__("math").log2(3))
    assert mrr_ndcg([1, 2], {7}) == (0.0, 0.0)
    assert mrr_ndcg([7, 8], {7, 8}) == (1.0, 1.0)


def test_paired_difference_tells_a_better_system_from_noise():
    queries = [{"type": "heading", "relevant": {i}} for i in range(60)]
    good = score_system(lambda q: sorted(q["relevant"]), queries)            # always first
    mixed = score_system(lambda q: [99, *q["relevant"]] if min(q["relevant"]) % 2 else sorted(q["relevant"]),
                         queries)                                            # second half the time
    d = paired_difference(good, mixed)
    assert d["delta"] > 0 and d["ci"][0] > 0 and d["p_a_wins"] == 1.0
    same = paired_difference(good, good)
    assert same["delta"] == 0 and same["ci"] == (0.0, 0.0)
    lo, hi = good["all"]["ndcg10_ci"]
    assert lo == hi == 1.0
    lo, hi = mixed["all"]["ndcg10_ci"]
    assert lo < mixed["all"]["ndcg10"] < hi


def test_bootstrap_interval_contains_the_mean():
    lo, hi = bootstrap_ci([0, 1] * 50)
    assert lo < 0.5 < hi and hi - lo < 0.3
