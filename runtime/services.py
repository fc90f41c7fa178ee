"""The one place where the services of a process are built from the settings.

A ``Services`` object is created once per process (the API app, a worker process, a
command) from a ``Settings`` and passed down; library code receives what it needs (a
session, a client, an embedder) as arguments and never reads the settings itself. Every
service is built lazily, on first use, and ``close()`` releases what was opened.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import httpx
from celery import Celery
from sqlalchemy.orm import Session

from constats.config import Settings
from constats.errors import ServiceUnavailable
from crawler.limiter import Limiter, MemoryLimiter, RedisLimiter
from crawler.rawstore import RawStore
from nlp import geo
from nlp.classify import DEFAULT_PATH as THEME_MODEL_PATH
from nlp.classify import ModelMismatchError, ThemeClassifier
from nlp.embed import Embedder, EmbedderError, QueryEmbedder, get_embedder
from nlp.report import EXTRACTOR_VERSION
from runtime.mail import Mailer
from runtime.queue import make_celery
from search.client import CircuitBreaker, MeiliClient, MeiliError, search_key
from search.indexer import INDEX_VERSION
from store.db import session_scope
from store.repo import Versions

log = logging.getLogger(__name__)

class ModelsUnusable(RuntimeError):
    """The packaged models or reference data are missing or were made for other versions."""


#: ``embedder=`` / ``classifier=`` not given: built from the settings on first use.
_FROM_SETTINGS: Any = object()


class Services:
    """Sessions, raw store, Meilisearch clients, embedders, classifier, queue and limiter."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = _FROM_SETTINGS,
                 classifier: ThemeClassifier | None = _FROM_SETTINGS):
        """``embedder`` / ``classifier`` override what the settings name (tests, benchmarks)."""
        self.settings = settings
        self._embedder = embedder
        self._classifier = classifier
        self._query_embedder: QueryEmbedder | None = _FROM_SETTINGS
        self._classifier_embedder: Embedder | None = None
        self._meili_admin: MeiliClient | None = None
        self._meili_search: MeiliClient | None = None
        #: shared by the API's calls to Meilisearch: a down or frozen server fails them at once
        self.meili_breaker = CircuitBreaker(settings.meili_breaker_cooldown_s)
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ store
    @property
    def prefix(self) -> str:
        """Prefix of the Meilisearch index names."""
        return self.settings.index_prefix

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transactional session of the store of record."""
        with session_scope(self.settings.db_url) as session:
            yield session

    @cached_property
    def raw_store(self) -> RawStore:
        return RawStore(self.settings.raw_dir)

    @property
    def ocr_cache(self):
        return self.settings.state_dir / "ocr-cache"

    def read_options(self) -> dict[str, Any]:
        """The limits and OCR options of ``nlp.report.understand``, from the settings."""
        s = self.settings
        return {"max_pages": s.max_pdf_pages, "max_bytes": s.max_pdf_bytes, "ocr_dpi": s.ocr_dpi,
                "ocr_language": s.ocr_language, "ocr_cache": self.ocr_cache}

    # ------------------------------------------------------------------ Meilisearch
    def meili_admin(self) -> MeiliClient:
        """A client with the master key (indexing, settings): workers and commands only."""
        with self._lock:
            if self._meili_admin is None:
                self._meili_admin = MeiliClient(self.settings.meili, self.settings.meili_master_key)
            return self._meili_admin

    def meili_search(self) -> MeiliClient:
        """A client holding a SEARCH-ONLY key (``MEILI_SEARCH_KEY``, or one found or created
        once with the master key): the API never writes to Meilisearch. Its calls time out
        after ``meili_timeout_s`` and go through ``meili_breaker``."""
        if self._meili_search is not None:
            return self._meili_search
        key = self._search_key()  # outside the lock: a stuck server never blocks other routes
        with self._lock:
            if self._meili_search is None:
                self._meili_search = MeiliClient(self.settings.meili, key, timeout=self.settings.meili_timeout_s,
                                                 breaker=self.meili_breaker)
            return self._meili_search

    def _search_key(self) -> str:
        s = self.settings
        if s.meili_search_key:
            return s.meili_search_key
        try:
            with MeiliClient(s.meili, s.meili_master_key, timeout=s.meili_timeout_s,
                             breaker=self.meili_breaker) as master:
                return search_key(master, s.index_prefix)
        except (httpx.HTTPError, MeiliError) as exc:
            raise ServiceUnavailable("Meilisearch", str(exc)) from exc

    # ------------------------------------------------------------------ models
    def embedder(self) -> Embedder | None:
        """The embedder of the settings for indexing (``none``: None), threads from
        ``embed_threads``; built once."""
        with self._lock:
            if self._embedder is _FROM_SETTINGS:
                self._embedder = get_embedder(self.settings.embedder,
                                              threads=self.settings.embed_threads)
            return self._embedder

    def query_embedder(self) -> QueryEmbedder | None:
        """The API's query embedder (one query at a time, one thread); None when the
        embedder cannot be built: keyword search still works."""
        with self._lock:
            if self._query_embedder is _FROM_SETTINGS:
                try:
                    inner = (get_embedder(self.settings.embedder, threads=1)
                             if self._embedder is _FROM_SETTINGS else self._embedder)
                except Exception as exc:  # noqa: BLE001 - keyword search still works
                    log.warning("query embedder unavailable: %s", exc)
                    inner = None
                self._query_embedder = QueryEmbedder(inner) if inner is not None else None
            return self._query_embedder

    def classifier(self) -> ThemeClassifier | None:
        """The packaged theme classifier; None (findings left unclassified, with a warning)
        when no artefact is installed."""
        with self._lock:
            if self._classifier is _FROM_SETTINGS:
                try:
                    self._classifier = ThemeClassifier.load()
                except FileNotFoundError as exc:
                    log.warning("no theme classifier available (%s): findings stay unclassified", exc)
                    self._classifier = None
            return self._classifier

    def classifier_embedder(self) -> Embedder | None:
        """The embedder a theme model that reads sentence embeddings needs (None for a TF-IDF
        model): the indexing embedder when it is the one the model was trained on (its vectors
        are then computed once for both), else a USE embedder of its own. Raises
        ``ModelsUnusable`` when no embedder matches the model's."""
        clf = self.classifier()
        if clf is None or not clf.needs_vectors:
            return None
        with self._lock:
            if self._classifier_embedder is None:
                emb = self.embedder()
                if emb is None or emb.version != clf.embedder_version:
                    try:
                        emb = get_embedder("use", threads=self.settings.embed_threads)
                    except EmbedderError as exc:
                        raise ModelsUnusable(f"modèle de thèmes inutilisable : {exc}") from exc
                if emb is None or emb.version != clf.embedder_version:
                    raise ModelsUnusable(f"modèle de thèmes inutilisable : il lit les vecteurs de "
                                         f"{clf.embedder_version}, aucun plongement disponible ne les produit "
                                         f"({getattr(emb, 'version', None)})")
                self._classifier_embedder = emb
            return self._classifier_embedder

    def check_models(self) -> None:
        """Load the theme model and the reference table now; raise ``ModelsUnusable`` naming
        the file and the versions when one cannot be used (a worker then refuses to start)."""
        if self._classifier is _FROM_SETTINGS:
            try:
                clf = ThemeClassifier.load()
            except ModelMismatchError as exc:
                raise ModelsUnusable(f"modèle de thèmes inutilisable : {exc}") from exc
            except FileNotFoundError as exc:
                raise ModelsUnusable(f"modèle de thèmes absent : {THEME_MODEL_PATH} ({exc})") from exc
            with self._lock:
                self._classifier = clf
        self.classifier_embedder()  # a model reading embeddings needs its embedder
        try:
            geo.reference()
        except (OSError, ValueError, KeyError) as exc:
            raise ModelsUnusable(f"table de référence géographique inutilisable : {geo.REFERENCE_PATH} "
                                 f"({type(exc).__name__}: {exc})") from exc

    def versions(self) -> Versions:
        """The versions that made a report: older ones are reprocessed."""
        clf = self.classifier()
        return Versions(extractor_version=EXTRACTOR_VERSION, index_version=INDEX_VERSION,
                        classifier_version=clf.version if clf else None)

    # ------------------------------------------------------------------ queue, crawler
    @cached_property
    def queue(self) -> Celery:
        """A Celery app on the settings' Redis, to enqueue tasks by name."""
        return make_celery(self.settings)

    def crawl_limiter(self, *, shared: bool = False) -> Limiter:
        """The per-host rate limiter: in memory, or shared through Redis by the worker
        processes (in memory, with a warning, while Redis does not answer)."""
        if shared:
            try:
                limiter = RedisLimiter(self.settings.redis, self.settings.crawl_rate_limit)
                limiter.ping()
                return limiter
            except Exception as exc:  # noqa: BLE001 - any Redis failure: per-process limit
                log.warning("rate limiter: Redis unavailable (%s), in-memory limiter used", exc)
        return MemoryLimiter(self.settings.crawl_rate_limit)

    @cached_property
    def mailer(self) -> Mailer:
        """The newsletter's SMTP client (``configured`` is False without CONSTATS_SMTP_HOST)."""
        return Mailer(self.settings)

    def close(self) -> None:
        for client in (self._meili_admin, self._meili_search):
            if client is not None:
                client.close()
        self._meili_admin = self._meili_search = None
