"""The OpenAPI document says what the running API does: schemathesis ``--checks all`` finds no
failure (undocumented status, schema-valid request refused, invalid request accepted, response
not matching its schema, 5xx, wrong ``Allow``…), the write routes included (with the key).

Real API (``constats serve``), real store, real Meilisearch with two indexed reports. The write
routes enqueue into a Redis database that no worker reads: nothing runs what they accept.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from constats.config import Settings
from runtime.local import free_port, port_open
from runtime.services import Services
from store.db import migrate
from tests.pdf_fixtures import render_html
from tests.sample_report import sample_html
from worker import pipeline

ROOT = Path(__file__).resolve().parents[1]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
ADMIN_KEY = "conformance-admin-key"


@pytest.mark.slow
@pytest.mark.services
def test_schemathesis_checks_all_find_no_failure(live_services, tmp_path):
    if not SCHEMATHESIS.exists():
        if os.environ.get("CI"):
            pytest.fail("schemathesis is pinned in the test extra: `make setup-dev` installs it")
        pytest.skip("schemathesis not installed (make setup-dev)")
    redis_url = live_services.redis_url.rsplit("/", 1)[0] + "/13"  # no worker listens here
    prefix = f"oa{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CONSTATS_STATE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}",
           "MEILI_URL": live_services.meili_url, "MEILI_MASTER_KEY": live_services.master_key,
           "REDIS_URL": redis_url, "CONSTATS_INDEX_PREFIX": prefix, "CONSTATS_EMBEDDER": "none",
           "CONSTATS_ADMIN_API_KEY": ADMIN_KEY, "CONSTATS_PUBLIC_RATE_LIMIT": "1000000/minute",
           "CONSTATS_PUBLIC_RATE_LIMIT_STORE": "memory"}
    settings = Settings(state_dir=tmp_path, database_url=env["DATABASE_URL"], meili_url=live_services.meili_url,
                        redis_url=redis_url, index_prefix=prefix, embedder="none")
    migrate(settings.db_url)
    svc = Services(settings)
    for name in ("Quimper", "Fauxbourg"):
        rid = pipeline.ingest_bytes(svc, render_html(sample_html().replace("Testville", name)))
        assert pipeline.process_report(svc, rid)
    svc.close()
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")
    api = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=ROOT, env=env,
                           stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not port_open(port):
            assert api.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        out = subprocess.run(
            [str(SCHEMATHESIS), "run", f"http://127.0.0.1:{port}/openapi.json", "--checks", "all",
             "--max-examples", "30", "--workers", "1", "--seed", "1", "-H", f"X-API-Key: {ADMIN_KEY}"],
            cwd=tmp_path, capture_output=True, text=True, timeout=600,
            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "160"})
        summary = out.stdout[-3000:]
        assert out.returncode == 0, summary
        assert "failure" not in summary.splitlines()[-1], summary
        assert "17/17" in out.stdout or "Tested: 17" in out.stdout, summary
    finally:
        api.terminate()
        api.wait(timeout=30)
        redis.Redis.from_url(redis_url).flushdb()
        shutil.rmtree(tmp_path / "schemathesis-report", ignore_errors=True)
