"""Read a DocJF-style report HTML into a flat list of blocks the renderer can lay out.

The corpus HTML (Word exported to HTML) is a flat sequence of ``<div class="<word style>">``
each holding one ``<p>``, one ``<hN>`` or one ``<table>``, followed by the footnotes as
``<p><sup id="fnN">N. text<a href="#refN">↩</a></sup></p>``. This module keeps that OWN
structure (headings, paragraphs, list items, tables, table-of-contents lines, footnotes)
and nothing else; inline content is re-emitted as small, escaped, well-formed HTML.
Pure functions: ``str -> ParsedHtml``.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from typing import Literal

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

BlockKind = Literal["heading", "para", "item", "table", "toc"]

#: Word styles that are list items (their bullets were lost in the HTML export).
_LIST_STYLE = re.compile(r"puce|list|enum|énum|tiret|bullet", re.I)
#: Word styles of small print under tables and charts.
_SMALL_STYLE = re.compile(r"^(source|texte-source|caption|titre-tableau|titre-graphique)$", re.I)
_BOX_STYLE = re.compile(r"encadr", re.I)
_TOC_STYLE = re.compile(r"^toc-(\d)$")
_FOOTNOTE_ID = re.compile(r"^fn(\d+)$")
_WS = re.compile(r"\s+")


@dataclass
class Block:
    """One block of the document: a heading, a paragraph, a list item, a table or a TOC line."""

    kind: BlockKind
    html: str = ""  # inline HTML (escaped text, <sup id=refN>, <i>, <b>, <br>)
    level: int = 0  # heading level 1..6, TOC level 1..4
    style: str = ""  # the Word style (CSS class of the source)
    rows: list[list[str]] = field(default_factory=list)  # table cells, inline HTML

    @property
    def text(self) -> str:
        return inline_text(self.html)


@dataclass
class ParsedHtml:
    blocks: list[Block]
    footnotes: dict[str, str]  # footnote number -> inline HTML (without the "N." and "↩")

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]


def inline_text(fragment: str) -> str:
    """Plain text of an inline HTML fragment (whitespace collapsed)."""
    return _WS.sub(" ", html_lib.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def _style(node: Node) -> str:
    return _WS.sub(" ", (node.attributes.get("class") or "")).strip()


def _inline(node: Node, refs_seen: set[str]) -> str:
    """Inline HTML of ``node``'s content: text, footnote references, italics, bold, breaks."""
    out: list[str] = []
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            out.append(html_lib.escape(child.text(deep=False) or "", quote=False))
        elif tag == "sup":
            anchor = child.css_first("a[href^='#fn']")
            if anchor is not None:
                number = (anchor.attributes.get("href") or "")[3:]
                label = html_lib.escape(anchor.text().strip() or number)
                ref_id = f"ref{number}"
                if number.isdigit() and ref_id not in refs_seen:
                    refs_seen.add(ref_id)
                    out.append(f'<sup id="{ref_id}">{label}</sup>')
                else:
                    out.append(f"<sup>{label}</sup>")
            else:
                out.append(f"<sup>{_inline(child, refs_seen)}</sup>")
        elif tag in ("i", "em"):
            out.append(f"<i>{_inline(child, refs_seen)}</i>")
        elif tag in ("b", "strong"):
            out.append(f"<b>{_inline(child, refs_seen)}</b>")
        elif tag == "br":
            out.append("<br/>")
        elif tag in ("table",):
            continue  # tables are blocks, handled by the caller
        else:
            out.append(_inline(child, refs_seen))
    return "".join(out)


def _table_rows(table: Node, refs_seen: set[str]) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in table.css("tr"):
        cells = [_WS.sub(" ", _inline(td, refs_seen)).strip() for td in tr.css("td, th")]
        if cells:
            rows.append(cells)
    return rows


def _footnote(node: Node) -> tuple[str, str] | None:
    sup = node.css_first("sup[id^='fn']")
    if sup is None:
        return None
    match = _FOOTNOTE_ID.match(sup.attributes.get("id") or "")
    if not match:
        return None
    number = match.group(1)
    body = _inline(sup, set())
    body = body.replace("↩", "")
    body = re.sub(rf"^\s*{number}\s*\.\s*", "", body)
    return number, body.strip()


def parse_report_html(source: str) -> ParsedHtml:
    """Parse a corpus (or sample) report HTML into blocks and footnotes."""
    tree = HTMLParser(source)
    root = tree.body
    blocks: list[Block] = []
    footnotes: dict[str, str] = {}
    refs_seen: set[str] = set()
    if root is None:
        return ParsedHtml(blocks, footnotes)
    for node in root.iter(include_text=False):
        _read_node(node, blocks, footnotes, refs_seen)
    return ParsedHtml(blocks, footnotes)


def _read_node(node: Node, blocks: list[Block], footnotes: dict[str, str],
               refs_seen: set[str]) -> None:
    style = _style(node)
    if node.tag == "p" and node.css_first("sup[id^='fn']") is not None:
        note = _footnote(node)
        if note:
            footnotes[note[0]] = note[1]
            return
    table = node.css_first("table") if node.tag != "table" else node
    if table is not None:
        rows = _table_rows(table, refs_seen)
        if any(any(inline_text(c) for c in row) for row in rows):
            blocks.append(Block("table", style=style, rows=rows))
        return
    heading = next((node.css_first(f"h{n}") for n in range(1, 7)
                    if node.css_first(f"h{n}") is not None), None)
    if node.tag in {f"h{n}" for n in range(1, 7)}:
        heading = node
    if heading is not None:
        inline = _WS.sub(" ", _inline(heading, refs_seen)).strip()
        if inline_text(inline):
            blocks.append(Block("heading", inline, level=int(heading.tag[1]), style=style))
        return
    if node.tag in ("div", "p", "blockquote", "li"):
        inline = _WS.sub(" ", _inline(node, refs_seen)).strip()
        if not inline_text(inline):
            return
        toc = _TOC_STYLE.match(style)
        if toc:
            blocks.append(Block("toc", inline, level=int(toc.group(1)), style=style))
        elif _LIST_STYLE.search(style):
            blocks.append(Block("item", inline, style=style))
        else:
            blocks.append(Block("para", inline, style=style))
        return
    if node.tag in ("ul", "ol", "section", "article", "main"):
        for child in node.iter(include_text=False):
            _read_node(child, blocks, footnotes, refs_seen)


def block_role(block: Block) -> str:
    """CSS class the renderer gives a paragraph, from its Word style."""
    if _SMALL_STYLE.match(block.style):
        return "small"
    if _BOX_STYLE.search(block.style):
        return "box"
    if block.style.lower().startswith("synth"):
        return "synthese"
    return "p"
