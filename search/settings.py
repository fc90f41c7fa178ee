"""Index settings as data: three indexes, ``{prefix}-findings``, ``-reports``, ``-bodies``.

``apply_settings`` compares what Meilisearch has with what is declared here and patches only
the difference (and waits for the task), so it is idempotent and cheap at every start.

Choices, measured in search/EVALUATION.md:
- ``lemmas`` (a spaCy-lemmatised copy of the text) is searchable after the text: an exact
  form ranks first (``attribute`` rule), a lemma-only match still finds the finding
  ("provision" finds "provisionner");
- French stop words, minus every word that appears inside a multi-word synonym: a synonym
  containing a stop word returns 0 hits in Meilisearch (checked by tests);
- synonyms are looked up on query n-grams of at most 3 words, so a longer expansion
  ("délégation de service public") only works from the acronym to the phrase; the other
  direction is served document-side (``documents.expand_acronyms`` adds the acronym to the
  lemmas of a text that spells the phrase out);
- typo tolerance is off on codes (INSEE, SIREN, postal codes, numbers) and on numbers, so
  "33063" never matches "33064";
- ranking rules: see ``FINDINGS_RANKING_RULES``, chosen by the retrieval evaluation.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from constats.text import fold
from search.client import MeiliClient

EMBEDDER = "default"

# ---------------------------------------------------------------------------- vocabulary
FRENCH_STOP_WORDS: tuple[str, ...] = (
    "a", "à", "ai", "au", "aux", "avec", "c", "ce", "ces", "cet", "cette", "d", "dans", "de",
    "des", "du", "elle", "elles", "en", "est", "et", "été", "être", "eu", "il", "ils", "j", "l",
    "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "mes", "n", "ne", "ni",
    "nos", "notre", "nous", "on", "ont", "ou", "par", "pas", "pour", "qu", "que", "qui", "s",
    "sa", "se", "ses", "son", "sont", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un",
    "une", "vos", "votre", "vous", "y",
)

#: Groups of equivalent expressions (each expression ≤ 3 words unless it is only a target).
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("dsp", "délégation de service public"),
    ("epci", "intercommunalité", "établissement public de coopération intercommunale"),
    ("rh", "ressources humaines"),
    ("1607 heures", "temps de travail", "1 607 heures"),
    ("rifseep", "régime indemnitaire"),
    ("dob", "débat d'orientation budgétaire"),
    ("rob", "rapport d'orientation budgétaire"),
    ("caf", "capacité d'autofinancement"),
    ("ppi", "plan pluriannuel d'investissement"),
    ("sem", "société d'économie mixte"),
    ("spl", "société publique locale"),
    ("ccas", "centre communal d'action sociale"),
    ("marchés publics", "commande publique"),
    ("rar", "restes à réaliser"),
)

def _tokens(expr: str) -> list[str]:
    return [w for w in expr.replace("'", " ").replace("’", " ").replace("/", " ").split() if w]


#: Acronyms whose spelled-out form is longer than Meilisearch's 3-word synonym window.
LONG_EXPANSIONS: dict[str, str] = {
    group[0]: phrase for group in SYNONYM_GROUPS for phrase in group[1:] if len(_tokens(phrase)) > 3
}


def synonym_words() -> set[str]:
    words: set[str] = set()
    for group in SYNONYM_GROUPS:
        for expr in group:
            words.update(_tokens(expr))
    return words


def stop_words() -> list[str]:
    """French stop words, except those used inside a synonym (they would make it match nothing)."""
    used = {fold(w) for w in synonym_words()}
    return sorted(w for w in FRENCH_STOP_WORDS if fold(w) not in used)


def synonyms() -> dict[str, list[str]]:
    """Bidirectional synonyms (``{expr: [others]}``), keys lower-cased."""
    out: dict[str, list[str]] = {}
    for group in SYNONYM_GROUPS:
        for expr in group:
            out[expr.lower()] = [e.lower() for e in group if e != expr]
    return out


# ---------------------------------------------------------------------------- findings
#: Measured on the corpus (search/EVALUATION.md): lemmas searchable lift MRR on queries in
#: dictionary form from 0.65 to 0.94; ``typo`` must stay before ``proximity`` (swapping them
#: costs 0.07 MRR on two-word queries, dropping it 0.11); ``exactness`` before ``attribute``
#: was the best of the orders tried (within noise of Meilisearch's default). ``sort`` comes
#: right after ``words``: it is a no-op without an explicit sort, and when a user asks for
#: the most recent findings they get every finding with all their words, newest first,
#: rather than a relevance order where the date only breaks ties.
FINDINGS_RANKING_RULES = ["words", "sort", "typo", "proximity", "exactness", "attribute"]

CODE_ATTRIBUTES = ["insee", "siren", "epci_siren", "postal_codes", "number", "departement",
                   "report_id", "id"]

#: Typo tolerance on text, chosen by ``lab.evaluate.ranking.typo_evaluation`` (search/EVALUATION.md):
#: one typo from 6 letters, two from 10 (Meilisearch: 5 and 9). Misspelt queries are found
#: almost as well (MRR 0.969 vs 0.972), and the results that match only through a typo fall
#: from 38.5 % to 27.4 % on two-word queries: "prime" no longer matches "prise", nor "terme"
#: "terne".
TEXT_TYPO_TOLERANCE: dict[str, Any] = {
    "enabled": True, "minWordSizeForTypos": {"oneTypo": 6, "twoTypos": 10},
    "disableOnAttributes": CODE_ATTRIBUTES, "disableOnNumbers": True, "disableOnWords": []}

FINDINGS_SETTINGS: dict[str, Any] = {
    "searchableAttributes": ["text", "lemmas", "section_path", "number", "body_name",
                             "report_title", "insee", "siren", "postal_codes"],
    "filterableAttributes": ["chamber", "region", "departement", "body_kind", "insee", "siren",
                             "epci_siren", "postal_codes", "year", "kind", "primary_theme",
                             "themes", "status", "low_confidence", "report_id", "sector"],
    "sortableAttributes": ["year", "date", "page"],
    "displayedAttributes": ["*"],
    "rankingRules": FINDINGS_RANKING_RULES,
    "typoTolerance": TEXT_TYPO_TOLERANCE,
    "faceting": {"maxValuesPerFacet": 200, "sortFacetValuesBy": {"*": "count"}},
    "pagination": {"maxTotalHits": 1000},
}

REPORTS_SETTINGS: dict[str, Any] = {
    "searchableAttributes": ["title", "body_name", "chamber", "insee", "siren", "postal_codes",
                             "synthese"],
    "filterableAttributes": ["chamber", "region", "departement", "body_kind", "insee", "siren",
                             "epci_siren", "postal_codes", "year", "related_codes", "record"],
    "sortableAttributes": ["year", "date"],
    "displayedAttributes": ["*"],
    "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
    "typoTolerance": TEXT_TYPO_TOLERANCE,
    "faceting": {"maxValuesPerFacet": 200, "sortFacetValuesBy": {"*": "count"}},
    "pagination": {"maxTotalHits": 1000},
}

#: Bodies: typo-tolerant lookup by name; codes exact. ``population`` breaks ties so that
#: "Saint-Denis" shows the large commune first.
BODIES_SETTINGS: dict[str, Any] = {
    "searchableAttributes": ["name", "postal_codes", "insee", "siren", "departement_name"],
    "filterableAttributes": ["kind", "departement", "region", "insee", "siren", "epci_siren",
                             "postal_codes"],
    "sortableAttributes": ["population", "name"],
    "displayedAttributes": ["*"],
    "rankingRules": ["words", "typo", "exactness", "proximity", "attribute", "population:desc",
                     "sort"],
    "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8},
                      "disableOnAttributes": ["postal_codes", "insee", "siren"],
                      "disableOnNumbers": True, "disableOnWords": []},
    "pagination": {"maxTotalHits": 1000},
}


def index_names(prefix: str) -> dict[str, str]:
    return {"findings": f"{prefix}-findings", "reports": f"{prefix}-reports",
            "bodies": f"{prefix}-bodies"}


def declared_settings(kind: str, dim: int | None) -> dict[str, Any]:
    """The full settings of one index kind (``findings``, ``reports``, ``bodies``)."""
    base = {"findings": FINDINGS_SETTINGS, "reports": REPORTS_SETTINGS,
            "bodies": BODIES_SETTINGS}[kind]
    settings = {**base, "stopWords": stop_words(), "synonyms": synonyms()}
    if kind == "bodies":
        settings["stopWords"] = []  # "Saint-Martin-de-la-Mer": every word counts in a name
        settings["synonyms"] = {}
    if kind == "findings" and dim:
        settings["embedders"] = {EMBEDDER: {"source": "userProvided", "dimensions": dim}}
    return settings


def _normalise(value: Any) -> Any:
    """Unicode-NFC strings all the way down (Meilisearch may answer "été" decomposed)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_normalise(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


_UNORDERED = {"filterableAttributes", "sortableAttributes", "stopWords", "disableOnAttributes",
              "disableOnWords"}


def _same(key: str, current: Any, wanted: Any) -> bool:
    current, wanted = _normalise(current), _normalise(wanted)
    if isinstance(wanted, dict):
        if not isinstance(current, dict):
            return False
        if key == "synonyms":
            return ({k: sorted(v) for k, v in current.items()}
                    == {k: sorted(v) for k, v in wanted.items()})
        return all(_same(k, current.get(k), v) for k, v in wanted.items())
    if key in _UNORDERED and isinstance(wanted, list) and isinstance(current, list):
        return sorted(map(str, current)) == sorted(map(str, wanted))
    return current == wanted


def settings_diff(current: dict, wanted: dict) -> dict:
    """The part of ``wanted`` that differs from ``current`` (top-level keys)."""
    return {k: v for k, v in wanted.items() if not _same(k, current.get(k), v)}


def apply_index_settings(client: MeiliClient, uid: str, wanted: dict, *,
                         timeout: float = 600.0) -> dict:
    """Create the index if needed and patch what differs. Returns the patch (empty: no-op)."""
    client.ensure_index(uid)
    patch = settings_diff(client.get_settings(uid), wanted)
    if patch:
        client.update_settings(uid, patch, timeout=timeout)
    return patch


def apply_settings(client: MeiliClient, prefix: str, dim: int | None) -> dict[str, dict]:
    """Apply the declared settings to the three indexes; returns what was changed per index."""
    names = index_names(prefix)
    return {kind: apply_index_settings(client, uid, declared_settings(kind, dim))
            for kind, uid in names.items()}
