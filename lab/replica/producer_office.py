"""The "bureautique" layout family: a word-processor document converted to PDF by LibreOffice.

Most real reports are word-processor files exported to PDF. This family writes the report as a
flat OpenDocument text (``.fodt``, one XML file, no library needed) and has LibreOffice
(``soffice --headless --convert-to pdf``) lay it out: its own line breaking, fonts (Liberation),
real footnotes at the foot of the page (cut mid-sentence across pages as the word processor
does), a running header carrying the chamber's name, "Page 5 / 62" numbers, a two-column cover
without header, bordered tables, and lists of recommandations re-laid as recapitulation tables
with status columns or one table mixing rappels and recommandations grouped by status.

Converting starts a LibreOffice process (≈3 s): ``render_many`` converts many reports in one.
``soffice_path()`` is None where LibreOffice is absent (install ``libreoffice-writer-nogui``).
"""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from lab.replica.html_model import ParsedHtml, block_role
from lab.replica.layout import Furniture
from lab.replica.plan import Element, RecapLayout, plan_report, recap_rows


class OfficeUnavailable(RuntimeError):
    """LibreOffice is not installed (Debian package ``libreoffice-writer-nogui``)."""


@dataclass(frozen=True)
class OfficeVariant:
    name: str
    font: str = "Liberation Serif"
    font_size: float = 12.0
    margin_cm: tuple[float, float] = (2.5, 2.0)  # left/right, top/bottom
    headings_plain: bool = True  # headings in the body's font, size and weight
    header: str = "{chamber}"
    page_number: str = "Page {n} / {N}"
    recap: RecapLayout = "table"
    drop_restated_summary: bool = False
    family: str = "bureautique"
    scanned: bool = False


VARIANTS = [
    OfficeVariant("lo-traitement", font="Liberation Serif", font_size=12.0, headings_plain=True,
                  header="{chamber}", page_number="Page {n} / {N}", recap="table"),
    OfficeVariant("lo-tableur", font="Liberation Sans", font_size=10.0, margin_cm=(2.0, 1.6), headings_plain=False,
                  header="{chamber}\t{body}", page_number="{n}", recap="mixed", drop_restated_summary=True),
]

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# --------------------------------------------------------------------------- inline content
_TOKEN = re.compile(r"<(/?)(b|i|strong|em|sup|br)(?:\s[^>]*?)?(/?)>|<[^>]+>|[^<]+")
_REF_ID = re.compile(r'id="ref(\d+)"')


def inline_xml(html: str, footnotes: dict[str, str] | None = None) -> str:
    """Inline HTML of the model → ODF inline XML; a footnote call becomes a real footnote."""
    out: list[str] = []
    i = 0
    while i < len(html):
        match = _TOKEN.match(html, i)
        if match is None:
            break
        token = match.group(0)
        i = match.end()
        if not token.startswith("<"):
            out.append(xml_escape(html_lib.unescape(token)))
            continue
        closing, tag = match.group(1), match.group(2)
        if tag == "br":
            out.append("<text:line-break/>")
        elif tag == "sup" and not closing:
            end = html.find("</sup>", i)
            label = html_lib.unescape(re.sub(r"<[^>]+>", "", html[i:end if end >= 0 else len(html)]))
            ref = _REF_ID.search(token)
            i = end + len("</sup>") if end >= 0 else len(html)
            if ref and footnotes is not None and ref.group(1) in footnotes:
                body = inline_xml(footnotes[ref.group(1)])
                out.append(f'<text:note text:note-class="footnote"><text:note-citation>{xml_escape(label)}'
                           f'</text:note-citation><text:note-body><text:p text:style-name="Note">{body}</text:p>'
                           f'</text:note-body></text:note>')
            else:
                out.append(f'<text:span text:style-name="Sup">{xml_escape(label)}</text:span>')
        elif tag in ("b", "strong"):
            out.append("</text:span>" if closing else '<text:span text:style-name="Bold">')
        elif tag in ("i", "em"):
            out.append("</text:span>" if closing else '<text:span text:style-name="Italic">')
    text = "".join(out)
    # unbalanced spans (a source that never closes its <b>) would make the file unreadable
    opened, closed = text.count("<text:span "), text.count("</text:span>")
    text += "</text:span>" * max(0, opened - closed)
    while closed > opened and text.endswith("</text:span>"):
        text, closed = text[: -len("</text:span>")], closed - 1
    return text.replace("</text:span>", "", max(0, closed - opened))


# --------------------------------------------------------------------------- document
def _styles(variant: OfficeVariant, furniture: Furniture) -> str:
    fs = variant.font_size
    side, vert = variant.margin_cm
    heading = (f'fo:font-size="{fs}pt" fo:font-weight="normal"' if variant.headings_plain
               else f'fo:font-size="{fs + 2}pt" fo:font-weight="bold"')
    headings = "".join(
        f'<style:style style:name="H{n}" style:family="paragraph" style:parent-style-name="Body">'
        f'<style:paragraph-properties fo:text-align="start" fo:keep-with-next="always" fo:margin-top="{fs * 0.6}pt"/>'
        f'<style:text-properties {heading}/></style:style>' for n in range(1, 7))
    header_text = xml_escape(variant.header.format(chamber=furniture.chamber, body=furniture.title)[:120])
    header_text = header_text.replace("\t", "<text:tab/>")
    number = xml_escape(variant.page_number).replace("{n}", "<text:page-number>1</text:page-number>") \
        .replace("{N}", "<text:page-count>1</text:page-count>")
    return f"""
<office:font-face-decls>
 <style:font-face style:name="{variant.font}" svg:font-family="'{variant.font}'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph"><style:text-properties style:font-name="{variant.font}"
   fo:font-size="{fs}pt" fo:language="fr" fo:country="FR"/></style:default-style>
 <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="justify"
   fo:margin-bottom="{fs * 0.5}pt"/><style:text-properties style:font-name="{variant.font}" fo:font-size="{fs}pt"/>
 </style:style>
 {headings}
 <style:style style:name="Item" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:margin-left="0.8cm" fo:text-indent="-0.4cm"/></style:style>
 <style:style style:name="Small" style:family="paragraph" style:parent-style-name="Body">
  <style:text-properties fo:font-size="{fs * 0.8}pt" fo:font-style="italic"/></style:style>
 <style:style style:name="Box" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:border="0.5pt solid #777777" fo:padding="0.1cm" fo:background-color="#f0f0f0"/>
 </style:style>
 <style:style style:name="Status" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="Toc" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:text-align="start" fo:margin-bottom="1pt"/></style:style>
 <style:style style:name="Cell" style:family="paragraph"><style:paragraph-properties fo:text-align="start"/>
  <style:text-properties fo:font-size="{max(7.0, fs - 2)}pt"/></style:style>
 <style:style style:name="Note" style:family="paragraph"><style:text-properties fo:font-size="{max(7.0, fs - 3)}pt"/>
 </style:style>
 <style:style style:name="Furniture" style:family="paragraph"><style:paragraph-properties
   fo:border-bottom="0.5pt solid #000000" fo:padding-bottom="0.05cm"><style:tab-stops><style:tab-stop
   style:position="16cm" style:type="right"/></style:tab-stops></style:paragraph-properties>
  <style:text-properties fo:font-size="{max(7.0, fs - 3)}pt" fo:font-style="italic"/></style:style>
 <style:style style:name="Footer" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/>
  <style:text-properties fo:font-size="{max(7.0, fs - 2)}pt"/></style:style>
 <style:style style:name="CoverLeft" style:family="paragraph"><style:text-properties fo:font-size="14pt"
   fo:font-weight="bold"/></style:style>
 <style:style style:name="CoverRight" style:family="paragraph">
  <style:text-properties fo:font-size="15pt"/></style:style>
 <style:style style:name="Bold" style:family="text">
  <style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="Italic" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="Sup" style:family="text">
  <style:text-properties style:text-position="super 58%"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="PL"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
   fo:margin-left="{side}cm" fo:margin-right="{side}cm" fo:margin-top="{vert}cm" fo:margin-bottom="{vert}cm"/>
  <style:header-style>
  <style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.3cm"/></style:header-style>
  <style:footer-style>
  <style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.3cm"/></style:footer-style>
 </style:page-layout>
 <style:style style:name="Start" style:family="paragraph" style:parent-style-name="Body"
   style:master-page-name="Standard"/>
 <style:style style:name="CoverTop" style:family="paragraph" style:parent-style-name="Body"
   style:master-page-name="Cover"><style:paragraph-properties fo:margin-top="6cm"/></style:style>
 <style:style style:name="Grid" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000"
   fo:padding="0.08cm"/></style:style>
 <style:style style:name="Head" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000"
   fo:padding="0.08cm" fo:background-color="#dddddd"/></style:style>
 <style:style style:name="Open" style:family="table-cell"><style:table-cell-properties fo:padding="0.2cm"
   fo:border-right="0.6pt solid #000000"/></style:style>
 <style:style style:name="Plain" style:family="table-cell">
  <style:table-cell-properties fo:padding="0.2cm"/></style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Cover" style:page-layout-name="PL" style:next-style-name="Standard"/>
 <style:master-page style:name="Standard" style:page-layout-name="PL">
  <style:header><text:p text:style-name="Furniture">{header_text}</text:p></style:header>
  <style:footer><text:p text:style-name="Footer">{number}</text:p></style:footer>
 </style:master-page>
</office:master-styles>"""


def _table(rows: list[list[str] | str], footnotes: dict[str, str], header: bool = True,
           widths: list[float] | None = None) -> str:
    ncols = max((len(r) for r in rows if not isinstance(r, str)), default=1)
    cols = "".join(f'<table:table-column table:style-name="C{i}"/>' for i in range(ncols)) if widths else \
        f'<table:table-column table:number-columns-repeated="{ncols}"/>'
    out = [f'<table:table table:style-name="{"T" + str(ncols) if widths else "TAuto"}">{cols}']
    for index, row in enumerate(rows):
        style = "Head" if header and index == 0 else "Grid"
        if isinstance(row, str):  # a group title spanning the table
            out.append(f'<table:table-row><table:table-cell table:style-name="Head" '
                       f'table:number-columns-spanned="{ncols}"><text:p text:style-name="Cell">'
                       f'{inline_xml(row, footnotes)}</text:p></table:table-cell>'
                       + '<table:covered-table-cell/>' * (ncols - 1) + '</table:table-row>')
            continue
        cells = list(row) + [""] * (ncols - len(row))
        out.append("<table:table-row>" + "".join(
            f'<table:table-cell table:style-name="{style}"><text:p text:style-name="Cell">'
            f'{inline_xml(c, footnotes)}</text:p></table:table-cell>' for c in cells) + "</table:table-row>")
    out.append("</table:table>")
    if header and len(rows) > 2:  # the header row repeats on every page the table spans
        first = out[1]
        out[1] = f"<table:table-header-rows>{first}</table:table-header-rows>"
    return "".join(out)


def _column_styles(widths_cm: list[float], ncols: int) -> str:
    total = sum(widths_cm)
    return (f'<style:style style:name="T{ncols}" style:family="table"><style:table-properties '
            f'style:width="{total:.2f}cm" table:align="left"/></style:style>'
            + "".join(f'<style:style style:name="C{i}" style:family="table-column"><style:table-column-properties '
                      f'style:column-width="{w:.2f}cm"/></style:style>' for i, w in enumerate(widths_cm)))


def _body(elements: list[Element], footnotes: dict[str, str], text_width_cm: float) -> tuple[str, str]:
    """Body XML and the automatic styles its recapitulation tables need."""
    out: list[str] = []
    extra_styles: dict[str, str] = {}
    for element in elements:
        if element.kind == "heading":
            level = min(max(element.level, 1), 6)
            out.append(f'<text:h text:style-name="H{level}" text:outline-level="{level}">'
                       f'{inline_xml(element.html, footnotes)}</text:h>')
        elif element.kind == "item":
            out.append(f'<text:p text:style-name="Item">–<text:tab/>{inline_xml(element.html, footnotes)}</text:p>')
        elif element.kind == "status_line":
            out.append(f'<text:p text:style-name="Status">{inline_xml(element.html)}</text:p>')
        elif element.kind == "toc":
            out.append(f'<text:p text:style-name="Toc">{inline_xml(element.html, footnotes)}</text:p>')
        elif element.kind == "table":
            out.append(_table([list(r) for r in element.rows], footnotes))
        elif element.kind == "recap":
            header, rows = recap_rows(element.regions)
            n_status = sum(1 for h in header if "œuvre" in h)
            fixed = {"Nature": 2.4, "N°": 1.0}
            widths = [fixed.get(h, 0.0) for h in header]
            for i in range(len(header) - n_status, len(header)):
                widths[i] = 1.9
            text_col = header.index("Intitulé") if "Intitulé" in header else len(header) - n_status - 1
            widths[text_col] = max(4.0, text_width_cm - sum(widths))
            extra_styles[f"T{len(header)}"] = _column_styles(widths, len(header))
            out.append(_table([header, *rows], footnotes, widths=widths))
        else:
            style = {"small": "Small", "box": "Box"}.get(element.role, "Body")
            out.append(f'<text:p text:style-name="{style}">{inline_xml(element.html, footnotes)}</text:p>')
    return "".join(out), "".join(extra_styles.values())


def _cover(furniture: Furniture) -> str:
    esc = xml_escape
    right = [f'<text:p text:style-name="CoverRight">{esc(furniture.title)}</text:p>']
    if furniture.departement:
        right.append(f'<text:p text:style-name="CoverRight">({esc(furniture.departement)})</text:p>')
    if furniture.deliberation_date:
        right.append(f'<text:p text:style-name="Body">Rapport délibéré le {esc(furniture.deliberation_date)}</text:p>')
    return ('<text:p text:style-name="CoverTop"/>'
            '<table:table table:style-name="TAuto"><table:table-column table:number-columns-repeated="2"/>'
            '<table:table-row><table:table-cell table:style-name="Open">'
            f'<text:p text:style-name="CoverLeft">{esc(furniture.chamber)}</text:p>'
            f'<text:p text:style-name="CoverLeft">{esc(furniture.doc_type.upper())}</text:p></table:table-cell>'
            f'<table:table-cell table:style-name="Plain">{"".join(right)}</table:table-cell>'
            '</table:table-row></table:table>')


def fodt(parsed: ParsedHtml, variant: OfficeVariant, furniture: Furniture) -> str:
    """The report as a flat OpenDocument text."""
    elements = plan_report(parsed, recap=variant.recap, drop_restated_summary=variant.drop_restated_summary,
                           role=block_role)
    text_width = 21.0 - 2 * variant.margin_cm[0]
    body, table_styles = _body(elements, parsed.footnotes, text_width)
    styles = _styles(variant, furniture).replace("</office:automatic-styles>",
                                                 table_styles + "</office:automatic-styles>")
    meta = (f"<office:meta><dc:title>{xml_escape(furniture.doc_type)} – {xml_escape(furniture.title)}</dc:title>"
            f"<meta:initial-creator>{xml_escape(furniture.chamber)}</meta:initial-creator></office:meta>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
            f'office:mimetype="application/vnd.oasis.opendocument.text">{meta}{styles}<office:body><office:text>'
            f'{_cover(furniture)}<text:p text:style-name="Start"/>{body}</office:text></office:body></office:document>')


def convert(documents: dict[str, str], timeout_per_doc: float = 60.0) -> dict[str, bytes]:
    """Convert flat ODT texts (name → XML) to PDF in one LibreOffice run; name → PDF bytes.

    A document LibreOffice could not convert is absent from the result."""
    soffice = soffice_path()
    if soffice is None:
        raise OfficeUnavailable("LibreOffice (soffice) not found: apt-get install libreoffice-writer-nogui")
    if not documents:
        return {}
    with tempfile.TemporaryDirectory(prefix="constats-office-") as tmp:
        root = Path(tmp)
        names = {}
        for i, (name, xml) in enumerate(documents.items()):
            path = root / f"d{i}.fodt"
            path.write_text(xml, encoding="utf-8")
            names[path.stem] = name
        # a private profile: two conversions at once must not share (and lock) one
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{root}/profile",
                        "--convert-to", "pdf", "--outdir", str(root / "out"),
                        *sorted(str(root / f"{stem}.fodt") for stem in names)],
                       check=False, capture_output=True, timeout=30 + timeout_per_doc * len(documents))
        return {names[p.stem]: p.read_bytes() for p in (root / "out").glob("*.pdf") if p.stem in names}


def cap_pages(pdf: bytes, max_pages: int) -> bytes:
    """The first ``max_pages`` pages (the page budget of every renderer)."""
    import pymupdf  # noqa: PLC0415 - only when a conversion is longer than the budget

    doc = pymupdf.open(stream=pdf, filetype="pdf")
    try:
        if len(doc) <= max_pages:
            return pdf
        doc.select(list(range(max_pages)))
        return doc.tobytes(garbage=1, deflate=True)
    finally:
        doc.close()
