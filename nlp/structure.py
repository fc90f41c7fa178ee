"""Structure of a report: table of contents, headings with levels and numbering, typed
sections (synthèse, recommandations, procédure, body, annexes, réponses…).

Headings are recognised from typography (larger or bold type) and from their wording
(numbering "1.", "1.2.3", "I -", "A -", "a)", "Chapitre"; short lines in capitals), since
many reports lost their styles when converted. Levels come from the order in which each
kind of numbering/typography first appears (like an outline), dotted numbers giving their
own depth. Sections get a ``SectionKind`` from their title, children inheriting it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from constats.domain import Document, Section

_NUMBERING = re.compile(
    r"^(?P<num>(?:chapitre|partie|titre)\s+(?:\d{1,2}|[IVX]{1,5}|premier|première|[a-zé]+ième)"
    r"|\d{1,2}(?:\.\d{1,2}){1,4}\.?"
    r"|\d{1,2}\s*[.)\-–°]|[IVXL]{1,6}\s*[.)\-–]|[A-H]\s*[.)\-–]|[A-H]\s*-\s*\d{1,2}\s*[.)\-–]?|[a-h]\s*[)\-–])"
    r"\s*[:\-–.]?\s+(?P<title>\S.*)$", re.IGNORECASE)
_NOT_HEADING = re.compile(r"^(?:sources?\s*:|\(?source|note\s*:|recommandation\s*(?:n\s*°\s*\d+|unique)\s*[:.\-–]\s*\S"
                          r"|rappel (?:au|du) droit\s*(?:n\s*°\s*\d+)?\s*[:.\-–]\s*\S|[-•–·▪]\s)", re.I)
_DANGLING = re.compile(r"\b(?:et|ou|de|des|du|la|le|les|à|au|aux|en|pour|par|sur|dans|un|une|que|qui|d’|l’|d'|l')$", re.I)
_ROMAN = re.compile(r"^[IVXL]+$")
_TOC_LINE = re.compile(r"^(?P<title>.*?\S)\s*(?:\.{3,}|…+|\s{2,}|\t)\s*(?P<page>\d{1,4})\s*$")
_END_PUNCT = re.compile(r"[.;,!?]\s*$")
_LETTER_END = re.compile(r"^\s*RAPPORT\s+D.OBSERVATIONS\s+D[ÉE]FINITIVES\b", re.IGNORECASE)
_LETTER_HINTS = re.compile(r"Objet\s*:|Je vous prie|notification du rapport|Lettre recommandée", re.IGNORECASE)
RESPONSE_TITLE = re.compile(
    r"^\s*(?:R[ÉE]PONSES?|Réponses?)(?:\s+(?:de|du|des|à|au|aux)\b.*|\s*(?:de l.ordonnateur|écrites?)?.*)?$")

#: Title keywords → section kind, first match wins.
KIND_RULES: list[tuple[str, re.Pattern]] = [
    ("toc", re.compile(r"^(?:sommaire|table des mati[èe]res)\b", re.I)),
    ("suivi", re.compile(r"^(?:annexe\s*\S{0,3}\s*[:\-–.]?\s*)?(?:le |la |les )?(?:suivi|suites?)\b"
                         r"|suivi des (?:pr[ée]c[ée]dentes )?recommandations"
                         r"|(?:pr[ée]c[ée]dent|dernier) (?:contr[ôo]le|rapport|examen)", re.I)),
    ("annexe", re.compile(r"^annexes?\b", re.I)),
    ("reponse", re.compile(r"^r[ée]ponses?\b", re.I)),
    ("glossaire", re.compile(r"^(?:glossaire|liste des (?:abr[ée]viations|sigles)|sigles\b|abr[ée]viations)", re.I)),
    ("synthese", re.compile(r"^(?:synth[èe]se|r[ée]sum[ée]\b)", re.I)),
    ("rappels", re.compile(r"rappels? (?:au|du) (?:droit|respect)|rappels? à la (?:r[ée]glementation|loi)"
                           r"|rappels? des? (?:obligations|lois)", re.I)),
    ("recommandations", re.compile(r"recommandations?\b", re.I)),
    ("procedure", re.compile(r"proc[ée]dure", re.I)),
]


@dataclass
class Line:
    """A text block of the document as structure sees it."""

    start: int
    end: int
    text: str
    page: int
    size: float
    bold: bool
    table: bool


def lines_of(doc: Document) -> list[Line]:
    out = []
    for page in doc.pages:
        for b in page.blocks:
            if b.start >= 0:
                out.append(Line(b.start, b.end, b.text, page.number, b.font_size, b.bold, b.role == "table"))
    out.sort(key=lambda l: l.start)
    merged: list[Line] = []
    for l in out:
        if merged and doc.text[merged[-1].end:l.start] == " ":  # paragraph cut by a page break
            prev = merged[-1]
            prev.text, prev.end = doc.text[prev.start:l.end], l.end
            continue
        merged.append(l)
    return merged


def body_size(lines: list[Line]) -> float:
    sizes: dict[float, int] = {}
    for l in lines:
        sizes[round(l.size * 2) / 2] = sizes.get(round(l.size * 2) / 2, 0) + len(l.text)
    return max(sizes, key=sizes.get) if sizes else 10.0


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def heading_style(line: Line, base: float) -> tuple | None:
    """The heading "style" of a line (numbering kind or typography), ``None`` for body text."""
    text = line.text.strip()
    if line.table or not text or len(text) > 220 or "\t" in text or "↩" in text:
        return None
    if _NOT_HEADING.match(text) or sum(c.isdigit() for c in text) > 0.25 * len(text):
        return None
    m = _NUMBERING.match(text)
    big = line.size >= base + 0.9
    title = m.group("title") if m else text
    if not title[:1].isupper() and not title[:1].isdigit() and not title[:1] in "«“\"'’(":
        return None
    ends_sentence = bool(_END_PUNCT.search(text)) or text.endswith(":")
    if m and not ends_sentence and len(text) <= 180:
        num = m.group("num").strip().rstrip(".)-–°: ").strip()
        if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})+", num):
            return ("dot", num.count(".") + 1)
        if re.match(r"(?i)chapitre|partie|titre", num):
            return ("chapter",)
        if _ROMAN.match(num.upper()) and num.isupper():
            return ("roman",)
        if re.fullmatch(r"[A-H]\s*-\s*\d{1,2}", num):
            return ("letter-num",)
        if re.fullmatch(r"[A-H]", num):
            return ("upper",)
        if re.fullmatch(r"[a-h]", num):
            return ("lower",)
        return ("arabic",)
    if ends_sentence and not (big or line.bold):
        return None
    if big or (line.bold and len(text) <= 160 and not text.endswith(".")):
        return ("font", round(line.size), line.bold, _is_caps(text))
    if _is_caps(text) and len(text) <= 150 and (len(text.split()) >= 2 or kind_of_title(text)):
        return ("caps",)
    if (len(text) <= 110 and not ends_sentence and len(text.split()) >= 2 and not text.endswith(")")
            and not _DANGLING.search(text)):
        return ("plain",)
    return None


def heading_number(text: str) -> tuple[str | None, str]:
    m = _NUMBERING.match(text.strip())
    if not m:
        return None, text.strip()
    return m.group("num").strip().rstrip(".)-–°: ").strip(), m.group("title").strip()


def kind_of_title(title: str) -> str | None:
    t = title.strip()
    for kind, rx in KIND_RULES:
        if rx.search(t):
            return kind
    return None


def find_toc(lines: list[Line]) -> tuple[list[Section], set[int]]:
    """Table-of-contents entries ("Title ..... 12") on pages dense with them."""
    by_page: dict[int, list[tuple[Line, re.Match]]] = {}
    for l in lines:
        m = _TOC_LINE.match(l.text.replace("\t", "  "))
        if m and len(l.text) < 250:
            by_page.setdefault(l.page, []).append((l, m))
    entries: list[Section] = []
    used: set[int] = set()
    for page, items in sorted(by_page.items()):
        if len(items) < 4:
            continue
        for l, m in items:
            number, title = heading_number(m.group("title"))
            level = number.count(".") + 1 if number and re.fullmatch(r"[\d.]+", number) else 1
            entries.append(Section(title=title, kind="toc", level=level, number=number, page=int(m.group("page")),
                                   page_end=int(m.group("page")), start=l.start, end=l.end))
            used.add(l.start)
    for entry in entries:
        entry.kind = kind_of_title(entry.title) or "body"
    return entries, used


@dataclass
class Heading:
    line: Line
    level: int
    number: str | None
    title: str


def find_headings(lines: list[Line], skip: set[int]) -> list[Heading]:
    base = body_size(lines)
    stack: list[tuple] = []
    out: list[Heading] = []
    for l in lines:
        if l.start in skip:
            continue
        style = heading_style(l, base)
        if style is None:
            continue
        if style[0] == "plain":
            # a short plain line is a heading only below a known heading style
            if not stack:
                continue
        if style[0] == "dot":
            level = style[1]
            stack = [s for s in stack if s[0] != "dot"][: max(0, level - 1)] + [style]
        elif style in stack:
            level = stack.index(style) + 1
            del stack[level:]
        else:
            stack.append(style)
            level = len(stack)
        number, title = heading_number(l.text)
        out.append(Heading(l, min(level, 6), number, title))
    return out


def front_matter(doc: Document, lines: list[Line]) -> list[Section]:
    """The president's cover letter and the cover page, before the report proper."""
    out: list[Section] = []
    end_letter = None
    for l in lines[:200]:
        if _LETTER_END.match(l.text) and l.start > 0:
            end_letter = l
            break
    if end_letter and _LETTER_HINTS.search(doc.text[: end_letter.start]):
        out.append(Section(title="Lettre du président", kind="letter", level=1, page=1,
                           page_end=doc.page_at(max(end_letter.start - 1, 0)), start=0, end=end_letter.start,
                           path=["Lettre du président"]))
    return out


def build_sections(doc: Document) -> tuple[list[Section], list[Section]]:
    """``(toc, sections)``: table-of-contents entries and the typed sections in order."""
    lines = lines_of(doc)
    toc, toc_lines = find_toc(lines)
    sections = front_matter(doc, lines)
    report_start = sections[-1].end if sections else 0
    skip = set(toc_lines) | {l.start for l in lines if l.start < report_start}
    headings = find_headings(lines, skip)
    text_end = len(doc.text)
    if headings and headings[0].line.start > report_start:
        first = headings[0].line.start
        sections.append(Section(title="Page de titre", kind="cover", level=1, page=doc.page_at(report_start),
                                page_end=doc.page_at(max(first - 1, 0)), start=report_start, end=first,
                                path=["Page de titre"]))
    path: list[tuple[int, str, str]] = []  # (level, title, kind)
    in_response = False
    for i, h in enumerate(headings):
        end = text_end
        for nxt in headings[i + 1:]:
            if nxt.level <= h.level:
                end = nxt.line.start
                break
        while path and path[-1][0] >= h.level:
            path.pop()
        own = kind_of_title(h.title)
        if own == "reponse" and not RESPONSE_TITLE.match(h.title):
            own = None
        inherited = next((k for _, _, k in reversed(path) if k not in ("body",)), None)
        if in_response or own == "reponse":
            in_response = True
            kind = "reponse"
        elif own in ("recommandations", "rappels") and inherited == "suivi":
            kind = "suivi"
        else:
            kind = own or inherited or "body"
        if h.line.start in toc_lines:
            kind = "toc"
        path.append((h.level, h.title, kind))
        sections.append(Section(title=h.title, kind=kind, level=h.level, number=h.number, page=h.line.page,
                                page_end=doc.page_at(max(end - 1, h.line.start)), start=h.line.start, end=end,
                                path=[t for _, t, _ in path]))
    if toc:
        first, last = min(e.start for e in toc), max(e.end for e in toc)
        sections.append(Section(title="Sommaire", kind="toc", level=1, page=doc.page_at(first),
                                page_end=doc.page_at(last), start=first, end=last, path=["Sommaire"]))
        sections.sort(key=lambda s: (s.start, s.level))
    return toc, sections


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost section containing ``offset``."""
    best = None
    for s in sections:
        if s.start <= offset < s.end and (best is None or s.level >= best.level):
            best = s
    return best
