"""Search bench (issue 5): 200,000 findings, 8 concurrent clients, API against raw Meilisearch.

- Builds once, under ``var/bench`` (``CONSTATS_BENCH_DIR``), a store with 200,000 findings
  (corpus paragraphs plus two-paragraph variants, never an exact duplicate: see
  ``bench/search_corpus.py``) and indexes it with the product's ``search.indexer.rebuild``;
  later runs reuse it (delete the folder to rebuild).
- Replays the same queries (known-item queries from the corpus, keyword and hybrid) from a
  separate load process with 8 client threads: raw Meilisearch requests (the body that
  ``search.query`` sends, with the query vector precomputed) and ``GET /api/search`` served
  by ``api.app:create_app`` under uvicorn. The query-embedding time is measured apart.
- Checks API p95 ≤ 2 × raw p95 (+ embedding p95 for semantic search), the API re-ranking
  included (``search.rerank``: with semantic search on, the API asks Meilisearch for 100
  keyword candidates and, in a request sent beside it, the 12 nearest findings by vector, then
  scores the candidates), and measures the CSV
  export of all findings (rows/s, peak memory of the API process).
No result cache is involved: the API has none, and each query text is distinct.

Run: ``python -m bench search``; ``CONSTATS_BENCH_FINDINGS=20000`` for a quick run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.search_corpus import ComposedEmbedder, build_pairs, fill_store
from bench.search_load import measure
from constats.config import Settings, get_settings
from lab.evaluate.ranking import corpus_pairs, make_queries
from nlp.embed import QueryEmbedder, get_embedder
from runtime import local as services
from search.client import MeiliClient, search_key
from search.indexer import INDEX_VERSION, rebuild
from search.lemmas import LemmaTable
from search.query import SearchParams, build_filters, build_search_body
from search.settings import apply_settings
from search.understand import filters_for, understand_query
from store.db import session_scope

ROOT = Path(__file__).resolve().parents[1]
N_FINDINGS = int(os.environ.get("CONSTATS_BENCH_FINDINGS", "200000"))
BENCH_DIR = Path(os.environ.get("CONSTATS_BENCH_DIR", ROOT / "var" / "bench")).absolute()
PREFIX = "bench"
N_QUERIES = 120
REQUESTS = int(os.environ.get("CONSTATS_BENCH_REQUESTS", "400"))
CLIENTS = 8


def _settings():

    return Settings(state_dir=BENCH_DIR, meili_url=None, redis_url=None,
                    meili_port=int(os.environ.get("CONSTATS_BENCH_MEILI_PORT", "7795")),
                    redis_port=int(os.environ.get("CONSTATS_BENCH_REDIS_PORT", "6395")),
                    database_url=f"sqlite:///{BENCH_DIR / f'constats-{N_FINDINGS}.db'}",
                    index_prefix=PREFIX), services


def _embedder():
    return get_embedder(get_settings().embedder)


def _query_embedder(embedder):
    """What the API embeds queries with (``runtime.services.Services.query_embedder``)."""
    return QueryEmbedder(get_embedder(get_settings().embedder, threads=1))


def build(settings, client, embedder) -> dict:
    """Build store + indexes unless a previous run left them complete."""

    marker = BENCH_DIR / f"built-{N_FINDINGS}.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        stats = client.stats(f"{PREFIX}-findings") if client.get_index(f"{PREFIX}-findings") else {}
        if stats.get("numberOfDocuments") == info["indexed"]:  # same data; settings re-applied
            if info.get("index_version") != INDEX_VERSION:
                print(f"note: index built by {info.get('index_version')}, code is {INDEX_VERSION}")
                apply_settings(client, PREFIX, embedder.dim)
            if info.get("embedder") != getattr(embedder, "name", "?"):
                print(f"warning: index built with embedder {info.get('embedder')}, queries use "
                      f"{getattr(embedder, 'name', '?')} (delete {marker} to rebuild)")
            return {**info, "reused": True}
    t0 = time.perf_counter()
    base, variants = build_pairs(settings.corpus_dir, N_FINDINGS)
    db = Path(settings.db_url.split("///", 1)[1])
    db.unlink(missing_ok=True)
    fill_store(settings.db_url, base, variants)
    t_store = time.perf_counter() - t0
    composed = ComposedEmbedder(embedder, base, variants)
    table = LemmaTable()
    t1 = time.perf_counter()
    table.learn(p.text for p, _ in base[:: max(1, len(base) // 3000)])
    t_lemma = time.perf_counter() - t1
    with session_scope(settings.db_url) as session:
        summary = rebuild(session, client, composed, PREFIX, batch_size=2000,
                          lemmatizer=lambda texts: [table(t) for t in texts])
    info = {"findings": len(base) + len(variants), "paragraphs": len(base),
            "variants": len(variants), "indexed": summary.findings_indexed,
            "skipped": len(summary.skipped), "store_s": round(t_store, 1),
            "embed_base_s": round(composed.embed_seconds, 1), "lemma_table_s": round(t_lemma, 1),
            "index_s": round(summary.seconds, 1), "index_version": INDEX_VERSION,
            "embedder": getattr(embedder, "name", "?"),
            "docs_per_s": round(summary.findings_indexed / summary.seconds, 1)}
    marker.write_text(json.dumps(info))
    return {**info, "reused": False}


def queries(settings) -> list[str]:

    pairs = corpus_pairs(settings.corpus_dir, 120)
    qs = make_queries(pairs, LemmaTable(), N_QUERIES // 2, seed=23)
    return [q for q, _ in qs["surface"]] + [q for q, _ in qs["short"]]


def start_api(settings, port: int, *, bench_dir: Path | None = None,
              prefix: str = PREFIX, workers: int | None = None) -> subprocess.Popen | None:
    """uvicorn on ``api.app:create_app``, from ``CONSTATS_BENCH_API_ROOT`` (default: here), with
    as many processes as ``constats serve`` runs (``api_workers``; ``CONSTATS_BENCH_API_WORKERS``
    or ``workers`` to compare)."""
    root = Path(os.environ.get("CONSTATS_BENCH_API_ROOT", ROOT))
    workers = workers or int(os.environ.get("CONSTATS_BENCH_API_WORKERS") or settings.api_workers)
    bench_dir = bench_dir or BENCH_DIR
    env = {**os.environ, "MEILI_URL": settings.meili, "MEILI_MASTER_KEY": settings.meili_master_key,
           "DATABASE_URL": settings.db_url, "CONSTATS_INDEX_PREFIX": prefix,
           "CONSTATS_STATE_DIR": str(bench_dir), "REDIS_URL": settings.redis,
           "CONSTATS_PUBLIC_RATE_LIMIT": "100000000/minute", "PYTHONPATH": str(root)}
    log = open(bench_dir / "api.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                             "--no-access-log", "--workers", str(workers)],
                            cwd=root, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            print(f"API did not start (exit {proc.returncode}): see {bench_dir / 'api.log'}")
            return None
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/taxonomy", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.terminate()
    return None


def _process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            todo += [int(c) for c in task.read_text().split()]
    return pids


def peak_rss_mb(pid: int) -> float:
    """The largest peak RSS among ``pid`` and its children (uvicorn's workers are children of
    its supervisor)."""
    peaks = []
    for p in _process_tree(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=float("nan"))


def export_run(port: int, pid: int) -> dict:
    rss_before = peak_rss_mb(pid)
    t0, rows, size = time.perf_counter(), 0, 0
    with httpx.stream("GET", f"http://127.0.0.1:{port}/api/export", params={"format": "csv"},
                      timeout=3600) as resp:
        resp.raise_for_status()
        for chunk in resp.iter_bytes():
            rows += chunk.count(b"\n")
            size += len(chunk)
    dt = time.perf_counter() - t0
    return {"rows": rows - 1, "seconds": round(dt, 1), "rows_per_s": round((rows - 1) / dt),
            "mb": round(size / 1e6, 1), "peak_rss_mb_before": round(rss_before),
            "peak_rss_mb_after": round(peak_rss_mb(pid))}


def raw_search_requests(qs: list[str], query_embedder, index_uid: str) -> tuple[dict[str, list], list[float]]:
    """The requests the API sends Meilisearch for each query, keyword and hybrid (semanticRatio
    0.5), for the raw baseline; and the query embedding's times in ms."""
    embed_ms: list[float] = []
    bodies: dict[str, list] = {"keyword": [], "hybrid": []}
    for q in qs:
        text, found = understand_query(q)
        t0 = time.perf_counter()
        vec = query_embedder.embed([text])[0].tolist()
        embed_ms.append((time.perf_counter() - t0) * 1000)
        for mode, ratio in (("keyword", 0.0), ("hybrid", 0.5)):
            params = SearchParams(q=q, semantic=ratio)
            body = build_search_body(params, text=text, filters=build_filters(params, filters_for(found)),
                                     vector=vec if ratio else None)
            bodies[mode].append({"method": "POST", "path": f"/indexes/{index_uid}/search", "json": body})
    return bodies, embed_ms


def main() -> dict:

    settings, services = _settings()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(os.environ.get("CONSTATS_BIN_DIR", ROOT / ".bin"))
    meili = services.start_meilisearch(settings, bin_dir)
    services.start_redis(settings)
    results: dict = {"findings_target": N_FINDINGS, "clients": CLIENTS, "requests": REQUESTS}
    api = None
    try:
        embedder = _embedder()
        with MeiliClient(meili, settings.meili_master_key, timeout=600) as client:
            results["build"] = build(settings, client, embedder)
            print("build:", results["build"])
            key = search_key(client, PREFIX)
        qs = queries(settings)
        # the query vectors are timed as the API computes them (api.deps: QueryEmbedder, one
        # BLAS thread); the bodies of the raw requests carry them
        query_embedder = _query_embedder(embedder)
        bodies, embed_ms = raw_search_requests(qs, query_embedder, f"{PREFIX}-findings")
        embed_ms.sort()
        results["embedding_ms"] = {"p50": round(embed_ms[len(embed_ms) // 2], 2),
                                   "p95": round(embed_ms[int(len(embed_ms) * 0.95)], 2)}
        auth = {"Authorization": f"Bearer {key}"}
        for mode in ("keyword", "hybrid"):
            results[f"raw_{mode}"] = measure(meili, bodies[mode], clients=CLIENTS, total=REQUESTS,
                                             headers=auth)
            print(f"raw {mode}:", results[f"raw_{mode}"])
        port = int(os.environ.get("CONSTATS_BENCH_API_PORT", "8795"))
        api = start_api(settings, port)
        if api is None:
            results["api"] = "unavailable (api.app:create_app did not start)"
        else:
            for mode, ratio in (("keyword", 0.0), ("hybrid", 0.5)):
                reqs = [{"path": "/api/search", "params": {"q": q, "semantic": ratio}} for q in qs]
                results[f"api_{mode}"] = measure(f"http://127.0.0.1:{port}", reqs, clients=CLIENTS,
                                                 total=REQUESTS)
                print(f"api {mode}:", results[f"api_{mode}"])
            results["export_csv"] = export_run(port, api.pid)
            print("export:", results["export_csv"])
    finally:
        if api is not None:
            api.terminate()
            api.wait(timeout=30)
        if not os.environ.get("CONSTATS_BENCH_KEEP_SERVICES"):
            services.down(settings)
    _report(results)
    (BENCH_DIR / "last-search-results.json").write_text(json.dumps(results, indent=2))
    return results


def _report(r: dict) -> None:
    e = r.get("embedding_ms", {}).get("p95", 0.0)
    print(f"\n{'scenario':10} {'raw p50':>8} {'raw p95':>8} {'raw rps':>8} {'api p50':>8} "
          f"{'api p95':>8} {'api rps':>8} {'bound':>8}  ok")
    for mode in ("keyword", "hybrid"):
        raw, api = r.get(f"raw_{mode}"), r.get(f"api_{mode}")
        if not raw or not isinstance(api, dict):
            continue
        emb = e if mode == "hybrid" else 0.0
        bound = 2 * raw["p95_ms"] + emb
        print(f"{mode:10} {raw['p50_ms']:8.1f} {raw['p95_ms']:8.1f} {raw['throughput_rps']:8.0f} "
              f"{api['p50_ms']:8.1f} {api['p95_ms']:8.1f} {api['throughput_rps']:8.0f} {bound:8.1f}"
              f"  {'yes' if api['p95_ms'] <= bound else 'NO'}  (api/raw p95 = "
              f"{api['p95_ms'] / raw['p95_ms']:.2f}, p50 = {api['p50_ms'] / raw['p50_ms']:.2f})")
    print(f"query embedding p95 {e} ms (bound: 2 × raw p95, + embedding p95 for hybrid)")
