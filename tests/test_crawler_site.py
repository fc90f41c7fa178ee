"""The crawler against the shapes of the real ccomptes.fr, one test per documented fact, and
against a redesign of it (the same crawler, the same selectors file)."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from crawler import selectors as S
from crawler.ccomptes import parse_chambers, parse_results, read_publication
from crawler.crawl import crawl_source
from crawler.documents import classify_role, document_file
from crawler.fetcher import Fetcher
from crawler.savedpages import load
from crawler.sources import CcomptesSource
from lab.replica.saved import SavedSite
from lab.replica.site import ReplicaSite
from store.db import session_scope
from store.models import FileRow, PublicationRow, ReportRow
from tests.crawler_support import crawl_settings, make_publications, real_site_publications

BASE = "https://www.ccomptes.fr"
SELECTORS_FILE = Path(S.__file__)
SAVED_SITES = Path(__file__).parent / "fixtures" / "saved-sites"  # real runs: `--save-pages` folders


def files_of(site: ReplicaSite) -> dict[str, str]:
    """Every file the site publishes: path -> role it must get."""
    out = {}
    for pub in site.publications:
        out[pub.pdf_path] = "report"
        for i in range(len(pub.responses)):
            out[pub.response_path(i)] = "response"
    return out


def listing_pages(site: ReplicaSite) -> list[int]:
    return [int(parse_qs(r.query)["page"][0]) for r in site.requests
            if r.path == S.ENTRY_PATH and "page" in parse_qs(r.query)]


# --------------------------------------------------------------------------- both flavours, whole crawls
@pytest.mark.parametrize("flavour", ["site", "redesign"])
def test_both_flavours_collect_every_report_once_with_its_provenance(flavour, tmp_path):
    selectors_before = hashlib.sha256(SELECTORS_FILE.read_bytes()).hexdigest()
    pubs = real_site_publications(30)
    settings = crawl_settings(tmp_path)
    with ReplicaSite(pubs, page_size=7, flavour=flavour) as site:
        summary = crawl_source("ccomptes", settings, base_url=site.base_url)
        expected = files_of(site)
        assert summary.status == "done", summary.error
        for path in expected:  # each file downloaded exactly once
            assert site.count(path, 200, complete=True) == 1, path
        by_sha = {hashlib.sha256(site.file_bytes(p)).hexdigest(): role for p, role in expected.items()}
    assert summary.publications == 30 and summary.new_reports == len(expected) == 36
    assert summary.failed == 0 and summary.duplicates == 0
    with session_scope(settings.db_url) as s:
        reports = s.scalars(select(ReportRow)).all()
        assert {r.sha256: r.role for r in reports} == by_sha
        rows = {p.url: p for p in s.scalars(select(PublicationRow))}
        files = s.scalars(select(FileRow)).all()
        assert not [f.url for f in files if "/fr/documents/" in f.url]  # document pages led to their file
        for pub in pubs:
            row = rows[f"{site.base_url}/fr/publications/{pub.slug}"]
            assert (row.title, row.published_on) == (pub.title, pub.date)
            assert (row.announced_rappels, row.announced_recommendations) == (
                pubs.index(pub) % 4, pubs.index(pub) % 6 + 1)
            assert row.summary == pub.summary  # the full text, not the cut teaser
            if pub.chamber_path:  # the Cour des comptes has no chamber page to link
                assert row.chamber == pub.chamber
        assert all(r.publication_id is not None and r.year == r.publication.published_on.year
                   and r.year_source == "publication" for r in reports)
    assert hashlib.sha256(SELECTORS_FILE.read_bytes()).hexdigest() == selectors_before


def test_markup_without_any_class_still_gives_every_report(tmp_path):
    """A drift nobody tuned for: every class attribute of every page removed."""
    pubs = real_site_publications(30)
    settings = crawl_settings(tmp_path)
    with ReplicaSite(pubs, page_size=7) as site:
        site.html_filter = lambda path, html: re.sub(r'\sclass="[^"]*"', "", html)
        summary = crawl_source("ccomptes", settings, base_url=site.base_url)
        expected = files_of(site)
    assert summary.status == "done" and summary.new_reports == len(expected) == 36
    with session_scope(settings.db_url) as s:
        rows = {p.slug: p for p in s.scalars(select(PublicationRow))}
        roles = {urlsplit(f.url).path.replace("%20", " "): f.role for f in s.scalars(select(FileRow))}
    assert roles == expected
    assert all((rows[p.slug].published_on, rows[p.slug].announced_recommendations) == (p.date, i % 6 + 1)
               for i, p in enumerate(pubs))


def test_second_crawl_of_the_real_shapes_is_only_conditional(tmp_path):
    settings = crawl_settings(tmp_path)
    with ReplicaSite(real_site_publications(12), page_size=5) as site:
        first = crawl_source("ccomptes", settings, base_url=site.base_url)
        n = len(site.requests)
        again = crawl_source("ccomptes", settings, base_url=site.base_url)
        second = site.requests[n:]
    assert first.new_reports == first.files and again.new_reports == 0 and again.downloaded == 0
    assert second and all(r.conditional and r.status == 304 for r in second), [
        (r.path, r.status) for r in second if not (r.conditional and r.status == 304)]


# --------------------------------------------------------------------------- paging
def test_paging_from_zero_until_a_page_brings_nothing_new(tmp_path):
    with ReplicaSite(make_publications(11), page_size=4) as site:
        summary = crawl_source("ccomptes", crawl_settings(tmp_path), base_url=site.base_url)
        pages = listing_pages(site)
        page0 = site.render(S.ENTRY_PATH, [("page", "0")])[1]
    assert summary.publications == 11 and summary.withdrawn == 0
    assert pages == [0, 1, 2, 3]  # 4 + 4 + 3, then an empty page ends the walk
    assert "pager__item--next" not in page0 and 'rel="next"' not in page0  # nothing to follow but page=


def test_a_site_that_ignores_page_stops_after_one_page_of_nothing_new(tmp_path):
    with ReplicaSite(make_publications(6), page_size=4) as site:
        site.html_filter = lambda path, html: html if path != S.ENTRY_PATH else site.render(
            S.ENTRY_PATH, [("page", "0")])[1]  # every page= shows the first page again
        summary = crawl_source("ccomptes", crawl_settings(tmp_path), base_url=site.base_url)
        assert listing_pages(site) == [0, 1]
    assert summary.status == "done" and summary.publications == 4


def test_the_walk_has_a_hard_cap_and_an_incomplete_list_withdraws_nothing(tmp_path, monkeypatch):
    settings = crawl_settings(tmp_path)
    with ReplicaSite(make_publications(10), page_size=2) as site:
        crawl_source("ccomptes", settings, base_url=site.base_url)
        site.remove("commune-0")
        monkeypatch.setattr(S, "MAX_LISTING_PAGES", 2)
        summary = crawl_source("ccomptes", settings, base_url=site.base_url)
        assert listing_pages(site)[-2:] == [0, 1]
    assert summary.publications == 4 and summary.withdrawn == 0
    assert [e["code"] for e in summary.errors] == ["listing_cap"]


# --------------------------------------------------------------------------- result lists
RESULTS = """<html><body><main><div class="view-search-publications"><p>12 résultats</p>
<ul class="search-list-results">
<li class="search-result"><a href="/fr/publications/commune-de-rognac-bouches-du-rhone-1">
<span class="title-hover">CRC Provence-Alpes-Côte d'Azur</span><h2 class="title">Commune de Rognac
(Bouches-du-Rhône)</h2></a><a href="/fr/crc-provence-alpes-cote-dazur">CRC</a>
<p class="description">La chambre a contrôlé…</p><time datetime="2024-03-12">12 mars 2024</time>
<p class="text">2 Documents</p></li>
<li class="search-result"><a href="/fr/publications/commune-de-rognac-bouches-du-rhone">
<h2 class="title">Commune de Rognac (Bouches-du-Rhône)</h2></a><time datetime="2017-05-02T10:00:00+02:00">
2 mai 2017</time></li></ul></div>
<ul class="pager"><li class="pager-item pager-current">1</li><li class="pager-item"><a href="?page=1">2</a></li>
</ul></main></body></html>"""


def test_result_items_time_without_class_and_slugs_of_a_body_audited_again():
    page = parse_results(RESULTS, f"{BASE}/fr/publications?page=0")
    assert [i.url for i in page.items] == [f"{BASE}/fr/publications/commune-de-rognac-bouches-du-rhone-1",
                                           f"{BASE}/fr/publications/commune-de-rognac-bouches-du-rhone"]
    first, second = page.items
    assert first.published_on == date(2024, 3, 12) and second.published_on == date(2017, 5, 2)
    assert (first.title, first.chamber, first.n_documents) == (
        "Commune de Rognac (Bouches-du-Rhône)", "CRC Provence-Alpes-Côte d'Azur", 2)
    assert first.description == "La chambre a contrôlé…"
    assert page.pager_pages == [1]
    assert page.hints.used["result date"] == {"time[datetime]": 2}
    assert page.hints.used["result item"] == {"li.search-result": 2}


def test_results_found_by_url_when_every_class_changed():
    redesigned = (RESULTS.replace("search-result", "card").replace("search-list-results", "cards")
                  .replace("view-search-publications", "catalogue").replace('class="title"', 'class="t"')
                  .replace("title-hover", "kicker"))
    page = parse_results(redesigned, f"{BASE}/fr/publications?page=0")
    assert [i.title for i in page.items] == ["Commune de Rognac (Bouches-du-Rhône)"] * 2
    assert page.items[0].published_on == date(2024, 3, 12)
    assert page.items[0].chamber == "CRC"  # the link to the chamber's page stands in for the label
    assert page.hints.used["result item"] == {"li": 2}
    assert page.hints.used["result title"] == {"h2": 2}


# --------------------------------------------------------------------------- publication pages
PUBLICATION = """<html><head><meta name="twitter:title" content="Commune de La Chapelle-sur-Erdre
(Loire-Atlantique)"></head><body><main><span class="text-thematic">Finances publiques locales</span>
<h1>Commune de La Chapelle-sur-Erdre (Loire-Atlantique)</h1>
<time class="date section" datetime="2025-06-30">30 juin 2025</time>
<a href="/fr/crc-pays-de-la-loire">CRC Pays de la Loire</a>
<div class="publication-teaser-content"><div class="teaser-text">La chambre a contrôlé la commune…
<button class="btn show-more">Voir plus</button></div></div>
<div class="text-formatted"><div class="field__item"><p>La chambre a contrôlé la commune. La chambre
formule deux rappels au droit et 7 recommandations.</p></div></div>
<div class="links-with-buttons"><div class="side">
<a href="/sites/default/files/2023-10/ROD%202025-225%20Cne%20La%20Chapelle-sur-Erdre.pdf"
 data-document="Rapport d'observations définitives">Télécharger</a>
<a href="/system/files/2021-04/REO2021532.pdf" data-document="Réponse">Télécharger</a>
<a href="/fr/documents/70123" data-document="Réponse de l'ordonnateur">Télécharger</a>
</div></div><a href="/sites/default/files/2023-10/ROD%202025-225%20Cne%20La%20Chapelle-sur-Erdre.pdf">PDF</a>
<a href="/sites/default/files/logo.png">logo</a><a href="/fr/publications">Toutes</a></main></body></html>"""


def test_publication_page_three_link_forms_types_and_full_text():
    page = read_publication(PUBLICATION, f"{BASE}/fr/publications/commune-de-la-chapelle-sur-erdre")
    pub = page.publication
    assert [(d.form, d.role, d.basis) for d in page.documents] == [
        ("files", "report", "type"), ("system", "response", "type"), ("document", "response", "type")]
    assert page.documents[0].url == (f"{BASE}/sites/default/files/2023-10/"
                                     "ROD%202025-225%20Cne%20La%20Chapelle-sur-Erdre.pdf")
    assert (pub.title, pub.published_on, pub.chamber, pub.thematic) == (
        "Commune de La Chapelle-sur-Erdre (Loire-Atlantique)", date(2025, 6, 30), "CRC Pays de la Loire",
        "Finances publiques locales")
    assert pub.summary.endswith("deux rappels au droit et 7 recommandations.")  # not the cut teaser
    assert (pub.announced_rappels, pub.announced_recommendations) == (2, 7)
    assert [f.role for f in pub.files] == ["report", "response", "response"]


def test_title_from_twitter_meta_and_summary_from_the_teaser_when_alone():
    html = ('<html><head><meta name="twitter:title" content="Commune de Rognac (Bouches-du-Rhône)"></head>'
            '<body><main><time datetime="2017-05-02">2 mai 2017</time><div class="teaser-text">La chambre '
            'formule 3 recommandations. <button class="btn show-more">Voir plus</button></div></main></body></html>')
    page = read_publication(html, f"{BASE}/fr/publications/commune-de-rognac-bouches-du-rhone-2")
    pub = page.publication
    assert (pub.title, pub.slug, pub.published_on) == (
        "Commune de Rognac (Bouches-du-Rhône)", "commune-de-rognac-bouches-du-rhone-2", date(2017, 5, 2))
    assert pub.summary == "La chambre formule 3 recommandations."  # without the button's text
    assert (pub.announced_rappels, pub.announced_recommendations) == (None, 3)
    assert page.hints.used["title"] == {"meta[name='twitter:title']": 1}
    assert page.hints.used["date"] == {"time[datetime]": 1}


def test_a_document_page_leads_to_its_file():
    html = ('<html><body><main><h1>Réponse</h1><span class="file-link"><a href="/system/files/2021-04/'
            'REO2021532.pdf">REO2021532.pdf</a></span><a href="/fr/publications">x</a></main></body></html>')
    assert document_file(html, f"{BASE}/fr/documents/70123") == f"{BASE}/system/files/2021-04/REO2021532.pdf"
    assert document_file("<html><body><p>rien</p></body></html>", f"{BASE}/fr/documents/1") is None


@pytest.mark.parametrize("doc_type, name, text, role, basis", [
    ("Rapport", "REO2021532.pdf", "Réponse", "report", "type"),  # the type first
    ("Réponse au rapport", None, None, "response", "type"),
    ("Rapport et réponses", None, None, "report", "type"),
    (None, "REO2021532.pdf", "Rapport", "response", "file name"),  # then the file name
    (None, "RER2021532.pdf", None, "report", "file name"),
    (None, "PAR2025-0792.pdf", None, "report", "file name"),
    (None, "ROD 2025-225 Cne La Chapelle-sur-Erdre.pdf", None, "report", "file name"),
    (None, "commune-de-x-et-sa-r--ponse.pdf", None, "report", "file name"),  # one file, both
    (None, "commune-de-x_r--ponse_ordonnateur.pdf", None, "response", "file name"),
    (None, "document-5.pdf", "Réponse du maire", "response", "link text"),  # then the text
    (None, "document-5.pdf", "Télécharger", None, None),
])
def test_responses_told_from_reports(doc_type, name, text, role, basis):
    assert classify_role(doc_type, name, text) == (role, basis)


@pytest.mark.parametrize("flavour", ["site", "redesign"])
def test_document_pages_followed_and_files_in_every_form(flavour, tmp_path):
    pubs = real_site_publications(9)
    settings = crawl_settings(tmp_path)
    with ReplicaSite(pubs, flavour=flavour) as site:
        crawl_source("ccomptes", settings, base_url=site.base_url)
        doc_pages = {r.path for r in site.requests if r.path.startswith("/fr/documents/")}
        base = site.base_url
    with session_scope(settings.db_url) as s:
        urls = {f.url: f.role for f in s.scalars(select(FileRow)) if f.status == "downloaded"}
    paths = {urlsplit(u).path for u in urls}
    assert any(p.startswith("/system/files/") for p in paths)
    assert any(p.startswith("/sites/default/files/2023-10/") for p in paths)
    documented = {pubs[i].pdf_path for i in range(9) if pubs[i].form == "document"}
    assert len(doc_pages) >= len(documented) == 3
    assert {p.replace("%20", " ") for p in paths} >= documented
    assert urls[base + "/sites/default/files/2025-06/ROD%202025-225%20Cne%20La%20Chapelle-sur-Erdre.pdf"] == "report"
    rer, reo = pubs[2].pdf_path, pubs[2].response_path(0)
    assert (rer.rsplit("/", 1)[1], reo.rsplit("/", 1)[1]) == ("RER2021532.pdf", "REO2021532.pdf")
    assert {urls[base + rer], urls[base + reo]} == {"report", "response"} and urls[base + reo] == "response"
    assert urls[base + pubs[3].pdf_path] == "report"  # report and its responses in one file
    assert urls[base + pubs[4].response_path(0)] == "response"  # …_r--ponse_ordonnateur.pdf


def test_document_pages_that_redirect_to_their_file(tmp_path):
    pubs = [p for p in real_site_publications(12) if p.form == "document"]
    settings = crawl_settings(tmp_path)
    with ReplicaSite(pubs, document_redirects=True) as site:
        summary = crawl_source("ccomptes", settings, base_url=site.base_url)
        expected = files_of(site)
        assert {r.status for r in site.requests if r.path.startswith("/fr/documents/")} == {302}
        for path in expected:  # the redirect is not a download: each file once
            assert site.count(path, 200, complete=True) == 1, path
    assert summary.new_reports == len(expected) == 6 and summary.failed == 0
    with session_scope(settings.db_url) as s:
        assert {urlsplit(f.url).path.replace("%20", " ") for f in s.scalars(select(FileRow))} == set(expected)


# --------------------------------------------------------------------------- filters and chambers
def test_chamber_filter_is_region_with_the_sites_own_chamber_paths(tmp_path):
    pubs = real_site_publications(12)
    settings = crawl_settings(tmp_path)
    with ReplicaSite(pubs, page_size=4) as site:
        summary = crawl_source("ccomptes", settings, base_url=site.base_url, chamber="Provence-Alpes-Côte d'Azur")
        asked = [parse_qs(r.query).get("region") for r in site.requests if r.path == S.ENTRY_PATH and r.query]
        paths = parse_chambers(site.render(S.ENTRY_PATH, [])[1], site.base_url + S.ENTRY_PATH)
    wanted = [p for p in pubs if p.chamber == "CRC PROVENCE-ALPES-CÔTE D'AZUR"]
    assert summary.status == "done" and summary.publications == len(wanted) == 2
    assert ["/fr/crc-provence-alpes-cote-dazur"] in asked
    assert {"/fr/crc-provence-alpes-cote-dazur", "/fr/antilles-guyane", "/fr/crc-la-reunion-et-mayotte"} <= set(paths)


def test_known_chambers_stand_in_when_the_site_links_none(tmp_path):
    with ReplicaSite(real_site_publications(12), page_size=4) as site:
        site.html_filter = lambda path, html: html.replace("/fr/crc-", "/fr/x-").replace("/fr/antilles", "/fr/x")
        with Fetcher(crawl_settings(tmp_path)) as f:
            source = CcomptesSource(site.base_url, f)
            assert source.chambers()[1] is False
            assert source.chamber_path("bretagne") == "/fr/crc-bretagne"
            assert source.chamber_path("Antilles-Guyane") == "/fr/antilles-guyane"
            with pytest.raises(Exception, match="Nulle Part"):
                source.chamber_path("Nulle Part")


def test_replica_filters_are_url_parameters():
    pubs = real_site_publications(30)
    with ReplicaSite(pubs, page_size=50) as site:
        def slugs(query):
            html = site.render(S.ENTRY_PATH, query)[1]
            return {i.url.rsplit("/", 1)[1] for i in parse_results(html, site.base_url + S.ENTRY_PATH).items}

        assert slugs([("f[0]", "institution:98")]) == {pubs[9].slug}  # the Cour des comptes
        year = pubs[0].date.year
        assert slugs([("f[0]", f"daterange:{year}")]) == {p.slug for p in pubs if p.date.year == year}
        assert len(slugs([("items_per_page", "5")])) == 5
        assert slugs([("region", "/fr/crc-bretagne"), ("taxonomy_term", "all")]) == {
            p.slug for p in pubs if p.chamber == "CRC BRETAGNE"}
        html = site.render(S.ENTRY_PATH, [])[1]
        assert 'data-drupal-facet-id="institution"' in html and 'data-drupal-facet-id="daterange"' in html
        assert 'data-drupal-facet-id="juridiction"' not in html


# --------------------------------------------------------------------------- --check
def crawl_cli(site: ReplicaSite, tmp_path: Path, monkeypatch, *args: str):
    import typer

    from cli.crawl import register
    from constats.config import reset_settings

    monkeypatch.setenv("CONSTATS_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CONSTATS_CRAWL_RATE_LIMIT", "100")
    reset_settings()
    app = typer.Typer()
    register(app)
    try:
        return CliRunner().invoke(app, ["crawl", "ccomptes", "--base-url", site.base_url, "--allow-loopback",
                                        *args])
    finally:
        reset_settings()


def test_check_on_the_real_shapes_finds_every_strategy_and_hint(tmp_path, monkeypatch):
    with ReplicaSite(real_site_publications(12), page_size=5) as site:
        res = crawl_cli(site, tmp_path, monkeypatch, "--check")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    for name in [*S.LISTING_HINTS, *S.PUBLICATION_HINTS]:
        assert any(line.startswith(f"OK   hint {name}: `") for line in lines), (name, res.output)
    assert "OK   strategy publication links: 10 publications" in res.output
    assert "OK   strategy paging: `page=` from 0: page=0: 5 new; page=1: 5 new" in res.output
    assert "OK   strategy link forms: document: 2, document resolved: 2, files: 1, system: 1" in res.output
    assert "OK   strategy roles: report by file name: 1, report by type: 2, response by type: 1" in res.output
    assert "OK   drift: every hint served by its documented selector" in res.output


def test_check_on_the_redesign_names_what_drifted(tmp_path, monkeypatch):
    with ReplicaSite(real_site_publications(12), page_size=5, flavour="redesign") as site:
        res = crawl_cli(site, tmp_path, monkeypatch, "--check")
    assert res.exit_code == 0, res.output  # the strategies still find everything
    out = res.output
    assert "OK   strategy publication links: 10 publications" in out
    assert "WARN hint result title: drifted: `h2.title` 0/10, fallback `h3` 10/10" in out
    assert ("WARN hint result chamber: drifted: `span.title-hover` 0/10, fallback `link to a chamber page` 9/10, "
            "nothing 1/10") in out  # the Cour des comptes has no chamber page
    assert "OK   strategy roles: report by file name: 2, report by link text: 1, response by link text: 1" in out
    assert "WARN hint documents: drifted: `div.links-with-buttons .side a[data-document]` 0/3, nothing 3/3" in out
    assert "OK   hint result date: `time[datetime]` 10/10" in out
    drift = next(line for line in out.splitlines() if line.startswith("WARN drift:"))
    for name in ("result item", "result title", "pager", "full text", "documents"):
        assert name in drift


def test_check_fails_when_no_strategy_finds_publications(tmp_path, monkeypatch):
    with ReplicaSite(real_site_publications(6)) as site:
        site.html_filter = lambda path, html: html.replace("/fr/publications/", "/fr/p/")
        res = crawl_cli(site, tmp_path, monkeypatch, "--check")
    assert res.exit_code == 1
    assert "FAIL strategy publication links: 0 publications linked" in res.output


# --------------------------------------------------------------------------- --save-pages
def saved_folders() -> list[Path]:
    return sorted(p for p in SAVED_SITES.glob("*") if (p / "manifest.jsonl").exists()) if SAVED_SITES.is_dir() else []


@pytest.mark.parametrize("flavour", ["site", "redesign"])
def test_saved_pages_become_fixtures_in_one_step(flavour, tmp_path, monkeypatch):
    pubs = real_site_publications(9)
    with ReplicaSite(pubs, page_size=4, flavour=flavour) as site:
        res = crawl_cli(site, tmp_path, monkeypatch, "--no-pipeline", "--save-pages", str(tmp_path / "saved"))
        assert res.exit_code == 0, res.output
        live = {(p.url.replace(site.base_url, ""), tuple(sorted(f.url.replace(site.base_url, "") for f in p.files)))
                for p in discover_all(site.base_url, tmp_path / "live")}
    saved = load(tmp_path / "saved")
    urls = [p.url for p in saved]
    assert urls[0].endswith("/robots.txt") and saved[0].text and saved[0].headers.get("etag")
    assert any(u.endswith("/fr/publications?items_per_page=50&page=0") for u in urls)
    assert sum("/fr/publications/" in u for u in urls) == 9
    assert all(p.fetched_at and p.status in (200, 304) for p in saved)
    assert not any(u.endswith(".pdf") for u in urls)
    with SavedSite(tmp_path / "saved") as replay:  # the saved pages, served again
        again = {(p.url.replace(replay.base_url, ""), tuple(sorted(f.url.replace(replay.base_url, "")
                                                                    for f in p.files)))
                 for p in discover_all(replay.base_url, tmp_path / "replay")}
    assert again == live and len(again) == 9
    for folder in saved_folders():  # runs saved from the real site, copied under tests/fixtures/saved-sites
        with SavedSite(folder) as replay:
            real = discover_all(replay.base_url, tmp_path / folder.name, limit=20)
        assert real and all(p.published_on for p in real), folder
        assert sum(bool(p.files) for p in real) >= len(real) * 0.9, folder


def discover_all(base_url: str, state: Path, limit: int | None = None) -> list:
    with Fetcher(crawl_settings(state)) as fetcher:
        source = CcomptesSource(base_url, fetcher)
        return list(source.discover(limit=limit))
