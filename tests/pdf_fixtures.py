"""Real PDFs for the nlp tests, made with PyMuPDF's Story (no mocks).

``render_html`` lays out HTML like a CRC report: optional cover page, a running header,
"n/N" page numbers at the foot and, optionally, footnotes at the foot of a page. Corpus
documents are rendered from ``../shared/corpus`` at test time (never copied).
Until the project's renderer (``lab.replica.render``) is used everywhere, this is the tests'
own small renderer; it varies fonts and margins so no test depends on one layout.
"""

from __future__ import annotations

import io
import re

import pymupdf

BASE_CSS = """
body {font-family: %(font)s; font-size: %(size)spt; line-height: 1.25}
p {margin: 0 0 6pt 0}
.heading-1, h1 {font-size: 15pt; font-weight: bold; margin-top: 12pt}
.heading-2, h2 {font-size: 13pt; font-weight: bold; margin-top: 10pt}
.heading-3, h3 {font-size: 12pt; font-weight: bold}
.heading-4, h4 {font-size: 11pt; font-weight: bold; font-style: italic}
.heading-5, h5 {font-size: 11pt; font-style: italic}
td, th {font-size: 8.5pt; border: 0.5pt solid #444; padding: 1pt; vertical-align: top}
table {border-collapse: collapse}
"""


def _strip_head(html: str) -> str:
    html = re.sub(r"(?is)<head>.*?</head>", "", html)
    return re.sub(r"(?is)<img[^>]*>", "", html)


def render_html(html: str, *, header: str = "Rapport d'observations définitives", cover: list[str] | None = None,
                font: str = "serif", size: float = 11, margins: tuple[int, int] = (62, 72),
                footnotes: dict[int, list[str]] | None = None, max_pages: int = 300,
                page_numbers: str = "{n}/{N}") -> bytes:
    """Render ``html`` to PDF bytes with page furniture around the document's own text.

    ``footnotes`` maps a 1-based page number (of the body, after the cover) to notes
    printed small at its foot.
    """
    css = BASE_CSS % {"font": font, "size": size}
    story = pymupdf.Story(html=_strip_head(html), user_css=css)
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    mediabox = pymupdf.paper_rect("a4")
    mx, my = margins
    where = mediabox + (mx, my, -mx, -my - 30)
    if cover:
        cover_story = pymupdf.Story(html="".join(f"<p style='text-align:center;font-size:16pt;"
                                                 f"font-weight:bold'>{line}</p>" for line in cover), user_css=css)
        dev = writer.begin_page(mediabox)
        cover_story.place(mediabox + (mx, 250, -mx, -200))
        cover_story.draw(dev)
        writer.end_page()
    more, n = 1, 0
    while more and n < max_pages:
        dev = writer.begin_page(mediabox)
        more, _ = story.place(where)
        story.draw(dev)
        writer.end_page()
        n += 1
    writer.close()
    doc = pymupdf.open("pdf", buf.getvalue())
    total = len(doc)
    first_body = 1 if cover else 0
    for i, page in enumerate(doc):
        if i >= first_body:
            page.insert_text((mx, my - 25), header, fontsize=8, fontname="helv")
            page.draw_line((mx, my - 20), (mediabox.width - mx, my - 20), width=0.4)
        label = page_numbers.format(n=i + 1, N=total)
        page.insert_text((mediabox.width / 2 - 10, mediabox.height - 28), label, fontsize=9, fontname="helv")
        notes = (footnotes or {}).get(i + 1 - first_body)
        if notes:
            y = mediabox.height - my - 22 + 10
            page.draw_line((mx, y - 10), (mx + 150, y - 10), width=0.4)
            for k, note in enumerate(notes, 1):
                rect = pymupdf.Rect(mx, y - 8, mediabox.width - mx, y + 14)
                page.insert_textbox(rect, f"{k} {note}", fontsize=7.5, fontname="tiro")
                y += 12
    out = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return out


def render_paragraphs(paragraphs: list[str], **kw) -> bytes:
    """Fictional text (written for the tests) as a report-shaped PDF."""
    html = "".join(p if p.lstrip().startswith("<") else f"<p>{p}</p>" for p in paragraphs)
    return render_html(f"<html><body>{html}</body></html>", **kw)


VARIANTS = [
    dict(font="serif", size=11, margins=(62, 72)),
    dict(font="sans-serif", size=10, margins=(50, 60), page_numbers="- {n} -"),
    dict(font="serif", size=12, margins=(70, 80), page_numbers="Page {n} sur {N}"),
]


def render_corpus(key: str, variant: int = 0, max_pages: int = 300) -> bytes:
    """A corpus document (read from ../shared/corpus at run time) rendered as a report PDF."""
    from tests.corpus import corpus_html, corpus_metadata

    meta = next((m for m in corpus_metadata() if m["key"] == key), {})
    title = meta.get("title", "Rapport")
    html = corpus_html(key)
    cover = ["RAPPORT D'OBSERVATIONS DÉFINITIVES", title.replace("&", "et")]
    return render_html(html, header=f"{title[:70]} – rapport d'observations définitives", cover=cover,
                       max_pages=max_pages, **VARIANTS[variant % len(VARIANTS)])
