"""Highlighted extracts computed here, for re-ranked hits (Meilisearch formats only the hits it
returns in its own order, and formatting 200 candidates would cost more than ranking them).

The extract is the window of ``CROP_WORDS`` words holding the most query words (folded,
lightly stemmed: ``search.rerank.terms``), HTML-escaped, the matches in ``<mark>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from search.rerank import terms

CROP_WORDS = 40
_WORDS = re.compile(r"\S+")


@lru_cache(maxsize=100_000)
def _word_terms(word: str) -> tuple[str, ...]:
    """The terms of one whitespace-separated word (words repeat: cached)."""
    return tuple(terms(word))


def _matches(word: str, qterms: set[str]) -> bool:
    return any(t in qterms for t in _word_terms(word))


def highlight(text: str, qterms: Iterable[str], crop: int = CROP_WORDS) -> str:
    """Safe HTML: the best window of ``crop`` words of ``text`` with the query words marked."""
    qset = set(qterms)
    words = _WORDS.findall(text or "")
    if not words:
        return ""
    hit_of = {w: _matches(w, qset) for w in set(words)}  # words repeat within a paragraph
    hits = [hit_of[w] for w in words]
    # matches in the window of ``crop`` words ending at each word; the first best one wins
    before = list(accumulate(hits, initial=0))
    counts = [before[i + 1] - before[max(0, i - crop + 1)] for i in range(len(words))]
    best_n = max(counts)
    best = max(0, counts.index(best_n) - crop + 1)
    if best_n > 0 and best > 0:  # centre the first match a little
        first = next(i for i in range(best, min(best + crop, len(words))) if hits[i])
        best = max(0, min(first - 4, len(words) - crop))
    window = range(best, min(best + crop, len(words)))
    parts = [f"<mark>{html.escape(words[i])}</mark>" if hits[i] else html.escape(words[i])
             for i in window]
    return ("…" if best > 0 else "") + " ".join(parts) + ("…" if window.stop < len(words) else "")
