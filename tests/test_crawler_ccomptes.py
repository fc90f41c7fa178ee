"""Parsers of the site's pages and the selector check (a change of the site fails here)."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from crawler.ccomptes import (
    Facets,
    announced_counts,
    parse_date,
    parse_facets,
    parse_publication,
    parse_results,
    split_title,
)
from crawler.check import check_site
from crawler.fetcher import Fetcher
from lab.replica.site import ReplicaSite
from tests.crawler_support import crawl_settings, make_publications

BASE = "https://www.ccomptes.fr"

# Fictional pages written for these tests, in the markup of the public site.
RESULTS_PAGE = """<html><body><ul class="search-list-results">
<li class="search-result"><a href="/fr/publications/commune-de-kerbrat"><h2 class="title">Commune de Kerbrat
 (Finistère)</h2></a><span class="title-hover">CRC BRETAGNE</span>
<p class="description">Gestion de la commune.</p>
<time class="date-text" datetime="2024-03-12T12:00:00Z">12/03/2024</time></li>
<li class="search-result"><a href="/fr/publications/commune-de-kerbrat-1">
<h2 class="title">Commune de Kerbrat (Finistère)</h2></a>
<span class="title-hover">CRC BRETAGNE</span><p class="description">Second contrôle.</p>
<time class="date-text" datetime="2019-11-02T12:00:00Z">02/11/2019</time></li>
</ul><nav class="pager"><ul><li class="pager__item pager__item--next">
<a href="?search=kerbrat&amp;page=1" rel="next">Suivant</a></li></ul></nav></body></html>"""

PUBLICATION_PAGE = """<html><body><article><h1 class="page-title">Commune de Kerbrat (Finistère)</h1>
<div class="field--name-field-juridiction"><span class="juridiction-label">CRC BRETAGNE</span></div>
<time datetime="2024-03-12T12:00:00Z">12 mars 2024</time>
<div class="field--name-body"><p>La chambre a contrôlé la commune. La chambre formule trois rappels au
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
    assert page.next_url == f"{BASE}/fr/recherche?search=kerbrat&page=1"
    assert page.problems == []


def test_results_page_reports_a_missing_field():
    page = parse_results(RESULTS_PAGE.replace('class="title-hover"', 'class="label"'), BASE + "/fr/recherche")
    assert len(page.items) == 2 and page.items[0].chamber is None
    assert page.problems == ["result chamber `span.title-hover` missing in 2 of 2 results"]


def test_publication_page():
    pub = parse_publication(PUBLICATION_PAGE, f"{BASE}/fr/publications/commune-de-kerbrat-1")
    assert pub.slug == "commune-de-kerbrat-1" and pub.source == "ccomptes"
    assert (pub.title, pub.chamber, pub.published_on) == ("Commune de Kerbrat (Finistère)", "CRC BRETAGNE",
                                                          date(2024, 3, 12))
    assert [(f.url.rsplit("/", 1)[1], f.role) for f in pub.files] == [
        ("BRR2024-07.pdf", "report"), ("BRR2024-07-reponse.pdf", "response")]
    assert announced_counts(pub.summary) == (3, 5)


def test_text_helpers():
    assert split_title("Commune de Kerbrat (Finistère)") == ("Commune de Kerbrat", "Finistère")
    assert split_title("Région Bretagne") == ("Région Bretagne", None)
    assert announced_counts("La chambre formule 4 recommandations.") == (None, 4)
    assert announced_counts("La chambre formule un rappel au droit.") == (1, None)
    assert announced_counts("Aucune mention.") == (None, None)
    assert parse_date("2024-02-30T00:00:00Z") is None and parse_date("05/01/2016") == date(2016, 1, 5)


def test_facets_match_chambers_loosely():
    facets = Facets({"CRC Bretagne": "b", "CTC Polynésie française": "p", "CRC Grand Est": "g",
                     "CRC Île-de-France": "i"},
                    {"Rapports publics thématiques": "t", "Rapports d'observations définitives": "r"})
    assert facets.rod_type_url() == "r"
    assert facets.jurisdiction_url("polynesie") == "p" and facets.jurisdiction_url("ILE-DE-FRANCE") == "i"
    assert facets.jurisdiction_url("CRC") is None  # ambiguous
    html = ('<div data-drupal-facet-id="juridiction"><a href="/fr/publications?f[0]=j:1">'
            '<span class="facet-item__value">CRC Bretagne</span><span>(3)</span></a></div>')
    assert parse_facets(html, BASE + "/fr/publications").jurisdictions == {
        "CRC Bretagne": BASE + "/fr/publications?f[0]=j:1"}


@pytest.fixture
def site():
    with ReplicaSite(make_publications(12), page_size=5) as s:
        yield s


def test_check_passes_on_the_replica(site, tmp_path):
    with Fetcher(crawl_settings(tmp_path)) as f:
        checks = check_site(f, site.base_url)
    assert [str(c) for c in checks if not c.ok] == []
    assert {c.name for c in checks} >= {"results", "result fields", "publication title", "PDF links",
                                        "search results", "pager"}


def test_check_says_precisely_what_no_longer_matches(site, tmp_path):
    site.html_filter = lambda path, html: html.replace('<h2 class="title">', '<h3 class="titre">').replace(
        'class="juridiction-label"', 'class="juridiction"')
    with Fetcher(crawl_settings(tmp_path)) as f:
        failed = [c for c in check_site(f, site.base_url) if c.failed]
    assert any("`h2.title` missing in 5 of 5 results" in c.detail for c in failed)
    assert not any(c.name == "publication chamber" for c in failed)  # a fallback selector still matches
    site.html_filter = lambda path, html: html.replace("/sites/default/files/", "/documents/")
    with Fetcher(crawl_settings(tmp_path)) as f:
        failed = [c for c in check_site(f, site.base_url) if c.failed]
    assert {c.name for c in failed} == {"PDF links"}


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
    site.html_filter = lambda path, html: html.replace("search-result", "resultat")
    broken = runner.invoke(app, args)
    assert broken.exit_code == 1
    assert "FAIL results: 0 results `ul.search-list-results > li.search-result`" in broken.output
    reset_settings()
