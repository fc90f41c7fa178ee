"""The backbone, end to end, with every real part running.

Replica HTTP server on 127.0.0.1 → crawler → Celery worker over a real Redis → extraction
→ store → real Meilisearch → ``GET /api/search`` returns a finding of that report with
its page number. A corrupt PDF on the site is recorded as failed and the others go on;
a second crawl of the unchanged site fetches and indexes nothing new.
"""

from __future__ import annotations

import hashlib
import re
import time
from datetime import date

import pymupdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from constats.config import get_settings
from lab.replica.demo_site import corpus_demo_publications
from lab.replica.site import ReplicaPublication, ReplicaSite
from store.db import session_scope
from store.models import FindingRow, ReportRow
from tests.corpus import CORPUS, needs_corpus

CORRUPT = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a PDF body\n" * 40


def _wait_all_done(ids: set[str], timeout: float = 600) -> list[ReportRow]:
    """The reports of ``ids`` once each is done (other tests may share the worker's store)."""
    n = len(ids)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(get_settings().db_url) as s:
            rows = list(s.scalars(select(ReportRow).where(ReportRow.id.in_(ids))))
        if len(rows) >= n and all(r.status in ("indexed", "failed") for r in rows):
            return rows
        time.sleep(1)
    pytest.fail(f"pipeline did not finish: {[(r.id, r.status, r.error) for r in rows]}")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zà-öø-ÿœ]{4,}", text.lower())


@needs_corpus
@pytest.mark.slow
@pytest.mark.services
def test_report_travels_from_site_to_search_result(pipeline_env, pipeline_services, celery_worker):
    from api.app import create_app
    from crawler.crawl import crawl_source
    from runtime import queue

    def enqueue(file_id: int) -> None:
        queue.enqueue_file(pipeline_services.queue, file_id)

    pubs = corpus_demo_publications(CORPUS, 2)
    pubs.append(ReplicaPublication(slug="commune-de-nullepart", title="Commune de Nullepart (Cher)",
                                   chamber="CRC CENTRE-VAL DE LOIRE", date=date(2016, 6, 1),
                                   summary="Rapport abîmé.", pdf_bytes_factory=lambda: CORRUPT,
                                   code="CORRUPT"))
    settings = get_settings()
    with session_scope(settings.db_url) as s:
        n_before = len(list(s.scalars(select(ReportRow))))
    queued: list[int] = []
    report_ids: set[str] = set()
    with ReplicaSite(pubs) as site:
        summary = crawl_source("ccomptes", settings, base_url=site.base_url,
                               on_new_file=lambda fid, rid: (queued.append(fid), report_ids.add(rid), enqueue(fid)))
        assert summary.failed == 0, summary.errors
        n_files = len(queued)
        assert n_files >= 3  # two reports (+ their responses) and the corrupt one
        rows = _wait_all_done(report_ids)

        by_status = {r.status for r in rows}
        assert "indexed" in by_status
        failed = [r for r in rows if r.status == "failed"]
        assert len(failed) == 1 and failed[0].sha256 == hashlib.sha256(CORRUPT).hexdigest()
        assert failed[0].error and failed[0].error_code

        # a finding of an indexed report, searched by words of its own text
        with session_scope(get_settings().db_url) as s:
            finding = s.scalars(select(FindingRow).join(ReportRow)
                                .where(ReportRow.status == "indexed", ReportRow.role == "report",
                                       ReportRow.id.in_(report_ids))
                                .order_by(FindingRow.kind != "recommandation", FindingRow.start)).first()
            assert finding is not None
            pdf_bytes = site.file_bytes(s.get(ReportRow, finding.report_id).source_url.split(site.base_url)[1])
            fid, fpage, ftext = finding.id, finding.page, finding.text
        query = " ".join(_words(ftext)[:6])
        with TestClient(create_app()) as client:
            r = client.get("/api/search", params={"q": query, "per_page": 50})
            assert r.status_code == 200, r.text
            hits = r.json()["hits"]
            hit = next((h for h in hits if h["id"] == fid), None)
            assert hit is not None, f"finding {fid} not found by {query!r}"
            assert hit["page"] == fpage and f"#page={fpage}" in hit["pdf_url"]
            assert hit["report_title"]
        # the page number is right: the finding's first words are on that page of the PDF
        with pymupdf.open(stream=pdf_bytes, filetype="pdf") as doc:
            page_words = set(_words(doc[fpage - 1].get_text()))
        assert set(_words(ftext)[:6]) <= page_words

        # second crawl of the unchanged site: nothing new fetched, nothing queued
        before = {p.pdf_path: site.count(p.pdf_path) for p in pubs}
        again: list[int] = []
        summary2 = crawl_source("ccomptes", settings, base_url=site.base_url,
                                on_new_file=lambda fid, rid: again.append(fid))
        assert again == [] and summary2.downloaded == 0 and summary2.new_reports == 0
        assert {p.pdf_path: site.count(p.pdf_path) for p in pubs} == before
    with session_scope(get_settings().db_url) as s:
        assert len(list(s.scalars(select(ReportRow)))) == n_before + len(rows)
