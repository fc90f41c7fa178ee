"""The task queue as every process sees it: the Celery app configured from the settings and
the names of the pipeline's tasks.

The worker registers the tasks (``worker.tasks``); the API, the crawler and the command line
enqueue them here by name, so they never import the worker's code. Tasks acknowledge late
and are rejected when their worker dies, so a report being processed when a worker is
killed is processed again by another; every stage is idempotent on the report's content
hash, so running it twice changes nothing.

The broker's ``visibility_timeout`` is the real bound of one task (``task_bound_s``: the hard
time limit plus a margin), not Redis' one-hour default: a message reserved by a worker that
died (``kill -9``) is delivered again once that bound has passed. Whatever is lost all the
same (a Redis restarted without its data, a task that gave up) is found by the reconciler
(``RECONCILE``, every ``reconcile_every_s`` and at each worker start).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import redis
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
RECONCILE = "constats.reconcile"  # re-enqueue reports whose stage has not advanced

#: Redis lists of the default queue (kombu keeps one list per priority step)
_QUEUE_KEYS = ("celery", "celery\x06\x163", "celery\x06\x166", "celery\x06\x169")


def task_bound_s(settings: Settings) -> float:
    """The longest a task may hold its message: the hard time limit, plus a margin."""
    return settings.extract_timeout_s + 30 + 60


def make_celery(settings: Settings, *, include: tuple[str, ...] = ()) -> Celery:
    """A Celery app on the settings' Redis; ``include``: modules that register tasks."""
    app = Celery("constats", include=list(include))
    configure(app, settings)
    return app


def configure(app: Celery, settings: Settings) -> Celery:
    """(Re)apply the settings to the app: tests point it at their own services."""
    app.conf.update(
        broker_url=settings.redis,
        # nothing reads task results (the store says where each report is): no result backend,
        # so that a Redis outage never fails a task that did its work, nor a publisher
        result_backend=None,
        task_ignore_result=True,
        broker_transport_options={"visibility_timeout": task_bound_s(settings)},
        # a worker waits out a Redis outage of any length instead of exiting
        broker_connection_max_retries=None,
        # a publisher (the API's write routes, the crawler, the reconciler) does not: it fails in
        # about a second and says so (503; what was not enqueued is found by the reconciler)
        broker_connection_timeout=1.0,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0.5,
                                   "interval_max": 0.5},
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
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
            "reconcile": {
                "task": RECONCILE,
                "schedule": timedelta(seconds=settings.reconcile_every_s),
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


def enqueue_index(app: Celery, report_id: str) -> AsyncResult:
    """Index a report already extracted (the reconciler resumes a parked index stage)."""
    return app.send_task(INDEX, args=(report_id,))


def pending_messages(redis_url: str) -> int:
    """Messages waiting in the default queue (not those reserved by a worker)."""
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return sum(int(client.llen(key)) for key in _QUEUE_KEYS)
    finally:
        client.close()


def enqueue_report(app: Celery, report_id: str) -> AsyncResult:
    """extract + index of a report already in the raw store (reprocess, local files)."""
    return app.send_task(PROCESS, args=(report_id,))


def confirm_index(app: Celery, report_id: str, tasks: list[list], digest: str | None = None,
                  countdown: float = 1.0) -> AsyncResult:
    """Check later that Meilisearch applied a report's tasks (write-behind indexing) built from
    the store's state ``digest`` (``worker.pipeline.stored_digest``)."""
    return app.send_task(CONFIRM_INDEX, args=(report_id, tasks, digest), countdown=countdown)


def start_crawl(app: Celery, params: dict[str, Any]) -> AsyncResult:
    """A crawl run inside the workers (new files go down the pipeline)."""
    return app.send_task(CRAWL, kwargs=params)
