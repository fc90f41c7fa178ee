"""The worker's Celery application and its services, built once per worker process.

``celery -A worker.app worker`` loads this module: the app comes from ``runtime.queue``
(broker and result backend on Redis, late acknowledgement, beat schedule of crawls) with the
tasks of ``worker.tasks``; ``services()`` builds the process's ``Services`` from the settings
at first use (the model and the clients are loaded once per worker process).
"""

from __future__ import annotations

from functools import lru_cache

from constats.config import get_settings
from runtime.queue import make_celery
from runtime.services import Services

celery_app = make_celery(get_settings(), include=("worker.tasks",))


@lru_cache(maxsize=1)
def services() -> Services:
    return Services(get_settings())
