"""Per-client rate limiting of the public API: an in-process sliding window.

``parse_rate("120/minute")`` → (120, 60.0). ``SlidingWindowLimiter.hit(key)`` records a
request and says whether it is allowed, and if not, after how many seconds it will be.
Memory is bounded: at most ``limit`` timestamps per client, and clients idle for a whole
window are forgotten. Several API processes each keep their own window (documented limit).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import deque

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

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


class RateLimitMiddleware:
    """Limits requests to paths under ``prefix`` per client IP; answers 429 in French."""

    def __init__(self, app: ASGIApp, limiter: SlidingWindowLimiter, prefix: str = "/api/",
                 exempt: tuple[str, ...] = ()):
        self.app, self.limiter, self.prefix, self.exempt = app, limiter, prefix, exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix) \
                or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("inconnu", 0))[0]
        allowed, retry = self.limiter.hit(client)
        if allowed:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(retry))
        resp = JSONResponse(status_code=429, headers={"Retry-After": str(seconds)}, content={
            "erreur": "trop de requêtes",
            "message": (f"Vous avez dépassé la limite de {self.limiter.limit} requêtes en "
                        f"{int(self.limiter.window)} secondes. Réessayez dans {seconds} s ; "
                        "pour de gros volumes, utilisez l'export."),
        })
        await resp(scope, receive, send)
