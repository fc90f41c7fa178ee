"""``constats crawl ccomptes --check``: what each strategy and each hint finds on the live site.

Fetches a handful of pages (the first pages of the result list, the search, a few
publication pages and their document pages) and says, for each **strategy** (URL patterns,
``page=`` walk, chamber paths, document links), what it found, and for each CSS **hint** of
``crawler.selectors``, which of its selectors served: the documented one (OK), a fallback
(WARN: the markup drifted, the crawl still works) or none. A strategy that finds nothing
fails the check: the crawl would collect nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from crawler import selectors as S
from crawler.ccomptes import NONE, Hints, parse_chambers, parse_results, read_publication
from crawler.documents import document_file
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


def describe_hint(name: str, selectors: list[str], used: Counter[str]) -> Check:
    """One hint: how often its documented selector served, and what stood in for it."""
    total = sum(used.values())
    documented = selectors[0]
    first = used.get(documented, 0)
    if total == 0:
        return Check(f"hint {name}", False, "not looked for (no page of this kind read)", warning=True)
    parts = [f"`{documented}` {first}/{total}"]
    others = [(sel, n) for sel, n in used.most_common() if sel not in (documented, NONE)]
    parts += [f"fallback `{sel}` {n}/{total}" for sel, n in others]
    if used.get(NONE):
        parts.append(f"nothing {used[NONE]}/{total}")
    ok = first == total
    return Check(f"hint {name}", ok, ("" if ok else "drifted: ") + ", ".join(parts), warning=True)


def check_site(fetcher: Fetcher, base_url: str, *, samples: int = 3, list_pages: int = 2,
               search_term: str = "commune") -> list[Check]:
    base_url = base_url.rstrip("/")
    out: list[Check] = []

    def add(name: str, ok: bool, detail: str, warning: bool = False) -> bool:
        out.append(Check(name, ok, detail, warning))
        return ok

    def get(url: str):
        try:
            return fetcher.get_cached_page(url)
        except FetchError as exc:
            add(f"fetch {url}", False, f"{exc.code}: {exc.message}")
            return None

    # 1. the result list, walked by page= from FIRST_PAGE
    listing_hints, items, seen = Hints(), [], set[str]()
    walk = []
    for number in range(S.FIRST_PAGE, S.FIRST_PAGE + list_pages):
        params = {**S.LISTING_PARAMS, S.PAGE_PARAM: str(number)}
        url = f"{base_url}{S.ENTRY_PATH}?{urlencode(params)}"
        page = get(url)
        if page is None:
            break
        results = parse_results(page.text or "", page.url)
        listing_hints.merge(results.hints)
        new = [i for i in results.items if i.url not in seen]
        seen.update(i.url for i in new)
        items += new
        walk.append(f"{S.PAGE_PARAM}={number}: {len(new)} new")
        if not new:
            break
    add("strategy publication links", bool(items),
        f"{len(items)} publications linked as `{S.PUBLICATION_HREF.pattern}` on the result list "
        f"({'; '.join(walk) or 'no page read'})")
    if items:
        paged = len(walk) > 1 and not walk[-1].endswith(": 0 new")
        add("strategy paging", True, f"`{S.PAGE_PARAM}=` from {S.FIRST_PAGE}: " + "; ".join(walk)
            + ("" if paged else " (one page of results only)"))
        dated = sum(1 for i in items if i.published_on)
        add("strategy result dates", dated > 0, f"{dated}/{len(items)} results with a readable "
            f"`time[datetime]` (needed by --since)", warning=True)
    for name, selectors in S.LISTING_HINTS.items():
        out.append(describe_hint(name, selectors, listing_hints.used.get(name, Counter())))

    # 2. chambers and the search
    page = get(base_url + S.ENTRY_PATH)
    if page is not None:
        chambers = parse_chambers(page.text or "", page.url)
        add("strategy chambers", bool(chambers),
            f"{len(chambers)} chamber paths `{S.CHAMBER_HREF.pattern}` linked by {page.url}"
            + (f", e.g. {sorted(chambers)[:3]}" if chambers else
               f"; the known list ({len(S.KNOWN_CHAMBERS)}) stands in for --chamber"), warning=True)
    page = get(f"{base_url}{S.SEARCH_PATH}?{urlencode({S.SEARCH_PARAM: search_term})}")
    if page is not None:
        n = len(parse_results(page.text or "", page.url).items)
        add("strategy search", n > 0, f"{n} publications for {search_term!r} on {page.url}", warning=True)

    # 3. a few publication pages and their documents
    pub_hints = Hints()
    forms: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    dates = counts = read = 0
    for item in items[:samples]:
        page = get(item.url)
        if page is None:
            continue
        read += 1
        parsed = read_publication(page.text or "", item.url)
        pub_hints.merge(parsed.hints)
        pub = parsed.publication
        dates += pub.published_on is not None
        counts += pub.announced_rappels is not None or pub.announced_recommendations is not None
        resolved = 0
        for doc in parsed.documents:
            forms[doc.form] += 1
            if doc.form == "document":
                target = _resolve(fetcher, doc.url)
                if target:
                    resolved += 1
                    doc = doc.resolved(target)
                forms["document resolved"] += bool(target)
            roles[f"{doc.role or 'undecided (report)'} by {doc.basis or 'default'}"] += 1
        add("strategy documents", bool(parsed.documents),
            f"{len(parsed.documents)} document links on {item.url}"
            + (f" ({resolved} document pages led to their file)" if resolved else ""))
    if read:
        add("strategy link forms", True, ", ".join(f"{k}: {v}" for k, v in sorted(forms.items())) or "none")
        add("strategy roles", True, ", ".join(f"{k}: {v}" for k, v in sorted(roles.items())) or "none")
        add("strategy publication dates", dates == read, f"{dates}/{read} publication pages dated", warning=True)
        add("strategy announced counts", counts > 0, f"{counts}/{read} summaries announce rappels or "
            f"recommandations", warning=True)
    elif items:
        add("publication pages", False, "no publication page could be read")
    for name, selectors in S.PUBLICATION_HINTS.items():
        out.append(describe_hint(name, selectors, pub_hints.used.get(name, Counter())))

    drifted = [c.name.removeprefix("hint ") for c in out if c.name.startswith("hint ") and not c.ok]
    add("drift", not drifted, ("hints no longer served by their documented selector: " + ", ".join(drifted))
        if drifted else "every hint served by its documented selector", warning=True)
    return out


def _resolve(fetcher: Fetcher, url: str) -> str | None:
    try:
        page = fetcher.get_cached_page(url, file_url=lambda u: bool(S.PDF_HREF.match(urlsplit(u).path)))
    except FetchError:
        return None
    if page.is_pdf:
        return page.url
    target = document_file(page.text or "", page.url)
    return target if target and urlsplit(target).path else None
