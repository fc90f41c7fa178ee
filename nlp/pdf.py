"""Reading a report PDF: ``bytes → Document`` with PyMuPDF, never hanging, never crashing.

Limits (the defaults below, which ``Settings`` repeats; callers pass the configured ones):

* size: more than ``max_pdf_bytes`` (150 MiB) → ``PdfError("too_big")``, refused unread;
* pages: more than ``max_pdf_pages`` (1,200) → ``PdfError("too_many_pages")``, checked
  right after opening, before any page is read;
* OCR: only pages without a text layer that show an image, at ``ocr_dpi`` (110) with
  Tesseract ``fra``; 1 to 3 s per page, results cached by page content hash;
* memory: one page is laid out at a time; the text of a 1,000-page report is a few MB.

Errors are ``nlp.errors.PdfError`` with a reason code: ``not_pdf`` (an HTML page served as
PDF…), ``corrupt`` (cannot be parsed, truncated beyond repair), ``encrypted`` (needs a
password), ``empty`` (no page, or no text at all), ``too_many_pages``, ``too_big``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pymupdf

from constats.domain import Document
from nlp.errors import PdfError
from nlp.layout import RawPage, layout, split_units
from nlp.ocr import OcrCache, as_cache, needs_ocr, ocr_page, tesseract_available
from nlp.pagetext import page_blocks

MAX_PAGES = 1200
MAX_BYTES = 150 * 1024 * 1024
OCR_DPI = 110
OCR_LANGUAGE = "fra"

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


def _check_signature(data: bytes) -> None:
    head = data[:1024]
    if b"%PDF-" in head:
        return
    sniff = head.lstrip()[:200].lower()
    if sniff.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")) or b"<html" in sniff:
        raise PdfError("not_pdf", "le fichier est une page HTML, pas un PDF")
    if not data.strip():
        raise PdfError("not_pdf", "le fichier est vide (0 octet utile)")
    raise PdfError("not_pdf", "le fichier ne commence pas par la signature %PDF")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bounded piece of work.

    Reading a report builds hundreds of thousands of small dicts and lists (PyMuPDF's text
    dicts, then the layout's units) that all stay alive until the ``Document`` is built,
    none of them in a reference cycle: each automatic collection walks all of them again
    for nothing (about a quarter of ``read_pdf``'s time on a 30-page report). Reference
    counting still frees everything as usual; the collector is restored afterwards, and
    left alone if the caller had already disabled it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def open_pdf(data: bytes, *, max_pages: int | None = None, max_bytes: int | None = None) -> pymupdf.Document:
    """Open and check a PDF (signature, size, password, page count) without reading pages."""
    max_pages = MAX_PAGES if max_pages is None else max_pages
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > max_bytes:
        raise PdfError("too_big", f"le fichier fait {len(data) / 2**20:.0f} Mio, au-delà de la limite de "
                                  f"{max_bytes / 2**20:.0f} Mio")
    _check_signature(data)
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # noqa: BLE001 - MuPDF raises several types for broken files
        raise PdfError("corrupt", f"le PDF ne peut pas être ouvert ({exc})") from exc
    if doc.needs_pass and not doc.authenticate(""):
        doc.close()
        raise PdfError("encrypted")
    try:
        n = doc.page_count
    except Exception as exc:  # noqa: BLE001
        doc.close()
        raise PdfError("corrupt", f"le nombre de pages est illisible ({exc})") from exc
    if n == 0:
        doc.close()
        raise PdfError("empty", "le PDF ne contient aucune page")
    if n > max_pages:
        doc.close()
        raise PdfError("too_many_pages", f"le PDF a {n} pages, au-delà de la limite de {max_pages}")
    return doc


def read_pdf(data: bytes, *, max_pages: int | None = None, max_bytes: int | None = None, ocr: bool = True,
             ocr_cache: OcrCache | str | None = None, ocr_dpi: int | None = None,
             ocr_language: str | None = None) -> Document:
    """Read a report PDF into a cleaned ``Document`` (see the module docstring for limits).

    Pages that cannot be read are skipped with a warning; pages without a text layer are
    OCRed when ``ocr`` is true and Tesseract is installed, else left empty with a warning.
    Raises ``PdfError`` when nothing usable remains.
    """
    dpi = ocr_dpi or OCR_DPI
    language = ocr_language or OCR_LANGUAGE
    cache = as_cache(ocr_cache)
    with gc_paused():
        return _read(data, max_pages, max_bytes, ocr, cache, dpi, language)


def _read(data: bytes, max_pages: int | None, max_bytes: int | None, ocr: bool, cache: OcrCache | None,
          dpi: int, language: str) -> Document:
    doc = open_pdf(data, max_pages=max_pages, max_bytes=max_bytes)
    warnings: list[str] = []
    repaired = bool(getattr(doc, "is_repaired", False))
    if repaired:
        warnings.append("PDF endommagé ou tronqué : réparé à la lecture, du contenu peut manquer")
    raw_pages: list[RawPage] = []
    unreadable = 0
    no_text_pages: list[int] = []
    try:
        metadata = {k: str(v) for k, v in (doc.metadata or {}).items() if v}
        for i in range(doc.page_count):
            try:
                page = doc.load_page(i)
                rect = page.rect
                blocks = page_blocks(page)
                is_ocr = False
                if needs_ocr(page, blocks):
                    ocr_blocks = ocr_page(page, dpi=dpi, language=language, cache=cache) if ocr else None
                    if ocr_blocks is None:
                        no_text_pages.append(i + 1)
                    else:
                        blocks, is_ocr = ocr_blocks, True
                raw_pages.append(split_units(RawPage(i + 1, rect.width, rect.height, blocks, is_ocr)))
            except Exception as exc:  # noqa: BLE001 - one broken page does not lose the others
                unreadable += 1
                warnings.append(f"page {i + 1} illisible ({type(exc).__name__})")
    finally:
        doc.close()
    if unreadable == len(raw_pages) + unreadable:
        raise PdfError("corrupt", "aucune page du PDF n'est lisible")
    if no_text_pages:
        why = "OCR désactivé" if not ocr else "Tesseract (fra) absent"
        warnings.append(f"{len(no_text_pages)} page(s) sans texte non océrisée(s) ({why}) : "
                        + ", ".join(map(str, no_text_pages[:20])))
    document = layout(raw_pages, warnings=warnings, pdf_metadata=metadata)
    if not document.text.strip():
        if repaired:
            raise PdfError("corrupt", "le PDF est tronqué ou endommagé : aucun texte n'a pu être récupéré")
        if no_text_pages and ocr and not tesseract_available(language):
            raise PdfError("empty", "le PDF est une image sans couche texte et l'OCR (Tesseract fra) "
                                    "n'est pas disponible")
        raise PdfError("empty")
    return document
