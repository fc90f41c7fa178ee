"""Persistence behind small functions: the rest of the code never writes SQL.

Reports are keyed by the content hash of their PDF, so saving the same bytes twice is a
no-op (``register_report`` returns the existing row); a finding is keyed by its report
and character span.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict

from sqlalchemy import JSON, Select, Text, and_, cast, delete, func, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from constats.domain import Finding, Report, ReportMetadata, report_id_for
from store.models import FileRow, FindingRow, PublicationRow, ReportRow, TextVectorRow


def register_report(session: Session, sha256: str, *, source_url: str | None = None,
                    file_id: int | None = None, publication_id: int | None = None,
                    title: str | None = None, role: str = "report") -> tuple[ReportRow, bool]:
    """Get or create the report row for these bytes. Returns (row, created)."""
    row = session.scalar(select(ReportRow).where(ReportRow.sha256 == sha256))
    if row is not None:
        return row, False
    row = ReportRow(id=report_id_for(sha256), sha256=sha256, source_url=source_url, file_id=file_id,
                    publication_id=publication_id, title=title, role=role, status="fetched")
    session.add(row)
    session.flush()
    row.year, row.year_source = report_year(None, row.publication)
    return row, True


def report_year(meta: ReportMetadata | None, publication: PublicationRow | None) -> tuple[int | None, str | None]:
    """The report's year and its source: the final deliberation's, else the publication's (as the
    report prints it, else the date of the publication page it was crawled from), else what the
    extractor found (the notification letter's, ``nlp.metadata.report_year``); never a year of the
    audited period."""
    if meta is not None and meta.deliberation_date:
        return meta.deliberation_date.year, "deliberation"
    if meta is not None and meta.year and meta.year_source == "deliberation":  # a year without its day
        return meta.year, "deliberation"
    published = (meta.publication_date if meta is not None else None) or (
        publication.published_on if publication is not None else None)
    if published is not None:
        return published.year, "publication"
    if meta is not None and meta.year:
        return meta.year, meta.year_source
    return None, None


def get_report(session: Session, report_id: str, *, lock: bool = False) -> ReportRow | None:
    """The report's row; with ``lock``, locked until the session ends (``SELECT … FOR UPDATE``
    where the database has it): a concurrent writer of the row waits."""
    return session.get(ReportRow, report_id, with_for_update=lock or None)


def mark_failed(session: Session, report_id: str, code: str, message: str) -> None:
    row = session.get(ReportRow, report_id)
    if row is not None:
        row.status, row.error_code, row.error = "failed", code, message[:4000]


def save_extraction(session: Session, report: Report, *, embedder_version: str | None = None) -> ReportRow:
    """Store a report's structure and replace its findings (idempotent)."""
    row = session.get(ReportRow, report.id)
    if row is None:
        raise KeyError(f"unknown report {report.id}")
    meta, body = report.metadata, report.metadata.body
    row.structure = report.model_dump(mode="json", exclude={"findings"})
    row.n_pages = report.n_pages
    row.extractor_version = report.extractor_version
    row.classifier_version = report.classifier_version
    row.embedder_version = embedder_version
    row.title = row.title or meta.title or (body.name if body else None)
    row.chamber = meta.chamber
    row.body_name = body.name if body else None
    row.body_kind = body.kind if body else None
    row.departement = meta.departement or (body.departement if body else None)
    row.insee = body.insee if body else None
    row.siren = body.siren if body else None
    row.year, row.year_source = report_year(meta, row.publication)
    if row.structure.get("metadata") is not None:
        row.structure["metadata"].update(year=row.year, year_source=row.year_source)
    row.status, row.error, row.error_code = "extracted", None, None
    session.execute(delete(FindingRow).where(FindingRow.report_id == report.id))
    session.add_all(finding_row(f) for f in report.findings)
    session.flush()
    return row


def finding_row(f: Finding) -> FindingRow:
    return FindingRow(
        id=f.id, report_id=f.report_id, kind=f.kind, number=f.number, text=f.text, page=f.page,
        page_end=f.page_end, start=f.start, end=f.end, section_path=list(f.section_path),
        status=f.status, status_text=f.status_text, primary_theme=f.primary_theme,
        themes=[t.model_dump() for t in f.themes], confidence=f.confidence,
        low_confidence=f.low_confidence, sector=f.sector, earlier_report_id=f.earlier_report_id)


def finding_from_row(r: FindingRow) -> Finding:
    return Finding(
        id=r.id, report_id=r.report_id, kind=r.kind, number=r.number, text=r.text, page=r.page,
        page_end=r.page_end, start=r.start, end=r.end, section_path=r.section_path or [],
        status=r.status, status_text=r.status_text, primary_theme=r.primary_theme, themes=r.themes or [],
        confidence=r.confidence, low_confidence=r.low_confidence, sector=r.sector,
        earlier_report_id=r.earlier_report_id)


def report_from_row(row: ReportRow) -> Report | None:
    """Rebuild the domain ``Report`` (structure + findings) from the store."""
    if row.structure is None:
        return None
    report = Report.model_validate(row.structure)
    report.findings = [finding_from_row(f) for f in row.findings]
    return report


def mark_indexed(session: Session, report_id: str, index_version: str) -> None:
    row = session.get(ReportRow, report_id)
    if row is not None:
        row.status, row.index_version = "indexed", index_version
        row.indexed_at = datetime.now(UTC)


class Versions(TypedDict):
    """The versions that produce a report's findings and documents."""

    extractor_version: str
    classifier_version: str | None
    index_version: str


def outdated_reports(session: Session, *, extractor_version: str, classifier_version: str | None,
                     index_version: str) -> list[str]:
    """Ids of reports produced by older versions (for ``constats reprocess``)."""
    rows = session.execute(select(ReportRow.id, ReportRow.extractor_version,
                                  ReportRow.classifier_version, ReportRow.index_version,
                                  ReportRow.status)).all()
    out = []
    for rid, ev, cv, iv, status in rows:
        if status == "failed" and ev == extractor_version:
            continue  # failed with the current extractor: a rerun would fail the same way
        if ev != extractor_version or (classifier_version and cv != classifier_version) or iv != index_version:
            out.append(rid)
    return out


def iter_findings(session: Session, report_ids: Iterable[str] | None = None,
                  batch: int = 1000) -> Iterator[tuple[FindingRow, ReportRow]]:
    """Stream findings with their report, in constant memory (exports, reindex)."""
    stmt = select(FindingRow, ReportRow).join(ReportRow).order_by(FindingRow.report_id, FindingRow.start)
    if report_ids is not None:
        stmt = stmt.where(FindingRow.report_id.in_(list(report_ids)))
    yield from session.execute(stmt.execution_options(yield_per=batch))


def reports_not_failed(session: Session) -> Iterator[ReportRow]:
    return iter(session.scalars(select(ReportRow).where(ReportRow.status != "failed")))


def indexed_since(session: Session, since: datetime) -> list[str]:
    """Ids of the reports indexed at ``since`` or later."""
    return [rid for rid, at in session.execute(select(ReportRow.id, ReportRow.indexed_at))
            if at is not None and (at if at.tzinfo else at.replace(tzinfo=UTC)) >= since]


def report_ids(session: Session, ids: Iterable[str] | None = None) -> list[str]:
    """Ids of every report (or of those of ``ids`` that exist)."""
    stmt = select(ReportRow.id)
    if ids is not None:
        stmt = stmt.where(ReportRow.id.in_(list(ids)))
    return list(session.scalars(stmt))


def forget_versions(session: Session, report_id: str) -> None:
    """Make a report look produced by no version, so that it is redone (reprocess --all)."""
    row = session.get(ReportRow, report_id)
    if row is not None:
        row.extractor_version = None


def count_by_status(session: Session) -> dict[str, int]:
    return {status: n for status, n in session.execute(
        select(ReportRow.status, func.count()).group_by(ReportRow.status)).all()}


# --------------------------------------------------------------------------- bodies
def reports_about(session: Session, insee: set[str], siren: set[str],
                  departement: str | None = None) -> list[ReportRow]:
    """Reports (not responses) on a commune (INSEE), a body (SIREN) or, failing both, a
    département; the newest first."""
    conds: list[Any] = []
    if insee:
        conds.append(ReportRow.insee.in_(insee))
    if siren:
        conds.append(ReportRow.siren.in_(siren))
    if departement and not conds:
        conds.append(ReportRow.departement == departement)
    if not conds:
        return []
    stmt = (select(ReportRow).where(or_(*conds), ReportRow.role == "report")
            .order_by(ReportRow.year.desc().nulls_last(), ReportRow.id))
    return list(session.scalars(stmt))


def suivi_items(session: Session, earlier_ids: list[str]) -> list[FindingRow]:
    """``suivi`` findings (of any report) that follow up one of ``earlier_ids``."""
    if not earlier_ids:
        return []
    return list(session.scalars(select(FindingRow).where(
        FindingRow.kind == "suivi", FindingRow.earlier_report_id.in_(earlier_ids))))


# --------------------------------------------------------------------------- exports
@dataclass(frozen=True)
class FindingFilter:
    """Filters on the columns of findings and their reports (exports); every list is "any of"."""

    chamber: Sequence[str] | None = None
    departement: Sequence[str] | None = None
    body_kind: Sequence[str] | None = None
    insee: Sequence[str] | None = None
    siren: Sequence[str] | None = None
    kind: Sequence[str] | None = None
    status: Sequence[str] | None = None
    sector: Sequence[str] | None = None
    report_id: Sequence[str] | None = None
    year_from: int | None = None
    year_to: int | None = None
    low_confidence: bool | None = None
    words: Sequence[str] = ()  # each must occur in the text (case-insensitive)


def findings_query(f: FindingFilter) -> Select:
    """Columns of every finding matching ``f``, in a stable order (report, offset)."""
    conds: list[Any] = []
    for column, values in ((ReportRow.chamber, f.chamber), (ReportRow.departement, f.departement),
                           (ReportRow.body_kind, f.body_kind), (ReportRow.insee, f.insee),
                           (ReportRow.siren, f.siren), (FindingRow.kind, f.kind),
                           (FindingRow.status, f.status), (FindingRow.sector, f.sector),
                           (FindingRow.report_id, f.report_id)):
        if values:
            conds.append(column.in_(list(values)))
    if f.year_from is not None:
        conds.append(ReportRow.year >= f.year_from)
    if f.year_to is not None:
        conds.append(ReportRow.year <= f.year_to)
    if f.low_confidence is not None:
        conds.append(FindingRow.low_confidence.is_(f.low_confidence))
    for word in f.words:
        conds.append(func.lower(FindingRow.text).contains(word.lower(), autoescape=True))
    stmt = select(*FindingRow.__table__.c).join(ReportRow, FindingRow.report_id == ReportRow.id)
    if conds:
        stmt = stmt.where(and_(*conds))
    return stmt.order_by(FindingRow.report_id, FindingRow.start)


def iter_matching_rows(session: Session, f: FindingFilter,
                       batch: int = 2000) -> Iterator[tuple[dict, ReportRow]]:
    """Stream (finding columns, report row) pairs in constant memory: plain rows, and one
    report at a time (findings come ordered by report; the session is emptied between)."""
    report: ReportRow | None = None
    for row in session.execute(findings_query(f).execution_options(yield_per=batch)):
        frow = row._asdict()
        if report is None or report.id != frow["report_id"]:
            session.expunge_all()
            report = session.get(ReportRow, frow["report_id"])
            assert report is not None  # findings belong to a report (foreign key)
        yield frow, report


#: the finding columns of an export row, in the export's order (``api.export.COLUMNS``)
EXPORT_FINDING_COLUMNS = ("id", "report_id", "kind", "number", "text", "page", "page_end", "start",
                          "end", "section_path", "status", "primary_theme", "themes", "confidence",
                          "low_confidence", "sector", "earlier_report_id")


#: PostgreSQL (psycopg): the export reads through psycopg's own named cursor (True) rather than
#: SQLAlchemy's server-side Result (1.2-1.5x, bench/RESULTS.md "Export"); its rows come as text
#: (False), the binary protocol (True) measured no faster.
EXPORT_RAW_CURSOR = True
EXPORT_BINARY = False


def iter_matching_batches(session: Session, f: FindingFilter, batch: int = 10_000) -> Iterator[Sequence[Any]]:
    """Stream the findings matching ``f`` in batches of plain rows holding only the columns of
    ``EXPORT_FINDING_COLUMNS`` (in that order), ordered by report then offset; memory stays
    constant (server-side cursor where the database has one). The JSON columns
    (``section_path``, ``themes``) come as their JSON text, for the caller to decode (or not)."""
    table = FindingRow.__table__.c
    cols = [cast(table[name], Text) if isinstance(table[name].type, JSON) else table[name]
            for name in EXPORT_FINDING_COLUMNS]
    stmt = findings_query(f).with_only_columns(*cols)
    conn = session.connection()  # Core rows, without the ORM's loading layer
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg" and EXPORT_RAW_CURSOR:
        # psycopg's own named (server-side) cursor: plain tuples, ``batch`` rows a round trip
        compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        raw: Any = conn.connection.driver_connection
        with raw.cursor(name=f"constats_export_{id(stmt):x}", binary=EXPORT_BINARY) as cur:
            cur.itersize = batch
            cur.execute(str(compiled), compiled.params)
            while rows := cur.fetchmany(batch):
                yield rows
        return
    if conn.dialect.name != "sqlite":  # a server-side cursor
        yield from conn.execute(stmt.execution_options(yield_per=batch, stream_results=True)).partitions()
        return
    # SQLite: SQLAlchemy compiles and binds, the rows come straight from sqlite3's cursor (lazy
    # already) as plain tuples, without Row objects (booleans are then 0/1)
    result = conn.execute(stmt)
    cursor = result.cursor
    try:
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        result.close()


def reports_by_id(session: Session, ids: Iterable[str]) -> list[ReportRow]:
    """The reports of ``ids`` with their publication page, by one query each."""
    ids = list(ids)
    if not ids:
        return []
    return list(session.scalars(select(ReportRow).where(ReportRow.id.in_(ids))
                                .options(selectinload(ReportRow.publication))))


# --------------------------------------------------------------------------- dossiers, directory, statistics
def report_counts(session: Session, insee: Iterable[str], siren: Iterable[str]) -> dict[str, int]:
    """Number of reports (not responses) per INSEE code and per SIREN (one dict, keyed by code)."""
    out: dict[str, int] = {}
    insee, siren = list(set(insee)), list(set(siren))
    for column, codes in ((ReportRow.insee, insee), (ReportRow.siren, siren)):
        if codes:
            for code, n in session.execute(select(column, func.count()).where(
                    column.in_(codes), ReportRow.role == "report").group_by(column)):
                if code is not None:
                    out[code] = out.get(code, 0) + n
    return out


@dataclass(frozen=True)
class ReportFilter:
    chamber: str | None = None
    departement: Sequence[str] | None = None
    year: int | None = None


def _report_conds(f: ReportFilter) -> list[Any]:
    conds: list[Any] = [ReportRow.role == "report", ReportRow.status != "failed"]
    if f.chamber:
        conds.append(ReportRow.chamber == f.chamber)
    if f.departement:
        conds.append(ReportRow.departement.in_(list(f.departement)))
    if f.year is not None:
        conds.append(ReportRow.year == f.year)
    return conds


def directory(session: Session, f: ReportFilter, limit: int = 20,
              offset: int = 0) -> tuple[list[tuple[ReportRow, str | None, Any]], int]:
    """Reports newest first (year, then when they were added) with their publication page's
    URL and date; and the total."""
    conds = _report_conds(f)
    total = session.scalar(select(func.count()).select_from(ReportRow).where(*conds)) or 0
    stmt = (select(ReportRow, PublicationRow.url, PublicationRow.published_on)
            .outerjoin(PublicationRow, ReportRow.publication_id == PublicationRow.id)
            .where(*conds)
            .order_by(ReportRow.year.desc().nulls_last(), ReportRow.created_at.desc(), ReportRow.id)
            .limit(limit).offset(offset))
    return [(r, url, published) for r, url, published in session.execute(stmt)], total


def distinct_values(session: Session, column: str) -> list:
    """Distinct non-null values of a report column (chamber, departement, year), sorted."""
    col = getattr(ReportRow, column)
    return sorted(v for v in session.scalars(select(col).where(col.is_not(None), ReportRow.role == "report")
                                             .distinct()))


def headline(session: Session, f: ReportFilter) -> dict[str, Any]:
    """Reports, findings and follow-up numbers of the reports matching ``f``."""
    conds = _report_conds(f)
    reports = session.scalar(select(func.count()).select_from(ReportRow).where(*conds)) or 0
    findings = session.scalar(select(func.count()).select_from(FindingRow)
                              .join(ReportRow, FindingRow.report_id == ReportRow.id).where(*conds)) or 0
    return {"reports": reports, "findings": findings, **follow_up_counts(session, conds)}


def follow_up_counts(session: Session, conds: list[Any] | None = None) -> dict[str, Any]:
    """Recommendations whose implementation a report states (their own status, or a ``suivi``
    item): how many, and how many fully implemented (the follow-up rate)."""
    stmt = (select(FindingRow.status, func.count()).join(ReportRow, FindingRow.report_id == ReportRow.id)
            .where(FindingRow.kind.in_(["recommandation", "suivi"]), FindingRow.status.is_not(None),
                   FindingRow.status != "sans_objet", *(conds or []))
            .group_by(FindingRow.status))
    counts = dict(session.execute(stmt).all())
    known = sum(counts.values())
    done = counts.get("totalement_mise_en_oeuvre", 0)
    return {"followed": known, "implemented": done, "follow_rate": (done / known) if known else None}


def counts_by(session: Session, column: str) -> list[tuple[Any, int, int]]:
    """(value, reports, findings) by a report column (departement, chamber, year)."""
    col = getattr(ReportRow, column)
    conds = _report_conds(ReportFilter())
    reports: dict[Any, int] = dict(session.execute(select(col, func.count()).where(*conds).group_by(col)).all())
    findings: dict[Any, int] = dict(session.execute(select(col, func.count()).select_from(FindingRow)
                                    .join(ReportRow, FindingRow.report_id == ReportRow.id)
                                    .where(*conds).group_by(col)).all())
    return sorted(((v, n, findings.get(v, 0)) for v, n in reports.items() if v is not None),
                  key=lambda t: str(t[0]))


def theme_year_counts(session: Session) -> list[tuple[Any, Any, int]]:
    """(primary theme, year, findings) of every classified finding."""
    conds = _report_conds(ReportFilter())
    stmt = (select(FindingRow.primary_theme, ReportRow.year, func.count())
            .join(ReportRow, FindingRow.report_id == ReportRow.id)
            .where(FindingRow.primary_theme.is_not(None), ReportRow.year.is_not(None), *conds)
            .group_by(FindingRow.primary_theme, ReportRow.year))
    return [(t, y, n) for t, y, n in session.execute(stmt)]


def follow_rate_by_chamber(session: Session) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for chamber in distinct_values(session, "chamber"):
        out.append((chamber, follow_up_counts(session, [ReportRow.chamber == chamber])))
    return out


def findings_by_ids(session: Session, ids: Iterable[str]) -> list[tuple[FindingRow, ReportRow]]:
    ids = list(ids)
    if not ids:
        return []
    stmt = select(FindingRow, ReportRow).join(ReportRow).where(FindingRow.id.in_(ids))
    return [(f, r) for f, r in session.execute(stmt)]


def latest_indexed_at(session: Session) -> datetime | None:
    at = session.scalar(select(func.max(ReportRow.indexed_at)))
    return at if at is None or at.tzinfo else at.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- reconciler
#: the stages a report goes through before it is done (``indexed``) or ``failed``
UNFINISHED = ("pending", "fetched", "extracted")


def touch(session: Session, report_id: str) -> None:
    """A worker starts a stage of the report: its stage is alive (the reconciler waits)."""
    row = session.get(ReportRow, report_id)
    if row is not None:
        row.updated_at = datetime.now(UTC)


def _aware(at: datetime | None) -> datetime | None:
    return at if at is None or at.tzinfo else at.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Stalled:
    report_id: str
    status: str
    attempts: int


def stalled_reports(session: Session, before: datetime, limit: int = 500) -> list[Stalled]:
    """Unfinished reports whose stage has not advanced (nor started) since ``before``, oldest first."""
    stmt = (select(ReportRow.id, ReportRow.status, ReportRow.attempts, ReportRow.updated_at)
            .where(ReportRow.status.in_(UNFINISHED)).order_by(ReportRow.updated_at))
    out = []
    for rid, status, attempts, updated in session.execute(stmt):
        at = _aware(updated)
        if at is not None and at < before:
            out.append(Stalled(rid, status, attempts or 0))
            if len(out) >= limit:
                break
    return out


def note_attempt(session: Session, report_id: str) -> int:
    """The report is handed to the workers again: one more attempt (its clock restarts)."""
    row = session.get(ReportRow, report_id)
    if row is None:
        return 0
    row.attempts = (row.attempts or 0) + 1
    row.updated_at = datetime.now(UTC)
    return row.attempts


def stalled_files(session: Session, before: datetime, limit: int = 500) -> list[tuple[int, int]]:
    """(id, attempts) of files listed by a crawl but never downloaded, untouched since ``before``
    (their fetch task was lost)."""
    stmt = select(FileRow.id, FileRow.attempts, FileRow.enqueued_at, FileRow.last_seen).where(
        FileRow.status == "pending", FileRow.role.in_(["report", "response"]))
    out = []
    for fid, attempts, enqueued, seen in session.execute(stmt):
        at = _aware(enqueued) or _aware(seen)
        if at is not None and at < before:
            out.append((fid, attempts or 0))
            if len(out) >= limit:
                break
    return out


def note_file_enqueued(session: Session, file_id: int, *, give_up: bool = False) -> None:
    row = session.get(FileRow, file_id)
    if row is None:
        return
    row.enqueued_at = datetime.now(UTC)
    row.attempts = (row.attempts or 0) + 1
    if give_up:
        row.status, row.error = "failed", "stalled: téléchargement abandonné après plusieurs tentatives"


# ---------------------------------------------------------------------------- vector cache
def cached_vectors(session: Session, embedder: str, hashes: Iterable[str]) -> dict[str, bytes]:
    """The cached vectors (float32 bytes) of the texts whose SHA-256 are ``hashes``."""
    wanted = list(dict.fromkeys(hashes))
    out: dict[str, bytes] = {}
    for i in range(0, len(wanted), 900):  # under SQLite's bound on parameters
        chunk = wanted[i:i + 900]
        out.update((h, v) for h, v in session.execute(
            select(TextVectorRow.text_sha256, TextVectorRow.vector)
            .where(TextVectorRow.embedder == embedder, TextVectorRow.text_sha256.in_(chunk))))
    return out


def save_vectors(session: Session, embedder: str, dim: int, vectors: dict[str, bytes]) -> None:
    """Cache ``{text_sha256: float32 bytes}``; a vector already cached (another worker) is kept."""
    if not vectors:
        return
    rows = [{"text_sha256": h, "embedder": embedder, "dim": dim, "vector": v} for h, v in vectors.items()]
    dialect = session.get_bind().dialect.name
    stmt: Any
    if dialect == "postgresql":
        stmt = pg_insert(TextVectorRow).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite_insert(TextVectorRow).on_conflict_do_nothing()
    else:  # pragma: no cover - the store runs on SQLite or PostgreSQL
        known = cached_vectors(session, embedder, vectors)
        rows = [r for r in rows if r["text_sha256"] not in known]
        stmt = insert(TextVectorRow)
    if rows:
        session.execute(stmt, rows)
