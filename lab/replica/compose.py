"""Turn parsed report blocks into the HTML and CSS that the Story layout engine renders.

Tables are fitted to the text width (smaller type) or, when they cannot fit (too many
columns, overlong words or cells), rendered as one text line per row: a table wider
than the page can make MuPDF's Story loop forever.
"""

from __future__ import annotations

import html as html_lib
import re

from constats.text import fold
from lab.replica.html_model import Block, ParsedHtml, block_role, inline_text
from lab.replica.variants import RenderVariant

MAX_TABLE_COLUMNS = 14
MAX_CELL_CHARS = 1500
_EM_WIDTH = 0.6  # conservative average glyph width, in em
_ALREADY_NUMBERED = re.compile(r"^\s*(\d+(\.\d+)*\.?|[IVXL]+\s*[.\-–]|[A-H]\s*[.\-–)])\s")
_UNNUMBERED_TITLE = re.compile(
    r"^\W*(synthese|s ?o ?m ?m ?a ?i ?r ?e|recommandation|rappel|annexe|reponse|glossaire|"
    r"introduction|conclusion|avertissement|(la )?procedure|fiche|liste|table|sommaire|"
    r"observations definitives|rapport|lexique|sigles|abreviations)", re.I)


def css(variant: RenderVariant) -> str:
    fs = variant.font_size
    align = "justify" if variant.justify else "left"
    return f"""
body {{ margin: 0; font-family: {variant.font}; font-size: {fs}pt; text-align: {align}; }}
p {{ margin: 0 0 {fs * 0.55:.1f}pt 0; }}
h1, h2, h3, h4, h5, h6 {{ font-weight: bold; text-align: left;
  margin: {fs}pt 0 {fs * 0.5:.1f}pt 0; }}
h1 {{ font-size: {fs * 1.35:.1f}pt; }}
h2 {{ font-size: {fs * 1.2:.1f}pt; }}
h3 {{ font-size: {fs * 1.08:.1f}pt; }}
h4 {{ font-size: {fs:.1f}pt; font-style: italic; }}
h5, h6 {{ font-size: {fs:.1f}pt; font-weight: normal; font-style: italic; }}
ul {{ margin: 0 0 {fs * 0.5:.1f}pt 0; padding-left: 16pt; }}
li {{ margin: 0 0 {fs * 0.3:.1f}pt 0; }}
table {{ border-collapse: collapse; margin: 2pt 0 {fs * 0.8:.1f}pt 0; }}
td {{ border: 0.5pt solid #555555; padding: 1pt 2pt; text-align: left; vertical-align: top; }}
tr.first td {{ font-weight: bold; }}
p.small {{ font-size: {fs * 0.8:.1f}pt; font-style: italic; }}
p.box {{ border: 0.5pt solid #777777; background-color: #f2f2f2; padding: 4pt; }}
p.synthese {{ }}
p.toc1 {{ margin: 0 0 2pt 0; font-weight: bold; }}
p.toc2 {{ margin: 0 0 2pt 12pt; }}
p.toc3 {{ margin: 0 0 2pt 24pt; }}
p.toc4 {{ margin: 0 0 2pt 36pt; }}
p.trow {{ font-size: {fs * 0.75:.1f}pt; margin: 0 0 1pt 0; text-align: left; }}
p.tfirst {{ font-weight: bold; }}
"""


def footnote_css(variant: RenderVariant) -> str:
    fs = max(6.5, variant.font_size - 2.5)
    return f"""
body {{ margin: 0; font-family: {variant.font}; font-size: {fs}pt; text-align: left; }}
p {{ margin: 0 0 1pt 0; }}
div.sep {{ border-top: 0.5pt solid #000000; width: 30%; margin: 0 0 2pt 0; }}
"""


def footnotes_html(numbers: list[str], footnotes: dict[str, str]) -> str:
    notes = "".join(f"<p><sup>{html_lib.escape(n)}</sup> {footnotes[n]}</p>"
                    for n in numbers if n in footnotes)
    return f'<div class="sep"></div>{notes}'


def _min_width(cell: str, font_size: float) -> float:
    words = inline_text(cell).split()
    longest = max((len(w) for w in words), default=0)
    return longest * _EM_WIDTH * font_size + 5.0


def table_html(rows: list[list[str]], width: float, variant: RenderVariant) -> str:
    """A table that fits ``width`` points, or one text line per row when none can."""
    ncols = max(len(r) for r in rows)
    too_long = any(len(c) > MAX_CELL_CHARS for r in rows for c in r)
    if ncols <= MAX_TABLE_COLUMNS and not too_long:
        base = variant.font_size
        for size in (base - 2, base - 3, base - 4, 6.0, 5.0):
            col_widths = [max(_min_width(r[i], size) if i < len(r) else 0.0 for r in rows)
                          for i in range(ncols)]
            if sum(col_widths) <= width * 0.97:
                break
        else:
            size = 0.0
        if size:
            body = []
            for i, row in enumerate(rows):
                cells = row + [""] * (ncols - len(row))
                tds = "".join(f"<td>{c}</td>" for c in cells)
                cls = ' class="first"' if i == 0 and len(rows) > 1 else ""
                body.append(f"<tr{cls}>{tds}</tr>")
            return (f'<table style="font-size: {size:.1f}pt; width: 100%">'
                    + "".join(body) + "</table>")
    return table_rows_html(rows)


def table_rows_html(rows: list[list[str]]) -> str:
    """A table as one small text line per row, cells separated by " | "."""
    lines = []
    for i, row in enumerate(rows):
        cls = "trow tfirst" if i == 0 else "trow"
        lines.append(f'<p class="{cls}">' + " | ".join(c for c in row if c) + "</p>")
    return "".join(lines)


def _heading_numbers(parsed: ParsedHtml, variant: RenderVariant) -> dict[int, str]:
    """Word's heading numbers (lost in the HTML export), restored for levels 1-3."""
    headings = [(i, b) for i, b in enumerate(parsed.blocks) if b.kind == "heading"]
    if not variant.number_headings or not headings:
        return {}
    if sum(bool(_ALREADY_NUMBERED.match(b.text)) for _, b in headings) > 0.3 * len(headings):
        return {}
    candidates = [(i, b) for i, b in headings
                  if not _UNNUMBERED_TITLE.match(fold(b.text))]
    if not candidates:
        return {}
    top = min(b.level for _, b in candidates)
    counters = [0, 0, 0]
    numbers: dict[int, str] = {}
    for i, b in candidates:
        depth = b.level - top
        if depth > 2:
            continue
        counters[depth] += 1
        for d in range(depth + 1, 3):
            counters[d] = 0
        parts = [str(max(c, 1)) for c in counters[: depth + 1]]
        numbers[i] = ".".join(parts) + ("." if depth == 0 else "")
    return numbers


def _heading_html(block: Block, number: str | None, variant: RenderVariant) -> str:
    level = min(max(block.level, 1), 6)
    content = block.html
    if number is None:
        match = _ALREADY_NUMBERED.match(block.text)
        if match and variant.two_line_headings and content.lstrip().startswith(match.group(1)):
            stripped = content.lstrip()
            number, content = match.group(1), stripped[len(match.group(1)):].lstrip()
    if number is not None:
        sep = "<br/>" if variant.two_line_headings else " "
        content = f"{html_lib.escape(number)}{sep}{content}"
    return f"<h{level}>{content}</h{level}>"


def body_html(parsed: ParsedHtml, variant: RenderVariant, width: float,
              flatten_tables: bool = False, chunk_blocks: int = 25) -> list[str]:
    """The document's own blocks as HTML for the Story engine, in chunks of ~``chunk_blocks``.

    Every table carries an id ``b<n>`` so the layout can tell whether a page made progress.

    Chunks end at a block boundary outside a list.
    """
    numbers = _heading_numbers(parsed, variant)
    out: list[str] = []
    in_list = False
    chunks: list[str] = []
    count = 0
    for i, block in enumerate(parsed.blocks):
        count += 1
        if count >= chunk_blocks and not in_list and block.kind != "item":
            chunks.append("".join(out))
            out, count = [], 0
        if block.kind == "item":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{block.html}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if block.kind == "heading":
            out.append(_heading_html(block, numbers.get(i), variant))
        elif block.kind == "table":
            if flatten_tables:
                out.append(table_rows_html(block.rows))
            else:
                out.append(f'<div id="b{i}">' + table_html(block.rows, width, variant) + '</div>')
        elif block.kind == "toc":
            out.append(f'<p class="toc{min(block.level, 4)}">{block.html}</p>')
        else:
            out.append(f'<p class="{block_role(block)}">{block.html}</p>')
    if in_list:
        out.append("</ul>")
    chunks.append("".join(out))
    return chunks
