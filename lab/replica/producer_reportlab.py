"""The "reportlab" layout family: the report laid out by ReportLab's platypus, not by MuPDF.

Another producer, other habits: TrueType fonts of the system (DejaVu, Liberation; ReportLab's
own Vera when absent), a two-column cover, a running header carrying the chamber's name, page
numbers "p. 5" or "5 / 62", footnotes at the foot of the page where they are called (found by
the anchors the canvas draws), headings that may carry no font cue at all (the body's font,
size and weight), bordered data tables that split across pages, and lists of recommandations
re-laid as ``plan_report`` says (status lines without brackets, no summary list when the body
restates it). Page count capped by ``max_pages``.
"""

from __future__ import annotations

import html as html_lib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from lab.replica.html_model import ParsedHtml, block_role
from lab.replica.layout import Furniture
from lab.replica.plan import Element, RecapLayout, plan_report, recap_rows

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]
_FONT_FILES = {
    "dejavu-sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
    "liberation-serif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf"),
}


@dataclass(frozen=True)
class ReportlabVariant:
    name: str
    font: str = "dejavu-sans"  # a key of _FONT_FILES (Vera when the files are absent)
    font_size: float = 10.0
    margin_left: float = 62.0
    margin_right: float = 50.0
    headings_plain: bool = False  # headings in the body's font, size and weight
    header: str = "{chamber}"  # running header, left; the body on the right
    page_number_format: str = "p. {n}"  # {n}, {N}
    recap: RecapLayout = "lines"
    drop_restated_summary: bool = False
    family: str = "reportlab"
    scanned: bool = False


VARIANTS = [
    ReportlabVariant("rl-sobre", font="dejavu-sans", font_size=9.5, headings_plain=True,
                     header="{chamber}", page_number_format="p. {n}", recap="lines"),
    ReportlabVariant("rl-memoire", font="liberation-serif", font_size=11.5, margin_left=78, margin_right=66,
                     header="{chamber} – {body}", page_number_format="{n} / {N}", recap="table",
                     drop_restated_summary=True),
]


def _fonts(key: str) -> tuple[str, str, str]:
    """Register the family's TrueType fonts once; return (regular, bold, italic) names."""
    names = (f"{key}", f"{key}-bold", f"{key}-italic")
    if names[0] in pdfmetrics.getRegisteredFontNames():
        return names
    files = _FONT_FILES[key]
    found = [next((d / f for d in FONT_DIRS if (d / f).is_file()), None) for f in files]
    if any(f is None for f in found):  # ReportLab's own Vera: always there
        files = ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf")
        found = [Path(f) for f in files]
    for name, path in zip(names, found):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[1])
    return names


_REF = re.compile(r'<sup id="ref(\d+)">(.*?)</sup>')
_ALLOWED = re.compile(r"</?(?:b|i|super|br|a)\b[^>]*>")


def rl_markup(html: str) -> str:
    """Inline HTML of the model → ReportLab paragraph markup (footnote calls become anchors)."""
    html = _REF.sub(lambda m: f'<a name="fn{m.group(1)}"/><super>{m.group(2)}</super>', html)
    html = html.replace("<sup>", "<super>").replace("</sup>", "</super>")
    html = html.replace("<strong>", "<b>").replace("</strong>", "</b>").replace("<em>", "<i>").replace("</em>", "</i>")
    html = html.replace("<br/>", "<br/>")
    # any other tag is dropped (its text kept)
    return re.sub(r"<[^>]+>", lambda m: m.group(0) if _ALLOWED.fullmatch(m.group(0)) else "", html)


class _Canvas(Canvas):
    """Records on which page each footnote anchor is drawn."""

    placed: dict[str, int]

    def bookmarkHorizontal(self, key, relativeX, relativeY, **kw):  # noqa: N802 - ReportLab's name
        self.placed.setdefault(key, self.getPageNumber())


class _Doc(BaseDocTemplate):
    def __init__(self, buffer, variant: ReportlabVariant, furniture: Furniture, notes: dict[str, str],
                 reserve: dict[int, float], total: int, styles: dict, max_pages: int):
        super().__init__(buffer, pagesize=A4, leftMargin=variant.margin_left, rightMargin=variant.margin_right,
                         topMargin=62, bottomMargin=58, title=f"{furniture.doc_type} – {furniture.title}",
                         author=furniture.chamber, creator="Constats lab (ReportLab family)")
        self.variant, self.furniture, self.notes, self.reserve = variant, furniture, notes, reserve
        self.total, self.styles, self.max_pages = total, styles, max_pages
        self.needed: dict[int, float] = {}
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("cover", [frame], onPageEnd=self._end_cover),
                               PageTemplate("page", [frame], onPage=self._begin, onPageEnd=self._end)])

    def handle_pageBegin(self):  # noqa: N802 - ReportLab's name
        page = self.page + 1
        if page > self.max_pages:
            raise _Cut
        reserve = self.reserve.get(page, 0.0)
        for template in self.pageTemplates:
            frame = template.frames[0]
            frame._y1 = self.bottomMargin + reserve
            frame._height = self.height - reserve
            frame._geom()
        super().handle_pageBegin()

    def _begin(self, canvas, doc) -> None:
        fs = self.variant.font_size - 1.5
        regular, _, italic = _fonts(self.variant.font)
        canvas.saveState()
        canvas.setFont(italic, fs)
        header = self.variant.header.format(chamber=self.furniture.chamber, body=self.furniture.title)[:110]
        y = A4[1] - 40
        canvas.drawString(self.leftMargin, y, header)
        canvas.setLineWidth(0.4)
        canvas.line(self.leftMargin, y - 4, A4[0] - self.rightMargin, y - 4)
        canvas.setFont(regular, fs)
        number = self.variant.page_number_format.format(n=canvas.getPageNumber(), N=self.total or "?")
        canvas.drawRightString(A4[0] - self.rightMargin, 30, number)
        canvas.restoreState()

    def _end_cover(self, canvas, doc) -> None:
        pass

    def _end(self, canvas, doc) -> None:
        page = canvas.getPageNumber()
        refs = [key[2:] for key, p in canvas.placed.items() if p == page and key.startswith("fn")]
        refs = [r for r in sorted(refs, key=int) if r in self.notes and r not in self._drawn]
        if not refs:
            return
        paragraphs = [Paragraph(f"<super>{r}</super> {rl_markup(self.notes[r])}", self.styles["note"]) for r in refs]
        heights = [p.wrap(self.width, 1000)[1] + 1.5 for p in paragraphs]
        need = sum(heights) + 10
        self.needed[page] = need
        room = self.reserve.get(page, 0.0)
        y = self.bottomMargin + min(room, need) - 6
        canvas.saveState()
        canvas.setLineWidth(0.4)
        canvas.line(self.leftMargin, y + 3, self.leftMargin + self.width * 0.3, y + 3)
        for ref, paragraph, height in zip(refs, paragraphs, heights):
            if y - height < self.bottomMargin - 24:  # no room left: the note waits for the next page
                canvas.placed[f"fn{ref}"] = page + 1
                continue
            paragraph.drawOn(canvas, self.leftMargin, y - height)
            y -= height
            self._drawn.add(ref)
        canvas.restoreState()

    _drawn: set[str]


class _Cut(Exception):
    """The page budget is spent."""


def _styles(variant: ReportlabVariant) -> dict:
    regular, bold, italic = _fonts(variant.font)
    fs = variant.font_size
    body = ParagraphStyle("body", fontName=regular, fontSize=fs, leading=fs * 1.3, alignment=TA_JUSTIFY,
                          spaceAfter=fs * 0.6)
    styles = {"body": body,
              "item": ParagraphStyle("item", parent=body, leftIndent=18, bulletIndent=6, spaceAfter=fs * 0.4),
              "small": ParagraphStyle("small", parent=body, fontName=italic, fontSize=fs * 0.82, leading=fs * 1.05),
              "box": ParagraphStyle("box", parent=body, borderWidth=0.5, borderColor=colors.grey, borderPadding=4,
                                    backColor=colors.HexColor("#f0f0f0")),
              "status": ParagraphStyle("status", parent=body, alignment=TA_RIGHT, fontName=italic),
              "toc": ParagraphStyle("toc", parent=body, alignment=TA_LEFT, spaceAfter=1),
              "note": ParagraphStyle("note", parent=body, fontSize=max(6.5, fs - 2.5), leading=max(6.5, fs - 2.5) * 1.2,
                                     alignment=TA_LEFT, spaceAfter=0),
              "cell": ParagraphStyle("cell", parent=body, fontSize=max(6.5, fs - 1.5), leading=max(6.5, fs - 1.5) * 1.2,
                                     alignment=TA_LEFT, spaceAfter=0),
              "cover-left": ParagraphStyle("cl", parent=body, fontName=bold, fontSize=13, leading=17,
                                           alignment=TA_LEFT),
              "cover-right": ParagraphStyle("cr", parent=body, fontSize=14, leading=19, alignment=TA_LEFT)}
    for level in range(1, 7):
        if variant.headings_plain:  # no font cue: the body's font, size and weight
            styles[f"h{level}"] = ParagraphStyle(f"h{level}", parent=body, alignment=TA_LEFT, keepWithNext=1)
        else:
            styles[f"h{level}"] = ParagraphStyle(f"h{level}", parent=body, fontName=bold,
                                                 fontSize=fs + max(0, 4 - level),
                                                 leading=(fs + max(0, 4 - level)) * 1.25,
                                                 alignment=TA_LEFT, spaceBefore=fs * 0.8, keepWithNext=1)
    return styles


def _cover(furniture: Furniture, styles: dict) -> list:
    esc = html_lib.escape
    left = [Paragraph(esc(furniture.chamber), styles["cover-left"]), Spacer(1, 8),
            Paragraph(esc(furniture.doc_type.upper()), styles["cover-left"])]
    right = [Paragraph(esc(furniture.title), styles["cover-right"])]
    if furniture.departement:
        right.append(Paragraph(f"({esc(furniture.departement)})", styles["cover-right"]))
    if furniture.deliberation_date:
        right.append(Paragraph(f"Rapport délibéré le {esc(furniture.deliberation_date)}", styles["body"]))
    table = Table([[left, right]], colWidths=["42%", "58%"])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEAFTER", (0, 0), (0, 0), 0.6, colors.black),
                               ("LEFTPADDING", (1, 0), (1, 0), 14)]))
    return [Spacer(1, 160), table, PageBreak()]


def _column_widths(rows: list[list[str]], ncols: int, width: float, font_size: float) -> list[float] | None:
    """Widths that fit every cell's longest word, shared out by content length; None if none fit."""
    def plain(i: int, r: list[str]) -> str:
        return re.sub(r"<[^>]+>", "", r[i]) if i < len(r) else ""

    minimum = [max((max((len(w) for w in plain(i, r).split()), default=0) * 0.64 * font_size + 8 for r in rows),
                   default=7.0) for i in range(ncols)]
    if sum(minimum) > width:
        return None
    lengths = [max(min(len(plain(i, r)), 400) for r in rows) + 4 for i in range(ncols)]
    spare = width - sum(minimum)
    return [m + spare * n / sum(lengths) for m, n in zip(minimum, lengths)]


def _table(rows: list[list[str]], styles: dict, width: float, header: bool = True,
           spans: list[int] | None = None, widths: list[float] | None = None) -> list:
    """A bordered table that fits ``width`` (smaller type if needed), else one paragraph per row."""
    ncols = max(len(r) for r in rows)
    cell = styles["cell"]
    if widths is None:
        for size in (cell.fontSize, 6.5, 5.5):
            widths = _column_widths(rows, ncols, width, size)
            if widths is not None:
                cell = ParagraphStyle(f"cell{size}", parent=cell, fontSize=size, leading=size * 1.2)
                break
        else:
            return [Paragraph(rl_markup(" | ".join(c for c in r if c)), styles["cell"]) for r in rows]
    data = [[Paragraph(rl_markup(c), cell) for c in (list(r) + [""] * (ncols - len(r)))] for r in rows]
    table = Table(data, colWidths=widths, repeatRows=1 if header and len(rows) > 2 else 0, splitInRow=1)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")))
    for r in spans or []:
        commands += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#eeeeee"))]
    table.setStyle(TableStyle(commands))
    return [table]


def _recap(element: Element, styles: dict, width: float) -> list:
    header, rows = recap_rows(element.regions)
    data: list[list[str]] = [header]
    spans = []
    for row in rows:
        if isinstance(row, str):
            spans.append(len(data))
            data.append([row] + [""] * (len(header) - 1))
        else:
            data.append(row)
    n_status = sum(1 for h in header if "œuvre" in h)
    fixed = {"Nature": 62.0, "N°": 26.0}
    widths = [fixed.get(h, 0.0) for h in header]
    for i in range(len(header) - n_status, len(header)):
        widths[i] = 46.0
    text_col = header.index("Intitulé") if "Intitulé" in header else len(header) - n_status - 1
    widths[text_col] = width - sum(widths)
    return _table(data, styles, width, header=True, spans=spans, widths=widths)


def _flowables(elements: list[Element], styles: dict, width: float) -> list:
    out: list = []
    for element in elements:
        if element.kind == "heading":
            out.append(Paragraph(rl_markup(element.html), styles[f"h{min(max(element.level, 1), 6)}"]))
        elif element.kind == "item":
            out.append(Paragraph(rl_markup(element.html), styles["item"], bulletText="–"))
        elif element.kind == "status_line":
            out.append(Paragraph(element.html, styles["status"]))
        elif element.kind == "toc":
            out.append(Paragraph(rl_markup(element.html), styles["toc"]))
        elif element.kind == "table":
            out += _table(element.rows, styles, width)
            out.append(Spacer(1, 6))
        elif element.kind == "recap":
            out += _recap(element, styles, width)
            out.append(Spacer(1, 8))
        else:
            style = styles.get(element.role, styles["body"]) if element.role in ("small", "box") else styles["body"]
            out.append(Paragraph(rl_markup(element.html), style))
    return out


def _build(parsed: ParsedHtml, variant: ReportlabVariant, furniture: Furniture, reserve: dict[int, float],
           total: int, max_pages: int, flatten: bool) -> tuple[bytes, dict[int, float], int]:
    styles = _styles(variant)
    elements = plan_report(parsed, recap=variant.recap, drop_restated_summary=variant.drop_restated_summary,
                           role=block_role)
    if flatten:  # tables as one line per row (a table ReportLab cannot split)
        flat = []
        for e in elements:
            if e.kind == "table":
                flat += [Element("para", " | ".join(c for c in row if c)) for row in e.rows]
            elif e.kind == "recap":
                _, rows = recap_rows(e.regions)
                flat += [Element("para", r if isinstance(r, str) else " | ".join(c for c in r if c)) for r in rows]
            else:
                flat.append(e)
        elements = flat
    buffer = io.BytesIO()
    doc = _Doc(buffer, variant, furniture, parsed.footnotes, reserve, total, styles, max_pages)
    doc._drawn = set()
    story = [*_cover(furniture, styles), *_flowables(elements, styles, doc.width)]
    placed: dict[str, int] = {}

    def canvasmaker(*args, **kwargs):
        canvas = _Canvas(*args, **kwargs)
        canvas.placed = placed
        return canvas

    from reportlab.platypus.doctemplate import NextPageTemplate  # noqa: PLC0415 - platypus detail

    story.insert(len(_cover(furniture, styles)) - 1, NextPageTemplate("page"))
    try:
        doc.build(story, canvasmaker=canvasmaker)
    except _Cut:
        doc.canv.save()
    return buffer.getvalue(), doc.needed, doc.page


def render(parsed: ParsedHtml, variant: ReportlabVariant, furniture: Furniture, max_pages: int = 200) -> bytes:
    """Lay out one report; a few passes make room at the foot of each page for its footnotes."""
    reserve: dict[int, float] = {}
    total = 0
    flatten = False
    pdf = b""
    for _ in range(3):
        try:
            pdf, needed, pages = _build(parsed, variant, furniture, reserve, total, max_pages, flatten)
        except LayoutError:
            flatten = True
            pdf, needed, pages = _build(parsed, variant, furniture, reserve, total, max_pages, flatten)
        if all(needed.get(p, 0.0) <= reserve.get(p, 0.0) for p in needed) and pages == total:
            break
        for page, need in needed.items():
            reserve[page] = max(reserve.get(page, 0.0), min(need, 420.0))
        total = pages
    return pdf


__all__ = ["VARIANTS", "ReportlabVariant", "render"]
