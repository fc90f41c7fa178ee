"""The FastAPI application: JSON API (OpenAPI at /docs) and server-rendered French pages.

``create_app(settings)`` builds a fresh app; everything it needs lives in ``app.state``
(settings, lazily built service clients, the rate limiter): no module-level state, so tests
can build several apps side by side.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import errors
from api.ratelimit import RateLimitMiddleware, make_api_limiter
from api.recurring import RecurringGroups, groups_path
from api.security import SecurityHeadersMiddleware
from api.templating import STATIC
from api.views import admin, api_reports, api_search, charts, directory, doctrine, dossier, health, newsletter, pages
from constats.config import Settings, get_settings
from nlp.embed import Embedder
from runtime.services import Services

log = logging.getLogger(__name__)

DESCRIPTION = """Les constats des chambres régionales et territoriales des comptes, cherchables.

- **Recherche** : `/api/search` (filtres, facettes, extraits, lien vers la page du PDF),
  flux Atom `/api/search.atom`.
- **Rapports et organismes** : `/api/reports/{id}`, `/api/bodies?q=`, `/api/bodies/{code}/reports`.
- **Exports** pour la recherche : `/api/export?format=csv|jsonl|parquet`, schéma `/api/export/schema`.
- Les erreurs sont expliquées en français ; l'API publique est limitée par client (429 au-delà).
"""


def create_app(settings: Settings | None = None, *, embedder: Embedder | None = None) -> FastAPI:
    """A new app. ``embedder`` overrides the query embedder (tests); default: lazy, from settings."""
    settings = settings or get_settings()
    svc = Services(settings, embedder=embedder) if embedder is not None else Services(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.services.close()

    app = FastAPI(title="Constats", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # /docs is rendered here, without any CDN
                  openapi_tags=[{"name": "recherche"}, {"name": "rapports et exports"},
                                {"name": "administration"}, {"name": "santé"}])
    app.state.settings = settings
    app.state.services = svc
    app.state.limiter = make_api_limiter(settings)
    app.state.recurring = RecurringGroups(groups_path(settings.state_dir))
    # the JSON API and the search page run the same searches: one quota per real client
    app.add_middleware(RateLimitMiddleware, limiter=app.state.limiter, prefix=("/api/", "/recherche"),
                       trusted_proxies=settings.trusted_proxies)
    app.add_middleware(SecurityHeadersMiddleware)
    errors.install(app)
    app.include_router(health.router)
    app.include_router(api_search.router)
    app.include_router(api_reports.router)
    app.include_router(admin.router)
    app.include_router(pages.router)
    app.include_router(dossier.router)
    app.include_router(directory.router)
    app.include_router(charts.router)
    app.include_router(doctrine.router)
    app.include_router(newsletter.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.document(app)
    if settings.ui_theme == "dsfr" and not (STATIC / "dsfr" / "dsfr.min.css").exists():
        log.warning("ui_theme=dsfr but api/static/dsfr is missing: run `make dsfr`; "
                    "the project's own theme is used meanwhile")
    return app
