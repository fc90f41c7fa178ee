"""Crawls of the replica: several chambers, pagination, duplicates and every injected fault."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from crawler.crawl import crawl_source, fetch_file
from crawler.rawstore import RawStore
from crawler.state import recent_crawls
from lab.replica.faults import FaultPlan
from lab.replica.site import ReplicaPublication, ReplicaSite
from store.db import session_scope
from store.models import FileRow, PublicationRow, ReportRow
from tests.crawler_support import crawl_settings, make_publications, tiny_pdf

FAULTS = {  # index of the publication -> (fault, code recorded, recovers?)
    1: ("server_error", None), 2: ("throttle", None), 3: ("timeout", "timeout"),
    4: ("truncate", "truncated"), 5: ("loop", "redirect_loop"), 6: ("foreign", "foreign_redirect"),
    7: ("html", "not_pdf"), 8: ("huge", "too_large"),
}


def _apply(plan: FaultPlan, kind: str, path: str) -> None:
    {"server_error": lambda: plan.server_error(path, times=2), "throttle": lambda: plan.throttle(path, 1, 1),
     "timeout": lambda: plan.delay(path, 2.5), "truncate": lambda: plan.truncate(path),
     "loop": lambda: plan.redirect_loop(path), "foreign": lambda: plan.redirect_foreign(path),
     "html": lambda: plan.html_as_pdf(path), "huge": lambda: plan.huge(path)}[kind]()


def stored_hashes(store: RawStore) -> list[str]:
    return sorted(p.stem for p in store.root.glob("??/??/*.pdf"))


@pytest.fixture
def faulty_site():
    pubs = make_publications(30, responses_every=5)
    dup = ReplicaPublication(slug="commune-fictive-0-1", title="Commune fictive 0 (Finistère)",
                             chamber="CRC BRETAGNE", date=date(2024, 7, 1), summary="Même rapport, autre URL.",
                             pdf_bytes_factory=lambda: tiny_pdf("commune-0"), code="X0000-BIS")
    plan = FaultPlan()
    for i, (kind, _) in FAULTS.items():
        _apply(plan, kind, pubs[i].pdf_path)
    with ReplicaSite(pubs + [dup], plan, page_size=7) as site:
        site.pubs, site.dup = pubs, dup
        yield site


def test_crawl_with_faults_stores_every_good_report_once(faulty_site, db_url, tmp_path):
    site = faulty_site
    settings = crawl_settings(tmp_path, db_url)
    handed = []
    summary = crawl_source("ccomptes", settings, base_url=site.base_url,
                           on_new_file=lambda fid, rid: handed.append((fid, rid)))
    assert summary.status == "done", summary.error
    bad_paths = {site.pubs[i].pdf_path: code for i, (_, code) in FAULTS.items() if code}
    good_paths = [p for pub in site.publications
                  for p in [pub.pdf_path] + [pub.response_path(i) for i in range(len(pub.responses))]
                  if p not in bad_paths]
    expected = {hashlib.sha256(site.file_bytes(p)).hexdigest() for p in good_paths}
    assert len(expected) == len(good_paths) - 1  # the duplicate

    store = RawStore(settings.raw_dir)
    assert stored_hashes(store) == sorted(expected)
    with session_scope(db_url) as s:
        reports = s.scalars(select(ReportRow)).all()
        files = {f.url: f for f in s.scalars(select(FileRow))}
        pubs = s.scalars(select(PublicationRow)).all()
        assert sorted(r.sha256 for r in reports) == sorted(expected)
        assert {p.chamber for p in pubs} >= {"CRC BRETAGNE", "CTC POLYNÉSIE FRANÇAISE"}
        assert len(pubs) == 31 and all(p.status == "active" for p in pubs)
        for path, code in bad_paths.items():
            row = files[site.base_url + path]
            assert row.status == "failed" and row.error.startswith(code + ":"), (path, row.error)
        for path in good_paths:
            row = files[site.base_url + path]
            assert row.status == "downloaded" and row.sha256 in expected and row.etag
        responses = [f for f in files.values() if f.role == "response"]
        assert len(responses) == 6 and all(f.status == "downloaded" for f in responses)
        report_ids = {r.id for r in reports}
    assert sorted(rid for _, rid in handed) == sorted(report_ids)
    for path in good_paths:  # each good file downloaded once, recovered faults included
        assert site.count(path, 200, complete=True) == 1, path
    assert summary.duplicates == 1 and summary.failed == len(bad_paths)
    assert summary.retries >= 2 + 1  # the two 500s and the 429 at least, asked again
    assert {e["code"] for e in summary.errors} == set(bad_paths.values())

    # a second crawl: known files asked conditionally, nothing downloaded again
    n_before = len(site.requests)
    handed.clear()
    again = crawl_source("ccomptes", settings, base_url=site.base_url, on_new_file=lambda *a: handed.append(a))
    assert again.status == "done" and again.new_reports == 0 and handed == []
    second = site.requests[n_before:]
    asked = {path: [(r.status, r.conditional) for r in second if r.path == path] for path in good_paths}
    assert all(a and set(a) == {(304, True)} for a in asked.values()), asked
    # once each; a 304 slower than the timeout on a loaded machine is asked again, and counted
    assert sum(len(a) - 1 for a in asked.values()) <= again.retries, (asked, again.retries)
    assert stored_hashes(store) == sorted(expected)
    with session_scope(db_url) as s:
        crawls = recent_crawls(s)
    assert [c["status"] for c in crawls] == ["done", "done"]
    assert crawls[1]["counts"]["downloaded"] == summary.downloaded
    assert crawls[1]["counts"]["errors_by_code"]["too_large"] == 1


def test_second_crawl_without_change_is_only_conditional(tmp_path):
    pubs = make_publications(9, responses_every=4)
    settings = crawl_settings(tmp_path)
    with ReplicaSite(pubs, page_size=4) as site:
        first = crawl_source("ccomptes", settings, base_url=site.base_url)
        assert first.downloaded == 12 and first.new_reports == 12
        n = len(site.requests)
        again = crawl_source("ccomptes", settings, base_url=site.base_url)
        second = site.requests[n:]
    assert again.downloaded == 0 and again.not_modified == 12 and again.new_reports == 0
    content = [r for r in second if r.path.startswith(("/sites/", "/fr/publications/"))]
    assert len(content) == 9 + 12
    assert all(r.conditional and r.status == 304 for r in content)
    assert not any(r.status == 200 and r.path.startswith("/sites/") for r in second)
    # listings and robots.txt too: the second crawl makes only conditional requests
    assert second and all(r.conditional and r.status == 304 for r in second), [
        (r.path, r.status, r.conditional) for r in second if not (r.conditional and r.status == 304)]


def test_withdrawn_publications_are_marked_not_deleted(tmp_path):
    pubs = make_publications(6)
    settings = crawl_settings(tmp_path)
    with ReplicaSite(pubs, page_size=4) as site:
        crawl_source("ccomptes", settings, base_url=site.base_url)
        site.remove("commune-2")  # absent from the listing now
        site.faults.gone("/fr/publications/commune-4")  # listed, but its page is gone
        summary = crawl_source("ccomptes", settings, base_url=site.base_url)
    assert summary.withdrawn == 2
    with session_scope(settings.db_url) as s:
        status = {p.slug: p.status for p in s.scalars(select(PublicationRow))}
        assert status == {f"commune-{i}": "withdrawn" if i in (2, 4) else "active" for i in range(6)}
        files = s.scalars(select(FileRow).join(PublicationRow).where(PublicationRow.slug == "commune-2")).all()
        assert [f.status for f in files] == ["withdrawn"]
        assert s.scalar(select(ReportRow).where(ReportRow.file_id == files[0].id)) is not None


def test_since_chamber_and_limit(tmp_path):
    pubs = make_publications(16)  # 2024-06-30 backwards, four chambers in turn
    settings = crawl_settings(tmp_path)
    with ReplicaSite(pubs, page_size=3) as site:
        s1 = crawl_source("ccomptes", settings, base_url=site.base_url, chamber="bretagne")
        s2 = crawl_source("ccomptes", settings, base_url=site.base_url, since="2024-06-25")  # as Celery sends it
        s3 = crawl_source("ccomptes", settings, base_url=site.base_url, limit=2)
        s4 = crawl_source("ccomptes", settings, base_url=site.base_url, chamber="Nulle Part")
    assert s1.publications == 4 and s1.withdrawn == 0
    assert s2.publications == 6  # 06-30 … 06-25
    assert s3.publications == 2
    assert s4.status == "failed" and "Nulle Part" in s4.error
    with session_scope(settings.db_url) as s:
        chambers = {p.slug: p.chamber for p in s.scalars(select(PublicationRow))}
    assert all(chambers[f"commune-{i}"] == "CRC BRETAGNE" for i in (0, 4, 8, 12))


def test_folder_source_and_fetch_file(tmp_path):
    folder = tmp_path / "pdfs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.pdf").write_bytes(tiny_pdf("a"))
    (folder / "sub" / "a-copie.pdf").write_bytes(tiny_pdf("a"))
    (folder / "b.pdf").write_bytes(tiny_pdf("b"))
    (folder / "faux.pdf").write_bytes(b"<html>pas un PDF</html>")
    settings = crawl_settings(tmp_path)
    summary = crawl_source("folder", settings, path=folder)
    assert (summary.downloaded, summary.new_reports, summary.duplicates, summary.failed) == (3, 2, 1, 1)
    again = crawl_source("folder", settings, path=folder)
    assert again.downloaded == 0 and again.not_modified == 3

    store = RawStore(settings.raw_dir)
    with session_scope(settings.db_url) as s:
        row = s.scalar(select(FileRow).where(FileRow.url.endswith("/b.pdf")))
        file_id, sha = row.id, row.sha256
    store.path(sha).unlink()
    rid = fetch_file(file_id, settings)  # the worker's fetch: downloads what is missing
    assert store.read(sha) == tiny_pdf("b") and rid.startswith("r")
    assert fetch_file(file_id, settings) == rid  # idempotent
    assert fetch_file(999_999, settings) is None


def test_named_site_is_allowed_and_responses_point_at_their_report(tmp_path):
    pubs = make_publications(3, responses_every=2)
    settings = crawl_settings(tmp_path, crawl_allowed_hosts=["www.ccomptes.fr"])
    with ReplicaSite(pubs) as site:
        summary = crawl_source("ccomptes", settings, base_url=site.base_url)
        assert summary.new_reports == 5
        refused = crawl_source("ccomptes", settings.model_copy(update={"crawl_allow_loopback": False}),
                               base_url=site.base_url)
    assert refused.status == "failed" and "private_address" in refused.error
    with session_scope(settings.db_url) as s:
        rows = {r.sha256: r for r in s.scalars(select(ReportRow))}
    main = rows[hashlib.sha256(tiny_pdf("commune-0")).hexdigest()]
    response = rows[hashlib.sha256(tiny_pdf("commune-0-reponse")).hexdigest()]
    assert response.role == "response" and response.parent_report_id == main.id
    assert main.parent_report_id is None


def test_kill_between_store_and_commit_downloads_nothing_twice(tmp_path):
    """The window a SIGKILL can hit: bytes moved into the store, state not yet committed."""
    import json

    pubs = make_publications(2)
    settings = crawl_settings(tmp_path)
    store = RawStore(settings.raw_dir)
    with ReplicaSite(pubs) as site:
        crawl_source("ccomptes", settings, base_url=site.base_url)
        url = site.base_url + pubs[1].pdf_path
        with session_scope(settings.db_url) as s:  # forget it, as if the commit never happened
            row = s.scalar(select(FileRow).where(FileRow.url == url))
            note = {"url": url, "etag": row.etag, "last_modified": row.last_modified, "length": row.size,
                    "content_type": row.content_type, "sha256": row.sha256, "size": row.size}
            s.delete(s.scalar(select(ReportRow).where(ReportRow.sha256 == row.sha256)))
            row.sha256 = row.etag = row.last_modified = None
            row.status = "pending"
        store.part_meta_path(url).write_text(json.dumps(note))  # what the fetcher leaves until then
        n = len(site.requests)
        summary = crawl_source("ccomptes", settings, base_url=site.base_url)
        again = [(r.status, r.conditional) for r in site.requests[n:] if r.path == pubs[1].pdf_path]
    assert again == [(304, True)]
    assert summary.new_reports == 1 and summary.downloaded == 0
    with session_scope(settings.db_url) as s:
        row = s.scalar(select(FileRow).where(FileRow.url == url))
        assert row.sha256 == note["sha256"] and row.status == "downloaded" and row.etag == note["etag"]
    assert list(store.tmp_dir.iterdir()) == []
