"""Same-run comparison of the search API served from two or more source trees (issue 15).

Against the index that ``python -m bench scale`` built (``BENCH_SCALE_N`` findings, its
Meilisearch and Redis left running with ``CONSTATS_BENCH_KEEP_SERVICES=1``): raw Meilisearch
keyword and hybrid, then ``GET /api/search`` served by each tree in turn (uvicorn from
``ROOT``, see ``bench.bench_search.start_api``), then the same in reverse order, 8 clients.

Run: ``python -m bench.search_ab N ROOT:name [ROOT:name ...]``, or ``ROOT:name:processes``,
e.g. with a copy of main made by
``git archive main | tar -x -C /tmp/main``. Ports: ``CONSTATS_BENCH_MEILI_PORT`` (7797),
``CONSTATS_BENCH_REDIS_PORT`` (6397), ``CONSTATS_BENCH_API_PORT`` (8797); ``KW=1`` adds the
keyword scenario of each tree. Results are printed and written next to the scale bench's.
"""

from __future__ import annotations

import json
import os
import sys
import time

from bench.bench_rebuild import settings_for
from bench.bench_scale import BENCH_DIR, PREFIX
from bench.bench_search import CLIENTS, queries, raw_search_requests, start_api
from bench.search_load import measure
from constats.config import get_settings
from nlp.embed import QueryEmbedder, get_embedder
from search.client import MeiliClient, search_key
from search.settings import index_names

REQUESTS = int(os.environ.get("CONSTATS_BENCH_REQUESTS", "400"))


def main(argv: list[str]) -> dict:
    # ROOT:name, or ROOT:name:processes to compare the API's number of processes
    n, roots = int(argv[0]), [(a.split(":") + [""])[:3] for a in argv[1:]]
    settings = settings_for(BENCH_DIR, "CONSTATS_BENCH_MEILI_PORT", 7797).model_copy(update={
        "database_url": f"sqlite:///{BENCH_DIR / f'archive-{n}.db'}",
        "redis_port": int(os.environ.get("CONSTATS_BENCH_REDIS_PORT", "6397"))})
    port = int(os.environ.get("CONSTATS_BENCH_API_PORT", "8797"))
    with MeiliClient(settings.meili, settings.meili_master_key) as client:
        key = search_key(client, PREFIX)
    qs = queries(get_settings())
    bodies, _ = raw_search_requests(qs, QueryEmbedder(get_embedder(get_settings().embedder, threads=1)),
                                    index_names(PREFIX)["findings"])
    out: dict = {"n": n, "start": time.strftime("%Y-%m-%d %H:%M:%S")}

    def record(name: str, r: dict) -> None:
        out.setdefault(name, []).append({**r, "load": os.getloadavg()})
        print(f"{name:28} p50 {r['p50_ms']:6.1f} p95 {r['p95_ms']:6.1f} req/s {r['throughput_rps']:5.1f} "
              f"errors {r['errors']} load {os.getloadavg()[0]:.1f}", flush=True)

    def raw(mode: str) -> None:
        record(f"raw {mode}", measure(settings.meili, bodies[mode], clients=CLIENTS, total=REQUESTS,
                                      headers={"Authorization": f"Bearer {key}"}))

    def api(root: str, name: str, workers: str, keyword: bool) -> None:
        os.environ["CONSTATS_BENCH_API_ROOT"] = root
        proc = start_api(settings, port, bench_dir=BENCH_DIR, prefix=PREFIX,
                         workers=int(workers) if workers else None)
        if proc is None:
            raise RuntimeError(f"the API of {root} did not start")
        try:
            for mode, ratio in (("hybrid", 0.5), ("keyword", 0.0))[: 2 if keyword else 1]:
                reqs = [{"path": "/api/search", "params": {"q": q, "semantic": ratio}} for q in qs]
                record(f"api {name} {mode}", measure(f"http://127.0.0.1:{port}", reqs,
                                                     clients=CLIENTS, total=REQUESTS))
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    raw("keyword")
    raw("hybrid")
    for root, name, workers in roots:
        api(root, name, workers, bool(os.environ.get("KW")))
    raw("hybrid")
    raw("keyword")
    for root, name, workers in reversed(roots):
        api(root, name, workers, False)
    out["end"] = time.strftime("%H:%M:%S")
    (BENCH_DIR / f"search-ab-{n}.json").write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
