"""Sources of publications behind one interface: ``discover`` → ``Publication``s, ``fetch`` → files.

- ``CcomptesSource``: the ccomptes.fr site (or its local replica), read from its pages;
- ``FolderSource``: a local folder of PDFs;
- a future official publications API would be a third implementation of ``Source``.

A source reports, besides what it yields, the publications that are gone (404/410) and the
pages it could not read, so that the crawl records them; ``complete`` tells whether the
last ``discover`` listed everything (only then may absent publications be withdrawn).
"""

from __future__ import annotations

import shutil
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from constats.domain import FileRef, Publication
from crawler import selectors as S
from crawler.ccomptes import ResultItem, parse_facets, parse_publication, parse_results
from crawler.errors import DiscoveryError, FetchError
from crawler.fetcher import Download, Fetcher, Page
from crawler.rawstore import RawStore, file_sha256


@dataclass
class KnownPage:
    """What the crawl state knows of a publication page (for a conditional GET)."""

    etag: str | None
    last_modified: str | None
    publication: Publication


class Source(ABC):
    name: str = "source"

    def __init__(self) -> None:
        self.known: dict[str, KnownPage] = {}
        self.validators: dict[str, tuple[str | None, str | None]] = {}
        self.gone: list[str] = []
        self.errors: list[tuple[str, str, str]] = []  # (url, code, message)
        self.complete = False

    @abstractmethod
    def discover(self, since: date | None = None, chamber: str | None = None,
                 limit: int | None = None) -> Iterator[Publication]:
        ...

    @abstractmethod
    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None, *,
              store: RawStore) -> Download:
        ...

    def close(self) -> None:  # noqa: B027 - a hook: sources without resources keep it empty
        pass


class CcomptesSource(Source):
    name = "ccomptes"

    def __init__(self, base_url: str, fetcher: Fetcher):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.fetcher = fetcher

    def close(self) -> None:
        self.fetcher.close()

    def fetch(self, url, etag=None, last_modified=None, *, store: RawStore) -> Download:
        return self.fetcher.download(url, store, etag, last_modified)

    # ------------------------------------------------------------------ discovery
    def listing(self, chamber: str | None = None) -> Page:
        """First page of the ROD listing (of one chamber), found through the facets."""
        type_url, problems = None, []
        for path in S.ENTRY_PATHS:
            url = self.base_url + path
            page = self.fetcher.get_cached_page(url)
            facets = parse_facets(page.text or "", page.url)
            type_url = facets.rod_type_url()
            if type_url:
                break
            problems.append(f"{url}: {len(facets.types)} type facet links (`{S.FACET_TYPE}`), "
                            f"none labelled like {S.ROD_TYPE_LABEL.pattern!r}")
        if not type_url:
            raise DiscoveryError("no listing of the reports found: " + "; ".join(problems))
        page = self.fetcher.get_cached_page(type_url)
        if not chamber:
            return page
        facets = parse_facets(page.text or "", page.url)
        facet_url = facets.jurisdiction_url(chamber)
        if not facet_url:
            raise DiscoveryError(f"no jurisdiction facet matches {chamber!r} "
                                 f"(`{S.FACET_JURISDICTION}`): {sorted(facets.jurisdictions)}")
        return self.fetcher.get_cached_page(facet_url)

    def discover(self, since=None, chamber=None, limit=None) -> Iterator[Publication]:
        self.complete = False
        page: Page | None = self.listing(chamber)
        n, visited = 0, set[str]()
        while page is not None:
            first = not visited
            visited.add(page.url)
            results = parse_results(page.text or "", page.url)
            if not results.items and first:
                raise DiscoveryError(f"no results (`{S.RESULTS}`) on the first listing page {page.url}")
            older = 0
            for item in results.items:
                if since and item.published_on and item.published_on < since:
                    older += 1
                    continue
                pub = self._publication(item)
                if pub is not None:
                    yield pub
                    n += 1
                    if limit and n >= limit:
                        return
            if since and results.items and older == len(results.items):
                return  # listings are sorted newest first: the rest is older still
            nxt = results.next_url
            if not nxt or nxt in visited:
                break
            try:
                page = self.fetcher.get_cached_page(nxt)
            except FetchError as exc:
                self.errors.append((nxt, exc.code, exc.message))
                return  # incomplete listing: nothing may be withdrawn
        self.complete = since is None and chamber is None and limit is None

    def _publication(self, item: ResultItem) -> Publication | None:
        known = self.known.get(item.url)
        try:
            page = self.fetcher.get_page(item.url, known.etag if known else None,
                                         known.last_modified if known else None)
        except FetchError as exc:
            if exc.code in ("http_404", "http_410"):
                self.gone.append(item.url)
            else:
                self.errors.append((item.url, exc.code, exc.message))
            return None
        self.validators[item.url] = (page.etag, page.last_modified)
        if page.not_modified and known is not None:
            return known.publication
        return parse_publication(page.text or "", item.url, hint=item)


class FolderSource(Source):
    """A local folder of PDFs: one publication per file (``file://`` URLs)."""

    name = "folder"

    def __init__(self, path: Path | str):
        super().__init__()
        self.path = Path(path)

    def discover(self, since=None, chamber=None, limit=None) -> Iterator[Publication]:
        self.complete = False
        if not self.path.is_dir():
            raise DiscoveryError(f"not a folder: {self.path}")
        n = 0
        for file in sorted(self.path.rglob("*.pdf")):
            modified = datetime.fromtimestamp(file.stat().st_mtime, UTC).date()
            if since and modified < since:
                continue
            url = file.absolute().as_uri()
            yield Publication(source=self.name, url=url, slug=file.stem, title=file.stem,
                              published_on=modified, files=[FileRef(url=url, title=file.name)])
            n += 1
            if limit and n >= limit:
                return
        self.complete = since is None and limit is None

    def fetch(self, url, etag=None, last_modified=None, *, store: RawStore) -> Download:
        path = Path(unquote(urlsplit(url).path))
        try:
            st = path.stat()
        except OSError as exc:
            raise FetchError("http_404", f"{path}: {exc}", status=404) from exc
        stamp = f'"{st.st_mtime_ns}-{st.st_size}"'
        if etag == stamp:
            return Download(url, 304, etag=etag)
        with open(path, "rb") as fh:
            if b"%PDF-" not in fh.read(1024):
                raise FetchError("not_pdf", f"no %PDF header: {path}")
        tmp = store.new_tmp()
        shutil.copyfile(path, tmp)
        sha = store.put_file(tmp, file_sha256(tmp))
        return Download(url, 200, sha, st.st_size, "application/pdf", stamp)
