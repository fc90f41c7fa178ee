"""A local replica of the publication site: a small real HTTP server on 127.0.0.1.

Shaped like ccomptes.fr: ``/robots.txt``, a home page, the publications listing with its
jurisdiction and type facets and a pager, the server-rendered search ``/fr/recherche``,
publication pages ``/fr/publications/<slug>`` and PDFs under
``/sites/default/files/YYYY-MM/<code>.pdf`` with ETag/Last-Modified and 304 answers. PDFs
are produced lazily by each publication's factory and cached in memory. A ``FaultPlan``
injects failures; every request is recorded (time, path, status, whether the body was
sent completely), for rate and download-count measurements. ``constats replica`` serves
one built from the corpus (``lab.replica.corpus.serve_corpus``).
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from constats.text import fold
from lab.replica import pages
from lab.replica.faults import FaultPlan

ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /prive/\n"
ROD = ("rod", "Rapports d'observations définitives")
TYPES = dict([ROD, ("rpt", "Rapports publics thématiques"), ("autre", "Autres publications")])


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@dataclass
class ReplicaPublication:
    slug: str
    title: str
    chamber: str  # as the site shows it: "CRC BRETAGNE"
    date: date
    summary: str
    pdf_bytes_factory: Callable[[], bytes]
    responses: list[Callable[[], bytes]] = field(default_factory=list)
    kind: str = "rod"  # a key of TYPES
    code: str | None = None  # file name of the PDF; default derived from the slug

    @property
    def pdf_path(self) -> str:
        code = self.code or self.slug.upper()
        return f"/sites/default/files/{self.date:%Y-%m}/{code}.pdf"

    def response_path(self, i: int) -> str:
        return self.pdf_path[:-4] + f"-reponse-{i + 1}.pdf"


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


class ReplicaSite:
    def __init__(self, publications: list[ReplicaPublication], faults: FaultPlan | None = None, *,
                 page_size: int = 10, robots: str = ROBOTS,
                 html_filter: Callable[[str, str], str] | None = None):
        self.faults = faults or FaultPlan()
        self.page_size = page_size
        self.robots = robots
        self.html_filter = html_filter  # (path, html) -> html: to simulate a changed site
        self.requests: list[RequestRecord] = []
        self._pubs: dict[str, ReplicaPublication] = {}
        self._files: dict[str, Callable[[], bytes]] = {}
        self._cache: dict[str, bytes] = {}
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self.base_url = ""
        for pub in publications:
            self.add(pub)

    # ------------------------------------------------------------------ content
    def add(self, pub: ReplicaPublication) -> None:
        with self._lock:
            self._pubs[pub.slug] = pub
            self._files[pub.pdf_path] = pub.pdf_bytes_factory
            for i, factory in enumerate(pub.responses):
                self._files[pub.response_path(i)] = factory

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

    def file_bytes(self, path: str) -> bytes | None:
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

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="replica", daemon=True).start()
        self.base_url = f"http://{host}:{self._server.server_address[1]}"
        return self.base_url

    def shutdown(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ReplicaSite:
        if not self.base_url:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    # ------------------------------------------------------------------ pages
    def render(self, path: str, query: dict[str, str]) -> tuple[int, str]:
        if path in ("/", "/fr"):
            return 200, pages.home()
        if path == "/fr/publications":
            return 200, self._listing(query)
        if path == "/fr/recherche":
            return 200, self._search(query)
        m = re.fullmatch(r"/fr/publications/([^/]+)", path)
        with self._lock:
            pub = self._pubs.get(m[1]) if m else None
        if pub is None:
            return 404, pages.not_found()
        files = [(pub.pdf_path, "Rapport d'observations définitives")]
        files += [(pub.response_path(i), f"Réponse de l'ordonnateur n° {i + 1}")
                  for i in range(len(pub.responses))]
        return 200, pages.publication(pub, files)

    def _filters(self, query: dict[str, str]) -> dict[str, str]:
        out = {}
        for k, v in query.items():
            if k.startswith("f[") and ":" in v:
                facet, value = v.split(":", 1)
                out[facet] = value
        return out

    def _params(self, filters: dict[str, str]) -> dict[str, str]:
        return {f"f[{i}]": f"{k}:{v}" for i, (k, v) in enumerate(sorted(filters.items()))}

    def _listing(self, query: dict[str, str]) -> str:
        filters = self._filters(query)
        pubs = self.publications
        chosen = [p for p in pubs if (not filters.get("type") or p.kind == filters["type"])
                  and (not filters.get("juridiction") or slugify(p.chamber) == filters["juridiction"])]
        by_type = [p for p in pubs if not filters.get("juridiction") or slugify(p.chamber) == filters["juridiction"]]
        by_chamber = [p for p in pubs if not filters.get("type") or p.kind == filters["type"]]
        chambers = sorted({p.chamber for p in pubs})
        facets = pages.facet_block("type_publication", "Type de publication", [
            (label, "/fr/publications?" + urlencode(self._params({**filters, "type": key})),
             sum(p.kind == key for p in by_type)) for key, label in TYPES.items()])
        facets += pages.facet_block("juridiction", "Juridiction", [
            (c.title().replace("Crc ", "CRC ").replace("Ctc ", "CTC "),
             "/fr/publications?" + urlencode(self._params({**filters, "juridiction": slugify(c)})),
             sum(p.chamber == c for p in by_chamber)) for c in chambers])
        return self._page_of("Publications", chosen, facets, query, self._params(filters))

    def _search(self, query: dict[str, str]) -> str:
        terms = [t for t in fold(query.get("search", "")).split() if t]
        chosen = [p for p in self.publications
                  if all(t in fold(f"{p.title} {p.summary} {p.chamber}") for t in terms)]
        return self._page_of("Recherche", chosen, "", query, {"search": query.get("search", "")})

    def _page_of(self, title, chosen, facets, query, params) -> str:
        page = int(query.get("page", "0") or 0) if str(query.get("page", "0")).isdigit() else 0
        n_pages = max(1, -(-len(chosen) // self.page_size))
        shown = chosen[page * self.page_size:(page + 1) * self.page_size]
        return pages.results(title, shown, facets, page, n_pages, params)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    replica: ReplicaSite
    server_version = "ReplicaDrupal/1.0"
    disable_nagle_algorithm = True

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        path, query = parts.path, dict(parse_qsl(parts.query))
        conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
        rec = RequestRecord(time.monotonic(), path, parts.query, 0, conditional,
                            user_agent=self.headers.get("User-Agent", ""))
        self.replica._record(rec)
        try:
            self._serve(rec, path, query)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def _serve(self, rec: RequestRecord, path: str, query: dict[str, str]) -> None:
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
                target = path if "boucle" in query else path + "?boucle=1"
                return self._send(rec, 302, b"", "text/html", {"Location": target})
            elif fault.kind == "redirect_foreign":
                return self._send(rec, 302, b"", "text/html", {"Location": fault.target})
            elif fault.kind == "html_as_pdf":
                return self._send(rec, 200, pages.not_found().encode() * 20, "application/pdf")
            elif fault.kind == "huge":
                return self._send_huge(rec, fault.size, fault.content_length)
        if path == "/robots.txt":
            body = site.robots.encode()
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(rec, 304, b"", None, {"ETag": etag})
            return self._send(rec, 200, body, "text/plain; charset=utf-8", {"ETag": etag})
        if path.startswith("/sites/default/files/"):
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
            return self._send(rec, 404, pages.not_found().encode(), "text/html; charset=utf-8")
        etag = '"' + hashlib.sha256(data).hexdigest()[:24] + '"'
        pub_date = next((p.date for p in self.replica.publications if path.startswith(p.pdf_path[:-4])),
                        date(2020, 1, 1))
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
