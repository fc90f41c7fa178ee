"""A crawl run: discover publications, download what is new or changed, record everything.

State is committed after each publication and each file, so a crawl killed at any moment
and started again continues where it stopped and downloads nothing twice (known files are
asked for conditionally; interrupted downloads resume, see ``Fetcher.download``). Bytes are stored once per content
hash and a report row is registered per distinct hash; ``on_new_file(file_id, report_id)``
hands new content to the pipeline.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from crawler import state
from crawler.errors import DiscoveryError, FetchError
from crawler.fetcher import Download, Fetcher
from crawler.limiter import Limiter
from crawler.rawstore import RawStore
from crawler.savedpages import PageRecorder
from crawler.sources import CcomptesSource, FolderSource, Source
from store import repo
from store.db import migrate, session_scope
from store.models import FileRow

log = logging.getLogger(__name__)

OnNewFile = Callable[[int, str], None]


@dataclass
class CrawlSummary:
    crawl_id: int | None = None
    source: str = ""
    status: str = "running"
    publications: int = 0
    new_publications: int = 0
    files: int = 0
    downloaded: int = 0
    not_modified: int = 0
    new_reports: int = 0
    duplicates: int = 0
    failed: int = 0
    withdrawn: int = 0
    requests: int = 0
    retries: int = 0  # requests sent again after a timeout, a network error, a 5xx or a 429
    elapsed: float = 0.0
    error: str | None = None
    errors: list[dict] = field(default_factory=list)  # {url, code, message}

    def counts(self) -> dict:
        d = asdict(self)
        d.pop("errors")
        by_code: dict[str, int] = {}
        for e in self.errors:
            by_code[e["code"]] = by_code.get(e["code"], 0) + 1
        d["errors_by_code"] = by_code
        return d

    def __str__(self) -> str:
        return (f"crawl {self.crawl_id} {self.status}: {self.publications} publications "
                f"({self.new_publications} new), {self.files} files: {self.downloaded} downloaded, "
                f"{self.not_modified} unchanged, {self.new_reports} new reports, {self.duplicates} "
                f"duplicates, {self.failed} failed, {self.withdrawn} withdrawn")


@dataclass
class _Job:
    file_id: int
    url: str
    etag: str | None
    last_modified: str | None


def run_crawl(source: Source, settings, *, since: date | None = None, chamber: str | None = None,
              limit: int | None = None, on_new_file: OnNewFile | None = None,
              progress: Callable[[CrawlSummary], None] | None = None,
              params: dict | None = None) -> CrawlSummary:
    db = settings.db_url
    store = RawStore(settings.raw_dir)
    full = since is None and chamber is None and limit is None
    summary = CrawlSummary(source=source.name)
    started = time.monotonic()
    with session_scope(db) as s:
        crawl = state.start_crawl(s, source.name, {
            **(params or {}), "since": since.isoformat() if since else None, "chamber": chamber,
            "limit": limit, "full": full})
        summary.crawl_id = crawl.id
        source.known = state.known_pages(s, source.name)

    def note_errors() -> None:
        if not (source.errors or source.gone):
            return
        with session_scope(db) as s:
            for url, code, message in source.errors:
                state.record_publication_error(s, url, source.name, code, message)
                summary.errors.append({"url": url, "code": code, "message": message})
                seen.add(url)  # unreadable today is not withdrawn
            if source.gone:
                summary.withdrawn += state.mark_withdrawn(s, source.name, urls=list(source.gone))
                for url in source.gone:
                    summary.errors.append({"url": url, "code": "withdrawn", "message": "publication gone (404)"})
        source.errors.clear()
        source.gone.clear()

    def finish(job: _Job, result: Download | None, error: FetchError | None) -> None:
        new = None
        with session_scope(db) as s:
            row = s.get(FileRow, job.file_id)
            assert row is not None  # jobs are made from committed rows
            if error is not None:
                state.record_file_error(s, row, error.code, error.message)
                summary.failed += 1
                summary.errors.append({"url": job.url, "code": error.code, "message": error.message})
            else:
                assert result is not None  # no error: a download
                if result.not_modified or result.confirmed:
                    summary.not_modified += 1
                else:
                    summary.downloaded += 1
                if not (result.sha256 or row.sha256):
                    state.record_file_error(s, row, "bad_304", "304 for a file never downloaded")
                    summary.failed += 1
                    summary.errors.append({"url": job.url, "code": "bad_304", "message": "unexpected 304"})
                    return
                state.record_download(s, row, result)
                assert row.sha256 is not None  # recorded by the download
                pub = row.publication
                report, created = repo.register_report(
                    s, row.sha256, source_url=row.url, file_id=row.id, publication_id=row.publication_id,
                    title=pub.title if pub else None, role=row.role)
                if created:
                    summary.new_reports += 1
                    new = (row.id, report.id)
                    state.link_responses(s, row.publication_id)
                elif not result.not_modified and report.file_id != row.id:
                    summary.duplicates += 1
        store.forget_part(job.url)
        if new and on_new_file is not None:
            try:
                on_new_file(*new)
            except Exception as exc:  # noqa: BLE001 - the pipeline may be down; the crawl goes on
                log.warning("could not hand file %s to the pipeline: %s", new[0], exc)
                summary.errors.append({"url": job.url, "code": "pipeline", "message": str(exc)})
        if progress:
            progress(summary)

    def download(job: _Job) -> Download:
        return source.fetch(job.url, job.etag, job.last_modified, store=store)

    seen: set[str] = set()
    pending: dict[Future, _Job] = {}

    def collect(block_until: int) -> None:
        while len(pending) > block_until:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for fut in done:
                job = pending.pop(fut)
                exc = fut.exception()
                if exc is not None and not isinstance(exc, FetchError):
                    exc = FetchError("internal_error", f"{type(exc).__name__}: {exc}")
                finish(job, None if exc else fut.result(), exc)

    workers = max(1, settings.crawl_concurrency)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crawl")
    try:
        for pub in source.discover(since=since, chamber=chamber, limit=limit):
            seen.add(pub.url)
            note_errors()
            jobs = []
            with session_scope(db) as s:
                etag, lm = source.validators.get(pub.url, (None, None))
                prow, created = state.upsert_publication(s, pub, etag, lm)
                summary.publications += 1
                summary.new_publications += created
                for ref in pub.files:
                    frow, _ = state.upsert_file(s, prow, ref)
                    summary.files += 1
                    have = frow.sha256 is not None and store.exists(frow.sha256)
                    jobs.append(_Job(frow.id, ref.url, frow.etag if have else None,
                                     frow.last_modified if have else None))
            for job in jobs:
                pending[pool.submit(download, job)] = job
            collect(block_until=2 * workers)
            if progress:
                progress(summary)
        note_errors()
        collect(block_until=0)
        summary.status = "done"
        if full and source.complete:
            with session_scope(db) as s:
                summary.withdrawn += state.mark_withdrawn(s, source.name, seen=seen)
    except (DiscoveryError, FetchError) as exc:
        summary.status, summary.error = "failed", str(exc)
        log.error("crawl %s failed: %s", summary.crawl_id, exc)
    except BaseException as exc:
        summary.status, summary.error = "interrupted", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        try:
            collect(block_until=0)
        finally:
            pool.shutdown(wait=True)
            stats = getattr(getattr(source, "fetcher", None), "stats", {})
            summary.requests, summary.retries = stats.get("requests", 0), stats.get("retries", 0)
            summary.elapsed = round(time.monotonic() - started, 3)
            with session_scope(db) as s:
                state.finish_crawl(s, summary.crawl_id, summary.status, summary.counts(), summary.error)
    return summary


# --------------------------------------------------------------------------- entry points
def make_source(name: str, settings, *, base_url: str | None = None, path=None,
                limiter: Limiter | None = None, recorder: PageRecorder | None = None) -> Source:
    if name == "ccomptes":
        return CcomptesSource(base_url or settings.crawl_base_url, Fetcher(settings, limiter, recorder=recorder))
    if name == "folder":
        if path is None:
            raise ValueError("the folder source needs a path")
        return FolderSource(path)
    raise ValueError(f"unknown source {name!r} (ccomptes, folder)")


def crawl_source(name: str, settings, *, base_url: str | None = None, path=None,
                 incremental: bool = False, since: date | str | None = None, chamber: str | None = None,
                 limit: int | None = None, on_new_file: OnNewFile | None = None,
                 progress: Callable[[CrawlSummary], None] | None = None,
                 limiter: Limiter | None = None, recorder: PageRecorder | None = None) -> CrawlSummary:
    """Build the source and run a crawl. ``incremental``: without ``since``, only what was
    published since the last full crawl of the same site (minus a margin of 30 days).
    ``limiter``: the per-host rate limiter (in memory when None; the workers share one through
    Redis). ``recorder``: keeps every page fetched (``--save-pages``)."""
    if isinstance(since, str):  # from a Celery task's JSON arguments
        since = date.fromisoformat(since)
    if base_url:  # a site named explicitly is allowed (loopback still needs its own setting)
        host = urlsplit(base_url).hostname or ""
        if host not in settings.crawl_allowed_hosts:
            settings = settings.model_copy(update={"crawl_allowed_hosts": [*settings.crawl_allowed_hosts, host]})
    migrate(settings.db_url)
    origin = base_url or (str(path) if path else settings.crawl_base_url)
    if incremental and since is None:
        with session_scope(settings.db_url) as s:
            last = state.last_full_crawl(s, name, origin)
            if last is not None:
                since = last.started_at.date() - timedelta(days=30)
    source = make_source(name, settings, base_url=base_url, path=path, limiter=limiter, recorder=recorder)
    try:
        return run_crawl(source, settings, since=since, chamber=chamber, limit=limit,
                         on_new_file=on_new_file, progress=progress, params={"origin": origin})
    finally:
        source.close()


def fetch_file(file_id: int, settings, limiter: Limiter | None = None) -> str | None:
    """Make sure a file's bytes are in the raw store (the worker's fetch task); idempotent.

    Returns the report id, or ``None`` when the file is unknown or cannot be downloaded
    (the reason is recorded on the file)."""
    store = RawStore(settings.raw_dir)
    with session_scope(settings.db_url) as s:
        row = s.get(FileRow, file_id)
        if row is None:
            return None
        if row.sha256 and store.exists(row.sha256):
            return _register(s, row)
        url = row.url
    if url.startswith("file:"):
        source: Source = FolderSource("/")
    else:
        source = CcomptesSource(settings.crawl_base_url, Fetcher(settings, limiter))
    try:
        result, error = source.fetch(url, store=store), None
    except FetchError as exc:
        result, error = None, exc
    finally:
        source.close()
    with session_scope(settings.db_url) as s:
        row = s.get(FileRow, file_id)
        assert row is not None  # read above, files are never deleted
        if error is not None:
            state.record_file_error(s, row, error.code, error.message)
            return None
        assert result is not None
        state.record_download(s, row, result)
        rid = _register(s, row)
    store.forget_part(url)
    return rid


def _register(session: Session, row: FileRow) -> str:
    assert row.sha256 is not None  # only downloaded files are registered
    pub = row.publication
    report, _ = repo.register_report(session, row.sha256, source_url=row.url, file_id=row.id,
                                     publication_id=row.publication_id,
                                     title=pub.title if pub else None, role=row.role)
    return report.id


__all__ = ["CrawlSummary", "run_crawl", "crawl_source", "fetch_file", "make_source"]
