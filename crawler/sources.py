"""Sources of publications behind one interface: ``discover`` → ``Publication``s, ``fetch`` → files.

- ``CcomptesSource``: the ccomptes.fr site (or its local replica), read from its pages;
- ``FolderSource``: a local folder of PDFs;
- a future official publications API would be a third implementation of ``Source``.

A source reports, besides what it yields, the publications that are gone (404/410) and the
pages it could not read, so that the crawl records them; ``complete`` tells whether the
last ``discover`` listed everything (only then may absent publications be withdrawn).
"""

from __future__ import annotations

import logging
import shutil
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

from constats.domain import FileRef, Publication
from crawler import selectors as S
from crawler.ccomptes import ResultItem, match_chamber, parse_chambers, parse_results, read_publication
from crawler.documents import DocumentLink, document_file, files_of
from crawler.errors import DiscoveryError, FetchError
from crawler.fetcher import Download, Fetcher
from crawler.rawstore import RawStore, file_sha256

log = logging.getLogger(__name__)


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
    """ccomptes.fr read as it is: the result list walked by ``page=`` from 0 until a page
    brings no new publication, each publication page read for its documents (document pages
    ``/fr/documents/N`` followed to their file). See ``crawler.selectors``."""

    name = "ccomptes"

    def __init__(self, base_url: str, fetcher: Fetcher):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.fetcher = fetcher

    def close(self) -> None:
        self.fetcher.close()

    def fetch(self, url, etag=None, last_modified=None, *, store: RawStore) -> Download:
        if S.DOCUMENT_PAGE_HREF.match(urlsplit(url).path):  # not resolved at discovery: try again
            url = self.document_file(url)
        return self.fetcher.download(url, store, etag, last_modified)

    # ------------------------------------------------------------------ addresses
    def listing_url(self, page: int, chamber_path: str | None = None, search: str | None = None) -> str:
        params = dict(S.LISTING_PARAMS)
        if search:
            params[S.SEARCH_PARAM] = search
        if chamber_path:
            params[S.CHAMBER_PARAM] = chamber_path
        params[S.PAGE_PARAM] = str(page)
        return f"{self.base_url}{S.ENTRY_PATH}?{urlencode(params, safe='/')}"

    def chambers(self) -> tuple[dict[str, str], bool]:
        """Chamber path -> label, from the site's own links when it has some (True), else
        the known list (False)."""
        page = self.fetcher.get_cached_page(self.base_url + S.ENTRY_PATH)
        found = parse_chambers(page.text or "", page.url)
        return (found, True) if found else (dict(S.KNOWN_CHAMBERS), False)

    def chamber_path(self, chamber: str) -> str:
        found, from_site = self.chambers()
        path = match_chamber(found, chamber)
        if path is None and from_site:
            path = match_chamber(S.KNOWN_CHAMBERS, chamber)
        if path is None:
            raise DiscoveryError(f"no chamber matches {chamber!r} among the site's "
                                 f"{'links' if from_site else 'known chambers'}: {sorted(found.values())}")
        return path

    def document_file(self, url: str) -> str:
        """The file a document page leads to (a link on it, or a redirect to the file)."""
        page = self.fetcher.get_cached_page(url, file_url=lambda u: bool(S.PDF_HREF.match(urlsplit(u).path)))
        if page.is_pdf:
            return page.url
        target = document_file(page.text or "", page.url)
        if target is None:
            raise FetchError("no_document_file", f"no link to a PDF on the document page {url}")
        return target

    # ------------------------------------------------------------------ discovery
    def discover(self, since=None, chamber=None, limit=None) -> Iterator[Publication]:
        self.complete = False
        chamber_path = self.chamber_path(chamber) if chamber else None
        seen: set[str] = set()
        n = 0
        for number in range(S.FIRST_PAGE, S.FIRST_PAGE + S.MAX_LISTING_PAGES):
            url = self.listing_url(number, chamber_path)
            try:
                page = self.fetcher.get_cached_page(url)
            except FetchError as exc:
                if number == S.FIRST_PAGE:
                    raise
                self.errors.append((url, exc.code, exc.message))
                return  # incomplete listing: nothing may be withdrawn
            results = parse_results(page.text or "", page.url)
            new = [i for i in results.items if i.url not in seen]
            if not new:
                if number == S.FIRST_PAGE:
                    raise DiscoveryError(f"no publication linked (`{S.PUBLICATION_HREF.pattern}`) on the "
                                         f"first page of the list {url}")
                break  # the end of the list: a page with nothing new
            older = 0
            for item in new:
                seen.add(item.url)
                if since and item.published_on and item.published_on < since:
                    older += 1
                    continue
                pub = self._publication(item)
                if pub is not None:
                    yield pub
                    n += 1
                    if limit and n >= limit:
                        return
            if since and older == len(new):
                return  # lists are sorted newest first: the rest is older still
        else:
            self.errors.append((url, "listing_cap", f"more than {S.MAX_LISTING_PAGES} pages of results"))
            return
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
        read = read_publication(page.text or "", item.url, hint=item)
        documents = []
        for doc in read.documents:
            if doc.form == "document":
                try:
                    doc = doc.resolved(self.document_file(doc.url))
                except FetchError as exc:  # kept as it is: its download tries again and records why
                    log.warning("document page %s: %s", doc.url, exc)
            documents.append(doc)
        unique: dict[str, DocumentLink] = {}
        for doc in documents:  # a file linked directly and through its document page: once
            unique.setdefault(doc.url, doc)
        return read.publication.model_copy(update={"files": files_of(list(unique.values()))})


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
