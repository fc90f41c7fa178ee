"""Scale bench (issue 17): a synthetic archive of ``BENCH_SCALE_N`` findings (default 1,000,000).

1. Builds the archive (``bench/archive.py``: corpus paragraphs and their 2- and 3-paragraph
   variants in a SQLite store, vectors in the store's cache; reused by later runs).
2. Rebuilds the index from the store with the product's ``search.indexer.rebuild`` (build time,
   findings/s), then records the index size on disk (Meilisearch's ``data.ms`` and the index's
   own ``rawDocumentDbSize``/``avgDocumentSize``) and Meilisearch's RSS (now and peak).
3. Replays keyword and hybrid queries (``bench.bench_search.queries``: known-item queries from
   the corpus) with 8 concurrent clients from a separate process, raw against Meilisearch (the
   body ``search.query`` builds, query vector precomputed) and through ``GET /api/search``.
4. Times the CSV export of every finding through ``GET /api/export``.

Run: ``python -m bench scale``; ``BENCH_SCALE_N=20000`` for a small run. Results are printed
and written to ``var/bench-scale/last-scale-<N>.json``.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from bench.bench_rebuild import ensure_archive, settings_for
from bench.bench_search import CLIENTS, export_run, queries, raw_search_requests, start_api
from bench.search_load import measure
from constats.config import get_settings
from nlp.embed import QueryEmbedder, get_embedder
from runtime import local as services
from search import settings as index_settings
from search.client import MeiliClient, search_key
from search.indexer import embedder_key, rebuild
from store.db import session_scope

ROOT = Path(__file__).resolve().parents[1]
N = int(os.environ.get("BENCH_SCALE_N", "1000000"))
BENCH_DIR = Path(os.environ.get("CONSTATS_BENCH_SCALE_DIR", ROOT / "var" / "bench-scale")).absolute()
REQUESTS = int(os.environ.get("CONSTATS_BENCH_REQUESTS", "400"))
PREFIX = "rebuild"


def _du(path: Path) -> int:
    return int(subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True,
                              check=True).stdout.split()[0])


def _rss_mb(pid: int) -> dict:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = round(int(line.split()[1]) / 1024)
    return out


def main() -> dict:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    settings = settings_for(BENCH_DIR, "CONSTATS_BENCH_MEILI_PORT", 7797)
    embedder = get_embedder(get_settings().embedder)
    results: dict = {"n": N, "clients": CLIENTS, "requests": REQUESTS, "embedder": embedder_key(embedder),
                     "meili_max_indexing_memory": settings.meili_max_indexing_memory,
                     "meili_max_indexing_threads": settings.meili_max_indexing_threads,
                     "load_start": os.getloadavg()}
    t0 = time.perf_counter()
    url, info = ensure_archive(N, embedder, BENCH_DIR)
    results["archive"] = {**info, "seconds": round(time.perf_counter() - t0, 1),
                          "store_bytes": _du(BENCH_DIR / f"archive-{N}.db")}
    print("archive:", results["archive"], flush=True)
    settings = settings.model_copy(update={"database_url": url,
                                           "redis_port": int(os.environ.get("CONSTATS_BENCH_REDIS_PORT", "6397"))})
    bin_dir = Path(os.environ.get("CONSTATS_BIN_DIR", ROOT / ".bin"))
    meili = services.start_meilisearch(settings, bin_dir)
    meili_pid = int((BENCH_DIR / "meilisearch" / "meilisearch.pid").read_text())
    services.start_redis(settings)
    names = index_settings.index_names(PREFIX)
    api = None
    try:
        with MeiliClient(meili, settings.meili_master_key, timeout=600) as client:
            stats = client.stats(names["findings"]) if client.get_index(names["findings"]) else {}
            if stats.get("numberOfDocuments") != info["findings"] or os.environ.get("BENCH_SCALE_REBUILD"):
                t1 = time.perf_counter()
                with session_scope(url) as session:
                    summary = rebuild(session, client, embedder, PREFIX)
                dt = time.perf_counter() - t1
                results["build"] = {"findings": summary.findings_indexed, "seconds": round(dt, 1),
                                    "findings_per_s": round(summary.findings_indexed / dt, 1),
                                    "load_end": os.getloadavg()}
            else:
                results["build"] = "reused (index already complete)"
            print("build:", results["build"], flush=True)
            stats = client.stats(names["findings"])
            results["index"] = {"documents": stats.get("numberOfDocuments"),
                                "raw_document_db_bytes": stats.get("rawDocumentDbSize"),
                                "avg_document_bytes": stats.get("avgDocumentSize"),
                                "data_ms_bytes": _du(BENCH_DIR / "meilisearch" / "data.ms"),
                                "meili_rss_mb": _rss_mb(meili_pid)}
            print("index:", results["index"], flush=True)
            key = search_key(client, PREFIX)
        qs = queries(get_settings())
        query_embedder = QueryEmbedder(get_embedder(get_settings().embedder, threads=1))
        bodies, _ = raw_search_requests(qs, query_embedder, names["findings"])
        auth = {"Authorization": f"Bearer {key}"}
        for mode in ("keyword", "hybrid"):
            results[f"raw_{mode}"] = {**measure(meili, bodies[mode], clients=CLIENTS, total=REQUESTS,
                                                headers=auth), "load": os.getloadavg()}
            print(f"raw {mode}:", results[f"raw_{mode}"], flush=True)
        port = int(os.environ.get("CONSTATS_BENCH_API_PORT", "8797"))
        api = start_api(settings, port, bench_dir=BENCH_DIR, prefix=PREFIX)
        if api is None:
            results["api"] = "unavailable (api.app:create_app did not start)"
        else:
            for mode, ratio in (("keyword", 0.0), ("hybrid", 0.5)):
                reqs = [{"path": "/api/search", "params": {"q": q, "semantic": ratio}} for q in qs]
                results[f"api_{mode}"] = {**measure(f"http://127.0.0.1:{port}", reqs, clients=CLIENTS,
                                                    total=REQUESTS), "load": os.getloadavg()}
                print(f"api {mode}:", results[f"api_{mode}"], flush=True)
            if not os.environ.get("BENCH_SCALE_SKIP_EXPORT"):
                results["export_csv"] = {**export_run(port, api.pid), "load": os.getloadavg()}
                print("export:", results["export_csv"], flush=True)
        results["meili_rss_mb_end"] = _rss_mb(meili_pid)
    finally:
        if api is not None:
            api.terminate()
            api.wait(timeout=30)
        if not os.environ.get("CONSTATS_BENCH_KEEP_SERVICES"):
            services.down(settings)
    results["load_end"] = os.getloadavg()
    print(json.dumps(results, indent=1, default=str))
    (BENCH_DIR / f"last-scale-{N}.json").write_text(json.dumps(results, indent=1, default=str))
    return results
