"""The replica of the publication site: a real HTTP server shaped like ccomptes.fr."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime

import httpx
import pymupdf
import pytest

from crawler.ccomptes import parse_publication, parse_results
from lab.replica.site import ReplicaPublication, ReplicaSite
from tests.corpus import CORPUS, needs_corpus
from tests.crawler_support import make_publications, tiny_pdf


@pytest.fixture
def site():
    pubs = make_publications(11, responses_every=5)
    pubs.append(ReplicaPublication("rapport-thematique", "Les finances locales", "CRC BRETAGNE",
                                   date(2024, 7, 2), "Un rapport public thématique.",
                                   lambda: tiny_pdf("rpt"), kind="rpt"))
    with ReplicaSite(pubs, page_size=4) as s:
        yield s


def walk(client: httpx.Client, url: str) -> list[str]:
    """Every publication of a result list, page= from 0 until a page lists nothing."""
    out, number = [], 0
    while True:
        page_url = f"{url}{'&' if '?' in url else '?'}page={number}"
        page = parse_results(client.get(page_url).text, page_url)
        if not page.items:
            return out
        out += [i.url.rsplit("/", 1)[1] for i in page.items]
        number += 1


def test_listing_filters_and_pagination(site):
    with httpx.Client() as c:
        listing = site.base_url + "/fr/publications"
        slugs = walk(c, listing)
        assert slugs == ["rapport-thematique"] + [f"commune-{i}" for i in range(11)]  # all, once, newest first
        assert walk(c, listing + "?region=/fr/crc-bretagne") == ["rapport-thematique", "commune-0", "commune-4",
                                                                  "commune-8"]
        assert walk(c, listing + "?f[0]=daterange:2024&items_per_page=2") == slugs
        assert walk(c, listing + "?f[0]=daterange:2023") == []
        found = walk(c, site.base_url + "/fr/recherche?search=polynesie")  # accents folded
        assert found == ["commune-3", "commune-7"]
        page = c.get(listing + "?page=1").text
        assert '<li class="pager-item pager-current">2</li>' in page and "rel=\"next\"" not in page
        assert c.get(site.base_url + "/fr/crc-bretagne").status_code == 200


def test_publication_page_and_pdfs(site):
    with httpx.Client() as c:
        url = site.base_url + "/fr/publications/commune-5"
        pub = parse_publication(c.get(url).text, url)
        assert [f.role for f in pub.files] == ["report", "response"]
        r = c.get(pub.files[0].url)
        assert r.headers["content-type"] == "application/pdf" and r.content == tiny_pdf("commune-5")
        assert pymupdf.open(stream=r.content).page_count == 1
        etag, modified = r.headers["etag"], r.headers["last-modified"]
        assert c.get(pub.files[0].url, headers={"If-None-Match": etag}).status_code == 304
        assert c.get(pub.files[0].url, headers={"If-Modified-Since": modified}).status_code == 304
        older = format_datetime(datetime(2000, 1, 1, tzinfo=UTC), usegmt=True)
        assert c.get(pub.files[0].url, headers={"If-Modified-Since": older}).status_code == 200
        page_etag = c.get(url).headers["etag"]
        assert c.get(url, headers={"If-None-Match": page_etag}).status_code == 304
        site.remove("commune-5")
        assert c.get(url).status_code == 404 and c.get(pub.files[0].url).status_code == 404
    path = "/sites/default/files/2024-06/X0005.pdf"
    assert site.count(path, 200) == 2 and site.count(path, 304) == 2 and site.count(path, 404) == 1


def test_huge_file_is_streamed_and_faults_recorded(site):
    path = site.publications[0].pdf_path
    site.faults.huge(path).truncate(site.publications[1].pdf_path)
    with httpx.Client() as c:
        with c.stream("GET", site.base_url + path) as r:
            assert int(r.headers["content-length"]) == 300 * 1024 * 1024
            first = next(r.iter_raw(1 << 20))
            assert first.startswith(b"%PDF-")
        with pytest.raises(httpx.RemoteProtocolError):
            c.get(site.base_url + site.publications[1].pdf_path)
    assert site.count(site.publications[1].pdf_path, 200, complete=False) == 1
    assert site.count(site.publications[1].pdf_path, 200, complete=True) == 0


def test_requests_are_timed_for_rate_measurement(site):
    with httpx.Client() as c:
        for _ in range(5):
            c.get(site.base_url + "/robots.txt")
    assert site.count("/robots.txt") == 5
    assert site.max_in_window(5.0) == 5 and site.max_in_window(0.0) <= 1


@needs_corpus
def test_corpus_publications():
    from lab.replica.corpus import corpus_publications

    pubs = corpus_publications(CORPUS, 8)
    assert len(pubs) == 8 and len({p.slug for p in pubs}) == 8
    assert all(p.chamber.startswith(("CRC ", "CTC ")) and " - (" not in p.title for p in pubs)
    assert sum(p.chamber != "CRC INCONNUE" for p in pubs) >= 6
    data = pubs[0].pdf_bytes_factory()
    assert data.startswith(b"%PDF-") and pymupdf.open(stream=data).page_count >= 1
