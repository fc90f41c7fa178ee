"""Bad input: every kind of unreadable file gives a clear PdfError (or a result), quickly."""

from __future__ import annotations

import time

import pymupdf
import pytest

from nlp.errors import PdfError
from nlp.ocr import ocr_blocks, tesseract_available, tesseract_pdf, tesseract_program, tesseract_words
from nlp.pdf import read_pdf
from nlp.report import understand
from tests.pdf_fixtures import render_paragraphs

TEXT = ("La chambre a examiné la gestion de la commune pour les exercices 2012 et suivants. "
        "Les comptes présentent des anomalies qui appellent des corrections rapides.")


def _error(data: bytes, **kw) -> PdfError:
    with pytest.raises(PdfError) as info:
        read_pdf(data, **kw)
    assert str(info.value)  # a readable message
    return info.value


@pytest.fixture(scope="module")
def good_pdf() -> bytes:
    return render_paragraphs([TEXT] * 30)


def test_html_served_as_pdf_is_not_a_pdf():
    err = _error(b"<!DOCTYPE html><html><body>Erreur 404</body></html>")
    assert err.code == "not_pdf" and "HTML" in str(err)


def test_empty_file_and_random_bytes_are_not_pdf():
    assert _error(b"").code == "not_pdf"
    assert _error(b"\x00\x01binary junk" * 100).code == "not_pdf"


def test_corrupt_pdf(good_pdf):
    assert _error(b"%PDF-1.7\n" + bytes(range(256)) * 40).code == "corrupt"


def test_truncated_pdf_is_corrupt_or_partially_read(good_pdf):
    assert _error(good_pdf[: len(good_pdf) // 3]).code == "corrupt"
    doc = read_pdf(good_pdf[:-200])  # only the trailer lost: repaired, with a warning
    assert "chambre a examiné" in doc.text
    assert any("réparé" in w for w in doc.warnings)


def test_encrypted_pdf(good_pdf):
    doc = pymupdf.open("pdf", good_pdf)
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    assert _error(data).code == "encrypted"


def test_blank_pdf_is_empty():
    doc = pymupdf.open()
    doc.new_page()
    assert _error(doc.tobytes()).code == "empty"


def test_pdf_with_zero_pages_is_empty():
    data = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    assert _error(data).code in ("empty", "corrupt")


def test_too_many_pages_is_refused_without_reading():
    doc = pymupdf.open()
    for _ in range(1500):
        doc.new_page()
    data = doc.tobytes()
    t = time.perf_counter()
    err = _error(data, max_pages=1200)
    assert err.code == "too_many_pages" and "1500" in str(err)
    assert time.perf_counter() - t < 5


def test_too_big_is_refused(good_pdf):
    assert _error(good_pdf, max_bytes=1000).code == "too_big"


def _image_only_pdf() -> bytes:
    text_pdf = pymupdf.open("pdf", render_paragraphs([TEXT] * 3))
    pix = text_pdf[0].get_pixmap(dpi=150)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(page.rect, pixmap=pix)
    return doc.tobytes()


def test_image_only_pdf_without_ocr_is_empty_with_reason():
    err = _error(_image_only_pdf(), ocr=False)
    assert err.code == "empty"


@pytest.mark.slow
@pytest.mark.skipif(not tesseract_available("fra"), reason="Tesseract with French data is not installed")
def test_image_only_pdf_is_ocred_and_cached(tmp_path):
    data = _image_only_pdf()
    doc = read_pdf(data, ocr_cache=tmp_path)
    assert doc.pages[0].ocr
    assert "chambre" in doc.text and "gestion" in doc.text
    assert list(tmp_path.rglob("*.json")), "the OCR result is cached"
    t = time.perf_counter()
    again = read_pdf(data, ocr_cache=tmp_path)
    assert again.text == doc.text
    assert time.perf_counter() - t < 1.0  # from the cache, not a new OCR (≈3 s)


def test_understand_raises_pdf_error_for_bad_input():
    with pytest.raises(PdfError):
        understand(b"<html></html>", "r0")


@pytest.mark.slow
@pytest.mark.skipif(not (tesseract_available("fra") and tesseract_program()),
                    reason="the tesseract program with French data is not installed")
def test_tesseract_words_read_what_the_mupdf_ocr_path_reads_at_the_same_place():
    """The TSV path (the default) and MuPDF's PDF-writer path give the same words, in page
    coordinates, with comparable sizes: the layout reads either the same way."""
    page = pymupdf.open("pdf", _image_only_pdf())[0]
    tsv = tesseract_words(page, dpi=150, language="fra")
    pdf = ocr_blocks(page, tesseract_pdf(page, dpi=150, language="fra"))

    def words(blocks):
        return [(s["text"].strip(), line["bbox"], s["size"]) for b in blocks for line in b["lines"]
                for s in line["spans"] if s["text"].strip()]

    new, old = words(tsv), words(pdf)
    new_text, old_text = [w for w, _, _ in new], [w for w, _, _ in old]
    assert "chambre" in new_text and "gestion" in new_text
    common = set(new_text) & set(old_text)
    assert len(common) >= 0.9 * len(set(old_text))
    first_new = next(b for w, b, _ in new if w == "chambre")
    first_old = next(b for w, b, _ in old if w == "chambre")
    assert abs(first_new[1] - first_old[1]) < 4 and abs(first_new[3] - first_old[3]) < 4  # same line
    new_size = sorted(s for _, _, s in new)[len(new) // 2]
    old_size = sorted(s for _, _, s in old)[len(old) // 2]
    assert 0.8 < new_size / old_size < 1.25
    text = "".join(s["text"] for b in tsv for line in b["lines"] for s in line["spans"])
    assert "  " not in text and " la " in text  # words of a line are spaced once
