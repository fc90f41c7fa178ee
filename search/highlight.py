"""Highlighted extracts computed here, for re-ranked hits (Meilisearch formats only the hits it
returns in its own order, and formatting 200 candidates would cost more than ranking them).

The extract is the window of ``CROP_WORDS`` words holding the most query words (folded,
lightly stemmed: ``search.rerank.terms``), HTML-escaped, the matches in ``<mark>``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate
from operator import sub

from search.rerank import terms

CROP_WORDS = 40


@lru_cache(maxsize=100_000)
def _word_terms(word: str) -> frozenset[str]:
    """The terms of one whitespace-separated word (words repeat: cached)."""
    return frozenset(terms(word))


def highlight(text: str, qterms: Iterable[str], crop: int = CROP_WORDS) -> str:
    """Safe HTML: the best window of ``crop`` words of ``text`` with the query words marked."""
    qset = set(qterms)
    words = (text or "").split()
    if not words:
        return ""
    # words repeat within a paragraph: each distinct one is looked at once
    marked = {w for w in set(words) if not qset.isdisjoint(_word_terms(w))}
    hits = [w in marked for w in words]
    # matches in the window of ``crop`` words ending at each word; the first best one wins
    before = list(accumulate(hits, initial=0))
    n = len(words)
    counts = list(map(sub, before[1:], ([0] * (crop - 1) + before)[:n]))
    best_n = max(counts)
    best = max(0, counts.index(best_n) - crop + 1)
    if best_n > 0 and best > 0:  # centre the first match a little
        first = next(i for i in range(best, min(best + crop, n)) if hits[i])
        best = max(0, min(first - 4, n - crop))
    stop = min(best + crop, n)
    # escaping adds no space: the window is escaped at once, then cut into its words again
    escaped = html.escape(" ".join(words[best:stop])).split(" ")
    parts = [f"<mark>{w}</mark>" if hit else w for w, hit in zip(escaped, hits[best:stop])]
    return ("…" if best > 0 else "") + " ".join(parts) + ("…" if stop < n else "")
