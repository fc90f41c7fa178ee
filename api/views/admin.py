"""Write routes (X-API-Key): start a crawl, reprocess reports; and the crawl journal."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import db, require_admin
from api.errors import ServiceUnavailable

router = APIRouter(prefix="/api", tags=["administration"])


class CrawlRequest(BaseModel):
    source: Literal["ccomptes", "local"] = Field("ccomptes", description="Source à parcourir.")
    incremental: bool = Field(True, description="Ne télécharger que ce qui a changé.")
    max_pages: int | None = Field(None, ge=1, le=10_000, description="Pages de liste au plus.")
    query: str | None = Field(None, max_length=200, description="Recherche sur le site source.")
    path: str | None = Field(None, max_length=1000, description="Dossier (source local).")


class ReprocessRequest(BaseModel):
    report_ids: list[str] | None = Field(None, max_length=10_000,
                                         description="Rapports à retraiter ; par défaut ceux "
                                                     "produits par des versions anciennes.")


def _broker_ready(request: Request) -> None:
    """Point the Celery app at this API's Redis (once per app)."""
    if not getattr(request.app.state, "celery_configured", False):
        from worker.app import celery_app, configure

        configure(celery_app, request.app.state.settings)
        request.app.state.celery_configured = True


def _enqueue(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - broker down, etc.
        raise ServiceUnavailable("file de tâches (Redis)", f"{type(exc).__name__}: {exc}") from exc


@router.get("/crawls", summary="Les derniers parcours du site source")
def api_crawls(limit: int = Query(20, ge=1, le=200), session: Session = Depends(db)) -> dict:
    try:
        from crawler.state import recent_crawls
    except ImportError:
        from store.models import Crawl

        rows = session.scalars(select(Crawl).order_by(Crawl.id.desc()).limit(limit))
        return {"crawls": [{"id": r.id, "source": r.source, "status": r.status,
                            "started_at": r.started_at, "finished_at": r.finished_at,
                            "counts": r.counts, "error": r.error} for r in rows]}
    return {"crawls": recent_crawls(session, limit=limit)}


@router.post("/crawls", status_code=202, summary="Lancer un parcours (clé d'administration)",
             dependencies=[Depends(require_admin)])
def api_start_crawl(request: Request, body: CrawlRequest) -> dict:
    from worker.pipeline import start_crawl

    _broker_ready(request)
    params = body.model_dump(exclude_none=True)
    result = _enqueue(start_crawl, params)
    return {"message": "parcours mis en file d'attente", "task_id": getattr(result, "id", None),
            "params": params}


@router.post("/reprocess", status_code=202, summary="Retraiter des rapports (clé d'administration)",
             dependencies=[Depends(require_admin)])
def api_reprocess(request: Request, body: ReprocessRequest | None = None,
                  session: Session = Depends(db)):
    from store.models import ReportRow
    from worker.pipeline import enqueue_report, outdated_report_ids

    if body and body.report_ids is not None:
        ids = list(dict.fromkeys(body.report_ids))
        known = set(session.scalars(select(ReportRow.id).where(ReportRow.id.in_(ids))))
        unknown = [i for i in ids if i not in known]
        if unknown:
            return JSONResponse(status_code=422, content={
                "erreur": "paramètres invalides",
                "message": "rapports inconnus : " + ", ".join(unknown[:20])
                           + (" …" if len(unknown) > 20 else "")})
    _broker_ready(request)
    if not (body and body.report_ids is not None):
        ids = _enqueue(outdated_report_ids)
    tasks = [getattr(_enqueue(enqueue_report, rid), "id", None) for rid in ids]
    return JSONResponse(status_code=202, content={
        "message": f"{len(ids)} rapport(s) mis en file d'attente", "report_ids": ids,
        "task_ids": tasks})
