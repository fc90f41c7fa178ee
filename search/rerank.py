"""Re-ranking the first candidates of a Meilisearch query by how much they are about it.

Meilisearch sorts by buckets (how many query words, typos, proximity, exactness, attribute):
every paragraph that uses all the words once, close together, ties with one that is wholly
about them. On topic queries ("régie d'avances", "astreintes") that loses to a plain BM25
(search/EVALUATION.md). So the first ``DEPTH`` candidates are scored again here, as a weighted sum of ``features``
(``WEIGHTS``; with semantic search on, ``COSINE_WEIGHT`` × the query–paragraph cosine):

- BM25 over the candidates' text and their headings (``section_path``, a field of its own
  weighted ``HEADING_WEIGHT``), on folded, lightly stemmed words ("régies" = "régie",
  "astreintes" = "astreinte"), French stop words left out; the inverse document frequency
  comes from the whole index when the caller gives it (``document_frequencies``), else from
  the candidates themselves;
- a paragraph shorter than ``SHORT_WORDS`` content words (a table caption, a line of a
  table of contents) has its BM25 part scaled down by its length;
- weights fitted on the development half of the evaluation only (lab/evaluate/search_eval.py).

Pure functions: no I/O, so the API can afford it on every query.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from constats.text import fold
from search.settings import FRENCH_STOP_WORDS

DEPTH = 100
K1, B = 1.2, 0.75
HEADING_WEIGHT = 1.0
#: Weights of the features, fitted on the development half (search/EVALUATION.md).
WEIGHTS: dict[str, float] = {"bm25": 1.0, "meili": 1.0, "cosine": 0.0}
#: Weight of the cosine when semantic search is on.
COSINE_WEIGHT = 0.25
SHORT_WORDS = 12

_TOKEN = re.compile(r"[^\W_]+")  # letters and digits; apostrophes and hyphens split words
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f.](?=\d{3}(?!\d))")  # "1 607" is 1607
_STOPS = frozenset(fold(w) for w in FRENCH_STOP_WORDS)
_SUFFIXES = ("issements", "issement", "ations", "ation", "ements", "ement", "ments", "ment",
             "ites", "ite", "euses", "euse", "eurs", "eur", "ives", "ive", "ees", "ee", "es",
             "er", "ez", "e", "s", "x")


def stem(word: str) -> str:
    """A light French stem of a folded word (plural and common suffixes dropped)."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=200_000)
def _term(word: str) -> str:
    """The stem of one lower-cased word ("" for a stop word or a single character); words
    repeat across paragraphs, so folding and stemming are cached per word."""
    folded = fold(word)
    if folded in _STOPS or len(folded) < 2:
        return ""
    return stem(folded)


def terms(text: str) -> list[str]:
    """Stems of the content words of ``text`` (folded, French stop words left out)."""
    # map and filter run in C: the API re-ranks up to 150 paragraphs on every semantic query
    return list(filter(None, map(_term, _TOKEN.findall(_THOUSANDS.sub("", text.lower())))))


def query_terms(q: str) -> list[str]:
    return list(dict.fromkeys(terms(q)))


#: The fields of a finding's document that hold its terms, computed once when it is indexed
#: (``search.documents.finding_document``): the stems of its text and of its headings, joined
#: by spaces. Splitting them costs far less than finding the words again in every candidate
#: on every query.
TEXT_TERMS, HEADING_TERMS = "text_terms", "heading_terms"


def index_terms(text: str) -> str:
    """What a document stores in ``TEXT_TERMS`` or ``HEADING_TERMS`` for ``text``."""
    return " ".join(terms(text))


def candidate_terms(c: Mapping) -> tuple[list[str], list[str]]:
    """(text terms, heading terms) of a candidate: the stored ones when its document has them,
    else found here (a document indexed before they were stored)."""
    text_terms, heading_terms = c.get(TEXT_TERMS), c.get(HEADING_TERMS)
    if isinstance(text_terms, str) and isinstance(heading_terms, str):
        return text_terms.split(), heading_terms.split()
    return terms(c.get("text") or ""), terms(" ".join(c.get("section_path") or []))


def bm25_scores(qterms: Sequence[str], docs: Sequence[tuple[list[str], list[str]]], *,
                df: Mapping[str, int] | None = None, n_docs: int | None = None,
                heading_weight: float = HEADING_WEIGHT) -> list[float]:
    """BM25 of each (text terms, heading terms) for ``qterms``; ``df``/``n_docs`` are the
    collection's statistics (default: the candidates')."""
    if not docs or not qterms:
        return [0.0] * len(docs)
    counts = [(Counter(t), Counter(h)) for t, h in docs]
    lengths = [len(t) + heading_weight * len(h) for t, h in docs]
    avg = (sum(lengths) / len(lengths)) or 1.0
    if df is None:
        df = {q: sum(1 for c, h in counts if q in c or q in h) for q in qterms}
        n_docs = len(docs)
    n = max(n_docs or len(docs), 1)
    idf = {q: math.log(1 + (n - df.get(q, 0) + 0.5) / (df.get(q, 0) + 0.5)) for q in qterms}
    out = []
    for (c, h), length in zip(counts, lengths):
        s = 0.0
        norm = K1 * (1 - B + B * length / avg)
        for q in qterms:
            tf = c.get(q, 0) + heading_weight * h.get(q, 0)
            if tf:
                s += idf[q] * tf * (K1 + 1) / (tf + norm)
        words = sum(c.values())
        if words < SHORT_WORDS:  # a caption or a line of a table of contents
            s *= words / SHORT_WORDS
        out.append(s)
    return out


FEATURES = ("bm25", "meili", "cosine")


def features(q: str, candidates: Sequence[Mapping], *, df: Mapping[str, int] | None = None,
             n_docs: int | None = None, cosines: Mapping[str, float] | None = None,
             heading_weight: float = HEADING_WEIGHT) -> list[dict[str, float]]:
    """Per candidate, the signals the score mixes:

    - ``bm25``: BM25 over text and headings, divided by the best candidate's (0 to 1);
    - ``meili``: Meilisearch's ranking score (words, typos, proximity, exactness; 0 to 1);
    - ``cosine``: the query–paragraph cosine (semantic search), rescaled to 0–1 over the
      findings the vector search returned (0 for the others).

    Also tried on the development half and left out, each lowering nDCG@10: the share of
    the query's words present, the share of its word pairs found side by side, the share
    of its words in the headings (search/EVALUATION.md).
    """
    qterms = query_terms(q)
    docs = [candidate_terms(c) for c in candidates]
    bm = bm25_scores(qterms, docs, df=df, n_docs=n_docs, heading_weight=heading_weight)
    top = max(bm, default=0.0) or 1.0
    cos: dict[str, float] = {}
    if cosines:
        lo = min(cosines.values())
        span = (max(cosines.values()) - lo) or 1.0
        cos = {k: (v - lo) / span for k, v in cosines.items()}
    return [{"bm25": bm[i] / top, "meili": float(c.get("_rankingScore") or 0.0),
             "cosine": cos.get(str(c.get("id")), 0.0)} for i, c in enumerate(candidates)]


def rerank(q: str, candidates: Sequence[Mapping], *, df: Mapping[str, int] | None = None,
           n_docs: int | None = None, cosines: Mapping[str, float] | None = None,
           weights: Mapping[str, float] | None = None,
           heading_weight: float = HEADING_WEIGHT) -> list[int]:
    """Indexes of ``candidates`` (dicts with ``id``, ``text``, ``section_path``,
    ``_rankingScore``) in their new order: the weighted sum of ``features``
    (``WEIGHTS`` by default). ``cosines``: id → cosine with the query, for semantic search."""
    w = dict(WEIGHTS if weights is None else weights)
    feats = features(q, candidates, df=df, n_docs=n_docs, cosines=cosines,
                     heading_weight=heading_weight)
    scores = [sum(w.get(k, 0.0) * v for k, v in f.items()) for f in feats]
    return sorted(range(len(candidates)), key=lambda i: (-scores[i], i))


#: The score under which a finding found only by its vector is not a result, per embedder
#: (Meilisearch's semantic ranking score; each embedder has its own scale). Calibrated on the
#: development half by ``lab.evaluate.search_eval.calibrate_threshold``: just above the best
#: score that queries about things found nowhere in the corpus ("covid", "blockchain")
#: reach, so that such a query answers "aucun constat". The vector search is approximate, so
#: that best score moves from one build of the same index to the next (0.632 and at most 0.635
#: on two builds, 0.655-0.665 on a third, 2026-12-07): the threshold is the highest calibration, 0.67.
SEMANTIC_THRESHOLDS: dict[str, float] = {"use-multilingual-v3": 0.67}
#: For an embedder that was not calibrated: strict.
DEFAULT_SEMANTIC_THRESHOLD = 0.8


def semantic_threshold(embedder_name: str | None) -> float:
    return SEMANTIC_THRESHOLDS.get(embedder_name or "", DEFAULT_SEMANTIC_THRESHOLD)


@dataclass(frozen=True)
class Ranking:
    """How ``search.query.search_findings`` ranks a text query: the declared defaults are
    the choices of search/EVALUATION.md; the evaluation passes variants."""

    #: re-rank keyword searches too (semantic searches always are: the cosine joins there);
    #: off by default, search/EVALUATION.md: no gain on topic queries, a loss on short ones
    rerank: bool = False
    depth: int = DEPTH
    matching_strategy: str = "last"
    weights: tuple[tuple[str, float], ...] = tuple(WEIGHTS.items())
    cosine_weight: float = COSINE_WEIGHT
    heading_weight: float = HEADING_WEIGHT
    #: semantic hits below this score are dropped; None: ``semantic_threshold(embedder)``
    semantic_threshold: float | None = None
    #: nearest findings asked for in a semantic search. 12, not 50: Meilisearch 1.21's vector
    #: search costs about 7 ms up to 13 nearest and 50-70 ms from 14 on (200,000 findings;
    #: 14-20 at 12,000); 12 ranked as 50 on the development half, but about 0.03 nDCG@10
    #: lower on the test half (bench/RESULTS.md, search/EVALUATION.md)
    semantic_limit: int = 12


DEFAULT_RANKING = Ranking()
