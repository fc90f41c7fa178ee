"""OCR of pages without a text layer: Tesseract, cached by page content.

Only pages that have no text but draw something (a scanned image) are OCRed. Tesseract
with the ``fra`` language data must be installed (Debian: ``tesseract-ocr
tesseract-ocr-fra``); when it is not, ``ocr_page`` returns ``None`` and the caller records
a warning and treats the page as having no text.

The page is rendered in grey at ``dpi`` and handed to the ``tesseract`` program as a PGM
image; its TSV output (words with their boxes, lines, paragraphs) becomes the compact blocks
(``tsv_blocks``: one block per paragraph or table cell, a table row read as one line cut into its
cells at wide gaps, table rules read as "|" dropped, the wrapped lines of a paragraph or cell
joined by their geometry: line pitch, left edge, the line above full), with
``OMP_THREAD_LIMIT=1``: the worker runs one process per core, and Tesseract's OpenMP threads
fighting for the same cores made a page up to 7x slower on this 2-core machine
(bench/RESULTS.md, "Ingest": 1.55x faster than the MuPDF path per page).
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
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import pymupdf

from nlp.pagetext import page_blocks

#: Bump when the cached OCR output changes shape. Version 5: the ``tesseract`` program's TSV is
#: cached (``{"tsv": …}``) and its blocks are rebuilt on each read (a few ms per page), so that a
#: change to ``tsv_blocks`` takes effect on a warm cache; MuPDF's path still caches its blocks.
OCR_CACHE_VERSION = "5"
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

    def get(self, key: str) -> list[dict] | dict | None:
        try:
            return json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, blocks: list[dict] | dict) -> None:
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


#: a gap between two words of one OCR line wider than this many word heights separates two
#: cells of a table row (justified prose stays well under it; chosen on development scans)
CELL_GAP = 2.0
#: a line joins the paragraph (or cell) above when the distance between their baselines is at
#: most this many times the page's line pitch (the median distance between the baselines of the
#: lines of Tesseract's paragraphs): on the development scans the lines of one paragraph stand
#: 0.95-1.1 pitches apart, two paragraphs 1.45 (the mode)
PITCH_SLACK = 1.2
#: the line pitch of a page where Tesseract found too few paragraphs of two lines, in word heights
DEFAULT_PITCH = 1.6
_RULE = re.compile(r"[|¦]")
#: a line in capitals (a title): no lower-case letter, two letters at least
_CAPITALS = re.compile(r"^[^a-zà-ÿ]*[A-ZÀ-Ý][^a-zà-ÿ]*[A-ZÀ-Ý][^a-zà-ÿ]*$")
#: a cell's left rule read as a letter or a bracket glued to the first word ("[Prendre", "lAffecter")
_RULE_PREFIX = re.compile(r"^[\[\]{}lI](?=[A-ZÀ-Ý][a-zà-ÿ])")
#: a status tick ("x") read with a table rule glued before or after it ("Ix", "lx", "1x", "[x", "x|", "x.")
_GLUED_TICK = re.compile(r"([|¦Il1\[\]{}(])?x([|¦Il\]}).,:;])?")
#: a list item's marker, as a word of its own ("+" and "*": a bullet "•" as Tesseract reads it)
_BULLET = re.compile(r"^(?:[•▪➢►■□✓→\-–—*+]|\d{1,2}[./)]|[a-z][)/])$")


class _Piece:
    """One cell of one OCR line: its words (a line without wide gaps is one piece), their box,
    baseline (the median bottom of the words: descenders and marks aside) and the median height of
    the words of its whole line (a lone tick's own height says little)."""

    __slots__ = ("words", "par", "x0", "x1", "y0", "base", "height", "header")

    def __init__(self, words: list[tuple[float, float, float, float, str, bool]], par: tuple[int, int], height: float,
                 header: bool = False):
        self.words = words
        self.header = header  # a cell of a status header line
        self.par = par  # Tesseract's (block, paragraph)
        self.x0, self.x1 = words[0][0], words[-1][2]
        self.y0 = min(w[1] for w in words)
        self.base = _median([w[3] for w in words])
        self.height = height

    @property
    def text(self) -> str:
        return " ".join(w[4] for w in self.words)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _tsv_lines(tsv: str) -> list[tuple[tuple[int, int], list[tuple[float, float, float, float, str, bool]]]]:
    """Tesseract's lines in its reading order, each with its paragraph and its words (pixel
    boxes, text, and whether a table rule stood just before the word); the rules of a table
    read as "|" are dropped, a word they cut becomes two."""
    lines: dict[tuple[int, int, int], list[tuple[float, float, float, float, str, bool]]] = {}
    ruled: dict[tuple[int, int, int], bool] = {}  # a rule read as a word of its own stands last
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        words = lines.setdefault(key, [])
        if not words and _RULE_PREFIX.match(text):
            left, width, text = left + width // len(text), width - width // len(text), text[1:]
        tick = _GLUED_TICK.fullmatch(text)
        if tick:
            # a tick read with the rule beside it ("Ix", "1x", "x|"): the tick, a cell of its own
            share = width // len(text)
            if tick.group(1):
                left, width = left + share, width - share
                ruled[key] = True
            if tick.group(2):
                width -= share
            words.append((left, top, left + width, top + height, "x", ruled.pop(key, False)))
            ruled[key] = bool(tick.group(2))
            continue
        if not _RULE.search(text):
            words.append((left, top, left + width, top + height, text, ruled.pop(key, False)))
            continue
        # "Réalisée|En": the parts share the box in proportion to their characters
        per_char = width / len(text)
        x = float(left)
        parts = _RULE.split(text)
        for k, part in enumerate(parts):
            if part:
                words.append((x, top, x + per_char * len(part), top + height, part, k > 0 or ruled.pop(key, False)))
            x += per_char * (len(part) + 1)
        ruled[key] = not parts[-1]
    return [((b, p), words) for (b, p, _), words in lines.items() if words]


#: the words of a status table's header ("Réalisée | En cours de réalisation | Non réalisée | Page"):
#: the status words, one of which at least must be a line's for it to be a header line …
_STATUS_STEM = re.compile(r"r[ée]alis|cours|(?:œ|oe)uvre|suivre|objet", re.I)
#: … and every other word of the line (after a rule glued to it as "T", "l", "[")
_HEADER_VOCAB = re.compile(r"(?:[\[\]{}]|[|lIT](?=[A-ZÀ-Ý]))?(?:r[ée]alis[ée]e?s?|r[ée]alisation|en|cours|de|non"
                           r"|mise?s?|(?:œ|oe)uvre|partiellement|totalement|sans|objet|[àa]|suivre|page|n\s*°|n°|statut"
                           r"|recommandations?|rappels?|intitul[ée]s?)[.:]?[\[\]{}]?", re.I)
#: a rule read as a bracket glued to a header word ("Réalisée]", "[Non")
_BRACKET = "[]{}"
#: in a status header line, cells stand closer than in a row (narrow columns): cut at this many
#: word heights, and wherever a table rule stood between two words
HEADER_CELL_GAP = 1.0


def _status_header(words: list[tuple[float, float, float, float, str, bool]]) -> bool:
    """A line of a status table's header: two status words at least, nothing but header words."""
    texts = [w[4] for w in words]
    return (sum(1 for t in texts if _STATUS_STEM.search(t)) >= 2
            and all(_HEADER_VOCAB.fullmatch(t) for t in texts))


def _unbracket(words: list[tuple[float, float, float, float, str, bool]]) -> list[tuple[float, float, float, float,
                                                                                      str, bool]]:
    """The words of a header line without the rules read as brackets glued to them: a rule
    before a word or after the one before it starts a cell."""
    out, ruled = [], False
    for x0, y0, x1, y1, text, after_rule in words:
        share = (x1 - x0) / max(len(text), 1)
        if len(text) > 1 and text[0] in _BRACKET:
            x0, text, after_rule = x0 + share, text[1:], True
        closing = len(text) > 1 and text[-1] in _BRACKET
        if closing:
            x1, text = x1 - share, text[:-1]
        out.append((x0, y0, x1, y1, text, after_rule or ruled))
        ruled = closing
    return out


def _pieces(tsv: str) -> list[_Piece]:
    """The cells of every OCR line: a line is cut where two words stand more than ``CELL_GAP``
    word heights apart (a table row read as one line: the item, its status tick, its page), a
    status header line (``_status_header``) at ``HEADER_CELL_GAP``, and any line wherever a table
    rule read as "|" stands between two words ("Lettre recommandée |Le 14 janvier": two cells)."""
    out = []
    for par, words in _tsv_lines(tsv):
        height = _median([w[3] - w[1] for w in words]) or 1.0
        header = _status_header(words)
        if header:
            words = _unbracket(words)
        gap = (HEADER_CELL_GAP if header else CELL_GAP) * height
        current = [words[0]]
        for prev, word in zip(words, words[1:]):
            if word[0] - prev[2] > gap or word[5]:
                out.append(_Piece(current, par, height, header))
                current = []
            current.append(word)
        out.append(_Piece(current, par, height, header))
    return out


def _line_pitch(pieces: list[_Piece]) -> float:
    """The page's line pitch in pixels: the median distance between the baselines of two lines
    that follow each other in one of Tesseract's paragraphs, at the same left edge."""
    gaps = [below.base - above.base for above, below in zip(pieces, pieces[1:])
            if above.par == below.par and abs(above.x0 - below.x0) <= 1.5 * above.height
            and below.base - above.base > 0.5 * above.height]
    if len(gaps) >= 3:
        return _median(gaps)
    return DEFAULT_PITCH * (_median([p.height for p in pieces]) or 10.0)


def _continues(above: list[_Piece], piece: _Piece, right: float, pitch: float) -> bool:
    """``piece`` is the next line of the paragraph or cell whose lines are ``above``: just below
    the last one (at most ``PITCH_SLACK`` times the page's line ``pitch``), at its left edge (or flush left
    under an indented first line, or under the text of a list item's first line), not a list item
    itself, and the last line was full: its next word, the first of ``piece``, would not have fit
    before the right edge ``right`` of the paragraph or cell (a line that ends short ends it)."""
    last = above[-1]
    height = (last.height + piece.height) / 2
    if not 0.5 * height < piece.base - last.base <= PITCH_SLACK * pitch:
        return False
    if (last.header or piece.header) and not (last.header and piece.header and piece.x0 < last.x1
                                              and last.x0 < piece.x1):
        # a wrapped header cell goes on right under its first line ("En cours de" / "réalisation
        # réalisé"); a row's tick under it ("Non réalisé" / "x") is no part of it, nor is a header
        # line part of the cell above it (a table's title row)
        return False
    first = piece.words[0]
    if _BULLET.match(first[4]) or (_CAPITALS.match(piece.text) and not _CAPITALS.match(last.text)):
        return False  # a list item; a title in capitals under a line of text
    if abs(piece.x0 - last.x0) > 1.5 * height:
        opening = above[0]
        indented_first = len(above) == 1 and 0 < opening.x0 - piece.x0 <= 5 * height
        hanging = (len(opening.words) > 1 and _BULLET.match(opening.words[0][4]) is not None
                   and abs(piece.x0 - opening.words[1][0]) <= 1.5 * height)
        if not (indented_first or hanging):
            return False
    return last.x1 + 0.5 * height + (first[2] - first[0]) >= right - 0.5 * height


def tsv_blocks(page: pymupdf.Page, tsv: str, *, dpi: int) -> list[dict]:
    """Compact blocks (``nlp.pagetext``'s form) of Tesseract's TSV, in ``page``'s coordinates:
    one block per paragraph or table cell, one line per OCR line of it, one span per word
    (followed by a space), its size fitted to the word's height, as MuPDF's OCR text layer gives
    them. Tesseract's lines are cut into cells at wide gaps; a line joins the block above when
    it continues it (``_continues``: just below, same left edge, the line above full)."""
    pieces = _pieces(tsv)
    pitch = _line_pitch(pieces)
    groups: list[tuple[list[_Piece], list[float]]] = []  # the lines of each block, its right edge
    for piece in sorted(pieces, key=lambda p: (p.y0, p.x0)):
        for group, right in reversed(groups[-12:]):
            if _continues(group, piece, max(right[0], piece.x1), pitch):
                group.append(piece)
                right[0] = max(right[0], piece.x1)
                break
        else:
            groups.append(([piece], [piece.x1]))
    scale = 72.0 / dpi
    rotated = page.rotation != 0
    matrix = pymupdf.Matrix(scale, scale) * page.derotation_matrix
    out = []
    for group, _ in groups:
        lines = []
        for piece in group:
            if rotated:
                rects = [tuple(pymupdf.Rect(w[:4]) * matrix) for w in piece.words]
            else:
                rects = [(w[0] * scale, w[1] * scale, w[2] * scale, w[3] * scale) for w in piece.words]
            last = len(rects) - 1
            spans = [{"text": w[4] if i == last else w[4] + " ", "size": round((r[3] - r[1]) * _SIZE_PER_HEIGHT, 3),
                      "flags": 12, "font": "GlyphLessFont"} for i, (w, r) in enumerate(zip(piece.words, rects))]
            lines.append({"bbox": [min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects),
                                   max(r[3] for r in rects)], "spans": spans})
        out.append({"bbox": [min(line["bbox"][0] for line in lines), min(line["bbox"][1] for line in lines),
                             max(line["bbox"][2] for line in lines), max(line["bbox"][3] for line in lines)],
                    "lines": lines, "paragraph": 1})
    return out


def tesseract_words(page: pymupdf.Page, *, dpi: int, language: str) -> list[dict]:
    """OCR of one page by the ``tesseract`` program, as compact blocks."""
    return tsv_blocks(page, tesseract_tsv(page, dpi=dpi, language=language), dpi=dpi)


def ocr_page(page: pymupdf.Page, *, dpi: int = 110, language: str = "fra",
             cache: OcrCache | None = None) -> list[dict] | None:
    """OCR one page into compact blocks; ``None`` when Tesseract is unavailable. The cache keeps
    the ``tesseract`` program's TSV (blocks rebuilt from it) or MuPDF's path's blocks."""
    key = page_content_hash(page, dpi=dpi, language=language) if cache is not None else None
    if cache is not None and key is not None:
        cached = cache.get(key)
        if isinstance(cached, dict) and isinstance(cached.get("tsv"), str):
            return tsv_blocks(page, cached["tsv"], dpi=dpi)
        if isinstance(cached, list):
            return cached
    if not tesseract_available(language):
        return None
    if tesseract_program() is not None:
        tsv = tesseract_tsv(page, dpi=dpi, language=language)
        if cache is not None and key is not None:
            cache.put(key, {"tsv": tsv})
        return tsv_blocks(page, tsv, dpi=dpi)
    blocks = ocr_blocks(page, tesseract_pdf(page, dpi=dpi, language=language))
    if cache is not None and key is not None:
        cache.put(key, blocks)
    return blocks
