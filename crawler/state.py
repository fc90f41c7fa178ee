"""The crawl state in the store of record: crawls, publications and files.

Small functions over a SQLAlchemy session; the caller commits (the crawl commits after each
publication and each file, so that a killed crawl resumes where it stopped).
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from constats.domain import FileRef, Publication, report_id_for
from crawler.fetcher import Download
from crawler.sources import KnownPage
from store.models import Crawl, FileRow, PublicationRow, ReportRow


def now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- crawls
def start_crawl(session: Session, source: str, params: dict) -> Crawl:
    """Record a new crawl; crawls of this host whose process is dead become ``interrupted``."""
    host = socket.gethostname()
    for row in session.scalars(select(Crawl).where(Crawl.status == "running")):
        p = row.params or {}
        if p.get("host") == host and not _alive(p.get("pid")):
            row.status, row.finished_at = "interrupted", row.finished_at or now()
    crawl = Crawl(source=source, params={**params, "pid": os.getpid(), "host": host},
                  status="running", started_at=now(), counts={})
    session.add(crawl)
    session.flush()
    return crawl


def _alive(pid) -> bool:
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def finish_crawl(session: Session, crawl_id: int, status: str, counts: dict, error: str | None = None) -> None:
    row = session.get(Crawl, crawl_id)
    if row is not None:
        row.status, row.counts, row.error, row.finished_at = status, dict(counts), error, now()


def update_counts(session: Session, crawl_id: int, counts: dict) -> None:
    row = session.get(Crawl, crawl_id)
    if row is not None:
        row.counts = dict(counts)


def last_full_crawl(session: Session, source: str, origin: str | None = None) -> Crawl | None:
    rows = session.scalars(select(Crawl).where(Crawl.source == source, Crawl.status == "done")
                           .order_by(Crawl.started_at.desc()))
    return next((r for r in rows if (r.params or {}).get("full")
                 and (origin is None or (r.params or {}).get("origin") == origin)), None)


def recent_crawls(session: Session, limit: int = 20) -> list[dict]:
    """The latest crawls, newest first (``GET /api/crawls``)."""
    rows = session.scalars(select(Crawl).order_by(Crawl.id.desc()).limit(limit))
    out = []
    for r in rows:
        params = {k: v for k, v in (r.params or {}).items() if k not in ("pid", "host")}
        out.append({"id": r.id, "source": r.source, "status": r.status, "params": params,
                    "started_at": _iso(r.started_at), "finished_at": _iso(r.finished_at),
                    "counts": r.counts or {}, "error": r.error})
    return out


def _iso(d: datetime | None) -> str | None:
    if d is None:
        return None
    return (d if d.tzinfo else d.replace(tzinfo=UTC)).isoformat()


# --------------------------------------------------------------------------- publications
def known_pages(session: Session, source: str) -> dict[str, KnownPage]:
    """Validators and content of every publication page seen (for conditional GETs)."""
    out = {}
    for row in session.scalars(select(PublicationRow).where(PublicationRow.source == source)):
        if not (row.etag or row.last_modified):
            continue
        pub = Publication(source=row.source, url=row.url, slug=row.slug, title=row.title,
                          chamber=row.chamber, published_on=row.published_on, summary=row.summary,
                          thematic=row.thematic, announced_rappels=row.announced_rappels,
                          announced_recommendations=row.announced_recommendations,
                          files=[FileRef(url=f.url, role=f.role) for f in row.files
                                 if f.status != "withdrawn"])
        out[row.url] = KnownPage(row.etag, row.last_modified, pub)
    return out


def upsert_publication(session: Session, pub: Publication, etag: str | None = None,
                       last_modified: str | None = None) -> tuple[PublicationRow, bool]:
    row = session.scalar(select(PublicationRow).where(PublicationRow.url == pub.url))
    created = row is None
    t = now()
    if row is None:
        row = PublicationRow(source=pub.source, url=pub.url, first_seen=t)
        session.add(row)
    row.slug, row.title, row.chamber = pub.slug, pub.title, pub.chamber
    row.published_on, row.summary, row.thematic = pub.published_on, pub.summary, pub.thematic
    row.announced_rappels, row.announced_recommendations = pub.announced_rappels, pub.announced_recommendations
    row.etag, row.last_modified = etag, last_modified
    row.status, row.error, row.last_seen = "active", None, t
    session.flush()
    return row, created


def upsert_file(session: Session, pub_row: PublicationRow | None, ref: FileRef) -> tuple[FileRow, bool]:
    row = session.scalar(select(FileRow).where(FileRow.url == ref.url))
    created = row is None
    t = now()
    if row is None:
        row = FileRow(url=ref.url, role=ref.role, status="pending", first_seen=t, attempts=0)
        session.add(row)
    if pub_row is not None:
        row.publication_id = pub_row.id
    row.role, row.last_seen = ref.role, t
    if row.status == "withdrawn":
        row.status = "downloaded" if row.sha256 else "pending"
    session.flush()
    return row, created


def record_download(session: Session, row: FileRow, result: Download) -> None:
    row.attempts = (row.attempts or 0) + 1
    if not result.not_modified:
        row.sha256, row.size, row.content_type = result.sha256, result.size, result.content_type
        row.etag, row.last_modified = result.etag, result.last_modified
        row.fetched_at = now()
    row.status, row.error = "downloaded", None


def record_file_error(session: Session, row: FileRow, code: str, message: str) -> None:
    row.attempts = (row.attempts or 0) + 1
    row.error = f"{code}: {message}"[:4000]
    if code in ("http_404", "http_410"):
        row.status = "withdrawn"
    elif not row.sha256:  # keep an earlier good download usable
        row.status = "failed"


def record_publication_error(session: Session, url: str, source: str, code: str, message: str) -> None:
    row = session.scalar(select(PublicationRow).where(PublicationRow.url == url))
    if row is None:
        row = PublicationRow(source=source, url=url, status="failed")
        session.add(row)
    elif row.status != "active":
        row.status = "failed"
    row.error = f"{code}: {message}"[:4000]


def mark_withdrawn(session: Session, source: str, urls: list[str] | None = None,
                   seen: set[str] | None = None) -> int:
    """Withdraw the publications at ``urls`` (gone) or, given ``seen``, every other one."""
    stmt = select(PublicationRow).where(PublicationRow.source == source, PublicationRow.status != "withdrawn")
    n = 0
    for row in session.scalars(stmt):
        if (urls is not None and row.url in urls) or (seen is not None and row.url not in seen):
            row.status = "withdrawn"
            for f in row.files:
                f.status = "withdrawn"
            n += 1
    return n


def link_responses(session: Session, publication_id: int | None) -> None:
    """Point the reports of separately published responses at the report they answer."""
    if publication_id is None:
        return
    files = session.scalars(select(FileRow).where(FileRow.publication_id == publication_id,
                                                  FileRow.sha256.is_not(None))).all()
    main = next((f for f in files if f.role == "report"), None)
    if main is None:
        return
    for f in files:
        if f.role == "response" and f.sha256 and main.sha256:
            report = session.get(ReportRow, report_id_for(f.sha256))
            if report is not None and report.parent_report_id is None and report.sha256 != main.sha256:
                report.parent_report_id = report_id_for(main.sha256)
