"""Rebuild bench (issue 17): a full rebuild of the findings index from the store, with vectors.

Data: ``bench/archive.py`` (corpus paragraphs and their variants in a SQLite store, their
vectors in the store's cache as the worker leaves them). Two paths, in the same run, each into
fresh indexes swapped in for the live ones:

- **baseline** = the earlier rebuild: batches of 500 findings, each task waited for before the
  next batch is built, vectors from the embedder (here a dictionary of the cached vectors
  held in memory, which is faster than the real earlier path, that embedded every text again);
- **rebuild** = ``search.indexer.rebuild`` as it is: batches of ``REBUILD_BATCH``, vectors read
  from the store's cache, tasks sent ahead without waiting (``REBUILD_IN_FLIGHT``).

Both lemmatise with the product's ``search.lemmas.lemmatize``. The baseline runs on
``BENCH_REBUILD_BASELINE_N`` findings (default 20,000: the earlier path runs at well under 100
findings/s), the rebuild on the same and on ``BENCH_REBUILD_N`` (default 100,000).
Meilisearch is the managed one (``CONSTATS_MEILI_MAX_INDEXING_MEMORY`` /
``CONSTATS_MEILI_MAX_INDEXING_THREADS`` apply). Run: ``python -m bench rebuild``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from bench.archive import build_archive
from constats.config import Settings, get_settings
from nlp.embed import get_embedder
from runtime import local as services
from search import settings as index_settings
from search.client import MeiliClient
from search.indexer import BATCH_SIZE, IndexSummary, _index_findings, embedder_key, rebuild
from store import repo
from store.db import session_scope
from store.models import TextVectorRow

ROOT = Path(__file__).resolve().parents[1]
N = int(os.environ.get("BENCH_REBUILD_N", "100000"))
N_BASE = int(os.environ.get("BENCH_REBUILD_BASELINE_N", "20000"))
BENCH_DIR = Path(os.environ.get("CONSTATS_BENCH_DIR", ROOT / "var" / "bench-rebuild")).absolute()
PREFIX = "rebuild"


def settings_for(bench_dir: Path, port_env: str, default_port: int) -> Settings:
    base = get_settings()
    return Settings(state_dir=bench_dir, meili_url=None, redis_url=None,
                    meili_port=int(os.environ.get(port_env, str(default_port))),
                    database_url=f"sqlite:///{bench_dir / 'unused.db'}", index_prefix=PREFIX,
                    meili_max_indexing_memory=base.meili_max_indexing_memory,
                    meili_max_indexing_threads=base.meili_max_indexing_threads)


def ensure_archive(n: int, embedder, bench_dir: Path) -> tuple[str, dict]:
    url = f"sqlite:///{bench_dir / f'archive-{n}.db'}"
    marker = bench_dir / f"archive-{n}.json"
    if marker.exists():
        return url, {**json.loads(marker.read_text()), "reused": True}
    (bench_dir / f"archive-{n}.db").unlink(missing_ok=True)
    info = build_archive(url, get_settings().corpus_dir, n, embedder, bench_dir)
    marker.write_text(json.dumps(info))
    return url, {**info, "reused": False}


class MemoryEmbedder:
    """The earlier path's embedder stand-in: vectors of known texts from a dictionary."""

    def __init__(self, url: str, embedder):
        self.name, self.version, self.dim = embedder.name, embedder.version, embedder.dim
        from search.indexer import text_hash  # noqa: PLC0415

        self._hash = text_hash
        with session_scope(url) as session:
            self.known = {h: np.frombuffer(v, dtype="<f4") for h, v in session.query(
                TextVectorRow.text_sha256, TextVectorRow.vector).filter(
                TextVectorRow.embedder == embedder_key(embedder))}

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self.known[self._hash(t)] for t in texts])


def baseline_rebuild(url: str, client: MeiliClient, embedder) -> dict:
    """The earlier ``rebuild``'s findings phase: batches of 500, each waited for."""
    names = index_settings.index_names(PREFIX)
    uid = f"{names['findings']}-baseline"
    client.delete_index(uid)
    index_settings.apply_index_settings(client, uid, index_settings.declared_settings("findings", embedder.dim))
    summary = IndexSummary()
    t0 = time.perf_counter()
    with session_scope(url) as session:
        _index_findings(client, uid, repo.iter_findings(session, batch=BATCH_SIZE), embedder, summary,
                        batch_size=BATCH_SIZE)
    dt = time.perf_counter() - t0
    client.delete_index(uid)
    return {"findings": summary.findings_indexed, "seconds": round(dt, 1),
            "findings_per_s": round(summary.findings_indexed / dt, 1), "load": os.getloadavg()}


def product_rebuild(url: str, client: MeiliClient, embedder) -> dict:
    t0 = time.perf_counter()
    with session_scope(url) as session:
        summary = rebuild(session, client, embedder, PREFIX)
    dt = time.perf_counter() - t0
    stats = client.stats(index_settings.index_names(PREFIX)["findings"])
    return {"findings": summary.findings_indexed, "reports": summary.reports_indexed,
            "skipped": len(summary.skipped), "seconds": round(dt, 1),
            "findings_per_s": round(summary.findings_indexed / dt, 1),
            "seconds_per_100k": round(dt * 100_000 / max(1, summary.findings_indexed), 1),
            "documents_in_index": stats.get("numberOfDocuments"), "load": os.getloadavg()}


def main() -> dict:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    settings = settings_for(BENCH_DIR, "CONSTATS_BENCH_MEILI_PORT", 7796)
    embedder = get_embedder(get_settings().embedder)
    results: dict = {"n": N, "baseline_n": N_BASE, "embedder": embedder_key(embedder),
                     "meili_max_indexing_memory": settings.meili_max_indexing_memory,
                     "meili_max_indexing_threads": settings.meili_max_indexing_threads,
                     "load_start": os.getloadavg()}
    archives = {n: ensure_archive(n, embedder, BENCH_DIR) for n in sorted({N_BASE, N})}
    results["archives"] = {n: info for n, (_, info) in archives.items()}
    print("archives:", results["archives"])
    bin_dir = Path(os.environ.get("CONSTATS_BIN_DIR", ROOT / ".bin"))
    meili = services.start_meilisearch(settings, bin_dir)
    try:
        with MeiliClient(meili, settings.meili_master_key, timeout=600) as client:
            if N_BASE and not os.environ.get("BENCH_REBUILD_SKIP_BASELINE"):
                url = archives[N_BASE][0]
                results["baseline"] = baseline_rebuild(url, client, MemoryEmbedder(url, embedder))
                print("baseline (earlier path):", results["baseline"])
                results[f"rebuild_{N_BASE}"] = product_rebuild(url, client, embedder)
                print(f"rebuild {N_BASE}:", results[f"rebuild_{N_BASE}"])
                results["ratio_same_n"] = round(results[f"rebuild_{N_BASE}"]["findings_per_s"]
                                                / results["baseline"]["findings_per_s"], 2)
            if N != N_BASE or "baseline" not in results:
                results[f"rebuild_{N}"] = product_rebuild(archives[N][0], client, embedder)
                print(f"rebuild {N}:", results[f"rebuild_{N}"])
    finally:
        if not os.environ.get("CONSTATS_BENCH_KEEP_SERVICES"):
            services.down(settings)
    results["load_end"] = os.getloadavg()
    print(json.dumps(results, indent=1, default=str))
    (BENCH_DIR / "last-rebuild-results.json").write_text(json.dumps(results, indent=1, default=str))
    return results
