"""Theme classifier of findings (TAXONOMY.md): primary theme, themes, confidence, sector.

The model is scikit-learn: one or several linear members (``Member``) whose probabilities are
averaged by weight. A member reads TF-IDF word and character n-grams of the finding's text plus
the words of the heading path it sits under (``tfidf``), and/or the finding's sentence
embedding (``use``, the vector the search index stores) and the embedding of its heading path
(``usehead``), feeding a multinomial logistic regression. ``lab.train.themes`` compares designs
(TF-IDF alone, TF-IDF + embedding, a two-step lever-or-policy decision, the ensemble
0.6 · TF-IDF + 0.4 · embeddings of text and heading) on held-out reports and chambers, and
keeps a richer one only when its gain is beyond the noise (models/themes/MODEL_CARD.md).
Probabilities are calibrated by a temperature fitted on held-out predictions; a primary theme
whose calibrated probability is below ``threshold`` is marked ``low_confidence``. Secondary
themes are the other themes whose probability reaches ``secondary_threshold``. The ``sector``
of a ``politique_publique`` finding comes from a keyword table (``nlp.sectors``).

A model that reads embeddings (``needs_vectors``) takes the findings' vectors from its caller
(the worker computes them once for the classifier and the index) and embeds each distinct
heading path of a call once (``classify_findings``); a TF-IDF model reads none.

The artefact (joblib, models/themes/classifier.joblib, shipped as package data) carries the
format version, the scikit-learn version, a hash of its training data and its held-out scores
(``card()``, published in the export's Table Schema); ``ThemeClassifier.load`` reads the formats
of ``READABLE_FORMATS`` (a ``themes-3`` artefact is served as it was) and refuses another format
or scikit-learn version with a clear message (retrain with ``constats train``), and the tests
check that the artefact was trained on the labels of the repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

from constats.domain import Finding, ThemeScore
from constats.resources import model_file
from constats.taxonomy import THEMES
from nlp.headings import finding_heading, weak_theme
from nlp.sectors import guess_sector

#: The packaged artefact.
DEFAULT_PATH = model_file("themes", "classifier.joblib")
FORMAT_VERSION = "themes-4"
#: Formats ``load`` reads: ``themes-3`` (one TF-IDF or TF-IDF + embedding model) is served as it was.
READABLE_FORMATS = ("themes-3", FORMAT_VERSION)


class ModelMismatchError(RuntimeError):
    """The artefact on disk was made by another format, scikit-learn or training data."""


@dataclass
class Prediction:
    primary: str
    confidence: float
    themes: list[tuple[str, float]]  # (code, probability), primary first
    low_confidence: bool
    sector: str | None = None
    probabilities: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- features
_DIGITS = re.compile(r"\d")
_RECO_PREFIX = re.compile(r"^\s*(recommandation|rappel au droit|rappel du droit)\s*(n\s*°?\s*\d+|unique)?"
                          r"\s*(\(.*?\))?\s*[:.\-–]\s*", re.I)


def clean_text(text: str) -> str:
    """Lower-case, digits folded, the "Recommandation n° 3 :" prefix dropped."""
    text = _RECO_PREFIX.sub("", text or "")
    return _DIGITS.sub("0", text.lower().replace("\xa0", " ").replace("’", "'"))


@lru_cache(maxsize=8192)
def clean_heading(heading: str | None) -> str:
    """A heading path "1. La commande publique > 1.2 Le marché X": numbering dropped, plus a
    token naming the theme the keyword table reads in it (``nlp.headings.weak_theme``)."""
    parts = [re.sub(r"^[\s\dIVXivx.\-–)A-H]{0,12}(?=[^\s\d.])", "", p) for p in (heading or "").split(" > ")]
    parts = [p for p in parts if p.strip()]
    if not parts:
        return ""
    weak = weak_theme(parts)
    return clean_text(" ".join(parts)) + (f" weakhead{weak} weakhead{weak}" if weak else "")


class CharNgrams:
    """``TfidfVectorizer(analyzer="char_wb").transform``, the same matrix, faster.

    A char_wb n-gram never crosses a word (n-grams are taken inside each space-padded
    word), so a document's counts are the sum of its words' counts: each distinct word is cut
    and looked up in the vocabulary once and kept (``max_words`` of them), instead of every
    n-gram of every document going through Python. The TF-IDF weighting is the vectorizer's
    own. tests/test_classify.py checks the matrices are identical."""

    def __init__(self, vectorizer: TfidfVectorizer, max_words: int = 200_000):
        if vectorizer.analyzer != "char_wb" or vectorizer.binary:
            raise ValueError("CharNgrams reproduces a non-binary char_wb vectorizer only")
        self.vectorizer = vectorizer
        self.vocabulary = vectorizer.vocabulary_
        self.min_n, self.max_n = vectorizer.ngram_range
        self.preprocess = vectorizer.build_preprocessor()
        self.max_words = max_words
        self._words: dict[str, np.ndarray] = {}

    def _word(self, word: str) -> np.ndarray:
        w = f" {word} "
        w_len, vocab, out = len(w), self.vocabulary, []
        for n in range(self.min_n, self.max_n + 1):
            # as sklearn's _char_wb_ngrams: a word shorter than n counts once, whole
            for offset in range(max(1, w_len - n + 1)):
                j = vocab.get(w[offset:offset + n])
                if j is not None:
                    out.append(j)
            if w_len <= n:
                break
        return np.asarray(out, dtype=np.int32)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        words, parts, lens = self._words, [], np.zeros(len(texts), dtype=np.int64)
        if len(words) > self.max_words:
            words.clear()
        for i, text in enumerate(texts):
            n = 0
            for word in self.preprocess(text).split():
                ids = words.get(word)
                if ids is None:
                    ids = words[word] = self._word(word)
                parts.append(ids)
                n += len(ids)
            lens[i] = n
        cols = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        rows = np.repeat(np.arange(len(texts), dtype=np.int32), lens)
        counts = sp.csr_matrix((np.ones(len(cols)), (rows, cols)),
                               shape=(len(texts), len(self.vocabulary)), dtype=np.float64)
        counts.sum_duplicates()
        counts.sort_indices()
        return self.vectorizer._tfidf.transform(counts, copy=False)


class Featurizer:
    """Text → sparse features: word 1-2-grams, char 2-5-grams, heading words (weighted)."""

    def __init__(self, heading_weight: float = 1.5, max_word: int = 40000, max_char: int = 60000):
        self.heading_weight = heading_weight
        self.word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=max_word,
                                    sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b")
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                    max_features=max_char, sublinear_tf=True)
        self.head = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)

    def fit(self, texts: list[str], headings: list[str]) -> Featurizer:
        t = [clean_text(x) for x in texts]
        self.word.fit(t)
        self.char.fit(t)
        self.head.fit([clean_heading(h) for h in headings] + ["vide"])
        self.__dict__.pop("_char_fast", None)
        return self

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_char_fast", None)  # a cache, rebuilt after loading
        return state

    def transform(self, texts: list[str], headings: list[str]) -> sp.csr_matrix:
        t = [clean_text(x) for x in texts]
        char = self.__dict__.get("_char_fast")
        if char is None:
            char = self._char_fast = CharNgrams(self.char)
        # many findings share a heading: each distinct one is transformed once
        distinct, inverse = np.unique([clean_heading(x) for x in headings], return_inverse=True)
        h = self.head.transform(list(distinct))[inverse.ravel()] * self.heading_weight
        return sp.hstack([self.word.transform(t), char.transform(t), h]).tocsr()


# --------------------------------------------------------------------------- model
class TwoStep:
    """A two-step decision: the policy theme against the lever themes (``gate``), then the lever
    among the others (``levers``); P(lever theme) = (1 − P(policy)) · P(theme | lever).

    TAXONOMY.md v1.1, rule 1: ``politique_publique`` is primary only when no lever fits, so the
    first question is "is there a lever?"."""

    def __init__(self, policy: str, gate, levers):
        self.policy, self.gate, self.levers = policy, gate, levers

    def fit(self, x, y) -> TwoStep:
        y = np.asarray(y)
        self.gate.fit(x, y == self.policy)
        lever = np.where(y != self.policy)[0]
        self.levers.fit(x[lever], y[lever])
        self.classes_ = np.array([*self.levers.classes_, self.policy])
        return self

    def predict_proba(self, x) -> np.ndarray:
        p_policy = self.gate.predict_proba(x)[:, list(self.gate.classes_).index(True)]
        return np.hstack([self.levers.predict_proba(x) * (1 - p_policy)[:, None], p_policy[:, None]])


@dataclass
class Member:
    """One linear model of the classifier: its feature blocks, its fitted parts and its weight in
    the average of the members' probabilities (an ensemble has several, a plain design one).

    Blocks: ``tfidf`` (text + heading path, ``featurizer``), ``use`` (the finding's sentence
    embedding, times ``use_weight``), ``usehead`` (the embedding of the heading path it is
    classified with, times ``head_weight``; a zero vector when there is none)."""

    blocks: tuple[str, ...]
    featurizer: Featurizer | None
    model: Any  # a fitted LogisticRegression or TwoStep
    weight: float = 1.0
    use_weight: float = 1.0
    head_weight: float = 0.5

    def features(self, texts: list[str], headings: list[str], vectors: np.ndarray | None,
                 heading_vectors: np.ndarray | None):
        parts = []
        if "tfidf" in self.blocks:
            assert self.featurizer is not None
            parts.append(self.featurizer.transform(texts, headings))
        dense = []
        if "use" in self.blocks:
            dense.append(self.use_weight * np.asarray(vectors, dtype=np.float64))
        if "usehead" in self.blocks:
            dense.append(self.head_weight * np.asarray(heading_vectors, dtype=np.float64))
        if not parts:  # embeddings only: a dense matrix is the fast path of the linear model
            return np.hstack(dense)
        return sp.hstack(parts + [sp.csr_matrix(d) for d in dense]).tocsr()


#: Feature blocks the runtime computes.
SERVED_BLOCKS = {"tfidf", "use", "usehead"}


class ThemeClassifier:
    """The packaged theme model: one or several linear members (``Member``: TF-IDF of text and
    heading path, optionally the finding's sentence embedding and its heading's), their
    probabilities averaged by weight, and a temperature that calibrates the average (fitted on
    held-out predictions, ``lab.train``)."""

    VERSION = FORMAT_VERSION

    def __init__(self, featurizer: Featurizer | None, model, classes: list[str], *, threshold: float = 0.45,
                 secondary_threshold: float = 0.25, data_hash: str = "", trained_on: str = "",
                 metrics: dict | None = None, reco_heading: bool = True, temperature: float = 1.0,
                 blocks: tuple[str, ...] = ("tfidf",), use_weight: float = 1.0, embedder_version: str | None = None,
                 design: str = "tfidf", members: list[Member] | None = None):
        self.members = members or [Member(tuple(blocks), featurizer, model, 1.0, use_weight)]
        first = self.members[0]
        # the first member's parts, as older artefacts had them (the bench's raw baseline reads them)
        self.featurizer = first.featurizer
        self.model = first.model
        self.blocks = tuple(dict.fromkeys(b for m in self.members for b in m.blocks))
        self.use_weight = first.use_weight
        #: trained with the body-section heading of recommendations and rappels as a feature
        self.reco_heading = reco_heading
        self.classes = list(classes)
        #: below it (calibrated probability of the primary theme), a finding is ``low_confidence``
        self.threshold = threshold
        self.secondary_threshold = secondary_threshold
        self.temperature = temperature
        #: the embedder whose vectors the "use"/"usehead" blocks were trained on (``Embedder.version``)
        self.embedder_version = embedder_version
        self.design = design
        self.data_hash = data_hash
        self.trained_on = trained_on
        #: held-out scores of the design (``lab.train.themes``): shown in the export's schema
        self.metrics = metrics or {}
        self.sklearn_version = sklearn.__version__
        #: the format of the artefact it was loaded from (older ones are still served)
        self.format = FORMAT_VERSION

    def __setstate__(self, state: dict) -> None:
        """Artefacts of format ``themes-3`` held one model and no ``members``."""
        self.__dict__.update(state)
        if "members" not in state:
            self.members = [Member(tuple(state.get("blocks", ("tfidf",))), state.get("featurizer"),
                                   state.get("model"), 1.0, state.get("use_weight", 1.0))]
        self.__dict__.setdefault("format", "themes-3")

    @classmethod
    def from_design(cls, design, **kw) -> ThemeClassifier:
        """The runtime classifier of a fitted ``lab.train.designs.Linear`` whose blocks it serves,
        or of an ``Ensemble`` of such designs (its members' probabilities averaged by weight)."""
        parts = getattr(design, "fitted", None) or [(design, 1.0)]
        members, embedder = [], None
        for linear, weight in parts:
            if not set(linear.blocks) <= SERVED_BLOCKS:
                raise ValueError(f"the runtime serves the blocks {sorted(SERVED_BLOCKS)}, not {linear.blocks}")
            members.append(Member(tuple(linear.blocks), linear.featurizer, linear.model, float(weight),
                                  linear.use_weight, getattr(linear, "head_weight", 0.5)))
            if {"use", "usehead"} & set(linear.blocks):
                embedder = getattr(getattr(linear, "emb", None), "embedder", None)
        first = members[0]
        return cls(first.featurizer, first.model, list(first.model.classes_), blocks=first.blocks,
                   use_weight=first.use_weight, design=design.name, members=members,
                   embedder_version=getattr(embedder, "version", None), **kw)

    @property
    def version(self) -> str:
        """Stored with every classified finding: format and training data."""
        return f"{self.format}+{self.data_hash[:8]}"

    @property
    def needs_vectors(self) -> bool:
        """True when the model reads the findings' sentence embeddings (``predict(vectors=...)``)."""
        return any({"use", "usehead"} & set(m.blocks) for m in self.members)

    @property
    def needs_heading_vectors(self) -> bool:
        """True when the model reads the embedding of each finding's heading path."""
        return any("usehead" in m.blocks for m in self.members)

    def card(self) -> dict:
        """What a user of the themes should know: version, held-out scores, the meaning of
        ``low_confidence`` (shown in the export's Table Schema)."""
        m = self.metrics
        return {"version": self.version, "design": self.design, "trained_on": self.trained_on,
                "low_confidence_below": self.threshold,
                "held_out_by_report": m.get("by_report"), "held_out_by_chamber": m.get("by_chamber"),
                "per_theme_f1": m.get("per_class_f1"), "per_theme_f1_by_chamber": m.get("per_class_f1_by_chamber"),
                "expected_calibration_error": m.get("ece")}

    def features(self, texts: list[str], headings: list[str], vectors: np.ndarray | None = None,
                 heading_vectors: np.ndarray | None = None) -> list:
        """The feature matrix of each member."""
        if any("use" in m.blocks for m in self.members) and (vectors is None or len(vectors) != len(texts)):
            raise ValueError(f"this model ({self.design}) reads the findings' embeddings "
                             f"({self.embedder_version}): pass vectors=")
        if self.needs_heading_vectors and (heading_vectors is None or len(heading_vectors) != len(texts)):
            raise ValueError(f"this model ({self.design}) reads the embeddings of the headings "
                             f"({self.embedder_version}): pass heading_vectors=")
        return [m.features(texts, headings, vectors, heading_vectors) for m in self.members]

    def predict_proba(self, texts: list[str], headings: list[str] | None = None,
                      vectors: np.ndarray | None = None, heading_vectors: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities, one row per text, columns in ``classes`` order."""
        headings = headings if headings is not None else [""] * len(texts)
        if len(headings) != len(texts):
            raise ValueError("texts and headings differ in length")
        proba = np.zeros((len(texts), len(self.classes)))
        for m, x in zip(self.members, self.features(texts, headings, vectors, heading_vectors)):
            p = m.model.predict_proba(x)
            cols = [self.classes.index(c) for c in m.model.classes_]
            proba[:, cols] += m.weight * p
        if self.temperature != 1.0:
            logits = np.log(np.clip(proba, 1e-12, 1.0)) / self.temperature
            proba = np.exp(logits - logits.max(axis=1, keepdims=True))
            proba /= proba.sum(axis=1, keepdims=True)
        return proba

    def predict(self, texts: list[str], kinds: list[str] | None = None,
                headings: list[str] | None = None, vectors: np.ndarray | None = None,
                heading_vectors: np.ndarray | None = None) -> list[Prediction]:
        """Themes of each text. ``headings`` (the heading path a finding is classified with,
        ``nlp.headings.finding_heading``) help; ``kinds`` are accepted for symmetry with the worker."""
        if not texts:
            return []
        headings = [h or "" for h in headings] if headings is not None else [""] * len(texts)
        proba = self.predict_proba(texts, headings, vectors, heading_vectors)
        out = []
        for text, heading, row in zip(texts, headings, proba):
            order = np.argsort(-row)
            primary = self.classes[order[0]]
            conf = float(row[order[0]])
            themes = [(self.classes[i], round(float(row[i]), 4)) for i in order
                      if i == order[0] or row[i] >= self.secondary_threshold]
            pp = any(code == "politique_publique" for code, _ in themes)
            sector = guess_sector(f"{heading} {text}") if pp else None
            out.append(Prediction(primary, round(conf, 4), themes, conf < self.threshold, sector,
                                  {c: round(float(p), 4) for c, p in zip(self.classes, row)}))
        return out

    # ----------------------------------------------------------------------- persistence
    def save(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"format": self.VERSION, "sklearn": self.sklearn_version, "data_hash": self.data_hash,
                     "classifier": self}, path, compress=3)
        return path

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> ThemeClassifier:
        """Load an artefact; refuse another format or scikit-learn version."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no theme classifier at {path}: run `constats train`")
        blob = joblib.load(path)
        if not isinstance(blob, dict) or blob.get("format") not in READABLE_FORMATS:
            raise ModelMismatchError(f"{path} has format {blob.get('format') if isinstance(blob, dict) else '?'}"
                                     f", this code reads {', '.join(READABLE_FORMATS)}: run `constats train`")
        if blob.get("sklearn") != sklearn.__version__:
            raise ModelMismatchError(f"{path} was trained with scikit-learn {blob.get('sklearn')}, "
                                     f"installed is {sklearn.__version__}: run `constats train`")
        clf = blob["classifier"]
        clf.format = blob["format"]
        return clf


# --------------------------------------------------------------------------- findings
def heading_vectors(headings: list[str], embedder, cache: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """The embedding of each heading path, each distinct one embedded once (and kept in
    ``cache`` when given); a finding with no heading gets a zero vector, as in training."""
    cache = {} if cache is None else cache
    missing = sorted({h for h in headings if h and h not in cache})
    if missing:
        for h, v in zip(missing, np.asarray(embedder.embed(missing), dtype=np.float32)):
            cache[h] = v
    dim = int(getattr(embedder, "dim", 0) or (next(iter(cache.values())).shape[0] if cache else 0))
    zero = np.zeros(dim, dtype=np.float32)
    return np.vstack([cache[h] if h else zero for h in headings]) if headings else np.zeros((0, dim), np.float32)


def classify_findings(findings: list[Finding], classifier: ThemeClassifier, vectors: np.ndarray | None = None,
                      embedder=None) -> list[Finding]:
    """Fill primary_theme, themes, confidence, low_confidence and sector of each finding.

    Body observations use the path of headings they sit under (``section_path``, as in
    training); recommendations and rappels use the path of the body section they sit in when
    the model was trained so (``reco_heading``), never a list heading (``finding_heading``).
    A model that reads sentence embeddings takes the findings' ``vectors`` (the ones the search
    index stores: the worker computes them once for both) or embeds the texts with ``embedder``;
    one that reads the headings' embeddings embeds each distinct heading of the call once with
    ``embedder`` (the worker calls this once per report). A TF-IDF model needs neither.
    Returns new Finding objects."""
    if not findings:
        return []
    clf = classifier
    reco_heading = getattr(clf, "reco_heading", False)
    headings = [finding_heading(f.kind, f.section_path or [])
                if f.kind in ("observation", "synthese", "suivi") or reco_heading else "" for f in findings]
    texts = [f.text for f in findings]
    head_vectors = None
    if clf.needs_vectors:
        if embedder is not None and clf.embedder_version and getattr(embedder, "version", None) != clf.embedder_version:
            raise ValueError(f"the theme model {clf.version} was trained on the vectors of {clf.embedder_version}, "
                             f"not {getattr(embedder, 'version', None)}")
        if embedder is None and (vectors is None or clf.needs_heading_vectors):
            raise ValueError(f"the theme model {clf.version} reads sentence embeddings: give an embedder "
                             "(and the findings' vectors if they are computed already)")
        if vectors is None:
            vectors = embedder.embed(texts)
        if clf.needs_heading_vectors:
            head_vectors = heading_vectors(headings, embedder)
    preds = clf.predict(texts, [f.kind for f in findings], headings,
                        vectors=vectors if clf.needs_vectors else None, heading_vectors=head_vectors)
    out = []
    for f, p in zip(findings, preds):
        out.append(f.model_copy(update={
            "primary_theme": p.primary, "confidence": p.confidence, "low_confidence": p.low_confidence,
            "themes": [ThemeScore(code=c, score=s) for c, s in p.themes], "sector": p.sector}))
    return out


assert set(THEMES)  # the taxonomy is the label space
