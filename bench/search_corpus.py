"""The bench's data set: 200,000 findings from the corpus, written to a real store.

Every body paragraph of the corpus ROD is a finding; the rest are variants, each the
concatenation of two different paragraphs of one report (an ordered pair used once), so no
two findings share a text. Lemmas come from a ``LemmaTable`` taught on a sample of
paragraphs (running the tagger over 200,000 texts would take most of an hour here); a
paragraph's vector is the embedding of its first 24 words and a variant's the normalised sum
of its two paragraphs' vectors (``ComposedEmbedder``): the embedder runs at about 17
paragraphs/s on this shared machine. These are shortcuts for BUILDING the index only; the
query path measured is the product's own, with real query embeddings.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from lab.evaluate.ranking import Para, corpus_reports, paragraphs
from store.db import engine_for, migrate
from store.models import FindingRow, ReportRow

VARIANT_OFFSET = 10_000_000


def distinct_paragraphs(corpus_dir: Path, limit: int, seen: set[bytes] | None = None) -> list[tuple[Para, object]]:
    """(paragraph, report) of the corpus, each text once, at most ``limit`` taken evenly over it;
    ``seen`` receives the hashes of every distinct paragraph text of the corpus."""
    base: list[tuple[Para, object]] = []
    seen = set() if seen is None else seen
    for report, txt in corpus_reports(corpus_dir):
        for p in paragraphs(report, txt):
            h = hashlib.blake2b(p.text.encode(), digest_size=16).digest()
            if h not in seen:
                seen.add(h)
                base.append((p, report))
    if len(base) > limit:
        step = len(base) / limit
        base = [base[int(i * step)] for i in range(limit)]
    return base


def build_pairs(corpus_dir: Path, target: int, seed: int = 11, max_base: int = 15_000):
    """(paragraphs, variants): ``variants`` are (id, report, text, a_id, b_id).

    At most ``max_base`` distinct paragraphs (and never more than ``target``), taken evenly
    over the corpus; the rest of ``target`` is variants."""
    rng = random.Random(seed)
    seen: set[bytes] = set()
    base = distinct_paragraphs(corpus_dir, min(max_base, target), seen)
    by_report: dict[str, list[Para]] = defaultdict(list)
    for p, r in base:
        by_report[r.id].append(p)
    report_of = {r.id: r for _, r in base}
    variants = []
    used: set[tuple[str, str]] = set()
    rids = [rid for rid, ps in by_report.items() if len(ps) >= 2]
    n = 0
    while len(base) + len(variants) < target:
        rid = rng.choice(rids)
        a, b = rng.sample(by_report[rid], 2)
        if (a.id, b.id) in used:
            continue
        text = a.text + " " + b.text
        h = hashlib.blake2b(text.encode(), digest_size=16).digest()
        if h in seen:
            continue
        used.add((a.id, b.id))
        seen.add(h)
        n += 1
        start = VARIANT_OFFSET + n
        variants.append((f"{rid}-{start}-{start + len(text)}", report_of[rid], text, a.id, b.id))
    return base, variants


def fill_store(url: str, base, variants) -> None:
    """Write reports and findings to the store at ``url`` (bulk inserts)."""
    from sqlalchemy import insert

    migrate(url)
    reports = {r.id: r for _, r in base}
    with engine_for(url).begin() as conn:
        conn.execute(insert(ReportRow), [
            {"id": r.id, "sha256": hashlib.sha256(r.id.encode()).hexdigest(), "title": r.title,
             "chamber": r.chamber, "departement": r.departement, "year": r.year,
             "body_name": r.body_name, "source_url": r.source_url, "status": "extracted",
             "extractor_version": "bench", "structure": r.structure}
            for r in reports.values()])
        rows = [{"id": p.id, "report_id": r.id, "kind": "observation", "text": p.text,
                 "page": p.page, "start": p.start, "end": p.end, "section_path": [], "themes": []}
                for p, r in base]
        for vid, r, text, _a_id, _ in variants:
            _, start, end = vid.rsplit("-", 2)
            rows.append({"id": vid, "report_id": r.id, "kind": "observation", "text": text,
                         "page": 1 + int(start) % 40, "start": int(start), "end": int(end),
                         "section_path": [], "themes": []})
        for i in range(0, len(rows), 20_000):
            conn.execute(insert(FindingRow), rows[i:i + 20_000])


class ComposedEmbedder:
    """Wraps the project's embedder: known texts get a precomputed vector (a variant: the
    normalised sum of its parts), unknown texts are embedded for real."""

    def __init__(self, inner, base, variants, batch: int = 256, words: int = 24):
        self.inner, self.dim = inner, inner.dim
        self.name, self.version = f"composed:{inner.name}", getattr(inner, "version", "")
        t0 = time.perf_counter()
        texts = [p.text for p, _ in base]
        heads = [" ".join(t.split()[:words]) for t in texts]  # 6× cheaper to embed here
        vecs = np.vstack([inner.embed(heads[i:i + batch]) for i in range(0, len(heads), batch)])
        self.embed_seconds = time.perf_counter() - t0
        by_id = {p.id: i for i, (p, _) in enumerate(base)}
        self.known: dict[str, np.ndarray] = {t: vecs[i] for i, t in enumerate(texts)}
        for _, _, text, a_id, b_id in variants:
            v = vecs[by_id[a_id]] + vecs[by_id[b_id]]
            self.known[text] = (v / (np.linalg.norm(v) or 1.0)).astype(np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self.known]
        if missing:
            for t, v in zip(missing, self.inner.embed(missing)):
                self.known[t] = v
        return np.vstack([self.known[t] for t in texts])
