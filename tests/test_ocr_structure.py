"""The reading of Tesseract's TSV (``nlp.ocr.tsv_blocks``): lines cut into table cells at wide gaps,
table rules dropped, the wrapped lines of one paragraph or cell joined, paragraphs and rows kept
apart. Synthetic TSV (word boxes in pixels at 72 dpi, so that pixels are points)."""

from __future__ import annotations

import pymupdf

from nlp.layout import RawPage, layout
from nlp.ocr import tsv_blocks

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
CHAR = 6  # width of a character, in pixels
HEIGHT = 10  # height of a word


def _tsv(lines: list[tuple[int, int, float, list[str]]]) -> str:
    """``(block, paragraph, top, words)`` per OCR line; a word ``"@x:text"`` starts at ``x``,
    the others follow one space after the word before."""
    rows = [HEADER]
    for n, (block, par, top, words) in enumerate(lines, 1):
        x = 72.0
        for k, word in enumerate(words, 1):
            if word.startswith("@"):
                at, word = word[1:].split(":", 1)
                x = float(at)
            width = CHAR * len(word)
            rows.append(f"5\t1\t{block}\t{par}\t{n}\t{k}\t{int(x)}\t{int(top)}\t{width}\t{HEIGHT}\t95\t{word}")
            x += width + CHAR
    return "\n".join(rows) + "\n"


def _blocks(tsv: str) -> list[list[str]]:
    page = pymupdf.open().new_page(width=595, height=842)
    return [[" ".join(s["text"].strip() for s in line["spans"]) for line in b["lines"]]
            for b in tsv_blocks(page, tsv, dpi=72)]


def _words(text: str) -> list[str]:
    return text.split()


# a paragraph that wraps at x = 72 + 70 characters, then a second paragraph after a wider gap
_P1 = [_words("La commune a transmis les pièces demandées et la chambre les a examinées"),
       _words("avec attention au regard des règles applicables à la période sous revue"),
       _words("en cause.")]
_P2 = [_words("Les comptes sont tenus avec soin.")]


def test_wrapped_lines_of_a_paragraph_are_one_block_and_paragraphs_stay_apart():
    # Tesseract put the lines in two paragraphs of its own: the geometry joins them again
    lines = [(1, 1, 100, _P1[0]), (1, 1, 116, _P1[1]), (2, 1, 132, _P1[2]), (3, 1, 158, _P2[0])]
    assert _blocks(_tsv(lines)) == [[" ".join(w) for w in _P1], [" ".join(_P2[0])]]


def test_a_line_that_ends_short_ends_its_paragraph_even_close_below():
    short = _words("Les constats.")
    lines = [(1, 1, 100, short), (1, 1, 116, _P1[0]), (1, 1, 132, _P1[1])]
    assert _blocks(_tsv(lines)) == [[" ".join(short)], [" ".join(_P1[0]), " ".join(_P1[1])]]


def test_table_row_read_as_one_line_is_cut_into_cells_rules_dropped_and_wrapped_cell_joined():
    row1 = [*_words("Mettre en place un inventaire du patrimoine conforme"), "|", "@450:x", "|", "@520:6", "|"]
    row1b = ["aux", "instructions", "budgétaires."]
    row2 = ["Réduire", "les", "délais", "de", "paiement.", "|", "@450:x", "|", "@520:9"]
    # the item cell wraps at about x = 72 + 52 characters (its column ends before the tick)
    lines = [(1, 1, 100, row1), (1, 1, 116, row1b), (2, 1, 140, row2)]
    blocks = _blocks(_tsv(lines))
    assert blocks == [["Mettre en place un inventaire du patrimoine conforme", "aux instructions budgétaires."],
                      ["x"], ["6"], ["Réduire les délais de paiement."], ["x"], ["9"]]
    doc = layout([RawPage(1, 595, 842, tsv_blocks(pymupdf.open().new_page(width=595, height=842),
                                                  _tsv(lines), dpi=72), ocr=True)])
    assert doc.text.split("\n") == ["Mettre en place un inventaire du patrimoine conforme aux instructions "
                                    "budgétaires.\tx\t6", "Réduire les délais de paiement.\tx\t9"]


def test_a_list_item_and_an_indented_line_open_a_block_of_their_own():
    item = ["-", *_words("se doter d'un inventaire fiable des biens de la commune")]
    lines = [(1, 1, 100, _P1[0]), (1, 1, 116, item), (1, 1, 132, ["@100:Indentation", *_words("d'un nouveau alinéa.")])]
    assert [b[0].split()[0] for b in _blocks(_tsv(lines))] == ["La", "-", "Indentation"]


def test_a_status_header_with_close_columns_is_cut_into_its_cells_and_each_wrapped_cell_joined():
    # "Réalisé | En cours de réalisation | Non réalisé | Page": columns 1.8 word heights apart (under
    # the 2 of a row), two header cells wrapped on a second line; a row's tick just below "réalisé"
    line1 = ["@300:Réalisé", "@360:En", "cours", "de", "@444:Non", "@490:Page"]
    line2 = ["@360:réalisation", "@444:réalisé"]
    row = [*_words("Tenir un inventaire."), "@444:x", "@490:6"]
    lines = [(1, 1, 100, line1), (1, 1, 114, line2), (2, 1, 128, row)]
    assert _blocks(_tsv(lines)) == [["Réalisé"], ["En cours de", "réalisation"], ["Non", "réalisé"], ["Page"],
                                    ["Tenir un inventaire."], ["x"], ["6"]]
    doc = layout([RawPage(1, 595, 842, tsv_blocks(pymupdf.open().new_page(width=595, height=842),
                                                  _tsv(lines), dpi=72), ocr=True)])
    assert doc.text.split("\n") == ["Réalisé\tEn cours de réalisation\tNon réalisé\tPage",
                                    "Tenir un inventaire.\tx\t6"]


def test_a_header_line_is_no_part_of_the_title_cell_above_it():
    title = ["@300:Rappel", "à", "la", "règlementation"]
    header = ["@300:En", "cours", "de", "réalisation", "@452:Non", "réalisé"]
    lines = [(1, 1, 100, title), (1, 1, 114, header)]
    assert _blocks(_tsv(lines)) == [["Rappel à la règlementation"], ["En cours de réalisation"], ["Non réalisé"]]


def test_a_table_rule_glued_to_a_word_cuts_the_line_into_two_cells():
    # a two-column letter head read as one line: "Lettre recommandée |Le 14 janvier 2016" (the rule
    # glued to the next cell's first word, 1.5 word heights after the last word of the first cell)
    line = ["Lettre", "recommandée", "@216:|Le", "14", "janvier", "2016"]
    assert _blocks(_tsv([(1, 1, 100, line)])) == [["Lettre recommandée"], ["Le 14 janvier 2016"]]
    # prose keeps its words together
    assert _blocks(_tsv([(1, 1, 100, _P2[0])])) == [[" ".join(_P2[0])]]


def test_an_ocr_tick_a_little_left_of_its_header_is_read_in_that_column():
    # OCR boxes are a few points off: the tick under "Non réalisée" starts 5 points left of the
    # header's box (its right edge stands inside the column)
    from nlp.report import understand_document  # noqa: PLC0415

    prose = _words("La chambre a examiné la gestion de la commune sur la période sous revue et formule")
    header = ["@72:Recommandations", "@250:Réalisée", "@330:En", "cours", "@420:Non", "réalisée"]
    rows = [([*_words("Mettre en place un inventaire"), "@415:x"], 160),
            ([*_words("Réduire les délais de paiement"), "@325:x"], 190)]
    lines = [(1, 1, 100, prose), (2, 1, 130, header)] + [(3 + n, 1, top, row) for n, (row, top) in enumerate(rows)]
    page = pymupdf.open().new_page(width=595, height=842)
    doc = layout([RawPage(1, 595, 842, tsv_blocks(page, _tsv(lines), dpi=72), ocr=True)])
    report = understand_document(doc, "t-ocr-tick")
    assert [(f.text, f.status) for f in report.findings if f.kind == "recommandation"] == [
        ("Mettre en place un inventaire", "non_mise_en_oeuvre"), ("Réduire les délais de paiement", "en_cours")]


def test_a_tick_read_with_the_rule_beside_it_is_a_tick_in_a_cell_of_its_own():
    row = [*_words("Tenir un inventaire des biens."), "@300:Ix", "@340:1x", "@380:x|", "7"]
    assert _blocks(_tsv([(1, 1, 100, row)])) == [["Tenir un inventaire des biens."], ["x"], ["x"], ["x"], ["7"]]


def test_rules_read_as_brackets_in_a_status_header_cut_its_cells():
    line = ["@300:Réalisée]", "En", "cours", "de", "[Non", "réalisée"]
    assert _blocks(_tsv([(1, 1, 100, line)])) == [["Réalisée"], ["En cours de"], ["Non réalisée"]]
    # a tag in brackets after an item keeps its brackets
    tag = ["Réaliser", "l'inventaire.", "[Recommandation", "partiellement", "mise", "en", "œuvre]"]
    assert _blocks(_tsv([(1, 1, 100, tag)])) == [[" ".join(tag)]]


def test_the_ocr_cache_keeps_the_tsv_and_rebuilds_the_blocks_on_read(tmp_path):
    from nlp.ocr import OcrCache, ocr_page, page_content_hash  # noqa: PLC0415

    page = pymupdf.open().new_page(width=595, height=842)
    cache = OcrCache(tmp_path)
    tsv = _tsv([(1, 1, 100, _P2[0])])
    cache.put(page_content_hash(page, dpi=72, language="fra"), {"tsv": tsv})
    assert ocr_page(page, dpi=72, cache=cache) == tsv_blocks(page, tsv, dpi=72)
