"""Celery entry points: a few lines each around ``worker.pipeline``.

The chain for one file is ``fetch → extract → index``; each task passes the report id on
(``None`` when there is nothing to do, which the next stage passes through). Task names are
``runtime.queue``'s, by which the other processes enqueue them.
"""

from __future__ import annotations

from typing import Any

from runtime import queue
from worker import derived, pipeline
from worker.app import celery_app, services

RETRY: dict[str, Any] = dict(autoretry_for=(pipeline.TransientError,), retry_backoff=2,
                             retry_backoff_max=120, retry_jitter=True, max_retries=5)


@celery_app.task(name=queue.FETCH, **RETRY)
def fetch(file_id: int) -> str | None:
    return pipeline.fetch_file(services(), file_id)


@celery_app.task(name=queue.EXTRACT, **RETRY)
def extract(report_id: str | None) -> str | None:
    return pipeline.extract_report(services(), report_id) if report_id else None


@celery_app.task(name=queue.INDEX, **RETRY)
def index(report_id: str | None) -> str | None:
    return pipeline.index_report(services(), report_id) if report_id else None


@celery_app.task(name=queue.PROCESS, **RETRY)
def process(report_id: str) -> str | None:
    """extract + index of a report already in the raw store (reprocess, folder ingest)."""
    return pipeline.process_report(services(), report_id)


@celery_app.task(name=queue.CRAWL)
def crawl(source: str = "ccomptes", incremental: bool = True, **params: Any) -> dict:
    return pipeline.run_crawl(services(), source, incremental=incremental, **params)


@celery_app.task(name=queue.AFTER_INDEXING)
def after_indexing() -> dict:
    """Recompute the recurring groups if stale, send the due newsletter digests (beat)."""
    return derived.after_indexing(services())
