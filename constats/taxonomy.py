"""The taxonomy of findings (v1): stable codes with their French labels.

Data in code, in one place: the API (`GET /api/taxonomy`), the index and every export
use these codes. See TAXONOMY.md for what each means and how reports mark it.
"""

from __future__ import annotations

VERSION = "1"

KINDS: dict[str, str] = {
    "recommandation": "Recommandation",
    "rappel_au_droit": "Rappel au droit",
    "observation": "Observation",
    "synthese": "Synthèse",
    "suivi": "Suivi d'une recommandation antérieure",
}

THEMES: dict[str, str] = {
    "gouvernance": "Gouvernance, organisation et pilotage",
    "information_budgetaire": "Qualité de l'information budgétaire",
    "fiabilite_comptes": "Fiabilité des comptes",
    "situation_financiere": "Situation financière",
    "ressources_humaines": "Ressources humaines",
    "commande_publique": "Commande publique et achats",
    "gestion_deleguee": "Gestion déléguée et satellites",
    "patrimoine_investissement": "Patrimoine et investissements",
    "intercommunalite": "Compétences, intercommunalité et mutualisation",
    "politique_publique": "Politiques publiques sectorielles",
}

SECTORS: dict[str, str] = {
    "eau": "Eau et assainissement",
    "dechets": "Déchets",
    "tourisme": "Tourisme",
    "social": "Action sociale",
    "logement": "Logement",
    "sante": "Santé",
    "culture": "Culture",
    "transport": "Transports",
    "economie": "Développement économique",
    "autre": "Autre",
}

STATUSES: dict[str, str] = {
    "totalement_mise_en_oeuvre": "Totalement mise en œuvre",
    "en_cours": "En cours de mise en œuvre",
    "non_mise_en_oeuvre": "Non mise en œuvre",
    "sans_objet": "Devenue sans objet",
}

BODY_KINDS: dict[str, str] = {
    "commune": "Commune",
    "epci": "Intercommunalité (EPCI)",
    "departement": "Département",
    "region": "Région",
    "hopital": "Établissement hospitalier",
    "oph": "Office public de l'habitat",
    "sem": "Société d'économie mixte / SPL",
    "ccas": "Centre communal d'action sociale",
    "syndicat": "Syndicat",
    "office_tourisme": "Office de tourisme",
    "association": "Association",
    "etablissement_public": "Autre établissement public",
    "autre": "Autre organisme",
}


def as_dict() -> dict:
    """The whole taxonomy, as served by ``GET /api/taxonomy``."""
    table = lambda d: [{"code": k, "label": v} for k, v in d.items()]  # noqa: E731
    return {
        "version": VERSION,
        "kinds": table(KINDS),
        "themes": table(THEMES),
        "sectors": table(SECTORS),
        "statuses": table(STATUSES),
        "body_kinds": table(BODY_KINDS),
    }
