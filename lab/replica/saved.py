"""Serve pages saved by ``constats crawl ccomptes --save-pages DIR`` again, on 127.0.0.1.

The pages of a real crawl become fixtures in one step: the crawler's parsers and discovery
run against them exactly as they ran against the site (same URLs, same bodies; links to the
saved site's origin are pointed at the local server). Files that were not saved (PDFs)
answer 404, unless ``pdf`` gives bytes to serve for them.
"""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from crawler.savedpages import SavedPage, load
from lab.replica.serving import LocalServer


def _key(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class SavedSite(LocalServer):
    def __init__(self, root: Path | str, pdf: Callable[[str], bytes | None] | None = None):
        self.pages: list[SavedPage] = load(root)
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.pages[0].url)) if self.pages else ""
        self.pdf = pdf
        self._by_key: dict[str, SavedPage] = {}
        for page in self.pages:  # the last copy with a body wins
            if page.text is not None:
                self._by_key[_key(page.url)] = page
        self.requests: list[str] = []

    def body(self, key: str) -> tuple[int, str, bytes]:
        page = self._by_key.get(key)
        if page is not None and page.text is not None:
            text = page.text.replace(self.origin, self.base_url) if self.origin else page.text
            ctype = "text/plain; charset=utf-8" if key == "/robots.txt" else "text/html; charset=utf-8"
            return 200, ctype, text.encode("utf-8")
        data = self.pdf(key) if self.pdf is not None and key.lower().endswith(".pdf") else None
        if data is not None:
            return 200, "application/pdf", data
        return 404, "text/html; charset=utf-8", b"<html><body><h1>Page introuvable</h1></body></html>"

    def start(self) -> str:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.requests.append(self.path)
                status, ctype, body = site.body(_key(self.path))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return self.serve(Handler, name="saved-site")
