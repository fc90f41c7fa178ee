"""What the route handlers need, taken from ``app.state`` (no other global state).

- ``meili(request)``: a Meilisearch client holding a SEARCH-ONLY key (``MEILI_SEARCH_KEY``,
  or one found/created once with the master key at first use); the API never writes to
  Meilisearch;
- ``db(request)``: a store session (read-only use by the public routes);
- ``embedder(request)``: the query embedder for hybrid search, loaded lazily: a
  ``nlp.embed.QueryEmbedder`` (one query at a time, one BLAS thread, no cache);
- ``require_admin``: the X-API-Key check of the write routes.
"""

from __future__ import annotations

import logging
import secrets
import threading
from typing import Iterator

import httpx
from fastapi import Header, HTTPException, Request
from sqlalchemy.exc import OperationalError

from api.errors import ServiceUnavailable
from constats.config import Settings
from search.client import MeiliClient, MeiliError

log = logging.getLogger(__name__)


def _for_queries(embedder):
    """Wrap an embedder for concurrent search requests (``nlp.embed.QueryEmbedder``)."""
    if embedder is None:
        return None
    from nlp.embed import QueryEmbedder

    return QueryEmbedder(embedder)


class Services:
    """Lazily built clients of one app (kept in ``app.state.services``)."""

    def __init__(self, settings: Settings, embedder=None):
        self.settings = settings
        self._meili: MeiliClient | None = None
        self._embedder = _for_queries(embedder)
        self._embedder_loaded = embedder is not None
        self._lock = threading.Lock()

    @property
    def prefix(self) -> str:
        return self.settings.index_prefix

    def meili(self) -> MeiliClient:
        if self._meili is None:
            with self._lock:
                if self._meili is None:
                    self._meili = MeiliClient(self.settings.meili, self._search_key(), timeout=30)
        return self._meili

    def _search_key(self) -> str:
        s = self.settings
        if getattr(s, "meili_search_key", None):
            return s.meili_search_key
        from search.client import search_key

        try:
            with MeiliClient(s.meili, s.meili_master_key, timeout=10) as master:
                return search_key(master, s.index_prefix)
        except (httpx.HTTPError, MeiliError) as exc:
            raise ServiceUnavailable("Meilisearch", str(exc)) from exc

    def embedder(self):
        if not self._embedder_loaded:
            with self._lock:
                if not self._embedder_loaded:
                    try:
                        from search.commands import project_embedder

                        self._embedder = _for_queries(
                            project_embedder(self.settings.embedder, threads=1))
                    except Exception as exc:  # noqa: BLE001 - keyword search still works
                        log.warning("query embedder unavailable: %s", exc)
                        self._embedder = None
                    self._embedder_loaded = True
        return self._embedder

    def close(self) -> None:
        if self._meili is not None:
            self._meili.close()


def services(request: Request) -> Services:
    return request.app.state.services


def settings(request: Request) -> Settings:
    return request.app.state.settings


def db(request: Request) -> Iterator:
    from store.db import session_scope

    try:
        with session_scope(request.app.state.settings.db_url) as session:
            yield session
    except OperationalError as exc:
        raise ServiceUnavailable("base de données", str(exc).splitlines()[0]) from exc


def call_meili(fn, *args, **kwargs):
    """Run a search-layer call; a Meilisearch that does not answer becomes a 503."""
    try:
        return fn(*args, **kwargs)
    except httpx.HTTPError as exc:
        raise ServiceUnavailable("Meilisearch", str(exc)) from exc
    except MeiliError as exc:
        if exc.code == "index_not_found":
            raise ServiceUnavailable("Meilisearch", "index absent : rien n'a encore été indexé") from exc
        raise ServiceUnavailable("Meilisearch", str(exc)) from exc


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
