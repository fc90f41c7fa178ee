"""Parsers of the pages of ccomptes.fr: pure functions ``(html, url) -> data``.

The selectors live in ``crawler.selectors``; nothing here fetches anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from constats.domain import FileRef, Publication
from constats.text import fold
from crawler import selectors as S

SOURCE = "ccomptes"


@dataclass
class ResultItem:
    url: str
    title: str | None
    chamber: str | None
    description: str | None
    published_on: date | None


@dataclass
class ResultsPage:
    items: list[ResultItem]
    next_url: str | None
    problems: list[str] = field(default_factory=list)  # selectors that matched nothing


@dataclass
class Facets:
    jurisdictions: dict[str, str]  # label -> absolute URL
    types: dict[str, str]

    def rod_type_url(self) -> str | None:
        for label, url in self.types.items():
            if S.ROD_TYPE_LABEL.search(label):
                return url
        return None

    def jurisdiction_url(self, chamber: str) -> str | None:
        """The facet link of a chamber, matched loosely ("bretagne" finds "CRC Bretagne")."""
        wanted = fold(chamber)
        exact = [u for lab, u in self.jurisdictions.items() if fold(lab) == wanted]
        if exact:
            return exact[0]
        loose = [u for lab, u in self.jurisdictions.items() if wanted in fold(lab)]
        return loose[0] if len(loose) == 1 else None


# --------------------------------------------------------------------------- helpers
def clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    return None


def _first(node: Node | HTMLParser, selectors: str | list[str]) -> Node | None:
    for sel in [selectors] if isinstance(selectors, str) else selectors:
        found = node.css_first(sel)
        if found is not None:
            return found
    return None


def _text(node: Node | None) -> str | None:
    return clean(node.text(separator=" ")) if node is not None else None


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
            return _number(m["rappels"]), _number(m["recos"])
    return None, None


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    return int(word) if word.isdigit() else S.NUMBER_WORDS.get(word.lower())


# --------------------------------------------------------------------------- pages
def parse_facets(html: str, page_url: str) -> Facets:
    tree = HTMLParser(html)

    def links(sel: str) -> dict[str, str]:
        out = {}
        for a in tree.css(sel):
            label = _text(a.css_first(S.FACET_LABEL)) or _text(a)
            href = a.attributes.get("href")
            if label and href:
                out[label] = urljoin(page_url, href)
        return out

    return Facets(links(S.FACET_JURISDICTION), links(S.FACET_TYPE))


def parse_results(html: str, page_url: str) -> ResultsPage:
    """A page of search or listing results, with the URL of the next page."""
    tree = HTMLParser(html)
    items, problems = [], []
    nodes = tree.css(S.RESULTS)
    for name, sel in S.LISTING_SELECTORS.items():
        missing = sum(1 for n in nodes if n.css_first(sel) is None)
        if nodes and missing:
            problems.append(f"{name} `{sel}` missing in {missing} of {len(nodes)} results")
    for node in nodes:
        link = node.css_first(S.RESULT_LINK)
        href = link.attributes.get("href") if link is not None else None
        if not href:
            continue
        when = node.css_first(S.RESULT_DATE)
        items.append(ResultItem(
            url=urljoin(page_url, href),
            title=_text(node.css_first(S.RESULT_TITLE)),
            chamber=_text(node.css_first(S.RESULT_CHAMBER)),
            description=_text(node.css_first(S.RESULT_DESCRIPTION)),
            published_on=parse_date(when.attributes.get("datetime") if when is not None else None),
        ))
    nxt = _first(tree, S.PAGER_NEXT)
    next_href = nxt.attributes.get("href") if nxt is not None else None
    return ResultsPage(items, urljoin(page_url, next_href) if next_href else None, problems)


def slug_of(url: str) -> str | None:
    m = S.PUBLICATION_HREF.search(urlsplit(url).path)
    return m["slug"] if m else None


def parse_publication(html: str, url: str, hint: ResultItem | None = None) -> Publication:
    """A publication page: title, chamber, date, summary and its PDFs (report, responses)."""
    tree = HTMLParser(html)
    title = _text(_first(tree, S.PUB_TITLE)) or (hint.title if hint else None)
    chamber = _text(_first(tree, S.PUB_CHAMBER)) or (hint.chamber if hint else None)
    when = _first(tree, S.PUB_DATE)
    published = parse_date(when.attributes.get("datetime") if when is not None else None)
    summary = _text(_first(tree, S.PUB_SUMMARY)) or (hint.description if hint else None)
    files, seen = [], set()
    for a in tree.css(S.PUB_LINKS):
        href = urljoin(url, a.attributes.get("href") or "")
        if not S.PDF_HREF.search(urlsplit(href).path) or href in seen:
            continue
        seen.add(href)
        label = _text(a)
        role = "response" if label and S.RESPONSE_TEXT.search(label) else "report"
        files.append(FileRef(url=href, role=role, title=label))
    if files and all(f.role == "response" for f in files):
        files[0].role = "report"  # a page always carries its report first
    return Publication(source=SOURCE, url=url, slug=slug_of(url), title=title, chamber=chamber,
                       published_on=published or (hint.published_on if hint else None),
                       summary=summary, files=files)
