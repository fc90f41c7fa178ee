"""Structure: headings with levels and numbering, typed sections, TOC, responses apart."""

from __future__ import annotations

import pytest

from nlp.pdf import read_pdf
from nlp.report import understand, understand_document
from nlp.structure import build_sections
from tests.corpus import needs_corpus
from tests.pdf_fixtures import render_corpus, render_html, render_paragraphs
from tests.sample_report import sample_html


@pytest.fixture(scope="module", params=[True, False], ids=["styled", "plain"])
def sample(request):
    data = render_html(sample_html(styled=request.param), cover=["RAPPORT D'OBSERVATIONS DÉFINITIVES",
                                                                "Commune de Testville"])
    return understand(data, "rtest")


def _by_title(report, start: str):
    return next(s for s in report.sections if s.title.startswith(start))


def test_sections_are_typed(sample):
    kinds = {s.kind for s in sample.sections}
    assert {"cover", "letter", "synthese", "recommandations", "rappels", "procedure", "body", "suivi",
            "reponse"} <= kinds
    assert _by_title(sample, "SYNTH").kind == "synthese"
    assert _by_title(sample, "PROC").kind == "procedure"
    assert _by_title(sample, "L'autofinancement").kind == "body"


def test_heading_levels_and_numbers(sample):
    top = _by_title(sample, "LA FIABILIT")
    sub = _by_title(sample, "Les provisions pour litiges")
    assert top.number == "1" and sub.number == "1.1"
    assert sub.level == top.level + 1
    assert sub.path[-2:] == ["LA FIABILITÉ DES COMPTES", "Les provisions pour litiges"]
    assert top.start < sub.start < sub.end <= top.end
    assert _by_title(sample, "LA SITUATION").start >= top.end


def test_sections_have_pages(sample):
    for s in sample.sections:
        assert 1 <= s.page <= s.page_end <= sample.n_pages


def test_response_is_kept_apart(sample):
    assert len(sample.responses) == 1
    response = sample.responses[0]
    assert "conteste cette analyse" in response.text
    assert "maire" in (response.author or "").lower()
    for f in sample.findings:
        assert not (response.start <= f.start < response.end), "a response is never a finding"


def test_table_of_contents_entries():
    entries = [f"{i}. Chapitre numéro {i} du rapport ........ {i * 3}" for i in range(1, 7)]
    data = render_paragraphs(["SOMMAIRE"] + entries + ["<p style='page-break-before: always'>Texte.</p>"])
    toc, sections = build_sections(read_pdf(data))
    assert [(e.number, e.page) for e in toc] == [(str(i), i * 3) for i in range(1, 7)]
    assert toc[0].title == "Chapitre numéro 1 du rapport"
    assert any(s.kind == "toc" for s in sections)


@needs_corpus
def test_corpus_report_sections():
    report = understand_document(read_pdf(render_corpus("260333", variant=2)), "r260333")
    kinds = [s.kind for s in report.sections]
    assert kinds[:2] == ["cover", "letter"]  # the test renderer puts its cover page first
    assert "synthese" in kinds and "procedure" in kinds and "recommandations" in kinds
    assert sum(k == "body" for k in kinds) >= 10


def test_title_in_the_body_font_glued_to_its_text_is_a_section_of_its_own():
    """A word processor's title in the body's font, size and weight, laid out in one block with the
    paragraph below it, still opens its section (here a follow-up of the earlier audit)."""
    filler = ("Les services de la collectivité ont transmis les pièces demandées et la chambre les a examinées "
              "avec attention au regard des règles applicables à la période sous revue. ")
    paras = ["1. LA PRÉSENTATION", filler * 2,
             "LES SUITES DU DERNIER RAPPORT D’OBSERVATIONS<br>Dans le cadre de son précédent contrôle, la chambre "
             "avait adressé à la commune treize recommandations dont sept ont été suivies d’effet. " + filler,
             filler]
    doc = read_pdf(render_paragraphs(paras))
    _, sections = build_sections(doc)
    titled = [s for s in sections if s.title == "LES SUITES DU DERNIER RAPPORT D’OBSERVATIONS"]
    assert [s.kind for s in titled] == ["suivi"]
    assert "treize recommandations" in doc.text[titled[0].start:titled[0].end]
