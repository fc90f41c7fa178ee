"""Server-rendered pages (HTML checked with a parser), against the real search and store."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from api.app import create_app
from tests.api_support import page

pytestmark = pytest.mark.services


def assert_accessible_frame(doc: HTMLParser) -> None:
    assert doc.css_first("html").attributes["lang"] == "fr"
    assert doc.css_first("a[href='#contenu']") is not None  # skip link
    for role in ("banner", "main", "contentinfo"):
        assert doc.css_first(f"[role={role}]") is not None
    assert len(doc.css("h1")) == 1
    ids = {n.attributes.get("id") for n in doc.css("[id]")}
    for lab in doc.css("label[for]"):
        assert lab.attributes["for"] in ids
    for field in doc.css("input:not([type=hidden]):not([type=radio]), select"):
        assert field.attributes.get("id") in {l.attributes["for"] for l in doc.css("label[for]")}, field.html


def test_home(client):
    doc = page(client, "/")
    assert_accessible_frame(doc)
    assert doc.css_first("form[action='/recherche'] input[name=q]") is not None
    assert doc.css_first("form[action='/communes'] input[name=q]") is not None
    assert doc.css_first("link[href='/static/constats.css']") is not None
    assert doc.css_first("[class*=fr-]") is None  # no DSFR component outside the DSFR theme


def test_results_with_facets_highlights_and_page_links(client, data):
    doc = page(client, "/recherche?q=prime")
    assert_accessible_frame(doc)
    hits = doc.css("article.hit")
    assert hits
    assert any(m.text() for m in doc.css("article.hit mark"))
    assert any("#page=" in a.attributes.get("href", "") for a in doc.css("article.hit a"))
    facet_links = [a.attributes["href"] for a in doc.css(".facets a")]
    assert any("kind=" in h for h in facet_links)
    # following a facet link filters the results
    link = next(h for h in facet_links if "kind=recommandation" in h)
    filtered = page(client, link)
    assert filtered.css("article.hit") and all("Recommandation" in h.css_first("h2").text()
                                               for h in filtered.css("article.hit"))
    assert filtered.css_first(".facets a[aria-current=true]") is not None


def test_results_offer_semantic_search_as_an_opt_in(client):
    plain = page(client, "/recherche?q=prime")
    box = plain.css_first("form[role=search] input#semantic[type=checkbox]")
    assert box is not None and "checked" not in box.attributes
    assert float(box.attributes["value"]) > 0
    assert_accessible_frame(plain)
    # a word found nowhere: found nowhere with the option too (semantic answers are cut by a
    # threshold), and the page says so instead of listing the nearest findings
    assert page(client, "/recherche?q=zorglubesque").css("article.hit") == []
    wide = page(client, f"/recherche?q=zorglubesque&semantic={box.attributes['value']}")
    assert "checked" in wide.css_first("input#semantic").attributes
    assert wide.css("article.hit") == []
    assert "0 constat" in wide.css_first("p.summary").text()
    assert "Aucun constat ne correspond" in wide.text()


def test_results_invalid_parameter_is_a_french_page(client):
    doc = page(client, "/recherche?per_page=500", status=422)
    assert "entre 1 et 100" in doc.css_first("[role=alert]").text()


def test_commune_lookup_and_page_with_follow_up(client, data):
    doc = page(client, "/communes?q=valfleuri")
    link = doc.css_first("ul.results-list a").attributes["href"]
    assert link == "/organismes/45999"
    doc = page(client, link)
    assert_accessible_frame(doc)
    titles = [h.text() for h in doc.css("section.report-block h3")]
    assert len(titles) == 4  # the commune twice, its CCAS, its EPCI
    early = doc.css_first(f"#r-{data.ids['early']}").parent
    rows = early.css("table.data tbody tr")
    follow = [r.css("td")[3].text().strip() for r in rows]
    assert follow == ["Totalement mise en œuvre", "Non mise en œuvre"]
    assert "dégradée" in early.css_first("details").text()  # the synthèse
    page(client, "/organismes/00000", status=404)


def test_report_page(client, data):
    doc = page(client, f"/rapports/{data.ids['early']}")
    assert_accessible_frame(doc)
    assert [h.text().split(" (")[0] for h in doc.css("section h2[id^=k-]")] == ["Synthèse", "Recommandation"]
    assert "pris acte" in doc.css_first("#titre-reponses").parent.text()
    page(client, "/rapports/inconnu", status=404)


def test_finding_page_with_similar(client, data):
    rep = client.get(f"/api/reports/{data.ids['later']}").json()
    fid = rep["findings_by_kind"]["suivi"][1]["id"]
    doc = page(client, f"/constats/{fid}")
    assert_accessible_frame(doc)
    assert "toujours versée" in doc.css_first("blockquote").text()
    assert doc.css("#titre-semblables ~ ul li")


def test_uncertain_themes_are_marked_discreetly(client):
    rows = [json.loads(line) for line in client.get("/api/export", params={"format": "jsonl"}).text.splitlines()]
    low = [r for r in rows if r["low_confidence"] and r["primary_theme"]]
    sure = [r for r in rows if not r["low_confidence"] and r["primary_theme"]]
    assert low and sure
    doc = page(client, f"/constats/{low[0]['finding_id']}")
    badge = doc.css_first("dd .badge.low")
    assert badge is not None and badge.text() == "classement incertain"
    assert f"{round(low[0]['confidence'] * 100)} %" in badge.attributes["title"]
    assert "à vérifier" in badge.attributes["title"]
    assert page(client, f"/constats/{sure[0]['finding_id']}").css_first(".badge.low") is None


def test_export_page_form_builds_a_valid_export(client):
    doc = page(client, "/export")
    assert_accessible_frame(doc)
    assert doc.css_first("form[action='/api/export']") is not None
    # the form's empty fields must be accepted as "no filter"
    r = client.get("/api/export?format=csv&kind=&theme=&departement=&year_from=&year_to=")
    assert r.status_code == 200 and r.text.count("\n") > 5


def test_dsfr_theme_is_opt_in(data, tmp_path, monkeypatch):
    from api import templating

    static = tmp_path / "static"
    (static / "dsfr").mkdir(parents=True)
    (static / "dsfr" / "dsfr.min.css").write_text("/* test */")
    monkeypatch.setattr(templating, "STATIC", static)
    with TestClient(create_app(data.settings.model_copy(update={"ui_theme": "dsfr"}))) as c:
        doc = HTMLParser(c.get("/").text)
    assert doc.css_first("link[href='/static/dsfr/dsfr.min.css']") is not None
    assert doc.css_first("link[href='/static/constats.css']") is None
    assert doc.css_first("button.fr-btn") is not None and doc.css_first("input.fr-input") is not None


def test_year_facet_filters_on_that_year(client):
    doc = page(client, "/recherche?q=")
    link = next(a.attributes["href"] for a in doc.css("#facette-year + ul a") if "2019" in a.text())
    assert "year_from=2019" in link and "year_to=2019" in link
    filtered = page(client, link)
    assert filtered.css("article.hit") and all("2019" in h.css_first(".meta").text()
                                               for h in filtered.css("article.hit"))
    # clicking it again removes the filter
    again = filtered.css_first("#facette-year + ul a[aria-current=true]").attributes["href"]
    assert "year_from=2019" not in again


def test_api_docs_page_lists_every_route_without_cdn(client):
    doc = page(client, "/docs")
    assert_accessible_frame(doc)
    text = doc.text()
    for route in ("/api/search", "/api/export", "/api/bodies/{code}/reports", "/health"):
        assert route in text
    assert not [n for n in doc.css("script[src], link[href]")
                if "//" in (n.attributes.get("src") or n.attributes.get("href"))]
    assert client.get("/openapi.json").json()["paths"]["/api/search"]["get"]["parameters"]
