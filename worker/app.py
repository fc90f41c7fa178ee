"""The Celery application: broker and result backend on Redis, beat schedule for crawls.

Tasks acknowledge late and are rejected when their worker dies, so a report being
processed when a worker is killed is processed again by another; every stage is
idempotent on the report's content hash, so running it twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from celery import Celery

from constats.config import get_settings


def make_celery() -> Celery:
    app = Celery("constats", include=["worker.tasks"])
    configure(app)
    return app


def configure(app: Celery, settings=None) -> None:
    """(Re)apply the settings to the app: tests point it at their own services."""
    settings = settings or get_settings()
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
                "task": "constats.crawl",
                "schedule": timedelta(hours=settings.crawl_schedule_hours),
                "kwargs": {"source": "ccomptes", "incremental": True},
            }
        },
    )
    return app


celery_app = make_celery()
