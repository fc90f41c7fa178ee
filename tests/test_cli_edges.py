"""The command line on bad input: a French message and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {**os.environ, "CONSTATS_STATE_DIR": str(tmp_path / "state"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}", "REDIS_URL": "redis://127.0.0.1:1/0",
            "MEILI_URL": "http://127.0.0.1:1", **env}
    base.pop("CONSTATS_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
    return proc


def test_ingest_of_a_missing_file_says_so_and_fails(tmp_path):
    proc = run(tmp_path, "ingest", str(tmp_path / "absent.pdf"))
    assert proc.returncode == 1
    assert "introuvable" in proc.stderr


def test_inline_ingest_where_every_file_failed_exits_non_zero(tmp_path):
    bad = tmp_path / "pas-un-pdf.pdf"
    bad.write_text("<html>erreur 503</html>")
    proc = run(tmp_path, "ingest", "--inline", str(bad))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "0 indexé(s), 1 en échec" in proc.stdout


def test_export_into_a_missing_folder_says_so(tmp_path):
    proc = run(tmp_path, "export", "-o", str(tmp_path / "nulle" / "part" / "x.csv"))
    assert proc.returncode == 2
    assert "dossier introuvable" in proc.stderr


@pytest.mark.slow
def test_a_service_down_is_one_line_not_a_traceback(tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    proc = run(tmp_path, "ingest", str(pdf))  # the queue (Redis) does not answer
    assert proc.returncode == 1
    assert "indisponible" in proc.stderr or "erreur" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 3, proc.stderr
