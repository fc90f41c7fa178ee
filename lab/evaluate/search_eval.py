"""The search evaluation: topic and known-item queries, development and test halves.

What it measures (``search/EVALUATION.md`` records the numbers; ``constats eval search``
prints them, ``--write`` rewrites the file):

- **topic queries** (``models/search/topics.json``), written the way magistrates type them,
  judged by reading the findings (graded 0/1/2, ``models/search/judgments.jsonl``, report
  keys and offsets only), pooled from the top 10 of every system compared; graded nDCG@10
  (gain 2^grade − 1; the ideal ranking is built from every judged paragraph of the query),
  precision@10 (grade ≥ 1) and the share of the top 10 left unjudged;
- **known-item queries** (``lab.evaluate.ranking.make_queries``: 4 words of a paragraph as
  written, in dictionary form, 2 words, with a typo), drawn from each half's own paragraphs;
  MRR over the first 20 hits;
- each on the paragraphs of one half (``lab.evaluate.search_data``), indexed by the product's
  own indexer with the product's settings, twice: headings ``kept`` (as ``section_path``)
  and ``removed``;
- systems: a pure-Python BM25 over the same fields (text, plus the headings when kept), the
  product's default search (``search.query.search_findings``: Meilisearch's order), the
  re-ranker of ``search.rerank`` on keyword searches, and the product with semantic search on.

Every number comes with a 95 % bootstrap interval over queries; comparisons are paired
(the same resampled queries for both systems). Tuning looks at ``dev`` only.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from constats.config import Settings, get_settings
from lab.evaluate.ranking import LemmaTable, make_queries
from lab.evaluate.retrieval import BM25
from lab.evaluate.search_data import (
    HALVES,
    Collection,
    build_collections,
    load_judgments,
    load_topics,
    save_judgments,
    without_headings,
)
from lab.paths import BIN_DIR, ROOT, resolve
from runtime import local
from search.client import MeiliClient
from search.indexer import IndexSummary, _index_findings
from search.lemmas import lemmatize
from search.query import SUGGESTED_SEMANTIC, SearchParams, search_findings
from search.rerank import DEFAULT_RANKING, Ranking
from search.settings import apply_index_settings, declared_settings, index_names

CACHE = ROOT / "var" / "eval-cache"
MODES = ("kept", "removed")
KNOWN_ITEM_QUERIES = 150  # per set and half
RESAMPLES = 2000


# ---------------------------------------------------------------------------- metrics
def ndcg10(ranked: list[str], grades: dict[str, int]) -> float:
    gain = [2 ** grades.get(d, 0) - 1 for d in ranked[:10]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gain))
    ideal = sorted((2 ** g - 1 for g in grades.values()), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def precision10(ranked: list[str], grades: dict[str, int]) -> float:
    return sum(1 for d in ranked[:10] if grades.get(d, 0) >= 1) / 10


def unjudged10(ranked: list[str], grades: dict[str, int]) -> float:
    return sum(1 for d in ranked[:10] if d not in grades) / 10


def reciprocal_rank(ranked: list[str], relevant: set[str], depth: int = 20) -> float:
    for i, d in enumerate(ranked[:depth]):
        if d in relevant:
            return 1.0 / (i + 1)
    return 0.0


def _resample(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(RESAMPLES, n))


def interval(values: list[float], seed: int = 0) -> tuple[float, float, float]:
    """(mean, 2.5 %, 97.5 %) of the mean over queries, by bootstrap."""
    v = np.asarray(values, dtype=float)
    if not len(v):
        return (0.0, 0.0, 0.0)
    means = v[_resample(len(v), seed)].mean(axis=1)
    return (float(v.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5)))


def paired(a: list[float], b: list[float], seed: int = 1) -> dict:
    """Paired bootstrap of ``a`` − ``b`` and of the ratio of means ``a``/``b`` (same
    resampled queries for both)."""
    va, vb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    idx = _resample(len(va), seed)
    ma, mb = va[idx].mean(axis=1), vb[idx].mean(axis=1)
    d = ma - mb
    ratio = ma / np.where(mb > 0, mb, np.nan)
    return {"delta": float(va.mean() - vb.mean()),
            "delta_ci": (float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))),
            "ratio": float(va.mean() / vb.mean()) if vb.mean() else float("nan"),
            "ratio_ci": (float(np.nanpercentile(ratio, 2.5)), float(np.nanpercentile(ratio, 97.5))),
            "p_a_wins": float((d > 0).mean())}


# ---------------------------------------------------------------------------- caches
def _digest(texts: list[str]) -> str:
    h = hashlib.sha1()
    for t in texts:
        h.update(t.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def cached_lemmas(texts: list[str]) -> list[str]:
    """spaCy lemmas of ``texts`` (the product's ``search.lemmas.lemmatize``), cached on disk."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"lemmas-{_digest(texts)}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    out = lemmatize(texts)
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return out


class CachedEmbedder:
    """The project's embedder, with document vectors cached on disk per text."""

    def __init__(self, inner):
        self.inner, self.dim, self.name = inner, inner.dim, getattr(inner, "name", "?")
        CACHE.mkdir(parents=True, exist_ok=True)
        self.path = CACHE / f"vectors-{self.name}.npz"
        self.table: dict[str, np.ndarray] = {}
        if self.path.exists():
            data = np.load(self.path)
            self.table = dict(zip(data["keys"].tolist(), data["vectors"]))

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.table]
        if missing:
            vecs = self.inner.embed([texts[i] for i in missing])
            for i, v in zip(missing, vecs):
                self.table[keys[i]] = np.asarray(v, dtype=np.float32)
        return np.stack([self.table[k] for k in keys])

    def save(self) -> None:
        keys = sorted(self.table)
        np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.table[k] for k in keys]))


# ---------------------------------------------------------------------------- services
@contextmanager
def meilisearch(settings: Settings):
    """The configured Meilisearch (``MEILI_URL``) or a temporary one started here."""
    if settings.meili_url:
        with MeiliClient(settings.meili, settings.meili_master_key, timeout=600) as client:
            yield client
        return
    with tempfile.TemporaryDirectory() as tmp:
        own = Settings(state_dir=Path(tmp), meili_port=local.free_port(), meili_url=None)
        url = local.start_meilisearch(own, Path(os.environ.get("CONSTATS_BIN_DIR", BIN_DIR)))
        try:
            with MeiliClient(url, own.meili_master_key, timeout=600) as client:
                yield client
        finally:
            local.down(own)


def prefix_of(half: str, mode: str) -> str:
    return f"eval-{half}-{mode}"


def index_collection(client: MeiliClient, col: Collection, mode: str, embedder) -> str:
    """Index one half (headings kept or removed) with the product's indexer; reused when the
    same documents and settings are already there."""
    pairs = col.pairs if mode == "kept" else without_headings(col.pairs)
    dim = embedder.dim if embedder is not None else None
    settings = declared_settings("findings", dim)
    stamp = _digest([p.id + "|" + "|".join(p.section_path) for p, _ in pairs]
                    + [json.dumps(settings, sort_keys=True, ensure_ascii=False)])
    uid = index_names(prefix_of(col.half, mode))["findings"]
    marker = CACHE / f"index-{uid}.txt"
    info = client.get_index(uid)
    if info is not None and marker.exists() and marker.read_text() == stamp:
        if client.stats(uid).get("numberOfDocuments") == len(pairs):
            return uid
    client.delete_index(uid)
    apply_index_settings(client, uid, settings)
    lemmas = dict(zip((p.text for p, _ in pairs), cached_lemmas([p.text for p, _ in pairs])))
    summary = IndexSummary()
    _index_findings(client, uid, pairs, embedder, summary, batch_size=1000,
                    lemmatizer=lambda texts: [lemmas[t] for t in texts])
    if summary.skipped:
        raise RuntimeError(f"{len(summary.skipped)} documents skipped: {summary.skipped[:3]}")
    CACHE.mkdir(parents=True, exist_ok=True)
    marker.write_text(stamp)
    return uid


# ---------------------------------------------------------------------------- systems
System = Callable[[str], list[str]]


@dataclass
class Context:
    """One (half, mode): the index, the python baseline and the query embedder."""

    half: str
    mode: str
    client: MeiliClient
    col: Collection
    embedder: object | None
    bm25: BM25
    ids: list[str]

    @property
    def prefix(self) -> str:
        return prefix_of(self.half, self.mode)


def make_context(client, col: Collection, mode: str, embedder) -> Context:
    index_collection(client, col, mode, embedder)
    texts = [p.text + (" " + " ".join(p.section_path) if mode == "kept" else "") for p, _ in col.pairs]
    return Context(col.half, mode, client, col, embedder, BM25(texts), [p.id for p, _ in col.pairs])


def bm25_system(ctx: Context) -> System:
    def run(q: str) -> list[str]:
        s = ctx.bm25.scores(q)
        top = np.argsort(-s)[:20]
        return [ctx.ids[i] for i in top if s[i] > 0]
    return run


def product_system(ctx: Context, semantic: float = 0.0, ranking: Ranking = DEFAULT_RANKING) -> System:
    """The product's search as the API runs it (``search.query.search_findings``)."""
    def run(q: str) -> list[str]:
        params = SearchParams(q=q, per_page=20, semantic=semantic)
        res = search_findings(ctx.client, params, ctx.embedder, ctx.prefix, ranking=ranking)
        return [h.id for h in res.hits]
    return run


SEMANTIC_RATIO = SUGGESTED_SEMANTIC


def systems_for(ctx: Context) -> dict[str, System]:
    out = {"BM25 (python, same fields)": bm25_system(ctx),
           "default search": product_system(ctx),
           "re-ranked (BM25 + Meilisearch)": product_system(ctx, ranking=Ranking(rerank=True))}
    if ctx.embedder is not None:
        out["semantic on"] = product_system(ctx, semantic=SEMANTIC_RATIO)
    return out


def pool(ctx: Context, topics: list[dict], systems: dict[str, System], depth: int = 10) -> dict[str, list[str]]:
    """The union of every system's top ``depth`` per topic query, in first-seen order."""
    out: dict[str, list[str]] = {}
    for t in topics:
        seen = out.setdefault(t["id"], [])
        for system in systems.values():
            for d in system(t["q"])[:depth]:
                if d not in seen:
                    seen.append(d)
    return out


# ---------------------------------------------------------------------------- runs
def topic_scores(system: System, topics: list[dict], judged: dict[str, dict[str, int]]) -> dict:
    per: dict[str, list[float]] = {"ndcg10": [], "p10": [], "unjudged10": []}
    runs = {}
    for t in topics:
        ranked = system(t["q"])
        runs[t["id"]] = ranked
        grades = judged.get(t["id"], {})
        per["ndcg10"].append(ndcg10(ranked, grades))
        per["p10"].append(precision10(ranked, grades))
        per["unjudged10"].append(unjudged10(ranked, grades))
    return {"per_query": per, "runs": runs}


def known_item_scores(system: System, queries: dict[str, list], dup: dict[str, set[str]]) -> dict:
    out = {}
    for name, qs in queries.items():
        out[name] = [reciprocal_rank(system(q), dup.get(target, {target})) for q, target in qs]
    return out


def known_items(col: Collection) -> tuple[dict[str, list], dict[str, set[str]]]:
    long_enough = [(p, r) for p, r in col.pairs if len(p.text) >= 200]
    queries = make_queries(long_enough, LemmaTable(), KNOWN_ITEM_QUERIES, seed=7 if col.half == "dev" else 8)
    by_text: dict[str, set[str]] = {}
    for p, _ in col.pairs:
        by_text.setdefault(p.text, set()).add(p.id)
    return queries, {p.id: by_text[p.text] for p, _ in col.pairs}


def evaluate(halves: tuple[str, ...] = ("test",), *, embedder=None, corpus_dir: Path | None = None,
             extra_systems: Callable[[Context], dict[str, System]] | None = None,
             known: bool = True, log=print) -> dict:
    """Scores of every system on the given halves and modes (see the module docstring)."""
    settings = get_settings()
    corpus = resolve(Path(corpus_dir or settings.corpus_dir))
    cols = build_collections(corpus)
    topics = load_topics()
    judged = load_judgments()
    result: dict = {"collections": {h: {"reports": len(cols[h].reports), "findings": len(cols[h].pairs)}
                                    for h in HALVES}, "runs": {}}
    cached = CachedEmbedder(embedder) if embedder is not None else None
    with meilisearch(settings) as client:
        for half in halves:
            col = cols[half]
            qs = [t for t in topics if t["half"] == half]
            ki, dup = known_items(col) if known else ({}, {})
            for mode in MODES:
                t0 = time.perf_counter()
                ctx = make_context(client, col, mode, cached)
                if cached is not None:
                    cached.save()
                    ctx.embedder = embedder  # queries are embedded as the API does, uncached
                systems = systems_for(ctx)
                if extra_systems:
                    systems.update(extra_systems(ctx))
                for name, system in systems.items():
                    run = {"topics": topic_scores(system, qs, judged)}
                    if known and mode == "removed":  # known items: the paragraph's own words
                        run["known"] = known_item_scores(system, ki, dup)
                    result["runs"][(half, mode, name)] = run
                log(f"  {half}/{mode}: {len(systems)} systems, {time.perf_counter() - t0:.0f} s")
    return result


# ---------------------------------------------------------------------------- judging
def judging_sheet(half: str, systems_of: Callable[[Context], dict[str, System]] | None = None,
                  *, embedder=None, depth: int = 10) -> str:
    """The paragraphs to read: for each topic query of ``half``, the pooled top ``depth`` of
    every system (headings kept and removed) not judged yet, with their headings. For the
    person judging only: the sheet holds corpus text and is never committed."""
    settings = get_settings()
    cols = build_collections(resolve(Path(settings.corpus_dir)))
    col = cols[half]
    topics = [t for t in load_topics() if t["half"] == half]
    judged = load_judgments()
    texts = {p.id: p for p, _ in col.pairs}
    cached = CachedEmbedder(embedder) if embedder is not None else None
    pooled: dict[str, list[str]] = {}
    with meilisearch(settings) as client:
        for mode in MODES:
            ctx = make_context(client, col, mode, cached)
            ctx.embedder = embedder
            systems = (systems_of or systems_for)(ctx)
            for qid, ids in pool(ctx, topics, systems, depth).items():
                bucket = pooled.setdefault(qid, [])
                bucket += [d for d in ids if d not in bucket]
    lines = []
    for t in topics:
        todo = [d for d in pooled[t["id"]] if d not in judged.get(t["id"], {})]
        lines.append(f"## {t['id']} « {t['q']} » ({t['theme']}/{t['sector']}): {len(todo)} to judge")
        for n, d in enumerate(todo):
            p = texts[d]
            path = " > ".join(p.section_path)[-160:]
            lines.append(f"[{n}] {d} | {path}\n    {p.text[:600]}")
    return "\n".join(lines)


def record_grades(grades: dict[str, dict[str, int]]) -> None:
    """Add judged grades to ``models/search/judgments.jsonl``."""
    judged = load_judgments()
    for qid, by_id in grades.items():
        judged.setdefault(qid, {}).update(by_id)
    save_judgments(judged)


# ---------------------------------------------------------------------------- report
NONSENSE = ("zorglub", "qwxzt", "blockchain", "cryptomonnaie", "métavers", "exoplanète",
            "téléportation", "covid", "trottinette électrique", "drone de surveillance", "xylophone",
            "kangourou", "licorne", "dinosaure", "pokémon", "sushi", "tatouage", "manga", "yoga",
            "astronaute", "netflix", "robotique", "hockey sur glace", "cyberattaque rançongiciel")


def calibrate_threshold(client: MeiliClient, prefix: str, embedder, queries=NONSENSE) -> dict:
    """The semantic score that queries about things found nowhere reach (those of
    ``queries`` with no keyword match in the index): the threshold is set just above it."""
    uid = index_names(prefix)["findings"]
    scores = {}
    for q in queries:
        if client.search(uid, {"q": q, "limit": 0}).get("estimatedTotalHits"):
            continue
        vec = embedder.embed([q])[0].tolist()
        hits = client.search(uid, {"q": q, "vector": vec, "limit": 1, "showRankingScore": True,
                                   "hybrid": {"embedder": "default", "semanticRatio": 1.0},
                                   "attributesToRetrieve": ["id"]})["hits"]
        scores[q] = round(float(hits[0]["_rankingScore"]), 4) if hits else 0.0
    top = max(scores.values(), default=0.0)
    return {"absent_queries": scores, "max": top, "threshold": math.ceil((top + 0.005) * 100) / 100}


def _fmt(m: tuple[float, float, float]) -> str:
    return f"{m[0]:.3f} [{m[1]:.3f}, {m[2]:.3f}]"


def summarise(result: dict, half: str = "test") -> dict:
    """Means with intervals and the paired comparisons of ``evaluate``'s runs."""
    out: dict = {"topics": {}, "known": {}, "paired": {}}
    runs = result["runs"]
    for (h, mode, name), run in runs.items():
        if h != half:
            continue
        per = run["topics"]["per_query"]
        out["topics"][(mode, name)] = {k: interval(v) for k, v in per.items()}
        for set_name, rr in (run.get("known") or {}).items():
            out["known"][(set_name, name)] = interval(rr)
    for mode in MODES:
        base = runs.get((half, mode, "BM25 (python, same fields)"))
        default = runs.get((half, mode, "default search"))
        reranked = runs.get((half, mode, "re-ranked (BM25 + Meilisearch)"))
        semantic = runs.get((half, mode, "semantic on"))
        nd = lambda r: r["topics"]["per_query"]["ndcg10"]  # noqa: E731
        if base and default:
            out["paired"][(mode, "default search vs BM25")] = paired(nd(default), nd(base))
        if reranked and default:
            out["paired"][(mode, "re-ranked vs default search")] = paired(nd(reranked), nd(default))
        if reranked and base:
            out["paired"][(mode, "re-ranked vs BM25")] = paired(nd(reranked), nd(base))
        if semantic and default:
            out["paired"][(mode, "semantic on vs default search")] = paired(nd(semantic), nd(default))
    return out


def markdown_tables(result: dict, half: str = "test") -> str:
    s = summarise(result, half)
    lines = [f"### Topic queries, {half} half ({result['collections'][half]['findings']:,} findings "
             f"of {result['collections'][half]['reports']} reports)", "",
             "| headings | system | nDCG@10 [95 % CI] | P@10 (grade ≥ 1) | unjudged in top 10 |",
             "|---|---|---|---|---|"]
    for (mode, name), m in s["topics"].items():
        lines.append(f"| {mode} | {name} | {_fmt(m['ndcg10'])} | {_fmt(m['p10'])} | "
                     f"{m['unjudged10'][0]:.1%} |")
    lines += ["", "Paired bootstrap over queries (2,000 resamples):", "",
              "| headings | comparison | Δ nDCG@10 [95 % CI] | ratio [95 % CI] | P(first wins) |",
              "|---|---|---|---|---|"]
    for (mode, name), p in s["paired"].items():
        lines.append(f"| {mode} | {name} | {p['delta']:+.3f} [{p['delta_ci'][0]:+.3f}, "
                     f"{p['delta_ci'][1]:+.3f}] | {p['ratio']:.2f} [{p['ratio_ci'][0]:.2f}, "
                     f"{p['ratio_ci'][1]:.2f}] | {p['p_a_wins']:.2f} |")
    if s["known"]:
        lines += ["", f"### Known-item queries, {half} half (headings removed; MRR over 20 hits)", "",
                  "| query set | system | MRR [95 % CI] |", "|---|---|---|"]
        for (set_name, name), m in sorted(s["known"].items()):
            lines.append(f"| {set_name} | {name} | {_fmt(m)} |")
    return "\n".join(lines) + "\n"


def run_all(*, embedder=None, halves: tuple[str, ...] = ("test",), log=print) -> str:
    """``evaluate`` then the tables (what ``constats eval search`` prints)."""
    result = evaluate(halves, embedder=embedder, log=log)
    return "\n".join(markdown_tables(result, h) for h in halves)


EVALUATION_PATH = ROOT / "search" / "EVALUATION.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def write_evaluation(tables: str, path: Path = EVALUATION_PATH) -> None:
    """Replace the measured tables of ``search/EVALUATION.md`` (between the markers)."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{tables}\n{END}{tail}", encoding="utf-8")
