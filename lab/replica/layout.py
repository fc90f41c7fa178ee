"""Paginate a report with PyMuPDF's Story: cover, body, footnotes at the foot, header, footer.

Footnotes go at the foot of the page where their reference lands. Since a Story cannot
be rewound page by page, pagination runs a few times: each pass reserves at the foot of
every page the room that the previous pass's footnotes needed; footnotes that still do
not fit are carried to the next page. The last pass is replayed onto a ``DocumentWriter``.
Every loop is bounded by ``max_pages``; a Story that stops making progress (a table wider
than the page) raises ``LayoutStuck`` so the caller can retry with tables flattened.
"""

from __future__ import annotations

import html as html_lib
import io
import logging
from dataclasses import dataclass, field

import pymupdf

from lab.replica.compose import footnote_css, footnotes_html
from lab.replica.variants import RenderVariant

log = logging.getLogger(__name__)

MAX_FOOTNOTE_SHARE = 0.6  # footnotes never take more than this share of the text height
_PASSES = 3
HEADER_MAX_CHARS = 90


class LayoutStuck(RuntimeError):
    """The Story engine stopped making progress (content wider/taller than the page)."""


@dataclass
class Furniture:
    """What the cover and the running header/footer say."""

    title: str  # audited body
    chamber: str
    doc_type: str = "Rapport d’observations définitives"
    departement: str | None = None
    deliberation_date: str | None = None


@dataclass
class _Page:
    rect: pymupdf.Rect
    filled: pymupdf.Rect
    refs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # footnotes printed on this page


@dataclass
class Geometry:
    width: float
    height: float
    margin: float

    @property
    def top(self) -> float:
        return self.margin * 0.85 + 14

    @property
    def bottom(self) -> float:
        return self.height - self.margin * 0.85 - 14

    @property
    def text_width(self) -> float:
        return self.width - 2 * self.margin

    def body_rect(self, reserve: float = 0.0) -> pymupdf.Rect:
        return pymupdf.Rect(self.margin, self.top, self.width - self.margin, self.bottom - reserve)


class _Notes:
    """Measures and draws footnote groups; measurements are cached per group."""

    def __init__(self, footnotes: dict[str, str], variant: RenderVariant, geometry: Geometry):
        self.footnotes = footnotes
        self.css = footnote_css(variant)
        self.geometry = geometry
        self._heights: dict[str, float] = {}

    def story(self, numbers: list[str]) -> pymupdf.Story:
        return pymupdf.Story(footnotes_html(numbers, self.footnotes), user_css=self.css)

    def _measure(self, content: str) -> float:
        story = pymupdf.Story(content, user_css=self.css)
        _, filled = story.place(pymupdf.Rect(0, 0, self.geometry.text_width, 100000))
        return pymupdf.Rect(filled).y1

    def height(self, numbers: list[str]) -> float:
        """Height of a group of footnotes with its separator: the sum of measured parts."""
        if not numbers:
            return 0.0
        if "sep" not in self._heights:
            self._heights["sep"] = self._measure(footnotes_html([], self.footnotes))
        total = self._heights["sep"] + 4.0
        for number in numbers:
            if number not in self._heights:
                self._heights[number] = self._measure(footnotes_html([number], self.footnotes)) \
                    - self._heights["sep"] + 1.5
            total += self._heights[number]
        return total


class ChainedStory:
    """A long body as a chain of short Stories placed one after another.

    MuPDF re-lays the remaining content of a Story at every ``place`` (quadratic on long
    justified reports); short chunks keep layout linear. A page holds the end of one
    chunk and the start of the next.
    """

    def __init__(self, chunks: list[str], css: str, gap: float, min_room: float):
        self.stories = [pymupdf.Story(c, user_css=css) for c in chunks if c.strip()]
        self.gap = gap
        # a chunk is never started in less room than this: MuPDF mis-places a Story put
        # into a rectangle shorter than a line (its content then vanishes on the next page)
        self.min_room = min_room
        self.index = 0
        self._placed: list[pymupdf.Story] = []
        self._overflow: tuple | None = None

    def reset(self) -> None:
        for story in self.stories:
            story.reset()
        self.index = 0
        self._overflow = None

    def place(self, rect: pymupdf.Rect, refs: list[str]) -> tuple[bool, pymupdf.Rect]:
        """Fill ``rect``; return whether content remains and the rectangle actually used."""
        self._placed = []
        used = pymupdf.Rect(rect.x0, rect.y0, rect.x1, rect.y0)
        top = rect.y0
        while self.index < len(self.stories) and top < rect.y1 - self.min_room:
            story = self.stories[self.index]
            more, filled = story.place(pymupdf.Rect(rect.x0, top, rect.x1, rect.y1))
            filled = pymupdf.Rect(filled)
            blocks: list[str] = []
            story.element_positions(_collector(refs, blocks))
            self._placed.append(story)
            if not filled.is_empty:
                used.y1 = max(used.y1, filled.y1)
            if more:
                placement = (self.index, tuple(blocks), round(filled.height, 1))
                overflow = placement if blocks and filled.y1 > rect.y1 + 1 else None
                if overflow is not None and overflow == self._overflow:
                    # the same unsplittable box, taller than the page, placed again and again
                    raise LayoutStuck("content taller than the page")
                self._overflow = overflow
                return True, used
            self.index += 1
            top = max(top, filled.y1 + self.gap) if not filled.is_empty else top
        return self.index < len(self.stories), used

    def draw(self, device) -> None:
        for story in self._placed:
            story.draw(device)


def _paginate(story: ChainedStory, geometry: Geometry, reserve: list[float], max_pages: int,
              writer: pymupdf.DocumentWriter | None = None,
              before_draw=None) -> tuple[list[_Page], bool]:
    """Place the whole story; return its pages and whether it was cut at ``max_pages``."""
    story.reset()
    pages: list[_Page] = []
    more, stalled = True, 0
    while more:
        if len(pages) >= max_pages:
            return pages, True
        index = len(pages)
        rect = geometry.body_rect(reserve[index] if index < len(reserve) else 0.0)
        page = _Page(rect, rect)
        more, page.filled = story.place(rect, page.refs)
        if writer is not None:
            device = writer.begin_page(pymupdf.Rect(0, 0, geometry.width, geometry.height))
            story.draw(device)
            before_draw(device, index)
            writer.end_page()
        else:
            story.draw(None)
        pages.append(page)
        stalled = stalled + 1 if more and page.filled.height < 1.0 else 0
        if stalled >= 3:
            raise LayoutStuck("the layout engine stopped making progress")
    return pages, False


def _collector(refs: list[str], blocks: list[str]):
    """Records footnote references (``ref<n>``) and blocks (``b<n>``) placed on a page."""
    def collect(position) -> None:
        ident = position.id or ""
        if ident.startswith("ref") and ident[3:] not in refs:
            refs.append(ident[3:])
        elif ident.startswith("b"):
            blocks.append(f"{ident}:{position.rect}")
    return collect


def _assign_notes(pages: list[_Page], notes: _Notes, geometry: Geometry) -> list[list[str]]:
    """Footnotes per page (greedy, carried over when they do not fit); extra note-only pages."""
    carried: list[str] = []
    known = notes.footnotes
    max_h = (geometry.bottom - geometry.top) * MAX_FOOTNOTE_SHARE
    cited = {r for page in pages for r in page.refs}
    uncited = [n for n in known if n not in cited]  # lose nothing: they go on the last page
    for index, page in enumerate(pages):
        queue = carried + [r for r in page.refs if r in known]
        if index == len(pages) - 1:
            queue += uncited
        text_bottom = min(max(page.filled.y1, page.rect.y0), page.rect.y1)
        available = min(max_h, geometry.bottom - text_bottom)
        take = 0
        while take < len(queue) and notes.height(queue[: take + 1]) <= available:
            take += 1
        page.notes, carried = queue[:take], queue[take:]
    extra: list[list[str]] = []
    full = geometry.bottom - geometry.top
    while carried and len(extra) < 50:
        take = 1
        while take < len(carried) and notes.height(carried[: take + 1]) <= full:
            take += 1
        extra.append(carried[:take])
        carried = carried[take:]
    return extra


def _demand(pages: list[_Page], notes: _Notes, geometry: Geometry) -> list[float]:
    """Room each page's footnotes would need (its own references plus carried ones)."""
    max_h = (geometry.bottom - geometry.top) * MAX_FOOTNOTE_SHARE
    out, carried = [], []
    for page in pages:
        wanted = carried + [r for r in page.refs if r in notes.footnotes]
        out.append(min(max_h, notes.height(wanted) + 6.0) if wanted else 0.0)
        carried = [n for n in wanted if n not in page.notes]
    return out


def _draw_html(device, rect: pymupdf.Rect, content: str, css: str) -> None:
    story = pymupdf.Story(content, user_css=css)
    story.place(rect)
    story.draw(device)


def _format_number(variant: RenderVariant, n: int, total: int) -> str:
    return variant.page_number_format.format(n=n, N=total)


def _furniture_css(variant: RenderVariant) -> str:
    fs = max(7.0, variant.font_size - 2)
    return (f"body {{ margin: 0; font-family: {variant.font}; font-size: {fs}pt; }}"
            f"p.h {{ text-align: {variant.header_align}; font-style: italic; margin: 0;"
            f" border-bottom: 0.5pt solid #000000; padding-bottom: 2pt; }}"
            f"p.f {{ text-align: {variant.page_number_align}; margin: 0; }}")


def _draw_furniture(device, geometry: Geometry, variant: RenderVariant, furniture: Furniture,
                    number: int, total: int) -> None:
    css = _furniture_css(variant)
    m = geometry.margin
    if variant.header_text:
        header = variant.header_text.format(body=furniture.title, chamber=furniture.chamber)
        if len(header) > HEADER_MAX_CHARS:
            header = header[: HEADER_MAX_CHARS - 1].rstrip() + "…"
        _draw_html(device, pymupdf.Rect(m, geometry.top - 30, geometry.width - m, geometry.top - 6),
                   f'<p class="h">{html_lib.escape(header)}</p>', css)
    footer = html_lib.escape(_format_number(variant, number, total))
    _draw_html(device, pymupdf.Rect(m, geometry.bottom + 12, geometry.width - m,
                                    geometry.bottom + 40), f'<p class="f">{footer}</p>', css)


def _cover_html(furniture: Furniture) -> str:
    esc = html_lib.escape
    parts = [f'<p class="chamber">{esc(furniture.chamber)}</p>',
             f'<p class="doctype">{esc(furniture.doc_type.upper())}</p>',
             f'<p class="body">{esc(furniture.title)}</p>']
    if furniture.departement:
        parts.append(f'<p class="dept">({esc(furniture.departement)})</p>')
    if furniture.deliberation_date:
        parts.append(f'<p class="date">Rapport délibéré le {esc(furniture.deliberation_date)}</p>')
    return "".join(parts)


def _cover_css(variant: RenderVariant) -> str:
    return (f"body {{ margin: 0; font-family: {variant.font}; text-align: center; }}"
            "p.chamber { font-size: 15pt; font-weight: bold; margin: 0 0 150pt 0; }"
            "p.doctype { font-size: 18pt; font-weight: bold; margin: 0 0 30pt 0; }"
            "p.body { font-size: 16pt; margin: 0 0 8pt 0; }"
            "p.dept { font-size: 13pt; margin: 0 0 40pt 0; }"
            "p.date { font-size: 11pt; margin: 40pt 0 0 0; }")


def layout_pdf(body: list[str], body_css: str, footnotes: dict[str, str], variant: RenderVariant,
               furniture: Furniture, max_pages: int) -> tuple[bytes, bool]:
    """Lay out the report; return the PDF bytes and whether it was cut at ``max_pages``."""
    geometry = Geometry(variant.page_size[0], variant.page_size[1], variant.margin)
    notes = _Notes(footnotes, variant, geometry)
    story = ChainedStory(body, body_css, gap=variant.font_size * 0.55,
                         min_room=variant.font_size * 4)
    body_budget = max(1, max_pages - 1)  # page 1 is the cover
    reserve: list[float] = []
    for _ in range(_PASSES):
        pages, cut = _paginate(story, geometry, reserve, body_budget)
        _assign_notes(pages, notes, geometry)
        wanted = _demand(pages, notes, geometry)
        padded = reserve + [0.0] * max(0, len(wanted) - len(reserve))
        if all(w <= r for w, r in zip(wanted, padded)):
            break  # every page already has the room its footnotes need: this layout is final
        reserve = [max(w, r) for w, r in zip(wanted, padded)]
    else:
        pages, cut = _paginate(story, geometry, reserve, body_budget)
    extra = _assign_notes(pages, notes, geometry)
    extra = extra[: max(0, body_budget - len(pages))]
    total = 1 + len(pages) + len(extra)

    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    device = writer.begin_page(pymupdf.Rect(0, 0, geometry.width, geometry.height))
    _draw_html(device, pymupdf.Rect(geometry.margin, geometry.top + 40,
                                    geometry.width - geometry.margin, geometry.bottom),
               _cover_html(furniture), _cover_css(variant))
    if variant.furniture_on_cover:
        _draw_furniture(device, geometry, variant, furniture, 1, total)
    writer.end_page()

    def finish_page(dev, index: int) -> None:
        page = pages[index]
        _draw_notes(dev, notes, page.notes, geometry)
        _draw_furniture(dev, geometry, variant, furniture, index + 2, total)

    _paginate(story, geometry, reserve, body_budget, writer, finish_page)
    for i, group in enumerate(extra):
        dev = writer.begin_page(pymupdf.Rect(0, 0, geometry.width, geometry.height))
        _draw_notes(dev, notes, group, geometry)
        _draw_furniture(dev, geometry, variant, furniture, len(pages) + 2 + i, total)
        writer.end_page()
    writer.close()
    if cut:
        log.warning("rendering cut at %d pages", max_pages)
    return buffer.getvalue(), cut


def _draw_notes(device, notes: _Notes, numbers: list[str], geometry: Geometry) -> None:
    if not numbers:
        return
    height = notes.height(numbers)
    rect = pymupdf.Rect(geometry.margin, geometry.bottom - height,
                        geometry.width - geometry.margin, geometry.bottom + 2)
    story = notes.story(numbers)
    story.place(rect)
    story.draw(device)
