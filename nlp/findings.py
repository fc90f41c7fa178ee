"""Findings of a report: recommandations, rappels au droit, suivi items, observations, synthèse.

Three detectors of recommendations and rappels, from the most to the least explicit:

1. labelled items anywhere in the chamber's text: "Recommandation n° 3 : …",
   "Rappel au droit n° 1 – …", "Recommandation unique : …", or a "Recommandation" box
   title whose text is the next line;
2. lists and tables in the recommendations / rappels sections (récapitulatif) or after
   "la chambre formule les recommandations suivantes :": numbered, bulleted or bare
   imperative items, with their status from tags ("[Recommandation à suivre]"), group
   titles ("Recommandations partiellement mises en œuvre :") or status columns
   (Hauts-de-France "Réalisée / En cours de réalisation / Non réalisée");
3. only when the first two find no recommendation: the sentences "La chambre recommande …".

Items of sections that follow up an EARLIER audit are ``suivi``. The same recommendation
stated in the summary list and again in the body is kept once (the first occurrence), by
number, or by text when unnumbered. Responses of the audited body are never read here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from constats.domain import Document, Finding, Section
from nlp.items import (
    BULLET_ITEM,
    CONCLUSION_TAG,
    NUMBERED_ITEM,
    OPENER,
    STATUS_TAG,
    SUB_ITEM,
    Item,
    is_imperative,
    number_prefix,
    parse_label,
    parse_list_item,
)
from nlp.noise import is_noise
from nlp.observations import make_finding, paragraph_findings
from nlp.roles import STOP_WORDS, RoleModel, SentenceContext, default_model, features, stems
from nlp.sentences import EARLIER, cue_sentences, earlier_sentences, sentence_kind
from nlp.status import TRAILING_STATUS, narrative_status, split_trailing_status_text, status_match
from nlp.structure import Line, SectionIndex, lines_of

NO_FINDINGS = ("reponse", "toc", "letter", "cover", "glossaire")
LIST_SECTIONS = ("recommandations", "rappels", "suivi")
_STATUS_HEADER = re.compile(r"r[ée]alis[ée]e|en cours|mise?s? en (?:œ|oe)uvre|non\s|sans objet|[àa] suivre", re.I)
_HEADER_WORDS = re.compile(r"non\s+r[ée]alis[ée]e?s?|en\s+cours(?:\s+de(?:\s+r[ée]alisation)?)?|r[ée]alis[ée]e?s?"
                           r"|(?:(?:totalement|partiellement|non)\s+)?mise?s?\s+en\s+(?:œ|oe)uvre|^\s*mise?s?\s+en\s*$"
                           r"|sans\s+objet|[àa]\s+suivre", re.I)
#: a title that closes the recapitulation's groups rather than subdividing them
#: a line cut after a preposition or an article goes on below ("… avec la communauté de communes du")
_DANGLING_END = re.compile(r"\b(?:du|de|des|la|le|les|en|à|au|aux|et|ou|d['’]|l['’]|par|pour|sur|dans|avec|un|une)$",
                           re.I)
#: a table's header row ("N° | Recommandation | Mise en œuvre"), never an item
_HEADER_ROW = re.compile(r"^(?:n\s*°\s*)?(?:recommandations?|rappels?(?:\s+au\s+droit)?|intitul[ée])"
                         r"(?:\s+(?:n\s*°|formul[ée]es?|de\s+la\s+chambre))?$", re.I)
_ENDS_GROUPS = re.compile(r"proc[ée]dure|synth[èe]se|sommaire|introduction|annexe|r[ée]ponse|glossaire"
                          r"|suivi|suites|pr[ée]c[ée]dent", re.I)
#: the header row of a recapitulation table ("N° | Recommandation | Réalisée | …")
_RECAP_HEADER = re.compile(r"recommandation|rappel|intitul", re.I)
#: the names of a list of rappels au droit ("Rappels au droit", "Rappel à la réglementation", "Rappels
#: d'obligations juridiques"), as a title or a label
_RAPPEL_LIST_NAMES = (r"rappels?\s+(?:au|du)\s+droit|rappels?\s+[àa]\s+la\s+r[ée]glementation"
                      r"|rappels?\s+d['’]obligations?\s+juridiques?")
#: a list's label at the end of a line that runs a title into it ("… Rappel du droit :")
_TRAILING_LABEL = re.compile(rf"\b(?:{_RAPPEL_LIST_NAMES}|(?:rappels?\s+des\s+)?obligations?\s+de\s+faire"
                             r"|recommandations?)\s*:\s*$", re.I)


#: a status tag without its brackets ("Recommandation juridique partiellement mise en œuvre",
#: "Rappel à suivre."): the kind word, a short qualifier and the status, no colon
_BARE_TAG = re.compile(r"^\s*(?:[-–•·▪➢►■□✓→]\s*)?[\[(]?\s*(?:recommandations?|rappels?)\b"
                       r"[^:\t]{0,100}?[\])]?\s*\.?\s*$", re.I)

_NATURE_CELL = re.compile(r"^(?:rappels?\s+(?:au|du)\s+droit|rappels?\s+[àa]\s+la\s+(?:r[ée]glementation|loi)"
                          r"|rappels?\s+d['’]obligations?\s+juridiques?|recommandations?)\s*(?:n\s*°\s*\d+)?$", re.I)


#: a title of rappels au droit under another name: the Normandie "Obligations de faire" (gold
#: convention 4; "Rappels d'obligations juridiques" already says "rappel")
_RAPPEL_NAME = re.compile(r"^\W*(?:rappels?\s+des\s+)?obligations?\s+de\s+faire\b", re.I)


def _header_kind(text: str) -> str | None:
    low = _RAPPEL_NAME.sub("rappel", text.lower())
    if "rappel" in low and "recommandation" not in low:
        return "rappel_au_droit"
    if "recommandation" in low and "rappel" not in low:
        return "recommandation"
    return None


#: a capitalised infinitive opening a paragraph ("Poursuivre …", "S'assurer …", "Ne pas …")
_BOX_VERB = re.compile(r"(?:Ne\s+pas\s+|S['’]|Se\s+)?[A-ZÉÈÊÀ][a-zéèêëàâîïôûç]+(?:er|ir|re|oir)\b")
_VERB_OF_SUBJECT = re.compile(r"\b(?:est|sont|était|serait|seraient|constitue|constituerait|permet|permettrait|paraît"
                              r"|semble|demeure|reste|apparaît)\b")
_MARK = re.compile(r"^\s*(?:x|☒|✓|✔|oui|•)\s*\d?\s*$", re.I)
#: the bare title of a list of findings ("Recommandations", "Principales recommandations", "Rappels à la
#: réglementation", "Rappels au droit"), without a colon (with one it is a label: ``parse_label``)
_LIST_TITLE = re.compile(rf"^\W*(?:principales\s+|liste\s+des\s+)?(?:recommandations|{_RAPPEL_LIST_NAMES})\s*$",
                         re.I)
#: a title in capitals (two words or more, no digit) run into the lower-case item that follows it
_RUN_IN_TITLE = re.compile(r"^(?=[^\s]*[A-ZÀÂÉÈÊÎÔÛÇ]{2})(?:[A-ZÀÂÉÈÊËÎÏÔÛÙÇŒ’'\-]+\s+){2,}(?=[a-zàâéèêîôûç])")
#: a line holding only a label's leaders and page ("……………… page 21")
_LEADERS_ONLY = re.compile(r"^\s*[.…·_]{3,}\s*(?:p(?:age|\.)?\s*)?\d{0,4}\s*$", re.I)
#: a part of a table cell after a cell closing on a colon: a sub-item opening on a dash or in lower
#: case, long enough not to be a tick, a page or a short status word
_CELL_PART = re.compile(r"^\s*(?:[-–•·▪]\s*)?[a-zàâçéèêëîïôûù«].{14,}$", re.S)


#: a status as the report states it: (taxonomy code, the report's own wording)
Status = tuple[str, str] | None


@dataclass
class Candidate:
    kind: str
    number: str | None
    start: int
    end: int
    status: Status
    source: str  # "label", "list", "table", "sentence"
    text: str | None = None  # when the span holds more than the item (a table row's other cells)


def _clean_span(doc: Document, start: int, end: int) -> tuple[int, int, Status]:
    """Trim whitespace and a trailing status statement; return the span and that status."""
    text = doc.text[start:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    start += lead
    title = _RUN_IN_TITLE.match(text)
    if title and is_imperative(text[title.end():]):
        # a theme title in capitals run into the item below it ("LA FIABILITÉ DES COMPTES
        # constituer les provisions …"): the item opens on its verb
        start += title.end()
        text = text[title.end():]
    head, status = split_trailing_status_text(text)
    return start, start + len(head), status


def _section_kind(index: SectionIndex, offset: int) -> str:
    s = index.at(offset)
    return s.kind if s else "body"


def _group_context(text: str) -> tuple[bool, Status, str | None]:
    """Is ``text`` a group title inside a list ("Recommandations à suivre :")? → (yes, status, kind)."""
    t = text.strip()
    cells = t.split("\t")
    if len(cells) >= 3 and all(len(c.split()) == 1 for c in cells):
        # a title whose spaced-out words were read as the cells of a table row
        # ("RECOMMANDATIONS | SUIVIES | D'EFFET | DEPUIS | LES | OBSERVATIONS")
        t = " ".join(cells)
    if len(t) > 160 or "\t" in t:
        return False, None, None
    if parse_label(t):
        return False, None, None
    kind = _header_kind(t)
    if kind is None and not re.search(r"recommandation|rappel", t, re.I):
        return False, None, None
    return True, status_match(t), kind


def _status_legend(lines: list[Line]) -> set[int]:
    """The lines of a legend of statuses ("Les cotations utilisées sont les suivantes :" over
    "Recommandation totalement mise en œuvre", "… partiellement mise en œuvre", "… à suivre",
    "… devenue sans objet"): status titles one after the other, a line or two of explanation at
    most between them and no item, naming three statuses or more. Read as group titles, the last
    one gave its status ("sans objet") to the first items below."""
    out: set[int] = set()
    run: list[int] = []
    codes: set[str] = set()
    gap = 0
    for i, line in enumerate(lines):
        text = line.text
        code: str | None = None  # the status this line names, when it is a status title
        if len(text) <= 160 and "\t" not in text and re.search(r"recommandation|rappel", text, re.I):
            is_group, st, _ = _group_context(text)
            if is_group and st is not None:
                code = st[0]
        if code is not None and code in codes:
            # a status named twice: a group title after the legend (which names each status once)
            if len(codes) >= 3:
                out.update(run)
            run, codes = [], set()
        if code is not None:
            run.append(i)
            codes.add(code)
            gap = 0
            continue
        gap += 1
        if run and (gap > 2 or parse_label(text) or parse_list_item(text) or line.table):
            if len(codes) >= 3:
                out.update(run)
            run, codes = [], set()
    if len(codes) >= 3:
        out.update(run)
    return out


class _Scanner:
    """One pass over the chamber's lines, collecting candidates of detectors 1 and 2."""

    def __init__(self, doc: Document, sections: list[Section], lines: list[Line]):
        self.doc, self.sections, self.lines = doc, sections, lines
        self.out: list[Candidate] = []
        self.heading_starts = {s.start for s in sections}
        self.index = SectionIndex(sections)
        self.heading_level = {s.start: s.level for s in sections if s.kind not in ("cover", "letter")}
        self.tag_mode = False  # the list alternates item / bare status tag (``_trailing_bare_tag``)
        self.legend = _status_legend(lines)

    def run(self) -> list[Candidate]:
        lenient = False  # list context outside a list section (after an opener or a list section)
        group_items = False  # under a bare "Rappel du droit :" title in a list section
        misses = 0
        groups: list[tuple[int, Status, str | None]] = []  # (level, status, kind) of group titles
        status_columns: list[tuple[float, float, tuple[str, str]]] = []
        prev_kind = "body"
        skip_next = False
        header_at = -2  # the line of the last recapitulation table header
        for i, line in enumerate(self.lines):
            if skip_next:
                skip_next = False
                continue
            if self.out and self.out[-1].start < line.start and line.end <= self.out[-1].end:
                continue  # a line the item above already took (its text cut by a repeated table header)
            kind_here = _section_kind(self.index, line.start)
            if kind_here in NO_FINDINGS or "↩" in line.text or (is_noise(line.text)
                                                                and not self._label_with_page(i)):
                lenient = lenient and kind_here not in NO_FINDINGS
                prev_kind = kind_here
                continue
            if prev_kind in LIST_SECTIONS and kind_here not in LIST_SECTIONS:
                lenient, misses = True, 0  # a récapitulatif may go on under headings of its own
            prev_kind = kind_here
            if i in self.legend:
                continue  # a line of the legend of statuses: the title of no group of items
            in_list = kind_here in LIST_SECTIONS or lenient
            text = line.text
            heading = self.heading_level.get(line.start)
            if heading is not None and STATUS_TAG.match(text):
                # "[Recommandation partiellement mise en œuvre]" set apart like a title: still the
                # tag of the item above it (or a line of the legend, which tags nothing)
                self._tag_previous(i, text, kind_here)
                continue
            if in_list and self._trailing_bare_tag(i):
                # the same tag whose brackets the layout lost, after its item: not a group title
                self._tag_previous(i, text, kind_here)
                continue
            if heading is not None and not parse_label(text):
                group_items = False  # (a table's status columns hold over a title between its rows)
                outer = next((g[1] for g in reversed(groups) if g[1]), None)
                while groups and groups[-1][0] >= heading:
                    groups.pop()
                if in_list:
                    is_group, st, gk = _group_context(text)
                    if st is None and outer and not _ENDS_GROUPS.search(text):
                        # "Recommandations à mettre en œuvre" over themed sub-titles ("La fiabilité des
                        # comptes", "Recommandations de gestion"): the items below keep the group's
                        # status, whether the sub-title is a level below the group's title or the same
                        st = next((g[1] for g in reversed(groups) if g[1]), None) or outer
                    if is_group or st:
                        groups.append((heading, st, gk))
                continue
            if text.rstrip().endswith(":") and OPENER.search(text):  # cheap test first: OPENER ends in ':'
                lenient, misses = True, 0
                groups = [(99, status_match(text) if re.search(r"mise?s? en", text) else None, None)]
                continue
            # 1. labelled items
            item = parse_label(text)
            nxt_text = self.lines[i + 1].text if i + 1 < len(self.lines) else ""
            if (not item and not in_list and not line.table and len(text) <= 60 and _LIST_TITLE.match(text)
                    and nxt_text and not parse_label(nxt_text) and (BULLET_ITEM.match(nxt_text)
                                                                   or NUMBERED_ITEM.match(nxt_text))):
                # "Recommandations" / "Rappels à la réglementation" set like body text (no heading
                # style) right over bulleted or numbered items: the list's title, of its kind
                lenient, misses = True, 0
                groups = [(99, None, _header_kind(text))]
                continue
            if (item and item.needs_text and not item.number and text.rstrip().endswith(":")
                    and nxt_text and not parse_label(nxt_text)
                    and (BULLET_ITEM.match(nxt_text) or NUMBERED_ITEM.match(nxt_text)
                         or (kind_here in LIST_SECTIONS and self.lines[i + 1].start not in self.heading_starts))):
                # "Rappel du droit :" over a list (bulleted, numbered, or plain paragraphs in a
                # list section): a group title, each paragraph below is an item of its kind
                lenient, misses = True, 0
                groups = [(99, None, item.kind)]
                group_items = kind_here in LIST_SECTIONS
                continue
            # (``groups`` changes only in the branches above that go on to the next line)
            group_status = groups[-1][1] if groups else None
            if item:
                cand = self._labelled(i, item, kind_here, group_status if in_list else None)
                if cand:
                    self.out.append(cand)
                    skip_next = item.needs_text and cand.start < self.lines[i + 1].end
                continue
            if STATUS_TAG.match(text) or (CONCLUSION_TAG.match(text) and status_match(text)):
                self._tag_previous(i, text, kind_here)
                continue
            if (self.out and self.out[-1].status is None and i > 0 and self.out[-1].start >= self.lines[i - 1].start
                    and len(text) < 60 and TRAILING_STATUS.match(text)):
                # "Partiellement mise en œuvre." pushed to a paragraph of its own (a page break)
                self.out[-1].status = status_match(text)
                continue
            if header_at == i - 1 and len(text) <= 30 and not line.table:
                continue  # the end of a wrapped header cell ("En cours de" / "réalisation")
            above = self.lines[i - 1].text if i > 0 else ""
            titled = len(above) < 60 and bool(_NATURE_CELL.match(above.strip().rstrip(" :")))
            if line.table and (titled or _RECAP_HEADER.search(text)):
                cols = self._status_columns(line)
                if cols:
                    # "N° | Rappel au droit | Mise en œuvre | En cours | Non mise en œuvre", or
                    # "Réalisée | En cours | Non réalisée" under a "Recommandation" title: a
                    # recapitulation table wherever it stands, its rows of the header's kind
                    lenient, misses, status_columns, header_at = True, 0, cols, i
                    head = text.split("\t", 3)
                    hk = _header_kind(" ".join(head[:3])) or (_header_kind(above) if titled else None)
                    if hk:
                        # the rows keep the status of a group title above the table ("… restant à
                        # suivre :"); a tick in a status column still overrides it
                        outer = next((g[1] for g in reversed(groups) if g[0] != 98 and g[1]), None)
                        groups = [g for g in groups if g[0] != 98] + [(98, outer, hk)]
                    continue
            tail = (_TRAILING_LABEL.search(text) if len(text) < 200 and not line.table
                    and text.rstrip().endswith(":") else None)  # cheap tests first: the label ends in ':'
            if tail:
                # "Listes des rappels du droit et des recommandations Rappel du droit :" (a title
                # run into the label of the list below it)
                lenient, misses = True, 0
                groups = [(99, None, _header_kind(tail.group(0)))]
                continue
            if not in_list:
                if kind_here == "body" and not line.table and self._boxed(i):
                    start, end, status = _clean_span(self.doc, line.start, line.end)
                    self.out.append(Candidate("recommandation", None, start, end, status, "box"))
                continue
            is_group, st, gk = _group_context(text)
            if is_group:
                while groups and groups[-1][0] >= 99:
                    groups.pop()
                groups.append((99, st, gk))
                continue
            group_kind = next((k for _, _, k in reversed(groups) if k), None)
            if line.table:
                cols = self._status_columns(line)
                if cols:
                    status_columns = cols
                    continue
                cand = self._table_row(line, kind_here, group_kind, group_status, status_columns)
                if cand:
                    self._cell_continuation(i, cand)
                    self.out.append(cand)
                continue
            item = parse_list_item(text, loose=kind_here in LIST_SECTIONS)
            if item is None and group_items and len(text) > 25 and not line.table:
                item = Item(None, None, 0)  # a plain paragraph under "Rappel du droit :"
            if (item is None and not line.table and i > 0 and self.out and self.out[-1].source == "list"
                    and self.out[-1].start >= self.lines[i - 1].start):
                # "• en application de l'article…, joindre…;" right after an item of a list: one of
                # them (a lower-case start and the list's punctuation, not a sentence of prose)
                bullet = BULLET_ITEM.match(text)
                off = bullet.start("text") if bullet else 0
                rest = text[off:].strip()
                if len(rest) > 25 and rest[:1].islower() and rest[-1:] in ";.":
                    item = Item(None, None, off)
            if item:
                misses = 0
                start, end, status = _clean_span(self.doc, line.start + item.offset, line.end)
                kind = "suivi" if kind_here == "suivi" else (
                    group_kind or ("rappel_au_droit" if kind_here == "rappels" else "recommandation"))
                for number, a, b in _run_in_items(self.doc.text, item.number, start, end):
                    self.out.append(Candidate(kind, number, a, b, status or group_status, "list"))
                if header_at >= 0 and status_columns:
                    # a row of a recapitulation table whose cell is alone on its line: its text may
                    # go on below, over the header repeated on the next page ("… des restes à" /
                    # header / "réaliser ;")
                    self._cell_continuation(i, self.out[-1])
            elif lenient and kind_here not in LIST_SECTIONS:
                if len(text) < 90 and text.rstrip().endswith(":") and not line.table:
                    continue  # a theme over the next items ("En matière comptable et financière :")
                misses += 1
                if misses >= 2 or (self.out and self.out[-1].source == "list"):
                    lenient = False
        return self.out

    def _bare_tag(self, j: int) -> bool:
        """A line that is only a status tag, brackets or not ("Recommandation de gestion partiellement
        mise en œuvre", "[Rappel à suivre]"); a colon makes it a group title, never a tag."""
        text = self.lines[j].text
        return (len(text) <= 120 and not self.lines[j].table and bool(_BARE_TAG.match(text))
                and status_match(text) is not None and parse_label(text) is None)

    def _trailing_bare_tag(self, i: int) -> bool:
        """Is the bare status line ``i`` the tag of the item just above it rather than the title of
        the items below? So when the list alternates item / tag: the line above is an item and the
        next item (past theme titles) is followed by such a line too; once a list is seen to
        alternate, every bare status line right after an item is its tag."""
        if i == 0 or not self._bare_tag(i) or STATUS_TAG.match(self.lines[i].text):
            return False
        prev = self.lines[i - 1]
        if not self.out or self.out[-1].start < prev.start:
            return False  # no item just above: a group title (or a legend line)
        j = i + 1
        while (j < len(self.lines) and j < i + 4 and self.lines[j].start in self.heading_starts
               and not self._bare_tag(j)):
            j += 1  # theme titles between the tag and the next item
        alternates = (j + 1 < len(self.lines) and not self._bare_tag(j) and len(self.lines[j].text) > 20
                      and self.lines[j].start not in self.heading_starts and self._bare_tag(j + 1))
        if alternates:
            self.tag_mode = True
        return alternates or self.tag_mode

    def _boxed(self, i: int) -> bool:
        """A body paragraph that is one instruction on its own ("Poursuivre la démarche de
        programmation pluriannuelle … ."): a recommendation whose box or label the layout lost.
        Not a line of a list (a neighbour in the infinitive, or an introduction ending with ':')."""
        text = self.lines[i].text.strip()
        if len(text) < 40 or not _BOX_VERB.match(text):
            return False  # both readings below need it (cheap, before the status's search)
        head, status = split_trailing_status_text(text)
        if status is not None and head != text:
            # it closes on its follow-up status ("… . Recommandation non mise en œuvre."): the chamber's
            # mark of an item, even among other instructions (a list of them, each with its status)
            return (40 <= len(head) <= 600 and head[-1:] in ".;" and bool(_BOX_VERB.match(head))
                    and is_imperative(head) and not _VERB_OF_SUBJECT.search(head.split(". ", 1)[0]))
        if not 40 <= len(text) <= 600 or text[-1:] != "." or not _BOX_VERB.match(text) or not is_imperative(text):
            return False
        if _VERB_OF_SUBJECT.search(text.split(". ", 1)[0]):
            return False  # the infinitive is a subject: "Parachever le code … est certes annoncé …"
        before = self.lines[i - 1].text.strip() if i > 0 else ""
        after = self.lines[i + 1].text.strip() if i + 1 < len(self.lines) else ""
        return not before.endswith(":") and not is_imperative(before) and not is_imperative(after)

    def _label_with_page(self, i: int) -> bool:
        """"Recommandation n° 1 : ……… page 21" over the item's text (a summary list that gives each
        item's page): a label, not a line of a table of contents, when the next line is no entry."""
        item = parse_label(self.lines[i].text)
        if item is None or not item.needs_text or i + 1 >= len(self.lines):
            return False
        nxt = self.lines[i + 1].text
        return not is_noise(nxt) and not parse_label(nxt) and len(nxt.strip()) > 15

    def _labelled(self, i: int, item, kind_here: str, group_status: Status) -> Candidate | None:
        line = self.lines[i]
        number = item.number
        if item.needs_text:
            if i + 1 >= len(self.lines):
                return None
            j = i + 1
            nxt = self.lines[j]
            if _LEADERS_ONLY.match(nxt.text) and j + 1 < len(self.lines):
                j += 1  # the label's leaders and page pushed to a line of their own ("……… page 21")
                nxt = self.lines[j]
            if (len(nxt.text) < 90 and nxt.text.rstrip().endswith(":") and j + 1 < len(self.lines)
                    and not SUB_ITEM.match(self.lines[j + 1].text)):
                j += 1  # "Suivi comptable du centre de santé :" titles the recommendation below it
                nxt = self.lines[j]
            if nxt.start in self.heading_starts and not number and len(nxt.text) < 60:
                return None
            if not number and parse_label(nxt.text):
                return None  # a bare "Recommandation" title over labelled items: not an item itself
            if nxt.table and self._status_columns(nxt):
                return None  # a "Recommandation" title over a table with status columns
            n2, off = number_prefix(nxt.text)
            number = number or n2
            start, end = nxt.start + off, nxt.end
        else:
            start, end = line.start + item.offset, line.end
            j = i
        # sub-items of one recommendation ("2.1 …", "2.2 …", "- …") belong to it
        first = self.lines[j].text[item.offset:] if j == i else self.lines[j].text
        if SUB_ITEM.match(first) or first.rstrip().endswith(":"):
            for nxt in self.lines[j + 1: j + 12]:
                if (nxt.table or nxt.start in self.heading_starts or not SUB_ITEM.match(nxt.text)
                        or parse_label(nxt.text)):
                    break
                end = nxt.end
        start, end, status = _clean_span(self.doc, start, end)
        if end - start < 10:
            return None
        # a numbered "Recommandation n° 2" is the report's own, even in a follow-up section
        kind = "suivi" if kind_here == "suivi" and not number else item.kind
        return Candidate(kind, number, start, end, status or group_status, "label")

    def _tag_previous(self, i: int, text: str, kind_here: str) -> None:
        """A status tag applies to the item just before it; a paragraph followed by a tag is an item."""
        st = status_match(text)
        is_rappel = bool(re.search(r"rappel", text, re.I))
        prev_line = self.lines[i - 1] if i > 0 else None
        if self.out and prev_line is not None and self.out[-1].start >= prev_line.start:
            prev = self.out[-1]
        elif (prev_line is not None and not prev_line.table and len(prev_line.text) > 20
              and not prev_line.text.rstrip().endswith(":") and not prev_line.text.lstrip().startswith(("(", "["))
              and _section_kind(self.index, prev_line.start) not in NO_FINDINGS
              and not STATUS_TAG.match(prev_line.text)):
            start, end, status = _clean_span(self.doc, prev_line.start, prev_line.end)
            n, off = number_prefix(self.doc.text[start:end])
            kind = "suivi" if kind_here == "suivi" else "recommandation"
            prev = Candidate(kind, n, start + off, end, status, "tag")
            self.out.append(prev)
        else:
            return
        if st:
            prev.status = st
        if is_rappel and prev.kind == "recommandation":
            prev.kind = "rappel_au_droit"

    def _cell_continuation(self, i: int, cand: Candidate) -> None:
        """A cell whose text wraps below its row (a word processor's table read line by line):
        the next plain lines that go on with it belong to the item ("… du CGCT en" / "annexant
        au compte administratif …"). The span then covers the row and those lines; the text is
        the cell's and theirs, without the row's other cells."""
        text = self.doc.text[cand.start:cand.end].rstrip()
        if re.search(r"[.;!?»)]$", text):
            return
        parts = [text]
        end = cand.end
        following = list(self.lines[i + 1: i + 4])
        if following and following[0].table and self._status_columns(following[0]):
            # the table's header repeated on the next page ("Réalisé | En cours de" / "réalisation")
            # between the cell and its end: looked over
            skip = 2 if len(following) > 1 and len(following[1].text) <= 30 and not following[1].table else 1
            following = list(self.lines[i + 1 + skip: i + 4 + skip])
        for nxt in following:
            t = nxt.text.strip()
            goes_on = bool(t) and (t[0].islower() or _DANGLING_END.search(parts[-1])
                                   or (len(t) <= 15 and not t[0].isupper()))
            if (nxt.table or nxt.start in self.heading_starts or not goes_on or len(t) > 400
                    or parse_label(t) or is_noise(t)):
                break
            if parts[-1].endswith("-") and t[0].islower():
                parts[-1] += t  # "compte-" / "rendu": one word cut at its own hyphen
                t = ""
            if t:
                parts.append(t)
            end = nxt.end
            if re.search(r"[.;!?»)]$", t):
                break
        if len(parts) > 1:
            cand.end = end
            cand.text = " ".join(parts)

    def _status_columns(self, line: Line) -> list[tuple[float, float, tuple[str, str]]]:
        """Status columns of a table header ("Réalisée | En cours de réalisation | Non réalisée")."""
        block = self._block(line)
        cells = line.text.split("\t")
        if block is None or len(block.cells) != len(cells):
            return []
        cols = []
        for (x0, x1), c in zip(block.cells, cells):
            if len(c) > 80:
                continue
            # one cell may hold two headers run together ("Réalisé En cours de"): split by position
            for m in _HEADER_WORDS.finditer(c):
                st = status_match(m.group(0)) or (
                    # "Mise en" / "œuvre": a header cell wrapped in two lines, read one line at a time
                    ("totalement_mise_en_oeuvre", "mise en œuvre") if re.fullmatch(r"mise?s?\s+en", m.group(0).strip(),
                                                                                   re.I) else None)
                if st:
                    a = x0 + (x1 - x0) * m.start() / max(len(c), 1)
                    b = x0 + (x1 - x0) * m.end() / max(len(c), 1)
                    cols.append((a, b, st))
        return cols if len(cols) >= 2 else []

    def _block(self, line: Line):
        for page in self.doc.pages:
            if page.number == line.page:
                for b in page.blocks:
                    if b.start == line.start:
                        return b
        return None

    def _table_row(self, line: Line, kind_here, group_kind, group_status, columns) -> Candidate | None:
        cells = line.text.split("\t")
        offsets, pos = [], line.start
        for c in cells:
            offsets.append(pos)
            pos += len(c) + 1
        best = None
        for idx, c in enumerate(cells):
            stripped = c.strip()
            label = parse_label(stripped)
            item = label or parse_list_item(stripped, loose=True)
            if item and not item.needs_text and len(stripped) > 20:
                best = (idx, item)
                break
        if best is None and columns and len(cells[0].strip()) > 40 and any(_MARK.match(c) for c in cells[1:]):
            # a row of a status table ("Dans la construction du plan…, évaluer…" | X): an item
            # whatever its first word, as its tick in a status column says
            best = (0, Item(None, None, 0))
        if best is None:
            return None
        idx, item = best
        cell_start = offsets[idx] + (len(cells[idx]) - len(cells[idx].lstrip()))
        last = idx
        if cells[idx].rstrip().endswith(":"):
            # a cell closing on a colon ("Respecter le CGCT en :") goes on in the paragraphs of the
            # same cell, read as cells of their own ("tenant une comptabilité … ;" | "- rattachant …"):
            # they are parts of the item (gold convention 3), up to the first tick, page or status
            while last + 1 < len(cells) and _CELL_PART.match(cells[last + 1]) \
                    and not (len(cells[last + 1]) < 80 and status_match(cells[last + 1])):
                last += 1
        start, end, status = _clean_span(self.doc, cell_start + item.offset, offsets[last] + len(cells[last]))
        number = item.number
        if number is None and idx > 0 and re.fullmatch(r"\s*\d{1,2}\s*[.)]?\s*", cells[idx - 1]):
            number = cells[idx - 1].strip().rstrip(".)")  # "N°" just before the text (after a "Nature")
        block = self._block(line)
        ocr = any(page.ocr for page in self.doc.pages if page.number == line.page)
        for j, c in enumerate(cells):
            if idx <= j <= last:
                continue
            if _MARK.match(c) and block is not None and len(block.cells) == len(cells):
                x0, x1 = block.cells[j]
                mid = (x0 + x1) / 2
                if ocr:
                    # OCR boxes are a few points off (a header cell cut from "réalisation|Non" by the
                    # share of its characters): a tick flush left under its header may start left of
                    # it; its right edge still stands inside its column
                    mid = x1 - 1
                if columns:
                    status = _column_at(columns, mid)
            elif len(c) < 80 and status_match(c) and not re.search(r"\d{2}", c):
                status = status_match(c)
        # a "Nature" cell of a table mixing both kinds ("Rappel au droit | 3 | Délibérer … | X")
        nature = next((_header_kind(c) for j, c in enumerate(cells)
                       if not idx <= j <= last and len(c.strip()) < 40 and _NATURE_CELL.match(c.strip())), None)
        kind = "suivi" if kind_here == "suivi" else (
            item.kind or nature or group_kind or ("rappel_au_droit" if kind_here == "rappels" else "recommandation"))
        return Candidate(kind, number, start, end, status or group_status, "table")


def _run_in_items(text: str, number: str | None, start: int, end: int) -> list[tuple[str | None, int, int]]:
    """A numbered item whose paragraph runs on with the next ones ("1. Engager … 2. Remettre …
    3. Mettre à jour …"): one span per number, in sequence; the last ends with its sentence
    (what follows it is the next paragraph run in)."""
    if not number or not number.isdigit():
        return [(number, start, end)]
    spans: list[tuple[str | None, int, int]] = []
    n, a = int(number), start
    while True:
        m = re.compile(rf"(?<=[.;])\s+{n + 1}\s*[.)]\s+(?=[A-ZÀÂÉÈÊÎÔÛÇ])").search(text, a, end)
        if not m:
            break
        spans.append((str(n), a, m.start()))
        n, a = n + 1, m.end()
    if not spans:
        return [(number, start, end)]
    last = re.compile(r"[.;](?=\s+[A-ZÀÂÉÈÊÎÔÛÇ«])").search(text, a, end)
    spans.append((str(n), a, last.start() + 1 if last else end))
    return spans


def _column_at(columns: list[tuple[float, float, tuple[str, str]]], x: float) -> tuple[str, str]:
    """The status of the column a tick at ``x`` sits in: the right-most header starting left of
    it (a header and its ticks share a cell, centred or flush left), else the nearest one."""
    left = [col for col in columns if col[0] <= x + 1]
    if left:
        return max(left, key=lambda col: col[0])[2]
    return min(columns, key=lambda col: abs((col[0] + col[1]) / 2 - x))[2]


_NO_SENTENCES = (*NO_FINDINGS, "procedure", "annexe")


@dataclass
class SentenceUnit:
    """A sentence where the chamber recommends or recalls, with where it stands."""

    cand: Candidate
    rule: str | None  # the rules' verdict (``nlp.sentences.sentence_kind``)
    ctx: SentenceContext


def sentence_units(doc: Document, sections: list[Section], lines: list[Line]) -> list[SentenceUnit]:
    """Every sentence of a body paragraph where the chamber recommends or recalls (``nlp.sentences``)."""
    out = []
    index = SectionIndex(sections)
    heading_starts = {s.start for s in sections}
    n = max(len(doc.text), 1)
    for i, line in enumerate(lines):
        if line.table or line.start in heading_starts or is_noise(line.text):
            continue
        section = index.at(line.start)
        kind_here = section.kind if section else "body"
        if kind_here in _NO_SENTENCES or "↩" in line.text:
            continue
        found = cue_sentences(line.text)
        if kind_here == "suivi":  # what the earlier audit found or asked: the items of a follow-up
            found = sorted({*found, *earlier_sentences(line.text)})
        if not found:
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        last_para = nxt is None or nxt.start in heading_starts or (section is not None and nxt.start >= section.end)
        for s, e, first, last in found:
            start, end, status = _clean_span(doc, line.start + s, line.start + e)
            rule = sentence_kind(doc.text[start:end])
            if kind_here == "suivi":
                rule = rule or ("suivi" if EARLIER.search(doc.text[start:end]) else None)
                after = line.text[e:]
                if nxt is not None and not last_para and not earlier_sentences(nxt.text):
                    after += " " + nxt.text  # the account of what was done since may be the next paragraph
                status = status or narrative_status(after)
            kind = "suivi" if kind_here == "suivi" else rule or "recommandation"
            ctx = SentenceContext(kind_here, list(section.path) if section else [], first, last, last_para,
                                  len(line.text), start / n)
            out.append(SentenceUnit(Candidate(kind, None, start, end, status, "sentence"), rule, ctx))
    return out


def unit_features(doc: Document, units: list[SentenceUnit], items: list[Candidate]) -> list[dict[str, float]]:
    """Features of each unit (``nlp.roles.features``): overlap with the listed items and with the
    earlier sentences the rules accept."""
    listed = [stems(doc.text[c.start:c.end]) for c in items]
    numbered = sum(1 for c in items if c.number)
    earlier: list[frozenset[str]] = []
    out = []
    for u in units:
        text = doc.text[u.cand.start:u.cand.end]
        out.append(features(text, u.ctx, listed, numbered, earlier))
        if u.rule:
            earlier.append(stems(text))
    return out


def _complete(doc: Document, c: Candidate) -> bool:
    return bool(re.search(r"[.;!?)»]\s*$", doc.text[c.start:c.end]))


def _more_complete(doc: Document, c: Candidate, first: Candidate) -> bool:
    """``c`` states in full what ``first`` cuts short ("… conformément aux déc")."""
    if _complete(doc, first):
        return False
    a, b = _norm(doc.text[first.start:first.end]), _norm(doc.text[c.start:c.end])
    return _complete(doc, c) or (len(b) > len(a) and b[:30] == a[:30])


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def _dedupe(cands: list[Candidate], doc: Document) -> list[Candidate]:
    kept: list[Candidate] = []
    seen_numbers: dict[tuple[str, str], Candidate] = {}
    seen_texts: list[tuple[str, Candidate]] = []
    for c in sorted(cands, key=lambda c: c.start):
        norm = _norm(doc.text[c.start:c.end])
        if c.number and c.number != "unique":
            key = (c.kind, c.number)
            if key in seen_numbers:
                first = seen_numbers[key]
                if (first.source != "label" and c.source == "label") or (
                        first.source == c.source and _more_complete(doc, c, first)):
                    # "Recommandation n° 2" wins over a list item; a complete text over a cut one
                    c.status = c.status or first.status
                    kept[kept.index(first)] = c
                    seen_numbers[key] = c
                    continue
                first.status = first.status or c.status
                continue
            seen_numbers[key] = c
        dup = next((k for t, k in seen_texts if k.kind == c.kind and (t == norm or (
            len(norm) > 40 and len(t) > 40 and (t.startswith(norm[:60]) or norm.startswith(t[:60]))))), None)
        if dup is not None and (dup.number == c.number or not c.number or not dup.number):
            dup.status = dup.status or c.status
            dup.number = dup.number or c.number
            continue
        seen_texts.append((norm, c))
        kept.append(c)
    return kept


_RECOMMENDS_PREFIX = re.compile(r"^.{0,120}?\brecommande\w*\s+(?:[àa]\s+[^,]{0,80}?\s+)?(?:de\s+|d['’]|que\s+)", re.I)


def _words(text: str) -> set[str]:
    text = _RECOMMENDS_PREFIX.sub("", text)
    return {w for w in re.findall(r"[^\W\d_]{4,}", text.lower())}


def _drop_restatements(cands: list[Candidate], doc: Document) -> list[Candidate]:
    """Unnumbered items restating a numbered one (summary list vs body) are the same finding."""
    numbered = [c for c in cands if c.number and c.source == "label"]
    if not numbered:
        return cands
    words = {id(c): _words(doc.text[c.start:c.end]) for c in cands}
    out = []
    for c in cands:
        if c.number or c.source == "label":
            out.append(c)
            continue
        wc = words[id(c)]
        match = None
        for n in numbered:
            wn = words[id(n)]
            if wc and wn and len(wc & wn) >= 0.6 * min(len(wc), len(wn)):
                match = n
                break
        if match is None:
            out.append(c)
        else:
            match.status = match.status or c.status
    return out


def items_and_sentences(doc: Document, sections: list[Section],
                        lines: list[Line]) -> tuple[list[Candidate], list[SentenceUnit]]:
    """The labelled, listed and tabled items (deduplicated) and the candidate sentences of body
    paragraphs outside them (what the learned step decides on; its training reads the same)."""
    cands = [c for c in _Scanner(doc, sections, lines).run()
             if not _HEADER_ROW.match(" ".join((c.text or doc.text[c.start:c.end]).split()))]
    taken = sorted((c.start, c.end) for c in cands)
    units = [u for u in sentence_units(doc, sections, lines) if not _overlaps(taken, u.cand.start, u.cand.end)]
    return _dedupe(_drop_restatements(cands, doc), doc), units


def find_recommendations(doc: Document, sections: list[Section], lines: list[Line] | None = None,
                         roles: RoleModel | None = None) -> list[Candidate]:
    """Recommandations, rappels au droit and suivi items, deduplicated, in text order. The
    sentences of body paragraphs are decided by ``roles`` (default: the packaged ``nlp.roles``
    model; the rules alone when there is none)."""
    lines = lines if lines is not None else lines_of(doc)
    cands, units = items_and_sentences(doc, sections, lines)
    sentences = _new_sentences(cands, [u.cand for u in units if u.rule], doc)  # the rules
    model = roles if roles is not None else default_model()
    if model is not None:
        # the learned step rescues what the rules dropped (a restatement test too strict, a
        # legal cue out of the sentence) when it is confident; it never removes a rules' item
        kept = {id(c) for c in sentences}
        for u, feats in zip(units, unit_features(doc, units, cands)):
            if id(u.cand) in kept:
                continue
            role, p = model.best_item(feats)
            if p >= RESCUE:
                if u.cand.kind != "suivi":
                    u.cand.kind = role
                sentences.append(u.cand)
    return sorted(cands + sentences, key=lambda c: c.start)


#: probability of an item's role above which the learned step keeps a sentence the rules dropped
#: (chosen by cross-validation on development reports of one family, checked on the others)
RESCUE = 0.8


def _new_sentences(items: list[Candidate], sentences: list[Candidate], doc: Document) -> list[Candidate]:
    """The in-paragraph sentences that state something no list item and no earlier sentence
    states (a body sentence restating a listed item is the same finding, gold convention 1)."""
    # an earlier audit's recommendation (suivi) and this report's own are two findings even when
    # they say the same (gold convention 7): each is compared with its own side only
    # a listed item of the same kind in the sentence's paragraph or next to it: a lower share
    known = [(c.kind == "suivi", _stems(doc.text[c.start:c.end]), c) for c in items]
    n_items = len(known)
    out = []
    for c in sentences:
        wc = _stems(doc.text[c.start:c.end])
        earlier = c.kind == "suivi"
        if not wc or any(wk and side == earlier and len(wc & wk) >= (
                RESTATES_NEAR if i < n_items and k.kind == c.kind and _neighbours(doc, c, k) else RESTATES)
                * min(len(wc), len(wk)) for i, (side, wk, k) in enumerate(known)):
            continue
        out.append(c)
        known.append((earlier, wc, c))
    return out


def _neighbours(doc: Document, a: Candidate, b: Candidate) -> bool:
    """``a`` and ``b`` stand in one paragraph or in two paragraphs that follow each other (a
    body paragraph "… la chambre recommande d'étudier …" and the boxed item that restates it)."""
    first, second = (a, b) if a.start <= b.start else (b, a)
    return first.end <= second.start and doc.text.count("\n", first.end, second.start) <= 1


#: share of the shorter item's word stems that a sentence must share with it to restate it
#: (chosen on the development reports: restatements reword, new items share little)
RESTATES = 0.34
#: the same share for a sentence in the paragraph of a listed item of its kind or next to it: a
#: body paragraph that states the recommendation its box then lists rewords it more (chosen on
#: development reports)
RESTATES_NEAR = 0.25


def _stems(text: str) -> set[str]:
    """Content words cut to six letters ("actualiser" and "actualisation" meet), the
    "la chambre recommande à … de" prefix, the "la chambre avait relevé" of a follow-up (every
    earlier finding opens so: it says nothing of what) and frequent words left out."""
    text = EARLIER.sub(" ", _RECOMMENDS_PREFIX.sub("", text))
    return {w[:6] for w in re.findall(r"[^\W\d_]{4,}", text.lower()) if w not in STOP_WORDS}


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(spans, (end, end))
    return i > 0 and spans[i - 1][1] > start


def extract_findings(doc: Document, sections: list[Section], report_id: str,
                     lines: list[Line] | None = None) -> list[Finding]:
    """Every finding of the chamber: recommendations/rappels/suivi, then synthèse and observations
    (``lines``: ``lines_of(doc)`` when the caller already has them)."""
    lines = lines if lines is not None else lines_of(doc)
    index = SectionIndex(sections)
    recs = find_recommendations(doc, sections, lines)
    findings = [make_finding(doc, index, report_id, c.kind, c.start, c.end, c.number,
                             c.status[0] if c.status else None, c.status[1] if c.status else None, text=c.text)
                for c in recs]
    taken = [(c.start, c.end) for c in recs]
    findings += paragraph_findings(doc, sections, report_id, taken, lines, index)
    findings.sort(key=lambda f: (f.start, f.end))
    return findings
