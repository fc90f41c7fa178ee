"""Parsers of the site's pages and the selector check (a change of the site fails here)."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from crawler.ccomptes import (
    announced_counts,
    match_chamber,
    parse_chambers,
    parse_date,
    parse_publication,
    parse_results,
    split_title,
)
from crawler.check import check_site
from crawler.fetcher import Fetcher
from lab.replica.site import ReplicaSite
from tests.crawler_support import crawl_settings, make_publications

BASE = "https://www.ccomptes.fr"

# Fictional pages written for these tests, in the shapes public scrapers document.
RESULTS_PAGE = """<html><body><div class="view-search-publications"><ul class="search-list-results">
<li class="search-result"><a href="/fr/publications/commune-de-kerbrat"><span class="title-hover">CRC
 BRETAGNE</span><h2 class="title">Commune de Kerbrat
 (Finistère)</h2></a>
<p class="description">Gestion de la commune.</p>
<time datetime="2024-03-12">12/03/2024</time></li>
<li class="search-result"><a href="/fr/publications/commune-de-kerbrat-1">
<h2 class="title">Commune de Kerbrat (Finistère)</h2></a>
<span class="title-hover">CRC BRETAGNE</span><p class="description">Second contrôle.</p>
<time datetime="2019-11-02">02/11/2019</time></li>
</ul></div><ul class="pager"><li class="pager-item pager-current">1</li>
<li class="pager-item"><a href="?search=kerbrat&amp;page=1">2</a></li></ul></body></html>"""

PUBLICATION_PAGE = """<html><body><article><h1>Commune de Kerbrat (Finistère)</h1>
<a href="/fr/crc-bretagne">CRC BRETAGNE</a>
<time class="date section" datetime="2024-03-12">12 mars 2024</time>
<div class="teaser-text"><p>La chambre a contrôlé la commune. La chambre formule trois rappels au
droit et 5 recommandations.</p></div>
<a href="/sites/default/files/2024-03/BRR2024-07.pdf">Rapport d'observations définitives</a>
<a href="/sites/default/files/2024-03/BRR2024-07.pdf">Télécharger</a>
<a href="/sites/default/files/2024-03/BRR2024-07-reponse.pdf">Réponse du maire</a>
<a href="/sites/default/files/logo.png">logo</a><a href="/fr/publications">Toutes</a>
</article></body></html>"""


def test_results_page():
    page = parse_results(RESULTS_PAGE, f"{BASE}/fr/recherche?search=kerbrat")
    assert [i.url for i in page.items] == [f"{BASE}/fr/publications/commune-de-kerbrat",
                                           f"{BASE}/fr/publications/commune-de-kerbrat-1"]
    first = page.items[0]
    assert (first.title, first.chamber, first.published_on) == (
        "Commune de Kerbrat (Finistère)", "CRC BRETAGNE", date(2024, 3, 12))
    assert page.pager_pages == [1]
    assert {name for name, used in page.hints.used.items() if "(nothing)" in used} == {"result documents"}


def test_results_page_reports_a_missing_field():
    page = parse_results(RESULTS_PAGE.replace('class="title-hover"', 'class="label"'), BASE + "/fr/recherche")
    assert len(page.items) == 2 and page.items[0].chamber is None
    assert page.hints.used["result chamber"] == {"(nothing)": 2}


def test_publication_page():
    pub = parse_publication(PUBLICATION_PAGE, f"{BASE}/fr/publications/commune-de-kerbrat-1")
    assert pub.slug == "commune-de-kerbrat-1" and pub.source == "ccomptes"
    assert (pub.title, pub.chamber, pub.published_on) == ("Commune de Kerbrat (Finistère)", "CRC BRETAGNE",
                                                          date(2024, 3, 12))
    assert [(f.url.rsplit("/", 1)[1], f.role) for f in pub.files] == [
        ("BRR2024-07.pdf", "report"), ("BRR2024-07-reponse.pdf", "response")]
    assert announced_counts(pub.summary) == (3, 5)
    assert (pub.announced_rappels, pub.announced_recommendations) == (3, 5)


def test_text_helpers():
    assert split_title("Commune de Kerbrat (Finistère)") == ("Commune de Kerbrat", "Finistère")
    assert split_title("Région Bretagne") == ("Région Bretagne", None)
    assert announced_counts("La chambre formule 4 recommandations.") == (None, 4)
    assert announced_counts("La chambre formule un rappel au droit.") == (1, None)
    assert announced_counts("Aucune mention.") == (None, None)
    assert parse_date("2024-02-30T00:00:00Z") is None and parse_date("05/01/2016") == date(2016, 1, 5)
    assert parse_date("1er mars 2024") == date(2024, 3, 1) and parse_date("12 février 2023") == date(2023, 2, 12)


def test_chambers_match_loosely():
    chambers = {"/fr/crc-bretagne": "CRC Bretagne", "/fr/ctc-polynesie-francaise": "CTC Polynésie française",
                "/fr/crc-grand-est": "CRC Grand Est", "/fr/crc-ile-de-france": "CRC Île-de-France"}
    assert match_chamber(chambers, "polynesie") == "/fr/ctc-polynesie-francaise"
    assert match_chamber(chambers, "ILE-DE-FRANCE") == "/fr/crc-ile-de-france"
    assert match_chamber(chambers, "Bretagne") == "/fr/crc-bretagne"
    assert match_chamber(chambers, "CRC") is None  # ambiguous
    html = ('<select name="region"><option value="/fr/crc-bretagne">CRC Bretagne</option></select>'
            '<a href="/fr/publications?region=/fr/antilles-guyane">Antilles</a><a href="/fr/crc-grand-est">GE</a>')
    assert parse_chambers(html, BASE + "/fr/publications") == {
        "/fr/crc-bretagne": "CRC Bretagne", "/fr/antilles-guyane": "Antilles", "/fr/crc-grand-est": "GE"}


@pytest.fixture
def site():
    with ReplicaSite(make_publications(12), page_size=5) as s:
        yield s


def test_check_passes_on_the_replica(site, tmp_path):
    with Fetcher(crawl_settings(tmp_path)) as f:
        checks = check_site(f, site.base_url)
    assert [str(c) for c in checks if not c.ok] == []
    assert {c.name for c in checks} >= {"strategy publication links", "strategy paging", "hint result title",
                                        "hint title", "strategy documents", "strategy search", "hint pager"}


def test_check_says_precisely_what_no_longer_matches(site, tmp_path):
    site.html_filter = lambda path, html: html.replace('<h2 class="title">', '<h3 class="titre">').replace(
        "</h2>", "</h3>")
    with Fetcher(crawl_settings(tmp_path)) as f:
        checks = check_site(f, site.base_url)
    assert not [c for c in checks if c.failed]  # the crawl still works: a warning, not a failure
    assert "WARN hint result title: drifted: `h2.title` 0/10, fallback `h3` 10/10" in [str(c) for c in checks]
    site.html_filter = lambda path, html: html.replace("/sites/default/files/", "/documents/")
    with Fetcher(crawl_settings(tmp_path)) as f:
        failed = [c for c in check_site(f, site.base_url) if c.failed]
    assert {c.name for c in failed} == {"strategy documents"}


def test_check_command_exit_code(site, tmp_path, monkeypatch):
    import typer

    from cli.crawl import register
    from constats.config import reset_settings

    monkeypatch.setenv("CONSTATS_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("CONSTATS_CRAWL_RATE_LIMIT", "100")
    reset_settings()
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    args = ["crawl", "ccomptes", "--base-url", site.base_url, "--allow-loopback", "--check"]
    ok = runner.invoke(app, args)
    assert ok.exit_code == 0, ok.output
    site.html_filter = lambda path, html: html.replace("/fr/publications/", "/fr/pub/")
    broken = runner.invoke(app, args)
    assert broken.exit_code == 1
    assert "FAIL strategy publication links: 0 publications linked" in broken.output
    reset_settings()
