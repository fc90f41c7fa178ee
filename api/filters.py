"""The filters shared by search, feeds and exports, read from the query string.

``search_params`` is a FastAPI dependency: every filter is declared (so OpenAPI documents
it), the request becomes a ``search.query.SearchParams`` and codes are checked against the
taxonomy. A bad value raises a 422 with a message in French. ``finding_filter`` hands the
same filters to the store, for exports that must return EVERY matching finding.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.export import ReportInfo, json_column, report_info
from constats import taxonomy
from search.query import MAX_PER_PAGE, MAX_WINDOW, SORTS, SearchParams
from store import repo

_CODES = {"kind": (taxonomy.KINDS, "type de constat"), "theme": (taxonomy.THEMES, "thème"),
          "status": (taxonomy.STATUSES, "statut"), "body_kind": (taxonomy.BODY_KINDS, "type d'organisme"),
          "sector": (taxonomy.SECTORS, "secteur")}


def check_codes(params: SearchParams) -> None:
    errors = []
    for field, (table, label) in _CODES.items():
        for value in getattr(params, field) or []:
            if value not in table:
                errors.append({"type": "value_error", "loc": ("query", field),
                               "msg": f"{label} inconnu : « {value} » ; codes possibles : "
                                      + ", ".join(table)})
    if errors:
        raise RequestValidationError(errors)


def make_params(**values) -> SearchParams:
    try:
        params = SearchParams(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]) from None
    check_codes(params)
    return params


_YEAR = r"^(19\d\d|20\d\d|2100)?$"


def _codes(table: dict[str, str]) -> dict:
    """OpenAPI: a repeatable parameter whose values are the codes of a taxonomy table (an empty
    value, as a form sends for « tous », filters nothing)."""
    return {"type": "array", "items": {"type": "string", "enum": ["", *table]}}


def filter_params(
    q: str = Query("", max_length=500, description="Texte libre ; un code INSEE, postal, SIREN "
                                                   "ou une année isolés y deviennent un filtre, "
                                                   "signalé dans `understood` (une date, une loi, "
                                                   "un montant restent du texte)."),
    chamber: list[str] | None = Query(None, description="Chambre (ex. « CRC Bretagne »), répétable."),
    region: list[str] | None = Query(None, description="Région, répétable."),
    departement: list[str] | None = Query(None, description="Code du département (33, 2A…)."),
    body_kind: list[str] | None = Query(None, description="Type d'organisme (commune, epci…).",
                                        json_schema_extra=_codes(taxonomy.BODY_KINDS)),
    insee: list[str] | None = Query(None, description="Code INSEE de la commune."),
    siren: list[str] | None = Query(None, description="SIREN de l'organisme ou de son EPCI."),
    year_from: str | None = Query(None, pattern=r"^\s*\d{0,4}\s*$", description="Année minimale (AAAA, 1900 à 2100).",
                                  json_schema_extra={"pattern": _YEAR}),
    year_to: str | None = Query(None, pattern=r"^\s*\d{0,4}\s*$", description="Année maximale (AAAA, 1900 à 2100 ; "
                                "pas avant year_from).", json_schema_extra={"pattern": _YEAR}),
    kind: list[str] | None = Query(None, description="Type de constat (recommandation…).",
                                   json_schema_extra=_codes(taxonomy.KINDS)),
    theme: list[str] | None = Query(None, description="Thème (code de la taxonomie).",
                                    json_schema_extra=_codes(taxonomy.THEMES)),
    status: list[str] | None = Query(None, description="Statut de mise en œuvre.",
                                     json_schema_extra=_codes(taxonomy.STATUSES)),
    sector: list[str] | None = Query(None, description="Secteur de politique publique.",
                                     json_schema_extra=_codes(taxonomy.SECTORS)),
    report_id: list[str] | None = Query(None, description="Identifiant de rapport."),
    low_confidence: bool | None = Query(None, description="Seulement les classements peu sûrs (true) "
                                                          "ou sûrs (false)."),
) -> dict:
    """Dependency: the filters shared by search, feeds and exports."""
    return dict(q=q, chamber=chamber, region=region, departement=departement, body_kind=body_kind,
                insee=insee, siren=siren, year_from=_year(year_from), year_to=_year(year_to), kind=kind,
                theme=theme, status=status, sector=sector, report_id=report_id,
                low_confidence=low_confidence)


def _year(value: str | None) -> int | None:
    return int(value) if value and value.strip() else None


def search_params(
    filters: dict = Depends(filter_params),
    semantic: float = Query(0.0, description="Part de la recherche sémantique, de 0 (mots) à 1.",
                            json_schema_extra={"minimum": 0, "maximum": 1}),
    sort: str = Query("relevance", description="relevance, date_desc, date_asc, year_desc, year_asc",
                      json_schema_extra={"enum": list(SORTS)}),
    page: int = Query(1, description=f"Page de résultats, à partir de 1 ; seuls les {MAX_WINDOW} premiers "
                                     f"résultats sont consultables : (page − 1) × per_page < {MAX_WINDOW}.",
                      json_schema_extra={"minimum": 1, "maximum": MAX_WINDOW}),
    per_page: int = Query(20, description=f"Résultats par page (au plus {MAX_PER_PAGE}).",
                          json_schema_extra={"minimum": 1, "maximum": MAX_PER_PAGE}),
    literal: bool = Query(False, description="Chercher les mots tels quels : aucun code ni aucune "
                                             "année de la recherche ne devient un filtre."),
) -> SearchParams:
    return make_params(**filters, semantic=semantic, sort=sort, page=page, per_page=per_page,
                       literal=literal)


def export_params(filters: dict = Depends(filter_params)) -> SearchParams:
    return make_params(**filters)


# ---------------------------------------------------------------------------- exports
def finding_filter(params: SearchParams) -> repo.FindingFilter:
    """The filters that the store applies (every one but themes and région, in JSON columns)."""
    return repo.FindingFilter(
        chamber=params.chamber, departement=params.departement, body_kind=params.body_kind,
        insee=params.insee, siren=params.siren, kind=params.kind, status=params.status,
        sector=params.sector, report_id=params.report_id, year_from=params.year_from,
        year_to=params.year_to, low_confidence=params.low_confidence, words=_words(params.q))


def _words(q: str) -> list[str]:
    return [w for w in (q or "").split() if len(w) > 1][:10]


def matches_in_python(params: SearchParams, frow: dict, report: ReportInfo) -> bool:
    """Filters that live in JSON columns (themes, région): checked row by row."""
    if params.theme:
        codes = {frow["primary_theme"]} | {t.get("code") for t in (frow["themes"] or [])
                                           if isinstance(t, dict)}
        if not codes & set(params.theme):
            return False
    if params.region and report.region not in params.region:
        return False
    return True


def iter_matching(session: Session, params: SearchParams,
                  batch: int = 2000) -> Iterator[tuple[dict, ReportInfo]]:
    """Stream the matching (finding row, report info) pairs in constant memory."""
    current: ReportInfo | None = None
    for frow, report in repo.iter_matching_rows(session, finding_filter(params), batch):
        if current is None or current.id != report.id:
            current = report_info(report)
        if matches_in_python(params, frow, current):
            yield frow, current


def iter_matching_batches(session: Session, params: SearchParams,
                          batch: int = 10_000) -> Iterator[tuple[Sequence[Any], list[ReportInfo]]]:
    """Stream the matching findings in batches: (rows, reports) where ``rows`` hold the columns
    of ``repo.EXPORT_FINDING_COLUMNS`` and ``reports[i]`` is the ``ReportInfo`` of ``rows[i]``.
    Each report is read once (findings come ordered by report; only the reports of the last
    batch are kept), so memory stays constant."""
    infos: dict[str, ReportInfo] = {}
    python_filters = bool(params.theme or params.region)
    for rows in repo.iter_matching_batches(session, finding_filter(params), batch):
        wanted = {row[1] for row in rows}
        infos = {rid: info for rid, info in infos.items() if rid in wanted}
        missing = wanted - infos.keys()
        if missing:
            for report in repo.reports_by_id(session, missing):
                infos[report.id] = report_info(report)
            session.expunge_all()
        reports = [infos[row[1]] for row in rows]
        if python_filters:
            keep = [i for i, (row, info) in enumerate(zip(rows, reports, strict=True))
                    if matches_in_python(params, {"primary_theme": row[11], "themes": json_column(row[12])},
                                             info)]
            rows, reports = [rows[i] for i in keep], [reports[i] for i in keep]
        if rows:
            yield rows, reports


__all__ = ["search_params", "export_params", "filter_params", "make_params", "check_codes",
           "finding_filter", "iter_matching", "iter_matching_batches"]
