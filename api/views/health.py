"""``GET /health``: the store, Meilisearch and Redis, each ok or error; 200 or 503."""

from __future__ import annotations

import time

import httpx
import redis
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from store.db import engine_for

router = APIRouter(tags=["santé"])


def _check(fn) -> dict:
    t0 = time.perf_counter()
    try:
        detail = fn()
        return {"status": "ok", "ms": round((time.perf_counter() - t0) * 1000, 1),
                **({"detail": detail} if detail else {})}
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"status": "error", "error": f"{type(exc).__name__}: {exc}".splitlines()[0][:300]}


def check_store(url: str) -> None:
    with engine_for(url).connect() as conn:
        conn.execute(text("SELECT 1"))


def check_meili(url: str) -> None:
    resp = httpx.get(f"{url.rstrip('/')}/health", timeout=3)
    if resp.status_code != 200 or resp.json().get("status") != "available":
        raise RuntimeError(f"Meilisearch answered {resp.status_code}")


def check_redis(url: str) -> None:
    client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
    try:
        client.ping()
    finally:
        client.close()


@router.get("/health", summary="État des services")
def health(request: Request) -> JSONResponse:
    s = request.app.state.settings
    checks = {"store": _check(lambda: check_store(s.db_url)),
              "meilisearch": _check(lambda: check_meili(s.meili)),
              "redis": _check(lambda: check_redis(s.redis))}
    ok = all(c["status"] == "ok" for c in checks.values())
    return JSONResponse(status_code=200 if ok else 503,
                        content={"status": "ok" if ok else "error", "services": checks})
