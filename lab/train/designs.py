"""Candidate designs of the theme classifier, compared on held-out reports and chambers.

Every design learns from ``Item``s (text, heading path, kind, label) and gives probabilities
over ``CLASSES``. The features come from the runtime (``nlp.classify``): TF-IDF of the text and
of the heading path, and the sentence embeddings the search already computes for every finding
(USE multilingual, ``nlp.embed``), so what is measured here is what the runtime can run.

- ``linear``: features → multinomial logistic regression; the blocks are TF-IDF (``tfidf``),
  the text's embedding (``use``), the heading path's embedding (``usehead``);
- ``two-step``: lever or policy first (``politique_publique`` against the nine lever themes),
  then the lever among nine; P(theme) = P(lever) · P(theme | lever);
- ``ensemble``: the average of the probabilities of two designs;
- the ``body`` block (lab only, ``constats eval themes --extra``): the audited body's kind read from
  the report title (``nlp.metadata.body_kind``), one-hot.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from constats.taxonomy import BODY_KINDS
from lab.train.validation import CLASSES
from nlp.classify import Featurizer, TwoStep

POLICY = "politique_publique"


@dataclass
class Item:
    key: str
    start: int
    end: int
    text: str
    heading: str
    kind: str
    label: str
    sector: str | None = None
    themes: tuple = ()
    source: str = "labels"
    chamber: str | None = None
    group: str = ""
    body_kind: str = "autre"


class Embeddings:
    """Text → USE vector, computed once for every text and heading the lab meets."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.vectors: dict[str, np.ndarray] = {}
        self.dim = int(getattr(embedder, "dim", 512))

    def add(self, texts: list[str]) -> None:
        missing = sorted({t for t in texts if t and t not in self.vectors})
        if missing:
            for t, v in zip(missing, self.embedder.embed(missing)):
                self.vectors[t] = np.asarray(v, dtype=np.float32)

    def matrix(self, texts: list[str]) -> np.ndarray:
        self.add(texts)
        zero = np.zeros(self.dim, dtype=np.float32)
        return np.vstack([self.vectors[t] if t else zero for t in texts]) if texts else np.zeros((0, self.dim))


class FeatureCache:
    """Fitted TF-IDF featurizers and their matrices, shared by the designs of one training run:
    designs trained on the same fold fit the same featurizer once (keyed by a hash of the data)."""

    def __init__(self):
        self.featurizers: dict[str, Featurizer] = {}
        self.matrices: dict[tuple[str, str], sp.csr_matrix] = {}

    @staticmethod
    def _key(texts: list[str], headings: list[str]) -> str:
        return hashlib.sha1("\x00".join(texts + ["\x01"] + headings).encode()).hexdigest()

    def fit(self, texts: list[str], headings: list[str]) -> tuple[str, Featurizer]:
        key = self._key(texts, headings)
        if key not in self.featurizers:
            self.featurizers[key] = Featurizer().fit(texts, headings)
        return key, self.featurizers[key]

    def transform(self, fkey: str, texts: list[str], headings: list[str]) -> sp.csr_matrix:
        key = (fkey, self._key(texts, headings))
        if key not in self.matrices:
            self.matrices[key] = self.featurizers[fkey].transform(texts, headings)
        return self.matrices[key]


def body_kind_features(kinds: list[str], weight: float = 1.0) -> sp.csr_matrix:
    """One-hot of the audited body's kind (``constats.taxonomy.BODY_KINDS``), times ``weight``:
    a hospital's or a syndicate's findings lean to other themes than a commune's."""
    codes = list(BODY_KINDS)
    cols = [codes.index(k) if k in BODY_KINDS else codes.index("autre") for k in kinds]
    return sp.csr_matrix((np.full(len(cols), float(weight)), (np.arange(len(cols)), cols)),
                         shape=(len(cols), len(codes)))



def logistic(C: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)


def align(classes, proba: np.ndarray) -> np.ndarray:
    """Columns of ``proba`` (in ``classes`` order) put in ``CLASSES`` order; absent classes get 0."""
    out = np.zeros((proba.shape[0], len(CLASSES)))
    for j, c in enumerate(classes):
        out[:, CLASSES.index(c)] = proba[:, j]
    return out


@dataclass
class Linear:
    """Feature blocks → one logistic regression (or a two-step decision on the same features)."""

    blocks: tuple[str, ...] = ("tfidf",)
    emb: Embeddings | None = None
    C: float = 20.0
    use_weight: float = 1.0
    head_weight: float = 0.5
    body_weight: float = 1.0
    two_step: bool = False
    seed: int = 0
    cache: FeatureCache | None = field(default=None, repr=False)
    featurizer: Featurizer | None = field(default=None, repr=False)
    fkey: str = ""
    model: object = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return ("two-step " if self.two_step else "") + "+".join(self.blocks)

    def features(self, texts: list[str], headings: list[str], bodies: list[str] | None = None) -> sp.csr_matrix:
        parts = []
        if "body" in self.blocks:
            parts.append(body_kind_features(bodies or ["autre"] * len(texts), self.body_weight))
        if "tfidf" in self.blocks:
            assert self.featurizer is not None
            parts.append(self.cache.transform(self.fkey, texts, headings) if self.cache
                         else self.featurizer.transform(texts, headings))
        if "use" in self.blocks:
            assert self.emb is not None
            parts.append(sp.csr_matrix(self.use_weight * self.emb.matrix(texts)))
        if "usehead" in self.blocks:
            assert self.emb is not None
            parts.append(sp.csr_matrix(self.head_weight * self.emb.matrix(headings)))
        return sp.hstack(parts).tocsr()

    def fit(self, items: list[Item]) -> Linear:
        texts, headings, y = [i.text for i in items], [i.heading for i in items], [i.label for i in items]
        if "tfidf" in self.blocks:
            if self.cache:
                self.fkey, self.featurizer = self.cache.fit(texts, headings)
            else:
                self.featurizer = Featurizer().fit(texts, headings)
        x = self.features(texts, headings, [i.body_kind for i in items])
        if self.two_step:
            self.model = TwoStep(POLICY, logistic(self.C, self.seed), logistic(self.C, self.seed)).fit(x, y)
        else:
            self.model = logistic(self.C, self.seed).fit(x, y)
        return self

    def proba(self, texts: list[str], headings: list[str], bodies: list[str] | None = None) -> np.ndarray:
        return align(self.model.classes_, self.model.predict_proba(self.features(texts, headings, bodies)))


@dataclass
class Ensemble:
    """Average of the probabilities of several designs (weights sum to 1)."""

    members: list[tuple[Callable[[], object], float]]
    label: str = "ensemble"
    fitted: list = field(default_factory=list, repr=False)

    @property
    def name(self) -> str:
        return self.label

    def fit(self, items: list[Item]) -> Ensemble:
        self.fitted = [(make().fit(items), w) for make, w in self.members]
        return self

    def proba(self, texts: list[str], headings: list[str], bodies: list[str] | None = None) -> np.ndarray:
        return sum(w * m.proba(texts, headings, bodies) for m, w in self.fitted)
