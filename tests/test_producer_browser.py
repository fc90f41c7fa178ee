"""The "navigateur" layout family: the report model as HTML + CSS printed by headless Chromium."""

from __future__ import annotations

import pytest

from lab.replica.html_model import Block, ParsedHtml, inline_text
from lab.replica.layout import Furniture
from lab.replica.producer_browser import VARIANTS, chromium_path, page_html
from tests.corpus import CORPUS, needs_corpus

FURNITURE = Furniture(title="Commune de Villefranche", chamber="Chambre régionale des comptes Occitanie",
                      departement="Aveyron")


def _model() -> ParsedHtml:
    blocks = [Block("heading", "1 La situation financière", level=1),
              Block("para", 'La dette a baissé<sup id="ref1">1</sup> depuis 2012.'),
              Block("table", rows=[["Année", "Encours"], ["2012", "12 M€"], ["2013", "11 M€"]]),
              Block("heading", "Recommandations", level=1),
              Block("para", "Recommandation n° 1 : Tenir un inventaire des biens. [Mise en œuvre en cours]"),
              Block("para", "Recommandation n° 2 : Voter le budget avant le 15 avril. [Non mise en œuvre]"),
              Block("heading", "Rappels au droit", level=1),
              Block("para", "Rappel au droit n° 1 : Publier les comptes annuels. [Totalement mis en œuvre]"),
              Block("heading", "2 La commande publique", level=1),
              Block("para", "Les marchés sont passés selon les règles.")]
    return ParsedHtml(blocks, {"1": "Source : comptes de gestion."})


def test_the_page_carries_the_model_in_each_variant():
    by_name = {v.name: page_html(_model(), v, FURNITURE) for v in VARIANTS}
    assert set(by_name) == {"nav-web", "nav-tableau", "nav-suivi"}
    for page in by_name.values():
        assert "<html lang='fr'>" in page and "Tenir un inventaire des biens." in page
        assert "Source : comptes de gestion." in page  # the footnote, somewhere
    assert "@top-left" in by_name["nav-web"] and "<h1>Notes</h1>" in by_name["nav-web"]
    # one status column in words, not ticks
    assert "Degré de mise en œuvre" in by_name["nav-tableau"] and "Mise en œuvre en cours" in by_name["nav-tableau"]
    assert "@top-right" in by_name["nav-tableau"]
    # rappels and recommandations in one table grouped by status
    mixed = by_name["nav-suivi"]
    assert "<th>Nature</th>" in mixed and "Recommandations et rappels non mis en œuvre" in mixed
    assert mixed.index("Publier les comptes annuels.") < mixed.index("Tenir un inventaire des biens.")


@needs_corpus
@pytest.mark.slow
def test_a_corpus_report_printed_by_chromium_in_each_variant():
    if chromium_path() is None:
        pytest.skip("Chromium not installed")
    import pymupdf

    from lab.replica.families import corpus_report_info, render_report, variants_of
    from lab.replica.html_model import parse_report_html
    from nlp.pdf import read_pdf

    key = "391301"
    info = corpus_report_info(key, CORPUS)
    parsed = parse_report_html(info["html"])
    headings = [inline_text(b.html) for b in parsed.headings if len(inline_text(b.html)) > 12][:3]
    cell = next(c for b in parsed.blocks if b.kind == "table" for row in b.rows for c in map(inline_text, row)
                if len(c) > 12 and "\u00a0" not in c)
    variants = variants_of(["navigateur"])
    assert [v.name for v in variants] == ["nav-web", "nav-tableau", "nav-suivi"]
    for variant in variants:
        pdf = render_report(key, variant, CORPUS)
        doc = read_pdf(pdf, ocr=False)
        flat = " ".join(doc.text.split())
        for heading in headings:
            assert " ".join(heading.split()).upper() in flat.upper(), (variant.name, heading)
        assert " ".join(cell.split()) in flat, (variant.name, cell)
        with pymupdf.open(stream=pdf) as raw, pymupdf.open(stream=render_report(key, variant, CORPUS)) as again:
            pages = [page.get_text() for page in raw]
            assert pages == [page.get_text() for page in again], variant.name  # deterministic
        assert all(info["chamber"] in text for text in pages), variant.name  # the running header
