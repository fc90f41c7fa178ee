"""OCR of pages without a text layer: Tesseract through PyMuPDF, cached by page content.

Only pages that have no text but draw something (a scanned image) are OCRed. Tesseract
with the ``fra`` language data must be installed (Debian: ``tesseract-ocr
tesseract-ocr-fra``); when it is not, ``ocr_page`` returns ``None`` and the caller records
a warning and treats the page as having no text. About 3 s per page at 150 dpi on one core.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import pymupdf

from nlp.pagetext import page_blocks

#: Bump when the cached OCR output changes shape.
OCR_CACHE_VERSION = "2"
#: Text flags of the OCR text page: those of ``Page.get_textpage_ocr`` (ligatures expanded).
OCR_TEXT_FLAGS = 0


class OcrCache:
    """Directory of OCR results, one JSON file per page content hash.

    Safe to share between processes: files are written to a temporary name then renamed.
    A damaged entry is ignored (and overwritten on the next OCR of that page).
    """

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[dict] | None:
        try:
            return json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, blocks: list[dict]) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(blocks, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def as_cache(cache: OcrCache | str | os.PathLike | None) -> OcrCache | None:
    """Accept a cache, a directory path or ``None``."""
    if cache is None or isinstance(cache, OcrCache):
        return cache
    return OcrCache(cache)


@lru_cache(maxsize=4)
def tesseract_available(language: str = "fra") -> bool:
    """True when PyMuPDF finds Tesseract's data for ``language``."""
    try:
        tessdata = pymupdf.get_tessdata()
    except Exception:  # noqa: BLE001 - PyMuPDF raises a bare RuntimeError when absent
        return False
    return bool(tessdata) and (Path(tessdata) / f"{language}.traineddata").exists()


def page_content_hash(page: pymupdf.Page, *, dpi: int, language: str) -> str:
    """Hash of what the page draws (content streams and images) plus the OCR settings."""
    doc = page.parent
    h = hashlib.sha256(f"ocr{OCR_CACHE_VERSION}|{dpi}|{language}|".encode())
    h.update(repr(tuple(round(v, 1) for v in page.rect)).encode())
    h.update(page.read_contents() or b"")
    for img in page.get_images(full=True):
        try:
            h.update(doc.xref_stream_raw(img[0]) or b"")
        except Exception:  # noqa: BLE001 - an unreadable image only weakens the key
            h.update(str(img[0]).encode())
    return h.hexdigest()


def needs_ocr(page: pymupdf.Page, blocks: list[dict]) -> bool:
    """A page without text that shows an image (a scan)."""
    if any(span["text"].strip() for b in blocks for line in b.get("lines", ()) for span in line["spans"]):
        return False
    return bool(page.get_images(full=False))


def tesseract_pdf(page: pymupdf.Page, *, dpi: int, language: str) -> bytes:
    """Tesseract's reading of the page image: a one-page PDF with an invisible text layer.

    The page is rendered at ``dpi`` (RGB: MuPDF's OCR writer reads nothing from a grey
    pixmap) and handed to Tesseract by MuPDF, as ``Page.get_textpage_ocr(full=True)`` does.
    """
    pix = page.get_pixmap(dpi=dpi)
    return pix.pdfocr_tobytes(compress=False, language=language, tessdata=pymupdf.get_tessdata())


def ocr_blocks(page: pymupdf.Page, ocr_pdf: bytes) -> list[dict]:
    """Compact blocks of Tesseract's text layer (``tesseract_pdf``), in ``page``'s coordinates.

    Every word is a span of its own, with a size fitted to the word's height.
    """
    with pymupdf.open(stream=ocr_pdf, filetype="pdf") as ocr_doc:
        ocr = ocr_doc[0]
        unzoom = page.rect.width / ocr.rect.width
        textpage = ocr.get_textpage(flags=OCR_TEXT_FLAGS,
                                    matrix=pymupdf.Matrix(unzoom, unzoom) * page.derotation_matrix)
        return page_blocks(ocr, textpage)


def ocr_page(page: pymupdf.Page, *, dpi: int = 150, language: str = "fra",
             cache: OcrCache | None = None) -> list[dict] | None:
    """OCR one page into compact blocks; ``None`` when Tesseract is unavailable."""
    key = page_content_hash(page, dpi=dpi, language=language) if cache is not None else None
    if cache is not None and key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    if not tesseract_available(language):
        return None
    blocks = ocr_blocks(page, tesseract_pdf(page, dpi=dpi, language=language))
    if cache is not None and key is not None:
        cache.put(key, blocks)
    return blocks
