"""The pipeline of one report: fetch → extract (+ classify) → store → index.

Plain functions of a ``runtime.services.Services``, called by the Celery tasks and
directly by tests and the command line. Each stage is idempotent on the report's content
hash: a report already produced by the current versions is not redone. A report that
cannot be read is recorded as ``failed`` with its error code and message, and the pipeline
goes on with the others; only transient errors (a database or search engine that does not
answer) are retried, a few times (``task_retries``); a stage that still cannot go on is left
where it is, and ``worker.reconcile`` hands it to the workers again later. A worker touches
the report when it starts a stage, so the reconciler never takes a live stage for a stalled one.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import redis
from sqlalchemy.exc import OperationalError

from constats.domain import Report
from crawler.crawl import crawl_source
from crawler.crawl import fetch_file as crawler_fetch
from nlp.classify import ThemeClassifier
from nlp.errors import PdfError
from nlp.report import EXTRACTOR_VERSION, understand, with_themes
from runtime import queue
from runtime.services import Services
from search.client import MeiliError, MeiliTaskError, MeiliUnavailable
from search.indexer import (
    INDEX_VERSION,
    finding_vectors,
    index_reports,
    pending_state,
    send_report_documents,
    withdraw_report,
)
from store import repo
from store.models import ReportRow

log = logging.getLogger(__name__)

#: The Celery index task sends a report's documents to Meilisearch and goes on without waiting
#: for Meilisearch to apply them (``send_index``); a ``constats.confirm_index`` task marks the
#: report ``indexed`` once Meilisearch confirmed (``confirm_index``). False: wait, as
#: ``index_report`` does (the bench's baseline).
WRITE_BEHIND = True


#: the statuses whose findings are in the store: extraction done, what indexing may send
FINDINGS_STORED = ("extracted", "indexed")


class TransientError(Exception):
    """Worth retrying later: a service did not answer."""


#: errors of a service that does not answer (the database, Meilisearch): retried, never recorded
TRANSIENT = (TransientError, OperationalError)


# --------------------------------------------------------------------------- stages
def fetch_file(services: Services, file_id: int) -> str | None:
    """Make sure the file's bytes are in the raw store; returns its report id."""
    try:
        return crawler_fetch(file_id, services.settings, services.crawl_limiter(shared=True))
    except OSError as exc:
        raise TransientError(str(exc)) from exc


def ingest_bytes(services: Services, data: bytes, *, source_url: str | None = None,
                 title: str | None = None) -> str:
    """Put a PDF's bytes in the raw store and register its report (local files, tests)."""
    store = services.raw_store
    with tempfile.NamedTemporaryFile(dir=store.root, delete=False, suffix=".part") as tmp:
        tmp.write(data)
    sha = store.put_file(Path(tmp.name))
    with services.session() as session:
        row, _ = repo.register_report(session, sha, source_url=source_url, title=title)
        return row.id


#: A claim is held in leases of this many seconds, renewed by its holder while it works: a worker
#: killed with a claim (kill -9, the machine lost) frees it within a lease, not after the whole
#: ``ttl_s``, so that the reconciler's hand-overs find the report free instead of spending their
#: attempts against a dead worker's claim.
CLAIM_LEASE_S = 30.0
#: Extend the key's expiry only while it still holds this holder's token.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end"


@contextmanager
def claim(services: Services, what: str, report_id: str, ttl_s: float) -> Iterator[bool]:
    """Whether this process may do ``what`` on the report now: ``False`` while another worker
    (on any machine sharing the Redis) holds the same claim. The claim is a Redis key set only
    if absent and removed when done. It expires one lease (``CLAIM_LEASE_S``) after its holder
    stops renewing it (a dead worker), and after ``ttl_s`` at most (a hung one). Without Redis
    (inline runs), every caller may go on: the stages are idempotent anyway."""
    key = f"constats:claim:{what}:{report_id}"
    token = uuid.uuid4().hex
    lease = max(1, int(min(ttl_s, CLAIM_LEASE_S)))
    client = None
    try:
        client = redis.Redis.from_url(services.settings.redis, socket_connect_timeout=2, socket_timeout=5)
        held = bool(client.set(key, token, nx=True, ex=lease))
    except redis.RedisError:
        client, held = None, True
    done = threading.Event()
    renewer = None
    if client is not None and held and ttl_s > lease:
        renewer = threading.Thread(target=_renew, args=(services.settings.redis, key, token, lease, ttl_s, done),
                                   name=f"claim-{what}", daemon=True)
        renewer.start()
    try:
        yield held
    finally:
        done.set()
        if renewer is not None:
            renewer.join(timeout=5)
        if client is not None and held:
            try:
                if client.get(key) == token.encode():
                    client.delete(key)
            except redis.RedisError:
                pass  # expires by itself
            client.close()


def _renew(url: str, key: str, token: str, lease: int, ttl_s: float, done: threading.Event) -> None:
    """Extend the claim every third of a lease until released, up to ``ttl_s`` in all."""
    deadline = time.monotonic() + ttl_s
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        while not done.wait(lease / 3):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                client.eval(_RENEW, 1, key, token, max(1, int(min(lease, left))))
            except redis.RedisError:
                pass  # Redis away: the claim expires by itself, as without renewal
    finally:
        client.close()


def _read_raw(services: Services, sha: str, file_id: int | None) -> bytes:
    """The PDF's bytes from this worker's raw store, fetched again from the source when this
    worker has not got them (workers on other machines, each with its own state directory)."""
    try:
        return services.raw_store.read(sha)
    except FileNotFoundError:
        if file_id is None:
            raise
    log.info("extract: %s not in this worker's raw store, fetched again (file %s)", sha[:12], file_id)
    fetch_file(services, file_id)
    return services.raw_store.read(sha)


def extract_report(services: Services, report_id: str) -> str | None:
    """Read the report's PDF into findings and store them. ``None`` when it failed, or when
    another worker is extracting the same report at this moment (it goes on to index it)."""
    with claim(services, "extract", report_id, services.settings.extract_timeout_s + 60) as mine:
        if not mine:
            log.info("extract: %s is being extracted by another worker", report_id)
            return None
        return _extract(services, report_id)


def _extract(services: Services, report_id: str) -> str | None:
    clf = services.classifier()
    clf_version = clf.version if clf else None
    with services.session() as session:
        row = repo.get_report(session, report_id)
        if row is None:
            log.warning("extract: unknown report %s", report_id)
            return None
        if (row.status in FINDINGS_STORED and row.extractor_version == EXTRACTOR_VERSION
                and row.classifier_version == clf_version):
            return report_id  # already done by these versions
        sha, file_id = row.sha256, row.file_id
        repo.touch(session, report_id)
    try:
        data = _read_raw(services, sha, file_id)
    except FileNotFoundError:
        return _fail(services, report_id, "missing_file", "le fichier PDF n'est plus dans le stockage brut")
    try:
        report = understand(data, report_id, sha256=sha, **services.read_options())
    except PdfError as exc:
        return _fail(services, report_id, exc.code, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad report never stops the others
        if type(exc).__name__ == "SoftTimeLimitExceeded":
            return _fail(services, report_id, "timeout",
                         f"extraction interrompue après {services.settings.extract_timeout_s} s")
        log.exception("extract: unexpected failure on %s", report_id)
        return _fail(services, report_id, "internal_error", f"{type(exc).__name__}: {exc}")
    if clf is not None:
        report = _classify(services, report, clf)
    with services.session() as session:
        repo.save_extraction(session, report)
    log.info("extract: %s extracted (%d findings)", report_id, len(report.findings))
    return report_id


def _classify(services: Services, report: Report, clf: ThemeClassifier) -> Report:
    """The report's themes. A model that reads sentence embeddings gets the findings' vectors
    computed once for it AND the index: when its embedder is the index's, they go through the
    store's cache (``text_vectors``), where the indexing reads them instead of embedding again;
    each distinct heading path of the report is embedded once. A TF-IDF model needs none."""
    if not clf.needs_vectors or not report.findings:
        return with_themes(report, clf)
    embedder = services.classifier_embedder()
    assert embedder is not None  # or ModelsUnusable was raised
    texts = [f.text for f in report.findings]
    if embedder is services.embedder():
        with services.session() as session:
            vectors = finding_vectors(embedder, texts, session)
    else:  # the index embeds with another model (or none): nothing to share
        vectors = embedder.embed(texts)
    return with_themes(report, clf, vectors=vectors, embedder=embedder)


def _fail(services: Services, report_id: str, code: str, message: str) -> str | None:
    """Record the report as failed with its reason; ``None`` (nothing goes on to indexing)."""
    log.warning("report %s failed: %s: %s", report_id, code, message)
    with services.session() as session:
        repo.mark_failed(session, report_id, code, message)
    return None


def _open_for_indexing(services: Services, report_id: str) -> bool:
    """Whether the report's extraction is in the store (neither failed nor lost, as it is after
    a database crash that lost its last commits); if so it is touched (the reconciler sees it
    in progress). A report not extracted is left to the reconciler, which extracts it again."""
    with services.session() as session:
        row = repo.get_report(session, report_id)
        if row is None or row.status not in FINDINGS_STORED:
            if row is not None and row.status != "failed":
                log.warning("index: %s is %s, not extracted: left to the reconciler", report_id, row.status)
            return False
        repo.touch(session, report_id)
    return True


def stored_digest(row: ReportRow) -> str:
    """What the store holds of a report for its documents: its versions and its findings' ids.
    ``send_index`` returns it with the tasks and ``confirm_index`` compares: a report whose store
    changed in between (re-extracted, or its extraction lost by a database crash) is not marked
    indexed with the documents of another state."""
    ids = sorted(f.id for f in row.findings)
    text = "|".join([row.extractor_version or "", row.classifier_version or "", *ids])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def index_report(services: Services, report_id: str) -> str | None:
    """Index a report's findings in Meilisearch (upsert; stale findings removed)."""
    if not _open_for_indexing(services, report_id):
        return None
    with services.session() as session:
        try:
            index_reports(session, services.meili_admin(), [report_id], services.embedder(),
                          services.prefix)
        except (httpx.HTTPError, MeiliError) as exc:
            _raise_if_unavailable(exc)
            session.rollback()
            return _fail(services, report_id, "index_error", str(exc))
        repo.mark_indexed(session, report_id, INDEX_VERSION)
    return report_id


def _raise_if_unavailable(exc: Exception) -> None:
    """A Meilisearch that does not answer (or answers 5xx, or times a task out) is transient;
    anything else it says is about the documents, and returns."""
    if isinstance(exc, httpx.HTTPError) or (
            isinstance(exc, MeiliTaskError) and exc.code == "timeout") or (
            isinstance(exc, MeiliError) and (exc.status or 0) >= 500) or isinstance(exc, MeiliUnavailable):
        raise TransientError(f"Meilisearch unavailable: {exc}") from exc


@dataclass(frozen=True)
class Sent:
    """A report's documents sent to Meilisearch, not yet applied: the tasks ([index uid, task
    uid]) to confirm and the ``stored_digest`` of the state they were built from."""

    tasks: list[list]
    digest: str


def send_index(services: Services, report_id: str) -> Sent | None:
    """Write-behind indexing of a report: its documents sent, not waited for. Returns what
    ``confirm_index`` needs, ``None`` when there is nothing to index."""
    if not _open_for_indexing(services, report_id):
        return None
    with services.session() as session:
        row = repo.get_report(session, report_id)
        assert row is not None
        try:
            pending = send_report_documents(session, services.meili_admin(), report_id, services.embedder(),
                                            services.prefix, replace=row.index_version is not None)
        except (httpx.HTTPError, MeiliError) as exc:
            _raise_if_unavailable(exc)
            session.rollback()
            _fail(services, report_id, "index_error", str(exc))
            return None
        digest = stored_digest(row)
    return Sent([list(t) for t in pending.tasks], digest) if pending is not None else None


def confirm_index(services: Services, report_id: str, tasks: list[list], digest: str | None = None) -> str:
    """Once Meilisearch applied the report's tasks, mark the report ``indexed`` if the store
    still holds what was sent (``digest``, under a lock on the row so that no re-extraction
    commits in between). Returns ``processing`` while the tasks are not applied (or while a
    worker extracts the report again): ask again later.

    Otherwise the index does not hold the store's state. Still extracted (re-extracted since
    the send, a failed task, or no digest from an older worker's message), the report is
    indexed again the waiting way (``index_report``: rejected documents isolated, stale
    findings dropped). No longer extracted (a database crash lost the extraction's commit
    after the documents left), its documents are withdrawn and it is left, ``unextracted``, to
    the reconciler, which extracts and indexes it again. ``failed``: the report is failed;
    ``gone``: no such report. A report marked ``indexed`` here has its store's documents."""
    try:
        state = pending_state(services.meili_admin(), tasks)
    except (httpx.HTTPError, MeiliError) as exc:
        _raise_if_unavailable(exc)
        state = "failed"  # the task is unknown to Meilisearch (its data was lost): index again
    if state == "processing":
        return state
    with services.session() as session:
        row = repo.get_report(session, report_id, lock=True)
        if row is None:
            return "gone"
        if row.status == "failed":
            return "failed"
        stored = row.status in FINDINGS_STORED
        if state == "succeeded" and stored and digest is not None and stored_digest(row) == digest:
            repo.mark_indexed(session, report_id, INDEX_VERSION)
            return "indexed"
    if not stored:
        return _withdraw(services, report_id)
    if state == "failed":
        log.warning("index: a Meilisearch task of %s failed, indexed again batch by batch", report_id)
    else:
        log.warning("index: the store of %s may have changed since its documents were sent, indexed again",
                    report_id)
    return "indexed" if index_report(services, report_id) else "failed"


def _withdraw(services: Services, report_id: str) -> str:
    """Remove the documents of a report whose extraction is no longer in the store. Under the
    extract claim, so that no worker extracts it meanwhile (one that holds the claim makes
    this ``processing``: asked again once it is done), and after reading the row again: a
    worker may have extracted it since the caller looked (then it is indexed again)."""
    with claim(services, "extract", report_id, services.settings.extract_timeout_s + 60) as mine:
        if not mine:
            return "processing"
        with services.session() as session:
            row = repo.get_report(session, report_id)
            stored = row is not None and row.status in FINDINGS_STORED
        if stored:
            return "indexed" if index_report(services, report_id) else "failed"
        log.warning("index: %s is no longer extracted in the store, its documents withdrawn", report_id)
        try:
            withdraw_report(services.meili_admin(), services.prefix, report_id)
        except (httpx.HTTPError, MeiliError) as exc:
            _raise_if_unavailable(exc)
            raise
    return "unextracted"


def process_report(services: Services, report_id: str) -> str | None:
    rid = extract_report(services, report_id)
    return index_report(services, rid) if rid else None


# --------------------------------------------------------------------------- orchestration
def run_crawl(services: Services, source: str = "ccomptes", *, incremental: bool = True,
              **params: Any) -> dict:
    """A crawl run inside the worker (beat or API): new files go down the pipeline."""
    # inside the workers the per-host rate limit is shared through Redis with the fetch tasks
    summary = crawl_source(source, services.settings, incremental=incremental,
                           limiter=services.crawl_limiter(shared=True),
                           on_new_file=lambda file_id, report_id: queue.enqueue_file(services.queue, file_id),
                           **params)
    return summary.counts()


def outdated_report_ids(services: Services) -> list[str]:
    with services.session() as session:
        return repo.outdated_reports(session, **services.versions())
