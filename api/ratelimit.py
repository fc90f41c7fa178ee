"""Per-client rate limiting of the public API: a sliding window, shared through Redis.

``parse_rate("120/minute")`` → (120, 60.0). ``hit(key)`` records a request and says whether
it is allowed, and if not, after how many seconds it will be.

- ``SlidingWindowLimiter``: in-process; at most ``limit`` timestamps per client, clients idle
  for a whole window are forgotten.
- ``RedisWindowLimiter``: the same window kept in Redis (one sorted set per client, updated
  atomically by a Lua script on Redis' own clock), so that every API process and every
  machine behind the same Redis enforce one quota per client. If Redis cannot be reached it
  falls back to its own in-process window (logged once), and tries Redis again after
  ``retry_after`` seconds: an outage of the cache never takes the API down.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import re
import threading
import time
import uuid
from collections import deque

import redis
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.templating import error_page

log = logging.getLogger(__name__)

_UNITS = {"second": 1.0, "seconde": 1.0, "s": 1.0, "minute": 60.0, "min": 60.0, "m": 60.0,
          "hour": 3600.0, "heure": 3600.0, "h": 3600.0, "day": 86400.0, "jour": 86400.0, "d": 86400.0}


def parse_rate(spec: str) -> tuple[int, float]:
    """``"120/minute"``, ``"10/second"``, ``"1000/hour"`` → (requests, window seconds)."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([a-zé]+?)s?\s*", spec.lower())
    if not m or m.group(3) not in _UNITS:
        raise ValueError(f"invalid rate limit {spec!r}: expected like '120/minute'")
    count = int(m.group(1))
    window = _UNITS[m.group(3)] * (int(m.group(2)) if m.group(2) else 1)
    if count < 1:
        raise ValueError(f"invalid rate limit {spec!r}: at least 1 request")
    return count, window


class SlidingWindowLimiter:
    def __init__(self, limit: int, window: float, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def hit(self, key: str) -> tuple[bool, float]:
        """Record a request of ``key``. Returns (allowed, retry_after_seconds)."""
        now = self.clock()
        with self._lock:
            if now - self._last_sweep > self.window:
                self._sweep(now)
            q = self._hits.setdefault(key, deque())
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.limit:
                return False, max(0.0, q[0] + self.window - now)
            q.append(now)
            return True, 0.0

    def _sweep(self, now: float) -> None:
        for key in [k for k, q in self._hits.items() if not q or q[-1] <= now - self.window]:
            del self._hits[key]
        self._last_sweep = now

    def clients(self) -> int:
        return len(self._hits)


_REDIS_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tostring(tonumber(oldest[2]) + window - now)}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return {1, '0'}
"""


class RedisWindowLimiter:
    """The sliding window of ``SlidingWindowLimiter``, shared by every process using one Redis."""

    def __init__(self, url: str, limit: int, window: float, prefix: str = "constats:api-quota:",
                 timeout: float = 0.25, retry_after: float = 10.0, clock=time.monotonic):
        self.limit, self.window, self.prefix = limit, window, prefix
        self._redis = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        self._script = self._redis.register_script(_REDIS_WINDOW)
        self._errors = (redis.RedisError, OSError)
        self._fallback = SlidingWindowLimiter(limit, window, clock=clock)
        self._retry_after, self._clock = retry_after, clock
        self._down_since: float | None = None

    @property
    def shared(self) -> bool:
        """True while the quota is kept in Redis (False: the in-process fallback is in use)."""
        return self._down_since is None

    def hit(self, key: str) -> tuple[bool, float]:
        now = self._clock()
        if self._down_since is not None and now - self._down_since < self._retry_after:
            return self._fallback.hit(key)
        try:
            allowed, retry = self._script(keys=[self.prefix + key],
                                          args=[self.limit, self.window, uuid.uuid4().hex])
        except self._errors as exc:
            if self._down_since is None:
                log.warning("rate limit: Redis unreachable (%s); per-process quota meanwhile", exc)
            self._down_since = now
            return self._fallback.hit(key)
        if self._down_since is not None:
            log.info("rate limit: Redis reachable again; quota shared again")
            self._down_since = None
        return bool(int(allowed)), float(retry)


def make_api_limiter(settings) -> SlidingWindowLimiter | RedisWindowLimiter:
    """The public API's limiter: shared through the project's Redis unless set to 'memory'.

    The Redis keys are namespaced by the deployment (its index prefix), so two deployments
    sharing one Redis keep separate quotas."""
    limit, window = parse_rate(settings.public_rate_limit)
    if settings.public_rate_limit_store == "memory":
        return SlidingWindowLimiter(limit, window)
    return RedisWindowLimiter(settings.redis, limit, window,
                              prefix=f"constats:{settings.index_prefix}:api-quota:")


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(entries: list[str]) -> list[Network]:
    """``["10.0.0.1", "192.168.0.0/16"]`` → networks (a bad entry is an error at start)."""
    return [ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip()]


def _trusted(address: str, proxies: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(scope: Scope, proxies: list[Network]) -> str:
    """The real client of a request: the TCP peer, unless the peer is one of the configured
    proxies; then the right-most address of ``X-Forwarded-For`` that is not a proxy (the
    left part of the header is written by the client and proves nothing)."""
    peer = (scope.get("client") or ("inconnu", 0))[0]
    if not proxies or not _trusted(peer, proxies):
        return peer
    forwarded = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-forwarded-for"]
    hops = [h.strip() for value in forwarded for h in value.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop
    return peer


class RateLimitMiddleware:
    """Limits requests to paths under ``prefixes`` per real client (``client_address``);
    answers 429 in French.

    The server must not rewrite the peer from forwarded headers itself (``constats serve``
    runs uvicorn with ``proxy_headers=False``): the proxies trusted are ``trusted_proxies``."""

    def __init__(self, app: ASGIApp, limiter: SlidingWindowLimiter, prefix: str | tuple[str, ...] = "/api/",
                 exempt: tuple[str, ...] = (), trusted_proxies: list[str] | None = None):
        self.app, self.limiter, self.exempt = app, limiter, exempt
        self.prefixes = (prefix,) if isinstance(prefix, str) else prefix
        self.proxies = parse_proxies(trusted_proxies or [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes) \
                or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        client = client_address(scope, self.proxies)
        allowed, retry = self.limiter.hit(client)
        if allowed:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(retry))
        message = (f"Vous avez dépassé la limite de {self.limiter.limit} requêtes en "
                   f"{int(self.limiter.window)} secondes. Réessayez dans {seconds} s ; "
                   "pour de gros volumes, utilisez l'export.")
        headers = {"Retry-After": str(seconds)}
        resp: Response
        if scope["path"].startswith("/api/"):
            resp = JSONResponse(status_code=429, headers=headers,
                                content={"erreur": "trop de requêtes", "message": message})
        else:  # a page: the same answer, as a page
            resp = error_page(Request(scope), 429, message, headers=headers)
        await resp(scope, receive, send)
