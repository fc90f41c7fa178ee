"""JSON routes of reports and bodies, the PDF itself, and the exports."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from sqlalchemy.orm import Session

from api import bodies
from api.deps import call_meili, db, report_or_404, services
from api.export import FORMATS, export_filename, stream_export_batches, table_schema
from api.filters import export_params, iter_matching_batches
from api.present import report_detail, report_summary
from api.schemas import BodyReportsOut, ReportOut
from constats.errors import ServiceUnavailable
from runtime.services import Services
from search.query import SearchParams, lookup_body
from store import repo

router = APIRouter(prefix="/api", tags=["rapports et exports"])

REPORT_ID = Path(..., pattern=r"^[A-Za-z0-9_-]{1,40}$", description="Identifiant du rapport.")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/reports/{report_id}", summary="Un rapport : métadonnées, sections, constats par type, réponses",
            response_model=ReportOut)
def api_report(request: Request, report_id: str = REPORT_ID, session: Session = Depends(db)) -> dict:
    return report_detail(report_or_404(session, report_id), _base(request))


@router.get("/reports/{report_id}/pdf", summary="Le PDF du rapport (ajoutez #page=N)",
            response_class=FileResponse, responses={200: {"content": {"application/pdf": {}}}})
def api_report_pdf(request: Request, report_id: str = REPORT_ID, session: Session = Depends(db)):
    row = report_or_404(session, report_id)
    sha = row.sha256 or ""
    path = request.app.state.settings.raw_dir / sha[:2] / sha[2:4] / f"{sha}.pdf"
    if len(sha) != 64 or not path.is_file():
        raise HTTPException(404, "le PDF de ce rapport n'est pas conservé sur ce serveur"
                                 + (f" ; il est publié à l'adresse {row.source_url}" if row.source_url else ""))
    return FileResponse(path, media_type="application/pdf", filename=f"{report_id}.pdf",
                        content_disposition_type="inline")


@router.get("/bodies/{code}/reports", summary="Les rapports d'un organisme et de ses satellites",
            response_model=BodyReportsOut, responses={422: {"description": "Code invalide"}})
def api_body_reports(request: Request, code: str = Path(..., max_length=9,
                                                        description="Code INSEE, SIREN ou département.",
                                                        json_schema_extra={"pattern": bodies.CODE.pattern}),
                     session: Session = Depends(db), svc: Services = Depends(services)) -> dict | JSONResponse:
    """Pour une commune : ses rapports, et ceux de son EPCI, de son CCAS, de son hôpital…"""
    if not bodies.valid_code(code):
        return JSONResponse(status_code=422, content={
            "erreur": "paramètres invalides",
            "message": f"code : « {code} » n'est ni un code INSEE (5 caractères), ni un SIREN "
                       "(9 chiffres), ni un code de département"})
    try:  # the body's name and satellites come from the search index; the store answers alone
        body = call_meili(lookup_body, svc.meili_search(), code, svc.prefix) if len(code) >= 5 else None
    except ServiceUnavailable:
        body = None
    insee, siren = bodies.related_codes(code, body)
    rows = repo.reports_about(session, insee, siren, departement=code if len(code) <= 3 else None)
    if not rows and body is None:
        raise HTTPException(404, f"aucun organisme ni rapport connu pour le code {code}")
    base = _base(request)
    return {"code": code, "body": body, "reports": [report_summary(r, base) for r in rows]}


# ---------------------------------------------------------------------------- exports
@router.get("/export/schema", summary="Schéma des exports (Frictionless Table Schema)")
def api_export_schema(request: Request, svc: Services = Depends(services)) -> dict:
    clf = svc.classifier()
    return table_schema(request.app.state.settings.public_base_url, clf.card() if clf else None)


@router.get("/export", summary="Exporter tous les constats qui répondent aux filtres",
            response_class=StreamingResponse,
            responses={200: {"content": {m: {} for m in FORMATS.values()}}})
def api_export(request: Request,
               format: Literal["csv", "jsonl", "parquet"] = Query("csv", description="csv, jsonl ou parquet"),
               params: SearchParams = Depends(export_params),
               svc: Services = Depends(services)) -> StreamingResponse:
    """Tous les constats (sans la limite de 1 000 de la recherche), en flux, avec identifiants
    stables et provenance. Le texte `q` filtre sur la présence de chacun de ses mots."""
    def chunks():
        with svc.session() as session:
            yield from stream_export_batches(format, iter_matching_batches(session, params))

    name = export_filename(params.model_dump(), format, date.today())
    return StreamingResponse(chunks(), media_type=FORMATS[format], headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Link": '</api/export/schema>; rel="describedby"'})
