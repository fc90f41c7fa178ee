"""Indexing: store rows → validated documents → Meilisearch.

- ``index_reports`` upserts the findings and the report documents of some reports and
  deletes the findings of those reports that are no longer in the store (stale spans);
- ``rebuild`` builds fresh ``{prefix}-findings-<ts>`` / ``{prefix}-reports-<ts>`` indexes,
  swaps them with the live ones in one atomic ``swap-indexes`` task and deletes the old
  ones, so that search keeps answering during a reindex;
- ``index_bodies`` fills the lookup index of communes, EPCI, départements.

Every document is validated before it is sent; invalid ones are skipped and listed in the
``IndexSummary``. Should Meilisearch still reject a batch, the batch is split in halves
until the offending documents are isolated, so the others are indexed anyway.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from nlp.geo import all_bodies
from search import settings as index_settings
from search.client import MeiliClient, MeiliTaskError
from search.documents import body_document, finding_document, report_document, report_metadata, validate_document
from search.lemmas import lemmatize
from store import repo

log = logging.getLogger(__name__)

#: Bump when documents or settings change in a way that needs a reindex.
INDEX_VERSION = "search-3"
BATCH_SIZE = 500


@dataclass
class IndexSummary:
    findings_indexed: int = 0
    reports_indexed: int = 0
    bodies_indexed: int = 0
    stale_deleted: int = 0
    skipped: list[tuple[str, list[str]]] = field(default_factory=list)  # (id, problems)
    seconds: float = 0.0
    index_uid: str | None = None

    def merge(self, other: IndexSummary) -> None:
        self.findings_indexed += other.findings_indexed
        self.reports_indexed += other.reports_indexed
        self.bodies_indexed += other.bodies_indexed
        self.stale_deleted += other.stale_deleted
        self.skipped += other.skipped


def embedder_dim(embedder) -> int | None:
    return int(embedder.dim) if embedder is not None else None


_APPLIED: set[tuple[str, str, int | None]] = set()


def ensure_settings(client: MeiliClient, prefix: str, dim: int | None) -> None:
    """Apply the settings once per process and (server, prefix, dimension)."""
    key = (client.url, prefix, dim)
    if key not in _APPLIED or client.get_index(index_settings.index_names(prefix)["findings"]) is None:
        index_settings.apply_settings(client, prefix, dim)
        _APPLIED.add(key)


# ---------------------------------------------------------------------------- sending
def send_documents(client: MeiliClient, uid: str, docs: list[dict], *,
                   timeout: float = 600.0) -> tuple[int, list[tuple[str, list[str]]]]:
    """Add ``docs`` in one task; on failure split until the culprits are isolated.
    Returns (number indexed, [(id, [error])] rejected by Meilisearch)."""
    if not docs:
        return 0, []
    try:
        client.wait_task(client.add_documents(uid, docs), timeout=timeout)
        return len(docs), []
    except MeiliTaskError as exc:
        if exc.code == "timeout":
            raise
        if len(docs) == 1:
            return 0, [(str(docs[0].get("id")), [f"rejected by Meilisearch: {exc}"])]
        mid = len(docs) // 2
        n1, bad1 = send_documents(client, uid, docs[:mid], timeout=timeout)
        n2, bad2 = send_documents(client, uid, docs[mid:], timeout=timeout)
        return n1 + n2, bad1 + bad2


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build_finding_documents(pairs: list[tuple[Any, Any]], embedder,
                            lemmatizer: Callable[[list[str]], list[str]] | None = None,
                            session=None) -> list[dict]:
    """Documents for (finding_row, report_row) pairs: lemmas and vectors computed per batch
    (vectors through the store's cache when a ``session`` is given)."""
    if lemmatizer is None:
        lemmatizer = lemmatize
    texts = [f.text or "" for f, _ in pairs]
    lemmas = lemmatizer(texts)
    vectors = embed_texts(embedder, texts, session)
    metas: dict[str, dict] = {}
    docs = []
    for (frow, rrow), lem, vec in zip(pairs, lemmas, vectors):
        meta = metas.get(rrow.id) or metas.setdefault(rrow.id, report_metadata(rrow))
        docs.append(finding_document(frow, rrow, vector=vec, lemmas=lem, report_meta=meta))
    return docs


def embedder_key(embedder) -> str:
    """What identifies an embedder's vectors in the cache: its name and version."""
    return f"{getattr(embedder, 'name', type(embedder).__name__)}@{getattr(embedder, 'version', '')}"[:160]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed_texts(embedder, texts: list[str], session=None) -> list[list[float] | None]:
    """The vectors of ``texts`` (None without an embedder). With a ``session``, vectors are
    read from the store's cache (``text_vectors``, by SHA-256 of the text and embedder) and
    only the texts missing there are embedded, then cached: the worker fills the cache when it
    classifies (a theme model that reads embeddings) or indexes, so that neither the indexing
    nor a rebuild of the index embeds a text it has seen."""
    if embedder is None or not texts:
        return [None] * len(texts)
    if session is None:
        return _as_lists(embedder.embed(texts))
    rows = _cached_rows(embedder, texts, session)
    dim = int(embedder.dim)
    if all(r.shape == (dim,) for r in rows):
        return _as_lists(np.vstack(rows))
    return [_as_lists(r[None, :])[0] for r in rows]  # a broken vector, left to the validation


def finding_vectors(embedder, texts: list[str], session) -> np.ndarray:
    """The vectors of ``texts`` as a float32 matrix, through the store's cache as ``embed_texts``
    (same key, same rows): what the worker computes once for the theme model and the index."""
    if not texts:
        return np.zeros((0, int(embedder.dim)), dtype=np.float32)
    return np.vstack(_cached_rows(embedder, texts, session)).astype(np.float32)


def _cached_rows(embedder, texts: list[str], session) -> list[np.ndarray]:
    key, dim = embedder_key(embedder), int(embedder.dim)
    hashes = [text_hash(t) for t in texts]
    cached = repo.cached_vectors(session, key, hashes)
    cached = {h: v for h, v in cached.items() if len(v) == 4 * dim}
    missing = list(dict.fromkeys(h for h in hashes if h not in cached))
    if missing:
        first = {h: t for h, t in zip(hashes, texts)}
        matrix = np.asarray(embedder.embed([first[h] for h in missing]), dtype="<f4")
        fresh = {h: row.tobytes() for h, row in zip(missing, matrix)}
        repo.save_vectors(session, key, dim, {h: row.tobytes() for h, row in zip(missing, matrix)
                                              if row.shape == (dim,) and np.isfinite(row).all()})
        cached.update(fresh)  # a broken vector is sent (and refused by validation), never cached
    return [np.frombuffer(cached[h], dtype="<f4") for h in hashes]


#: Decimals of the vector components sent to Meilisearch: 6 decimals change a unit vector's
#: cosine with itself by less than 2e-6 (float32 has 7 significant digits) and halve the JSON
#: (5.3 kB instead of 11 kB a 512-dimension vector, its encoding twice as fast).
VECTOR_DECIMALS = 6


def _as_lists(matrix) -> list[list[float] | None]:
    return np.round(np.asarray(matrix, dtype=np.float64), VECTOR_DECIMALS).tolist()


def _valid_documents(batch: list[tuple[Any, Any]], embedder, summary: IndexSummary, *,
                     lemmatizer=None, session=None) -> list[dict]:
    dim = embedder_dim(embedder)
    valid = []
    for doc in build_finding_documents(batch, embedder, lemmatizer, session):
        problems = validate_document(doc, dim=dim)
        if problems:
            log.warning("finding %s skipped: %s", doc.get("id"), "; ".join(problems))
            summary.skipped.append((str(doc.get("id")), problems))
        else:
            valid.append(doc)
    return valid


def _index_findings(client: MeiliClient, uid: str, pairs: Iterable[tuple[Any, Any]], embedder,
                    summary: IndexSummary, *, batch_size: int = BATCH_SIZE,
                    lemmatizer=None, session=None) -> set[str]:
    """Send the findings batch by batch, waiting for each batch's task (the per-report path)."""
    sent_ids: set[str] = set()
    for batch in _batches(pairs, batch_size):
        valid = _valid_documents(batch, embedder, summary, lemmatizer=lemmatizer, session=session)
        n, rejected = send_documents(client, uid, valid)
        summary.findings_indexed += n
        summary.skipped += rejected
        rejected_ids = {r[0] for r in rejected}
        sent_ids.update(d["id"] for d in valid if d["id"] not in rejected_ids)
    return sent_ids


#: Rebuilds: findings per document-addition task, and tasks enqueued ahead of the one waited for.
REBUILD_BATCH = 5000
REBUILD_IN_FLIGHT = 2


def _stream_findings(client: MeiliClient, uid: str, pairs: Iterable[tuple[Any, Any]], embedder,
                     summary: IndexSummary, *, batch_size: int = REBUILD_BATCH,
                     in_flight: int = REBUILD_IN_FLIGHT, lemmatizer=None, session=None) -> None:
    """Send the findings without waiting for each task: the next batch is built (lemmas,
    cached vectors, validation) while Meilisearch indexes the previous ones, with at most
    ``in_flight`` tasks enqueued ahead. A task that failed has its batch sent again the waiting
    way, split until the documents Meilisearch rejects are isolated."""
    pending: deque[tuple[dict, list[dict]]] = deque()

    def settle() -> None:
        task, docs = pending.popleft()
        try:
            client.wait_task(task, timeout=3600)
            n, rejected = len(docs), list[tuple[str, list[str]]]()
        except MeiliTaskError as exc:
            if exc.code == "timeout":
                raise
            n, rejected = send_documents(client, uid, docs)
        summary.findings_indexed += n
        summary.skipped += rejected

    for batch in _batches(pairs, batch_size):
        valid = _valid_documents(batch, embedder, summary, lemmatizer=lemmatizer, session=session)
        if valid:
            pending.append((client.add_documents(uid, valid), valid))
        while len(pending) > in_flight:
            settle()
    while pending:
        settle()


def _report_doc(report_row, findings: list) -> dict:
    counts = Counter(f.kind for f in findings)
    synth = " ".join(f.text for f in findings if f.kind == "synthese")
    return report_document(report_row, counts=counts, synthese=synth or None)


def _valid_report_doc(row, findings: list, summary: IndexSummary) -> dict | None:
    """The report's document, or None with the report counted as skipped when it is invalid."""
    doc = _report_doc(row, findings)
    problems = validate_document(doc, kind="report")
    if problems:
        summary.skipped.append((row.id, problems))
        return None
    return doc


def existing_ids(client: MeiliClient, uid: str, filter_: str) -> set[str]:
    out: set[str] = set()
    offset = 0
    while True:
        page = client.fetch_documents(uid, filter_=filter_, fields=["id"], limit=1000, offset=offset)
        out.update(d["id"] for d in page["results"])
        offset += len(page["results"])
        if not page["results"] or offset >= page["total"]:
            return out


# ---------------------------------------------------------------------------- public API
def report_filter(report_id: str) -> str:
    """The Meilisearch filter of a report's findings."""
    return 'report_id = "{}"'.format(report_id.replace('"', ""))


def index_reports(session, client: MeiliClient, report_ids: Iterable[str], embedder,
                  prefix: str) -> IndexSummary:
    """Upsert the findings and report documents of ``report_ids``; drop their stale findings."""
    t0 = time.perf_counter()
    dim = embedder_dim(embedder)
    ensure_settings(client, prefix, dim)
    names = index_settings.index_names(prefix)
    summary = IndexSummary(index_uid=names["findings"])
    report_docs = []
    for rid in dict.fromkeys(report_ids):
        row = repo.get_report(session, rid)
        if row is None:
            summary.skipped.append((rid, ["unknown report"]))
            continue
        findings = list(row.findings)
        before = existing_ids(client, names["findings"], report_filter(rid))
        sent = _index_findings(client, names["findings"], [(f, row) for f in findings],
                               embedder, summary, session=session)
        stale = sorted(before - sent - {f.id for f in findings})
        if stale:
            client.wait_task(client.delete_documents(names["findings"], stale))
            summary.stale_deleted += len(stale)
        doc = _valid_report_doc(row, findings, summary)
        if doc is not None:
            report_docs.append(doc)
    n, rejected = send_documents(client, names["reports"], report_docs)
    summary.reports_indexed += n
    summary.skipped += rejected
    summary.seconds = time.perf_counter() - t0
    return summary


def rebuild(session, client: MeiliClient, embedder, prefix: str, *,
            batch_size: int = REBUILD_BATCH, pairs: Iterable[tuple[Any, Any]] | None = None,
            lemmatizer=None, in_flight: int = REBUILD_IN_FLIGHT) -> IndexSummary:
    """Reindex everything into new indexes, then swap them in atomically and drop the old.

    ``pairs`` (finding_row, report_row) defaults to every finding of the store; the bench
    passes its own generated rows. The settings are applied once to the empty new indexes;
    findings are streamed from the store in batches of ``batch_size``, their vectors read
    from the store's cache (``embed_texts``), and sent without waiting for each task
    (``_stream_findings``).
    """
    t0 = time.perf_counter()
    started = datetime.now(UTC)
    dim = embedder_dim(embedder)
    names = index_settings.index_names(prefix)
    stamp = time.strftime("%Y%m%d%H%M%S") + f"{int(time.time() * 1000) % 1000:03d}"
    new = {kind: f"{uid}-{stamp}" for kind, uid in names.items() if kind != "bodies"}
    for kind, uid in new.items():
        index_settings.apply_index_settings(client, uid, index_settings.declared_settings(kind, dim))
    summary = IndexSummary(index_uid=names["findings"])
    by_report: dict[str, tuple[Any, list]] = {}
    source = pairs if pairs is not None else repo.iter_findings(session, batch=batch_size)

    def tracked() -> Iterator[tuple[Any, Any]]:
        for frow, rrow in source:
            entry = by_report.setdefault(rrow.id, (rrow, []))
            entry[1].append(_Light(frow.kind, frow.text if frow.kind == "synthese" else ""))
            yield frow, rrow

    _stream_findings(client, new["findings"], tracked(), embedder, summary, batch_size=batch_size,
                     in_flight=in_flight, lemmatizer=lemmatizer, session=session)
    if pairs is None:  # reports without findings still get a report document
        for row in repo.reports_not_failed(session):
            by_report.setdefault(row.id, (row, []))
    report_docs = []
    for row, light in by_report.values():
        doc = _valid_report_doc(row, light, summary)
        if doc is not None:
            report_docs.append(doc)
    for batch in _batches(report_docs, 1000):
        n, rejected = send_documents(client, new["reports"], batch)
        summary.reports_indexed += n
        summary.skipped += rejected
    for kind, uid in names.items():  # the live indexes must exist to be swapped
        if kind in new:
            client.ensure_index(uid)
    client.swap_indexes([(names[k], new[k]) for k in new])
    for uid in new.values():  # now holding the old contents
        client.delete_index(uid)
    _APPLIED.add((client.url, prefix, dim))
    if pairs is None:  # reports the worker indexed into the old index meanwhile: send again
        summary.merge(_catch_up(session, client, embedder, prefix, started))
    summary.seconds = time.perf_counter() - t0
    return summary


def _catch_up(session, client: MeiliClient, embedder, prefix: str, since: datetime) -> IndexSummary:
    session.expire_all()
    recent = repo.indexed_since(session, since)
    summary = index_reports(session, client, recent, embedder, prefix) if recent else IndexSummary()
    summary.findings_indexed = summary.reports_indexed = 0  # already counted by the rebuild
    return summary


# ---------------------------------------------------------------------------- write-behind
@dataclass
class Pending:
    """The Meilisearch tasks that index one report, sent without waiting for them."""

    report_id: str
    tasks: list[tuple[str, int]]  # (index uid, task uid), in the order sent
    summary: IndexSummary


def send_report_documents(session, client: MeiliClient, report_id: str, embedder, prefix: str, *,
                          replace: bool) -> Pending | None:
    """Enqueue the indexing of one report in Meilisearch and return at once (write-behind).

    The findings are validated and sent in batches, then the report document; with ``replace``
    (the report was indexed before) a deletion of the report's findings by filter goes first,
    so that stale spans disappear: Meilisearch applies an index's tasks in the order received.
    Nothing here waits: ``pending_state`` tells later whether the tasks succeeded (a failed one
    is redone by ``index_reports``, which isolates the documents Meilisearch rejects).
    """
    dim = embedder_dim(embedder)
    ensure_settings(client, prefix, dim)
    names = index_settings.index_names(prefix)
    row = repo.get_report(session, report_id)
    if row is None:
        return None
    summary = IndexSummary(index_uid=names["findings"])
    findings = list(row.findings)
    tasks: list[tuple[str, int]] = []
    if replace:
        task = client.delete_documents_by_filter(names["findings"], report_filter(report_id))
        tasks.append((names["findings"], int(task["taskUid"])))
    for batch in _batches([(f, row) for f in findings], BATCH_SIZE):
        valid = _valid_documents(batch, embedder, summary, session=session)
        if valid:
            tasks.append((names["findings"], int(client.add_documents(names["findings"], valid)["taskUid"])))
            summary.findings_indexed += len(valid)
    doc = _valid_report_doc(row, findings, summary)
    if doc is not None:
        tasks.append((names["reports"], int(client.add_documents(names["reports"], [doc])["taskUid"])))
        summary.reports_indexed += 1
    return Pending(report_id, tasks, summary)


def withdraw_report(client: MeiliClient, prefix: str, report_id: str) -> list[tuple[str, int]]:
    """Remove a report's findings and its report document from the index (not waited for: an
    index applies its tasks in the order received, so documents sent later stay)."""
    names = index_settings.index_names(prefix)
    findings = client.delete_documents_by_filter(names["findings"], report_filter(report_id))
    report = client.delete_documents(names["reports"], [report_id])
    return [(names["findings"], int(findings["taskUid"])), (names["reports"], int(report["taskUid"]))]


def pending_state(client: MeiliClient, tasks: Iterable[tuple[str, int] | list]) -> str:
    """``succeeded`` when every task did, ``failed`` when one failed or was cancelled, else
    ``processing``."""
    state = "succeeded"
    for _, uid in tasks:
        status = client.get_task(int(uid)).get("status")
        if status in ("failed", "canceled"):
            return "failed"
        if status != "succeeded":
            state = "processing"
    return state


@dataclass
class _Light:
    kind: str
    text: str


def index_bodies(client: MeiliClient, prefix: str, bodies: Iterable[Any] | None = None,
                 *, batch_size: int = 5000) -> IndexSummary:
    """Fill ``{prefix}-bodies`` from ``nlp.geo.all_bodies()`` (the reference of communes, EPCI,
    départements…) or from ``bodies``."""
    t0 = time.perf_counter()
    uid = index_settings.index_names(prefix)["bodies"]
    summary = IndexSummary(index_uid=uid)
    if bodies is None:
        bodies = all_bodies()
    index_settings.apply_index_settings(client, uid, index_settings.declared_settings("bodies", None))
    for batch in _batches(bodies, batch_size):
        valid = []
        for body in batch:
            doc = body_document(body)
            problems = validate_document(doc, kind="body")
            if not doc.get("name"):
                problems.append("name: missing")
            (summary.skipped.append((doc["id"], problems)) if problems else valid.append(doc))
        n, rejected = send_documents(client, uid, valid)
        summary.bodies_indexed += n
        summary.skipped += rejected
    summary.seconds = time.perf_counter() - t0
    return summary
