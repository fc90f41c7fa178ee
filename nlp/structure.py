"""Structure of a report: table of contents, headings with levels and numbering, typed
sections (synthèse, recommandations, procédure, body, annexes, réponses…).

Headings are recognised from typography (larger or bold type) and from their wording
(numbering "1.", "1.2.3", "I -", "A -", "a)", "Chapitre"; short lines in capitals), since
many reports lost their styles when converted. Levels come from the order in which each
kind of numbering/typography first appears (like an outline), dotted numbers giving their
own depth. Sections get a ``SectionKind`` from their title, children inheriting it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from constats.domain import Document, Section
from nlp.items import RECOMMENDS, STATUS_TAG, is_imperative, parse_label, parse_list_item
from nlp.sentences import EARLIER

_NUMBERING = re.compile(
    r"^(?P<num>(?:chapitre|partie|titre)\s+(?:\d{1,2}|[IVX]{1,5}|premier|première|[a-zé]+ième)"
    r"|\d{1,2}(?:\.\d{1,2}){1,4}\.?"
    r"|\d{1,2}\s*[.)\-–°]|[IVXL]{1,6}\s*[.)\-–]|[A-H]\s*[.)\-–]|[A-H]\s*-\s*\d{1,2}\s*[.)\-–]?|[a-h]\s*[)\-–])"
    r"\s*[:\-–.]?\s+(?P<title>\S.*)$", re.IGNORECASE)
_NOT_HEADING = re.compile(r"^(?:sources?\s*:|\(?source|note\s*:|recommandation\s*(?:n\s*°\s*\d+|unique)\s*[:.\-–]\s*\S"
                          r"|rappel (?:au|du) droit\s*(?:n\s*°\s*\d+)?\s*[:.\-–]\s*\S|[-•–·▪]\s)", re.I)
_DANGLING = re.compile(r"\b(?:et|ou|de|des|du|la|le|les|à|au|aux|en|pour|par|sur|dans|un|une|que|qui"
                       r"|d’|l’|d'|l')$", re.I)
_ROMAN = re.compile(r"^[IVXL]+$")
_TOC_TITLE = re.compile(r"^\s*(?:sommaire|table\s+des\s+mati[èe]res)\s*$", re.I)
_TOC_LOOSE = re.compile(r"^(?P<title>(?=.*[^\W\d_]{3}).*?\S)\s+(?P<page>\d{1,3})\s*$")
_TOC_LINE = re.compile(r"^(?P<title>.*?\S)\s*(?:\.{3,}|…+|\s{2,}|\t)\s*(?P<page>\d{1,4})\s*$")
_END_PUNCT = re.compile(r"[.;,!?]\s*$")
_LETTER_END = re.compile(r"^\s*RAPPORT\s+D.OBSERVATIONS\s+D[ÉE]FINITIVES\b", re.IGNORECASE)
_LETTER_HINTS = re.compile(r"Objet\s*:|Je vous prie|notification du rapport|Lettre recommandée", re.IGNORECASE)
RESPONSE_TITLE = re.compile(
    r"^\s*(?:R[ÉE]PONSES?|Réponses?)(?:\s+(?:de|du|des|à|au|aux)\b.*|\s*(?:de l.ordonnateur|écrites?)?.*)?$")

#: Title keywords → section kind, first match wins.
KIND_RULES: list[tuple[str, re.Pattern]] = [
    ("toc", re.compile(r"^(?:sommaire|table des mati[èe]res)\b", re.I)),
    ("suivi", re.compile(r"^(?:annexe\s*\S{0,4}\s*[:\-–.]?\s*)?(?:le |la |les |l['’])?(?:suivi|suites?)\b.{0,40}?"
                         r"\b(?:recommandations|observations|pr[ée]c[ée]dent|dernier|contr[ôo]le)"
                         r"|^.{0,60}(?:pr[ée]c[ée]dent|dernier)\s+(?:contr[ôo]le|rapport|examen)", re.I)),
    ("annexe", re.compile(r"^annexes?\b", re.I)),
    ("reponse", re.compile(r"^r[ée]ponses?\b", re.I)),
    ("glossaire", re.compile(r"^(?:glossaire|liste des (?:abr[ée]viations|sigles)|sigles\b|abr[ée]viations)", re.I)),
    ("synthese", re.compile(r"^(?:synth[èe]se|r[ée]sum[ée]\b)", re.I)),
    ("rappels", re.compile(r"rappels? (?:au|du) (?:droit|respect)|rappels? à la (?:r[ée]glementation|loi)"
                           r"|rappels? des? (?:obligations|lois)|rappels? d['’]obligations? juridiques?"
                           r"|^(?:les\s+)?obligations?\s+de\s+faire\b", re.I)),
    ("recommandations", re.compile(r"recommandations?\b", re.I)),
    ("procedure", re.compile(r"^(?:(?:le |l['’])?(?:rappel|d[ée]roulement|[ée]l[ée]ments?|d[ée]tails?) de )?"
                             r"(?:la |les )?"
                             r"proc[ée]dures?\b", re.I)),
]


#: Kinds passed on to sub-sections: end-of-report containers always; the summary and the
#: lists only until the body's first numbered heading (plain body headings would otherwise
#: all fall "under" the last title of the front matter).
_INHERITED = ("annexe", "reponse", "suivi")
_FRONT_INHERITED = ("synthese", "recommandations", "rappels")


@dataclass(slots=True)
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
    out = [Line(b.start, b.end, b.text, page.number, b.font_size, b.bold, b.role == "table")
           for page in doc.pages for b in page.blocks if b.start >= 0]
    out.sort(key=attrgetter("start"))
    text = doc.text
    merged: list[Line] = []
    prev: Line | None = None
    for l in out:
        if prev is not None and l.start - prev.end == 1 and text[prev.end] == " ":  # paragraph cut by a page break
            prev.text, prev.end = text[prev.start:l.end], l.end
            continue
        merged.append(l)
        prev = l
    return merged


def body_size(lines: list[Line]) -> float:
    sizes: dict[float, int] = {}
    for l in lines:
        size = round(l.size * 2) / 2
        sizes[size] = sizes.get(size, 0) + len(l.text)
    return max(sizes, key=lambda size: sizes[size]) if sizes else 10.0


def _is_caps(text: str) -> bool:
    letters = "".join(filter(str.isalpha, text))
    return len(letters) >= 6 and sum(map(str.isupper, letters)) >= 0.9 * len(letters)


def heading_style(line: Line, base: float) -> tuple | None:
    """The heading "style" of a line (numbering kind or typography), ``None`` for body text."""
    text = line.text.strip()
    if line.table or not text or len(text) > 220 or "\t" in text or "↩" in text:
        return None
    if _NOT_HEADING.match(text) or sum(map(str.isdigit, text)) > 0.25 * len(text):
        return None
    m = _NUMBERING.match(text)
    big = line.size >= base + 0.9
    title = m.group("title") if m else text
    if not title[:1].isupper() and not title[:1].isdigit() and title[:1] not in "«“\"'’(":
        if len(text) <= 60 and not _END_PUNCT.search(text) and kind_of_title(title[:1].upper() + title[1:]) in (
                "recommandations", "rappels", "synthese"):
            return ("plain",)  # "recommandations" over a list, in lower case: still its title
        return None
    ends_sentence = bool(_END_PUNCT.search(text)) or text.endswith(":")
    if m and (is_imperative(m.group("title")) or RECOMMENDS.match(m.group("title"))):
        return None  # "1- Préciser le champ des délégations…" is a list item
    if (big or line.bold) and not ends_sentence and len(text) <= 180:
        return ("font", round(line.size), line.bold, _is_caps(text))
    if m and not ends_sentence and len(text) <= 180:
        num = m.group("num").strip().rstrip(".)-–°: ").strip()
        if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})+", num):
            return ("dot", num.count(".") + 1)
        if _is_caps(title):
            return ("caps",)  # "1. LA FIABILITÉ DES COMPTES" sits with "SYNTHÈSE", "PROCÉDURE"
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


@lru_cache(maxsize=8192)
def kind_of_title(title: str) -> str | None:
    t = title.strip()
    if len(t) > 110 or is_imperative(t):
        return None
    for kind, rx in KIND_RULES:
        if rx.search(t):
            return kind
    return None


def find_toc(lines: list[Line]) -> tuple[list[Section], set[int]]:
    """Table-of-contents entries ("Title ..... 12") on pages dense with them."""
    by_page: dict[int, list[tuple[Line, re.Match]]] = {}
    for l in lines:
        if len(l.text) >= 250 or not l.text.rstrip()[-1:].isdigit() or l.text.count("\t") > 1:
            continue  # an entry ends with its page number (tested first: the pattern backtracks on prose)
        m = _TOC_LINE.match(l.text.replace("\t", "  "))
        if m and not re.search(r"\s(?:x|X)\s+\d+\s*$", l.text):
            by_page.setdefault(l.page, []).append((l, m))
    title_at = next((i for i, l in enumerate(lines) if _TOC_TITLE.match(l.text)), None)
    if title_at is not None:  # entries "Title 12" right after "SOMMAIRE", even without leaders
        misses = 0
        for l in lines[title_at + 1: title_at + 200]:
            m = _TOC_LOOSE.match(l.text.replace("\t", " "))
            if m and l.text.count("\t") <= 1:
                misses = 0
                if not any(x is l for x, _ in by_page.get(l.page, [])):
                    by_page.setdefault(l.page, []).append((l, m))
            else:
                misses += 1
                if misses > 2:
                    break
    entries: list[Section] = []
    used: set[int] = set()
    # the table of contents is one run of pages (the one with most entries): leader-like table
    # rows elsewhere ("Taxe foncière … 10") are not entries
    runs: list[list[int]] = []
    for page in sorted(page for page, items in by_page.items() if len(items) >= 4):
        if runs and page <= runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    run = max(runs, key=lambda r: sum(len(by_page[p]) for p in r), default=[])
    for _page, items in sorted(by_page.items()):
        if _page not in run:
            continue
        for l, m in items:
            number, title = heading_number(m.group("title"))
            level = number.count(".") + 1 if number and re.fullmatch(r"[\d.]+", number) else 1
            entries.append(Section(title=title, kind="toc", level=level, number=number, page=int(m.group("page")),
                                   page_end=int(m.group("page")), start=l.start, end=l.end))
            used.add(l.start)
    for entry in entries:
        entry.kind = kind_of_title(entry.title) or "body"  # type: ignore[assignment]
    return entries, used


@dataclass
class Heading:
    line: Line
    level: int
    number: str | None
    title: str


def style_rank(style: tuple) -> tuple:
    """Order of heading styles from the top level down (dense-ranked per document)."""
    kind = style[0]
    if kind == "font":
        return (0, -style[1], not style[3], not style[2])
    order = {"chapter": 1, "roman": 2, "caps": 3, "dot": 4, "upper": 5, "letter-num": 6, "arabic": 7,
             "lower": 8, "plain": 9}
    return (order[kind], style[1] if kind == "dot" else 0)


def find_headings(lines: list[Line], skip: set[int]) -> list[Heading]:
    base = body_size(lines)
    found: list[tuple[Line, tuple]] = []
    for l in lines:
        if l.start in skip:
            continue
        style = heading_style(l, base)
        if style is None or (style[0] == "plain" and not found):
            continue  # a short plain line is a heading only below a known heading
        found.append((l, style))
    ranks = sorted({style_rank(st) for _, st in found})
    level_of = {r: i + 1 for i, r in enumerate(ranks)}
    out: list[Heading] = []
    for l, style in found:
        number, title = heading_number(l.text)
        out.append(Heading(l, min(level_of[style_rank(style)], 6), number, title))
    return out


def front_matter(doc: Document, lines: list[Line]) -> list[Section]:
    """The cover page and the president's cover letter, before the report proper (either order)."""
    out: list[Section] = []
    pos = 0
    cover_end = _cover_end(doc, lines, 0)
    if cover_end > 0:
        out.append(_front_section(doc, "Page de titre", "cover", 0, cover_end))
        pos = cover_end
    end_letter = next((l for l in lines[:300] if l.start > pos and _LETTER_END.match(l.text)), None)
    if end_letter and _LETTER_HINTS.search(doc.text[pos: end_letter.start]):
        out.append(_front_section(doc, "Lettre du président", "letter", pos, end_letter.start))
        pos = end_letter.start
    if not cover_end:
        end = _cover_end(doc, lines, pos)
        if end > pos:
            out.append(_front_section(doc, "Page de titre", "cover", pos, end))
    return out


def _front_section(doc: Document, title: str, kind: str, start: int, end: int) -> Section:
    return Section(title=title, kind=kind, level=1, page=doc.page_at(start), page_end=doc.page_at(max(end - 1, 0)),
                   start=start, end=end, path=[title])


def _cover_end(doc: Document, lines: list[Line], start: int) -> int:
    """End of a cover page (a page of a few short lines) at ``start``, else ``start``."""
    first = [l for l in lines if l.start >= start]
    if not first:
        return start
    page = first[0].page
    on_page = [l for l in first if l.page == page]
    if len(on_page) <= 12 and all(len(l.text) < 200 for l in on_page) and len(doc.pages) > 2:
        nxt = next((l for l in first if l.page > page), None)
        return nxt.start if nxt else start
    return start


def build_sections(doc: Document, lines: list[Line] | None = None) -> tuple[list[Section], list[Section]]:
    """``(toc, sections)``: table-of-contents entries and the typed sections in order
    (``lines``: ``lines_of(doc)`` when the caller already has them; never modified)."""
    lines = lines if lines is not None else lines_of(doc)
    toc, toc_lines = find_toc(lines)
    sections = front_matter(doc, lines)
    report_start = max((s.end for s in sections), default=0)
    skip = set(toc_lines) | {l.start for l in lines if l.start < report_start}
    headings = find_headings(lines, skip)
    text_end = len(doc.text)
    if headings and headings[0].line.start > report_start and not any(s.kind == "cover" for s in sections):
        first = headings[0].line.start
        sections.append(Section(title="Page de titre", kind="cover", level=1, page=doc.page_at(report_start),
                                page_end=doc.page_at(max(first - 1, 0)), start=report_start, end=first,
                                path=["Page de titre"]))
    path: list[tuple[int, str, str]] = []  # (level, title, kind)
    in_response = False
    front_done = False
    # responses come after the report: none can open before its synthèse or sommaire
    last_front = max((i for i, h in enumerate(headings) if kind_of_title(h.title) in ("synthese", "toc")),
                     default=-1)
    for i, h in enumerate(headings):
        end = text_end
        for nxt in headings[i + 1:]:
            if nxt.level <= h.level:
                end = nxt.line.start
                break
        while path and path[-1][0] >= h.level:
            path.pop()
        own = kind_of_title(h.title)
        if own == "reponse" and (not RESPONSE_TITLE.match(h.title) or i < last_front):
            own = None  # a response named before the synthèse/sommaire is front matter, not the responses
        if h.number or own:
            front_done = True
        inherited = next((k for _, _, k in reversed(path) if k in _INHERITED
                          or (k in _FRONT_INHERITED and not front_done)), None)
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
    _demote_prose_children(sections, lines)
    _extend_flat_follow_up(sections, lines)
    for s in sections:  # a "Sommaire" runs over its entries only, never over the text after it
        if s.kind == "toc":
            # only the entries that follow it page after page: leader-like table rows far below
            # ("Taxe foncière … 10") never stretch it over the synthèse and the body
            inside, page = [], doc.page_at(s.start)
            for e in sorted((e for e in toc if s.start <= e.start < s.end), key=lambda e: e.start):
                if doc.page_at(e.start) > page + 1:
                    break
                inside.append(e.end)
                page = doc.page_at(e.start)
            s.end = max(inside) if inside else next((l.end for l in lines if l.start == s.start), s.end)
            s.page_end = doc.page_at(max(s.end - 1, s.start))
    if toc:
        first, last = min(e.start for e in toc), max(e.end for e in toc)
        sections.append(Section(title="Sommaire", kind="toc", level=1, page=doc.page_at(first),
                                page_end=doc.page_at(last), start=first, end=last, path=["Sommaire"]))
        sections.sort(key=lambda s: (s.start, s.level))
    return toc, sections


def _demote_prose_children(sections: list[Section], lines: list[Line]) -> None:
    """A heading under "Recommandations" whose own text is prose, not a list, is the body.

    Reports whose body headings are plain lines put the whole body "under" the last
    top-level title; only sub-sections made of list items keep the list kind.
    """
    starts = sorted(s.start for s in sections)
    demoted_level: int | None = None
    for s in sections:
        if demoted_level is not None and s.level > demoted_level and s.kind in ("recommandations", "rappels"):
            s.kind = "body"
            continue
        demoted_level = None
        if s.kind not in ("recommandations", "rappels") or kind_of_title(s.title):
            continue
        own_end = next((x for x in starts if x > s.start), s.end)
        own = [l for l in lines if s.start < l.start < min(own_end, s.end)]
        listy = sum(len(l.text) for l in own if parse_label(l.text) or parse_list_item(l.text, loose=True)
                    or STATUS_TAG.match(l.text) or l.text.rstrip().endswith(":"))
        total = sum(len(l.text) for l in own)
        if total and listy < 0.5 * total:
            s.kind = "body"
            demoted_level = s.level


#: what opens a paragraph of a follow-up: the earlier audit's finding recalled ("La chambre avait
#: relevé que …", "Lors du précédent contrôle, …")
_EARLIER_MENTION = re.compile(r"pr[ée]c[ée]dent\s+(?:rapport|contr[ôo]le|examen)|rapport\s+pr[ée]c[ée]dent", re.I)


def _extend_flat_follow_up(sections: list[Section], lines: list[Line]) -> None:
    """A follow-up section ("Le suivi des recommandations précédentes") whose themed sub-titles
    came out at its own level (headings with no font cue, no numbering) ends at its first
    sub-title; the sub-titles that go on with the earlier audit's findings ("La chambre avait
    relevé que …" in their first paragraph) are follow-up sections too, up to the first
    sibling whose text does not (or a numbered heading, or a title of another kind)."""
    starts = sorted(s.start for s in sections)
    texts = {l.start: l for l in lines}
    line_starts = sorted(texts)

    def first_paragraphs(s: Section) -> list[str]:
        own_end = next((x for x in starts if x > s.start), s.end)
        i = bisect.bisect_right(line_starts, s.start)
        return [texts[x].text for x in line_starts[i:i + 2] if x < own_end]

    i = 0
    while i < len(sections):
        s = sections[i]
        i += 1
        if s.kind != "suivi" or kind_of_title(s.title) != "suivi" or s.number:
            continue
        pending: list[Section] = []
        accepted_level: int | None = None
        for t in sections[i:]:
            if t.start < s.end:
                continue  # a child of the follow-up section: already of its kind
            if t.level < s.level or t.kind != "body":
                break
            if t.level > s.level:
                if accepted_level is not None:
                    t.kind = "suivi"  # under a sibling taken into the follow-up
                else:
                    pending.append(t)
                continue
            if t.number or kind_of_title(t.title):
                break
            paragraphs = first_paragraphs(t)
            if not paragraphs:
                pending.append(t)  # a theme title over the next sub-titles
                accepted_level = None
                continue
            if not any(EARLIER.search(p) or _EARLIER_MENTION.search(p) for p in paragraphs):
                break
            for x in (*pending, t):
                x.kind = "suivi"
            pending, accepted_level = [], t.level


class SectionIndex:
    """Innermost section at an offset, in O(log n): the latest-starting section containing it."""

    def __init__(self, sections: list[Section]):
        self.sections = sorted(sections, key=lambda s: (s.start, s.level))
        self.starts = [s.start for s in self.sections]

    def at(self, offset: int) -> Section | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        steps = 0
        while i >= 0 and steps < 400:
            s = self.sections[i]
            if s.start <= offset < s.end:
                return s
            i -= 1
            steps += 1
        return None


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost section containing ``offset``."""
    return SectionIndex(sections).at(offset)
