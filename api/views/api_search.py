"""JSON routes of search: findings, similar findings, feeds, bodies, taxonomy, stats."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from api.deps import call_meili, db, services
from api.feeds import FEED_SIZE, atom_feed
from api.filters import search_params
from api.present import finding_dict, local_pdf_url
from api.schemas import BodiesOut, FindingDetailOut, SimilarOut
from api.searching import run_search, similar_hits
from api.templating import url_with
from constats import taxonomy
from runtime.services import Services
from search.query import SearchParams, SearchResult, facet_stats, search_bodies
from store.models import FindingRow

router = APIRouter(prefix="/api", tags=["recherche"])

FINDING_ID = Path(..., pattern=r"^[A-Za-z0-9_-]{1,80}$", description="Identifiant du constat.")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/search", response_model=SearchResult, summary="Chercher dans les constats")
def api_search(request: Request, params: SearchParams = Depends(search_params),
               svc: Services = Depends(services)) -> Response:
    """Recherche plein texte (et hybride si `semantic` > 0) avec filtres, facettes, extraits
    surlignés et lien vers la page du PDF. Au plus 100 résultats par page et 1 000 au total."""
    result = call_meili(run_search, svc, params, _base(request))
    if result.understood:
        result.words_instead = "/api/search" + url_with(request, literal="true")
    # serialised once here (the model is already validated): no second validation pass
    return Response(result.model_dump_json(), media_type="application/json")


@router.get("/search.atom", summary="Flux Atom d'une recherche",
            response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def api_search_atom(request: Request, params: SearchParams = Depends(search_params),
                    svc: Services = Depends(services)) -> Response:
    """Les constats les plus récents qui répondent à la recherche : pour suivre une commune ou un thème."""
    params = params.model_copy(update={"sort": "date_desc", "page": 1, "per_page": FEED_SIZE})
    result = call_meili(run_search, svc, params, _base(request))
    settings = request.app.state.settings
    base = settings.public_base_url.rstrip("/")
    query = request.url.query
    what = params.q or "tous les constats"
    xml = atom_feed(result.hits, title=f"Constats : {what}",
                    self_url=f"{base}/api/search.atom" + (f"?{query}" if query else ""),
                    html_url=f"{base}/recherche" + (f"?{query}" if query else ""), base_url=base)
    return Response(xml, media_type="application/atom+xml; charset=utf-8")


@router.get("/findings/{finding_id}", summary="Un constat", response_model=FindingDetailOut)
def api_finding(request: Request, finding_id: str = FINDING_ID, session: Session = Depends(db)) -> dict:
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise HTTPException(404, f"constat inconnu : {finding_id}")
    group = request.app.state.recurring.group_of(finding_id)
    return {**finding_dict(row, row.report, _base(request)),
            "found_elsewhere": group["n_reports"] - 1 if group else 0,
            "recurring_group": group["id"] if group else None}


@router.get("/findings/{finding_id}/similar", summary="Constats semblables", response_model=SimilarOut)
def api_similar(request: Request, finding_id: str = FINDING_ID,
                limit: int = Query(10, ge=1, le=50, description="Nombre de constats (1 à 50)."),
                session: Session = Depends(db), svc: Services = Depends(services)) -> dict:
    if session.get(FindingRow, finding_id) is None:
        raise HTTPException(404, f"constat inconnu : {finding_id}")
    hits = call_meili(similar_hits, svc, finding_id, limit)
    base = _base(request)
    for h in hits:
        h["pdf_url"] = local_pdf_url(base, h["report_id"], h["page"])
    return {"finding_id": finding_id, "hits": hits}


@router.get("/bodies", summary="Trouver un organisme (commune, EPCI…)", response_model=BodiesOut)
def api_bodies(q: str = Query(..., min_length=1, max_length=200,
                              description="Nom (fautes tolérées), code postal, INSEE ou SIREN."),
               limit: int = Query(10, ge=1, le=100), svc: Services = Depends(services)) -> dict:
    hits = call_meili(search_bodies, svc.meili_search(), q, limit, svc.prefix)
    return {"q": q, "hits": hits}


@router.get("/taxonomy", summary="Taxonomie des constats (codes et libellés)")
def api_taxonomy() -> dict:
    return taxonomy.as_dict()


@router.get("/stats", summary="Statistiques : constats par thème, chambre, année, type, statut")
def api_stats(svc: Services = Depends(services)) -> dict:
    return call_meili(facet_stats, svc.meili_search(), svc.prefix)


@router.get("/recurring", summary="Constats récurrents (relevés dans plusieurs rapports)")
def api_recurring(request: Request, limit: int = Query(50, ge=1, le=500),
                  chamber: str | None = Query(None, max_length=200, description="Chambre.")) -> dict:
    """Groupes de constats quasi identiques relevés dans plusieurs rapports, les plus répandus
    d'abord, quand ils ont été calculés (commande `constats recurring`)."""
    rec = request.app.state.recurring
    if not rec.available():
        return {"available": False, "groups": [],
                "message": "les constats récurrents n'ont pas encore été calculés sur ce serveur"}
    return {"available": True, **rec.info(), "groups": rec.groups(limit, chamber=chamber)}
