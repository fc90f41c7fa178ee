"""Ingest bench (issue 17): where a report's time goes, and reports/h through the Celery chain.

Three parts, each against a baseline measured in the same run (the earlier code paths, put back
by ``bench.ingest_paths.use_baseline``: spaCy's tagged lemmatiser, OCR through MuPDF's PDF
writer):

1. **profile** (one process): a text-layer batch and a scanned batch go through every stage
   of the worker's path, timed apart: OCR, reading (layout), structure + findings, themes,
   lemmas (tagged and lookup), embedding, store, index (Meilisearch, waiting for its task as
   the worker does). Wall time and the share of each stage.
2. **ocr**: the scanned reports of the extraction gold (``lab.evaluate.extraction``, family
   ``scanne``) read at several DPIs by both OCR paths: seconds per page and recommendations
   F1 (the gold's scoring, OCR similarity on).
3. **celery**: the same PDFs through the real chain (``constats.process``: extract → index) with
   one worker process of ``--concurrency 2`` (the default worker, 2 processes on 2 cores), on a
   managed Redis + Meilisearch and a fresh SQLite store: reports/h for the text batch and
   seconds per page for the scanned batch, baseline worker then current worker.

Run: ``python -m bench ingest``. Environment: ``BENCH_INGEST_PARTS`` (``profile,ocr,celery``),
``BENCH_INGEST_TEXT`` (text reports, 24), ``BENCH_INGEST_SCANNED`` (scanned reports, 2),
``BENCH_INGEST_DPIS`` (``150,120,100``), ``BENCH_INGEST_ROUNDS`` (Celery rounds, baseline and
current alternating, 2), ``CONSTATS_BENCH_DIR`` (``var/bench``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from bench import ingest_paths
from constats.config import Settings

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(os.environ.get("CONSTATS_BENCH_DIR", ROOT / "var" / "bench")).absolute() / "ingest"
N_TEXT = int(os.environ.get("BENCH_INGEST_TEXT", "24"))
N_SCANNED = int(os.environ.get("BENCH_INGEST_SCANNED", "2"))
DPIS = [int(d) for d in os.environ.get("BENCH_INGEST_DPIS", "150,120,100").split(",") if d]
ROUNDS = int(os.environ.get("BENCH_INGEST_ROUNDS", "2"))
PARTS = os.environ.get("BENCH_INGEST_PARTS", "profile,ocr,celery").split(",")
#: the OCR resolution of the baseline's workers (the default before 110 dpi was chosen)
BASELINE_OCR_DPI = 150


# ----------------------------------------------------------------------------- inputs
def _gold_keys() -> tuple[list[str], list[str]]:
    """Text keys (gold reports, in order) and the shortest gold reports of each split (scanned)."""
    from lab.evaluate.extraction import load_gold, load_split, scanned_rows  # noqa: PLC0415

    rows = load_gold()
    splits = load_split()
    scanned = scanned_rows(rows, max(1, (N_SCANNED + 1) // 2), splits)[:N_SCANNED]
    text = [r["key"] for r in rows if r["key"] not in {s["key"] for s in scanned}][:N_TEXT]
    return text, [r["key"] for r in scanned]


def _render(key: str, scanned: bool, i: int) -> bytes:
    cache = BENCH_DIR / "pdfs" / f"{key}-{'scan' if scanned else i % 4}.pdf"
    if cache.exists():
        return cache.read_bytes()
    from lab.replica.render import SCANNED, TEXT_VARIANTS, render_corpus_report  # noqa: PLC0415

    pdf = render_corpus_report(key, variant=SCANNED if scanned else TEXT_VARIANTS[i % len(TEXT_VARIANTS)])
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pdf)
    return pdf


def inputs() -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    text_keys, scan_keys = _gold_keys()
    text = [(k, _render(k, False, i)) for i, k in enumerate(text_keys)]
    scanned = [(k, _render(k, True, i)) for i, k in enumerate(scan_keys)]
    return text, scanned


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


# ----------------------------------------------------------------------------- 1. profile
class Clock:
    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str):
        t = time.perf_counter()
        try:
            yield
        finally:
            self.spent[name] += time.perf_counter() - t


class _Precomputed:
    """An embedder that hands back vectors already computed (the index stage timed alone)."""

    def __init__(self, embedder, vectors: dict) -> None:
        self.dim, self.vectors = embedder.dim, vectors

    def embed(self, texts):
        import numpy as np  # noqa: PLC0415

        return np.array([self.vectors[t] for t in texts])


def profile(batch: list[tuple[str, bytes]], label: str, services) -> dict:
    """Every stage of ``worker.pipeline.process_report`` on ``batch``, timed apart, in this process."""
    import nlp.ocr as ocr  # noqa: PLC0415
    from nlp.pdf import read_pdf  # noqa: PLC0415
    from nlp.report import understand_document, with_themes  # noqa: PLC0415
    from search import indexer  # noqa: PLC0415
    from search.lemmas import lemmatize, lemmatize_tagged  # noqa: PLC0415
    from store import repo  # noqa: PLC0415

    clock = Clock()
    real_ocr = ocr.ocr_page

    def timed_ocr(*args, **kwargs):
        with clock.stage("ocr"):
            return real_ocr(*args, **kwargs)

    clf, embedder, client = services.classifier(), services.embedder(), services.meili_admin()
    lemmatize(["échauffement"]), lemmatize_tagged(["échauffement"])  # models loaded outside the timing
    indexer.ensure_settings(client, services.prefix, indexer.embedder_dim(embedder))
    pages = 0
    findings = 0
    import nlp.pdf as pdfmod  # noqa: PLC0415

    pdfmod.ocr_page = timed_ocr
    try:
        for key, data in batch:
            t = time.perf_counter()
            doc = read_pdf(data, ocr_cache=None)
            clock.spent["read+ocr"] += time.perf_counter() - t
            sha = f"{uuid.uuid4().hex}{uuid.uuid4().hex}"
            with services.session() as session:
                rid = repo.register_report(session, sha, title=key)[0].id
            with clock.stage("structure+findings"):
                report = understand_document(doc, rid)
            report.sha256 = sha
            texts = [f.text for f in report.findings]
            with clock.stage("embedding"):  # once, for the theme model (if it reads them) and the index
                vectors = indexer.embed_texts(embedder, texts)
            with clock.stage("themes"):  # a model reading embeddings embeds the report's headings here
                if clf is not None and clf.needs_vectors:
                    import numpy as np  # noqa: PLC0415

                    clf_embedder = services.classifier_embedder()
                    shared = np.asarray(vectors, dtype=np.float32) if clf_embedder is embedder and texts else None
                    report = with_themes(report, clf, vectors=shared, embedder=clf_embedder)
                elif clf is not None:
                    report = with_themes(report, clf)
            with clock.stage("lemmas tagged (baseline)"):
                lemmatize_tagged(texts)
            with clock.stage("lemmas lookup"):
                lemmatize(texts)
            with clock.stage("store"), services.session() as session:
                repo.save_extraction(session, report)
            # indexing alone: lemmas and vectors computed above are handed over
            known = dict(zip(texts, vectors))
            saved = indexer.lemmatize
            indexer.lemmatize = lambda ts: ["x"] * len(list(ts))  # type: ignore[assignment]
            pre = _Precomputed(embedder, known)
            try:
                with clock.stage("index, waiting for each task (baseline)"), services.session() as session:
                    indexer.index_reports(session, client, [report.id], pre, services.prefix)
                with clock.stage("index, write-behind (sent, not waited for)"), services.session() as session:
                    indexer.send_report_documents(session, client, report.id, pre, services.prefix, replace=True)
            finally:
                indexer.lemmatize = saved  # type: ignore[assignment]
            pages += report.n_pages
            findings += len(report.findings)
    finally:
        pdfmod.ocr_page = real_ocr
    spent = dict(clock.spent)
    spent["read (layout)"] = spent.pop("read+ocr") - spent.get("ocr", 0.0)
    return {"label": label, "reports": len(batch), "pages": pages, "findings": findings, "spent": spent}


def print_profile(res: dict) -> None:
    spent = res["spent"]
    worker = sum(v for k, v in spent.items() if "baseline" not in k)
    # the index stage embeds and lemmatises again: take those out of it for the per-stage view
    print(f"\n{res['label']}: {res['reports']} reports, {res['pages']} pages, {res['findings']} findings "
          f"(load {_load()})")
    print(f"{'stage':52s} {'s total':>9s} {'s/report':>9s} {'share':>7s}")
    for name, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        share = f"{100 * s / worker:6.1f}%" if "baseline" not in name else "  (alt)"
        print(f"{name:52s} {s:9.2f} {s / max(res['reports'], 1):9.2f} {share}")
    if "ocr" in spent and res["pages"]:
        print(f"OCR per page: {spent['ocr'] / res['pages']:.2f} s")


# ----------------------------------------------------------------------------- 2. OCR quality/speed
def ocr_sweep(dpis: list[int]) -> list[dict]:
    import nlp.pdf as pdfmod  # noqa: PLC0415
    from lab.evaluate.extraction import load_gold, load_split, run_variant, scanned_rows  # noqa: PLC0415
    from lab.replica.families import VARIANTS  # noqa: PLC0415

    rows = scanned_rows(load_gold(), max(1, (N_SCANNED + 1) // 2), load_split())[:N_SCANNED]
    variant = next(v for v in VARIANTS if v.scanned)
    out = []
    configs = [("mupdf-pdf (baseline)", BASELINE_OCR_DPI)] + [("tesseract-tsv", d) for d in dpis]
    for path, dpi in configs:
        saved = pdfmod.OCR_DPI
        pdfmod.OCR_DPI = dpi
        try:
            with (ingest_paths.baseline_ocr() if "baseline" in path else ingest_paths.nothing()):
                run = run_variant(rows, variant)
        finally:
            pdfmod.OCR_DPI = saved
        rec = run.scores["findings"]["recommandation"]
        rap = run.scores["every_item"]["rappel_au_droit"]
        res = {"path": path, "dpi": dpi, "reports": run.reports, "pages": run.pages,
               "s_per_page": run.seconds_per_page, "rec_f1": rec.get("f1"), "rec": rec,
               "rap_f1": rap.get("f1"), "rap": rap, "load": _load()}
        print(f"OCR {path:22s} {dpi:4d} dpi: {run.pages} pages, {res['s_per_page']:.2f} s/page, "
              f"recommandations F1 {res['rec_f1']} ({rec}), rappels F1 {res['rap_f1']} ({rap}) load {res['load']}")
        out.append(res)
    return out


# ----------------------------------------------------------------------------- 3. Celery chain
def _settings(tag: str) -> Settings:
    state = BENCH_DIR / f"state-{tag}"
    return Settings(state_dir=state, meili_url=None, redis_url=None,
                    meili_port=int(os.environ.get("CONSTATS_BENCH_MEILI_PORT", "7797")),
                    redis_port=int(os.environ.get("CONSTATS_BENCH_REDIS_PORT", "6397")),
                    database_url=f"sqlite:///{state / 'constats.db'}", index_prefix="bingest")


def _wait(svc, ids: list[str], limit_s: float = 3600) -> dict[str, str]:
    from store import repo  # noqa: PLC0415

    t0 = time.perf_counter()
    done: dict[str, str] = {}
    while len(done) < len(ids):
        time.sleep(0.25)
        with svc.session() as session:
            for rid in ids:
                row = repo.get_report(session, rid)
                if row is not None and row.status in ("indexed", "failed"):
                    done[rid] = row.status
        if time.perf_counter() - t0 > limit_s:
            raise RuntimeError(f"ingest did not finish within {limit_s} s")
    return done


def celery_run(batch: list[tuple[str, bytes]], mode: str, label: str, env: dict[str, str]) -> dict:
    """``batch`` through one worker process of 2 (``--concurrency 2``) running ``mode`` paths."""
    from celery import Celery  # noqa: PLC0415

    from runtime.queue import enqueue_report  # noqa: PLC0415
    from runtime.services import Services  # noqa: PLC0415
    from store import repo  # noqa: PLC0415
    from store.db import migrate  # noqa: PLC0415
    from worker.pipeline import ingest_bytes  # noqa: PLC0415

    state = Path(tempfile.mkdtemp(prefix=f"{label}-{mode}-", dir=BENCH_DIR))
    run_env = {**env, "CONSTATS_STATE_DIR": str(state), "DATABASE_URL": f"sqlite:///{state / 'constats.db'}",
               "CONSTATS_INDEX_PREFIX": f"b{uuid.uuid4().hex[:8]}"}
    if mode == "baseline":
        run_env["CONSTATS_OCR_DPI"] = str(BASELINE_OCR_DPI)  # the earlier default with the earlier path
    settings = Settings(state_dir=state, meili_url=env["MEILI_URL"], redis_url=env["REDIS_URL"],
                        database_url=run_env["DATABASE_URL"], index_prefix=run_env["CONSTATS_INDEX_PREFIX"],
                        meili_master_key=env["MEILI_MASTER_KEY"])
    migrate(settings.db_url)
    svc = Services(settings)
    ids = [ingest_bytes(svc, data, title=key) for key, data in batch]
    log = state / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bench.ingest_paths", mode, "--concurrency=2",
                                 "--loglevel=WARNING", "--without-gossip", "--without-mingle",
                                 "--without-heartbeat"],
                                cwd=ROOT, env={**os.environ, **run_env}, stdout=out, stderr=subprocess.STDOUT)
    app: Celery = svc.queue
    try:
        deadline = time.monotonic() + 120
        while not app.control.ping(timeout=0.5):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start: {log.read_text()[-2000:]}")
        # warm-up, not timed: the models load in each child at its first task
        from lab.replica.render import render_sample, sample_reports  # noqa: PLC0415

        warm = [ingest_bytes(svc, render_sample(s), title=s.title) for s in sample_reports()[:2]]
        for rid in warm:
            enqueue_report(app, rid)
        _wait(svc, warm)
        t0 = time.perf_counter()
        for rid in ids:
            enqueue_report(app, rid)
        done = _wait(svc, ids)
        seconds = time.perf_counter() - t0
        with svc.session() as session:
            pages = sum(repo.get_report(session, rid).n_pages or 0 for rid in ids)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    failed = sum(1 for s in done.values() if s == "failed")
    res = {"label": label, "mode": mode, "reports": len(ids), "failed": failed, "pages": pages,
           "seconds": seconds, "reports_per_h": 3600 * len(ids) / seconds, "s_per_page": seconds / max(pages, 1),
           "load": _load()}
    print(f"celery {label:8s} {mode:8s}: {len(ids)} reports ({failed} failed), {pages} pages in {seconds:.1f} s: "
          f"{res['reports_per_h']:.0f} reports/h, {res['s_per_page']:.2f} s/page (load {res['load']})")
    return res


def main() -> dict:
    from runtime import local  # noqa: PLC0415
    from runtime.services import Services  # noqa: PLC0415
    from store.db import migrate  # noqa: PLC0415

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print(f"load {_load()}; rendering inputs")
    text, scanned = inputs()
    settings = _settings("services")
    bin_dir = Path(os.environ.get("CONSTATS_BIN_DIR", ROOT / ".bin"))
    meili_url = local.start_meilisearch(settings, bin_dir)
    redis_url = local.start_redis(settings)
    env = {"MEILI_URL": meili_url, "MEILI_MASTER_KEY": settings.meili_master_key, "REDIS_URL": redis_url}
    results: dict = {"text_reports": len(text), "scanned_reports": len(scanned)}
    try:
        if "profile" in PARTS:
            prof = Settings(state_dir=BENCH_DIR / "profile", meili_url=meili_url, redis_url=redis_url,
                            meili_master_key=settings.meili_master_key, index_prefix=f"p{uuid.uuid4().hex[:6]}",
                            database_url=f"sqlite:///{BENCH_DIR / f'profile-{uuid.uuid4().hex[:6]}.db'}")
            migrate(prof.db_url)
            svc = Services(prof)
            results["profile"] = [profile(text, "text", svc)]
            print_profile(results["profile"][0])
            if scanned:
                results["profile"].append(profile(scanned, "scanned", svc))
                print_profile(results["profile"][1])
        if "celery" in PARTS:
            runs = []
            # baseline and current alternate (ABBA...) so that a change of load falls on both
            modes = [("baseline", "current") if r % 2 == 0 else ("current", "baseline") for r in range(ROUNDS)]
            for pair in modes:
                for mode in pair:
                    runs.append(celery_run(text, mode, "text", env))
                    if scanned:
                        runs.append(celery_run(scanned, mode, "scanned", env))
            results["celery"] = runs

            def total(label: str, mode: str, key: str) -> float:
                return sum(r[key] for r in runs if r["label"] == label and r["mode"] == mode)

            both = ("baseline", "current")
            rate = {m: 3600 * total("text", m, "reports") / total("text", m, "seconds") for m in both}
            print(f"text reports/h over {ROUNDS} round(s): {rate['current']:.0f} vs baseline {rate['baseline']:.0f} "
                  f"({rate['current'] / rate['baseline']:.2f}x; target >= 4,500/h)")
            if scanned:
                spp = {m: total("scanned", m, "seconds") / total("scanned", m, "pages") for m in both}
                print(f"scanned s/page over {ROUNDS} round(s): {spp['current']:.2f} vs baseline {spp['baseline']:.2f} "
                      f"({spp['baseline'] / spp['current']:.2f}x faster; target <= 0.8 s/page)")
        if "ocr" in PARTS and scanned:
            results["ocr"] = ocr_sweep(DPIS)
    finally:
        local.down(settings)
    return results


if __name__ == "__main__":
    main()
