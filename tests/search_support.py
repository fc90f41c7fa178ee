"""Helpers of the search tests: a test-only embedder and fictional reports in a real store.

``HashingEmbedder`` is for tests only (the project's embedder is ``nlp.embed``): the
hashing trick over words, L2-normalised float32, so that texts sharing words are close.
The sample reports are fictional, written for these tests.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date

import numpy as np

from constats.domain import Body, Finding, Report, ReportMetadata, finding_id, report_id_for, sha256_hex
from store import repo
from store.db import migrate, session_scope


class HashingEmbedder:
    """TEST ONLY: same interface as ``nlp.embed.get_embedder(...)``."""

    name = "hashing-test"
    version = "hashing-test-1"

    def __init__(self, dim: int = 64):
        self.dim = dim

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w{3,}", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
                out[i, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
            if not norm:
                out[i, 0] = 1.0
        return out


def unique_prefix(name: str) -> str:
    return f"t{name}{uuid.uuid4().hex[:6]}"


def new_store(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'constats.db'}"
    migrate(url)
    return url


def add_report(url: str, key: str, findings: list[dict], *, title: str, body: Body,
               chamber: str, region: str | None = None, year: int = 2016,
               pdf_url: str | None = None) -> str:
    """Store a fictional report with ``findings`` (dicts of Finding fields without ids)."""
    sha = sha256_hex(key.encode())
    rid = report_id_for(sha)
    made, pos = [], 0
    for f in findings:
        f = dict(f)
        text = f.pop("text")
        made.append(Finding(id=finding_id(rid, pos, pos + len(text)), report_id=rid, text=text,
                            start=pos, end=pos + len(text), page=f.pop("page", 3), **f))
        pos += len(text) + 1
    meta = ReportMetadata(title=title, chamber=chamber, body=body, region=region,
                          departement=body.departement, deliberation_date=date(year, 6, 1))
    report = Report(id=rid, extractor_version="test", n_pages=20, metadata=meta, findings=made)
    with session_scope(url) as session:
        repo.register_report(session, sha, source_url=pdf_url or f"https://example.test/{key}.pdf",
                             title=title)
        repo.save_extraction(session, report)
    return rid
