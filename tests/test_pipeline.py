"""The pipeline's stages called directly (no broker): bad input is recorded, never lost.

Real PDFs (the project's own fictional sample report rendered by the replica renderer),
real Meilisearch; each bad file ends as a ``failed`` report with a clear error code and
the good one is indexed all the same. Reprocessing keeps finding identifiers stable.
"""

from __future__ import annotations

import pymupdf
import pytest
from sqlalchemy import select

from lab.replica.render import render_sample, sample_reports
from store import repo
from store.models import FindingRow, ReportRow
from worker import pipeline


def _encrypted_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Rapport confidentiel de la chambre")
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    doc.close()
    return data


BAD = {
    "html_error_page.pdf": b"<!DOCTYPE html><html><body><h1>503 Service indisponible</h1></body></html>",
    "empty.pdf": b"",
    "truncated.pdf": None,  # filled from the good PDF
    "encrypted.pdf": None,
}


@pytest.fixture(scope="module")
def good_pdf() -> bytes:
    return render_sample(sample_reports()[0])


@pytest.mark.services
def test_bad_files_fail_with_a_reason_and_the_good_one_is_indexed(pipeline_services, good_pdf):
    svc = pipeline_services
    files = dict(BAD, **{"truncated.pdf": good_pdf[: len(good_pdf) // 3], "encrypted.pdf": _encrypted_pdf()})
    ids = {name: pipeline.ingest_bytes(svc, data, source_url=f"file:///tmp/{name}") for name, data in files.items()}
    good = pipeline.ingest_bytes(svc, good_pdf, source_url="file:///tmp/good.pdf")
    for rid in list(ids.values()) + [good]:
        pipeline.process_report(svc, rid)
    with svc.session() as s:
        for name, rid in ids.items():
            row = repo.get_report(s, rid)
            assert row.status == "failed", name
            assert row.error_code and row.error, name
        assert repo.get_report(s, good).status == "indexed"
        assert s.scalar(select(FindingRow).where(FindingRow.report_id == good)) is not None
    codes = {name: _code(svc, rid) for name, rid in ids.items()}
    assert codes["encrypted.pdf"] == "encrypted"
    assert codes["html_error_page.pdf"] != codes["encrypted.pdf"]


def _code(svc, rid: str) -> str:
    with svc.session() as s:
        return repo.get_report(s, rid).error_code


@pytest.mark.services
def test_same_bytes_twice_is_one_report_and_reprocess_keeps_ids(pipeline_services, good_pdf):
    svc = pipeline_services
    a = pipeline.ingest_bytes(svc, good_pdf, source_url="http://127.0.0.1/a.pdf")
    b = pipeline.ingest_bytes(svc, good_pdf, source_url="http://127.0.0.1/b.pdf")
    assert a == b
    pipeline.process_report(svc, a)
    with svc.session() as s:
        first = sorted(s.scalars(select(FindingRow.id).where(FindingRow.report_id == a)))
        s.get(ReportRow, a).extractor_version = "old"  # pretend an older extractor made it
    assert a in pipeline.outdated_report_ids(svc)
    pipeline.process_report(svc, a)
    with svc.session() as s:
        again = sorted(s.scalars(select(FindingRow.id).where(FindingRow.report_id == a)))
        assert s.get(ReportRow, a).status == "indexed"
    assert first and again == first
    assert a not in pipeline.outdated_report_ids(svc)


@pytest.mark.services
def test_a_theme_model_reading_embeddings_shares_the_findings_vectors_with_the_index(pipeline_env, good_pdf,
                                                                                   tmp_path):
    """With a model that reads the findings' and headings' embeddings, the worker embeds each
    finding once for the classifier AND the index (through the store's cache) and each distinct
    heading of the report once; the index holds the vectors the classifier read."""
    import uuid

    import numpy as np

    from constats.config import get_settings
    from nlp.classify import ThemeClassifier
    from nlp.headings import finding_heading
    from runtime.services import Services
    from search.client import MeiliClient
    from search.settings import index_names
    from store.db import migrate
    from tests.test_classify import _CountingEmbedder, _fitted_ensemble

    settings = get_settings().model_copy(update={"state_dir": tmp_path, "database_url": None,
                                                 "index_prefix": f"t{uuid.uuid4().hex[:8]}"})
    migrate(settings.db_url)
    embedder = _CountingEmbedder()
    clf = ThemeClassifier.from_design(_fitted_ensemble(embedder), data_hash="4" * 16)
    svc = Services(settings, embedder=embedder, classifier=clf)
    rid = pipeline.ingest_bytes(svc, good_pdf, source_url="file:///tmp/shared.pdf")
    embedder.calls.clear()
    assert pipeline.process_report(svc, rid) == rid
    with svc.session() as s:
        rows = list(s.scalars(select(FindingRow).where(FindingRow.report_id == rid)))
        assert repo.get_report(s, rid).classifier_version == clf.version
    assert rows and all(r.primary_theme for r in rows)
    embedded = [t for call in embedder.calls for t in call]
    texts = [r.text for r in rows]
    heads = {h for r in rows if (h := finding_heading(r.kind, list(r.section_path or [])))}
    assert sorted(embedded) == sorted(set(texts) | heads)  # each text once, each heading once
    uid = index_names(settings.index_prefix)["findings"]
    with MeiliClient(settings.meili, settings.meili_master_key) as client:
        try:
            got = client.get_document(uid, rows[0].id, vectors=True)["_vectors"]["default"]
        finally:
            for name in index_names(settings.index_prefix).values():
                client.delete_index(name)
    got = got["embeddings"][0] if isinstance(got, dict) else got
    assert np.allclose(np.asarray(got, dtype=np.float32).ravel(), embedder.inner.embed([rows[0].text])[0], atol=1e-5)
