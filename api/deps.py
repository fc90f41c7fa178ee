"""What the route handlers need, taken from ``app.state`` (no other global state).

- ``services(request)``: the app's ``runtime.services.Services`` (search-only Meilisearch
  client, query embedder, store sessions), built once by ``create_app``;
- ``db(request)``: a store session (read-only use by the public routes);
- ``call_meili``: a search-layer call whose failure becomes a 503;
- ``require_admin``: the X-API-Key check of the write routes;
- ``report_or_404``: a report row, or a 404 in French.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
from fastapi import Header, HTTPException, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from constats.config import Settings
from constats.errors import ServiceUnavailable
from runtime.services import Services
from search.client import MeiliError
from store import repo
from store.models import ReportRow

T = TypeVar("T")


def services(request: Request) -> Services:
    return request.app.state.services


def settings(request: Request) -> Settings:
    return request.app.state.settings


def db(request: Request) -> Iterator[Session]:
    try:
        with request.app.state.services.session() as session:
            yield session
    except OperationalError as exc:
        raise ServiceUnavailable("base de données", str(exc).splitlines()[0]) from exc


def call_meili(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a search-layer call; a Meilisearch that does not answer becomes a 503."""
    try:
        return fn(*args, **kwargs)
    except httpx.HTTPError as exc:
        raise ServiceUnavailable("Meilisearch", str(exc)) from exc
    except MeiliError as exc:
        if exc.code == "index_not_found":
            raise ServiceUnavailable("Meilisearch", "index absent : rien n'a encore été indexé") from exc
        raise ServiceUnavailable("Meilisearch", str(exc)) from exc


def report_or_404(session: Session, report_id: str) -> ReportRow:
    row = repo.get_report(session, report_id)
    if row is None:
        raise HTTPException(404, f"rapport inconnu : {report_id}")
    return row


def require_admin(request: Request,
                  x_api_key: str | None = Header(None, description="Clé d'administration.")) -> None:
    """Write routes: 403 when writes are disabled or the key is wrong, 401 when it is missing."""
    expected = request.app.state.settings.admin_api_key
    if not expected:
        raise HTTPException(403, "écritures désactivées : aucune clé d'administration n'est "
                                 "configurée sur ce serveur (CONSTATS_ADMIN_API_KEY)")
    if not x_api_key:
        raise HTTPException(401, "clé d'administration requise : en-tête X-API-Key",
                            headers={"WWW-Authenticate": "X-API-Key"})
    if not secrets.compare_digest(x_api_key.encode(), expected.encode()):
        raise HTTPException(403, "clé d'administration incorrecte")
