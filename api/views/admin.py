"""Write routes (X-API-Key): start a crawl, reprocess reports; and the crawl journal."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, Field, StrictBool, StringConstraints
from sqlalchemy.orm import Session

from api.deps import db, require_admin, services
from constats.errors import ServiceUnavailable
from crawler.state import recent_crawls
from runtime import queue
from runtime.services import Services
from store import repo

router = APIRouter(prefix="/api", tags=["administration"])


def _json_integer(value: object) -> object:
    """A JSON integer (3 or 3.0), not the text "3" nor true."""
    if isinstance(value, (str, bool)):
        raise ValueError("doit être un nombre entier")
    return value


class CrawlRequest(BaseModel):
    source: Literal["ccomptes", "local"] = Field("ccomptes", description="Source à parcourir.")
    # as JSON says: "false" is not a boolean, "3" not a number
    incremental: StrictBool = Field(True, description="Ne télécharger que ce qui a changé.")
    max_pages: Annotated[int | None, BeforeValidator(_json_integer)] = Field(
        None, ge=1, le=10_000, description="Pages de liste au plus.")
    query: str | None = Field(None, max_length=200, description="Recherche sur le site source.")
    path: str | None = Field(None, max_length=1000, description="Dossier (source local).")


class ReprocessRequest(BaseModel):
    report_ids: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]] | None = Field(
        None, max_length=10_000, description="Rapports à retraiter ; par défaut ceux produits par des "
                                             "versions anciennes.")


def _enqueue(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - broker down, etc.
        raise ServiceUnavailable("file de tâches (Redis)", f"{type(exc).__name__}: {exc}") from exc


@router.get("/crawls", summary="Les derniers parcours du site source")
def api_crawls(limit: int = Query(20, ge=1, le=200), session: Session = Depends(db)) -> dict:
    return {"crawls": recent_crawls(session, limit=limit)}


@router.post("/crawls", status_code=202, summary="Lancer un parcours (clé d'administration)",
             dependencies=[Depends(require_admin)])
def api_start_crawl(body: CrawlRequest, svc: Services = Depends(services)) -> dict:
    params = body.model_dump(exclude_none=True)
    result = _enqueue(queue.start_crawl, svc.queue, params)
    return {"message": "parcours mis en file d'attente", "task_id": getattr(result, "id", None),
            "params": params}


@router.post("/reprocess", status_code=202, summary="Retraiter des rapports (clé d'administration)",
             dependencies=[Depends(require_admin)],
             responses={404: {"description": "Un des rapports nommés est inconnu"}})
def api_reprocess(body: ReprocessRequest | None = None, session: Session = Depends(db),
                  svc: Services = Depends(services)):
    if body and body.report_ids is not None:
        ids = list(dict.fromkeys(body.report_ids))
        known = set(repo.report_ids(session, ids))
        unknown = [i for i in ids if i not in known]
        if unknown:  # well-formed ids that name nothing: 404, as for GET /api/reports/{id}
            return JSONResponse(status_code=404, content={
                "erreur": "rapports inconnus : " + ", ".join(unknown[:20])
                          + (" …" if len(unknown) > 20 else "")})
    if not (body and body.report_ids is not None):
        ids = repo.outdated_reports(session, **svc.versions())
    tasks = [getattr(_enqueue(queue.enqueue_report, svc.queue, rid), "id", None) for rid in ids]
    return JSONResponse(status_code=202, content={
        "message": f"{len(ids)} rapport(s) mis en file d'attente", "report_ids": ids,
        "task_ids": tasks})
