"""Per-host rate limiters: at most ``rate`` requests per second, evenly spaced.

Both variants hand out time slots ``1/rate`` seconds apart per key (a token bucket of
capacity one), so no window of ``w`` seconds ever holds more than ``rate * w`` requests
(plus the one at its edge). ``MemoryLimiter`` serves the threads of one process;
``RedisLimiter`` serves every process sharing a Redis (the crawler and the Celery workers),
with the slot computed atomically in Redis by Redis' own clock.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

import redis

#: Slack added to each interval so that network jitter cannot squeeze an extra request
#: into a measured window.
SLACK = 0.005


class Limiter(Protocol):
    def acquire(self, key: str) -> float:
        """Block until the caller may send one request to ``key``; returns seconds waited."""

    def set_rate(self, key: str, rate: float) -> None:
        """Lower (or set) the rate of one key, e.g. from a robots.txt Crawl-delay."""

    def pause(self, key: str, seconds: float) -> None:
        """No request to ``key`` for ``seconds`` (a Retry-After)."""


class MemoryLimiter:
    def __init__(self, rate: float):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self._rates: dict[str, float] = {}
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def set_rate(self, key: str, rate: float) -> None:
        with self._lock:
            self._rates[key] = rate

    def pause(self, key: str, seconds: float) -> None:
        with self._lock:
            self._next[key] = max(self._next.get(key, 0.0), time.monotonic() + seconds)

    def interval(self, key: str) -> float:
        return 1.0 / self._rates.get(key, self.rate) + SLACK

    def acquire(self, key: str) -> float:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(key, 0.0))
            self._next[key] = slot + self.interval(key)
        wait = slot - now
        if wait > 0:
            time.sleep(wait)
        return wait


_REDIS_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nxt)
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', math.ceil(interval * 1000) + 60000)
return tostring(slot - now)
"""


_REDIS_PAUSE = """
local t = redis.call('TIME')
local until_ = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > nxt then
  redis.call('SET', KEYS[1], tostring(until_), 'PX', math.ceil(tonumber(ARGV[1]) * 1000) + 60000)
end
return 1
"""


class RedisLimiter:
    """The same spacing, shared by every process using the Redis at ``url``."""

    def __init__(self, url: str, rate: float, prefix: str = "constats:ratelimit:"):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.prefix = prefix
        self._redis = redis.Redis.from_url(url)
        self._script = self._redis.register_script(_REDIS_SLOT)
        self._pause = self._redis.register_script(_REDIS_PAUSE)
        self._rates: dict[str, float] = {}

    def ping(self) -> bool:
        """Raise a ``redis.RedisError`` when the shared store does not answer."""
        return bool(self._redis.ping())

    def set_rate(self, key: str, rate: float) -> None:
        self._rates[key] = rate

    def pause(self, key: str, seconds: float) -> None:
        self._pause(keys=[self.prefix + key], args=[seconds])

    def acquire(self, key: str) -> float:
        interval = 1.0 / self._rates.get(key, self.rate) + SLACK
        wait = float(self._script(keys=[self.prefix + key], args=[interval]))
        if wait > 0:
            time.sleep(wait)
        return wait
