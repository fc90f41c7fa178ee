"""Render a report HTML (corpus DocJF or the project's samples) into a PDF shaped like a CRC report.

The PDF has a cover page (chamber, document type, audited body, département), a running
header, page numbers ("5/62", "- 5 -", "Page 5 sur 62"), footnotes at the foot of the page
where they are referenced and tables with cells, around the document's OWN structure.
``RenderVariant`` chooses the layout; ``SCANNED`` produces page images without text.

    >>> pdf = render_corpus_report("260333")            # doctest: +SKIP
    >>> pdf = render_sample(sample_reports()[0], variant=SCANNED)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import logging
from datetime import date, datetime
from pathlib import Path

import pymupdf

from constats.config import get_settings
from lab.paths import resolve
from lab.replica.chambers import GENERIC_CHAMBER, body_from_title, choose_chamber
from lab.replica.compose import body_html, css
from lab.replica.html_model import parse_report_html
from lab.replica.layout import Furniture, LayoutStuck, layout_pdf
from lab.replica.samples import SampleReport, sample_reports
from lab.replica.scan import rasterize
from lab.replica.variants import SCANNED, TEXT_VARIANTS, RenderVariant, variants

__all__ = [
    "RenderVariant", "TEXT_VARIANTS", "SCANNED", "variants", "RenderError", "render_html",
    "render_corpus_report", "corpus_report_info", "SampleReport", "sample_reports",
    "render_sample",
]

log = logging.getLogger(__name__)


class RenderError(ValueError):
    """The input cannot be rendered (unknown key, unreadable HTML…)."""


def render_html(html: str, *, title: str, chamber: str | None,
                variant: RenderVariant = TEXT_VARIANTS[0], max_pages: int = 200,
                deliberation_date: str | None = None, departement: str | None = None,
                doc_type: str = "Rapport d’observations définitives") -> bytes:
    """Render one report HTML to PDF bytes; never more than ``max_pages`` pages.

    ``title`` is the audited body as printed on the cover and in the header; ``chamber``
    None prints the generic "Chambre régionale des comptes".
    """
    if isinstance(html, (bytes, bytearray)):
        html = bytes(html).decode("utf-8", errors="replace")
    if not isinstance(html, str):
        raise RenderError(f"html must be str or bytes, not {type(html).__name__}")
    if max_pages < 1:
        raise RenderError("max_pages must be at least 1")
    parsed = parse_report_html(html)
    furniture = Furniture(title=title, chamber=chamber or GENERIC_CHAMBER, doc_type=doc_type,
                          departement=departement, deliberation_date=deliberation_date)
    width = variant.page_size[0] - 2 * variant.margin
    try:
        pdf, _ = layout_pdf(body_html(parsed, variant, width), css(variant), parsed.footnotes,
                            variant, furniture, max_pages)
    except LayoutStuck:
        log.warning("layout stuck on %r: tables rendered as text rows", title)
        pdf, _ = layout_pdf(body_html(parsed, variant, width, flatten_tables=True),
                            css(variant), parsed.footnotes, variant, furniture, max_pages)
    pdf = _with_metadata(pdf, title, furniture.chamber, doc_type)
    if variant.scanned:
        pdf = rasterize(pdf, dpi=variant.scan_dpi, rotation=variant.scan_rotation,
                        noise=variant.scan_noise, seed=variant.seed)
    return pdf


def _with_metadata(pdf: bytes, title: str, chamber: str, doc_type: str) -> bytes:
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    try:
        doc.set_metadata({"title": f"{doc_type} – {title}", "author": chamber,
                          "subject": doc_type, "creator": "Constats replica renderer"})
        return doc.tobytes(garbage=1, deflate=True)
    finally:
        doc.close()


def _corpus_dir(corpus_dir: Path | None) -> Path:
    if corpus_dir is not None:
        return Path(corpus_dir)

    path = get_settings().corpus_dir
    if not path.is_absolute():
        path = resolve(path)
    return path.resolve()


def _parse_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except (ValueError, AttributeError):
        return None


def corpus_report_info(key: str, corpus_dir: Path | None = None) -> dict:
    """Cover facts for a corpus report: body, département, chamber, document type, date."""
    root = _corpus_dir(corpus_dir)
    html_path = root / "html" / f"{key}.html"
    if "/" in key or not html_path.is_file():
        raise RenderError(f"no corpus document {key!r} under {root}")
    row = {}
    meta = root / "metadata.csv"
    if meta.is_file():
        with open(meta, encoding="utf-8") as fh:
            row = next((r for r in csv.DictReader(fh) if r.get("key") == key), {})
    title = (row.get("title") or "").strip()
    body, departement = body_from_title(title, (row.get("departement") or "").strip() or None)
    html = html_path.read_text(encoding="utf-8", errors="replace")
    txt_path = root / "txt" / f"{key}.txt"
    text = txt_path.read_text(encoding="utf-8", errors="replace") if txt_path.is_file() else html
    on = _parse_date(row.get("date", ""))
    return {
        "key": key, "html": html, "title": body or "Rapport d’observations définitives",
        "departement": departement, "date": on,
        "chamber": choose_chamber(text[:60000], departement, on, row.get("juridiction")),
        "doc_type": (row.get("doc_type") or "").strip() or "Rapport d’observations définitives",
    }


def render_corpus_report(key: str, corpus_dir: Path | None = None,
                         variant: RenderVariant = TEXT_VARIANTS[0], max_pages: int = 200,
                         deliberation_date: str | None = None) -> bytes:
    """Render ``html/<key>.html`` of the corpus with its metadata.csv facts on the cover.

    One document only: attachments (``<key>-1``…) are documents of their own.
    """
    info = corpus_report_info(key, corpus_dir)
    return render_html(info["html"], title=info["title"], chamber=info["chamber"],
                       variant=variant, max_pages=max_pages, departement=info["departement"],
                       deliberation_date=deliberation_date, doc_type=info["doc_type"])


def render_sample(sample: SampleReport, variant: RenderVariant = TEXT_VARIANTS[0],
                  max_pages: int = 200) -> bytes:
    """Render one of the project's fictional sample reports."""
    return render_html(sample.html, title=sample.title, chamber=sample.chamber, variant=variant,
                       max_pages=max_pages, deliberation_date=sample.deliberation_date,
                       departement=sample.departement)
