"""A synthetic archive of N findings in a real store, for the rebuild and scale benches.

- Findings: every distinct body paragraph of the corpus (at most ``max_base``, taken evenly)
  is a finding; the rest are variants, each the concatenation of 2 (then, when the ordered
  pairs of a report run out, 3) different paragraphs of one report, never the same text twice.
- Vectors: the embedder runs once per distinct paragraph (on its first 24 words, as
  ``bench/search_corpus.py`` does, saved in ``paragraph-vectors-*.npy`` and reused by later
  runs); a variant's vector is the normalised sum of its paragraphs' vectors (deterministic,
  no noise added). They are written to the store's vector cache (``text_vectors``) under the
  embedder's key, as the worker leaves it after ingesting: a rebuild then embeds nothing.
- Everything is streamed in chunks, so 1 million findings fit in a few hundred MB.

These are shortcuts for BUILDING the data only; what is measured (rebuild, queries, export)
is the product's own path.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from bench.search_corpus import distinct_paragraphs
from search.indexer import embedder_key, text_hash
from store import repo
from store.db import engine_for, migrate, session_scope
from store.models import FindingRow, ReportRow

VARIANT_OFFSET = 10_000_000
CHUNK = 20_000


def paragraph_vectors(embedder, base, cache_dir: Path, words: int = 24, batch: int = 256) -> tuple[np.ndarray, float]:
    """Vectors of the distinct paragraphs (file cache keyed by their texts and the embedder)."""
    digest = hashlib.sha256(embedder_key(embedder).encode())
    for p, _ in base:
        digest.update(p.text.encode())
    path = cache_dir / f"paragraph-vectors-{digest.hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path), 0.0
    t0 = time.perf_counter()
    heads = [" ".join(p.text.split()[:words]) for p, _ in base]
    vecs = np.vstack([embedder.embed(heads[i:i + batch]) for i in range(0, len(heads), batch)]).astype("<f4")
    np.save(path, vecs)
    return vecs, time.perf_counter() - t0


def _variants(base, target: int, seed: int) -> Iterator[tuple[str, object, str, list[int]]]:
    """(id, report, text, [indexes into base]) until ``target`` findings in all."""
    rng = random.Random(seed)
    by_report: dict[str, list[int]] = defaultdict(list)
    for i, (_, r) in enumerate(base):
        by_report[r.id].append(i)
    rids = [rid for rid, ps in by_report.items() if len(ps) >= 3]
    used: set[tuple[int, ...]] = set()
    n, misses = len(base), 0
    k = 2
    while n < target:
        rid = rng.choice(rids)
        parts = tuple(rng.sample(by_report[rid], k))
        if parts in used:
            misses += 1
            if misses > 50 and k < 4:  # the ordered pairs (then triples) of the reports run out
                k, misses = k + 1, 0
            continue
        misses = 0
        used.add(parts)
        text = " ".join(base[i][0].text for i in parts)
        n += 1
        start = VARIANT_OFFSET + n
        yield f"{rid}-{start}-{start + len(text)}", base[parts[0]][1], text, list(parts)


def build_archive(db_url: str, corpus_dir: Path, target: int, embedder, cache_dir: Path, *,
                  max_base: int = 15_000, seed: int = 11) -> dict:
    """Fill the store at ``db_url`` (migrated, empty) with ``target`` findings and their
    cached vectors. Returns timings and counts."""
    t0 = time.perf_counter()
    base = distinct_paragraphs(corpus_dir, min(max_base, target))
    vecs, embed_s = paragraph_vectors(embedder, base, cache_dir)
    key, dim = embedder_key(embedder), int(embedder.dim)
    migrate(db_url)
    reports = {r.id: r for _, r in base}
    engine = engine_for(db_url)
    with engine.begin() as conn:
        conn.execute(insert(ReportRow), [
            {"id": r.id, "sha256": hashlib.sha256(r.id.encode()).hexdigest(), "title": r.title,
             "chamber": r.chamber, "departement": r.departement, "year": r.year,
             "body_name": r.body_name, "source_url": r.source_url, "status": "indexed",
             "extractor_version": "bench", "structure": r.structure} for r in reports.values()])

    def rows() -> Iterator[tuple[dict, np.ndarray]]:
        for i, (p, r) in enumerate(base):
            yield ({"id": p.id, "report_id": r.id, "kind": "observation", "text": p.text, "page": p.page,
                    "start": p.start, "end": p.end, "section_path": [], "themes": []}, vecs[i])
        for vid, r, text, parts in _variants(base, target, seed):
            _, start, end = vid.rsplit("-", 2)
            v = vecs[parts].sum(axis=0)
            yield ({"id": vid, "report_id": r.id, "kind": "observation", "text": text,
                    "page": 1 + int(start) % 40, "start": int(start), "end": int(end),
                    "section_path": [], "themes": []}, (v / (np.linalg.norm(v) or 1.0)).astype("<f4"))

    n = 0
    chunk: list[tuple[dict, np.ndarray]] = []

    def flush() -> None:
        with session_scope(db_url) as session:
            session.execute(insert(FindingRow), [row for row, _ in chunk])
            repo.save_vectors(session, key, dim, {text_hash(row["text"]): v.tobytes() for row, v in chunk})

    for item in rows():
        chunk.append(item)
        if len(chunk) >= CHUNK:
            flush()
            n += len(chunk)
            chunk = []
    if chunk:
        flush()
        n += len(chunk)
    return {"findings": n, "paragraphs": len(base), "reports": len(reports),
            "embed_paragraphs_s": round(embed_s, 1), "store_s": round(time.perf_counter() - t0 - embed_s, 1)}
