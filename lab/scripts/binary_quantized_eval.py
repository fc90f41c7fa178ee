"""Binary quantisation of the findings' vectors, measured on the DEVELOPMENT half only (issue 17).

Meilisearch can keep each vector as one bit per dimension (``binaryQuantized`` on the embedder):
64 bytes instead of 2 kB for USE's 512 dimensions, and faster indexing (bench/RESULTS.md). It
changes what a vector search returns and the scale of its scores, so before it could be offered
the development half is indexed twice (float and quantised vectors, headings kept and removed,
into indexes of their own), the semantic threshold is calibrated again on the quantised index
(``calibrate_threshold``: queries about things found nowhere), and the same systems are scored:
the default search and semantic search on, topic nDCG@10 with paired intervals, known items.

Run: ``python -m lab.scripts.binary_quantized_eval`` (starts its own Meilisearch; about 10 min).
The test half is never read here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from constats.config import get_settings
from lab.evaluate import search_eval as E
from lab.evaluate.search_data import build_collections, load_judgments, load_topics
from lab.paths import resolve
from nlp.embed import get_embedder
from search.query import SUGGESTED_SEMANTIC
from search.rerank import Ranking
from search.settings import EMBEDDER, declared_settings

HALF = "dev"


def quantised_settings(kind: str, dim: int | None) -> dict:
    settings = declared_settings(kind, dim)
    if kind == "findings" and dim:
        settings["embedders"] = {EMBEDDER: {**settings["embedders"][EMBEDDER], "binaryQuantized": True}}
    return settings


def main() -> dict:
    settings = get_settings()
    cols = build_collections(resolve(Path(settings.corpus_dir)))
    col = cols[HALF]
    topics = [t for t in load_topics() if t["half"] == HALF]
    judged = load_judgments()
    embedder = get_embedder(settings.embedder)
    cached = E.CachedEmbedder(embedder)
    ki, dup = E.known_items(col)
    out: dict = {"half": HALF, "findings": len(col.pairs), "runs": {}, "thresholds": {}}
    with E.meilisearch(settings) as client:
        for variant in ("float", "binary"):
            if variant == "binary":
                E.declared_settings = quantised_settings  # the indexes below get their own stamp
                E.prefix_of = lambda half, mode: f"eval-{half}-{mode}-bq"
            for mode in E.MODES:
                t0 = time.perf_counter()
                ctx = E.make_context(client, col, mode, cached)
                cached.save()
                ctx.embedder = embedder
                cal = E.calibrate_threshold(client, ctx.prefix, embedder)
                out["thresholds"][f"{variant}/{mode}"] = cal["threshold"]
                stats = client.stats(f"{ctx.prefix}-findings")
                systems = {"default search": E.product_system(ctx),
                           "semantic on": E.product_system(
                               ctx, SUGGESTED_SEMANTIC, Ranking(semantic_threshold=cal["threshold"]))}
                for name, system in systems.items():
                    run = {"topics": E.topic_scores(system, topics, judged)}
                    if mode == "removed":
                        run["known"] = E.known_item_scores(system, ki, dup)
                    out["runs"][f"{variant}/{mode}/{name}"] = run
                out[f"size/{variant}/{mode}"] = stats.get("rawDocumentDbSize")
                print(f"{variant}/{mode}: {time.perf_counter() - t0:.0f} s, threshold {cal['threshold']}")
    report(out)
    return out


def report(out: dict) -> None:
    nd = {k: v["topics"]["per_query"]["ndcg10"] for k, v in out["runs"].items()}
    print(f"\nDevelopment half ({out['findings']} findings), topic nDCG@10 [95 % CI]:")
    for key, values in nd.items():
        print(f"  {key:40} {E._fmt(E.interval(values))}")
    for mode in E.MODES:
        for name in ("semantic on", "default search"):
            p = E.paired(nd[f"binary/{mode}/{name}"], nd[f"float/{mode}/{name}"])
            print(f"  {mode:8} {name:15} binary - float: {p['delta']:+.3f} "
                  f"[{p['delta_ci'][0]:+.3f}, {p['delta_ci'][1]:+.3f}]")
        p = E.paired(nd[f"binary/{mode}/semantic on"], nd[f"binary/{mode}/default search"])
        print(f"  {mode:8} binary semantic on - default: {p['delta']:+.3f} "
              f"[{p['delta_ci'][0]:+.3f}, {p['delta_ci'][1]:+.3f}]")
    print("Known items (headings removed), MRR:")
    for key, run in out["runs"].items():
        if "known" in run:
            print(f"  {key:40} " + ", ".join(f"{s} {E._fmt(E.interval(v))}"
                                             for s, v in run["known"].items()))
    print("Thresholds:", json.dumps(out["thresholds"]))


if __name__ == "__main__":
    main()
