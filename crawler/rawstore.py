"""Content-addressed folder of raw files: ``root/ab/cd/<sha256>.pdf``.

Bytes are stored once per content hash, whatever the number of URLs they came from. A file
enters the store by an atomic rename of a temporary file written on the same filesystem
(``tmp_dir``), so a reader never sees half a file and a killed process leaves at most a
stray ``*.part`` behind.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

CHUNK = 1 << 16


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


class RawStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.tmp_dir = self.root / "tmp"
        self.tmp_dir.mkdir(exist_ok=True)

    def path(self, sha: str) -> Path:
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ValueError(f"not a sha256 hex digest: {sha!r}")
        return self.root / sha[:2] / sha[2:4] / f"{sha}.pdf"

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def read(self, sha: str) -> bytes:
        return self.path(sha).read_bytes()

    def put_file(self, tmp_path: Path | str, sha256: str | None = None) -> str:
        """Move a finished temporary file into the store; returns its sha256.

        The temporary file must be on the store's filesystem (use ``tmp_dir``). When the
        same bytes are already stored the temporary file is simply removed.
        """
        tmp_path = Path(tmp_path)
        sha = sha256 or file_sha256(tmp_path)
        dest = self.path(sha)
        if dest.is_file():
            tmp_path.unlink(missing_ok=True)
            return sha
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, dest)
        return sha

    def put_bytes(self, data: bytes) -> str:
        """Store bytes held in memory (small files, tests)."""
        tmp = self.new_tmp()
        tmp.write_bytes(data)
        return self.put_file(tmp, hashlib.sha256(data).hexdigest())

    def part_path(self, url: str) -> Path:
        """Where the download of ``url`` accumulates (stable across restarts, for resuming)."""
        return self.tmp_dir / (hashlib.sha1(url.encode()).hexdigest() + ".part")

    def part_meta_path(self, url: str) -> Path:
        return self.part_path(url).with_suffix(".json")

    def forget_part(self, url: str) -> None:
        """The download of ``url`` is recorded by the caller: drop what resuming needed."""
        self.part_path(url).unlink(missing_ok=True)
        self.part_meta_path(url).unlink(missing_ok=True)

    def new_tmp(self) -> Path:
        return self.tmp_dir / f"{os.getpid()}-{os.urandom(6).hex()}.part"
