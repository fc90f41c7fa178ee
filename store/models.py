"""Tables of the store of record (SQLAlchemy 2). Schema changes go through Alembic.

- ``publications`` and ``files``: the crawl state (what each source listed, what was
  downloaded, with ETag/Last-Modified for conditional GET and the content hash);
- ``crawls``: one row per crawl run, with its counts, for ``GET /api/crawls``;
- ``reports``: one per distinct PDF (content hash), with its status, error and the
  versions of the extractor and models that produced its findings;
- ``findings``: the findings of a report, identified by report + character span;
- ``text_vectors``: the embedding of a text by one embedder, keyed by the text's SHA-256, filled
  when a finding is indexed, so that a rebuild of the index does not embed again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Crawl(Base):
    __tablename__ = "crawls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="running")  # running|done|failed|interrupted
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)


class PublicationRow(Base):
    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    slug: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(Text)
    chamber: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    thematic: Mapped[str | None] = mapped_column(String(300))
    #: "La chambre formule N rappels au droit et M recommandations" (the summary's counts)
    announced_rappels: Mapped[int | None] = mapped_column(Integer)
    announced_recommendations: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active|withdrawn|failed
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    files: Mapped[list[FileRow]] = relationship(back_populates="publication")


class FileRow(Base):
    __tablename__ = "files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"))
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="report")  # report|response|other
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|downloaded|failed|withdrawn
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: when the reconciler last handed the file to the workers (a lost fetch is handed again)
    enqueued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    publication: Mapped[PublicationRow | None] = relationship(back_populates="files")


class ReportRow(Base):
    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # domain.report_id_for(sha256)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"))
    source_url: Mapped[str | None] = mapped_column(String(1000))  # the PDF's URL (provenance)
    title: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20), default="report")  # report|response
    parent_report_id: Mapped[str | None] = mapped_column(String(40))  # for separately published responses
    status: Mapped[str] = mapped_column(String(20), default="pending")  # domain.ReportStatus
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(40))
    #: times the reconciler handed the report to the workers again (a stalled stage)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    n_pages: Mapped[int | None] = mapped_column(Integer)
    extractor_version: Mapped[str | None] = mapped_column(String(40))
    classifier_version: Mapped[str | None] = mapped_column(String(80))
    embedder_version: Mapped[str | None] = mapped_column(String(80))
    index_version: Mapped[str | None] = mapped_column(String(40))
    # denormalised metadata for listing and filtering without parsing `structure`
    chamber: Mapped[str | None] = mapped_column(String(200))
    body_name: Mapped[str | None] = mapped_column(Text)
    body_kind: Mapped[str | None] = mapped_column(String(40))
    departement: Mapped[str | None] = mapped_column(String(5))
    insee: Mapped[str | None] = mapped_column(String(5), index=True)
    siren: Mapped[str | None] = mapped_column(String(9), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    year_source: Mapped[str | None] = mapped_column(String(20))  # domain.YearSource
    structure: Mapped[dict | None] = mapped_column(JSON)  # domain.Report minus findings
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    indexed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    #: the publication page the report was found on (provenance: URL, title, date, summary)
    publication: Mapped[PublicationRow | None] = relationship()
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="FindingRow.start")


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("report_id", "start", "end", name="uq_finding_span"),
        Index("ix_findings_report_kind", "report_id", "kind"),
    )

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # domain.finding_id
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    page_end: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    section_path: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str | None] = mapped_column(String(40))
    status_text: Mapped[str | None] = mapped_column(String(300))
    primary_theme: Mapped[str | None] = mapped_column(String(40))
    themes: Mapped[list] = mapped_column(JSON, default=list)
    confidence: Mapped[float | None] = mapped_column(Float)
    low_confidence: Mapped[bool] = mapped_column(Boolean, default=False)
    sector: Mapped[str | None] = mapped_column(String(30))
    earlier_report_id: Mapped[str | None] = mapped_column(String(40))

    report: Mapped[ReportRow] = relationship(back_populates="findings")


class TextVectorRow(Base):
    """A cached embedding: ``vector`` is the float32 little-endian bytes of the vector that
    ``embedder`` (its name and version) gives the text whose SHA-256 is ``text_sha256``."""

    __tablename__ = "text_vectors"

    text_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    embedder: Mapped[str] = mapped_column(String(160), primary_key=True)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class SubscriptionRow(Base):
    """A saved search followed by e-mail (the newsletter): confirmed through a link sent to
    the address, digested at its frequency, ended by a one-click link. ``token`` is secret
    and appears only in those links."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    query: Mapped[dict] = mapped_column(JSON, default=dict)  # the search's filters (SearchParams fields)
    label: Mapped[str | None] = mapped_column(String(300))  # what the subscriber follows, in words
    frequency: Mapped[str] = mapped_column(String(10), default="weekly")  # daily|weekly|monthly
    status: Mapped[str] = mapped_column(String(15), default="pending")  # pending|active|unsubscribed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # digest window start
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
