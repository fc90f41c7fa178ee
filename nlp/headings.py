"""Heading paths as features of the theme classifier (runtime, shared with training).

A finding is classified with the heading path it sits under (``finding_heading``), and a
body heading's words name a theme often enough that the keyword table
``WEAK_HEADING_THEMES`` adds a token for it (``weak_theme``); training (``lab.train``) and
``nlp.classify`` go through the same functions.
"""

from __future__ import annotations

import re
import unicodedata

#: A heading that titles a list of recommendations or the summary, not a body section.
LIST_SECTION = re.compile(r"^\W*(?:[\dIVXivx]+\W+)?(?:synth[eè]se|recommandations?|rappels?|r[ée]capitulatif"
                          r"|liste des (?:recommandations|rappels)|tableau des recommandations)\b", re.I)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ").replace("\t", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def finding_heading(kind: str, path: list[str]) -> str:
    """The heading path a finding is classified with, as one string "A > B".

    Observations (and synthese/suivi items) get the path of headings they sit under. A
    recommendation or rappel gets the path of the BODY section it sits in, and none when it
    stands in a list (the summary, a "Recommandations" section): there its heading says nothing
    of its theme. Training, evaluation and ``classify_findings`` all go through here."""
    parts = [p.strip() for p in path if p and p.strip()]
    if kind in ("recommandation", "rappel_au_droit") and any(LIST_SECTION.match(p) for p in parts):
        return ""
    return " > ".join(parts)


# --------------------------------------------------------------------------- weak labels
#: Keyword (in a normalised body heading) → theme. Ordered: the first match wins.
WEAK_HEADING_THEMES: list[tuple[str, str]] = [
    (r"commande publique|march[eé]s? publics?|achats?\b", "commande_publique"),
    (r"d[eé]l[eé]gation de service public|\bdsp\b|concession|affermage|satellite|\bsem\b|\bspl\b"
     r"|subventions? aux associations|relations? avec les associations", "gestion_deleguee"),
    (r"ressources humaines|personnel|temps de travail|r[eé]gime indemnitaire|r[eé]mun[eé]ration"
     r"|effectifs|absent[eé]isme|1 ?607|heures suppl", "ressources_humaines"),
    (r"fiabilit[eé] des comptes|provisions?|amortissements?|rattachement|inventaire|r[eé]gies?\b"
     r"|restes? [aà] r[eé]aliser|qualit[eé] comptable", "fiabilite_comptes"),
    (r"information budg[eé]taire|information financi[eè]re|d[eé]bat d.orientation|pr[eé]visions? budg"
     r"|ex[eé]cution budg|qualit[eé] budg|budgets? annexes?|documents budg", "information_budgetaire"),
    (r"situation financi[eè]re|analyse financi[eè]re|endettement|\bdette\b|capacit[eé] d.autofinancement"
     r"|fiscalit[eé]|tr[eé]sorerie|prospective|[eé]pargne", "situation_financiere"),
    (r"intercommunal|mutualisation|transferts? de comp[eé]tences?|attributions? de compensation"
     r"|pacte financier", "intercommunalite"),
    (r"patrimoine|investissements?|travaux|immobili|[eé]quipements?", "patrimoine_investissement"),
    (r"gouvernance|organisation|pilotage|contr[oô]le interne|syst[eè]mes? d.information|d[eé]l[eé]gations?"
     r"|instances?", "gouvernance"),
    (r"\beau\b|assainissement|d[eé]chets|ordures|tourisme|culture|logement|social|sociale|h[oô]pital"
     r"|soins|transports?|d[eé]veloppement [eé]conomique|scolaire|petite enfance|sport", "politique_publique"),
]
_WEAK = [(re.compile(p), t) for p, t in WEAK_HEADING_THEMES]


def weak_theme(heading_path: list[str]) -> str | None:
    """Theme said by the nearest heading (deepest first) that matches the keyword table."""
    for text in reversed(heading_path):
        t = normalise(text)
        for rx, theme in _WEAK:
            if rx.search(t):
                return theme
    return None
