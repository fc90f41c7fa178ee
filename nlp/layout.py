"""Page layout → clean text: drop running headers, footers and page numbers, set
footnotes apart, keep table cells separated, join lines and paragraphs.

Input is the compact page text of ``nlp.pagetext`` for every page; output is a
``Document`` whose ``text`` holds the body blocks one per line (table rows with their
cells separated by a TAB), each ``Block`` and ``Page`` carrying its offsets in it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from constats.domain import Block, Document, Page
from nlp.hyphenation import Lexicon, join_lines

#: Fraction of the page height where running headers / footers are looked for.
BAND = 0.12
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s*)?(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?\s*(?:(?:/|sur|de)\s*\d{1,4})?\s*$",
    re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_ENDS_SENTENCE = re.compile(r"[.!?:;»)\]…]\s*$")
_FOOTNOTE_START = re.compile(r"^\s*(?:\(?\d{1,3}\)?|\*+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*\S")
#: a table cell opening with a row number and a cell of text ("3\tsécuriser …")
_NUMBERED_CELL = re.compile(r"^\s*\d{1,3}\t\S")


@dataclass
class Unit:
    """A paragraph-like run of lines with one typography."""

    page: int
    bbox: list[float]
    lines: list[str]
    size: float
    bold: bool
    starts_superscript: bool = False
    tabular: bool = False
    cell_x: list[tuple[float, float]] = field(default_factory=list)
    role: str = "body"
    text: str = ""
    cells: list[Unit] = field(default_factory=list)
    last_x1: float = 0.0  # right end of the last line (0: unknown)


@dataclass
class RawPage:
    number: int
    width: float
    height: float
    blocks: list[dict]
    ocr: bool = False
    units: list[Unit] | None = None  # set by ``split_units``


def split_units(page: RawPage) -> RawPage:
    """Cut the page's blocks into units now and let go of the raw blocks.

    ``nlp.pdf`` calls it right after extracting each page, so that PyMuPDF's dicts of one page
    are freed before the next page is read (memory stays flat and hot in the caches) rather
    than all held until ``layout``.
    """
    page.units = _units(page)
    page.blocks = []
    return page


#: ``round(size, 1)`` of the font sizes seen (a report uses a handful): ``round`` with digits
#: is slow (it goes through a decimal string) and runs for every line and every merged piece.
_ROUNDED: dict[float, float] = {}


def _round1(size: float) -> float:
    r = _ROUNDED.get(size)
    if r is None:
        r = round(size, 1)
        if size > 0 and len(_ROUNDED) < 4096:  # (never -0.0/0.0: they are one key with two results)
            _ROUNDED[size] = r
    return r


def _bold(span: dict) -> bool:
    if span["flags"] & 16:
        return True
    font = span["font"]
    return "Bold" in font or "Black" in font or "Heavy" in font


def _line_style(spans: list[dict]) -> tuple[float, bool]:
    """Dominant font size and boldness of a line's spans (by characters, footnote calls aside)."""
    if len(spans) == 1:
        return _round1(spans[0]["size"]), _bold(spans[0])
    sizes: dict[float, int] = {}
    bold = total = 0
    for s in spans:
        n = len(s["text"].strip())
        if not n or s["flags"] & 1:
            continue
        size = _round1(s["size"])
        sizes[size] = sizes.get(size, 0) + n
        if _bold(s):
            bold += n
        total += n
    if not total:
        return _round1(spans[0]["size"]), _bold(spans[0])
    return max(sizes, key=lambda size: sizes[size]), bold * 2 > total


_TAB_SPACES = re.compile(r"\s*\t\s*")


def _visual_lines(block: dict, ocr: bool = False) -> list[list]:
    """Merge the pieces of one visual line (spans kept apart by the extraction).

    Pieces side by side on one baseline are either the same line (small gap: a bold
    word, a footnote call) or the cells of a table row (wide gap: joined by a TAB).
    Returns ``[bbox, text, spans, cell x-ranges]`` per visual line.

    On OCR pages every word is a span of its own style (its size fitted to its height): only
    a gap of two ems or more separates cells there, anything narrower is a space.

    This loop runs once per line of the report: it is written for speed (no helper calls
    for the usual one-span line, entries updated in place).
    """
    out: list[list] = []
    prev: list | None = None
    for line in block.get("lines", ()):
        spans = line["spans"]
        raw = spans[0]["text"] if len(spans) == 1 else "".join([s["text"] for s in spans])
        text = raw.strip()
        if not text:
            continue
        x0, y0, x1, y1 = bbox = line["bbox"]
        # side by side (cheap test first: the usual next line starts left of the previous one's end)
        # and overlapping vertically by more than half the smaller height
        if prev is not None and x0 >= prev[0][2] - 1.5 and (
                min(prev[0][3], y1) - max(prev[0][1], y0) > 0.5 * (min(prev[0][3] - prev[0][1], y1 - y0) or 1)):
            pbbox = prev[0]
            size = spans[0]["size"] if len(spans) == 1 else max([s["size"] for s in spans])
            gap = x0 - pbbox[2]
            ptext = prev[1]
            cells = prev[3]
            # one style split in two pieces means a gap wider than a space: two cells
            if ocr:
                joined = gap < 2 * size
            elif gap < 0.8 * size:
                a, b = prev[2][-1], spans[0]
                joined = not (a["font"] == b["font"] and a["flags"] & 17 == b["flags"] & 17
                              and _round1(a["size"]) == _round1(b["size"]))  # not the same style
            else:
                joined = False
            if joined:
                # a space the piece opens with is a space, however narrow ("territoriales²" + " (CGCT)")
                sep = " " if (gap > 0.15 * size or raw[:1].isspace()) and not ptext.endswith(" ") else ""
                cells[-1] = (cells[-1][0], x1)
            else:
                sep = "\t"
                cells.append((x0, x1))
            # the entry's own bbox list (nothing else holds it yet): grown in place
            if x0 < pbbox[0]:
                pbbox[0] = x0
            if y0 < pbbox[1]:
                pbbox[1] = y0
            if x1 > pbbox[2]:
                pbbox[2] = x1
            if y1 > pbbox[3]:
                pbbox[3] = y1
            prev[1] = ptext + sep + text
            prev[2] = prev[2] + spans
            continue
        prev = [list(bbox), text, spans, [(x0, x1)]]  # spans: never mutated, a merge makes a new list
        out.append(prev)
    for entry in out:
        if "\t" in entry[1] and _justified_prose(entry[1].split("\t")):
            entry[1] = _TAB_SPACES.sub(" ", entry[1])
            entry[3] = [(entry[0][0], entry[0][2])]
    return out


#: a line opening a list item starts a paragraph of its own, even inside one PDF block
_BULLET_LINE = re.compile(r"^\s*(?:[•▪➢►■□✓→\uf0b7\uf0a7]|[-–]\s)")


#: how a line that ends a paragraph (not a title) ends
_TITLE_END = re.compile(r"[.;:!?,»)\]\-‐–]\s*$"
                        r"|\b(?:et|ou|de|des|du|la|le|les|à|au|aux|en|par|pour|sur|un|une|d['’]|l['’])$")


def _justified_prose(pieces: list[str]) -> bool:
    """Pieces of one line that are single lower-case words are justified prose, not cells."""
    if len(pieces) < 4 or any(" " in p.strip() for p in pieces[1:]):
        return False
    words = [p for p in pieces if p[:1].isalpha() and p[:1].islower()]
    return len(words) >= 0.6 * len(pieces)


def _units(page: RawPage) -> list[Unit]:
    """Split PyMuPDF blocks where the typography changes (a heading glued to its text)."""
    units: list[Unit] = []
    number = page.number
    ocr_size = _ocr_sizer(page) if page.ocr else None
    for block in page.blocks:
        current: Unit | None = None
        last_x0 = 0.0
        bx0, _, bx1, _ = block.get("bbox", (0.0, 0.0, 0.0, 0.0))
        # a line ending left of this does not fill the block's width (only in blocks of the body's
        # width: the narrow blocks of a table cell or an address column wrap anywhere)
        short = bx1 - 0.15 * (bx1 - bx0) if bx1 - bx0 > 0.5 * page.width and not page.ocr else 0.0
        # an OCR block marked "paragraph" is one paragraph or table cell already (``nlp.ocr``)
        whole = page.ocr and block.get("paragraph")
        for bbox, text, spans, cells in _visual_lines(block, page.ocr):
            if ocr_size is not None:
                size, bold = ocr_size(spans), False
            elif len(spans) == 1:
                span = spans[0]
                size, bold = _round1(span["size"]), _bold(span)
            else:
                size, bold = _line_style(spans)
            tabular = len(cells) > 1
            # a line below that shares no horizontal extent with the line above is in another
            # column (a table cell's wrapped "14" above the next row's text, in one PyMuPDF block)
            if current and whole or current and not tabular and not current.tabular \
                    and abs(current.size - size) < 0.6 and current.bold == bold \
                    and bbox[0] < current.last_x1 and bbox[2] > last_x0 and not _BULLET_LINE.match(text) and not (
                        # a title in the body's font glued to its text: a short line without final
                        # punctuation, then a capital ("LES SUITES DU DERNIER RAPPORT" / "Dans le …")
                        current.last_x1 < short and text[:1].isupper() and len(current.lines) <= 2
                        and not _TITLE_END.search(current.lines[-1])):
                last_x0 = bbox[0]
                current.lines.append(text)
                cb = current.bbox  # a fresh list of this unit's own: grown in place
                if bbox[0] < cb[0]:
                    cb[0] = bbox[0]
                if bbox[2] > cb[2]:
                    cb[2] = bbox[2]
                if bbox[3] > cb[3]:
                    cb[3] = bbox[3]
                current.last_x1 = bbox[2]
                continue
            last_x0 = bbox[0]
            current = Unit(number, bbox, [text], size, bold, bool(spans[0]["flags"] & 1), tabular,
                           cells if tabular else [], last_x1=bbox[2])
            units.append(current)
    if page.ocr and not any(block.get("paragraph") for block in page.blocks):
        return _ocr_paragraphs(units)  # MuPDF's OCR text layer: a block per line or two
    return units


def _median_size(spans: list[dict]) -> float:
    """Median font size of spans weighted by their characters (spaces aside)."""
    sized = sorted((s["size"], len(s["text"].strip())) for s in spans)
    half, seen = sum(n for _, n in sized) / 2, 0
    for size, n in sized:
        seen += n
        if seen >= half:
            return size
    return sized[-1][0] if sized else 0.0


def _ocr_sizer(page: RawPage):
    """Line sizes of an OCR page: Tesseract fits each word's size to its height, so the sizes
    of one line scatter by ±20 %; a line's size is the median of its words', and any size
    within -20 %/+25 % of the page's body size (the median over its lines) is that size."""
    lines = [line["spans"] for block in page.blocks for line in block.get("lines", ())]
    body = _median_size([{"size": _median_size(spans), "text": "".join(s["text"] for s in spans)}
                         for spans in lines if spans])

    def size(spans: list[dict]) -> float:
        s = _median_size(spans)
        return round(body if 0.8 * body <= s <= 1.25 * body else s, 1)

    return size


def _ocr_paragraphs(units: list[Unit]) -> list[Unit]:
    """OCR gives a block per line or two: lines close below each other, starting at the same
    left edge (or indented less than two ems), are one paragraph again."""
    out: list[Unit] = []
    for u in units:
        prev = out[-1] if out else None
        gap = u.bbox[1] - prev.bbox[3] if prev is not None else -1
        if (prev is not None and not prev.tabular and not u.tabular
                and min(prev.size, u.size) >= 0.75 * max(prev.size, u.size)  # OCR sizes scatter
                and 0 <= gap < 0.45 * u.size and abs(u.bbox[0] - prev.bbox[0]) < 2 * u.size
                and not _ENDS_SENTENCE.search(prev.lines[-1])):
            prev.lines += u.lines
            prev.bbox = [min(prev.bbox[0], u.bbox[0]), prev.bbox[1], max(prev.bbox[2], u.bbox[2]), u.bbox[3]]
            prev.last_x1 = u.last_x1
            continue
        out.append(u)
    return out


def body_font_size(units: list[Unit]) -> float:
    """The most common font size, weighted by characters."""
    sizes: dict[float, int] = {}
    for u in units:
        size = round(u.size * 2) / 2
        sizes[size] = sizes.get(size, 0) + sum(map(len, u.lines))
    # the first size of the highest count, as ``Counter.most_common(1)`` gives it
    return max(sizes, key=sizes.__getitem__) if sizes else 10.0


def _mark_furniture(pages: list[RawPage], units_by_page: list[list[Unit]]) -> None:
    """Running headers/footers (repeated in the top/bottom band) and page numbers."""
    keys_pages: dict[str, set[int]] = {}
    candidates: list[tuple[Unit, str, str, str]] = []  # (unit, band, text, key) of units in a band
    for page, units in zip(pages, units_by_page):
        for u in units:
            band = _band(u, page)
            if band:
                text = " ".join(u.lines)
                key = band + _SPACES.sub(" ", _DIGITS.sub("#", text.lower())).strip()
                keys_pages.setdefault(key, set()).add(page.number)
                candidates.append((u, band, text, key))
    n = len(pages)
    threshold = max(2, math.ceil(0.25 * n)) if n > 2 else 2
    for u, band, text, key in candidates:
        if _PAGE_NUMBER.match(text):
            u.role = "page_number"
        elif len(keys_pages[key]) >= threshold:
            u.role = "header" if band == "t" else "footer"
    if any(page.ocr for page in pages):
        _mark_ocr_furniture(candidates, {page.number for page in pages if page.ocr}, threshold)


def _mark_ocr_furniture(candidates: list[tuple[Unit, str, str, str]], ocr_pages: set[int], threshold: int) -> None:
    """On scanned pages a running header or page number misread on one page ("TS" for "Commune
    de Lormont") no longer matches its copies: it is known by its place instead, the height of
    the page where the furniture recognised on other pages stands."""
    seen: dict[tuple[str, str], list[tuple[float, float, int]]] = {}  # (band, role) → (y0, y1, page)
    for u, band, _, _ in candidates:
        if u.role != "body":
            seen.setdefault((band, u.role), []).append((u.bbox[1], u.bbox[3], u.page))
    for u, band, _, _ in candidates:
        if u.role != "body" or u.page not in ocr_pages:
            continue
        for (b, role), spots in seen.items():
            pages = {page for y0, y1, page in spots if page != u.page and y0 < u.bbox[3] and u.bbox[1] < y1}
            if b == band and len(pages) + 1 >= threshold:
                u.role = role
                break


def _band(u: Unit, page: RawPage) -> str:
    if len(u.lines) > 2 or sum(map(len, u.lines)) > 160:
        return ""  # running headers and footers are short
    if u.bbox[3] <= page.height * BAND:
        return "t"
    if u.bbox[1] >= page.height * (1 - BAND):
        return "b"
    return ""


def _mark_footnotes(page: RawPage, units: list[Unit], body_size: float) -> None:
    """Small type at the foot of the page with nothing of body size below it."""
    content = [u for u in units if u.role in ("body", "table")]
    lowest_body = max((u.bbox[3] for u in content if u.size > body_size * 0.88), default=0)
    in_notes = False
    # the units marked as notes so far, as they were: a numbered table row below shows them rows of
    # a small-type table at the foot of the page ("1 | maîtriser …" then "3 | sécuriser … | Non mise
    # en œuvre"), not notes (notes end the page)
    marked: list[tuple[Unit, str, list[str], float, list[Unit]]] = []
    for u in sorted(content, key=lambda u: u.bbox[1]):
        saved = (u, u.role, u.lines, u.size, u.cells)
        if u.role == "table":
            # a note number set beside its text reads as a two-cell row
            if len(u.cells) != 2 or not re.fullmatch(r"\(?\d{1,3}\)?|\*+", " ".join(u.cells[0].lines)):
                if marked and abs(u.bbox[0] - marked[0][0].bbox[0]) < 2 and abs(u.size - marked[0][3]) < 0.5 \
                        and _NUMBERED_CELL.match(u.cells[0].lines[0] if u.cells[0].lines else ""):
                    for v, role, lines, size, cells in marked:
                        v.role, v.lines, v.size, v.cells = role, lines, size, cells
                    marked, in_notes = [], False
                continue
            u.lines = [" ".join(u.cells[0].lines) + " " + " ".join(u.cells[1].lines)]
            u.size = u.cells[1].size
            u.cells = []
        small = u.size <= body_size * 0.88
        if (small and u.bbox[1] >= page.height * 0.45 and u.bbox[1] >= lowest_body - 1
                and (in_notes or u.starts_superscript or _FOOTNOTE_START.match(u.lines[0]))):
            u.role = "footnote"
            in_notes = True
            marked.append(saved)
        elif not u.cells and u.role == "table":
            u.role = "body"


def _group_rows(units: list[Unit]) -> list[Unit]:
    """Side-by-side blocks on one row are the cells of a table row: one unit, cells by x."""
    content = [u for u in units if u.role == "body"]
    row_of: dict[int, Unit] = {}
    rows: list[Unit] = []
    for u in content:
        placed = False
        for row in rows[-6:]:  # a cell joins one of the rows just before it in reading order
            if u.bbox[1] < row.bbox[3] + 3 and _same_row(row, u):  # (a row ending above cannot)
                row.cells.append(u)
                row.bbox = [min(row.bbox[0], u.bbox[0]), min(row.bbox[1], u.bbox[1]),
                            max(row.bbox[2], u.bbox[2]), max(row.bbox[3], u.bbox[3])]
                row_of[id(u)] = row
                placed = True
                break
        if not placed:
            row = Unit(page=u.page, bbox=list(u.bbox), lines=[], size=u.size, bold=u.bold, cells=[u])
            rows.append(row)
            row_of[id(u)] = row
    out: list[Unit] = []
    emitted: set[int] = set()
    for u in units:
        if u.role != "body":
            out.append(u)
            continue
        row = row_of[id(u)]
        if id(row) in emitted:
            continue
        emitted.add(id(row))
        if len(row.cells) == 1:
            out.append(row.cells[0])
        else:
            row.role = "table"
            row.starts_superscript = row.cells[0].starts_superscript
            row.cells.sort(key=lambda c: c.bbox[0])
            out.append(row)
    return out


def _same_row(row: Unit, u: Unit) -> bool:
    for c in row.cells:
        if c.bbox[0] < u.bbox[2] - 2 and u.bbox[0] < c.bbox[2] - 2:
            return False  # overlapping horizontally: one above the other
    top_aligned = any(abs(c.bbox[1] - u.bbox[1]) < 3 for c in row.cells)
    overlap = min(row.bbox[3], u.bbox[3]) - max(row.bbox[1], u.bbox[1])
    smaller = min(row.bbox[3] - row.bbox[1], u.bbox[3] - u.bbox[1]) or 1
    return top_aligned or overlap / smaller > 0.5


def layout(pages: list[RawPage], *, warnings: list[str] | None = None,
           pdf_metadata: dict[str, str] | None = None) -> Document:
    """Build the cleaned ``Document`` from the compact text of every page."""
    units_by_page = [p.units if p.units is not None else _units(p) for p in pages]
    all_units = [u for us in units_by_page for u in us]
    body_size = body_font_size(all_units)
    hyphenated = any(t.endswith(("-", "‐")) for u in all_units for t in u.lines[:-1])
    vocab: Lexicon | frozenset[str] = (Lexicon("\n".join(t for u in all_units for t in u.lines))
                                       if hyphenated else frozenset())
    _mark_furniture(pages, units_by_page)
    footnotes: list[str] = []
    for i, (page, units) in enumerate(zip(pages, units_by_page)):
        units_by_page[i] = _group_rows(units)
        _mark_footnotes(page, units_by_page[i], body_size)
    out_pages: list[Page] = []
    parts: list[str] = []
    pos = 0
    prev_text_unit: Unit | None = None
    prev_right = right = 0.0  # right edge of the body text on the previous page / this page
    for page, units in zip(pages, units_by_page):
        blocks: list[Block] = []
        page_start = None
        prev_right, right = right, 0.0
        for u in units:
            if u.role == "table" and u.cells:
                texts, u.cell_x = [], []
                for c in u.cells:
                    if c.tabular:
                        sub = [join_lines(t.split("\n"), vocab) for t in "\n".join(c.lines).split("\t")]
                        texts += sub
                        u.cell_x += c.cell_x if len(c.cell_x) == len(sub) else [(c.bbox[0], c.bbox[2])] * len(sub)
                    else:
                        texts.append(join_lines(c.lines, vocab))
                        u.cell_x.append((c.bbox[0], c.bbox[2]))
                u.text = "\t".join(texts)
            elif u.tabular:
                u.text = join_lines([t.replace("\t", " \x00 ") for t in u.lines], vocab)
                u.text = re.sub(r"\s*\x00\s*", "\t", u.text)
                if u.role == "body":  # a page number laid out as "Page | 4 | / | 25" stays furniture
                    u.role = "table"
            else:
                u.text = join_lines(u.lines, vocab)
            if not u.text:
                continue
            role = _role(u, body_size)
            cells = u.cell_x if u.role == "table" and u.text.count("\t") + 1 == len(u.cell_x) else []
            if u.role in ("header", "footer", "page_number", "footnote"):
                blocks.append(Block(text=u.text, bbox=tuple(u.bbox), font_size=u.size, bold=u.bold, role=role,
                                    cells=cells))
                if u.role == "footnote":
                    footnotes.append(u.text)
                continue
            if parts:
                sep = " " if _continues(prev_text_unit, u, page_start is None, prev_right) else "\n"
                parts.append(sep)
                pos += len(sep)
            if page_start is None:
                page_start = pos
            end = pos + len(u.text)  # offsets given at construction: a pydantic assignment costs more
            blocks.append(Block(text=u.text, bbox=tuple(u.bbox), font_size=u.size, bold=u.bold, role=role,
                                cells=cells, start=pos, end=end))
            parts.append(u.text)
            pos = end
            prev_text_unit = u
            if u.role == "body" and u.bbox[2] > right:
                right = u.bbox[2]
        out_pages.append(Page(number=page.number, width=page.width, height=page.height, blocks=blocks,
                              ocr=page.ocr, start=pos if page_start is None else page_start, end=pos))
    text = "".join(parts)
    for i, p in enumerate(out_pages):
        p.end = out_pages[i + 1].start if i + 1 < len(out_pages) else len(text)
    return Document(text=text, pages=out_pages, footnotes=footnotes,
                    pdf_metadata=pdf_metadata or {}, warnings=list(warnings or []))


def _role(u: Unit, body_size: float) -> str:
    if u.role != "body":
        return u.role
    if (u.size >= body_size + 1 or u.bold) and sum(len(t) for t in u.lines) < 250:
        return "heading"
    return "body"


def _continues(prev: Unit | None, u: Unit, first_on_page: bool, prev_right: float = 0.0) -> bool:
    """A paragraph cut by a page break: no final punctuation, and the next page starts in
    lower case, or with a capitalised word ("du Centre" / "Hospitalier et donc…") while the
    last line before the break runs to the right edge of the text (a full line, not the end
    of a paragraph)."""
    if not first_on_page or prev is None or prev.role != "body" or u.role != "body":
        return False
    if abs(prev.size - u.size) > 0.6 or prev.bold != u.bold or _ENDS_SENTENCE.search(prev.text):
        return False
    first = u.text.lstrip("(«“\"' ")[:1]
    if first.islower():
        return True
    return (first.isupper() and u.text.lstrip()[:1] not in "«“\"(" and prev_right > 0 and prev.last_x1 > 0
            and prev.last_x1 >= prev_right - 1.5 * prev.size and not _BULLET_LINE.match(u.text)
            and not _ENDS_NUMBER.search(prev.text))


#: a line ending in a number (a table of contents entry "…… 18", a year): kept apart
_ENDS_NUMBER = re.compile(r"(?:\.|…|\s)\d+\s*$")
