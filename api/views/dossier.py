"""The dossier of a place (commune, EPCI, département, région) and the lookup that finds it.

``/communes?q=`` finds communes and bodies by name, postal code or INSEE code and says, for
each, how many reports concern it (its own, its satellites', its EPCI's);
``/organismes/{code}`` is the dossier of a commune (INSEE), an EPCI (SIREN) or a département;
``/regions/{code}`` the dossier of a région.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from api import bodies, dossier
from api.deps import call_meili, db, services
from api.templating import render
from nlp import geo
from runtime.services import Services
from search.query import epci_members, lookup_body, search_bodies
from store import repo

router = APIRouter(include_in_schema=False)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def with_report_counts(session: Session, hits: list[dict]) -> list[dict]:
    """Each body with ``n_reports``: reports on its code, plus its EPCI's for a commune."""
    insee = {h["insee"] for h in hits if h.get("kind") == "commune" and h.get("insee")}
    insee |= {h["code"] for h in hits if h.get("kind") == "commune" and h.get("code")}
    siren = {h.get("siren") or h.get("code") for h in hits if h.get("kind") == "epci"}
    siren |= {h["epci_siren"] for h in hits if h.get("epci_siren")}
    counts = repo.report_counts(session, insee, {s for s in siren if s})
    out = []
    for h in hits:
        code = h.get("code") or h.get("insee") or h.get("siren") or ""
        own = counts.get(code, 0)
        epci = counts.get(h["epci_siren"], 0) if h.get("kind") == "commune" and h.get("epci_siren") else 0
        out.append({**h, "n_reports": own + epci, "n_own": own, "n_epci": epci})
    return out


@router.get("/communes", response_class=HTMLResponse)
def body_lookup(request: Request, q: str = Query("", max_length=200), session: Session = Depends(db),
                svc: Services = Depends(services)):
    hits = call_meili(search_bodies, svc.meili_search(), q, 20, svc.prefix) if q.strip() else []
    hits = with_report_counts(session, hits)
    return render(request, "lookup.html", title=f"Organismes : {q}" if q else "Trouver une commune",
                  q=q, hits=hits)


@router.get("/organismes/{code}", response_class=HTMLResponse)
def body_page(request: Request, code: str, session: Session = Depends(db),
              svc: Services = Depends(services)):
    if not bodies.valid_code(code):
        raise HTTPException(404, f"« {code} » n'est pas un code INSEE, SIREN ou de département")
    client = svc.meili_search()
    body = call_meili(lookup_body, client, code, svc.prefix) if len(code) >= 5 else None
    insee, siren = bodies.related_codes(code, body)
    departement = code if len(code) <= 3 else None
    rows = repo.reports_about(session, insee, siren, departement=departement)
    if not rows and body is None and not (departement and geo.departement_label(departement)):
        raise HTTPException(404, f"aucun organisme ni rapport connu pour le code {code}")
    kind = "departement" if departement else ("epci" if len(code) == 9 else
                                              (body or {}).get("kind") or "commune")
    epci, neighbour_rows = None, []
    if kind == "commune" and body and body.get("epci_siren"):
        epci = call_meili(lookup_body, client, body["epci_siren"], svc.prefix) or {"siren": body["epci_siren"]}
        others = {m.get("insee") or m.get("code") for m in
                  call_meili(epci_members, client, body["epci_siren"], svc.prefix)} - {code, None}
        neighbour_rows = repo.reports_about(session, {c for c in others if c}, set())
    elif kind == "epci":
        members = {m.get("insee") or m.get("code") for m in call_meili(epci_members, client, code, svc.prefix)}
        rows = repo.reports_about(session, insee | {c for c in members if c}, siren)
    name = str((body or {}).get("name") or (geo.departement_label(departement) if departement else None)
               or (rows[0].body_name if rows else None) or code)
    suivi = repo.suivi_items(session, [r.id for r in rows])
    d = dossier.build(code, name, kind, rows, suivi, _base(request), body=body, epci=epci,
                      neighbour_rows=neighbour_rows)
    feed_param = "insee" if len(code) == 5 else ("siren" if len(code) == 9 else "departement")
    return render(request, "body.html", title=name, name=name, code=code, body=body, dossier=d,
                  feed_url=f"/api/search.atom?{feed_param}={code}",
                  follow_query={feed_param: code}, relations=dossier.RELATIONS)


@router.get("/regions/{code}", response_class=HTMLResponse)
def region_page(request: Request, code: str, session: Session = Depends(db)):
    name = geo.region_name(code) if code.isdigit() and len(code) == 2 else None
    if not name:
        raise HTTPException(404, f"« {code} » n'est pas un code de région")
    deps = geo.departements_of_region(code)
    rows = [r for dep in deps for r in repo.reports_about(session, set(), set(), departement=dep["code"])]
    rows.sort(key=lambda r: (r.year is None, -(r.year or 0), r.id))
    suivi = repo.suivi_items(session, [r.id for r in rows])
    d = dossier.build(code, name, "region", rows, suivi, _base(request))
    return render(request, "body.html", title=name, name=name, code=code, body=None, dossier=d,
                  departements=deps, feed_url=f"/api/search.atom?region={name}",
                  follow_query={"region": name}, relations=dossier.RELATIONS)
