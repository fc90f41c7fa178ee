"""Scale-out with what exists: two worker processes, each with its own state directory (as on
two machines), share one Redis, one PostgreSQL and one Meilisearch and ingest one batch.

The batch is announced twice (a crawl run twice, a task delivered again): every report is
extracted exactly once, by one of the two workers, and every report ends indexed. A worker
that did not download a file itself fetches it again from its source (here a folder).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from constats.config import Settings
from crawler.crawl import crawl_source
from crawler.rawstore import RawStore
from lab.replica.render import TEXT_VARIANTS, render_sample, sample_reports
from runtime.queue import enqueue_file, make_celery
from search.client import MeiliClient
from store.db import migrate, session_scope

ROOT = Path(__file__).resolve().parents[1]
EXTRACTED = re.compile(r"extract: (\S+) extracted")


def _start_worker(name: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "worker.app", "worker", "--concurrency=1", "-n", f"{name}@%h",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest.mark.slow
@pytest.mark.services
def test_two_workers_with_their_own_state_ingest_one_batch_once(live_services, postgres_url, tmp_path):
    from sqlalchemy import text

    from store.db import engine_for

    with engine_for(postgres_url).begin() as conn:  # an empty schema of its own
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(postgres_url)
    redis_url = live_services.redis_url.rsplit("/", 1)[0] + "/9"  # apart from the session's worker
    prefix = f"w{uuid.uuid4().hex[:8]}"
    common = {"MEILI_URL": live_services.meili_url, "MEILI_MASTER_KEY": live_services.master_key,
              "REDIS_URL": redis_url, "DATABASE_URL": postgres_url, "CONSTATS_INDEX_PREFIX": prefix}
    folder = tmp_path / "pdfs"
    folder.mkdir()
    samples = sample_reports()[:3]
    for i in range(6):  # six distinct PDFs: three samples in two layouts
        pdf = render_sample(samples[i % 3], variant=TEXT_VARIANTS[i // 3])
        (folder / f"rapport-{i}.pdf").write_bytes(pdf)

    workers, logs = [], []
    for name in ("w1", "w2"):
        state = tmp_path / f"state-{name}"
        logs.append(state / "worker.log")
        state.mkdir()
        env = {**os.environ, **common, "CONSTATS_STATE_DIR": str(state)}
        workers.append(_start_worker(name, env, logs[-1]))
    settings = Settings(state_dir=tmp_path / "state-crawler", meili_url=live_services.meili_url,
                        meili_master_key=live_services.master_key, redis_url=redis_url,
                        database_url=postgres_url, index_prefix=prefix)
    app = make_celery(settings)
    try:
        deadline = time.monotonic() + 90
        while len(app.control.ping(timeout=1.0)) < 2:
            assert time.monotonic() < deadline, "\n".join(p.read_text()[-2000:] for p in logs if p.exists())
            assert all(w.poll() is None for w in workers), "a worker exited at start"
        file_ids: list[int] = []
        summary = crawl_source("folder", settings, path=folder,
                               on_new_file=lambda file_id, _rid: file_ids.append(file_id))
        assert len(file_ids) == 6, summary.counts()
        for file_id in file_ids:  # each announced twice at once, as by two crawls or a redelivery
            enqueue_file(app, file_id)
            enqueue_file(app, file_id)

        deadline = time.monotonic() + 600
        while True:
            with session_scope(postgres_url) as s:
                statuses = dict(s.execute(text("SELECT id, status FROM reports")).all())
                shas = dict(s.execute(text("SELECT id, sha256 FROM reports")).all())
            if len(statuses) == 6 and set(statuses.values()) == {"indexed"}:
                break
            assert time.monotonic() < deadline, f"not all indexed: {statuses}"
            assert all(w.poll() is None for w in workers), "a worker died"
            time.sleep(1)
        time.sleep(2)  # let the duplicate chains still queued finish
        deadline = time.monotonic() + 120
        while sum(len(v) for v in (app.control.inspect(timeout=1.0).active() or {}).values()):
            assert time.monotonic() < deadline
            time.sleep(1)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            try:
                w.wait(timeout=30)
            except subprocess.TimeoutExpired:
                w.kill()

    per_worker = [Counter(EXTRACTED.findall(log.read_text())) for log in logs]
    total = per_worker[0] + per_worker[1]
    assert set(total) == set(statuses), total
    assert max(total.values()) == 1, f"a report was extracted twice: {total}"
    assert all(per_worker), f"both workers took part: {per_worker}"
    for name, extracted in zip(("w1", "w2"), per_worker):  # each read the PDF from its own store
        store = RawStore(tmp_path / f"state-{name}" / "raw")
        assert all(store.exists(shas[rid]) for rid in extracted)
    client = MeiliClient(live_services.meili_url, live_services.master_key)
    hits = client.search(f"{prefix}-findings", {"q": "", "limit": 0, "facets": ["report_id"]})
    assert set(hits["facetDistribution"]["report_id"]) == set(statuses)
