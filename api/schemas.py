"""Response models of the JSON API: they document the answers in OpenAPI (French
descriptions); the handlers build plain dicts (api.present) that these models validate."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class FindingOut(_Out):
    id: str = Field(description="Identifiant stable : rapport + position dans le texte.")
    report_id: str
    kind: str = Field(description="Type de constat (taxonomie).")
    kind_label: str
    number: str | None = None
    text: str
    page: int = Field(description="Page du PDF où commence le constat.")
    page_end: int | None = None
    start: int
    end: int
    section_path: list[str] = []
    status: str | None = Field(None, description="Statut de mise en œuvre (taxonomie).")
    status_label: str | None = None
    status_text: str | None = Field(None, description="Le statut dans les mots du rapport, s'il les donne.")
    primary_theme: str | None = None
    primary_theme_label: str | None = None
    themes: list[dict[str, Any]] = []
    confidence: float | None = None
    low_confidence: bool = False
    sector: str | None = None
    earlier_report_id: str | None = Field(None, description="Pour un suivi : le rapport antérieur.")
    pdf_url: str = Field(description="Le PDF servi par cette API, à la bonne page (#page=N).")
    source_pdf_url: str | None = Field(None, description="Le PDF chez l'éditeur, à la bonne page.")


class FindingDetailOut(FindingOut):
    found_elsewhere: int = Field(0, description="Nombre d'autres rapports où un constat quasi "
                                                "identique a été relevé.")
    recurring_group: str | None = None


class ReportSummaryOut(_Out):
    id: str
    title: str | None = None
    chamber: str | None = None
    body_name: str | None = None
    body_kind: str | None = None
    departement: str | None = None
    region: str | None = None
    insee: str | None = None
    siren: str | None = None
    year: int | None = None
    year_source: str | None = Field(None, description="Source de l’année : deliberation (délibéré), "
                                    "publication ou notification (lettre de notification).")
    period: str | None = None
    deliberation_date: str | None = None
    publication_date: str | None = None
    n_pages: int | None = None
    status: str
    source_url: str | None = None
    publication_url: str | None = Field(None, description="La page de publication du rapport chez l'éditeur.")
    publication: dict[str, Any] | None = Field(
        None, description="Provenance : la page de publication (adresse, titre, date, résumé, nombres de "
                          "rappels au droit et de recommandations annoncés).")
    pdf_url: str
    extractor_version: str | None = None
    classifier_version: str | None = None


class ReportOut(ReportSummaryOut):
    metadata: dict[str, Any] = {}
    sections: list[dict[str, Any]] = Field([], description="Sections avec leurs pages et un lien vers le PDF.")
    findings_by_kind: dict[str, list[FindingOut]] = Field(
        {}, description="Constats groupés par type : synthèse, recommandations, rappels au droit, suivis, "
                        "observations.")
    counts: dict[str, int] = {}
    responses: list[dict[str, Any]] = Field([], description="Réponses de l'organisme (pas des constats).")
    warnings: list[str] = []
    error: str | None = None


class BodyReportsOut(_Out):
    code: str
    body: dict[str, Any] | None = None
    reports: list[ReportSummaryOut]


class SimilarOut(_Out):
    finding_id: str
    hits: list[dict[str, Any]]


class BodiesOut(_Out):
    q: str
    hits: list[dict[str, Any]]
