"""The learned step: the role of a sentence that may state a recommendation or a rappel.

Rules (``nlp.sentences``) find the sentences where the chamber recommends or recalls; they are
brittle where wording alone cannot decide: a body sentence restating an item of the summary list
is the same finding (not a new one), a "la chambre rappelle" recalls an obligation or only a
fact, a conclusion repeats its section. A small multinomial logistic regression decides the role
of each such sentence — ``recommandation``, ``rappel_au_droit`` or ``none`` — from
layout-independent features (the rules' own verdict among them): the verb and its form, legal
cues, the word overlap with the report's listed items and with earlier sentences, the kind and
heading path of the section, the position in the paragraph and in the report.

It is trained by ``constats train-roles`` (``lab/train/roles.py``) on the gold spans of the
DEVELOPMENT reports only and would ship as ``sentences.json`` under ``models/roles/`` (weights by
feature name, read through ``constats.resources``; inference is a dot product, no scikit-learn at
run time). Measured leave-one-family-out it does not improve the rules (models/roles/EVALUATION.md):
no model is shipped today, and the rules alone decide.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from constats.resources import model_file
from nlp.sentences import LEGAL_CUE, RECALLS_HERE, RECOMMENDS_HERE, sentence_kind

FORMAT = 1
DEFAULT_PATH = model_file("roles", "sentences.json")
LABELS = ("none", "recommandation", "rappel_au_droit")

_STRONG_LEGAL = re.compile(r"\barticles?\b|\bart\.|\bcode\b|\bloi\b|\bd[ée]crets?\b|\bCGCT\b|\binstruction", re.I)
_BINDING = re.compile(r"\bdoi(?:t|vent)\b|\best\s+tenue?\b|\bobligation|\bil\s+appartient\b|\bne\s+(?:peut|saurait)\b",
                      re.I)
_OBJECT = re.compile(r"(?:recommande|préconise|rappelle|recommandé|préconisé|rappelé)\s+(?:donc\s+)?"
                     r"(?:à|au|aux)\s", re.I)
_NEGATION = re.compile(r"\bne\s+(?:lui\s+)?(?:recommande|rappelle)|\bn['’]est\s+pas", re.I)
#: words too frequent in findings to tell one from another (left out of ``stems``)
STOP_WORDS = frozenset(
    "dans pour avec sans sous entre cette ces leur leurs elle elles afin ainsi plus moins être avoir "
    "faire mettre place celle celui ceux dont tout tous toute toutes chambre commune recommande "
    "rappelle également notamment".split())
_PREFIX = re.compile(r"^.{0,160}?\b(?:recommand|préconis|rappel)\w*\s+(?:[àa]\s+[^,]{0,80}?\s+)?"
                     r"(?:de\s+|d['’]|que\s+|qu['’])", re.I)


def stems(text: str) -> frozenset[str]:
    """Content words cut to six letters, the "la chambre recommande à … de" prefix left out."""
    text = _PREFIX.sub("", text)
    return frozenset(w[:6] for w in re.findall(r"[^\W\d_]{4,}", text.lower()) if w not in STOP_WORDS)


@dataclass
class SentenceContext:
    """Where a candidate sentence stands (filled by ``nlp.findings``)."""

    section_kind: str
    heading_path: list[str] = field(default_factory=list)
    first_in_paragraph: bool = False
    last_in_paragraph: bool = False
    last_paragraph_of_section: bool = False
    paragraph_chars: int = 0
    position: float = 0.0  # offset / length of the report's text


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value >= e for e in edges)


def _overlaps(words: frozenset[str], others: list[frozenset[str]]) -> tuple[float, float, int]:
    best_min = best_jacc = 0.0
    best_cnt = 0
    for o in others:
        if not o or not words:
            continue
        inter = len(words & o)
        best_min = max(best_min, inter / min(len(words), len(o)))
        best_jacc = max(best_jacc, inter / len(words | o))
        best_cnt = max(best_cnt, inter)
    return best_min, best_jacc, best_cnt


def features(sentence: str, ctx: SentenceContext, listed: list[frozenset[str]], numbered: int,
             earlier: list[frozenset[str]]) -> dict[str, float]:
    """Layout-independent features of one candidate sentence (see the module doc)."""
    f: dict[str, float] = {"bias": 1.0}
    rule = sentence_kind(sentence)
    f[f"rule={rule or 'none'}"] = 1.0
    rec = RECOMMENDS_HERE.search(sentence)
    recall = RECALLS_HERE.search(sentence)
    if rec:
        verb = rec.group(0).lower()
        f["verb=impersonal" if verb.startswith(("il ", "est-il")) else "verb=chamber"] = 1.0
        f["verb=preconise" if "préconis" in verb else "verb=recommande"] = 1.0
    if recall:
        f["recall"] = 1.0
        f["recall=impersonal" if recall.group(0).lower().startswith("il ") else "recall=chamber"] = 1.0
        after = sentence[recall.end():]
        f["legal_cue"] = float(bool(LEGAL_CUE.search(after)))
        f["strong_legal"] = float(bool(_STRONG_LEGAL.search(after)))
        f["binding"] = float(bool(_BINDING.search(after)))
    f["object"] = float(bool(_OBJECT.search(sentence)))
    f["ends_colon"] = float(sentence.rstrip().endswith(":"))
    f["negation"] = float(bool(_NEGATION.search(sentence)))
    words = stems(sentence)
    ov_min, ov_jacc, ov_cnt = _overlaps(words, listed)
    f["listed_overlap"] = ov_min
    f["listed_jaccard"] = ov_jacc
    f[f"listed_shared={min(ov_cnt, 6)}"] = 1.0
    f[f"listed_overlap>={_bucket(ov_min, (0.2, 0.34, 0.5, 0.7))}"] = 1.0
    f[f"n_listed={_bucket(len(listed), (1, 4, 11))}"] = 1.0
    f["has_numbered"] = float(numbered > 0)
    e_min, e_jacc, _ = _overlaps(words, earlier)
    f["earlier_overlap"] = e_min
    f[f"earlier_overlap>={_bucket(e_min, (0.34, 0.5, 0.7))}"] = 1.0
    f[f"section={ctx.section_kind}"] = 1.0
    path = " > ".join(ctx.heading_path).lower()
    for word in ("recommandation", "conclusion", "suivi", "rappel", "synth", "procédure", "observations"):
        if word in path:
            f[f"path:{word}"] = 1.0
    f["first_in_paragraph"] = float(ctx.first_in_paragraph)
    f["last_in_paragraph"] = float(ctx.last_in_paragraph)
    f["last_paragraph_of_section"] = float(ctx.last_paragraph_of_section)
    f["alone_in_paragraph"] = float(ctx.first_in_paragraph and ctx.last_in_paragraph)
    f[f"chars={_bucket(len(sentence), (80, 160, 300))}"] = 1.0
    f[f"position={_bucket(ctx.position, (0.15, 0.5, 0.85))}"] = 1.0
    return f


class RoleModel:
    """Weights of the multinomial logistic regression, by label and feature name."""

    def __init__(self, weights: dict[str, dict[str, float]], meta: dict | None = None):
        self.weights = weights
        self.meta = meta or {}

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        scores = {label: sum(w.get(name, 0.0) * value for name, value in feats.items())
                  for label, w in self.weights.items()}
        top = max(scores.values())
        exp = {label: math.exp(s - top) for label, s in scores.items()}
        total = sum(exp.values())
        return {label: v / total for label, v in exp.items()}

    def role(self, feats: dict[str, float]) -> str:
        probs = self.probabilities(feats)
        return max(probs, key=lambda label: probs[label])

    def best_item(self, feats: dict[str, float]) -> tuple[str, float]:
        """The likelier of the two item roles and its probability."""
        probs = self.probabilities(feats)
        role = max(("recommandation", "rappel_au_droit"), key=lambda label: probs.get(label, 0.0))
        return role, probs.get(role, 0.0)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"format": FORMAT, **self.meta, "weights": self.weights}, ensure_ascii=False,
                                   indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> RoleModel:
        blob = json.loads(Path(path).read_text(encoding="utf-8"))
        if blob.get("format") != FORMAT:
            raise ValueError(f"{path}: format {blob.get('format')!r}, expected {FORMAT}")
        weights = blob.pop("weights")
        return cls(weights, blob)


@lru_cache(maxsize=1)
def default_model() -> RoleModel | None:
    """The packaged model, or ``None`` when it is absent (the rules alone decide then)."""
    return RoleModel.load(DEFAULT_PATH) if DEFAULT_PATH.is_file() else None
