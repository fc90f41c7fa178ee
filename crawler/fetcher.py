"""The polite and careful HTTP client of the crawler.

Politeness: robots.txt (cached per origin, Crawl-delay honoured), a per-host rate limit
(``crawler.limiter``), a per-host concurrency cap, a descriptive User-Agent, Retry-After on
429/503, conditional GET, exponential backoff with a cap. Safety: allow-listed hosts only
(every redirect hop checked, loops detected), no private address unless allowed, a maximum
size (the stream is aborted), content type and ``%PDF`` magic checks, download to a
temporary file then atomic move into the ``RawStore``. Every failure is a ``FetchError``.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin

import httpx

from crawler.errors import FetchError
from crawler.limiter import Limiter, MemoryLimiter
from crawler.pagecache import CachedPage, PageCache
from crawler.rawstore import RawStore, file_sha256
from crawler.robots import Robots
from crawler.safety import check_url, host_of
from crawler.savedpages import PageRecorder

MAX_REDIRECTS = 8
MAX_PAGE_BYTES = 10 * 1024 * 1024
PDF_TYPES = {"application/pdf", "application/x-pdf", "application/octet-stream", "binary/octet-stream"}
PDF_FILE_TYPES = {"application/pdf", "application/x-pdf"}
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class Page:
    """An HTML page (``status`` 200) or the news that it did not change (304)."""

    url: str
    status: int
    text: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None  # a PDF (a document page that redirects to its file) has no text

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def is_pdf(self) -> bool:
        return self.content_type in PDF_FILE_TYPES


@dataclass
class Download:
    """A file moved into the raw store (200) or left as it was (304)."""

    url: str
    status: int
    sha256: str | None = None
    size: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    confirmed: bool = False  # already in the store from an interrupted run (a 304 confirmed it)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _RedirectedToFile(Exception):
    """A redirect to a file that the caller wants located, not downloaded."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class _BodyError(FetchError):
    """A failure while reading the body: worth a fresh attempt of the whole request."""


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class Fetcher:
    def __init__(self, settings, limiter: Limiter | None = None, *, respect_robots: bool = True,
                 recorder: PageRecorder | None = None):
        self.settings = settings
        self.recorder = recorder  # keeps every page fetched (``--save-pages``)
        self.limiter = limiter or MemoryLimiter(settings.crawl_rate_limit)
        self.respect_robots = respect_robots
        self.client = httpx.Client(headers={"User-Agent": settings.user_agent},
                                   timeout=httpx.Timeout(settings.crawl_timeout),
                                   follow_redirects=False)
        self.stats: Counter[str] = Counter()
        self.robots = Robots(self)
        self._sems: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ public API
    def get_page(self, url: str, etag: str | None = None, last_modified: str | None = None, *,
                 file_url: Callable[[str], bool] | None = None) -> Page:
        """GET an HTML page (conditionally when validators are given). A redirect to a URL that
        ``file_url`` accepts is not followed: the page is then that file (``is_pdf``, no text)."""
        try:
            return self._get_page(url, etag, last_modified, file_url)
        except _RedirectedToFile as target:
            return Page(target.url, 200, None, content_type="application/pdf")

    def _get_page(self, url: str, etag: str | None, last_modified: str | None,
                  file_url: Callable[[str], bool] | None) -> Page:
        with self._open(url, _conditional(etag, last_modified), file_url) as (resp, final):
            if resp.status_code == 304:
                self._keep(url, final, resp, None)
                return Page(final, 304, None, etag, last_modified)
            if resp.status_code != 200:
                raise FetchError(f"http_{resp.status_code}", f"unexpected status for {url}",
                                 status=resp.status_code)
            ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype in PDF_FILE_TYPES:  # a file, not a page: its body is for ``download``
                return Page(final, 200, None, resp.headers.get("etag"), resp.headers.get("last-modified"), ctype)
            body = bytearray()
            try:
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > MAX_PAGE_BYTES:
                        raise FetchError("too_large", f"page larger than {MAX_PAGE_BYTES} bytes: {url}")
            except httpx.TimeoutException as exc:
                raise FetchError("timeout", f"reading {url}: {exc}") from exc
            except httpx.TransportError as exc:
                raise FetchError("truncated", f"reading {url}: {exc}") from exc
            text = bytes(body).decode(resp.encoding or "utf-8", errors="replace")
            self._keep(url, final, resp, text)
            return Page(final, 200, text, resp.headers.get("etag"), resp.headers.get("last-modified"),
                        ctype or None)

    def _keep(self, url: str, final: str, resp: httpx.Response, text: str | None) -> None:
        if self.recorder is not None:
            self.recorder.save(url, final, resp.status_code, dict(resp.headers), text)

    def get_cached_page(self, url: str, *, file_url: Callable[[str], bool] | None = None) -> Page:
        """GET a page that is read again at every crawl (listings): conditionally when it is
        in the page cache, whose copy answers a 304."""
        cache = PageCache(self.settings.state_dir / "page-cache")
        cached = cache.get(url)
        page = self.get_page(url, cached.etag if cached else None, cached.last_modified if cached else None,
                             file_url=file_url)
        if page.status == 304 and cached is not None:
            if self.recorder is not None:  # the page as it still is: the cached copy
                self.recorder.save(url, page.url, 200, {"etag": cached.etag or "", "x-constats-from": "304"},
                                   cached.text)
            return Page(page.url, 200, cached.text, cached.etag, cached.last_modified)
        if page.status == 200 and page.text is not None:
            cache.put(CachedPage(url, page.text, page.etag, page.last_modified))
        return page

    def download(self, url: str, store: RawStore, etag: str | None = None,
                 last_modified: str | None = None) -> Download:
        """GET a PDF into ``store`` (conditionally when validators are given).

        The body streams into a per-URL ``.part`` file, with the response's validators noted
        beside it (``.json``) as soon as the headers arrive: a download interrupted by a crash
        resumes with a ``Range`` request (``If-Range``); a finished one (whose note then gets
        its sha256) is confirmed with a conditional GET (304) instead of being downloaded
        again. The note stays until the caller has recorded the file and calls
        ``store.forget_part(url)``, so that no crash window loses a finished download.
        """
        part, meta = store.part_path(url), store.part_meta_path(url)
        attempt = 0
        try:
            while True:
                try:
                    return self._download_once(url, store, part, meta, etag, last_modified)
                except _BodyError as exc:
                    if not exc.retryable or attempt >= self.settings.crawl_max_retries:
                        raise FetchError(exc.code, exc.message, status=exc.status) from exc
                    self.stats["retries"] += 1
                    time.sleep(self._backoff(attempt))
                    attempt += 1
        except FetchError:
            part.unlink(missing_ok=True)
            meta.unlink(missing_ok=True)
            raise

    # ------------------------------------------------------------------ internals
    def _download_once(self, url: str, store: RawStore, part: Path, meta_path: Path,
                       etag: str | None, last_modified: str | None) -> Download:
        max_bytes = self.settings.crawl_max_file_bytes
        resume = _read_meta(meta_path)
        stored = bool(resume and resume.get("sha256") and store.exists(resume["sha256"]))
        if resume and not stored and not part.exists():
            resume = None
        offset = part.stat().st_size if resume and not stored else 0
        if stored or (resume and offset and resume.get("length") and offset >= resume["length"]):
            assert resume is not None  # stored implies a resume record
            headers = _conditional(resume["etag"], resume.get("last_modified"))
        elif resume and offset:
            headers = {"Range": f"bytes={offset}-", "If-Range": resume["etag"]}
        else:
            resume, offset = None, 0
            headers = _conditional(etag, last_modified)
        with self._open(url, headers) as (resp, final):
            code = resp.status_code
            if code == 304 and stored:  # moved into the store by a run that died before committing
                assert resume is not None
                self.stats["confirmed"] += 1
                return Download(resume.get("url") or final, 200, resume["sha256"], resume.get("size"),
                                resume.get("content_type"), resume["etag"], resume.get("last_modified"),
                                confirmed=True)
            if code == 304 and resume:  # the finished .part is still the current version
                return self._finalize(store, part, meta_path, resume)
            if code == 304:
                self.stats["not_modified"] += 1
                return Download(final, 304, etag=etag, last_modified=last_modified)
            if code == 206 and resume and resp.headers.get("content-range", "").startswith(f"bytes {offset}-"):
                mode = "ab"
                self.stats["resumed"] += 1
            elif code == 200:
                mode, offset = "wb", 0
            else:
                raise FetchError(f"http_{code}", f"unexpected status for {url}", status=code)
            ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype and ctype not in PDF_TYPES:
                raise FetchError("not_pdf", f"content type {ctype!r} is not a PDF: {url}")
            encoded = resp.headers.get("content-encoding", "identity").lower() not in ("identity", "")
            declared = None if encoded else resp.headers.get("content-length")
            declared_n = int(declared) if declared and declared.isdigit() else None
            if declared_n is not None and offset + declared_n > max_bytes:
                raise FetchError("too_large", f"{offset + declared_n} bytes announced, limit {max_bytes}: {url}")
            if mode == "wb":
                info = {"url": final, "etag": resp.headers.get("etag"), "content_type": ctype or None,
                        "last_modified": resp.headers.get("last-modified"), "length": declared_n}
                if info["etag"] and not info["etag"].startswith("W/"):
                    _write_meta(meta_path, info)
                else:
                    meta_path.unlink(missing_ok=True)
            else:  # mode "ab": resuming (code 206 with a resume record)
                assert resume is not None
                info = resume
            size, head = offset, b""
            with open(part, mode, buffering=0) as fh:  # unbuffered: a crash keeps what arrived
                try:
                    for chunk in (resp.iter_bytes() if encoded else resp.iter_raw()):
                        if offset == 0 and len(head) < 1024:
                            head += chunk[: 1024 - len(head)]
                            if len(head) >= 1024 and b"%PDF-" not in head:
                                raise FetchError("not_pdf", f"no %PDF header (served as {ctype}): {url}")
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError("too_large", f"more than {max_bytes} bytes: {url}")
                        fh.write(chunk)
                except httpx.TimeoutException as exc:
                    raise _BodyError("timeout", f"reading {url}: {exc}") from exc
                except httpx.TransportError as exc:
                    raise _BodyError("truncated", f"{size} bytes received: {exc}") from exc
            if declared_n is not None and size - offset != declared_n:
                raise _BodyError("truncated", f"{size - offset} bytes received of {declared_n}: {url}")
            return self._finalize(store, part, meta_path, info)

    def _finalize(self, store: RawStore, part: Path, meta_path: Path, info: dict) -> Download:
        """Check the finished ``.part`` and move it into the store."""
        with open(part, "rb") as fh:
            head = fh.read(1024)
        if b"%PDF-" not in head:
            raise FetchError("not_pdf", f"no %PDF header (served as {info.get('content_type') or 'no type'}): "
                                        f"{info.get('url')}")
        size = part.stat().st_size
        sha = file_sha256(part)
        if info.get("etag"):  # until the caller's ``store.forget_part(url)``: see ``download``
            _write_meta(meta_path, {**info, "sha256": sha, "size": size})
        sha = store.put_file(part, sha)
        self.stats["downloaded"] += 1
        self.stats["bytes"] += size
        return Download(info.get("url") or "", 200, sha, size, info.get("content_type"), info.get("etag"),
                        info.get("last_modified"))

    @contextmanager
    def _open(self, url: str, headers: dict[str, str],
              file_url: Callable[[str], bool] | None = None) -> Iterator[tuple[httpx.Response, str]]:
        """Send a GET, following checked redirects; yields (streamed response, final URL).

        robots.txt is checked before a connection slot of the host is taken: when its rules are
        not known yet, it is fetched through this same path, which takes a slot itself."""
        visited: list[str] = []
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            check_url(current, self.settings.crawl_allowed_hosts,
                      self.settings.crawl_allow_loopback, hop=hop > 0)
            self._check_robots(current)
            visited.append(current)
            with self._semaphore(host_of(current)):
                resp = self._send(current, headers)
                if resp.status_code in REDIRECTS and resp.headers.get("location"):
                    nxt = urljoin(current, resp.headers["location"])
                    resp.close()
                    if nxt in visited:
                        raise FetchError("redirect_loop", " -> ".join(visited + [nxt]))
                    if file_url is not None and file_url(nxt):
                        check_url(nxt, self.settings.crawl_allowed_hosts, self.settings.crawl_allow_loopback,
                                  hop=True)
                        raise _RedirectedToFile(nxt)
                    current = nxt
                    continue
                try:
                    yield resp, current
                finally:
                    resp.close()
                return
        raise FetchError("too_many_redirects", f"more than {MAX_REDIRECTS} redirects from {url}")

    def _send(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """One GET with retries (5xx, 429/503 with Retry-After, timeouts, network errors)."""
        host = host_of(url)
        attempt = 0
        while True:
            self.limiter.acquire(host)
            self.stats["requests"] += 1
            delay = None
            try:
                resp = self.client.send(self.client.build_request("GET", url, headers=headers), stream=True)
            except httpx.TimeoutException as exc:
                err = FetchError("timeout", f"no answer within {self.settings.crawl_timeout} s: {url} ({exc})")
            except httpx.TransportError as exc:
                err = FetchError("network", f"{type(exc).__name__}: {exc}: {url}")
            else:
                code = resp.status_code
                if code < 400 or code in REDIRECTS:
                    return resp
                resp.close()
                if code in (429, 503):
                    delay = retry_after_seconds(resp.headers.get("retry-after"))
                    err = FetchError("rate_limited" if code == 429 else "http_503",
                                     f"HTTP {code} (Retry-After: {resp.headers.get('retry-after')}): {url}",
                                     status=code)
                    if delay is not None:
                        if delay > self.settings.crawl_backoff_cap:
                            raise err
                        self.limiter.pause(host, delay)
                elif code >= 500:
                    err = FetchError(f"http_{code}", f"server error: {url}", status=code)
                else:
                    raise FetchError(f"http_{code}", f"client error: {url}", status=code)
            if attempt >= self.settings.crawl_max_retries:
                raise err
            self.stats["retries"] += 1
            time.sleep(delay if delay is not None else self._backoff(attempt))
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        base = self.settings.crawl_backoff_base * (2 ** attempt)
        return min(self.settings.crawl_backoff_cap, base) * random.uniform(0.8, 1.0)

    @contextmanager
    def _semaphore(self, host: str):
        with self._lock:
            sem = self._sems.setdefault(host, threading.BoundedSemaphore(max(1, self.settings.crawl_concurrency)))
        with sem:
            yield

    # ------------------------------------------------------------------ robots.txt
    def _check_robots(self, url: str) -> None:
        if self.respect_robots:
            self.robots.check(url)


def _conditional(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _read_meta(path: Path) -> dict | None:
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and info.get("etag") else None


def _write_meta(path: Path, info: dict) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(info))
    os.replace(tmp, path)
