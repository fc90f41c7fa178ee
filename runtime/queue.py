"""The task queue as every process sees it: the Celery app configured from the settings and
the names of the pipeline's tasks.

The worker registers the tasks (``worker.tasks``); the API, the crawler and the command line
enqueue them here by name, so they never import the worker's code. Tasks acknowledge late
and are rejected when their worker dies, so a report being processed when a worker is
killed is processed again by another; every stage is idempotent on the report's content
hash, so running it twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import Celery, chain
from celery.result import AsyncResult

from constats.config import Settings

FETCH = "constats.fetch"
EXTRACT = "constats.extract"
INDEX = "constats.index"
PROCESS = "constats.process"
CRAWL = "constats.crawl"
CONFIRM_INDEX = "constats.confirm_index"  # a report's Meilisearch tasks applied: mark it indexed
AFTER_INDEXING = "constats.after_indexing"  # recurring groups, newsletter digests


def make_celery(settings: Settings, *, include: tuple[str, ...] = ()) -> Celery:
    """A Celery app on the settings' Redis; ``include``: modules that register tasks."""
    app = Celery("constats", include=list(include))
    configure(app, settings)
    return app


def configure(app: Celery, settings: Settings) -> Celery:
    """(Re)apply the settings to the app: tests point it at their own services."""
    app.conf.update(
        broker_url=settings.redis,
        result_backend=settings.redis,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=24 * 3600,
        task_always_eager=settings.task_always_eager,
        task_eager_propagates=True,
        broker_connection_retry_on_startup=True,
        # bounded work on untrusted PDFs: a runaway extraction is killed, its child replaced
        task_soft_time_limit=settings.extract_timeout_s,
        task_time_limit=settings.extract_timeout_s + 30,
        worker_max_memory_per_child=2_000_000,  # KiB
        worker_hijack_root_logger=False,
        beat_schedule={
            "crawl-ccomptes": {
                "task": CRAWL,
                "schedule": timedelta(hours=settings.crawl_schedule_hours),
                "kwargs": {"source": "ccomptes", "incremental": True},
            },
            "after-indexing": {
                "task": AFTER_INDEXING,
                "schedule": timedelta(minutes=settings.digest_check_minutes),
            },
        },
    )
    return app


def enqueue_file(app: Celery, file_id: int) -> AsyncResult:
    """Hand a crawled file to the workers: the chain fetch → extract → index."""
    return chain(app.signature(FETCH, args=(file_id,)), app.signature(EXTRACT),
                 app.signature(INDEX)).apply_async()


def enqueue_report(app: Celery, report_id: str) -> AsyncResult:
    """extract + index of a report already in the raw store (reprocess, local files)."""
    return app.send_task(PROCESS, args=(report_id,))


def confirm_index(app: Celery, report_id: str, tasks: list[list], countdown: float = 1.0) -> AsyncResult:
    """Check later that Meilisearch applied a report's tasks (write-behind indexing)."""
    return app.send_task(CONFIRM_INDEX, args=(report_id, tasks), countdown=countdown)


def start_crawl(app: Celery, params: dict[str, Any]) -> AsyncResult:
    """A crawl run inside the workers (new files go down the pipeline)."""
    return app.send_task(CRAWL, kwargs=params)
