"""The pipeline of one report: fetch → extract (+ classify) → store → index.

Plain functions of a ``runtime.services.Services``, called by the Celery tasks and
directly by tests and the command line. Each stage is idempotent on the report's content
hash: a report already produced by the current versions is not redone. A report that
cannot be read is recorded as ``failed`` with its error code and message, and the pipeline
goes on with the others; only transient errors (a database or search engine that does not
answer) are retried, a few times (``task_retries``); a stage that still cannot go on is left
where it is, and ``worker.reconcile`` hands it to the workers again later. A worker touches
the report when it starts a stage, so the reconciler never takes a live stage for a stalled one.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.exc import OperationalError

from crawler.crawl import crawl_source
from crawler.crawl import fetch_file as crawler_fetch
from nlp.errors import PdfError
from nlp.report import EXTRACTOR_VERSION, understand, with_themes
from runtime import queue
from runtime.services import Services
from search.client import MeiliError, MeiliTaskError
from search.indexer import INDEX_VERSION, index_reports
from store import repo

log = logging.getLogger(__name__)


class TransientError(Exception):
    """Worth retrying later: a service did not answer."""


#: errors of a service that does not answer (the database, Meilisearch): retried, never recorded
TRANSIENT = (TransientError, OperationalError)


# --------------------------------------------------------------------------- stages
def fetch_file(services: Services, file_id: int) -> str | None:
    """Make sure the file's bytes are in the raw store; returns its report id."""
    try:
        return crawler_fetch(file_id, services.settings, services.crawl_limiter(shared=True))
    except OSError as exc:
        raise TransientError(str(exc)) from exc


def ingest_bytes(services: Services, data: bytes, *, source_url: str | None = None,
                 title: str | None = None) -> str:
    """Put a PDF's bytes in the raw store and register its report (local files, tests)."""
    store = services.raw_store
    with tempfile.NamedTemporaryFile(dir=store.root, delete=False, suffix=".part") as tmp:
        tmp.write(data)
    sha = store.put_file(Path(tmp.name))
    with services.session() as session:
        row, _ = repo.register_report(session, sha, source_url=source_url, title=title)
        return row.id


def extract_report(services: Services, report_id: str) -> str | None:
    """Read the report's PDF into findings and store them. ``None`` when it failed."""
    clf = services.classifier()
    clf_version = clf.version if clf else None
    with services.session() as session:
        row = repo.get_report(session, report_id)
        if row is None:
            log.warning("extract: unknown report %s", report_id)
            return None
        if (row.status in ("extracted", "indexed") and row.extractor_version == EXTRACTOR_VERSION
                and row.classifier_version == clf_version):
            return report_id  # already done by these versions
        sha = row.sha256
        repo.touch(session, report_id)
    try:
        data = services.raw_store.read(sha)
    except FileNotFoundError:
        return _fail(services, report_id, "missing_file", "le fichier PDF n'est plus dans le stockage brut")
    try:
        report = understand(data, report_id, sha256=sha, **services.read_options())
    except PdfError as exc:
        return _fail(services, report_id, exc.code, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad report never stops the others
        if type(exc).__name__ == "SoftTimeLimitExceeded":
            return _fail(services, report_id, "timeout",
                         f"extraction interrompue après {services.settings.extract_timeout_s} s")
        log.exception("extract: unexpected failure on %s", report_id)
        return _fail(services, report_id, "internal_error", f"{type(exc).__name__}: {exc}")
    if clf is not None:
        report = with_themes(report, clf)
    with services.session() as session:
        repo.save_extraction(session, report)
    return report_id


def _fail(services: Services, report_id: str, code: str, message: str) -> str | None:
    """Record the report as failed with its reason; ``None`` (nothing goes on to indexing)."""
    log.warning("report %s failed: %s: %s", report_id, code, message)
    with services.session() as session:
        repo.mark_failed(session, report_id, code, message)
    return None


def index_report(services: Services, report_id: str) -> str | None:
    """Index a report's findings in Meilisearch (upsert; stale findings removed)."""
    with services.session() as session:
        row = repo.get_report(session, report_id)
        if row is None or row.status == "failed":
            return None
        repo.touch(session, report_id)
    with services.session() as session:
        try:
            index_reports(session, services.meili_admin(), [report_id], services.embedder(),
                          services.prefix)
        except httpx.HTTPError as exc:
            raise TransientError(f"Meilisearch unreachable: {exc}") from exc
        except MeiliError as exc:
            if isinstance(exc, MeiliTaskError) and exc.code == "timeout" or (exc.status or 0) >= 500:
                raise TransientError(f"Meilisearch unavailable: {exc}") from exc
            session.rollback()
            return _fail(services, report_id, "index_error", str(exc))
        repo.mark_indexed(session, report_id, INDEX_VERSION)
    return report_id


def process_report(services: Services, report_id: str) -> str | None:
    rid = extract_report(services, report_id)
    return index_report(services, rid) if rid else None


# --------------------------------------------------------------------------- orchestration
def run_crawl(services: Services, source: str = "ccomptes", *, incremental: bool = True,
              **params: Any) -> dict:
    """A crawl run inside the worker (beat or API): new files go down the pipeline."""
    # inside the workers the per-host rate limit is shared through Redis with the fetch tasks
    summary = crawl_source(source, services.settings, incremental=incremental,
                           limiter=services.crawl_limiter(shared=True),
                           on_new_file=lambda file_id, report_id: queue.enqueue_file(services.queue, file_id),
                           **params)
    return summary.counts()


def outdated_report_ids(services: Services) -> list[str]:
    with services.session() as session:
        return repo.outdated_reports(session, **services.versions())
