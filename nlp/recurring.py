"""Recurring findings: near-identical findings across reports (the doctrine of the chambers).

Each finding comes with its embedding (L2-normalised). Two findings of DIFFERENT reports are
linked when their cosine similarity reaches ``threshold`` and each is among the other's
``k`` nearest neighbours (mutual kNN keeps union-find from chaining loosely related findings
into one giant group); groups are the connected components (union-find) that span at least
``min_reports`` reports. A group is labelled by its most central finding (highest mean
similarity to the others) and counted by chamber and by year.

The default threshold was measured on hand-checked pairs (models/themes/RECURRING.md).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

DEFAULT_THRESHOLD = 0.70


@dataclass
class Group:
    id: str
    label: str  # text of the most central finding
    representative_id: str
    size: int
    n_reports: int
    member_ids: list[str]
    report_ids: list[str]
    by_chamber: dict[str, int] = field(default_factory=dict)
    by_year: dict[str, int] = field(default_factory=dict)
    cohesion: float = 0.0  # mean pairwise cosine similarity
    title: str = ""  # a short title: the most central sentence of the label, cut to a line
    theme: str | None = None  # the members' most frequent primary theme
    by_theme: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _matrix(items: list[dict]) -> np.ndarray:
    vectors = np.asarray([it["vector"] for it in items], dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError("every item needs a vector of the same dimension")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def similar_pairs(items: list[dict], threshold: float, k: int = 10, block: int = 2048):
    """Pairs (i, j, cosine) of different reports, cosine ≥ threshold, mutual k nearest neighbours."""
    x = _matrix(items)
    reports = np.asarray([str(it["report_id"]) for it in items])
    n = len(items)
    k = max(1, min(k, n - 1))
    neighbours: list[set[int]] = [set() for _ in range(n)]
    candidates: list[tuple[int, int, float]] = []
    for start in range(0, n, block):
        sims = x[start:start + block] @ x.T
        for row, i in enumerate(range(start, min(start + block, n))):
            s = sims[row]
            s[reports == reports[i]] = -1.0  # same report: never a recurrence
            top = np.argpartition(-s, k - 1)[:k] if n > k else np.arange(n)
            neighbours[i] = {int(j) for j in top if s[j] >= threshold}
            candidates.extend((i, int(j), float(s[j])) for j in neighbours[i] if j > i)
    return [(i, j, s) for i, j, s in candidates if i in neighbours[j]]


def find_recurring(items: list[dict], threshold: float = DEFAULT_THRESHOLD, *, k: int = 10,
                   min_reports: int = 2) -> list[Group]:
    """Groups of near-identical findings across reports, largest first.

    ``items``: dicts with ``id``, ``report_id``, ``text``, ``chamber``, ``year``, ``vector``."""
    if len(items) < 2:
        return []
    x = _matrix(items)
    uf = _UnionFind(len(items))
    for i, j, _ in similar_pairs(items, threshold, k):
        uf.union(i, j)
    components: dict[int, list[int]] = {}
    for i in range(len(items)):
        components.setdefault(uf.find(i), []).append(i)
    groups = []
    for members in components.values():
        reports = {str(items[i]["report_id"]) for i in members}
        if len(members) < 2 or len(reports) < min_reports:
            continue
        sims = x[members] @ x[members].T
        centrality = (sims.sum(axis=1) - 1.0) / (len(members) - 1)
        rep = members[int(np.argmax(centrality))]
        ids = sorted(str(items[i]["id"]) for i in members)
        groups.append(Group(
            id="g" + hashlib.sha256("|".join(ids).encode()).hexdigest()[:12],
            label=items[rep]["text"], representative_id=str(items[rep]["id"]), size=len(members),
            n_reports=len(reports), member_ids=ids, report_ids=sorted(reports),
            by_chamber=dict(Counter(str(items[i].get("chamber") or "inconnue") for i in members).most_common()),
            by_year=dict(sorted(Counter(str(items[i].get("year") or "inconnue") for i in members).items())),
            cohesion=round(float(centrality.mean()), 4),
            title=short_title(items[rep]["text"], [str(items[i]["text"]) for i in members]),
            **_themes([items[i].get("theme") for i in members])))
    groups.sort(key=lambda g: (-g.n_reports, -g.size, g.id))
    return groups


def times_found_elsewhere(groups: list[Group]) -> dict[str, int]:
    """finding id → number of OTHER reports where a near-identical finding was found."""
    out = {}
    for g in groups:
        for fid in g.member_ids:
            out[fid] = g.n_reports - 1
    return out


# --------------------------------------------------------------------------- short titles
TITLE_CHARS = 90
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZÀ-ÖØ-Þ«\"])")
_WORD = re.compile(r"[a-zà-öø-ÿœæ]{4,}", re.I)
#: frequent words that say nothing of the subject of a finding
_STOP = frozenset("""dans pour avec sans sont était être avoir cette cette ces leur leurs plus moins
aussi ainsi elle elles ils nous vous entre depuis lors dont sous chambre commune collectivité
recommandation recommande rappel devrait doit doivent notamment également toutefois""".split())


def _themes(codes: list) -> dict:
    counts = Counter(c for c in codes if c)
    return {"theme": counts.most_common(1)[0][0] if counts else None, "by_theme": dict(counts.most_common())}


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - _STOP


def short_title(text: str, members: list[str] | None = None, limit: int = TITLE_CHARS) -> str:
    """The sentence of ``text`` that shares the most words with the group's members (the most
    central sentence), cut at a word boundary to one line of about ``limit`` characters."""
    sentences = [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip()] or [text.strip()]
    doc_freq: Counter[str] = Counter()
    for member in members or [text]:
        doc_freq.update(_words(member))

    def score(sentence: str) -> float:
        words = _words(sentence)
        return sum(doc_freq[w] for w in words) / max(1.0, len(words)) ** 0.5 if words else 0.0

    best = max(sentences, key=score)
    best = re.sub(r"^(?:Recommandation|Rappel au droit)\s*(?:n°\s*\d+\s*)?[:.–-]\s*", "", best, flags=re.I)
    if len(best) <= limit:
        return best.rstrip(" .;:")
    cut = best[:limit].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"
