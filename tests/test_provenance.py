"""Provenance from the publication site: every crawled report links its publication page, whose
URL, title, date, summary and announced counts reach the store, the API, the pages and the
exports; the report's year falls back on the publication date."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from api.app import create_app
from api.export import NAMES, table_schema
from constats.config import reset_settings
from constats.domain import Finding, Report, ReportMetadata, finding_id
from crawler.crawl import crawl_source
from lab.replica.site import ReplicaSite
from store import repo
from store.db import session_scope
from store.models import PublicationRow, ReportRow
from tests.crawler_support import crawl_settings, real_site_publications
from tests.search_support import HashingEmbedder


def extract_without_dates(settings) -> None:
    """What the extractor stores for a PDF that gives no date: one finding, no year."""
    with session_scope(settings.db_url) as s:
        for row in s.scalars(select(ReportRow)).all():
            text = "La chambre recommande de fiabiliser les comptes."
            finding = Finding(id=finding_id(row.id, 0, len(text)), report_id=row.id, kind="recommandation",
                              number="1", text=text, page=1, start=0, end=len(text))
            repo.save_extraction(s, Report(id=row.id, sha256=row.sha256, extractor_version="test-1", n_pages=1,
                                           metadata=ReportMetadata(title=row.title), findings=[finding]))


@pytest.fixture
def crawled(tmp_path, monkeypatch):
    settings = crawl_settings(tmp_path, public_rate_limit_store="memory")
    pubs = real_site_publications(6)
    with ReplicaSite(pubs, page_size=4) as site:
        summary = crawl_source("ccomptes", settings, base_url=site.base_url)
        base = site.base_url
    assert summary.status == "done" and summary.new_reports == 9
    extract_without_dates(settings)
    monkeypatch.setenv("DATABASE_URL", settings.db_url)
    monkeypatch.setenv("CONSTATS_STATE_DIR", str(tmp_path))
    reset_settings()
    yield settings, pubs, base
    reset_settings()


def test_year_falls_back_on_the_publication_date(crawled):
    settings, pubs, base = crawled
    with session_scope(settings.db_url) as s:
        rows = s.scalars(select(ReportRow)).all()
        assert len(rows) == 9
        for row in rows:
            assert row.publication is not None and row.publication.published_on is not None
            assert (row.year, row.year_source) == (row.publication.published_on.year, "publication")
        report = Report(id=rows[0].id, sha256=rows[0].sha256, extractor_version="test-1", n_pages=1,
                        metadata=ReportMetadata(year=2012, year_source="deliberation"))
        saved = repo.save_extraction(s, report)
        assert (saved.year, saved.year_source) == (2012, "deliberation")  # the PDF's own year first


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_has_the_publication_for_every_crawled_row(crawled, tmp_path, fmt):
    from cli.main import build

    settings, pubs, base = crawled
    out = tmp_path / f"all.{fmt}"
    res = CliRunner().invoke(build(), ["export", "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        rows = pq.read_table(out).to_pylist()
    assert len(rows) == 9 and all(set(r) == set(NAMES) for r in rows)
    by_url = {f"{base}/fr/publications/{p.slug}": p for p in pubs}
    for r in rows:
        pub = by_url[r["publication_url"]]  # filled for every row, and the right page
        assert str(r["publication_date"]) == pub.date.isoformat()  # a date in Parquet, text elsewhere
        assert r["publication_title"] == pub.title and r["publication_summary"] == pub.summary
        assert str(r["announced_recommendations"]) == str(pubs.index(pub) % 6 + 1)
        assert str(r["year"]) == str(pub.date.year)
    fields = {f["name"]: f for f in table_schema()["fields"]}
    for name in ("publication_url", "publication_date", "publication_title", "announced_rappels",
                 "announced_recommendations"):
        assert fields[name]["description"]


def test_api_and_report_page_link_the_publication_page(crawled):
    settings, pubs, base = crawled
    with session_scope(settings.db_url) as s:
        row = s.scalar(select(ReportRow).join(PublicationRow, ReportRow.publication_id == PublicationRow.id)
                       .where(PublicationRow.slug == pubs[1].slug, ReportRow.role == "report"))
        rid = row.id
    with TestClient(create_app(settings, embedder=HashingEmbedder(64))) as c:
        data = c.get(f"/api/reports/{rid}").json()
        page = c.get(f"/rapports/{rid}").text
    url = f"{base}/fr/publications/{pubs[1].slug}"
    assert data["publication_url"] == url and data["publication_date"] == pubs[1].date.isoformat()
    assert data["publication"]["announced_rappels"] == 1 and data["publication"]["announced_recommendations"] == 2
    assert f'<a href="{url}" rel="external">page de publication</a>' in page
