"""Errors in plain French words: 422 for bad parameters, 404 for unknown ids, 503 when a
service does not answer (``constats.errors.ServiceUnavailable``, or an error of the database,
Meilisearch or Redis client that a route let through), with ``Retry-After``. Anything else is a
bug: 500, never presented as an outage (a client must not retry it), with an error id that is
also logged beside the traceback, so that a report from a user finds its cause (and the test
sweep checks that none happens)."""

from __future__ import annotations

import logging
import re
import uuid

import httpx
import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import security
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
            allowed = allowed_methods(request.app, request.url.path)
            if allowed:  # every method of the path, not only those of the first route tried
                exc.headers = {**(exc.headers or {}), "Allow": ", ".join(allowed)}
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
            return security.apply_to(unavailable_response(request, service, f"{type(exc).__name__}: {exc}"))
        error_id = uuid.uuid4().hex[:12]
        log.exception("bug (error id %s) on %s %s", error_id, request.method, request.url.path)
        msg = (f"erreur interne (identifiant {error_id}) : elle a été consignée ; ce n'est pas une "
               "indisponibilité, réessayer ne servira à rien : signalez-la avec cet identifiant")
        if _wants_html(request):
            return security.apply_to(error_page(request, 500, msg))
        return security.apply_to(JSONResponse(status_code=500, content={
            "erreur": "erreur interne", "message": msg, "error_id": error_id}))


_DESCRIPTIONS = {
    400: "Corps de requête illisible (pas du JSON)",
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


def document(app: FastAPI) -> None:
    """Declare in OpenAPI every error status that an operation really answers: 500 and 503 for
    all (a bug, an unavailable store), 429 where the per-client quota applies, 404 where the
    path names something, 422 where there are parameters, 401/403 on the write routes (those
    that take the X-API-Key header)."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for path, operations in schema.get("paths", {}).items():
            for op in operations.values():
                params = op.get("parameters", [])
                codes = {500, 503}
                if path.startswith("/api/"):
                    codes.add(429)
                if "{" in path:
                    codes.add(404)
                if params or "requestBody" in op:
                    codes.add(422)
                if "requestBody" in op:
                    codes.add(400)  # a body that is not JSON at all
                for param in params:
                    _query_schema(param)
                if any(p.get("in") == "header" and p.get("name", "").lower() == "x-api-key" for p in params):
                    codes |= {401, 403}
                for code in sorted(codes):
                    op["responses"].setdefault(str(code), {
                        "description": _DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": _ERROR_SCHEMA}}})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _query_schema(param: dict) -> None:
    """A query parameter is never JSON null: drop the ``null`` branch that Optional adds."""
    schema = param.get("schema") or {}
    branches = schema.get("anyOf")
    if param.get("in") != "query" or not isinstance(branches, list):
        return
    kept = [b for b in branches if b.get("type") != "null"]
    if len(kept) == 1:
        del schema["anyOf"]
        for key, value in kept[0].items():
            schema.setdefault(key, value)


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods that the OpenAPI document gives for a concrete path."""
    methods: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            methods |= {m.upper() for m in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


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
