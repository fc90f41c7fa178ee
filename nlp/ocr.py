"""OCR of pages without a text layer: Tesseract, cached by page content.

Only pages that have no text but draw something (a scanned image) are OCRed. Tesseract
with the ``fra`` language data must be installed (Debian: ``tesseract-ocr
tesseract-ocr-fra``); when it is not, ``ocr_page`` returns ``None`` and the caller records
a warning and treats the page as having no text.

The page is rendered in grey at ``dpi`` and handed to the ``tesseract`` program as a PGM
image; its TSV output (words with their boxes) becomes the compact blocks directly
(``tesseract_words``), with ``OMP_THREAD_LIMIT=1``: the worker runs one process per core,
and Tesseract's OpenMP threads fighting for the same cores made a page up to 7x slower on this
2-core machine (bench/RESULTS.md, "Ingest": 1.55x faster than the MuPDF path per page).
Where the program is missing but PyMuPDF has its own Tesseract, the older path is used:
MuPDF writes the page as a one-page PDF with an invisible text layer (``tesseract_pdf``)
that is read back (``ocr_blocks``), about 1.5x the cost. The two read tables differently at
places (the system's Tesseract against MuPDF's own): see the recommendations F1 by DPI in
bench/RESULTS.md before changing ``CONSTATS_OCR_DPI``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import pymupdf

from nlp.pagetext import page_blocks

#: Bump when the cached OCR output changes shape.
OCR_CACHE_VERSION = "3"
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


#: Time limit of one page's OCR by the ``tesseract`` program.
OCR_PAGE_TIMEOUT_S = 300
#: MuPDF's OCR text layer sets a word's font size so that the glyph-less font's box spans the
#: word's height: size ≈ 1.25 × height (measured on its output); kept so that the layout's
#: size statistics read the same numbers whichever path produced the page.
_SIZE_PER_HEIGHT = 1.25


@lru_cache(maxsize=1)
def _tessdata() -> str | None:
    try:
        return pymupdf.get_tessdata() or None
    except Exception:  # noqa: BLE001 - PyMuPDF raises a bare RuntimeError when absent
        return None


@lru_cache(maxsize=4)
def tesseract_available(language: str = "fra") -> bool:
    """True when Tesseract's data for ``language`` is found (by PyMuPDF's lookup)."""
    tessdata = _tessdata()
    return bool(tessdata) and (Path(str(tessdata)) / f"{language}.traineddata").exists()


@lru_cache(maxsize=1)
def tesseract_program() -> str | None:
    """Path of the ``tesseract`` program, ``None`` when absent."""
    return shutil.which("tesseract")


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


def tesseract_tsv(page: pymupdf.Page, *, dpi: int, language: str) -> str:
    """Tesseract's words of the page image (TSV: level, block, paragraph, line, word, box,
    confidence, text), the page rendered in grey at ``dpi``, one OpenMP thread."""
    program = tesseract_program()
    if program is None:
        raise FileNotFoundError("tesseract")
    image = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False).tobytes("pgm")
    cmd = [program, "stdin", "stdout", "-l", language, "--dpi", str(dpi)]
    tessdata = _tessdata()
    if tessdata:
        cmd += ["--tessdata-dir", str(tessdata)]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run([*cmd, "tsv"], input=image, capture_output=True, env=env,
                          timeout=OCR_PAGE_TIMEOUT_S, check=True)
    return done.stdout.decode("utf-8", errors="replace")


def tsv_blocks(page: pymupdf.Page, tsv: str, *, dpi: int) -> list[dict]:
    """Compact blocks (``nlp.pagetext``'s form) of Tesseract's TSV, in ``page``'s coordinates:
    one block per Tesseract paragraph, one span per word (followed by a space within a line),
    its size fitted to the word's height, as MuPDF's OCR text layer gives them."""
    scale = 72.0 / dpi
    matrix = pymupdf.Matrix(scale, scale) * page.derotation_matrix
    lines: dict[tuple[int, int, int], list[tuple[pymupdf.Rect, str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11]
        if not text.strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        rect = pymupdf.Rect(left, top, left + width, top + height) * matrix
        lines.setdefault((int(cols[2]), int(cols[3]), int(cols[4])), []).append((rect, text))
    blocks: dict[tuple[int, int], list[dict]] = {}
    for (block, par, _), words in lines.items():
        spans = []
        for i, (rect, text) in enumerate(words):
            last = i == len(words) - 1
            spans.append({"text": text if last else text + " ", "size": round(rect.height * _SIZE_PER_HEIGHT, 3),
                          "flags": 12, "font": "GlyphLessFont"})
        bbox = pymupdf.Rect(words[0][0])
        for rect, _ in words[1:]:
            bbox |= rect
        blocks.setdefault((block, par), []).append({"bbox": [bbox.x0, bbox.y0, bbox.x1, bbox.y1], "spans": spans})
    out = []
    for block_lines in blocks.values():
        bbox = pymupdf.Rect(block_lines[0]["bbox"])
        for line in block_lines[1:]:
            bbox |= pymupdf.Rect(line["bbox"])
        out.append({"bbox": [bbox.x0, bbox.y0, bbox.x1, bbox.y1], "lines": block_lines})
    return out


def tesseract_words(page: pymupdf.Page, *, dpi: int, language: str) -> list[dict]:
    """OCR of one page by the ``tesseract`` program, as compact blocks."""
    return tsv_blocks(page, tesseract_tsv(page, dpi=dpi, language=language), dpi=dpi)


def ocr_page(page: pymupdf.Page, *, dpi: int = 110, language: str = "fra",
             cache: OcrCache | None = None) -> list[dict] | None:
    """OCR one page into compact blocks; ``None`` when Tesseract is unavailable."""
    key = page_content_hash(page, dpi=dpi, language=language) if cache is not None else None
    if cache is not None and key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    if not tesseract_available(language):
        return None
    if tesseract_program() is not None:
        blocks = tesseract_words(page, dpi=dpi, language=language)
    else:
        blocks = ocr_blocks(page, tesseract_pdf(page, dpi=dpi, language=language))
    if cache is not None and key is not None:
        cache.put(key, blocks)
    return blocks
