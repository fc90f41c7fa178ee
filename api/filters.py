"""The filters shared by search, feeds and exports, read from the query string.

``search_params`` is a FastAPI dependency: every filter is declared (so OpenAPI documents
it), the request becomes a ``search.query.SearchParams`` and codes are checked against the
taxonomy. A bad value raises a 422 with a message in French. ``findings_query`` turns the
same filters into SQL on the store, for exports that must return EVERY matching finding.
"""

from __future__ import annotations

from typing import Iterator

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import Select, and_, func, select

from constats import taxonomy
from api.export import ReportInfo, report_info
from search.query import SearchParams
from store.models import FindingRow, ReportRow

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


def filter_params(
    q: str = Query("", max_length=500, description="Texte libre ; un code INSEE, postal, SIREN "
                                                   "ou une année y devient un filtre."),
    chamber: list[str] | None = Query(None, description="Chambre (ex. « CRC Bretagne »), répétable."),
    region: list[str] | None = Query(None, description="Région, répétable."),
    departement: list[str] | None = Query(None, description="Code du département (33, 2A…)."),
    body_kind: list[str] | None = Query(None, description="Type d'organisme (commune, epci…)."),
    insee: list[str] | None = Query(None, description="Code INSEE de la commune."),
    siren: list[str] | None = Query(None, description="SIREN de l'organisme ou de son EPCI."),
    year_from: str | None = Query(None, pattern=r"^\s*\d{0,4}\s*$", description="Année minimale (AAAA)."),
    year_to: str | None = Query(None, pattern=r"^\s*\d{0,4}\s*$", description="Année maximale (AAAA)."),
    kind: list[str] | None = Query(None, description="Type de constat (recommandation…)."),
    theme: list[str] | None = Query(None, description="Thème (code de la taxonomie)."),
    status: list[str] | None = Query(None, description="Statut de mise en œuvre."),
    sector: list[str] | None = Query(None, description="Secteur de politique publique."),
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
    semantic: float = Query(0.0, description="Part de la recherche sémantique, de 0 (mots) à 1."),
    sort: str = Query("relevance", description="relevance, date_desc, date_asc, year_desc, year_asc"),
    page: int = Query(1, description="Page de résultats, à partir de 1."),
    per_page: int = Query(20, description="Résultats par page (au plus 100)."),
) -> SearchParams:
    return make_params(**filters, semantic=semantic, sort=sort, page=page, per_page=per_page)


def export_params(filters: dict = Depends(filter_params)) -> SearchParams:
    return make_params(**filters)


# ---------------------------------------------------------------------------- SQL (exports)
def findings_query(params: SearchParams) -> Select:
    """Columns of every finding matching the filters, in a stable order (report, offset)."""
    conds = []
    for column, values in ((ReportRow.chamber, params.chamber), (ReportRow.departement, params.departement),
                           (ReportRow.body_kind, params.body_kind), (ReportRow.insee, params.insee),
                           (FindingRow.kind, params.kind), (FindingRow.status, params.status),
                           (FindingRow.sector, params.sector), (FindingRow.report_id, params.report_id)):
        if values:
            conds.append(column.in_(values))
    if params.siren:
        conds.append(ReportRow.siren.in_(params.siren))
    if params.year_from is not None:
        conds.append(ReportRow.year >= params.year_from)
    if params.year_to is not None:
        conds.append(ReportRow.year <= params.year_to)
    if params.low_confidence is not None:
        conds.append(FindingRow.low_confidence.is_(params.low_confidence))
    for word in _words(params.q):
        conds.append(func.lower(FindingRow.text).contains(word.lower(), autoescape=True))
    stmt = select(*FindingRow.__table__.c).join(ReportRow, FindingRow.report_id == ReportRow.id)
    if conds:
        stmt = stmt.where(and_(*conds))
    return stmt.order_by(FindingRow.report_id, FindingRow.start)


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


def iter_matching(session, params: SearchParams, batch: int = 2000) -> Iterator[tuple[dict, ReportInfo]]:
    """Stream the matching (finding row, report info) pairs in constant memory: plain rows
    (no ORM objects) and one report's metadata at a time (findings come ordered by report)."""
    current: ReportInfo | None = None
    for row in session.execute(findings_query(params).execution_options(yield_per=batch)):
        frow = row._asdict()
        if current is None or current.id != frow["report_id"]:
            current = report_info(session.get(ReportRow, frow["report_id"]))
            session.expunge_all()
        if matches_in_python(params, frow, current):
            yield frow, current


__all__ = ["search_params", "export_params", "filter_params", "make_params", "check_codes",
           "findings_query", "iter_matching"]
