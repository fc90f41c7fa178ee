"""Errors in plain French words: 422 for bad parameters, 404 for unknown ids, 503 when a
service does not answer (``constats.errors.ServiceUnavailable``, or an error of the database,
Meilisearch or Redis client that a route let through), with ``Retry-After``. Anything else is a
bug: 500, never presented as an outage (a client must not retry it), with an error id that is
also logged beside the traceback, so that a report from a user finds its cause (and the test
sweep checks that none happens)."""

from __future__ import annotations

import logging
import uuid

import httpx
import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.templating import error_page
from constats.errors import ServiceUnavailable
from search.client import MeiliError

log = logging.getLogger(__name__)

_MESSAGES = {
    "missing": "paramètre obligatoire manquant",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "float_parsing": "doit être un nombre (par exemple 0.5)",
    "float_type": "doit être un nombre (par exemple 0.5)",
    "bool_parsing": "doit valoir true ou false",
    "string_too_long": "texte trop long",
    "string_too_short": "texte trop court",
    "string_pattern_mismatch": "format invalide",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "json_invalid": "le corps de la requête n'est pas un JSON valide",
    "model_attributes_type": "le corps de la requête doit être un objet JSON",
    "dict_type": "le corps de la requête doit être un objet JSON",
}


def french_errors(errors: list[dict]) -> list[dict]:
    """Pydantic/FastAPI errors turned into ``{"parametre", "message"}`` in French."""
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body", "header")]
        etype = err.get("type", "")
        if etype == "value_error":
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
        elif etype == "literal_error":
            expected = (err.get("ctx") or {}).get("expected", "")
            msg = f"valeur non reconnue ; valeurs possibles : {expected}"
        elif etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            ctx = err.get("ctx") or {}
            bound = next(iter(ctx.values()), "")
            msg = ("doit être au moins " if etype.startswith("greater") else "doit être au plus ") + str(bound)
        elif etype == "string_pattern_mismatch" and loc and loc[-1].startswith("year"):
            msg = "une année s'écrit avec quatre chiffres (AAAA)"
        elif etype == "string_too_long":
            msg = f"texte trop long (au plus {(err.get('ctx') or {}).get('max_length')} caractères)"
        else:
            msg = _MESSAGES.get(etype, "valeur invalide")
        out.append({"parametre": ".".join(loc) or None, "message": msg})
    return out


def validation_response(errors: list[dict], request: Request | None = None):
    details = french_errors(errors)
    summary = "; ".join(f"{d['parametre']} : {d['message']}" if d["parametre"] else d["message"]
                        for d in details)
    if request is not None and _wants_html(request):
        return error_page(request, 422, summary)
    return JSONResponse(status_code=422, content={
        "erreur": "paramètres invalides", "message": summary, "details": details})


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        return validation_response(list(exc.errors()), request)

    @app.exception_handler(ValidationError)
    async def _pyd_validation(request: Request, exc: ValidationError):
        return validation_response([dict(e) for e in exc.errors()], request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail
        if exc.status_code == 404 and detail == "Not Found":
            detail = "adresse inconnue"
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = "méthode non autorisée sur cette adresse"
        if _wants_html(request):
                return error_page(request, exc.status_code, str(detail), headers=exc.headers)
        return JSONResponse(status_code=exc.status_code, content={"erreur": str(detail)},
                            headers=exc.headers)

    @app.exception_handler(ServiceUnavailable)
    async def _unavailable(request: Request, exc: ServiceUnavailable):
        return unavailable_response(request, exc.service, str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):  # last resort, logged
        service = _dependency(exc)
        if service is not None:
            return unavailable_response(request, service, f"{type(exc).__name__}: {exc}")
        error_id = uuid.uuid4().hex[:12]
        log.exception("bug (error id %s) on %s %s", error_id, request.method, request.url.path)
        msg = (f"erreur interne (identifiant {error_id}) : elle a été consignée ; ce n'est pas une "
               "indisponibilité, réessayer ne servira à rien : signalez-la avec cet identifiant")
        if _wants_html(request):
            return error_page(request, 500, msg)
        return JSONResponse(status_code=500, content={"erreur": "erreur interne", "message": msg,
                                                      "error_id": error_id})


_DESCRIPTIONS = {
    401: "Clé d'administration manquante (en-tête X-API-Key)",
    403: "Écritures désactivées sur ce serveur, ou clé d'administration incorrecte",
    404: "Inconnu : identifiant, code ou adresse",
    422: "Paramètres invalides (message en français, détail par paramètre)",
    429: "Trop de requêtes pour ce client (en-tête Retry-After)",
    500: "Erreur interne : un défaut, consigné avec l'identifiant `error_id` (ne pas réessayer)",
    503: "Service momentanément indisponible (base, Meilisearch, Redis) : réessayer après Retry-After",
}
_ERROR_SCHEMA = {"type": "object", "properties": {
    "erreur": {"type": "string"}, "message": {"type": "string"},
    "details": {"type": "array", "items": {"type": "object"}}, "error_id": {"type": "string"}},
    "required": ["erreur"]}


def document(app: FastAPI, admin_dependency) -> None:
    """Declare in OpenAPI every error status that a route really answers: 500 and 503 for all
    (a bug, an unavailable store), 429 where the per-client quota applies, 404 where the path
    names something, 422 where there are parameters, 401/403 on the write routes."""
    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        codes = {500, 503}
        if route.path.startswith(("/api/", "/recherche")):
            codes.add(429)
        if "{" in route.path or route.path.startswith(("/api/export/", "/api/search", "/api/bodies")):
            codes.add(404)
        if route.dependant.query_params or route.dependant.path_params or route.dependant.body_params \
                or route.dependant.dependencies:
            codes.add(422)
        if any(dep.call is admin_dependency for dep in route.dependant.dependencies):
            codes |= {401, 403}
        html = not route.path.startswith(("/api/", "/health"))
        for code in sorted(codes):
            route.responses.setdefault(code, {
                "description": _DESCRIPTIONS[code],
                "content": {"text/html": {"schema": {"type": "string"}}} if html
                else {"application/json": {"schema": _ERROR_SCHEMA}}})


def _dependency(exc: BaseException) -> str | None:
    """The service an exception says is unavailable (None: a bug)."""
    if isinstance(exc, OperationalError):
        return "base de données"
    if isinstance(exc, (httpx.TransportError, MeiliError)):
        return "Meilisearch"
    if isinstance(exc, (redis.ConnectionError, redis.TimeoutError)):
        return "Redis"
    return None


def unavailable_response(request: Request, service: str, detail: str):
    log.warning("service unavailable: %s: %s", service, detail)
    msg = f"service momentanément indisponible ({service}) : réessayez dans un instant"
    if _wants_html(request):
        return error_page(request, 503, msg, headers={"Retry-After": "30"})
    return JSONResponse(status_code=503, content={"erreur": msg}, headers={"Retry-After": "30"})


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/health", "/docs", "/openapi"))
