"""Server-rendered French pages: home, results, body (commune), report, finding, export.

Handlers are thin: they call the same functions as the JSON API and render a template.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.deps import call_meili, db, report_or_404, services
from api.export import COLUMNS
from api.filters import search_params
from api.present import finding_dict, report_detail, report_summary
from api.searching import run_search, similar_hits
from api.templating import label, render, url_with
from api.views import directory
from runtime.services import Services
from search.query import SUGGESTED_SEMANTIC, SearchParams
from store import repo
from store.models import FindingRow

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)

FACET_LABELS = {"chamber": "Chambre", "region": "Région", "departement": "Département",
                "body_kind": "Type d'organisme", "year": "Année", "kind": "Type de constat",
                "primary_theme": "Thème principal", "status": "Statut"}
#: facet name in the results → query parameter that filters on it
FACET_PARAM = {"chamber": "chamber", "region": "region", "departement": "departement",
               "body_kind": "body_kind", "kind": "kind", "primary_theme": "theme", "status": "status"}
#: Similar findings at least this close (ranking score) from other reports count as "the same"
RECURRING_SCORE = 0.9



def facet_links(request: Request, name: str, counts: dict) -> list[dict]:
    """Each value of a facet with its count, whether it is on, and the link that toggles it."""
    out = []
    for value, count in counts.items():
        if name == "year":
            on = request.query_params.get("year_from") == value == request.query_params.get("year_to")
            href = url_with(request, year_from="" if on else value, year_to="" if on else value)
        else:
            param = FACET_PARAM[name]
            on = value in request.query_params.getlist(param)
            href = url_with(request, **{f"toggle_{param}": value})
        out.append({"value": value, "label": label(name, value), "count": count, "on": on,
                    "href": "/recherche" + href})
    return out


@router.get("/", response_class=HTMLResponse)
def home(request: Request, svc: Services = Depends(services)):
    try:
        with svc.session() as session:
            reports, headline = directory.latest(session, str(request.base_url))
    except SQLAlchemyError:  # the search forms still work while the store does not answer
        log.warning("home page without the directory: the store does not answer", exc_info=True)
        reports, headline = [], None
    return render(request, "home.html", title="Constats des chambres régionales des comptes",
                  reports=reports, headline=headline)


@router.get("/recherche", response_class=HTMLResponse)
def results(request: Request, params: SearchParams = Depends(search_params),
            svc: Services = Depends(services)):
    result = call_meili(run_search, svc, params, str(request.base_url).rstrip("/"))
    if result.understood:
        result.words_instead = "/recherche" + url_with(request, literal="true")
    facets = {name: facet_links(request, name, result.facets[name])
              for name in FACET_LABELS if result.facets.get(name)}
    active = {k: request.query_params.getlist(k) for k in set(FACET_PARAM.values()) | {"year_from", "year_to"}}
    return render(request, "results.html", title=f"Recherche : {params.q}" if params.q else "Recherche",
                  params=params, result=result, facets=facets, facet_labels=FACET_LABELS,
                  active=active, suggested_semantic=SUGGESTED_SEMANTIC,
                  feed_url="/api/search.atom" + url_with(request, drop=("page", "per_page", "sort")),
                  follow_url="/abonnements" + url_with(request, drop=("page", "per_page", "sort", "semantic")),
                  export_url="/api/export" + url_with(request, drop=("page", "per_page", "sort",
                                                                      "semantic")) + "&format=csv")


@router.get("/rapports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str, session: Session = Depends(db)):
    row = report_or_404(session, report_id)
    report = report_detail(row, str(request.base_url).rstrip("/"))
    return render(request, "report.html", title=report["title"] or report_id, report=report)


@router.get("/constats/{finding_id}", response_class=HTMLResponse)
def finding_page(request: Request, finding_id: str, session: Session = Depends(db),
                 svc: Services = Depends(services)):
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise HTTPException(404, f"constat inconnu : {finding_id}")
    base = str(request.base_url).rstrip("/")
    finding = finding_dict(row, row.report, base)
    try:
        similar = call_meili(similar_hits, svc, finding_id, 10)
    except Exception:  # noqa: BLE001 - the finding is shown even when search is down
        similar = None
    rec = request.app.state.recurring
    if rec.available():  # the computed groups are the reference
        elsewhere, group = rec.elsewhere(finding_id), rec.group_of(finding_id)
    else:  # until they are computed: very close findings of other reports
        group = None
        elsewhere = len({h["report_id"] for h in similar or [] if h["report_id"] != row.report_id
                         and (h.get("score") or 0) >= RECURRING_SCORE})
    return render(request, "finding.html", title=f"{finding['kind_label']} — {row.report.title or ''}",
                  finding=finding, report=report_summary(row.report, base), similar=similar,
                  elsewhere=elsewhere, group=group)


@router.get("/export", response_class=HTMLResponse)
def export_page(request: Request, session: Session = Depends(db)):
    return render(request, "export.html", title="Exporter les constats", columns=COLUMNS,
                  chambers=repo.distinct_values(session, "chamber"))


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    """The API's documentation, rendered from its OpenAPI schema (no script, no CDN)."""
    schema = request.app.openapi()
    routes = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            routes.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                           "description": op.get("description", ""), "tag": (op.get("tags") or [""])[0],
                           "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                       "description": p.get("description")
                                       or (p.get("schema") or {}).get("description", "")}
                                      for p in op.get("parameters", [])],
                           "body": "requestBody" in op})
    return render(request, "docs.html", title="Documentation de l'API", routes=routes,
                  description=schema.get("info", {}).get("description", ""))

