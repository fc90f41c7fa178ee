"""The reconciler: every report ends ``indexed`` or ``failed`` with a code, with no command typed.

Retries handle short faults; what they cannot (a worker killed with its messages reserved, a
Redis restarted without its data, a Meilisearch down longer than the retries last, a task that
gave up) leaves a report whose stage does not advance. ``reconcile`` runs periodically (beat,
every ``reconcile_every_s``) and when a worker starts, and hands such reports to the workers
again:

- it acts only while the queue is empty: a report waiting behind a backlog is not stalled;
- a report is stalled when its stage has neither advanced nor started for ``stall_after_s``
  (a worker touches the report when it starts a stage, see ``worker.pipeline``);
- ``fetched`` goes back to extract + index, ``extracted`` to index, the latter only while
  Meilisearch answers (an outage of any length spends no attempt: indexing resumes after it);
- each hand-over is an attempt; after ``max_attempts`` the report is ``failed`` with the code
  ``stalled`` (a report that kills its worker every time never loops forever);
- files listed by a crawl whose download task was lost are handed again the same way.

Every stage is idempotent on the report's content hash and the index upserts by finding id,
so a report handed twice is never duplicated.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import httpx

from runtime import queue
from runtime.services import Services
from store import repo

log = logging.getLogger(__name__)


def meili_answers(url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{url.rstrip('/')}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def reconcile(services: Services, now: datetime | None = None) -> dict:
    """Hand stalled reports and files to the workers again; returns what was done."""
    s = services.settings
    now = now or datetime.now(UTC)
    waiting = queue.pending_messages(s.redis)
    if waiting:
        return {"skipped": "queue busy", "waiting": waiting}
    before = now - timedelta(seconds=s.stall_after_s)
    with services.session() as session:
        stalled = repo.stalled_reports(session, before)
        files = repo.stalled_files(session, before)
    done = {"process": 0, "index": 0, "failed": 0, "files": 0, "waiting_for_meilisearch": 0}
    meili_up: bool | None = None
    for st in stalled:
        if st.attempts >= s.max_attempts:
            with services.session() as session:
                repo.mark_failed(session, st.report_id, "stalled",
                                 f"abandonné après {st.attempts} tentatives : l'étape suivant "
                                 f"« {st.status} » n'a jamais abouti")
            log.warning("reconcile: report %s failed after %d attempts (%s)", st.report_id, st.attempts,
                        st.status)
            done["failed"] += 1
            continue
        if st.status == "extracted":
            if meili_up is None:
                meili_up = meili_answers(s.meili)
            if not meili_up:  # an outage spends no attempt: indexing resumes after it
                done["waiting_for_meilisearch"] += 1
                continue
            queue.enqueue_index(services.queue, st.report_id)
            done["index"] += 1
        else:
            queue.enqueue_report(services.queue, st.report_id)
            done["process"] += 1
        with services.session() as session:
            repo.note_attempt(session, st.report_id)
    for file_id, attempts in files:
        give_up = attempts >= s.max_attempts
        if not give_up:
            queue.enqueue_file(services.queue, file_id)
            done["files"] += 1
        with services.session() as session:
            repo.note_file_enqueued(session, file_id, give_up=give_up)
    if any(done.values()):
        log.info("reconcile: %s", done)
    return done
