"""Celery entry points: a few lines each around ``worker.pipeline``.

The chain for one file is ``fetch → extract → index``; each task passes the report id on
(``None`` when there is nothing to do, which the next stage passes through). Task names are
``runtime.queue``'s, by which the other processes enqueue them.

A transient error (a service that does not answer) is retried ``task_retries`` times with a
capped exponential backoff; after that the task gives up and the report stays at its stage,
where the reconciler (``RECONCILE``) finds it and hands it over again once the service is back.
"""

from __future__ import annotations

import logging
from typing import Any

from constats.config import get_settings
from runtime import queue
from worker import derived, pipeline, reconcile
from worker.app import celery_app, services

log = logging.getLogger(__name__)

_S = get_settings()
RETRY: dict[str, Any] = dict(autoretry_for=pipeline.TRANSIENT, retry_backoff=2,
                             retry_backoff_max=int(_S.retry_backoff_cap_s), retry_jitter=True,
                             max_retries=_S.task_retries)


@celery_app.task(name=queue.FETCH, **RETRY)
def fetch(file_id: int) -> str | None:
    return pipeline.fetch_file(services(), file_id)


@celery_app.task(name=queue.EXTRACT, **RETRY)
def extract(report_id: str | None) -> str | None:
    return pipeline.extract_report(services(), report_id) if report_id else None


@celery_app.task(name=queue.INDEX, **RETRY)
def index(report_id: str | None) -> str | None:
    return _index(report_id) if report_id else None


@celery_app.task(name=queue.PROCESS, **RETRY)
def process(report_id: str) -> str | None:
    """extract + index of a report already in the raw store (reprocess, folder ingest)."""
    rid = pipeline.extract_report(services(), report_id)
    return _index(rid) if rid else None


def _index(report_id: str) -> str | None:
    """Write-behind: send the documents, confirm later (eager runs and the baseline wait)."""
    if not pipeline.WRITE_BEHIND or celery_app.conf.task_always_eager:
        return pipeline.index_report(services(), report_id)
    sent = pipeline.send_index(services(), report_id)
    if sent is None:
        return None
    queue.confirm_index(celery_app, report_id, sent.tasks, sent.digest)
    return report_id


@celery_app.task(name=queue.CONFIRM_INDEX, bind=True, max_retries=600, **{k: v for k, v in RETRY.items()
                                                                          if k != "max_retries"})
def confirm_index(self, report_id: str, tasks: list[list], digest: str | None = None) -> str:
    """Mark the report indexed once Meilisearch applied its tasks (checked every 1-2 s) and
    the store still holds what was sent (``pipeline.confirm_index``)."""
    state = pipeline.confirm_index(services(), report_id, tasks, digest)
    if state == "processing":
        raise self.retry(countdown=1.0 if self.request.retries < 30 else 5.0)
    return state


@celery_app.task(name=queue.CRAWL)
def crawl(source: str = "ccomptes", incremental: bool = True, **params: Any) -> dict:
    return pipeline.run_crawl(services(), source, incremental=incremental, **params)


@celery_app.task(name=queue.AFTER_INDEXING)
def after_indexing() -> dict:
    """Recompute the recurring groups if stale, send the due newsletter digests (beat)."""
    return derived.after_indexing(services())


@celery_app.task(name=queue.RECONCILE, ignore_result=True)
def reconcile_task() -> dict:
    """Hand the reports whose stage has not advanced to the workers again (beat, worker start)."""
    return reconcile.reconcile(services())
