"""``constats demo``: every real part running on one machine, in a few minutes.

Starts the services, a Celery worker and a local replica of the publication site (sample
reports rendered to PDF: from the development corpus when it is present, otherwise from
the project's own fictional samples), crawls the replica, waits for the workers to
extract and index the reports, then serves the API and pages. Ctrl-C stops every process
it started. ``--check`` queries its own API instead of serving, and exits 0/1.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import typer

from constats.config import get_settings, reset_settings
from crawler.crawl import crawl_source
from lab.replica.demo_site import start_demo_replica
from runtime import local, queue
from runtime.services import Services
from search.indexer import index_bodies
from store import repo
from store.db import migrate
from worker.derived import refresh_recurring


def _say(msg: str) -> None:
    typer.secho(msg, fg="cyan")


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    out = open(log, "ab")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "worker.app", "worker",
                             "--concurrency=2", "--loglevel=WARNING", "--without-gossip",
                             "--without-mingle"], env=env, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _start_api(env: dict, host: str, port: int, log: Path) -> subprocess.Popen:
    out = open(log, "ab")
    return subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
                             "--host", host, "--port", str(port), "--log-level", "warning",
                             "--no-proxy-headers"],
                            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_http(url: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


def _wait_pipeline(svc: Services, expected: int, timeout: float) -> dict[str, int]:
    """Wait until every registered report is indexed or failed; returns counts by status."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        with svc.session() as s:
            counts = repo.count_by_status(s)
        done = counts.get("indexed", 0) + counts.get("failed", 0)
        if counts != last:
            typer.echo(f"  reports: {done}/{expected} processed {counts}")
            last = counts
        if done >= expected or time.monotonic() > deadline:
            return counts
        time.sleep(1.0)


def _interrupt(signum, _frame) -> None:
    """SIGTERM as Ctrl-C: the ``finally`` of ``run`` stops every process the demo started."""
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process we started in its own session, and everything it started (its group)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
    try:  # children left behind by a leader that exited first (celery's pool)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run(check: bool = False, reports: int = 30, port: int | None = None) -> int:
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return _run(check, reports, port)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(check: bool, reports: int, port: int | None) -> int:
    settings = get_settings()
    started: list[subprocess.Popen] = []
    env = dict(os.environ)
    if not settings.admin_api_key:
        env["CONSTATS_ADMIN_API_KEY"] = os.environ["CONSTATS_ADMIN_API_KEY"] = secrets.token_urlsafe(18)
    env["CONSTATS_CRAWL_ALLOW_LOOPBACK"] = os.environ["CONSTATS_CRAWL_ALLOW_LOOPBACK"] = "true"
    reset_settings()
    settings = get_settings()
    state = settings.state_dir.absolute()
    state.mkdir(parents=True, exist_ok=True)
    stop_services = False
    managed = settings
    replica = None
    try:
        _say("1/6 services")
        already = all(s.running for s in local.status(settings))
        stop_services = not already  # before starting them: a SIGTERM meanwhile stops them too
        urls = local.up(settings)
        managed = settings  # the settings that own the services we started (for down)
        env.update({"MEILI_URL": urls["meilisearch"], "REDIS_URL": urls["redis"],
                    "MEILI_MASTER_KEY": settings.meili_master_key})
        for k in ("MEILI_URL", "REDIS_URL"):
            os.environ[k] = env[k]
        reset_settings()
        settings = get_settings()
        svc = Services(settings)
        celery_app = svc.queue
        migrate(settings.db_url)
        for name, url in urls.items():
            typer.echo(f"  {name}: {url}")

        _say("2/6 replica of the publication site")
        replica, base_url, n_pubs = start_demo_replica(settings, reports)
        typer.echo(f"  {n_pubs} publications on {base_url}")

        _say("3/6 Celery worker")
        started.append(_start_worker(env, state / "demo-worker.log"))
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            if time.monotonic() > deadline or started[-1].poll() is not None:
                raise RuntimeError(f"the Celery worker did not start: see {state / 'demo-worker.log'}")

        _say("4/6 crawl")
        summary = crawl_source("ccomptes", settings, base_url=base_url, incremental=True,
                               on_new_file=lambda file_id, report_id: queue.enqueue_file(celery_app, file_id))
        typer.echo(f"  {summary}")

        _say("5/6 extraction and indexing (Celery)")
        with svc.session() as s:
            expected = sum(repo.count_by_status(s).values())
        counts = _wait_pipeline(svc, expected, timeout=20 * 60)
        index_bodies(svc.meili_admin(), svc.prefix)
        groups = refresh_recurring(svc, force=True)  # what the worker's beat does after indexing
        typer.echo(f"  {len(groups['groups']) if groups else 0} groups of recurring findings")

        _say("6/6 API and pages")
        port = port or settings.api_port
        if local.port_open(port):
            port = local.free_port()
        started.append(_start_api(env, settings.api_host, port, state / "demo-api.log"))
        base = f"http://{settings.api_host}:{port}"
        if not _wait_http(f"{base}/health"):
            raise RuntimeError(f"the API did not start: see {state / 'demo-api.log'}")
        typer.echo(f"  {counts.get('indexed', 0)} reports indexed, {counts.get('failed', 0)} failed")
        typer.secho(f"\nConstats is running at {base}/  (API docs: {base}/docs)", fg="green", bold=True)
        typer.echo(f"admin API key for this demo: {settings.admin_api_key}")
        if check:
            return _check(base)
        typer.echo("Ctrl-C stops everything.")
        while True:  # until SIGINT or SIGTERM (KeyboardInterrupt either way)
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    except (local.ServiceError, RuntimeError) as exc:
        typer.secho(f"demo failed: {exc}", fg="red", err=True)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the cleanup short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for proc in reversed(started):
            _stop(proc)
        if replica is not None:
            replica.shutdown()
        if stop_services:
            local.down(managed)
        typer.echo("stopped.")
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _check(base: str) -> int:
    """Query our own API: health, a search with hits and page numbers, a report."""
    problems = []
    health = httpx.get(f"{base}/health", timeout=10)
    if health.status_code != 200:
        problems.append(f"/health answered {health.status_code}: {health.text[:300]}")
    r = httpx.get(f"{base}/api/search", params={"q": "recommandation"}, timeout=30)
    hits = r.json().get("hits", []) if r.status_code == 200 else []
    if not hits:
        problems.append(f"/api/search?q=recommandation returned no hits ({r.status_code})")
    elif not all(h.get("page") for h in hits):
        problems.append("a search hit has no page number")
    else:
        rid = hits[0].get("report_id")
        rep = httpx.get(f"{base}/api/reports/{rid}", timeout=10)
        if rep.status_code != 200:
            problems.append(f"/api/reports/{rid} answered {rep.status_code}")
    home = httpx.get(f"{base}/", timeout=10)
    if home.status_code != 200 or 'lang="fr"' not in home.text:
        problems.append(f"home page answered {home.status_code}")
    for p in problems:
        typer.secho(f"CHECK FAILED: {p}", fg="red", err=True)
    if not problems:
        typer.secho(f"check passed: {len(hits)} hits, health ok", fg="green")
    return 1 if problems else 0
