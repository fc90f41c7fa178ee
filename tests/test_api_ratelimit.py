"""Rate limiting of the public API: the sliding window and the 429 it answers."""

from __future__ import annotations

import time
import uuid

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.ratelimit import RedisWindowLimiter, SlidingWindowLimiter, parse_rate
from constats.config import Settings


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.mark.parametrize("spec, expected", [("120/minute", (120, 60.0)), ("10/second", (10, 1.0)),
                                            ("1000/hour", (1000, 3600.0)), ("5/10s", (5, 10.0)),
                                            ("3/minutes", (3, 60.0))])
def test_parse_rate(spec, expected):
    assert parse_rate(spec) == expected


@pytest.mark.parametrize("spec", ["", "abc", "0/minute", "10/fortnight", "-1/second"])
def test_parse_rate_rejects_nonsense(spec):
    with pytest.raises(ValueError):
        parse_rate(spec)


def test_sliding_window_allows_limit_then_refuses_until_oldest_expires():
    clock = Clock()
    lim = SlidingWindowLimiter(3, 60.0, clock=clock)
    assert [lim.hit("a")[0] for _ in range(3)] == [True, True, True]
    clock.t += 20
    allowed, retry = lim.hit("a")
    assert not allowed and retry == pytest.approx(40.0)
    assert lim.hit("b")[0]  # another client has its own window
    clock.t += 40.01
    assert lim.hit("a")[0]


def test_refused_requests_do_not_extend_the_window():
    clock = Clock()
    lim = SlidingWindowLimiter(1, 10.0, clock=clock)
    assert lim.hit("a")[0]
    for _ in range(50):
        clock.t += 0.1
        assert not lim.hit("a")[0]
    clock.t += 5.1
    assert lim.hit("a")[0]


def test_idle_clients_are_forgotten():
    clock = Clock()
    lim = SlidingWindowLimiter(5, 10.0, clock=clock)
    for i in range(100):
        lim.hit(f"10.0.0.{i}")
    clock.t += 11
    lim.hit("x")
    assert lim.clients() == 1


def test_api_answers_429_in_french_with_retry_after(tmp_path):
    settings = Settings(state_dir=tmp_path, public_rate_limit="3/minute",
                        meili_url="http://127.0.0.1:1", redis_url="redis://127.0.0.1:1/0")
    with TestClient(create_app(settings)) as c:
        codes = [c.get("/api/taxonomy").status_code for _ in range(3)]
        r = c.get("/api/taxonomy")
        assert codes == [200, 200, 200]
        assert r.status_code == 429
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert "Réessayez dans" in r.json()["message"]
        # pages and health are not limited by the public API's quota
        assert c.get("/").status_code == 200


def test_quota_is_shared_by_api_processes_through_redis(live_services, tmp_path):
    """Two API apps (as two uvicorn workers would be) behind one Redis enforce one quota."""
    settings = Settings(state_dir=tmp_path, public_rate_limit="4/minute", redis_url=live_services.redis_url,
                        meili_url="http://127.0.0.1:1", index_prefix=f"rl{uuid.uuid4().hex[:6]}")
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        assert one.app.state.limiter.shared
        codes = [c.get("/api/taxonomy").status_code for c in (one, two, one, two)]
        assert codes == [200, 200, 200, 200]
        assert two.get("/api/taxonomy").status_code == 429
        assert one.get("/api/taxonomy").status_code == 429


def test_redis_window_matches_the_in_process_window(live_services):
    lim = RedisWindowLimiter(live_services.redis_url, 3, 1.0, prefix=f"t{uuid.uuid4().hex}:")
    assert [lim.hit("a")[0] for _ in range(3)] == [True, True, True]
    allowed, retry = lim.hit("a")
    assert not allowed and 0 < retry <= 1.0
    assert lim.hit("b")[0]  # another client, another window
    time.sleep(retry + 0.05)
    assert lim.hit("a")[0]


def test_redis_outage_falls_back_to_a_per_process_quota_then_recovers(live_services):
    clock = Clock()
    lim = RedisWindowLimiter("redis://127.0.0.1:1/0", 2, 60.0, clock=clock, retry_after=5.0)
    assert [lim.hit("a")[0] for _ in range(3)] == [True, True, False]
    assert not lim.shared
    # Redis "comes back" (point the client at the live one): tried again after retry_after
    import redis
    lim._redis = redis.Redis.from_url(live_services.redis_url)
    lim._script = lim._redis.register_script(lim._script.script)
    lim.prefix = f"t{uuid.uuid4().hex}:"
    clock.t += 1
    assert not lim.hit("a")[0] and not lim.shared  # still within retry_after: local window
    clock.t += 5
    assert lim.hit("a")[0] and lim.shared


# --------------------------------------------------------------------------- the real client
def _serve(tmp_path, **env_extra):
    """``constats serve`` as an operator runs it (uvicorn), the quota in memory."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from runtime.local import free_port, port_open

    port = free_port()
    env = {**os.environ, "CONSTATS_STATE_DIR": str(tmp_path), "CONSTATS_PUBLIC_RATE_LIMIT": "4/minute",
           "CONSTATS_PUBLIC_RATE_LIMIT_STORE": "memory", "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}",
           "MEILI_URL": "http://127.0.0.1:1", "REDIS_URL": "redis://127.0.0.1:1/0", **env_extra}
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
                            cwd=Path(__file__).resolve().parents[1], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while not port_open(port):
        assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
        time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}"


@pytest.mark.slow
def test_a_spoofed_forwarded_for_does_not_reset_the_quota_and_the_search_page_counts(tmp_path):
    import httpx

    proc, base = _serve(tmp_path)
    try:
        with httpx.Client(base_url=base, timeout=30) as c:
            codes = [c.get("/api/taxonomy", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                     for i in range(6)]
            assert codes[:4] == [200] * 4 and codes[4:] == [429, 429], codes
            page = c.get("/recherche", params={"q": "dette"}, headers={"X-Forwarded-For": "198.51.100.7"})
            assert page.status_code == 429 and "Réessayez dans" in page.text
            assert "text/html" in page.headers["content-type"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.slow
def test_behind_a_configured_proxy_each_forwarded_client_has_its_quota(tmp_path):
    import httpx

    proc, base = _serve(tmp_path, CONSTATS_TRUSTED_PROXIES='["127.0.0.1"]')
    try:
        with httpx.Client(base_url=base, timeout=30) as c:
            a = [c.get("/api/taxonomy", headers={"X-Forwarded-For": "203.0.113.1"}).status_code for _ in range(5)]
            # the client wrote a fake first hop; the proxy appended the address it saw
            b = c.get("/api/taxonomy", headers={"X-Forwarded-For": "203.0.113.1, 203.0.113.2"}).status_code
        assert a == [200] * 4 + [429]
        assert b == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
