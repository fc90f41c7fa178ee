"""Retrieval evaluation of the findings index on the development corpus (MRR, nDCG@10).

Known-item queries built from the corpus: a paragraph of a report is a finding; a query is
4 content words drawn at random from it (≤ 10 words, as Meilisearch reads no further), and
the paragraph is the one relevant answer (with its exact duplicates). Two query sets:

- ``surface``: the words as the report writes them;
- ``lemma``: the same words in their dictionary form ("provisionner", "recruter") as a user
  types them, kept only when at least one word differs from the text: this is where the
  lemmatised copy should help;
- ``short``: two of the words (the first as a lemma): ambiguous, where ranking rules matter;
- ``typo``: the ``surface`` query with one typing error (a letter dropped, doubled, swapped
  with its neighbour or replaced by a keyboard neighbour) in its longest word: what typo
  tolerance is for.

Typo tolerance has a cost too: with ``minWordSizeForTypos.oneTypo = 5`` "prime" also matches
"prise". ``typo_evaluation`` measures both sides for several word-size thresholds: MRR on each
query set, and, with the results sorted by year (``sort`` comes before ``typo`` in the ranking
rules, so a typo match is then mixed with exact ones), the share of the results that match
only thanks to a typo: the noise a user sees.

Variants compare searchable attributes (text alone vs text + lemmas), ranking-rule orders
and matching strategies on one index. Results are written to search/EVALUATION.md by hand.
Run: ``constats index evaluate`` (about two minutes on 40 reports).
"""

from __future__ import annotations

import csv
import math
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from constats.config import get_settings
from constats.text import fold
from search.client import MeiliClient
from search.indexer import IndexSummary, _index_findings
from search.lemmas import LemmaTable, lemmatize
from search.settings import (
    EMBEDDER,
    FINDINGS_RANKING_RULES,
    FINDINGS_SETTINGS,
    FRENCH_STOP_WORDS,
    apply_index_settings,
    declared_settings,
)

_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
MIN_CHARS, MAX_CHARS = 200, 3000


@dataclass
class Para:
    """A corpus paragraph standing for a finding (duck-typed like ``FindingRow``)."""

    id: str
    report_id: str
    text: str
    page: int
    start: int
    end: int
    kind: str = "observation"
    number: str | None = None
    page_end: int | None = None
    section_path: tuple = ()
    status: str | None = None
    primary_theme: str | None = None
    themes: tuple = ()
    confidence: float | None = None
    low_confidence: bool = False
    sector: str | None = None
    earlier_report_id: str | None = None


@dataclass
class CorpusReport:
    """A corpus document standing for a report (duck-typed like ``ReportRow``)."""

    id: str
    title: str | None
    chamber: str | None
    departement: str | None
    year: int | None
    source_url: str | None = None
    body_name: str | None = None
    body_kind: str | None = None
    insee: str | None = None
    siren: str | None = None
    n_pages: int | None = None
    extractor_version: str | None = "corpus"
    classifier_version: str | None = None
    structure: dict | None = None


def corpus_reports(corpus_dir: Path, limit: int | None = None, *,
                   kinds: tuple[str, ...] = ("Rapport d'observations définitives",)) -> list[tuple[CorpusReport, str]]:
    """(report, txt) for the corpus documents of the given types, in key order."""
    with open(corpus_dir / "metadata.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["doc_type"] in kinds]
    rows.sort(key=lambda r: r["key"])
    out = []
    for r in rows[:limit] if limit else rows:
        path = corpus_dir / "txt" / f"{r['key']}.txt"
        if not path.exists():
            continue
        day = _date(r["date"])
        body = r["title"].split(" - ")[1].strip() if " - " in r["title"] else r["title"]
        report = CorpusReport(id=f"k{r['key']}", title=r["title"], chamber=r["juridiction"] or None,
                              departement=r["departement"] or None, year=day.year if day else None,
                              source_url=f"https://example.test/corpus/{r['key']}.pdf",
                              body_name=body,
                              structure={"metadata": {"deliberation_date": str(day) if day else None}})
        out.append((report, path.read_text(encoding="utf-8")))
    return out


def _date(value: str) -> date | None:
    try:
        d, m, y = (int(x) for x in value.split("/"))
        return date(y, m, d)
    except (ValueError, AttributeError):
        return None


def paragraphs(report: CorpusReport, txt: str) -> Iterator[Para]:
    """Body paragraphs of a corpus text (table rows and short lines left out)."""
    pos = 0
    for i, line in enumerate(txt.split("\n")):
        start, pos = pos, pos + len(line) + 1
        if MIN_CHARS <= len(line) <= MAX_CHARS and "\t" not in line:
            yield Para(id=f"{report.id}-{start}-{start + len(line)}", report_id=report.id,
                       text=line, page=1 + i // 12, start=start, end=start + len(line))


def corpus_pairs(corpus_dir: Path, n_reports: int) -> list[tuple[Para, CorpusReport]]:
    return [(p, r) for r, txt in corpus_reports(corpus_dir, n_reports) for p in paragraphs(r, txt)]


# ---------------------------------------------------------------------------- queries
_STOPS = {fold(w) for w in FRENCH_STOP_WORDS} | {"dont", "plus", "cette", "être", "avoir",
                                                  "fait", "entre", "ainsi", "sans", "aussi"}


def make_queries(pairs, table, n: int, seed: int = 7, words: int = 4) -> dict[str, list]:
    """``{"surface": [(query, target_id)], "lemma": [...], "short": [...]}``; ``short`` is
    two words (the first as a lemma), a hard, ambiguous query (see the module docstring);
    ``table`` is a ``LemmaTable``, taught here on the sampled paragraphs."""
    rng = random.Random(seed)
    sample = rng.sample(pairs, min(n * 3, len(pairs)))
    table.learn(p.text for p, _ in sample)

    def lemma_of(word: str) -> str:
        return table.table.get(word.lower(), word.lower())

    surface, lemma, short, typo = [], [], [], []
    typo_rng = random.Random(seed + 1)  # its own draws: the other sets stay as they were
    for para, _ in sample:
        content = [w for w in _WORD.findall(para.text) if fold(w) not in _STOPS]
        uniq = list(dict.fromkeys(content))
        if len(uniq) < words + 2:
            continue
        picked = sorted(rng.sample(range(len(uniq)), words))
        chosen = [uniq[i] for i in picked]
        lemmas = [lemma_of(w) for w in chosen]
        if len(surface) < n:
            surface.append((" ".join(chosen).lower(), para.id))
        if len(lemma) < n and any(fold(a) != fold(b) for a, b in zip(chosen, lemmas)):
            lemma.append((" ".join(lemmas), para.id))
        if len(short) < n:
            short.append((" ".join(lemmas[:1] + chosen[1:2]), para.id))
        if len(typo) < n:
            words_ = [w.lower() for w in chosen]
            longest = max(range(len(words_)), key=lambda i: len(words_[i]))
            words_[longest] = misspell(words_[longest], typo_rng)
            typo.append((" ".join(words_), para.id))
        if min(len(surface), len(lemma), len(short), len(typo)) >= n:
            break
    return {"surface": surface, "lemma": lemma, "short": short, "typo": typo}


_KEYBOARD = {  # AZERTY neighbours of the letters a French user most often mistypes
    "a": "zqs", "z": "aes", "e": "zrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "om", "q": "asw", "s": "qdz", "d": "sfe", "f": "dgr",
    "g": "fht", "h": "gjy", "j": "hku", "k": "jli", "l": "kmo", "m": "lp", "w": "qx",
    "x": "wc", "c": "xv", "v": "cb", "b": "vn", "n": "b",
}


def misspell(word: str, rng: random.Random) -> str:
    """One realistic typing error, never at the first letter (people rarely get it wrong)."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap", "neighbour"))
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    near = _KEYBOARD.get(fold(word[i]))
    return word[:i] + rng.choice(near) + word[i + 1:] if near else word[:i] + word[i + 1:]


def score(ranked: list[str], relevant: set[str], k: int = 10) -> tuple[float, float, float]:
    """(reciprocal rank, nDCG@k, recall@k) of one query with its relevant ids."""
    rr = ndcg = hit = 0.0
    for i, doc_id in enumerate(ranked):
        if doc_id in relevant:
            rr = rr or 1.0 / (i + 1)
            if i < k:
                ndcg += 1.0 / math.log2(i + 2)
                hit = 1.0
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return rr, ndcg / ideal if ideal else 0.0, hit


# ---------------------------------------------------------------------------- variants
MEILI_DEFAULT_RULES = ["words", "typo", "proximity", "attribute", "sort", "exactness"]


def _variants() -> dict[str, dict]:

    d = MEILI_DEFAULT_RULES
    return {
        "text only, default rules": {"on": ["text"], "rules": d},
        "text+lemmas, default rules": {"on": None, "rules": d},
        "text+lemmas, proximity before typo": {
            "on": None, "rules": ["words", "proximity", "typo", "attribute", "sort", "exactness"]},
        "text+lemmas, attribute before proximity": {
            "on": None, "rules": ["words", "typo", "attribute", "proximity", "sort", "exactness"]},
        "text+lemmas, exactness before attribute": {
            "on": None, "rules": ["words", "typo", "proximity", "exactness", "attribute", "sort"]},
        "text+lemmas, default rules, matching=frequency": {"on": None, "rules": d,
                                                          "strategy": "frequency"},
        "text+lemmas, no typo rule": {
            "on": None, "rules": ["words", "proximity", "attribute", "sort", "exactness"]},
        "CHOSEN: " + ",".join(FINDINGS_RANKING_RULES): {"on": None, "rules": FINDINGS_RANKING_RULES},
    }


def hybrid_variants(ratios=(0.25, 0.5, 0.75, 1.0)) -> dict[str, dict]:

    return {f"hybrid semanticRatio={r}": {"on": None, "rules": FINDINGS_RANKING_RULES, "semantic": r}
            for r in ratios}


def evaluate(client, uid: str, queries: dict[str, list], dup: dict[str, set[str]],
             variants: dict[str, dict] | None = None,
             vectors: dict[str, list[float]] | None = None) -> list[dict]:
    """One row per (variant, query set). ``vectors`` (query → vector) for hybrid variants."""

    def hybrid(v: dict, q: str) -> dict:
        if not v.get("semantic") or not vectors:
            return {}
        return {"vector": vectors[q], "hybrid": {"embedder": EMBEDDER, "semanticRatio": v["semantic"]}}

    rows = []
    for name, v in (variants or _variants()).items():
        client.update_settings(uid, {"rankingRules": v["rules"]})
        for set_name, qs in queries.items():
            t0 = time.perf_counter()
            results = client.multi_search([
                {"indexUid": uid, "q": q, "limit": 20, "attributesToRetrieve": ["id"],
                 **({"attributesToSearchOn": v["on"]} if v["on"] else {}),
                 **({"matchingStrategy": v["strategy"]} if v.get("strategy") else {}),
                 **hybrid(v, q)}
                for q, _ in qs])
            elapsed = time.perf_counter() - t0
            scores = [score([h["id"] for h in res["hits"]], dup.get(target, {target}))
                      for res, (_, target) in zip(results, qs)]
            n = max(1, len(scores))
            rows.append({"variant": name, "queries": set_name, "n": len(scores),
                         "mrr": sum(s[0] for s in scores) / n, "ndcg10": sum(s[1] for s in scores) / n,
                         "recall10": sum(s[2] for s in scores) / n, "ms_per_query": elapsed * 1000 / n})
    client.update_settings(uid, {"rankingRules": FINDINGS_RANKING_RULES})
    return rows


#: Word-size thresholds compared by ``typo_evaluation`` (Meilisearch's default first).
TYPO_VARIANTS = {
    "oneTypo 5, twoTypos 9 (Meilisearch default)": {"oneTypo": 5, "twoTypos": 9},
    "oneTypo 6, twoTypos 10": {"oneTypo": 6, "twoTypos": 10},
    "oneTypo 7, twoTypos 12": {"oneTypo": 7, "twoTypos": 12},
    "oneTypo 8, twoTypos 14": {"oneTypo": 8, "twoTypos": 14},
    "typo tolerance off": None,
}


def _total_hits(client, uid: str, qs: list) -> list[int]:
    results = client.multi_search([{"indexUid": uid, "q": q, "limit": 0, "matchingStrategy": "all"}
                                   for q, _ in qs])
    return [res.get("estimatedTotalHits", 0) for res in results]


def typo_evaluation(client, uid: str, queries: dict[str, list], dup: dict[str, set[str]],
                    variants: dict[str, dict | None] | None = None) -> list[dict]:
    """One row per typo-tolerance variant: MRR per query set, and for ``surface`` and
    ``short`` queries (every word required) the share of the results that match only thanks
    to a typo (hits with tolerance minus hits without, over hits with): the noise a user sees
    when results are sorted by date."""

    declared = FINDINGS_SETTINGS["typoTolerance"]
    client.update_settings(uid, {"typoTolerance": {**declared, "enabled": False}})
    exact = {name: _total_hits(client, uid, queries[name]) for name in ("surface", "short")}
    rows = []
    for name, sizes in (variants or TYPO_VARIANTS).items():
        tolerance = ({**declared, "enabled": False} if sizes is None
                     else {**declared, "minWordSizeForTypos": sizes})
        client.update_settings(uid, {"typoTolerance": tolerance})
        row: dict = {"variant": name}
        for set_name, qs in queries.items():
            results = client.multi_search([{"indexUid": uid, "q": q, "limit": 20,
                                            "attributesToRetrieve": ["id"]} for q, _ in qs])
            scores = [score([h["id"] for h in res["hits"]], dup.get(target, {target}))
                      for res, (_, target) in zip(results, qs)]
            row[f"mrr_{set_name}"] = sum(sc[0] for sc in scores) / max(1, len(scores))
        for set_name, base in exact.items():
            pairs = [(t, e) for t, e in zip(_total_hits(client, uid, queries[set_name]), base) if t]
            row[f"typo_only_{set_name}"] = sum((t - e) / t for t, e in pairs) / max(1, len(pairs))
        rows.append(row)
    client.update_settings(uid, {"typoTolerance": declared})
    return rows


def main(n_reports: int = 40, n_queries: int = 300, prefix: str = "constats-eval",
         embedder=None) -> list[dict]:
    """Index ``n_reports`` corpus reports and compare the variants; with an ``embedder``,
    documents get vectors and the hybrid ratios are compared too."""

    settings = get_settings()
    pairs = corpus_pairs(settings.corpus_dir, n_reports)
    print(f"{len(pairs)} paragraphs from {n_reports} reports")
    uid = f"{prefix}-findings"
    t0 = time.perf_counter()
    with MeiliClient(settings.meili, settings.meili_master_key) as client:
        client.delete_index(uid)
        apply_index_settings(client, uid, declared_settings(
            "findings", embedder.dim if embedder is not None else None))
        summary = IndexSummary()
        _index_findings(client, uid, pairs, embedder, summary, batch_size=500, lemmatizer=lemmatize)
        print(f"indexed {summary.findings_indexed} in {time.perf_counter() - t0:.0f} s")
        by_text: dict[str, set[str]] = {}
        for p, _ in pairs:
            by_text.setdefault(p.text, set()).add(p.id)
        dup = {p.id: by_text[p.text] for p, _ in pairs}
        queries = make_queries(pairs, LemmaTable(), n_queries)
        variants, vectors = _variants(), None
        if embedder is not None:
            texts = sorted({q for qs in queries.values() for q, _ in qs})
            vectors = dict(zip(texts, (v.tolist() for v in embedder.embed(texts))))
            variants.update(hybrid_variants())
        rows = evaluate(client, uid, queries, dup, variants, vectors)
        typo_rows = typo_evaluation(client, uid, queries, dup)
        client.delete_index(uid)
    print(f"{'variant':60} {'set':8} {'n':>4} {'MRR':>6} {'nDCG10':>6} {'R@10':>6} {'ms/q':>6}")
    for r in rows:
        print(f"{r['variant']:60} {r['queries']:8} {r['n']:4d} {r['mrr']:6.3f} {r['ndcg10']:6.3f} "
              f"{r['recall10']:6.3f} {r['ms_per_query']:6.1f}")
    sets = list(queries)
    print(f"\n{'typo tolerance':45} " + " ".join(f"{'MRR ' + s:>12}" for s in sets)
          + f" {'typo-only surface':>17} {'typo-only short':>15}")
    for r in typo_rows:
        print(f"{r['variant']:45} " + " ".join(f"{r['mrr_' + s]:12.3f}" for s in sets)
              + f" {r['typo_only_surface']:17.3f} {r['typo_only_short']:15.3f}")
    return rows + typo_rows
