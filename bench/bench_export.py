"""Export benchmark: rows/s and peak memory of CSV, JSONL and Parquet exports from the store.

``python -m bench export`` builds a store of ``BENCH_EXPORT_N`` findings (default 200,000:
corpus paragraphs and two-paragraph variants, ``bench/search_corpus.py``, with themes,
statuses and section paths filled in so that every column has work to do) in SQLite, as the
default install, and in PostgreSQL too when ``BENCH_PG=1`` (only: ``BENCH_PG=only``; a
database of its own, created and dropped on the server of ``CONSTATS_TEST_POSTGRES_URL``, else
on a server of its own, ``lab.postgres``). Each export then runs in its own process
(``python -m bench.bench_export one URL FORMAT PATH``), writing to
/dev/null what ``constats export`` writes to its file, for two paths in the same run:

- ``rows``: the earlier path, kept as the baseline (ORM rows → one dict per row → the row
  writers ``api.export.stream_export``);
- ``batches``: the current path (``api.filters.iter_matching_batches`` →
  ``api.export.stream_export_batches``), used by ``/api/export`` and ``constats export``.

Reported per run: rows/s, the peak RSS of the exporting process, and its peak RSS after the
first 10 % of rows (flat memory: the two are close), and the SHA-256 of the output (the two
paths must write the same bytes).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

N_FINDINGS = int(os.environ.get("BENCH_EXPORT_N", "200000"))
FORMATS = ("csv", "jsonl", "parquet")
PATHS = ("rows", "batches")
THEMES = ["finances", "ressources-humaines", "commande-publique", "gouvernance", "patrimoine"]
STATUSES = [None, "mise_en_oeuvre", "en_cours", "non_mise_en_oeuvre"]


def fill(url: str, n: int) -> None:
    """A store of ``n`` findings at ``url`` (reports from the corpus, findings from its paragraphs)."""
    from sqlalchemy import insert  # noqa: PLC0415

    from bench.search_corpus import build_pairs  # noqa: PLC0415
    from constats.config import get_settings  # noqa: PLC0415
    from store.db import engine_for, migrate  # noqa: PLC0415
    from store.models import FindingRow, ReportRow  # noqa: PLC0415

    base, variants = build_pairs(get_settings().corpus_dir, n)
    rng = random.Random(5)
    migrate(url)
    reports = {r.id: r for _, r in base}
    with engine_for(url).begin() as conn:
        conn.execute(insert(ReportRow), [
            {"id": r.id, "sha256": hashlib.sha256(r.id.encode()).hexdigest(), "title": r.title,
             "chamber": r.chamber, "year": r.year,
             # the corpus gives a name where the store keeps a code (5 characters at most)
             "departement": r.departement if r.departement and len(r.departement) <= 5 else None,
             "body_name": r.body_name, "source_url": r.source_url, "status": "extracted",
             "extractor_version": "bench", "classifier_version": "bench-c", "structure": r.structure}
            for r in reports.values()])

        def extra() -> dict:
            themes = [{"code": c, "score": round(rng.random(), 4)} for c in rng.sample(THEMES, rng.randint(0, 3))]
            return {"kind": rng.choice(["observation", "recommandation", "rappel_au_droit"]),
                    "number": str(rng.randint(1, 12)) if rng.random() < 0.3 else None,
                    "section_path": rng.sample(["Synthèse", "La gestion", "Les finances", "Annexe"],
                                               rng.randint(0, 2)),
                    "status": rng.choice(STATUSES), "themes": themes,
                    "primary_theme": themes[0]["code"] if themes else None,
                    "confidence": round(rng.random(), 4) if themes else None,
                    "low_confidence": rng.random() < 0.2, "page_end": rng.randint(1, 60)}

        rows = [{"id": p.id, "report_id": r.id, "text": p.text, "page": p.page, "start": p.start,
                 "end": p.end, **extra()} for p, r in base]
        for vid, r, text, _a, _b in variants:
            _, start, end = vid.rsplit("-", 2)
            rows.append({"id": vid, "report_id": r.id, "text": text, "page": 1 + int(start) % 40,
                         "start": int(start), "end": int(end), **extra()})
        for i in range(0, len(rows), 20_000):
            conn.execute(insert(FindingRow), rows[i:i + 20_000])


def _peak_kb() -> int:
    """Peak RSS of this process (``VmHWM``: unlike ``ru_maxrss``, not inherited across exec)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def one(url: str, fmt: str, path: str) -> dict:
    """One export of every finding at ``url``, in this process; returns its measures."""
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from api.export import stream_export, stream_export_batches  # noqa: PLC0415
    from api.filters import iter_matching, iter_matching_batches, make_params  # noqa: PLC0415
    from store.db import engine_for  # noqa: PLC0415

    engine = engine_for(url)
    total = N_FINDINGS
    digest, size, count, early = hashlib.sha256(), 0, 0, 0
    start_kb = _peak_kb()
    t0 = time.perf_counter()
    with Session(engine) as session, open(os.devnull, "wb") as out:
        params = make_params()
        if path == "rows":
            def counted_pairs():
                nonlocal count, early
                for pair in iter_matching(session, params):
                    count += 1
                    if count == total // 10:
                        early = _peak_kb()
                    yield pair
            chunks = stream_export(fmt, counted_pairs())
        else:
            def counted_batches():
                nonlocal count, early
                for batch in iter_matching_batches(session, params):
                    count += len(batch[0])
                    if not early and count >= total // 10:
                        early = _peak_kb()
                    yield batch
            chunks = stream_export_batches(fmt, counted_batches())
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    seconds = time.perf_counter() - t0
    return {"format": fmt, "path": path, "rows": count, "seconds": round(seconds, 2),
            "rows_per_s": round(count / seconds), "bytes": size, "sha256": digest.hexdigest()[:16],
            "rss_start_mb": round(start_kb / 1024), "rss_at_10pct_mb": round(early / 1024),
            "rss_peak_mb": round(_peak_kb() / 1024)}


def run_one(url: str, fmt: str, path: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.bench_export", "one", url, fmt, path],
                         capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent,
                         env={**os.environ, "BENCH_EXPORT_N": str(N_FINDINGS)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_store(label: str, url: str) -> dict:
    t0 = time.perf_counter()
    fill(url, N_FINDINGS)
    print(f"{label}: store of {N_FINDINGS} findings built in {time.perf_counter() - t0:.0f} s", flush=True)
    results: dict = {}
    for fmt in FORMATS:
        for path in PATHS:
            r = run_one(url, fmt, path)
            results[f"{fmt}_{path}"] = r
            print(f"{label} {fmt:8} {path:8} {r['rows_per_s']:>8} rows/s  {r['seconds']:>6} s  "
                  f"RSS start {r['rss_start_mb']} MB, at 10 % {r['rss_at_10pct_mb']} MB, "
                  f"peak {r['rss_peak_mb']} MB  sha {r['sha256']}", flush=True)
        old, new = results[f"{fmt}_rows"], results[f"{fmt}_batches"]
        print(f"{label} {fmt}: ×{new['rows_per_s'] / old['rows_per_s']:.2f} rows/s, same bytes: "
              f"{old['sha256'] == new['sha256']}", flush=True)
    return results


@contextmanager
def pg_database():
    from sqlalchemy import create_engine, text  # noqa: PLC0415

    from lab.postgres import LocalPostgres  # noqa: PLC0415

    own = None if os.environ.get("CONSTATS_TEST_POSTGRES_URL") else LocalPostgres()
    admin_url = os.environ.get("CONSTATS_TEST_POSTGRES_URL") or own.start()  # type: ignore[union-attr]
    name = f"constats_bench_export_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        from store.db import engine_for  # noqa: PLC0415

        engine_for(admin_url.rsplit("/", 1)[0] + f"/{name}").dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if own is not None:
            own.close()


def main() -> dict:
    print(f"load average {os.getloadavg()}, {os.cpu_count()} cores", flush=True)
    results = {}
    if os.environ.get("BENCH_PG") != "only":
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = bench_store("sqlite", f"sqlite:///{tmp}/export.db")
    if os.environ.get("BENCH_PG") in ("1", "only"):
        with pg_database() as url:
            results["postgresql"] = bench_store("postgresql", url)
    print(f"load average {os.getloadavg()}", flush=True)
    return results


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "one":
        print(json.dumps(one(sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        main()
