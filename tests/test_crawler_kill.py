"""A crawl killed with SIGKILL in the middle, then started again, downloads each file once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from replica.site import ReplicaSite
from store.db import migrate, session_scope
from store.models import Crawl, FileRow, ReportRow
from tests.crawler_support import make_publications

ROOT = Path(__file__).resolve().parents[1]


def _crawler(base_url: str, state: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CONSTATS_STATE_DIR": str(state),
           "DATABASE_URL": f"sqlite:///{state / 'constats.db'}", "CONSTATS_CRAWL_RATE_LIMIT": "100",
           "CONSTATS_CRAWL_CONCURRENCY": "2"}
    return subprocess.Popen([sys.executable, "-m", "constats.cli", "crawl", "ccomptes", "--base-url", base_url,
                             "--allow-loopback", "--no-pipeline"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.slow
def test_sigkill_then_restart_downloads_each_file_once(tmp_path):
    pubs = make_publications(200)
    paths = [p.pdf_path for p in pubs]
    with ReplicaSite(pubs, page_size=20) as site:
        proc = _crawler(site.base_url, tmp_path)
        deadline = time.monotonic() + 60
        while sum(site.count(p, 200, complete=True) for p in paths) < 60:
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the crawl did not progress"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        done_before = sum(site.count(p, 200, complete=True) for p in paths)
        assert 60 <= done_before < 200

        proc = _crawler(site.base_url, tmp_path)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0, out.decode()
        counts = {p: site.count(p, 200, complete=True) for p in paths}

    assert [p for p, n in counts.items() if n != 1] == []
    url = f"sqlite:///{tmp_path / 'constats.db'}"
    migrate(url)
    with session_scope(url) as s:
        assert s.scalar(select(func.count()).select_from(ReportRow)) == 200
        assert s.scalar(select(func.count()).select_from(FileRow).where(FileRow.status == "downloaded")) == 200
        assert [c.status for c in s.scalars(select(Crawl).order_by(Crawl.id))] == ["interrupted", "done"]
    assert len(list((tmp_path / "raw").glob("??/??/*.pdf"))) == 200
