"""Settings: every one from an environment variable, with a documented default.

Variables are prefixed ``CONSTATS_`` except the three conventional URLs
(``DATABASE_URL``, ``MEILI_URL``, ``REDIS_URL``). When ``MEILI_URL`` or ``REDIS_URL`` is
unset, ``constats services up`` starts a local Meilisearch / Redis under ``state_dir``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONSTATS_", extra="ignore")

    # --- where things live
    state_dir: Path = Field(Path("var"), description="Data of the local services, raw files, database.")
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("DATABASE_URL", "CONSTATS_DATABASE_URL"),
        description="SQLAlchemy URL; default: SQLite file state_dir/constats.db.",
    )

    # --- Meilisearch
    meili_url: str | None = Field(
        None, validation_alias=AliasChoices("MEILI_URL", "CONSTATS_MEILI_URL"),
        description="External Meilisearch; default: the managed one on meili_port.",
    )
    meili_master_key: str = Field(
        "constats-dev-master-key-0123456789",
        validation_alias=AliasChoices("MEILI_MASTER_KEY", "CONSTATS_MEILI_MASTER_KEY"),
        description="Master key (≥ 16 bytes). Change it in production.",
    )
    meili_search_key: str | None = Field(
        None, validation_alias=AliasChoices("MEILI_SEARCH_KEY", "CONSTATS_MEILI_SEARCH_KEY"),
        description="Search-only key used by the API; default: found or created with the master key.",
    )
    meili_port: int = 7710
    meili_max_indexing_memory: str = "512MiB"
    meili_max_indexing_threads: int = 2
    index_prefix: str = Field("constats", description="Prefix of every index name.")

    # --- Redis / Celery
    redis_url: str | None = Field(
        None, validation_alias=AliasChoices("REDIS_URL", "CONSTATS_REDIS_URL"),
        description="External Redis; default: the managed one on redis_port.",
    )
    redis_port: int = 6389
    task_always_eager: bool = Field(False, description="Run Celery tasks inline (debugging only).")
    crawl_schedule_hours: float = Field(24.0, description="Period of the scheduled crawl (beat).")

    # --- convergence after faults (the reconciler, retries)
    reconcile_every_s: float = Field(
        120.0, gt=0, description="Period of the reconciler (beat; it also runs when a worker starts).")
    stall_after_s: float = Field(
        900.0, gt=0, description="A report whose stage has not advanced for this long is re-enqueued.")
    max_attempts: int = Field(
        6, ge=1, description="Re-enqueues of one report before it is marked failed (code 'stalled').")
    retry_backoff_cap_s: float = Field(
        60.0, gt=0, description="Cap of the exponential backoff between retries of a stage.")
    task_retries: int = Field(
        4, ge=0, description="Retries of a stage on a transient error before it is parked for the reconciler.")
    meili_timeout_s: float = Field(
        2.0, gt=0, description="Timeout of one Meilisearch call of the API (search, facets).")
    meili_breaker_cooldown_s: float = Field(
        10.0, gt=0, description="After Meilisearch failed, the API answers 503 at once for this long.")

    # --- API
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    api_workers: int = Field(
        1, ge=1, le=16, description="Processes of `constats serve`. More help where Meilisearch "
        "runs on other cores; on 2 shared cores two served no more searches than one "
        "(bench/RESULTS.md).")
    admin_api_key: str | None = Field(
        None, description="Key required by write endpoints (X-API-Key). Unset: writes disabled."
    )
    public_rate_limit: str = Field("120/minute", description="Per-client limit of the public API.")
    public_rate_limit_store: Literal["redis", "memory"] = Field(
        "redis", description="Where the quota is kept: 'redis' (shared by every API process; "
        "per-process while Redis is unreachable) or 'memory' (per process).")
    trusted_proxies: list[str] = Field(
        default_factory=list, description="Addresses of reverse proxies whose X-Forwarded-For is "
        "trusted (JSON list); empty: the client is the TCP peer.")
    ui_theme: str = Field("constats", description="'constats' (default) or 'dsfr' for State services.")
    public_base_url: str = Field("http://127.0.0.1:8000", description="Base URL used in feeds and exports.")

    # --- newsletter (saved searches followed by e-mail)
    smtp_host: str | None = Field(None, description="SMTP server of the newsletter; unset: no e-mail sent.")
    smtp_port: int = Field(587, description="Port of the SMTP server.")
    smtp_user: str | None = Field(None, description="SMTP login (unset: no authentication).")
    smtp_password: str | None = Field(None, description="SMTP password.")
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        "starttls", description="'starttls' (port 587), 'ssl' (port 465) or 'none' (a local relay).")
    mail_from: str = Field("Constats <newsletter@constats.example>", description="Sender of the e-mails.")
    digest_check_minutes: float = Field(
        60.0, description="How often the worker looks for due digests and stale recurring groups.")

    # --- crawler
    crawl_base_url: str = "https://www.ccomptes.fr"
    crawl_allowed_hosts: list[str] = Field(default_factory=lambda: ["www.ccomptes.fr", "ccomptes.fr"])
    crawl_allow_loopback: bool = Field(False, description="Allow 127.0.0.1 (replica, tests only).")
    crawl_rate_limit: float = Field(1.0, description="Requests per second per host.")
    crawl_concurrency: int = 2
    crawl_timeout: float = 30.0
    crawl_max_retries: int = 4
    crawl_backoff_base: float = 1.0
    crawl_backoff_cap: float = 60.0
    crawl_max_file_bytes: int = 150 * 1024 * 1024
    crawl_contact: str = "contact@constats.example"
    crawl_user_agent: str = "ConstatsBot/0.1 (+https://github.com/constats; {contact})"

    # --- NLP
    corpus_dir: Path = Field(Path("../shared/corpus/docjf"),
                             description="Development corpus (DocJF HTML/TXT); read, never copied.")
    embedder: str = Field("use", description="'use' (multilingual USE), 'st:<dir>' or 'none'.")
    embed_threads: int = Field(
        1, ge=1, description="Threads of one embedding call in a worker process (the worker "
        "runs --concurrency processes, 2 by default: 1 thread each keeps 2 cores busy).")
    ocr_dpi: int = Field(110, description="Resolution of the OCR of scanned pages (chosen on the development "
                         "reports against 130 and 150 dpi: bench/RESULTS.md, Ingest).")
    ocr_language: str = "fra"
    max_pdf_pages: int = Field(1200, description="Reports beyond this many pages are refused.")
    max_pdf_bytes: int = 150 * 1024 * 1024
    extract_timeout_s: int = Field(600, description="Hard limit for one extraction in the worker.")

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.state_dir.absolute() / 'constats.db'}"

    @property
    def raw_dir(self) -> Path:
        return self.state_dir / "raw"

    @property
    def meili(self) -> str:
        return self.meili_url or f"http://127.0.0.1:{self.meili_port}"

    @property
    def redis(self) -> str:
        return self.redis_url or f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def user_agent(self) -> str:
        return self.crawl_user_agent.format(contact=self.crawl_contact)


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget cached settings (tests change the environment)."""
    get_settings.cache_clear()
