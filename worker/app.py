"""The worker's Celery application and its services, built once per worker process.

``celery -A worker.app worker`` loads this module: the app comes from ``runtime.queue``
(broker on Redis, no result backend, late acknowledgement, beat schedule of crawls and of the
reconciler) with the tasks of ``worker.tasks``; ``services()`` builds the process's
``Services`` from the settings at first use (the model and the clients are loaded once per
worker process).

A worker refuses to start when its models or reference data cannot be used (missing, another
format, another scikit-learn version): retrying could not help, and every report would fail
or lose its themes. Once started, it asks for a reconciliation (``worker.reconcile``).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from celery import signals

from constats.config import get_settings
from runtime import queue
from runtime.queue import make_celery
from runtime.services import ModelsUnusable, Services

log = logging.getLogger(__name__)

celery_app = make_celery(get_settings(), include=("worker.tasks",))


@lru_cache(maxsize=1)
def services() -> Services:
    return Services(get_settings())


@signals.worker_init.connect
def _refuse_unusable_models(**_: Any) -> None:
    try:
        services().check_models()
    except ModelsUnusable as exc:
        log.critical("worker not started: %s", exc)
        raise SystemExit(f"constats worker: refus de démarrer : {exc}") from None


@signals.worker_ready.connect
def _reconcile_at_start(sender: Any = None, **_: Any) -> None:
    try:
        celery_app.send_task(queue.RECONCILE)
    except Exception as exc:  # noqa: BLE001 - beat runs it again later
        log.warning("reconcile at start not enqueued: %s", exc)
