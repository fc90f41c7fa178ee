"""Celery entry points: a few lines each around ``worker.pipeline``.

The chain for one file is ``fetch → extract → index``; each task passes the report id on
(``None`` when there is nothing to do, which the next stage passes through).
"""

from __future__ import annotations

from celery.utils.log import get_task_logger

from worker import pipeline
from worker.app import celery_app

log = get_task_logger(__name__)

RETRY = dict(autoretry_for=(pipeline.TransientError,), retry_backoff=2, retry_backoff_max=120,
             retry_jitter=True, max_retries=5)


@celery_app.task(name="constats.fetch", **RETRY)
def fetch(file_id: int) -> str | None:
    return pipeline.fetch_file(file_id)


@celery_app.task(name="constats.extract", **RETRY)
def extract(report_id: str | None) -> str | None:
    return pipeline.extract_report(report_id) if report_id else None


@celery_app.task(name="constats.index", **RETRY)
def index(report_id: str | None) -> str | None:
    return pipeline.index_report(report_id) if report_id else None


@celery_app.task(name="constats.process", **RETRY)
def process(report_id: str) -> str | None:
    """extract + index of a report already in the raw store (reprocess, folder ingest)."""
    rid = pipeline.extract_report(report_id)
    return pipeline.index_report(rid) if rid else None


@celery_app.task(name="constats.crawl")
def crawl(source: str = "ccomptes", incremental: bool = True, **params) -> dict:
    return pipeline.run_crawl(source, incremental=incremental, **params)
