"""Reading PDFs: page furniture dropped, hyphenation repaired, footnotes and tables kept apart."""

from __future__ import annotations

import re

import pymupdf
import pytest

from nlp.hyphenation import join_lines, vocabulary
from nlp.pdf import read_pdf
from tests.corpus import corpus_txt, needs_corpus
from tests.pdf_fixtures import render_corpus, render_paragraphs

PARAS = [f"Paragraphe {i} : la collectivité de Testville a engagé des dépenses d'équipement importantes "
         f"au cours de l'exercice, financées par l'emprunt et par l'autofinancement." for i in range(60)]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("numbers", ["{n}/{N}", "- {n} -", "Page {n} sur {N}"])
def test_running_header_and_page_numbers_are_dropped(numbers):
    data = render_paragraphs(PARAS, header="Commune de Testville – Rapport d'observations définitives",
                             page_numbers=numbers)
    doc = read_pdf(data)
    assert len(doc.pages) >= 3
    assert "Testville – Rapport" not in doc.text
    n = len(doc.pages)
    assert numbers.format(n=2, N=n) not in doc.text
    roles = {b.role for p in doc.pages for b in p.blocks}
    assert {"header", "page_number"} <= roles
    for i in range(60):  # nothing of the body is lost
        assert f"Paragraphe {i} :" in doc.text


def test_offsets_of_blocks_and_pages():
    doc = read_pdf(render_paragraphs(PARAS))
    for page in doc.pages:
        for b in page.blocks:
            if b.start >= 0:
                assert doc.text[b.start:b.end] == b.text
                assert page.start <= b.start and b.end <= page.end
                assert doc.page_at(b.start) == page.number
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)


def test_paragraph_cut_by_a_page_break_is_joined():
    long = "La commune " + ("n'a pas constitué de provisions pour les contentieux en cours alors que le "
                           "risque était connu depuis plusieurs exercices et ") * 14 + "cela fausse le résultat."
    doc = read_pdf(render_paragraphs(PARAS[:16] + [long]))
    assert len(doc.pages) >= 2
    assert _norm(long) in _norm(doc.text)
    start = doc.text.index("La commune n'a pas constitué")
    assert "\n" not in doc.text[start:start + len(long)]


def _two_pages_pdf(first: list[str], second: list[str]) -> bytes:
    """Lines in Courier (every character as wide) so that equal-length lines end at one right edge."""
    doc = pymupdf.open()
    for lines in (first, second):
        page = doc.new_page()
        page.insert_text((72, 100), "\n".join(lines), fontsize=10, fontname="cour", lineheight=1.25)
    return doc.tobytes()


_FULL = ["Les services ont transmis les pièces demandées et la chambre",
         "les a examinées au regard des règles applicables, puis elle",
         "a relevé que l'opération a contribué au surendettement du Centre"]


@pytest.mark.parametrize("last, joined", [
    ("a relevé que l'opération a contribué au surendettement du Centre", True),  # a full line: cut
    ("Le pôle de santé du Saumurois", False),  # a short line: the paragraph (a title) ends there
])
def test_page_break_before_a_capitalised_word_joins_only_after_a_full_line(last, joined):
    width = max(len(line) for line in _FULL)
    first = [line.ljust(width) for line in _FULL[:2]] + [last]
    second = ["Hospitalier et donc à la dégradation de ses indicateurs bilantiels.",
              "La chambre relève également que les charges sont couvertes."]
    doc = read_pdf(_two_pages_pdf(first, second))
    sep = doc.text[doc.text.index(last) + len(last)]
    assert sep == (" " if joined else "\n")
    assert doc.text.count("Hospitalier et donc") == 1


def _lines_pdf(lines: list[str]) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    y = 100
    for line in lines:
        page.insert_text((72, y), line, fontsize=11, fontname="tiro")
        y += 14
    return doc.tobytes()


def test_hyphenation_is_repaired_and_real_hyphens_kept():
    data = _lines_pdf(["La chambre recommande de procéder au provision-",
                       "nement des risques et de revoir le provisionnement passé.",
                       "Le siège est situé à Neuville-",
                       "de-Poitou, près de la commune de Saint-",
                       "Martin, depuis vingt-",
                       "huit ans."])
    text = read_pdf(data).text
    assert "au provisionnement des risques" in text
    assert "Neuville-de-Poitou" in text
    assert "Saint-Martin" in text
    assert "vingt-huit" in text


def test_join_lines_uses_the_document_vocabulary():
    vocab = vocabulary(["le contrôle interne", "un porte-parole"])
    assert join_lines(["un con-", "trôle"], vocab) == "un contrôle"
    assert join_lines(["un porte-", "parole"], vocab) == "un porte-parole"
    assert join_lines(["fin de", "ligne"], vocab) == "fin de ligne"


def test_footnotes_are_kept_apart():
    data = render_paragraphs(PARAS[:20], footnotes={1: ["Article L. 2313-1 du code général des collectivités "
                                                       "territoriales, note de bas de page."]})
    doc = read_pdf(data)
    assert any("note de bas de page" in f for f in doc.footnotes)
    assert "note de bas de page" not in doc.text


def test_table_cells_are_separated():
    table = ("<table><tr><td>Exercice</td><td>2013</td><td>2014</td></tr>"
             "<tr><td>Capacité d'autofinancement brute</td><td>1 250</td><td>980</td></tr></table>")
    doc = read_pdf(render_paragraphs(PARAS[:3] + [table] + PARAS[3:5]))
    rows = [b for p in doc.pages for b in p.blocks if b.role == "table"]
    assert any(b.text.split("\t") == ["Capacité d'autofinancement brute", "1 250", "980"] for b in rows)
    assert "Capacité d'autofinancement brute\t1 250\t980" in doc.text


@needs_corpus
def test_corpus_report_reads_back_its_text():
    doc = read_pdf(render_corpus("260333", variant=1))
    txt = corpus_txt("260333")
    # every corpus paragraph of some length is found in the PDF's cleaned text
    paragraphs = [p for p in txt.splitlines() if len(p) > 150 and "\t" not in p and "↩" not in p]
    text = _norm(doc.text)
    found = sum(_norm(p) in text for p in paragraphs)
    assert found >= 0.95 * len(paragraphs)


def _ocr_words(x: float, y: float, words: list[tuple[str, float]]) -> tuple[dict, float]:
    """One OCR line as MuPDF reads Tesseract's text layer: a span per word, each word's size
    fitted to its own height (so the sizes of one line scatter)."""
    spans, x1 = [], x
    for k, (word, size) in enumerate(words):
        text = word if k == len(words) - 1 else word + " "
        spans.append({"text": text, "size": size, "flags": 12, "font": "GlyphLessFont"})
        x1 += 5.0 * len(text)
    return {"bbox": [x, y, x1, y + 12], "spans": spans}, x1


def test_ocr_page_joins_scattered_sizes_and_keeps_cells_for_wide_gaps_only():
    from nlp.layout import RawPage, layout

    body = [("La", 9.9), ("chambre", 11.1), ("recommande", 10.4), ("à", 9.3), ("la", 10.6), ("commune", 10.9)]
    line1, _ = _ocr_words(72, 100, [("Recommandation", 13.7), ("n°", 12.0), ("1", 11.6), (":", 7.8),
                                    ("se", 10.2), ("doter", 10.9), ("d'un", 10.4), ("inventaire", 10.5)])
    line2, _ = _ocr_words(72, 113, [("exhaustif", 9.2), ("et", 8.6), ("fiable.", 8.4)])
    # a justified line read as two pieces: a gap of one em is a space, not a cell
    left, end = _ocr_words(72, 200, body[:3])
    right, _ = _ocr_words(end + 11, 200, body[3:])
    # a table row: a gap of five ems separates two cells
    cell1, end = _ocr_words(72, 300, [("Dépenses", 10.6), ("totales", 10.2)])
    cell2, _ = _ocr_words(end + 55, 300, [("1", 10.4), ("250", 10.8), ("000", 10.1)])
    blocks = [{"bbox": [72, 100, 400, 125], "lines": [line1]}, {"bbox": [72, 113, 400, 125], "lines": [line2]},
              {"bbox": [72, 200, 400, 212], "lines": [left, right]},
              {"bbox": [72, 300, 400, 312], "lines": [cell1, cell2]}]
    doc = layout([RawPage(1, 595, 842, blocks, ocr=True)])
    lines = doc.text.split("\n")
    assert "Recommandation n° 1 : se doter d'un inventaire exhaustif et fiable." in lines
    assert "La chambre recommande à la commune" in lines
    assert "Dépenses totales\t1 250 000" in lines
    assert {b.font_size for b in doc.pages[0].blocks if "\t" not in b.text} == {
        doc.pages[0].blocks[0].font_size}  # one body size despite the words' scattered sizes



def test_ocr_header_misread_on_one_page_is_dropped_by_its_place():
    from nlp.layout import RawPage, layout

    pages = []
    for n in range(1, 5):
        header_words = [("TS", 30.0)] if n == 4 else [("Commune", 8.0), ("de", 8.0), ("Testville", 8.0)]
        header, _ = _ocr_words(440 if n < 4 else 70, 46, header_words)
        text, _ = _ocr_words(72, 300, [(f"Paragraphe{n}", 10.5), ("du", 10.0), ("rapport.", 10.8)])
        pages.append(RawPage(n, 595, 842, [{"bbox": header["bbox"], "lines": [header]},
                                           {"bbox": text["bbox"], "lines": [text]}], ocr=True))
    doc = layout(pages)
    assert "Testville" not in doc.text and "TS" not in doc.text
    assert all(f"Paragraphe{n} du rapport." in doc.text for n in range(1, 5))


def test_space_after_a_footnote_call_is_kept():
    doc = read_pdf(render_paragraphs(["Les éléments prévus par le code général des collectivités "
                                      "territoriales<sup>2</sup> (CGCT) sont fournis à l'assemblée."] + PARAS[:2]))
    assert "territoriales2 (CGCT) sont fournis" in doc.text


def test_ligatures_drawn_by_chromium_keep_their_letters():
    """Skia draws "ffi" as its first letter with the ligature's width and the others with none:
    spans kept apart cut the line there and lost "fi" ("l'O" | "f" | "ce aux règles")."""
    from lab.replica.producer_browser import chromium_path, print_pdf  # noqa: PLC0415

    if chromium_path() is None:
        pytest.skip("Chromium not installed")
    page = ("<!doctype html><html lang='fr'><head><meta charset='utf-8'><style>body { font: 10pt 'DejaVu Sans'; }"
            "td { border: 1px solid #000; padding: 2pt; }</style></head><body>"
            "<p>Le conseil a délibéré sur la soumission de l'Office aux règles afin de fixer les offres.</p>"
            "<table><tr><td>1</td><td>Sélectionner l'offre réellement la plus efficace, à la fin du marché.</td>"
            "<td>Mise en œuvre</td></tr></table></body></html>")
    text = " ".join(read_pdf(print_pdf(page), ocr=False).text.split())
    assert "soumission de l'Office aux règles afin de fixer les offres." in text
    assert "Sélectionner l'offre réellement la plus efficace, à la fin du marché." in text


def test_a_small_type_table_at_the_foot_of_the_page_is_not_read_as_notes():
    """"1 | Maîtriser …" in small type at the foot of a page reads as a footnote, and everything
    below it with it; a numbered row of the same table below ("3 | Sécuriser … | Non mise en
    œuvre") shows they are the table's rows: notes end the page."""
    from nlp.layout import RawPage, Unit, _mark_footnotes  # noqa: PLC0415

    def unit(y: float, text: str, x: float = 72.0) -> Unit:
        return Unit(1, [x, y, 500.0, y + 9], [text], 7.7, False, tabular="\t" in text)

    def row(y: float, text: str, status: str) -> Unit:
        return Unit(1, [72.0, y, 524.0, y + 19], [], 7.7, False, role="table",
                    cells=[unit(y, text), unit(y, status, 481.0)])

    page = RawPage(1, 595.0, 842.0, [])
    body = Unit(1, [72.0, 100.0, 520.0, 600.0], ["Texte du rapport."], 9.0, False)
    first = unit(690.0, "1\tMaîtriser l'équilibre financier de l'office.")
    title = unit(702.0, "RECOMMANDATIONS EN COURS DE MISE EN ŒUVRE")
    cut = unit(725.0, "de déterminer la date de réception des plis.", 86.0)
    units = [body, first, title, row(715.0, "3\tSécuriser la procédure de passation des marchés en permettant",
                                     "Non mise en œuvre"), cut]
    _mark_footnotes(page, units, 9.0)
    assert [u.role for u in units] == ["body", "body", "body", "table", "body"]
    # real notes stay notes
    notes = [body, unit(770.0, "1 Source : comptes de gestion."), unit(780.0, "2 Voir l'annexe.")]
    _mark_footnotes(page, notes, 9.0)
    assert [u.role for u in notes] == ["body", "footnote", "footnote"]


def test_a_word_opening_with_a_ligature_drawn_by_chromium_is_not_a_cell():
    from lab.replica.producer_browser import chromium_path, print_pdf  # noqa: PLC0415

    if chromium_path() is None:
        pytest.skip("Chromium not installed")
    sentence = "Mettre en place un suivi des objectifs fixés dans le contrat, à la fin de chaque exercice."
    page = ("<!doctype html><html lang='fr'><head><meta charset='utf-8'><style>body { font: 10pt 'DejaVu Sans'; }"
            f"</style></head><body><p>{sentence}</p></body></html>")
    doc = read_pdf(print_pdf(page), ocr=False)
    assert sentence in doc.text and "\t" not in doc.text
