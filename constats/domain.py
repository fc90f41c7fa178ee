"""Domain types shared by every package: defined once, here.

The flow is ``Publication`` (what a source lists) → raw file → ``Document`` (what the PDF
says, page by page) → ``Report`` (what the report means: metadata, sections, findings).
Everything here is plain data: no I/O, no database, no network.

Offsets: ``Document.text`` is the report's text after cleaning (running headers, footers
and page numbers dropped, hyphenation repaired). Every ``start``/``end`` in a ``Section``
or ``Finding`` is a character offset into that text, and a finding's identity is its
report plus that span (see ``finding_id``).
"""

from __future__ import annotations

import bisect
import hashlib
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

#: Version of the JSON produced by ``constats extract`` and stored by the worker.
#: Bump the minor on additive changes, the major when a field changes meaning.
REPORT_SCHEMA_VERSION = "1.1"

FindingKind = Literal["recommandation", "rappel_au_droit", "observation", "synthese", "suivi"]
FollowUpStatus = Literal["totalement_mise_en_oeuvre", "en_cours", "non_mise_en_oeuvre", "sans_objet"]
SectionKind = Literal[
    "cover", "letter", "toc", "synthese", "rappels", "recommandations", "procedure",
    "body", "suivi", "annexe", "reponse", "glossaire", "other",
]
BodyKind = Literal[
    "commune", "epci", "departement", "region", "hopital", "oph", "sem", "ccas",
    "syndicat", "office_tourisme", "association", "etablissement_public", "autre",
]
ReportStatus = Literal["pending", "fetched", "extracted", "indexed", "failed"]
#: where a report's year comes from, in order of preference
YearSource = Literal["deliberation", "publication", "notification"]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def report_id_for(sha256: str) -> str:
    """A report's stable identifier: derived from the content hash of its PDF."""
    return "r" + sha256[:15]


def finding_id(report_id: str, start: int, end: int) -> str:
    """A finding's identity: its report plus its character span (Meilisearch-safe)."""
    return f"{report_id}-{start}-{end}"


# --------------------------------------------------------------------------- sources
class FileRef(BaseModel):
    """A file linked from a publication page."""

    url: str
    role: Literal["report", "response", "other"] = "report"
    title: str | None = None


class Publication(BaseModel):
    """What a source lists: one publication and its files (provenance of a report)."""

    source: str
    url: str
    slug: str | None = None
    title: str | None = None
    chamber: str | None = None
    published_on: date | None = None
    summary: str | None = None
    thematic: str | None = None
    #: counts announced by the summary: "La chambre formule N rappels au droit et M recommandations"
    announced_rappels: int | None = None
    announced_recommendations: int | None = None
    files: list[FileRef] = Field(default_factory=list)


# --------------------------------------------------------------------------- reading
class Block(BaseModel):
    """A block of text on a page, with its typography and position (points)."""

    text: str
    bbox: tuple[float, float, float, float]
    font_size: float = 0.0
    bold: bool = False
    role: Literal["body", "heading", "header", "footer", "page_number", "footnote", "table"] = "body"
    start: int = -1  # offset of the block in Document.text; -1 when dropped
    end: int = -1
    #: table rows only: the x-range (x0, x1) of each TAB-separated cell of ``text``
    cells: list[tuple[float, float]] = Field(default_factory=list)


class Page(BaseModel):
    number: int  # 1-based, as in a ``#page=N`` link
    width: float
    height: float
    blocks: list[Block] = Field(default_factory=list)
    ocr: bool = False
    start: int = 0  # offset of the page's first character in Document.text
    end: int = 0


class Document(BaseModel):
    """What the PDF says: cleaned text with pages and blocks, before any interpretation."""

    text: str
    pages: list[Page]
    footnotes: list[str] = Field(default_factory=list)
    pdf_metadata: dict[str, str] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)

    def page_at(self, offset: int) -> int:
        """1-based page number of the character at ``offset``: the first page ending after it
        (pages are in text order, each ending where the next starts: a binary search)."""
        i = bisect.bisect_right(self.pages, offset, key=_page_end)
        if i < len(self.pages):
            return self.pages[i].number
        return self.pages[-1].number if self.pages else 1


def _page_end(page: Page) -> int:
    return page.end


# --------------------------------------------------------------------------- meaning
class Body(BaseModel):
    """The audited body (organisme contrôlé)."""

    name: str
    kind: BodyKind = "autre"
    departement: str | None = None  # code, e.g. "33", "2A", "971"
    insee: str | None = None  # commune code (code officiel géographique)
    siren: str | None = None  # EPCI, département, région…
    postal_codes: list[str] = Field(default_factory=list)
    link_status: Literal["linked", "not_linkable", "ambiguous", "not_applicable"] = "not_linkable"


class ReportMetadata(BaseModel):
    title: str | None = None
    chamber: str | None = None  # e.g. "CRC Nouvelle-Aquitaine"
    chamber_source: Literal["text", "departement", "publication", "unknown"] = "unknown"
    body: Body | None = None
    departement: str | None = None
    region: str | None = None
    period: str | None = None  # "exercices 2012 et suivants"
    period_start: int | None = None
    period_end: int | None = None
    deliberation_date: date | None = None
    publication_date: date | None = None
    #: the report's year: of its deliberation, else its publication, else its letter of
    #: notification (never a year of the audited period); ``year_source`` says which
    year: int | None = None
    year_source: YearSource | None = None
    announced_recommendations: int | None = None  # "la chambre formule N recommandations"
    announced_rappels: int | None = None


class Section(BaseModel):
    title: str
    kind: SectionKind = "body"
    level: int = 1
    number: str | None = None  # "1.2.3", "II", "A"
    page: int = 1
    page_end: int = 1
    start: int = 0
    end: int = 0
    path: list[str] = Field(default_factory=list)  # titles from the top level down


class ThemeScore(BaseModel):
    code: str
    score: float


class Finding(BaseModel):
    id: str
    report_id: str
    kind: FindingKind
    number: str | None = None
    text: str
    page: int
    page_end: int | None = None
    start: int
    end: int
    section_path: list[str] = Field(default_factory=list)
    status: FollowUpStatus | None = None
    status_text: str | None = None  # the report's own wording of the status ("partiellement mise en œuvre")
    # classification (filled by nlp.classify)
    primary_theme: str | None = None
    themes: list[ThemeScore] = Field(default_factory=list)
    confidence: float | None = None
    low_confidence: bool = False
    sector: str | None = None
    # links
    earlier_report_id: str | None = None  # for ``suivi`` items, when the earlier report is known


class Response(BaseModel):
    """A response of the audited body (réponse de l'ordonnateur): served, never a finding."""

    author: str | None = None
    text: str
    page: int
    page_end: int
    start: int
    end: int


class Report(BaseModel):
    """What a report means: produced by ``nlp.report.understand`` from a ``Document``."""

    schema_version: str = REPORT_SCHEMA_VERSION
    id: str
    sha256: str | None = None
    extractor_version: str = ""
    classifier_version: str | None = None
    n_pages: int = 0
    metadata: ReportMetadata = Field(default_factory=ReportMetadata)
    toc: list[Section] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    responses: list[Response] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    extracted_at: datetime | None = None
