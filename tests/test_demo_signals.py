"""`constats demo` stopped by SIGTERM (a terminal closed, a service manager, CI) stops every
process it started: the API, the worker and its pool, Meilisearch and Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runtime.local import free_port

ROOT = Path(__file__).resolve().parents[1]


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.slow
def test_sigterm_stops_everything_the_demo_started(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("MEILI_URL", "REDIS_URL", "DATABASE_URL")}
    env.update({"CONSTATS_STATE_DIR": str(tmp_path / "state"), "CONSTATS_MEILI_PORT": str(free_port()),
                "CONSTATS_REDIS_PORT": str(free_port()), "CONSTATS_EMBEDDER": "none",
                "CONSTATS_CRAWL_RATE_LIMIT": "50", "CONSTATS_INDEX_PREFIX": "demosig"})
    log = tmp_path / "demo.log"
    with open(log, "wb") as out:
        demo = subprocess.Popen([sys.executable, "-m", "cli.main", "demo", "--reports", "2",
                                 "--port", str(free_port())], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 420
        while b"Constats is running" not in log.read_bytes():
            assert demo.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(1)
        started = _descendants(demo.pid)
        state = tmp_path / "state"
        started |= {int((state / "meilisearch" / "meilisearch.pid").read_text()),
                    int((state / "redis" / "redis.pid").read_text())}
        assert len(started) >= 5, started  # API, worker (+ its pool), Meilisearch, Redis
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=90) == 0, log.read_text()[-3000:]
        deadline = time.monotonic() + 10
        while [p for p in started if _alive(p)] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in started if _alive(p)], log.read_text()[-2000:]
        assert "stopped." in log.read_text()
    finally:
        if demo.poll() is None:
            demo.kill()
