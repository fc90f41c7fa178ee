"""A throwaway PostgreSQL server for the tests and benchmarks.

The test session starts its own server, as it starts its own Meilisearch and Redis, so that
a fresh machine and CI run the same way and nothing depends on a server a previous session
left running: ``initdb`` into a temporary directory, ``postgres`` on a free loopback port
(settings that trade durability for speed: the data is thrown away), stopped and deleted at the
end. The binaries are the distribution's (Debian's ``postgresql`` package, which ``make
sysdeps`` installs when run as root); ``CONSTATS_PG_BINDIR`` points elsewhere.

PostgreSQL refuses to run as root: under root the server runs as the ``postgres`` system user
(or ``nobody``), which owns the temporary directory.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "128MB",
}


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or the server did not start."""


def find_bindir() -> Path | None:
    """The directory of ``initdb`` and ``postgres``: $CONSTATS_PG_BINDIR, then PATH, then the
    newest /usr/lib/postgresql/<version>/bin (Debian keeps them off PATH)."""
    candidates = [os.environ.get("CONSTATS_PG_BINDIR", "")]
    found = shutil.which("initdb")
    candidates.append(str(Path(found).parent) if found else "")
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                    key=lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()])
    candidates += reversed(debian)
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "postgres").exists():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unprivileged_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresUnavailable("PostgreSQL ne tourne pas en root et aucun utilisateur "
                              "« postgres » ni « nobody » n'existe")


class LocalPostgres:
    """One server in a temporary directory. ``start()`` returns the URL of database ``postgres``
    (user ``postgres``, trust authentication on loopback)."""

    def __init__(self, port: int | None = None) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise PostgresUnavailable("binaires PostgreSQL introuvables (initdb, postgres) : "
                                      "installer le paquet postgresql (make sysdeps en root) "
                                      "ou définir CONSTATS_PG_BINDIR")
        self.bindir = bindir
        self.port = port or _free_port()
        self.user = _unprivileged_user()
        self.root = Path(tempfile.mkdtemp(prefix="constats-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.proc: subprocess.Popen | None = None
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        self._run([str(bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"])

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _demote(self):
        user = self.user
        if user is None:
            return None

        def demote() -> None:
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
        return demote

    def _run(self, cmd: list[str]) -> None:
        done = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=self._demote(),
                              cwd=self.root, check=False)
        if done.returncode:
            raise PostgresUnavailable(f"{Path(cmd[0]).name} a échoué : {done.stderr.strip()[-500:]}")

    def start(self, timeout: float = 30.0) -> str:
        """Start the server (again, after ``kill()``) and wait until it accepts connections."""
        args = [str(self.bindir / "postgres"), "-D", str(self.data), "-p", str(self.port),
                "-k", str(self.root)]
        for key, value in SERVER_SETTINGS.items():
            args += ["-c", f"{key}={value}"]
        log = open(self.log, "ab")  # noqa: SIM115 - the server keeps it
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=self.root,
                                     preexec_fn=self._demote(), start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise PostgresUnavailable(f"postgres s'est arrêté au démarrage : {self._tail()}")
            if self.ready():
                return self.url
            time.sleep(0.1)
        self.stop()
        raise PostgresUnavailable(f"postgres n'a pas répondu en {timeout:.0f} s : {self._tail()}")

    def ready(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                                 dbname="postgres", connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def _tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-800:]
        except OSError:
            return ""

    def kill(self) -> None:
        """Crash the server (SIGKILL to the postmaster and its children): the fault tests'
        outage. ``start()`` brings it back with its data (crash recovery)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None
        with contextlib.suppress(FileNotFoundError):  # a killed postmaster leaves its pid file
            (self.data / "postmaster.pid").unlink()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None

    def close(self) -> None:
        """Stop the server and delete its directory."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> LocalPostgres:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()
