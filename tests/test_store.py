"""The store of record on SQLite and PostgreSQL: migrations from empty, reports, findings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import inspect

from constats.domain import Body, Finding, Report, ReportMetadata, finding_id, report_id_for, sha256_hex
from store import repo
from store.db import engine_for, migrate, session_scope


def _report(rid: str, n: int = 3) -> Report:
    findings = [Finding(id=finding_id(rid, i * 100, i * 100 + 50), report_id=rid, kind="recommandation",
                        number=str(i + 1), text=f"Recommandation fictive {i}", page=i + 2,
                        start=i * 100, end=i * 100 + 50) for i in range(n)]
    meta = ReportMetadata(title="Commune de Testville", chamber="CRC Bretagne",
                          body=Body(name="Testville", kind="commune", insee="35238"),
                          deliberation_date=date(2016, 5, 3))
    return Report(id=rid, extractor_version="t1", n_pages=9, metadata=meta, findings=findings)


def test_migrations_apply_from_empty_and_are_idempotent(db_url):
    tables = set(inspect(engine_for(db_url)).get_table_names())
    assert {"crawls", "publications", "files", "reports", "findings", "alembic_version"} <= tables
    migrate(db_url)  # second run: nothing to do, no error


def test_same_bytes_register_one_report(db_url):
    sha = sha256_hex(b"%PDF-1.7 fake")
    with session_scope(db_url) as s:
        row, created = repo.register_report(s, sha, source_url="http://x/a.pdf")
        assert created and row.id == report_id_for(sha)
    with session_scope(db_url) as s:
        row2, created2 = repo.register_report(s, sha, source_url="http://x/b.pdf")
        assert not created2 and row2.source_url == "http://x/a.pdf"


def test_extraction_round_trip_and_replacement(db_url):
    sha = sha256_hex(b"report-1")
    with session_scope(db_url) as s:
        row, _ = repo.register_report(s, sha)
        rid = row.id
        repo.save_extraction(s, _report(rid, 3))
    with session_scope(db_url) as s:
        back = repo.report_from_row(repo.get_report(s, rid))
        assert [f.number for f in back.findings] == ["1", "2", "3"]
        assert back.metadata.body.insee == "35238"
        row = repo.get_report(s, rid)
        assert (row.status, row.insee, row.year, row.chamber) == ("extracted", "35238", 2016, "CRC Bretagne")
        repo.save_extraction(s, _report(rid, 1))  # re-extraction replaces, never duplicates
    with session_scope(db_url) as s:
        assert len(repo.get_report(s, rid).findings) == 1


def test_failed_report_keeps_its_error_and_outdated_versions_are_listed(db_url):
    with session_scope(db_url) as s:
        a, _ = repo.register_report(s, sha256_hex(b"a"))
        b, _ = repo.register_report(s, sha256_hex(b"b"))
        repo.save_extraction(s, _report(a.id))
        repo.mark_indexed(s, a.id, "i1")
        repo.mark_failed(s, b.id, "corrupt_pdf", "le fichier n'est pas un PDF lisible")
        ids_a, ids_b = a.id, b.id
    with session_scope(db_url) as s:
        row = repo.get_report(s, ids_b)
        assert (row.status, row.error_code) == ("failed", "corrupt_pdf")
        assert repo.outdated_reports(s, extractor_version="t1", classifier_version=None, index_version="i1") == [ids_b]
        assert set(repo.outdated_reports(s, extractor_version="t2", classifier_version=None,
                                         index_version="i1")) == {ids_a, ids_b}
