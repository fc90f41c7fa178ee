"""Failing in the right way: a circuit breaker in front of a stuck Meilisearch, 500 with an error
id for a bug (503 only for an unavailable dependency), and a worker that refuses to start when
its model was made by another scikit-learn."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from api.app import create_app
from constats.config import Settings
from search.client import CircuitBreaker, MeiliClient, MeiliUnavailable
from store.db import migrate

ROOT = Path(__file__).resolve().parents[1]


class SilentServer:
    """A TCP server that accepts connections and never answers (a frozen process), counting them."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for c in self.accepted:
            c.close()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_breaker_fails_at_once_while_open_then_probes_once():
    server, clock = SilentServer(), Clock()
    breaker = CircuitBreaker(cooldown=10, clock=clock)
    client = MeiliClient(f"http://127.0.0.1:{server.port}", "k", timeout=0.3, breaker=breaker)
    try:
        with pytest.raises(httpx.TimeoutException):
            client.search("x-findings", {"q": "a"})
        assert not breaker.closed and len(server.accepted) == 1
        for _ in range(5):  # open: no call is made at all
            with pytest.raises(MeiliUnavailable):
                client.search("x-findings", {"q": "a"})
        assert len(server.accepted) == 1
        clock.now += 11  # cooldown over: one probe goes through, fails, opens again
        with pytest.raises(httpx.TimeoutException):
            client.search("x-findings", {"q": "a"})
        with pytest.raises(MeiliUnavailable):
            client.search("x-findings", {"q": "a"})
    finally:
        client.close()
        server.close()


def test_a_probe_that_succeeds_closes_the_breaker(live_services):
    clock = Clock()
    breaker = CircuitBreaker(cooldown=10, clock=clock)
    breaker.failure(False, "earlier outage")
    with MeiliClient(live_services.meili_url, live_services.master_key, timeout=5, breaker=breaker) as client:
        with pytest.raises(MeiliUnavailable):
            client.request("GET", "/health")
        assert not client.health()  # health() says no, without a call
        clock.now += 11
        assert client.request("GET", "/health")["status"] == "available"
        assert breaker.closed
        assert client.request("GET", "/health")["status"] == "available"


# --------------------------------------------------------------------------- 500 vs 503
@pytest.fixture
def api_with_faults(tmp_path):
    settings = Settings(state_dir=tmp_path, public_rate_limit_store="memory",
                        meili_url="http://127.0.0.1:1", redis_url="redis://127.0.0.1:1/0")
    migrate(settings.db_url)
    app = create_app(settings)

    def bug():
        raise KeyError("a bug")

    def db_down():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app.add_api_route("/api/_bug", bug)
    app.add_api_route("/api/_db_down", db_down)
    app.add_api_route("/_bug_page", bug)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_a_bug_answers_500_with_an_error_id_that_the_log_carries(api_with_faults, caplog):
    with caplog.at_level(logging.ERROR, logger="api.errors"):
        r = api_with_faults.get("/api/_bug")
    assert r.status_code == 500
    assert "retry-after" not in r.headers
    error_id = r.json()["error_id"]
    assert error_id in r.json()["message"]
    logged = [rec for rec in caplog.records if error_id in rec.getMessage()]
    assert logged and logged[0].exc_info is not None  # the traceback is in the log, under that id
    page = api_with_faults.get("/_bug_page")
    assert page.status_code == 500 and "identifiant" in page.text


def test_an_unavailable_database_answers_503_with_retry_after(api_with_faults):
    r = api_with_faults.get("/api/_db_down")
    assert r.status_code == 503
    assert r.headers["retry-after"]
    assert "base de données" in r.json()["erreur"]


def test_search_with_meilisearch_down_is_503_and_store_routes_still_answer(api_with_faults):
    assert api_with_faults.get("/api/search", params={"q": "dette"}).status_code == 503
    assert api_with_faults.get("/api/reports/inconnu").status_code == 404  # the store answers


# --------------------------------------------------------------------------- fail fast
@pytest.mark.slow
@pytest.mark.parametrize("command", [
    ["-m", "celery", "-A", "worker.app", "worker", "--concurrency=1", "--without-gossip", "--without-mingle"],
    ["-m", "cli.main", "worker", "--concurrency", "1"],
], ids=["celery", "constats"])
def test_worker_refuses_to_start_under_another_scikit_learn(tmp_path, command):
    """Another scikit-learn than the one the model was trained with: the worker stops at once,
    naming the file and both versions (it used to start, and every extraction failed)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import sklearn\nsklearn.__version__ = '1.5.2'\n")
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}", "CONSTATS_STATE_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}", "REDIS_URL": "redis://127.0.0.1:1/0",
           "MEILI_URL": "http://127.0.0.1:1"}
    proc = subprocess.run([sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=240)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    assert "refus" in out and "classifier.joblib" in out, out[-3000:]
    assert "1.9.1" in out and "1.5.2" in out, out[-3000:]
    assert "Traceback" not in out, out[-3000:]


# --------------------------------------------------------------------------- security headers
def test_every_page_and_answer_carries_the_security_headers(api_with_faults):
    for path in ("/", "/recherche?q=dette", "/statistiques", "/adresse-inconnue", "/_bug_page"):
        r = api_with_faults.get(path)
        assert r.headers["content-type"].startswith("text/html"), path
        csp = r.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, path
        assert "'unsafe-inline'" not in csp
        assert r.headers.get("x-frame-options") == "DENY", path
        assert r.headers.get("x-content-type-options") == "nosniff", path
    for path in ("/api/taxonomy", "/static/constats.css"):
        assert api_with_faults.get(path).headers.get("x-content-type-options") == "nosniff", path


def test_no_template_relies_on_inline_script_or_style():
    """The CSP forbids them: a template that used one would silently break in the browser."""
    import re

    for tpl in (ROOT / "api" / "templates").glob("*.html"):
        text = tpl.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), tpl.name
        assert not re.search(r"\sstyle=\"|<style\b|\son[a-z]+=\"", text), tpl.name


def test_a_write_route_with_redis_down_answers_503_at_once(tmp_path):
    """It used to wait about 19 s for the broker before answering (a bound, not a speed target)."""
    import time

    settings = Settings(state_dir=tmp_path, public_rate_limit_store="memory", admin_api_key="k",
                        meili_url="http://127.0.0.1:1", redis_url="redis://127.0.0.1:1/0")
    migrate(settings.db_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        t0 = time.monotonic()
        r = client.post("/api/crawls", json={}, headers={"X-API-Key": "k"})
        took = time.monotonic() - t0
    assert r.status_code == 503 and r.headers["retry-after"]
    assert "Redis" in r.json()["erreur"]
    assert took < 5, took
