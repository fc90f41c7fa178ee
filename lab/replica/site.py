"""A local replica of the publication site: a small real HTTP server on 127.0.0.1.

Shaped like ccomptes.fr as public scrapers describe it (``lab.replica.pages``, flavour
``site``) or as a redesign would leave it (flavour ``redesign``): ``/robots.txt``, the result
list ``/fr/publications`` paged by ``page=`` from 0 and filtered by URL parameters
(``region=/fr/crc-<slug>``, ``f[n]=institution:<id>``, ``f[n]=daterange:YYYY``,
``items_per_page``, ``search``), the search ``/fr/recherche``, chamber pages ``/fr/crc-<slug>``,
publication pages ``/fr/publications/<slug>``, PDFs in the three forms of the real site
(``/sites/default/files/YYYY-MM/NAME.pdf`` whose folder is the upload month, the older
``/system/files/YYYY-MM/NAME.pdf``, and document pages ``/fr/documents/NNNNN`` leading to
the file), file names with spaces, with ETag/Last-Modified and 304 answers. PDFs are
produced lazily by each publication's factory and cached in memory. A ``FaultPlan``
injects failures; every request is recorded (time, path, status, whether the body was sent
completely), for rate and download-count measurements. ``constats replica`` serves one
built from the corpus (``lab.replica.corpus.serve_corpus``).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler
from typing import Literal
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from constats.text import fold
from lab.replica import pages
from lab.replica.faults import FaultPlan
from lab.replica.serving import LocalServer

ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /prive/\n"
COUR = "Cour des comptes"
INSTITUTION_COUR = 98  # the id the real site gives the Cour des comptes in its facets
FIRST_DOCUMENT_ID = 70001
LinkForm = Literal["files", "system", "document"]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@lru_cache(maxsize=1024)
def chamber_path(chamber: str) -> str | None:
    """The site's path of a chamber ("CRC BRETAGNE" -> /fr/crc-bretagne); None for the Cour."""
    slug = slugify(chamber.replace("'", "").replace("’", ""))  # "Côte d'Azur" -> cote-dazur
    if slug == slugify(COUR):
        return None
    if slug == "crc-antilles-guyane":
        return "/fr/antilles-guyane"
    return f"/fr/{slug}"


@dataclass
class ReplicaPublication:
    slug: str
    title: str
    chamber: str  # as the site shows it: "CRC BRETAGNE" ("Cour des comptes": institution 98)
    date: date
    summary: str
    pdf_bytes_factory: Callable[[], bytes]
    responses: list[Callable[[], bytes]] = field(default_factory=list)
    kind: str = "rod"
    code: str | None = None  # file name of the PDF (spaces allowed); default derived from the slug
    form: LinkForm = "files"  # how the page links its files
    folder: str | None = None  # upload month of the files ("2023-10"); default the publication's month
    response_codes: list[str] | None = None  # file names of the responses
    combined: bool = False  # the report and its responses in one file
    typed: bool = True  # the links carry the document's type (data-document)
    labels: list[str] | None = None  # link texts (report first, then responses)
    thematic: str = "Finances et comptes publics"

    @property
    def chamber_path(self) -> str | None:
        return chamber_path(self.chamber)

    @property
    def root(self) -> str:
        return "/system/files" if self.form == "system" else "/sites/default/files"

    @property
    def pdf_path(self) -> str:
        code = self.code or self.slug.upper()
        return f"{self.root}/{self.folder or f'{self.date:%Y-%m}'}/{code}.pdf"

    def response_path(self, i: int) -> str:
        if self.response_codes and i < len(self.response_codes):
            return self.pdf_path.rsplit("/", 1)[0] + f"/{self.response_codes[i]}.pdf"
        return self.pdf_path[:-4] + f"-reponse-{i + 1}.pdf"

    def documents(self) -> list[tuple[str, str, str]]:
        """(path, link text, type) of every file, the report first."""
        labels = self.labels or []
        report_label = "Rapport et réponses" if self.combined else "Rapport d'observations définitives"
        out = [(self.pdf_path, labels[0] if labels else report_label,
                "Rapport et réponses" if self.combined else "Rapport")]
        for i in range(len(self.responses)):
            label = labels[i + 1] if len(labels) > i + 1 else f"Réponse de l'ordonnateur n° {i + 1}"
            out.append((self.response_path(i), label, "Réponse"))
        return out


@dataclass
class RequestRecord:
    t: float  # time.monotonic() when the request arrived
    path: str
    query: str
    status: int
    conditional: bool
    complete: bool = False  # the whole body was written
    user_agent: str = ""


def simple_pdf(title: str, body: str = "", pages_n: int = 1) -> bytes:
    """A small real PDF (PyMuPDF) for tests and fallbacks."""
    import pymupdf

    doc = pymupdf.open()
    for i in range(pages_n):
        page = doc.new_page()
        page.insert_text((72, 72), title, fontsize=14)
        page.insert_textbox(pymupdf.Rect(72, 100, 520, 780), body or f"Page {i + 1}", fontsize=10)
    data = doc.tobytes()
    doc.close()
    return data


class ReplicaSite(LocalServer):
    def __init__(self, publications: list[ReplicaPublication], faults: FaultPlan | None = None, *,
                 page_size: int = 10, robots: str = ROBOTS, flavour: str = "site",
                 html_filter: Callable[[str, str], str] | None = None, document_redirects: bool = False):
        self.faults = faults or FaultPlan()
        self.page_size = page_size  # also the most ``items_per_page`` may ask for
        self.robots = robots
        self.flavour = flavour
        pages.pages_for(flavour, [])  # an unknown flavour fails here
        self.html_filter = html_filter  # (path, html) -> html: to simulate a changed site
        self.document_redirects = document_redirects  # document pages answer 302 to their file
        self.requests: list[RequestRecord] = []
        self._pubs: dict[str, ReplicaPublication] = {}
        self._files: dict[str, Callable[[], bytes]] = {}
        self._file_dates: dict[str, date] = {}
        self._documents: dict[int, tuple[str, str]] = {}  # id -> (file path, title)
        self._document_ids: dict[str, int] = {}
        self._cache: dict[str, bytes] = {}
        self._lock = threading.RLock()
        for pub in publications:
            self.add(pub)

    # ------------------------------------------------------------------ content
    def add(self, pub: ReplicaPublication) -> None:
        with self._lock:
            self._pubs[pub.slug] = pub
            self._files[pub.pdf_path] = pub.pdf_bytes_factory
            for i, factory in enumerate(pub.responses):
                self._files[pub.response_path(i)] = factory
            for path, label, _ in pub.documents():
                self._file_dates[path] = pub.date
                if pub.form == "document" and path not in self._document_ids:
                    doc_id = FIRST_DOCUMENT_ID + len(self._documents)
                    self._documents[doc_id] = (path, f"{pub.title} — {label}")
                    self._document_ids[path] = doc_id

    def remove(self, slug: str) -> None:
        """Withdraw a publication: its page and files answer 404 from now on."""
        with self._lock:
            pub = self._pubs.pop(slug)
            for path in [pub.pdf_path] + [pub.response_path(i) for i in range(len(pub.responses))]:
                self._files.pop(path, None)
                self._cache.pop(path, None)

    @property
    def publications(self) -> list[ReplicaPublication]:
        with self._lock:
            return sorted(self._pubs.values(), key=lambda p: (p.date, p.slug), reverse=True)

    def chambers(self) -> list[tuple[str, str]]:
        """(path, label) of every chamber that has a publication, as the site's menus list them."""
        with self._lock:
            found = {p.chamber_path: p.chamber for p in self._pubs.values() if p.chamber_path}
        return sorted(found.items())

    def institution_id(self, chamber: str, paths: list[str] | None = None) -> int:
        path = chamber_path(chamber)
        if path is None:
            return INSTITUTION_COUR
        paths = paths if paths is not None else [p for p, _ in self.chambers()]
        return 100 + paths.index(path) if path in paths else 99

    def document_url(self, path: str) -> str:
        """How a publication page links a file: its document page, or its (quoted) path."""
        doc_id = self._document_ids.get(path)
        return f"/fr/documents/{doc_id}" if doc_id is not None else quote(path)

    def file_bytes(self, path: str) -> bytes | None:
        """The bytes served at ``path`` (as served or as linked: ``%20`` for a space)."""
        path = unquote(path)
        with self._lock:
            factory = self._files.get(path)
            if factory is None:
                return None
            if path in self._cache:
                return self._cache[path]
        data = factory()
        with self._lock:
            self._cache[path] = data
        return data

    # ------------------------------------------------------------------ measurements
    def count(self, path: str, status: int | None = 200, complete: bool | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path == path and (status is None or r.status == status)
                       and (complete is None or r.complete == complete))

    def max_in_window(self, seconds: float) -> int:
        """Most requests received within any window of ``seconds`` (half-open)."""
        with self._lock:
            times = sorted(r.t for r in self.requests)
        best, j = 0, 0
        for i, t in enumerate(times):
            while j < i and times[j] <= t - seconds:
                j += 1
            best = max(best, i - j + 1)
        return best

    def _record(self, rec: RequestRecord) -> None:
        with self._lock:
            self.requests.append(rec)

    # ------------------------------------------------------------------ server
    def start(self, port: int = 0, host: str = "127.0.0.1") -> str:
        site = self

        class Handler(_Handler):
            replica = site

        return self.serve(Handler, host=host, port=port, name="replica")

    # ------------------------------------------------------------------ pages
    @property
    def pages(self) -> pages.SitePages:
        return pages.pages_for(self.flavour, self.chambers())

    def render(self, path: str, query: list[tuple[str, str]]) -> tuple[int, str]:
        view = self.pages
        if path in ("/", "/fr"):
            return 200, view.home()
        if path == "/fr/publications":
            return 200, self._listing(view, query, "Publications")
        if path == "/fr/recherche":
            return 200, self._listing(view, query, "Recherche")
        chambers = dict(self.chambers())
        if path.rstrip("/") in chambers:
            return 200, view.chamber_page(path.rstrip("/"), chambers[path.rstrip("/")])
        m = re.fullmatch(r"/fr/documents/(\d+)", path)
        if m and int(m[1]) in self._documents:
            file_path, title = self._documents[int(m[1])]
            return 200, view.document_page(title, quote(file_path), file_path.rsplit("/", 1)[1])
        m = re.fullmatch(r"/fr/publications/([^/]+)", path)
        with self._lock:
            pub = self._pubs.get(m[1]) if m else None
        if pub is None:
            return 404, view.not_found()
        docs = [pages.DocLink(self.document_url(p), label, doc_type if pub.typed else None)
                for p, label, doc_type in pub.documents()]
        return 200, view.publication(pub, pub.chamber_path, docs)

    def _filters(self, query: list[tuple[str, str]]) -> dict[str, str]:
        """``f[n]=facet:value`` parameters as {facet: value}."""
        return {v.split(":", 1)[0]: v.split(":", 1)[1] for k, v in query if k.startswith("f[") and ":" in v}

    def _listing(self, view: pages.SitePages, query: list[tuple[str, str]], title: str) -> str:
        params = dict(query)
        facets = self._filters(query)
        terms = [t for t in fold(params.get("search", "")).split() if t]
        region = params.get("region") or None
        paths = [p for p, _ in view.chambers]
        institution = {c: self.institution_id(c, paths) for c in {p.chamber for p in self.publications}}

        def keep(p: ReplicaPublication, skip: str = "") -> bool:
            return ((skip == "region" or not region or p.chamber_path == region)
                    and (skip == "institution" or "institution" not in facets
                         or str(institution[p.chamber]) == facets["institution"])
                    and (skip == "daterange" or "daterange" not in facets or str(p.date.year) == facets["daterange"])
                    and all(t in fold(f"{p.title} {p.summary} {p.chamber}") for t in terms))

        chosen = [p for p in self.publications if keep(p)]
        size = self.page_size
        asked = params.get("items_per_page", "")
        if asked.isdigit() and int(asked) > 0:
            size = min(int(asked), self.page_size)
        page = int(params["page"]) if params.get("page", "").isdigit() else 0
        n_pages = max(1, -(-len(chosen) // size))
        shown = [(p, len(p.documents())) for p in chosen[page * size:(page + 1) * size]]
        kept = {k: v for k, v in params.items() if k != "page"}
        facet_blocks = []
        if title == "Publications":
            def facet_link(facet: str, value: str) -> str:
                others = [f"{k}:{v}" for k, v in sorted(facets.items()) if k != facet] + [f"{facet}:{value}"]
                qs = "&".join(f"f[{i}]={quote(v, safe=':')}" for i, v in enumerate(others))
                return f"/fr/publications?{qs}"

            by_inst = [p for p in self.publications if keep(p, "institution")]
            institutions = sorted({(institution[p.chamber], p.chamber) for p in by_inst})
            facet_blocks.append(("institution", "Juridiction", [
                (label, facet_link("institution", str(i)), sum(p.chamber == label for p in by_inst))
                for i, label in institutions]))
            by_year = [p for p in self.publications if keep(p, "daterange")]
            years = sorted({p.date.year for p in by_year}, reverse=True)
            facet_blocks.append(("daterange", "Année", [
                (str(y), facet_link("daterange", str(y)), sum(p.date.year == y for p in by_year)) for y in years]))
        return view.results(title, shown, page, n_pages, kept, view.filters(params, facet_blocks))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    replica: ReplicaSite
    server_version = "ReplicaDrupal/1.0"
    disable_nagle_algorithm = True

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qsl(parts.query)
        conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
        rec = RequestRecord(time.monotonic(), path, parts.query, 0, conditional,
                            user_agent=self.headers.get("User-Agent", ""))
        self.replica._record(rec)
        try:
            self._serve(rec, path, query)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def _serve(self, rec: RequestRecord, path: str, query: list[tuple[str, str]]) -> None:
        site = self.replica
        fault = site.faults.take(path)
        if fault is not None:
            if fault.kind == "delay":
                time.sleep(fault.seconds)
            elif fault.kind in ("error", "gone"):
                return self._send(rec, fault.status, b"Erreur", "text/html")
            elif fault.kind == "throttle":
                return self._send(rec, fault.status, b"Trop de requetes", "text/html",
                                  {"Retry-After": str(int(fault.retry_after))})
            elif fault.kind == "redirect_loop":
                target = path if "boucle" in dict(query) else path + "?boucle=1"
                return self._send(rec, 302, b"", "text/html", {"Location": target})
            elif fault.kind == "redirect_foreign":
                return self._send(rec, 302, b"", "text/html", {"Location": fault.target})
            elif fault.kind == "html_as_pdf":
                return self._send(rec, 200, site.pages.not_found().encode() * 20, "application/pdf")
            elif fault.kind == "huge":
                return self._send_huge(rec, fault.size, fault.content_length)
        if path == "/robots.txt":
            body = site.robots.encode()
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(rec, 304, b"", None, {"ETag": etag})
            return self._send(rec, 200, body, "text/plain; charset=utf-8", {"ETag": etag})
        m = re.fullmatch(r"/fr/documents/(\d+)", path)
        if m and site.document_redirects and int(m[1]) in site._documents:
            return self._send(rec, 302, b"", "text/html", {"Location": quote(site._documents[int(m[1])][0])})
        if path.startswith(("/sites/default/files/", "/system/files/")):
            return self._send_file(rec, path, truncate=fault is not None and fault.kind == "truncate",
                                   stall=fault.seconds if fault is not None and fault.kind == "stall" else 0)
        status, html = site.render(path, query)
        if site.html_filter is not None:
            html = site.html_filter(path, html)
        body = html.encode("utf-8")
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            return self._send(rec, 304, b"", None, {"ETag": etag})
        self._send(rec, status, body, "text/html; charset=utf-8", {"ETag": etag} if status == 200 else {})

    def _send_file(self, rec: RequestRecord, path: str, truncate: bool, stall: float = 0) -> None:
        data = self.replica.file_bytes(path)
        if data is None:
            return self._send(rec, 404, self.replica.pages.not_found().encode(), "text/html; charset=utf-8")
        etag = '"' + hashlib.sha256(data).hexdigest()[:24] + '"'
        pub_date = self.replica._file_dates.get(path, date(2020, 1, 1))
        modified = datetime(pub_date.year, pub_date.month, pub_date.day, tzinfo=UTC)
        headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True),
                   "Accept-Ranges": "bytes"}
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if inm is not None:
            if inm == etag:
                return self._send(rec, 304, b"", None, headers)
        elif ims is not None:
            try:
                if parsedate_to_datetime(ims) >= modified:
                    return self._send(rec, 304, b"", None, headers)
            except (TypeError, ValueError):
                pass
        status, start = 200, 0
        m = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", "").strip())
        if_range = self.headers.get("If-Range")
        if m and int(m[1]) < len(data) and (if_range is None or if_range == etag):
            status, start = 206, int(m[1])
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        body = data[start:]
        if truncate:
            headers["Connection"] = "close"
            self.close_connection = True
            return self._send(rec, status, body[: len(body) // 2], "application/pdf", headers,
                              length=len(body))
        self._send(rec, status, body, "application/pdf", headers, stall=stall)

    def _send(self, rec: RequestRecord, status: int, body: bytes, ctype: str | None,
              headers: dict[str, str] | None = None, length: int | None = None, stall: float = 0) -> None:
        rec.status = status
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(length if length is not None else len(body)))
        self.end_headers()
        if stall and body:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            time.sleep(stall)
            body = body[len(body) // 2:]
        if body:
            self.wfile.write(body)
        self.wfile.flush()
        rec.complete = length is None or length == len(body)

    def _send_huge(self, rec: RequestRecord, size: int, content_length: bool) -> None:
        """A very large PDF, streamed from a generator (never held in memory)."""
        rec.status = 200
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        if content_length:
            self.send_header("Content-Length", str(size))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        zeros = b"0" * 65536
        piece, sent = b"%PDF-1.4\n" + zeros[9:], 0
        while sent < size:
            piece = piece[: size - sent]
            self.wfile.write(piece)
            sent += len(piece)
            piece = zeros
        rec.complete = True
