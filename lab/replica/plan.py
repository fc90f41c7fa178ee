"""What a report's own blocks become in the renderers of other producers (ReportLab, LibreOffice).

``parse_report_html`` gives the document's blocks; ``plan_report`` re-reads its lists of
recommandations and rappels (a heading "Recommandations", "Rappels au droit", "Rappels à la
réglementation", "Récapitulation des recommandations", "Obligations de faire"… followed by
labelled or listed items, status group titles and bracketed status tags) so that a family can lay
them out as real reports of other producers do: a bordered recapitulation table with status
columns, one table mixing rappels and recommandations grouped by follow-up status, a status
line without brackets under its item, or no summary list at all (when every item of it is
stated again in the body). Nothing is invented: every element carries the report's own text;
a status column is drawn only when the report states statuses.
Pure functions over ``ParsedHtml``.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from typing import Literal

from constats.text import fold
from lab.replica.html_model import Block, ParsedHtml, inline_text

StatusCode = Literal["totalement_mise_en_oeuvre", "en_cours", "non_mise_en_oeuvre", "sans_objet"]

#: a heading (or short paragraph) that opens a list of recommandations / rappels
LIST_HEADING = re.compile(
    r"^\W*(?:[\divx]+\W+)?(?:(?:liste|recapitulati\w*|recapitulatif|synthese)\s+des\s+)?(?:principales\s+)?"
    r"(recommandations?|rappels?\s+(?:au|a la|du|de la|d)\s*\w*|rappels?\b|obligations?\s+de\s+faire|"
    r"preconisations|recapitulati\w*|recapitulatif)\b")
_LABEL = re.compile(
    r"^\s*(?P<label>(?P<kind>recommandations?|rappels?\s+(?:au|du|a\s+la|de\s+la)\s+(?:droit|reglementation)|"
    r"rappels?\s+d\s*obligations?\s+juridiques?|obligations?\s+de\s+faire)"
    r"\s*(?:n\s*[°o]\s*(?P<num>\d+)|(?P<uniq>unique)|(?P<bare>\d+))?)\s*[:.\-–]\s*", re.I)
_MARKER = re.compile(r"^\s*(?P<num>\d{1,2})\s*[/.)\-–]\s+(?=\S)")
_BRACKET = re.compile(r"\s*\[(?P<status>[^\[\]]{4,90})\]\s*$")
_STATUS_CUES: list[tuple[re.Pattern, StatusCode]] = [
    (re.compile(r"sans objet"), "sans_objet"),
    (re.compile(r"\bnon (?:mise?s? en (?:oe|œ)uvre|realise|suivie)|restant a suivre|a suivre|a mettre en (?:oe|œ)uvre"),
     "non_mise_en_oeuvre"),
    (re.compile(r"partiellement|en cours|engagement|incomplete"), "en_cours"),
    (re.compile(r"totalement|suivies? d effet|\brealise|mises? en (?:oe|œ)uvre"), "totalement_mise_en_oeuvre"),
]
STATUS_COLUMNS: list[tuple[StatusCode, str]] = [
    ("totalement_mise_en_oeuvre", "Mise en œuvre"),
    ("en_cours", "En cours de mise en œuvre"),
    ("non_mise_en_oeuvre", "Non mise en œuvre"),
]
STATUS_GROUP_TITLES: dict[str | None, str] = {
    "totalement_mise_en_oeuvre": "Recommandations et rappels totalement mis en œuvre",
    "en_cours": "Recommandations et rappels en cours de mise en œuvre",
    "non_mise_en_oeuvre": "Recommandations et rappels non mis en œuvre",
    "sans_objet": "Recommandations et rappels devenus sans objet",
    None: "Recommandations et rappels formulés",
}


def status_of(text: str) -> StatusCode | None:
    """Taxonomy code of a status wording ("partiellement mise en œuvre" → en_cours), or None."""
    folded = fold(text, words_only=True)
    for pattern, code in _STATUS_CUES:
        if pattern.search(folded):
            return code
    return None


@dataclass
class ListItem:
    """One recommandation or rappel of a list, with the report's own wording of its status."""

    kind: Literal["recommandation", "rappel_au_droit", "note"]  # note: a sub-title row of the list
    number: str | None
    html: str  # the item's text only (label, marker and status tag removed)
    label: str | None = None  # "Recommandation n° 2" as printed
    status: StatusCode | None = None
    status_text: str | None = None  # the report's own wording
    group: str | None = None  # the group title it was listed under

    @property
    def text(self) -> str:
        return inline_text(self.html)


@dataclass
class ListRegion:
    """A list of items in the document: blocks ``start`` … ``end - 1`` (the heading excluded)."""

    heading_index: int
    start: int
    end: int
    kind: Literal["recommandation", "rappel_au_droit"]
    items: list[ListItem] = field(default_factory=list)
    front: bool = False  # before the first body heading (a summary list)

    @property
    def has_status(self) -> bool:
        return any(item.status for item in self.items)

    @property
    def findings(self) -> list[ListItem]:
        return [item for item in self.items if item.kind != "note"]


def _heading_kind(text: str) -> Literal["recommandation", "rappel_au_droit"] | None:
    folded = fold(text, words_only=True)
    if len(folded) > 110:
        return None
    match = LIST_HEADING.match(folded)
    if not match:
        return None
    word = match.group(1)
    return "rappel_au_droit" if word.startswith(("rappel", "obligation")) else "recommandation"


def _label_kind(word: str) -> Literal["recommandation", "rappel_au_droit"]:
    return "recommandation" if fold(word).startswith("recommandation") else "rappel_au_droit"


_FORMAT_TAGS = re.compile(r"</?(?:b|i|strong|em|span|u)(?:\s[^>]*)?>")


def plain_html(html: str) -> str:
    """An item's inline HTML without bold/italic tags (footnote calls and breaks kept)."""
    return _FORMAT_TAGS.sub("", html).strip()


def _strip_suffix(html: str, suffix_text: str) -> str:
    """The inline HTML without a trailing text ``suffix_text`` (escaped in the HTML)."""
    escaped = html_lib.escape(suffix_text.strip(), quote=False)
    stripped = html.rstrip()
    if stripped.endswith(escaped):
        return stripped[: -len(escaped)].rstrip()
    return stripped


def _group_status(text: str) -> tuple[StatusCode | None, bool]:
    """Is ``text`` a status group title inside a list? → (its status, yes)."""
    folded = fold(text, words_only=True)
    if len(text) > 140 or not re.search(r"recommandation|rappel|suivi|mise|realise|cours|objet", folded):
        return None, False
    if _LABEL.match(text) and not text.rstrip().endswith(":"):
        return None, False
    code = status_of(text)
    if code is None and not re.search(r"formulee|presente controle|controle actuel", folded):
        return None, False
    return code, True


def find_list_regions(parsed: ParsedHtml) -> list[ListRegion]:
    """Lists of recommandations / rappels: a list heading followed by items (labelled, listed or
    under status group titles), up to the next heading or the first ordinary paragraph."""
    blocks = parsed.blocks
    first_body = next((i for i, b in enumerate(blocks) if b.kind == "heading"
                       and _heading_kind(b.text) is None and not re.match(r"^\W*synth", fold(b.text))), len(blocks))
    regions: list[ListRegion] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        kind = _heading_kind(block.text) if block.kind in ("heading", "para") else None
        if kind is None or (block.kind == "para" and len(block.text) > 90):
            i += 1
            continue
        region = ListRegion(i, i + 1, i + 1, kind, front=i < first_body)
        group: str | None = None
        group_code: StatusCode | None = None
        j = i + 1
        while j < len(blocks):
            b = blocks[j]
            text = b.text
            if b.kind in ("heading", "table", "toc") or not text:
                break
            code, is_group = _group_status(text)
            bracket = _BRACKET.fullmatch(text.strip()) if text.strip().startswith("[") else None
            if bracket and region.items:
                last = region.items[-1]
                last.status, last.status_text = status_of(bracket.group("status")), bracket.group("status").strip()
                j += 1
                continue
            if is_group and not _LABEL.match(text):
                group, group_code = text.rstrip(" :"), code
                j += 1
                continue
            item = _item(b, region.kind, group, group_code)
            if item is None and region.findings and _subtitle(text):
                item = ListItem("note", None, plain_html(b.html))
            if item is None:
                if not region.items and j - i <= 2 and len(text) < 400:  # an introductory sentence
                    region.start = j + 1
                    j += 1
                    continue
                break
            region.items.append(item)
            j += 1
        while region.items and region.items[-1].kind == "note":
            region.items.pop()
            j -= 1
        region.end = j
        if region.findings:
            regions.append(region)
            i = j
        else:
            i += 1
    return regions


def _item(block: Block, default_kind: Literal["recommandation", "rappel_au_droit"], group: str | None,
          group_code: StatusCode | None) -> ListItem | None:
    text = block.text
    label = _LABEL.match(text)
    marker = _MARKER.match(text)
    if label is None and block.kind != "item" and marker is None and len(text) > 700:
        return None
    if label is None and block.kind == "para" and marker is None and not _imperative(text):
        return None
    html = plain_html(block.html)
    kind, number, printed = default_kind, None, None
    html_label = _LABEL.match(html)
    html_marker = _MARKER.match(html)
    if label and html_label:
        kind = _label_kind(label.group("kind"))
        number = label.group("num") or label.group("bare") or None
        printed = label.group("label").strip()
        html = html[html_label.end():]
    elif marker and html_marker:
        number = marker.group("num")
        html = html[html_marker.end():]
    status, status_text = group_code, group
    bracket = _BRACKET.search(inline_text(html))
    if bracket and status_of(bracket.group("status")):
        status, status_text = status_of(bracket.group("status")), bracket.group("status").strip()
        html = _strip_suffix(html, bracket.group(0))
    return ListItem(kind, number, html, printed, status, status_text, group)


def _subtitle(text: str) -> bool:
    """A short capitalised line inside a list ("LE FONCTIONNEMENT GÉNÉRAL"): a sub-title row."""
    letters = [c for c in text if c.isalpha()]
    return 0 < len(text) < 90 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


_INFINITIVE = re.compile(r"^\W*(?:[a-zéèêàâîôûç]+(?:er|ir|re|oir)|s['’]\w+|se\s+\w+)\b", re.I)


def _imperative(text: str) -> bool:
    """A list item of the "bare infinitive" kind ("procéder au provisionnement…")."""
    return bool(_INFINITIVE.match(text)) and len(text) < 900


def restated_elsewhere(parsed: ParsedHtml, region: ListRegion) -> bool:
    """Is every item of ``region`` stated again, word for word, in another block of the report?"""
    others = [fold(b.text, words_only=True) for k, b in enumerate(parsed.blocks)
              if not (region.heading_index <= k < region.end) and b.kind in ("para", "item")]
    for item in region.findings:
        wanted = fold(item.text, words_only=True)
        if len(wanted) < 20 or not any(wanted in o for o in others):
            return False
    return True


def unbracket(text: str) -> str:
    """"[Recommandation partiellement mise en œuvre]" → "Recommandation partiellement mise en œuvre"."""
    return text.strip().lstrip("[").rstrip("]").strip()


# --------------------------------------------------------------------------- the element stream
RecapLayout = Literal["keep", "table", "mixed", "lines"]


@dataclass
class Element:
    """One thing a producer lays out, in reading order."""

    kind: Literal["heading", "para", "item", "table", "toc", "recap", "status_line"]
    html: str = ""
    level: int = 0
    role: str = "p"  # paragraph role (html_model.block_role): p, small, box, synthese
    rows: list[list[str]] = field(default_factory=list)  # data table
    regions: list[ListRegion] = field(default_factory=list)  # recap: one, or several mixed
    title: str = ""  # recap: the list's own heading(s)


def plan_report(parsed: ParsedHtml, recap: RecapLayout = "keep", drop_restated_summary: bool = False,
                role=None) -> list[Element]:
    """The report's blocks as elements, lists re-laid as ``recap`` says.

    ``recap``: ``keep`` (as in the source), ``table`` (one bordered table per list, status
    columns when the report states statuses), ``mixed`` (adjacent lists of rappels and of
    recommandations in one table grouped by status), ``lines`` (one paragraph per item, its
    status on a line of its own without brackets). ``drop_restated_summary``: a summary list
    whose every item is stated again word for word in the body is left out (as in reports
    without a summary list). ``role``: the paragraph role function (``html_model.block_role``).
    """
    blocks = parsed.blocks
    regions = find_list_regions(parsed) if recap != "keep" or drop_restated_summary else []
    by_heading = {r.heading_index: r for r in regions}
    out: list[Element] = []
    i = 0
    while i < len(blocks):
        region = by_heading.get(i)
        if region is None:
            out.append(_element(blocks[i], role))
            i += 1
            continue
        if drop_restated_summary and region.front and restated_elsewhere(parsed, region):
            i = region.end
            continue
        group = [region]
        if recap == "mixed":
            nxt = by_heading.get(region.end)
            if nxt is not None and nxt.kind != region.kind:
                group.append(nxt)
        heading = blocks[i]
        out.append(_element(heading, role))
        out += [_element(b, role) for b in blocks[region.heading_index + 1:region.start]]
        if len(group) == 2:
            # the second list's heading becomes part of the one table's title
            out.append(Element("recap", regions=group, title=f"{heading.text} – {blocks[group[1].heading_index].text}"))
            i = group[1].end
            continue
        if recap == "lines" or recap == "keep":
            out += _item_lines(region)
        else:
            out.append(Element("recap", regions=group, title=heading.text))
        i = region.end
    return out


def _item_lines(region: ListRegion) -> list[Element]:
    """A list as paragraphs: group titles kept (once, before their first item), each item with its
    label or number, its status tag as a line of its own without brackets."""
    out: list[Element] = []
    seen: set[str] = set()
    for item in region.items:
        if item.group and item.group not in seen:
            seen.add(item.group)
            out.append(Element("para", html_lib.escape(item.group) + " :"))
        if item.kind == "note":
            out.append(Element("para", item.html))
            continue
        prefix = f"{html_lib.escape(item.label)} : " if item.label else (f"{item.number}. " if item.number else "")
        out.append(Element("item", prefix + item.html))
        if item.status_text and item.status_text != item.group:
            out.append(Element("status_line", html_lib.escape(unbracket(item.status_text))))
    return out


def _element(block: Block, role) -> Element:
    if block.kind == "heading":
        return Element("heading", block.html, level=block.level)
    if block.kind == "table":
        return Element("table", rows=block.rows)
    if block.kind == "toc":
        return Element("toc", block.html, level=block.level)
    if block.kind == "item":
        return Element("item", block.html)
    text = block.text.strip()
    if text.startswith("[") and text.endswith("]") and status_of(text):
        return Element("status_line", html_lib.escape(unbracket(text)))
    return Element("para", block.html, role=role(block) if role else "p")


def status_words(item: ListItem) -> str:
    """The status of an item as a recapitulation's one status column states it, in words (HTML)."""
    if item.status_text and item.status_text != item.group:
        return html_lib.escape(unbracket(item.status_text))
    label = dict(STATUS_COLUMNS).get(item.status or "", "")
    return html_lib.escape(label) if label else ("Sans objet" if item.status == "sans_objet" else "")


def recap_rows(regions: list[ListRegion], *, status_in_words: bool = False
               ) -> tuple[list[str], list[list[str] | str]]:
    """Header and rows of a recapitulation table: a row is [nature?, n°, text, status ticks…] or a
    group title (str) spanning the table. Statuses get columns only when the report states them
    (one column in words instead of tick columns with ``status_in_words``); several lists are
    grouped by status, in the report's order inside a group."""
    mixed = len(regions) > 1
    with_status = any(r.has_status for r in regions)
    header = (["Nature"] if mixed else []) + ["N°", "Intitulé" if mixed else
                                            ("Rappel au droit" if regions[0].kind == "rappel_au_droit"
                                             else "Recommandation")]
    if with_status:
        header += ["Degré de mise en œuvre"] if status_in_words else [label for _, label in STATUS_COLUMNS]
    items = [item for r in regions for item in r.items]

    def row(item: ListItem) -> list[str] | str:
        if item.kind == "note":
            return item.html
        nature = ["Rappel au droit" if item.kind == "rappel_au_droit" else "Recommandation"] if mixed else []
        cells = nature + [item.number or "", item.html]
        if with_status:
            cells += [status_words(item)] if status_in_words else \
                ["X" if item.status == code else "" for code, _ in STATUS_COLUMNS]
        return cells

    if not mixed:
        out: list[list[str] | str] = []
        seen: set[str] = set()
        for item in items:
            if item.group and item.group not in seen:
                seen.add(item.group)
                out.append(html_lib.escape(item.group))
            out.append(row(item))
        return header, out
    grouped: list[list[str] | str] = []
    order: list[str | None] = ["totalement_mise_en_oeuvre", "en_cours", "non_mise_en_oeuvre", "sans_objet", None]
    for code in order:
        members = [it for it in items if it.kind != "note" and it.status == code]
        if not members:
            continue
        if with_status:
            grouped.append(html_lib.escape(STATUS_GROUP_TITLES[code]))
        grouped += [row(it) for it in members]
    return header, grouped
