"""``constats crawl ccomptes --check``: do the selectors still match the live site?

Fetches a handful of pages (entry page, listing, search, a few publication pages) and
validates every selector of ``crawler.selectors``, saying precisely what no longer matches,
so that a deployment notices a change of the site the same day.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from crawler import selectors as S
from crawler.ccomptes import parse_date, parse_facets, parse_results
from crawler.errors import FetchError
from crawler.fetcher import Fetcher


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False  # a failed warning does not fail the check

    @property
    def failed(self) -> bool:
        return not self.ok and not self.warning

    def __str__(self) -> str:
        label = "OK  " if self.ok else ("WARN" if self.warning else "FAIL")
        return f"{label} {self.name}: {self.detail}"


def _sel(sel: str | list[str]) -> str:
    return ", ".join(sel) if isinstance(sel, list) else sel


def _first(tree, sels):
    for sel in [sels] if isinstance(sels, str) else sels:
        node = tree.css_first(sel)
        if node is not None:
            return node
    return None


def check_site(fetcher: Fetcher, base_url: str, *, samples: int = 3, search_term: str = "commune") -> list[Check]:
    base_url = base_url.rstrip("/")
    out: list[Check] = []

    def add(name: str, ok: bool, detail: str, warning: bool = False) -> bool:
        out.append(Check(name, ok, detail, warning))
        return ok

    def get(url: str):
        try:
            return fetcher.get_page(url)
        except FetchError as exc:
            add(f"fetch {url}", False, f"{exc.code}: {exc.message}")
            return None

    # 1. entry page and facets
    type_url = None
    for path in S.ENTRY_PATHS:
        page = get(base_url + path)
        if page is None:
            continue
        facets = parse_facets(page.text or "", page.url)
        add("type facet", bool(facets.types), f"{len(facets.types)} links `{S.FACET_TYPE}` on {page.url}")
        add("jurisdiction facet", bool(facets.jurisdictions),
            f"{len(facets.jurisdictions)} links `{S.FACET_JURISDICTION}` on {page.url}")
        type_url = facets.rod_type_url()
        add("report type", type_url is not None,
            f"type facet label matching {S.ROD_TYPE_LABEL.pattern!r}" +
            ("" if type_url else f" not among {sorted(facets.types)}"))
        if type_url:
            break

    # 2. the listing of reports
    items = []
    if type_url and (page := get(type_url)) is not None:
        results = parse_results(page.text or "", page.url)
        items = results.items
        add("results", bool(items), f"{len(items)} results `{S.RESULTS}` on {page.url}")
        for problem in results.problems:
            add("result fields", False, f"{problem} on {page.url}")
        if items and not results.problems:
            add("result fields", True, ", ".join(f"`{s}`" for s in S.LISTING_SELECTORS.values()))
        dated = sum(1 for i in items if i.published_on)
        add("result dates", not items or dated == len(items),
            f"{dated}/{len(items)} parseable `{S.RESULT_DATE}`")
        add("pager", results.next_url is not None, f"next page `{_sel(S.PAGER_NEXT)}`"
            + ("" if results.next_url else f" not found on {page.url} (fine if one page only)"),
            warning=True)
        facets = parse_facets(page.text or "", page.url)
        add("jurisdiction facet on listing", bool(facets.jurisdictions),
            f"{len(facets.jurisdictions)} links `{S.FACET_JURISDICTION}`")

    # 3. the search page
    page = get(f"{base_url}{S.SEARCH_PATH}?{urlencode({S.SEARCH_PARAM: search_term})}")
    if page is not None:
        n = len(parse_results(page.text or "", page.url).items)
        add("search results", n > 0, f"{n} results `{S.RESULTS}` for {search_term!r} on {page.url}")

    # 4. a few publication pages
    for item in items[:samples]:
        page = get(item.url)
        if page is None:
            continue
        tree = HTMLParser(page.text or "")
        add("publication URL", S.PUBLICATION_HREF.search(urlsplit(item.url).path) is not None,
            f"{item.url} vs {S.PUBLICATION_HREF.pattern!r}")
        for name, sels in (("publication title", S.PUB_TITLE), ("publication chamber", S.PUB_CHAMBER),
                           ("publication date", S.PUB_DATE), ("publication summary", S.PUB_SUMMARY)):
            node = _first(tree, sels)
            ok = node is not None and bool(node.text(strip=True) or node.attributes.get("datetime"))
            if ok and name == "publication date":
                ok = parse_date(node.attributes.get("datetime")) is not None
            add(name, ok, f"`{_sel(sels)}` {'matched' if ok else 'matched nothing usable'} on {page.url}")
        title = _first(tree, S.PUB_TITLE)
        if title is not None:
            text = title.text(strip=True)
            add("title shape", S.TITLE_BODY_DEPARTEMENT.match(text) is not None,
                f"{text!r} vs 'Body (Département)'", warning=True)
        pdfs = [a for a in tree.css(S.PUB_LINKS)
                if S.PDF_HREF.search(urlsplit(a.attributes.get("href") or "").path)]
        add("PDF links", bool(pdfs), f"{len(pdfs)} links matching {S.PDF_HREF.pattern!r} on {page.url}")
    if type_url and not items:
        add("publication pages", False, "no publication to check (no results on the listing)")
    return out
