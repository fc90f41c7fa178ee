"""Theme classifier of findings (TAXONOMY.md): primary theme, themes, confidence, sector.

The model is scikit-learn: TF-IDF word and character n-grams of the finding's text, plus the
words of the heading path it sits under when there is one, feeding a multinomial logistic
regression. ``lab.train.themes`` compares it with richer designs (the finding's sentence
embedding as extra features, a two-step lever-or-policy decision, an ensemble) on held-out
reports and chambers, and keeps a richer one only when its gain is beyond the noise (see
models/themes/MODEL_CARD.md). Probabilities are calibrated by a temperature fitted on held-out
predictions; a primary theme whose calibrated probability is below ``threshold`` is marked
``low_confidence``. Secondary themes are the other themes whose probability reaches
``secondary_threshold``. The ``sector`` of a ``politique_publique`` finding comes from a keyword
table (``nlp.sectors``).

The artefact (joblib, models/themes/classifier.joblib, shipped as package data) carries the
format version, the scikit-learn version, a hash of its training data and its held-out scores
(``card()``, published in the export's Table Schema); ``ThemeClassifier.load`` refuses another
format or scikit-learn version with a clear message (retrain with ``constats train``), and the
tests check that the artefact was trained on the labels of the repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

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
FORMAT_VERSION = "themes-3"


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


class ThemeClassifier:
    """The packaged theme model: features (TF-IDF of text and heading path, optionally the
    finding's sentence embedding), a linear model (or a ``TwoStep`` decision), and a temperature
    that calibrates its probabilities (fitted on held-out predictions, ``lab.train``)."""

    VERSION = FORMAT_VERSION

    def __init__(self, featurizer: Featurizer | None, model, classes: list[str], *, threshold: float = 0.45,
                 secondary_threshold: float = 0.25, data_hash: str = "", trained_on: str = "",
                 metrics: dict | None = None, reco_heading: bool = True, temperature: float = 1.0,
                 blocks: tuple[str, ...] = ("tfidf",), use_weight: float = 1.0, embedder_version: str | None = None,
                 design: str = "tfidf"):
        self.featurizer = featurizer
        #: trained with the body-section heading of recommendations and rappels as a feature
        self.reco_heading = reco_heading
        self.model = model
        self.classes = list(classes)
        #: below it (calibrated probability of the primary theme), a finding is ``low_confidence``
        self.threshold = threshold
        self.secondary_threshold = secondary_threshold
        self.temperature = temperature
        #: feature blocks: "tfidf" (text + heading path), "use" (the finding's sentence embedding)
        self.blocks = tuple(blocks)
        self.use_weight = use_weight
        #: the embedder whose vectors the "use" block was trained on (``Embedder.version``)
        self.embedder_version = embedder_version
        self.design = design
        self.data_hash = data_hash
        self.trained_on = trained_on
        #: held-out scores of the design (``lab.train.themes``): shown in the export's schema
        self.metrics = metrics or {}
        self.sklearn_version = sklearn.__version__

    @classmethod
    def from_design(cls, design, **kw) -> ThemeClassifier:
        """The runtime classifier of a fitted ``lab.train.designs.Linear`` whose blocks it serves."""
        if not set(design.blocks) <= {"tfidf", "use"}:
            raise ValueError(f"the runtime serves the tfidf and use blocks, not {design.blocks}")
        embedder = getattr(getattr(design, "emb", None), "embedder", None)
        return cls(design.featurizer, design.model, list(design.model.classes_), blocks=design.blocks,
                   use_weight=design.use_weight, design=design.name,
                   embedder_version=getattr(embedder, "version", None) if "use" in design.blocks else None, **kw)

    @property
    def version(self) -> str:
        """Stored with every classified finding: format and training data."""
        return f"{self.VERSION}+{self.data_hash[:8]}"

    @property
    def needs_vectors(self) -> bool:
        """True when the model reads the findings' sentence embeddings (``predict(vectors=...)``)."""
        return "use" in self.blocks

    def card(self) -> dict:
        """What a user of the themes should know: version, held-out scores, the meaning of
        ``low_confidence`` (shown in the export's Table Schema)."""
        m = self.metrics
        return {"version": self.version, "design": self.design, "trained_on": self.trained_on,
                "low_confidence_below": self.threshold,
                "held_out_by_report": m.get("by_report"), "held_out_by_chamber": m.get("by_chamber"),
                "per_theme_f1": m.get("per_class_f1"), "per_theme_f1_by_chamber": m.get("per_class_f1_by_chamber"),
                "expected_calibration_error": m.get("ece")}

    def features(self, texts: list[str], headings: list[str], vectors: np.ndarray | None = None) -> sp.csr_matrix:
        parts = []
        if "tfidf" in self.blocks:
            assert self.featurizer is not None
            parts.append(self.featurizer.transform(texts, headings))
        if "use" in self.blocks:
            if vectors is None or len(vectors) != len(texts):
                raise ValueError(f"this model ({self.design}) reads the findings' embeddings "
                                 f"({self.embedder_version}): pass vectors=")
            parts.append(sp.csr_matrix(self.use_weight * np.asarray(vectors, dtype=np.float64)))
        return sp.hstack(parts).tocsr()

    def predict_proba(self, texts: list[str], headings: list[str] | None = None,
                      vectors: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities, one row per text, columns in ``classes`` order."""
        headings = headings if headings is not None else [""] * len(texts)
        if len(headings) != len(texts):
            raise ValueError("texts and headings differ in length")
        proba = self.model.predict_proba(self.features(texts, headings, vectors))
        if self.temperature != 1.0:
            logits = np.log(np.clip(proba, 1e-12, 1.0)) / self.temperature
            proba = np.exp(logits - logits.max(axis=1, keepdims=True))
            proba /= proba.sum(axis=1, keepdims=True)
        return proba

    def predict(self, texts: list[str], kinds: list[str] | None = None,
                headings: list[str] | None = None, vectors: np.ndarray | None = None) -> list[Prediction]:
        """Themes of each text. ``headings`` (the heading path a finding is classified with,
        ``nlp.headings.finding_heading``) help; ``kinds`` are accepted for symmetry with the worker."""
        if not texts:
            return []
        headings = [h or "" for h in headings] if headings is not None else [""] * len(texts)
        proba = self.predict_proba(texts, headings, vectors)
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
        if not isinstance(blob, dict) or blob.get("format") != cls.VERSION:
            raise ModelMismatchError(f"{path} has format {blob.get('format') if isinstance(blob, dict) else '?'}"
                                     f", this code reads {cls.VERSION}: run `constats train`")
        if blob.get("sklearn") != sklearn.__version__:
            raise ModelMismatchError(f"{path} was trained with scikit-learn {blob.get('sklearn')}, "
                                     f"installed is {sklearn.__version__}: run `constats train`")
        return blob["classifier"]


# --------------------------------------------------------------------------- findings
def classify_findings(findings: list[Finding], classifier: ThemeClassifier, vectors: np.ndarray | None = None,
                      embedder=None) -> list[Finding]:
    """Fill primary_theme, themes, confidence, low_confidence and sector of each finding.

    Body observations use the path of headings they sit under (``section_path``, as in
    training); recommendations and rappels use the path of the body section they sit in when
    the model was trained so (``reco_heading``), never a list heading (``finding_heading``).
    A model that reads sentence embeddings takes the findings' ``vectors`` (the ones the search
    index stores) or embeds the texts with ``embedder``. Returns new Finding objects."""
    if not findings:
        return []
    clf = classifier
    reco_heading = getattr(clf, "reco_heading", False)
    headings = [finding_heading(f.kind, f.section_path or [])
                if f.kind in ("observation", "synthese", "suivi") or reco_heading else "" for f in findings]
    texts = [f.text for f in findings]
    if clf.needs_vectors and vectors is None:
        if embedder is None:
            raise ValueError(f"the theme model {clf.version} reads sentence embeddings: give vectors or an embedder")
        vectors = embedder.embed(texts)
    preds = clf.predict(texts, [f.kind for f in findings], headings,
                        vectors=vectors if clf.needs_vectors else None)
    out = []
    for f, p in zip(findings, preds):
        out.append(f.model_copy(update={
            "primary_theme": p.primary, "confidence": p.confidence, "low_confidence": p.low_confidence,
            "themes": [ThemeScore(code=c, score=s) for c, s in p.themes], "sector": p.sector}))
    return out


assert set(THEMES)  # the taxonomy is the label space
