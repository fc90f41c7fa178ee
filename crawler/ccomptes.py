"""Parsers of the pages of ccomptes.fr: pure functions ``(html, url) -> data``.

A publication is recognised by its URL (``crawler.selectors.PUBLICATION_HREF``) wherever
it is linked; CSS classes only tell where to look first and which field is which, each
with fallbacks, and every parse says which selector of each hint served (``Hints``) so
that ``--check`` can name what drifted. The documents of a publication (link forms, roles)
are read by ``crawler.documents``. Nothing here fetches anything.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from constats.domain import Publication
from constats.text import fold
from crawler import selectors as S
from crawler.documents import DocumentLink, classify_role, file_name, files_of, link_form

SOURCE = "ccomptes"
NONE = "(nothing)"  # what a hint found when none of its selectors matched


class Hints:
    """For each hint, how often each of its selectors served (``NONE``: none did)."""

    def __init__(self) -> None:
        self.used: dict[str, Counter[str]] = {}

    def note(self, hint: str, how: str | None) -> None:
        self.used.setdefault(hint, Counter())[how or NONE] += 1

    def merge(self, other: Hints) -> Hints:
        for hint, counts in other.used.items():
            self.used.setdefault(hint, Counter()).update(counts)
        return self


@dataclass
class ResultItem:
    url: str
    title: str | None
    chamber: str | None
    description: str | None
    published_on: date | None
    n_documents: int | None = None


@dataclass
class ResultsPage:
    items: list[ResultItem]
    hints: Hints = field(default_factory=Hints)
    pager_pages: list[int] = field(default_factory=list)  # page numbers the pager links to


@dataclass
class PublicationPage:
    publication: Publication
    documents: list[DocumentLink]
    hints: Hints


# --------------------------------------------------------------------------- helpers
def clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


FRENCH_MONTHS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
                 "octobre", "novembre", "decembre"]


def parse_date(value: str | None) -> date | None:
    """ISO (``2024-03-12``, with or without a time), ``12/03/2024`` or ``12 mars 2024``."""
    if not value:
        return None
    value = value.strip()
    for pattern, order in ((r"(\d{4})-(\d{2})-(\d{2})", (1, 2, 3)), (r"(\d{1,2})/(\d{1,2})/(\d{4})", (3, 2, 1))):
        m = re.match(pattern, value)
        if m:
            try:
                return date(int(m[order[0]]), int(m[order[1]]), int(m[order[2]]))
            except ValueError:
                return None
    m = re.search(r"(\d{1,2})(?:er)?\s+([a-z]+)\s+(\d{4})", fold(value))
    if m and m[2] in FRENCH_MONTHS:
        try:
            return date(int(m[3]), FRENCH_MONTHS.index(m[2]) + 1, int(m[1]))
        except ValueError:
            return None
    return None


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.tag == "meta":
        return clean(node.attributes.get("content"))
    return clean(node.text(separator=" "))


def _hinted(root: Node | HTMLParser, hints: Hints, name: str, selectors: list[str],
            accept=lambda node: True) -> Node | None:
    """The first node matched by the hint's selectors, in order; notes which one served."""
    for sel in selectors:
        for node in root.css(sel):
            if accept(node):
                hints.note(name, sel)
                return node
    hints.note(name, None)
    return None


def _path(url: str) -> str:
    return urlsplit(url).path


def _same_site(url: str, page_url: str) -> bool:
    return urlsplit(url).netloc == urlsplit(page_url).netloc


def split_title(title: str) -> tuple[str, str | None]:
    """"Commune de Lormont (Gironde)" -> ("Commune de Lormont", "Gironde")."""
    m = S.TITLE_BODY_DEPARTEMENT.match(title.strip())
    if not m:
        return title.strip(), None
    return m["body"].strip(), m["departement"].strip()


def announced_counts(summary: str | None) -> tuple[int | None, int | None]:
    """(rappels au droit, recommandations) announced by "La chambre formule N … et M …"."""
    if not summary:
        return None, None
    for m in S.ANNOUNCED.finditer(summary):
        if m["rappels"] or m["recos"]:
            rappels, recos = _number(m["rappels"]), _number(m["recos"])
            if rappels is not None or recos is not None:
                return rappels, recos
    return None, None


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    return int(word) if word.isdigit() else S.NUMBER_WORDS.get(word.lower())


def slug_of(url: str) -> str | None:
    m = S.PUBLICATION_HREF.search(_path(url))
    return m["slug"] if m else None


# --------------------------------------------------------------------------- result lists
def parse_results(html: str, page_url: str) -> ResultsPage:
    """A page of a result list: every publication linked from its results, with what the
    item around each link says (title, chamber, summary, date)."""
    tree = HTMLParser(html)
    hints = Hints()
    H = S.LISTING_HINTS
    container = _hinted(tree, hints, "results container", H["results container"],
                        accept=lambda n: _publication_links(n, page_url) != {})
    if container is None:
        return ResultsPage([], hints)
    links = _publication_links(container, page_url)
    items = []
    for url, anchor in links.items():
        item = _item_node(anchor, container, page_url, hints)
        items.append(_result_item(url, anchor, item, hints))
    pager = sorted({n for n in (_page_number(urljoin(page_url, a.attributes.get("href") or ""))
                                for a in tree.css("a[href]")) if n is not None})
    _hinted(tree, hints, "pager", H["pager"])
    return ResultsPage(items, hints, pager)


def _publication_links(root: Node | HTMLParser, page_url: str) -> dict[str, Node]:
    """Publication URL -> its first link under ``root``, in the order of the page."""
    out: dict[str, Node] = {}
    for a in root.css("a[href]"):
        url = urljoin(page_url, a.attributes.get("href") or "").split("#")[0].rstrip("/")
        if _same_site(url, page_url) and S.PUBLICATION_HREF.match(_path(url)) and url not in out:
            out[url] = a
    return out


def _item_node(anchor: Node, container: Node, page_url: str, hints: Hints) -> Node:
    """The result around a link: the documented item, else the largest ancestor that holds
    this publication only."""
    documented, *fallbacks = S.LISTING_HINTS["result item"]
    node = anchor.parent
    best, how = anchor, None
    while node is not None and node.mem_id != container.mem_id:
        if node.css_matches(documented):
            hints.note("result item", documented)
            return node
        if node.tag in ("li", "article", "div", "section"):
            if len(_publication_links(node, page_url)) > 1:
                break
            best, how = node, next((f for f in fallbacks if node.css_matches(f)), None)
        node = node.parent
    hints.note("result item", how)
    return best


def _result_item(url: str, anchor: Node, item: Node, hints: Hints) -> ResultItem:
    H = S.LISTING_HINTS
    title_node = _hinted(item, hints, "result title", H["result title"])
    title = _text(title_node) or _text(anchor)
    description = None
    for sel in H["result description"]:
        paragraphs = [p for p in item.css(sel) if _text(p) and _text(p) != title
                      and not S.DOCUMENT_COUNT.fullmatch(_text(p) or "")]
        if paragraphs:
            hints.note("result description", sel)
            description = max((_text(p) or "" for p in paragraphs), key=len)
            break
    else:
        hints.note("result description", None)
    chamber_hint = Hints()
    chamber = _text(_hinted(item, chamber_hint, "result chamber", H["result chamber"]))
    if chamber is None:  # the item links its chamber's own page
        chamber = next((_text(a) for a in item.css("a[href]")
                        if S.CHAMBER_HREF.match(_path(a.attributes.get("href") or ""))), None)
        if chamber is not None:
            chamber_hint = Hints()
            chamber_hint.note("result chamber", "link to a chamber page")
    hints.merge(chamber_hint)
    when = _hinted(item, hints, "result date", H["result date"])
    published = parse_date(when.attributes.get("datetime") if when is not None else None)
    count = _text(_hinted(item, hints, "result documents", H["result documents"]))
    m = S.DOCUMENT_COUNT.search(count or _text(item) or "")
    return ResultItem(url=url, title=title, chamber=chamber, description=description,
                      published_on=published, n_documents=int(m[1]) if m else None)


def _page_number(url: str) -> int | None:
    m = re.search(rf"(?:^|&){S.PAGE_PARAM}=(\d+)", urlsplit(url).query)
    return int(m[1]) if m else None


# --------------------------------------------------------------------------- chambers
def parse_chambers(html: str, page_url: str) -> dict[str, str]:
    """Chamber paths the page links or offers as a filter value: path -> label."""
    tree = HTMLParser(html)
    out: dict[str, str] = {}
    for a in tree.css("a[href]"):
        url = urljoin(page_url, a.attributes.get("href") or "")
        if not _same_site(url, page_url):
            continue
        path = _path(url)
        if S.CHAMBER_HREF.match(path):
            out.setdefault(path.rstrip("/"), _text(a) or path)
        for value in re.findall(rf"[?&]{S.CHAMBER_PARAM}=([^&#]+)", "?" + urlsplit(url).query):
            value = unquote(value)
            if S.CHAMBER_HREF.match(value):
                out.setdefault(value.rstrip("/"), _text(a) or value)
    for option in tree.css("option[value]"):
        value = option.attributes.get("value") or ""
        if S.CHAMBER_HREF.match(value):
            out[value.rstrip("/")] = _text(option) or value
    return out


def match_chamber(chambers: dict[str, str], wanted: str) -> str | None:
    """The path of the chamber named ``wanted`` ("bretagne" finds /fr/crc-bretagne)."""
    key = fold(wanted).replace(" ", "-")
    exact = [p for p, label in chambers.items()
             if fold(label).replace(" ", "-") == key or p.rsplit("/", 1)[-1] in (key, f"crc-{key}", f"ctc-{key}")]
    if exact:
        return exact[0]
    loose = {p for p, label in chambers.items() if key in fold(label).replace(" ", "-") or key in p}
    return loose.pop() if len(loose) == 1 else None


# --------------------------------------------------------------------------- publications
def read_publication(html: str, url: str, hint: ResultItem | None = None) -> PublicationPage:
    """A publication page: title, chamber, date, summary, announced counts, its documents."""
    tree = HTMLParser(html)
    hints = Hints()
    H = S.PUBLICATION_HINTS
    main = tree.css_first("main") or tree.css_first("article") or tree.body
    assert main is not None  # the parser always makes a <body>, even of an empty page
    title = _text(_hinted(tree, hints, "title", H["title"], accept=lambda n: bool(_text(n))))
    chamber = next((_text(a) for a in main.css("a[href]")  # the page links its chamber's own page
                    if S.CHAMBER_HREF.match(_path(urljoin(url, a.attributes.get("href") or "")))), None)
    when = _hinted(tree, hints, "date", H["date"],
                   accept=lambda n: parse_date(n.attributes.get("datetime") or n.attributes.get("content"))
                   is not None)
    published = parse_date(when.attributes.get("datetime") or when.attributes.get("content")) if when else None
    thematic = _text(_hinted(tree, hints, "thematic", H["thematic"]))
    summary = _summary(tree, main, hints)
    rappels, recos = announced_counts(summary)
    if rappels is None and recos is None:
        rappels, recos = announced_counts(_text(main))
    documents = _documents(tree, url, hints)
    pub = Publication(source=SOURCE, url=url, slug=slug_of(url), title=title or (hint.title if hint else None),
                      chamber=chamber or (hint.chamber if hint else None),
                      published_on=published or (hint.published_on if hint else None),
                      summary=summary or (hint.description if hint else None), thematic=thematic,
                      announced_rappels=rappels, announced_recommendations=recos,
                      files=files_of(documents))
    return PublicationPage(pub, documents, hints)


def parse_publication(html: str, url: str, hint: ResultItem | None = None) -> Publication:
    return read_publication(html, url, hint).publication


def _summary(tree: HTMLParser, main: Node, hints: Hints) -> str | None:
    """The full text when the page has it, else the teaser (cut), else the longest paragraph."""
    H = S.PUBLICATION_HINTS
    full = _hinted(tree, hints, "full text", H["full text"], accept=lambda n: bool(_text(n)))
    teaser = _hinted(tree, hints, "teaser", H["teaser"][:2], accept=lambda n: bool(_text(n)))
    if full is not None:
        return _text(full)
    if teaser is not None:
        for button in teaser.css(S.SHOW_MORE):
            button.decompose()
        return _text(teaser)
    paragraphs = [t for t in (_text(p) for p in main.css("p")) if t]
    if paragraphs:
        return max(paragraphs, key=len)
    meta = next((n for sel in H["teaser"][2:] for n in tree.css(sel) if _text(n)), None)
    return _text(meta)


def _documents(tree: HTMLParser, url: str, hints: Hints) -> list[DocumentLink]:
    """Links to the publication's documents: the ``a[data-document]`` buttons first, then
    any link of the three forms (``/sites/default/files``, ``/system/files``, ``/fr/documents/N``)."""
    typed = _hinted(tree, hints, "documents", S.PUBLICATION_HINTS["documents"])
    anchors = list(tree.css(_matched_selector(hints, "documents"))) if typed is not None else []
    seen: set[str] = set()
    out = []
    for a in anchors + list(tree.css("a[href]")):
        href = urljoin(url, a.attributes.get("href") or "").split("#")[0]
        form = link_form(href)
        if form is None or href in seen or not _same_site(href, url):
            continue
        seen.add(href)
        doc_type = clean(a.attributes.get(S.DOCUMENT_TYPE_ATTR))
        text = _text(a) or clean(a.attributes.get("title"))
        name = file_name(href) if form != "document" else None
        role, basis = classify_role(doc_type, name, text)
        out.append(DocumentLink(href, form, doc_type, text, role, basis))
    return out


def _matched_selector(hints: Hints, name: str) -> str:
    used = [k for k in hints.used.get(name, {}) if k != NONE]
    return used[-1] if used else "a[data-document]"
