"""The pipeline of one report: fetch → extract (+ classify) → store → index.

Plain functions, called by the Celery tasks and directly by tests and the CLI. Each stage
is idempotent on the report's content hash: a report already produced by the current
versions is not redone. A report that cannot be read is recorded as ``failed`` with its
error code and message, and the pipeline goes on with the others; only transient errors
(a database or search engine that does not answer) are retried.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from constats.config import get_settings
from store import repo
from store.db import session_scope

log = logging.getLogger(__name__)


class TransientError(Exception):
    """Worth retrying later: a service did not answer."""


# --------------------------------------------------------------------------- shared parts
@lru_cache(maxsize=1)
def _embedder():
    from nlp.embed import get_embedder

    settings = get_settings()
    return get_embedder(settings.embedder, threads=settings.embed_threads)


@lru_cache(maxsize=1)
def _classifier():
    try:
        from nlp.classify import ThemeClassifier

        return ThemeClassifier.load()
    except (ImportError, FileNotFoundError) as exc:
        log.warning("no theme classifier available (%s): findings stay unclassified", exc)
        return None


def _raw_store():
    from crawler.rawstore import RawStore

    return RawStore(get_settings().raw_dir)


def meili_admin_client():
    from search.client import MeiliClient

    s = get_settings()
    return MeiliClient(s.meili, s.meili_master_key)


def current_versions() -> dict[str, str | None]:
    from nlp.report import EXTRACTOR_VERSION
    from search.indexer import INDEX_VERSION

    clf = _classifier()
    return {"extractor_version": EXTRACTOR_VERSION, "index_version": INDEX_VERSION,
            "classifier_version": getattr(clf, "version", None) if clf else None}


# --------------------------------------------------------------------------- stages
def fetch_file(file_id: int) -> str | None:
    """Make sure the file's bytes are in the raw store; returns its report id."""
    from crawler.crawl import fetch_file as crawler_fetch

    try:
        return crawler_fetch(file_id, get_settings())
    except OSError as exc:
        raise TransientError(str(exc)) from exc


def ingest_bytes(data: bytes, *, source_url: str | None = None, title: str | None = None) -> str:
    """Put a PDF's bytes in the raw store and register its report (local files, tests)."""
    import tempfile
    from pathlib import Path

    store = _raw_store()
    with tempfile.NamedTemporaryFile(dir=store.root, delete=False, suffix=".part") as tmp:
        tmp.write(data)
    sha = store.put_file(Path(tmp.name))
    with session_scope() as session:
        row, _ = repo.register_report(session, sha, source_url=source_url, title=title)
        return row.id


def extract_report(report_id: str) -> str | None:
    """Read the report's PDF into findings and store them. ``None`` when it failed."""
    from nlp.errors import PdfError
    from nlp.report import EXTRACTOR_VERSION, understand

    settings = get_settings()
    clf = _classifier()
    clf_version = getattr(clf, "version", None) if clf else None
    with session_scope() as session:
        row = repo.get_report(session, report_id)
        if row is None:
            log.warning("extract: unknown report %s", report_id)
            return None
        if (row.status in ("extracted", "indexed") and row.extractor_version == EXTRACTOR_VERSION
                and row.classifier_version == clf_version):
            return report_id  # already done by these versions
        sha = row.sha256
    try:
        data = _raw_store().read(sha)
    except FileNotFoundError:
        return _fail(report_id, "missing_file", "le fichier PDF n'est plus dans le stockage brut")
    try:
        report = understand(data, report_id, sha256=sha, ocr_cache=settings.state_dir / "ocr-cache")
    except PdfError as exc:
        return _fail(report_id, exc.code, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad report never stops the others
        if type(exc).__name__ == "SoftTimeLimitExceeded":
            return _fail(report_id, "timeout", f"extraction interrompue après {settings.extract_timeout_s} s")
        log.exception("extract: unexpected failure on %s", report_id)
        return _fail(report_id, "internal_error", f"{type(exc).__name__}: {exc}")
    if clf is not None:
        from nlp.report import with_themes

        report = with_themes(report, clf)
    with session_scope() as session:
        repo.save_extraction(session, report)
    return report_id


def _fail(report_id: str, code: str, message: str) -> None:
    log.warning("report %s failed: %s: %s", report_id, code, message)
    with session_scope() as session:
        repo.mark_failed(session, report_id, code, message)
    return None


def index_report(report_id: str) -> str | None:
    """Index a report's findings in Meilisearch (upsert; stale findings removed)."""
    import httpx

    from search.indexer import INDEX_VERSION, index_reports

    settings = get_settings()
    with session_scope() as session:
        row = repo.get_report(session, report_id)
        if row is None or row.status == "failed":
            return None
        try:
            index_reports(session, meili_admin_client(), [report_id], _embedder(), settings.index_prefix)
        except httpx.TransportError as exc:
            raise TransientError(f"Meilisearch unreachable: {exc}") from exc
        repo.mark_indexed(session, report_id, INDEX_VERSION)
    return report_id


def process_report(report_id: str) -> str | None:
    rid = extract_report(report_id)
    return index_report(rid) if rid else None


# --------------------------------------------------------------------------- orchestration
def enqueue(file_id: int):
    """Hand a crawled file to the workers: the chain fetch → extract → index."""
    from celery import chain

    from worker import tasks

    return chain(tasks.fetch.s(file_id), tasks.extract.s(), tasks.index.s()).apply_async()


def enqueue_report(report_id: str):
    from worker import tasks

    return tasks.process.delay(report_id)


def start_crawl(params: dict):
    from worker import tasks

    return tasks.crawl.delay(**params)


def run_crawl(source: str = "ccomptes", *, incremental: bool = True, **params) -> dict:
    """A crawl run inside the worker (beat or API): new files go down the pipeline."""
    from crawler.crawl import crawl_source

    # inside the workers the per-host rate limit is shared through Redis with the fetch tasks
    summary = crawl_source(source, get_settings(), incremental=incremental, shared_limiter=True,
                           on_new_file=lambda file_id, report_id: enqueue(file_id), **params)
    return summary.counts()


def outdated_report_ids() -> list[str]:
    with session_scope() as session:
        return repo.outdated_reports(session, **current_versions())
