"""The "navigateur" layout family: the report written as HTML + CSS and printed to PDF by Chromium.

Reports published as web pages and printed from a browser (or made by HTML-to-PDF tools built
on one) carry Chromium's own text layer (Skia's PDF backend: one text object per run, its own
glyph spacing, no real footnotes). This family writes the report model (``parse_report_html``
re-laid by ``plan_report``) as one HTML page with a print style sheet and has headless Chromium
print it (``chromium --headless --print-to-pdf``). Its variants differ as reports of 2015–2017
differ, in ways the other families do not cover:

- ``nav-web``: no cover page (a title block at the top of the first page), justified text,
  headings with no font cue at all (the body's size and weight: only their numbering, when the
  report has one, tells them), page margin boxes for the running header (the chamber's name)
  and "n/N",
  footnotes gathered as endnotes under "Notes" at the end of the document, lists as written.
- ``nav-tableau``: a cover page with a band (no header on it), the running header (the
  chamber's name) in the top right margin box, no page numbers, headings in capitals (``text-transform``) in the
  body's size, footnotes printed right after the paragraph that calls them, and every list of
  recommandations / rappels as a bordered table with ONE status column carrying the status in
  words ("Partiellement mise en œuvre") instead of ticks.
- ``nav-suivi``: rappels and recommandations mixed in one bordered table grouped by status
  (group rows), no summary list when the body restates it, status lines without brackets led
  by "Suivi :", bold headings, footnotes as endnotes at the end of each part.

No hyphenation: this Chromium has no French hyphenation dictionary (``hyphens: auto`` does
nothing) and soft hyphens put in the source reach Skia's text layer as U+00AD inside words, an
artefact no real report has.

Rendering is deterministic for a given input (same HTML → same text layer). One Chromium
process per report (≈1 s); ``chromium_path()`` is None where Chromium is absent.
"""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lab.replica.html_model import ParsedHtml, block_role
from lab.replica.layout import Furniture
from lab.replica.plan import Element, RecapLayout, plan_report, recap_rows


class ChromiumUnavailable(RuntimeError):
    """Chromium is not installed (Debian package ``chromium``)."""


NoteMode = Literal["end", "after", "part"]


@dataclass(frozen=True)
class BrowserVariant:
    name: str
    font: str = "Liberation Serif"
    font_size: float = 11.0
    margin_mm: tuple[float, float, float, float] = (22, 20, 20, 24)  # top, right, bottom, left
    headings: Literal["plain", "caps", "bold"] = "plain"
    header: str = "{chamber}"  # running header text
    header_mode: Literal["left", "right"] = "left"  # the page's top margin box it is printed in
    page_number: bool = True  # "n/N" in the bottom margin box
    cover: Literal["none", "band"] = "none"
    notes: NoteMode = "end"
    recap: RecapLayout = "keep"
    status_prefix: str = ""  # status lines: "Suivi : " + wording, no brackets
    drop_restated_summary: bool = False
    family: str = "navigateur"
    scanned: bool = False


VARIANTS = [
    BrowserVariant("nav-web", font="Liberation Serif", font_size=11.0, headings="plain", header="{chamber}",
                   header_mode="left", cover="none", notes="end", recap="keep"),
    BrowserVariant("nav-tableau", font="DejaVu Sans", font_size=9.5, margin_mm=(26, 18, 18, 20), headings="caps",
                   header="{chamber}", header_mode="right", page_number=False, cover="band",
                   notes="after", recap="table"),
    BrowserVariant("nav-suivi", font="Liberation Sans", font_size=10.0, headings="bold", header="{chamber}",
                   header_mode="left", cover="none", notes="part", recap="mixed",
                   status_prefix="Suivi : ", drop_restated_summary=True),
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


# --------------------------------------------------------------------------- the page
_REF = re.compile(r'<sup id="ref(\d+)">(.*?)</sup>')


def _css(variant: BrowserVariant, furniture: Furniture) -> str:
    top, right, bottom, left = variant.margin_mm
    fs = variant.font_size
    header = html_lib.escape(variant.header.format(chamber=furniture.chamber, body=furniture.title)[:120])
    header_css = header.replace('"', '\\"')
    heading = {"plain": "font-size: 1em; font-weight: normal; margin: 0.8em 0 0.4em;",
               "caps": "font-size: 1em; font-weight: normal; text-transform: uppercase; margin: 1em 0 0.4em;"
                       " letter-spacing: 0.02em;",
               "bold": "font-weight: bold; margin: 1em 0 0.4em;"}[variant.headings]
    sizes = "" if variant.headings != "bold" else "".join(
        f"h{n} {{ font-size: {max(1.0, 1.5 - 0.12 * n):.2f}em; }}\n" for n in range(1, 7))
    if variant.header_mode == "left":
        margin_boxes = (f'@top-left {{ content: "{header_css}"; font: italic {fs - 2}pt "{variant.font}"; '
                        f"vertical-align: bottom; padding-bottom: 3mm; border-bottom: 0.4pt solid #000; }}")
    else:
        margin_boxes = (f'@top-right {{ content: "{header_css}"; font: {fs - 1.5}pt "{variant.font}"; '
                        f"text-align: right; vertical-align: middle; color: #1d3d6e; }}")
    if variant.page_number:
        margin_boxes += (f' @bottom-right {{ content: counter(page) "/" counter(pages); '
                         f'font: {fs - 2}pt "{variant.font}"; }}')
    return f"""
@page {{ size: A4; margin: {top}mm {right}mm {bottom}mm {left}mm; {margin_boxes} }}
@page cover {{ margin: 0; @top-left {{ content: none; border: none; }} @top-right {{ content: none; }}
  @bottom-right {{ content: none; }} }}
html {{ font-family: "{variant.font}"; font-size: {fs}pt; line-height: 1.3; }}
body {{ margin: 0; }}
p, li, .item {{ text-align: justify; margin: 0 0 0.55em; orphans: 2; widows: 2; }}
h1, h2, h3, h4, h5, h6 {{ {heading} break-after: avoid; }}
{sizes}
.item {{ padding-left: 1.4em; text-indent: -0.9em; }}
.status {{ margin: -0.2em 0 0.6em 1.4em; font-style: italic; }}
.small {{ font-size: 0.82em; font-style: italic; }}
.box {{ border: 0.5pt solid #777; background: #f0f0f0; padding: 0.3em; }}
.toc {{ text-align: left; margin: 0 0 1pt; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; font-size: 0.88em; }}
td, th {{ border: 0.5pt solid #000; padding: 2pt 3pt; vertical-align: top; text-align: left; }}
th {{ background: #ddd; font-weight: bold; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
td.group {{ background: #eee; font-weight: bold; }}
.note {{ font-size: 0.8em; margin: 0 0 0.3em; text-align: left; }}
.notes-after {{ margin: -0.2em 0 0.6em; padding-left: 1em; border-left: 0.5pt solid #999; }}
.title-block {{ margin: 0 0 2em; padding-bottom: 0.8em; border-bottom: 1pt solid #000; }}
.title-block .chamber {{ font-weight: bold; }}
.title-block .doc {{ font-size: 1.4em; margin: 0.5em 0 0.2em; }}
.cover {{ page: cover; height: 296mm; break-after: page; position: relative; }}
.cover .band {{ background: #1d3d6e; color: #fff; padding: 30mm 20mm 10mm; font-size: 15pt; font-weight: bold; }}
.cover .title {{ padding: 40mm 20mm 0; font-size: 17pt; }}
.cover .sub {{ padding: 6mm 20mm 0; font-size: 12pt; }}
"""


def _cover(variant: BrowserVariant, furniture: Furniture) -> str:
    esc = html_lib.escape
    dept = f"<div class='sub'>({esc(furniture.departement)})</div>" if furniture.departement else ""
    date = (f"<div class='sub'>Rapport délibéré le {esc(furniture.deliberation_date)}</div>"
            if furniture.deliberation_date else "")
    if variant.cover == "band":
        return (f"<section class='cover'><div class='band'>{esc(furniture.chamber)}</div>"
                f"<div class='title'>{esc(furniture.doc_type.upper())}<br/>{esc(furniture.title)}</div>"
                f"{dept}{date}</section>")
    return (f"<div class='title-block'><div class='chamber'>{esc(furniture.chamber)}</div>"
            f"<div class='doc'>{esc(furniture.doc_type)}</div><div>{esc(furniture.title)}</div>"
            f"{dept.replace('sub', 'dept')}{date.replace('sub', 'date')}</div>")


def _recap(element: Element) -> str:
    """A bordered table: [Nature] N° Intitulé [Degré de mise en œuvre (in words)]; several lists
    mixed are grouped by status (group rows spanning the table)."""
    head, rows = recap_rows(element.regions, status_in_words=True)
    ncols = len(head)
    body = [f"<tr><td class='group' colspan='{ncols}'>{r}</td></tr>" if isinstance(r, str) else
            "<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows]
    thead = "<thead><tr>" + "".join(f"<th>{html_lib.escape(h)}</th>" for h in head) + "</tr></thead>"
    return f"<table>{thead}<tbody>{''.join(body)}</tbody></table>"


def _table(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    ncols = max(len(r) for r in rows)
    head, rest = rows[0], rows[1:]
    thead = "<thead><tr>" + "".join(f"<th>{c}</th>" for c in head + [""] * (ncols - len(head))) + "</tr></thead>" \
        if len(rows) > 2 else ""
    body_rows = rest if thead else rows
    tbody = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r + [""] * (ncols - len(r))) + "</tr>"
                    for r in body_rows)
    return f"<table>{thead}<tbody>{tbody}</tbody></table>"


def _plain_call(match: re.Match) -> str:
    return f"<sup>{match.group(2)}</sup>"


class _Notes:
    """Footnote calls seen so far, and where their texts go."""

    def __init__(self, footnotes: dict[str, str]):
        self.footnotes = footnotes
        self.pending: list[str] = []
        self.done: set[str] = set()

    def calls(self, fragment: str) -> str:
        """The fragment with its calls as plain superscripts; the called notes queued."""
        def call(match: re.Match) -> str:
            number = match.group(1)
            if number in self.footnotes and number not in self.done:
                self.done.add(number)
                self.pending.append(number)
            return f"<sup>{match.group(2)}</sup>"
        return _REF.sub(call, fragment)

    def flush(self, css_class: str = "note") -> str:
        out = "".join(f"<p class='{css_class}'><sup>{n}</sup> {_REF.sub(_plain_call, self.footnotes[n])}</p>"
                      for n in self.pending)
        self.pending = []
        return out


def page_html(parsed: ParsedHtml, variant: BrowserVariant, furniture: Furniture) -> str:
    """The report as one HTML page with its print style sheet."""
    elements = plan_report(parsed, recap=variant.recap, drop_restated_summary=variant.drop_restated_summary,
                           role=block_role)
    notes = _Notes(parsed.footnotes)
    out: list[str] = []

    def flush_notes(heading: bool) -> None:
        if not notes.pending:
            return
        if variant.notes == "after" and not heading:
            out.append(f"<div class='notes-after'>{notes.flush()}</div>")
        elif variant.notes == "part" and heading:
            out.append(f"<div class='part-notes'>{notes.flush()}</div>")

    for element in elements:
        if element.kind == "heading":
            level = min(max(element.level, 1), 6)
            if variant.notes == "part" and level <= 1:
                flush_notes(heading=True)
            out.append(f"<h{level}>{notes.calls(element.html)}</h{level}>")
            continue
        if element.kind == "item":
            out.append(f"<p class='item'>–&#8195;{notes.calls(element.html)}</p>")
        elif element.kind == "status_line":
            out.append(f"<p class='status'>{html_lib.escape(variant.status_prefix)}{element.html}</p>")
        elif element.kind == "toc":
            out.append(f"<p class='toc'>{notes.calls(element.html)}</p>")
        elif element.kind == "table":
            out.append(_table([[notes.calls(c) for c in r] for r in element.rows]))
        elif element.kind == "recap":
            out.append(notes.calls(_recap(element)).replace("<sup id=", "<sup data-id="))
        else:
            cls = {"small": "small", "box": "box"}.get(element.role, "")
            out.append(f"<p class='{cls}'>{notes.calls(element.html)}</p>" if cls
                       else f"<p>{notes.calls(element.html)}</p>")
        flush_notes(heading=False)
    if notes.pending:
        out.append(f"<h1>Notes</h1>{notes.flush()}" if variant.notes == "end" else notes.flush())
    title = html_lib.escape(f"{furniture.doc_type} – {furniture.title}")
    return (f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='author' content='{html_lib.escape(furniture.chamber)}'>"
            f"<style>{_css(variant, furniture)}</style></head><body>{_cover(variant, furniture)}"
            f"{''.join(out)}</body></html>")


def print_pdf(page: str, timeout: float = 120.0) -> bytes:
    """Print one HTML page to PDF with headless Chromium."""
    chromium = chromium_path()
    if chromium is None:
        raise ChromiumUnavailable("Chromium introuvable : apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="constats-browser-") as tmp:
        root = Path(tmp)
        source, target = root / "report.html", root / "report.pdf"
        source.write_text(page, encoding="utf-8")
        env = {**os.environ, "HOME": str(root), "TZ": "UTC"}
        try:
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            "--disable-extensions", "--no-first-run", "--disable-background-networking",
                            f"--user-data-dir={root / 'profile'}", "--font-render-hinting=none",
                            f"--print-to-pdf={target}", source.as_uri()],
                           check=False, capture_output=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"Chromium did not print within {timeout:.0f} s") from exc
        if not target.is_file() or target.stat().st_size == 0:
            raise RuntimeError("Chromium produced no PDF")
        return target.read_bytes()


def render(parsed: ParsedHtml, variant: BrowserVariant, furniture: Furniture, max_pages: int = 200) -> bytes:
    """Lay out one report with Chromium (page count capped by ``max_pages``)."""
    from lab.replica.producer_office import cap_pages  # noqa: PLC0415 - shared page budget

    return cap_pages(print_pdf(page_html(parsed, variant, furniture)), max_pages)


__all__ = ["VARIANTS", "BrowserVariant", "ChromiumUnavailable", "chromium_path", "page_html",
           "print_pdf", "render"]
