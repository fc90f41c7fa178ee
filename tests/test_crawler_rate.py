"""Politeness measured by the server: the request rate never exceeds the configured limit."""

from __future__ import annotations

import threading
import time

import pytest

from constats.config import Settings
from crawler.crawl import crawl_source
from crawler.limiter import RedisLimiter
from lab.replica.site import ReplicaSite
from runtime import local as services
from tests.crawler_support import crawl_settings, make_publications


@pytest.mark.slow
def test_rate_never_exceeds_the_limit_over_any_5_second_window(tmp_path):
    rate = 5.0
    settings = crawl_settings(tmp_path, crawl_rate_limit=rate, crawl_concurrency=2)
    with ReplicaSite(make_publications(20), page_size=10) as site:
        t0 = time.monotonic()
        summary = crawl_source("ccomptes", settings, base_url=site.base_url)
        elapsed = time.monotonic() - t0
    assert summary.status == "done" and summary.downloaded == 20
    n = len(site.requests)
    assert n >= 44 and elapsed >= (n - 1) / rate * 0.95
    busiest = site.max_in_window(5.0)
    assert busiest <= rate * 5, busiest
    assert busiest >= rate * 5 - 2  # the limiter is the bottleneck, not something slower


@pytest.fixture
def redis_url(tmp_path):
    settings = Settings(state_dir=tmp_path / "svc", redis_port=services.free_port(), redis_url=None,
                        meili_url="http://127.0.0.1:1")
    url = services.start_redis(settings)
    yield url
    services.down(settings)


def test_redis_limiter_is_shared_between_clients(redis_url):
    rate = 20.0
    times: list[float] = []
    lock = threading.Lock()

    def client():
        limiter = RedisLimiter(redis_url, rate, prefix="test:rl:")  # one connection each, like two processes
        for _ in range(5):
            limiter.acquire("host")
            with lock:
                times.append(time.monotonic())

    threads = [threading.Thread(target=client) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    # the clients record the time after the grant, so scheduling jitter can move one
    # record late and shorten the next gap; three consecutive grants still span 2 slots
    spans = [c - a for a, c in zip(times, times[2:])]
    assert len(times) == 15 and min(spans) >= 2 / rate - 0.03
    assert times[-1] - times[0] >= 14 / rate * 0.95
