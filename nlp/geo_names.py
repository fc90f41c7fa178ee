"""Names of French territorial bodies: normalisation, articles, kinds from a title.

Pure functions, no reference data: ``nlp.geo`` builds its indexes with them.
"""

from __future__ import annotations

import re

from constats.text import fold as fold_text

#: INSEE "type de nom en clair" (TNCC) → article put before the name.
ARTICLES = {0: "", 1: "", 2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}

_LEADING_ARTICLE = re.compile(r"^(le|la|les|l|aux|las|los)\s+")
_ABBREVIATIONS = [
    (re.compile(r"\bste\b"), "sainte"),
    (re.compile(r"\bst\b"), "saint"),
    (re.compile(r"\bstes\b"), "saintes"),
    (re.compile(r"\bsts\b"), "saints"),
]


def fold(text: str) -> str:
    """A name's comparison form: ``constats.text.fold`` keeping letters and digits only."""
    return fold_text(text, words_only=True)


def normalise_name(name: str) -> str:
    """Comparison key of a place name: folded, "St" → "saint", leading article dropped.

    "Le Havre", "Havre", "LE HAVRE" → "havre"; "St-Lô" → "saint lo".
    """
    key = fold(name)
    if "st" in key:
        for pattern, full in _ABBREVIATIONS:
            key = pattern.sub(full, key)
    return _LEADING_ARTICLE.sub("", key)


def full_name(name: str, article: int) -> str:
    """Official name with its article ("Havre", 2 → "Le Havre")."""
    return ARTICLES.get(article, "") + name


# --------------------------------------------------------------------------- body kinds
# Ordered: the first match wins, so specific bodies come before the territory that owns
# them ("CCAS de la commune de X" is a CCAS, "Office de tourisme communautaire" an office).
_KIND_RULES: list[tuple[str, str]] = [
    ("ccas", r"\bcentre (communal|intercommunal) d action sociale\b|\bc[ci]as\b"),
    ("office_tourisme", r"\boffice (de|du|intercommunal de|intercommunal du|communautaire de|municipal de) tourisme\b"
                        r"|\boffice de tourisme\b|\boffice du tourisme\b"),
    ("oph", r"\boffice public (de l )?(habitat|d hlm|hlm|d amenagement)\b|\boph\b|\bopac\b"),
    ("hopital", r"\bcentre hospitalier\b|\bhospitali(er|ere)s?\b|\bhopita(l|ux)\b|\bchu\b|\bchr\b|\bchs\b"
                r"|\bcentre de sante\b"),
    ("association", r"\bassociation\b"),
    ("sem", r"\bsocietes? (anonymes? )?d economie mixte\b|\bsyndicat d economie mixte\b|\bsa?em[ls]?\b"
            r"|\bsocietes? publiques? locales?\b|\bspla?\b|\bsociete d equipement\b"),
    ("syndicat", r"\bsyndicats?\b|\bsivo?m?\b|\bsivu\b|\bsmictom\b|\bsictom\b|\bsmitom\b|\bsyder\b|\bpetr\b"
                 r"|\bpole d equilibre territorial\b"),
    ("epci", r"\bcommunaute (de communes|d agglomeration|urbaine)\b|\bmetropole\b|\bagglomeration\b"
             r"|^(cc|ca|cu)\b|\b(cc|ca|cu)\s"),
    ("departement", r"\bdepartement\b|\bconseil (departemental|general)\b|\bcollectivite territoriale\b"),
    ("region", r"\bregion\b|\bconseil regional\b"),
    ("etablissement_public", r"\betablissement\b|\bepic\b|\bepa\b|\bepcc\b|\bepl\b|\bgip\b"
                             r"|\bgroupement d interet public\b|\bregie\b|\bsdis\b|\bservice departemental d incendie\b"
                             r"|\bcollege\b|\blycee\b|\buniversite\b|\bchambre (de commerce|d agriculture|de metiers)\b"
                             r"|\bcci\b|\bport\b|\bcaisse\b|\bcrous\b|\bcentre de gestion\b|\bmusee\b|\bopera\b"
                             r"|\bconservatoire\b|\bagence\b|\binstitut\b|\becole\b|\bthea?tre\b|\borchestre\b"
                             r"|\behpad\b|\bmaison de retraite\b|\bfoyer\b|\bcentre departemental\b"),
    ("commune", r"\bcommunes?\b|\bville\b|\bmairie\b|\bmunicipalite\b"),
]
_KIND_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in _KIND_RULES]
BODY_KINDS = [kind for kind, _ in _KIND_RULES] + ["autre"]


def body_kind_keyword(title: str) -> str | None:
    """Kind of the audited body from the keywords of a title, or None when none matches."""
    key = fold(title)
    # "Région Aquitaine - Enseignement agricole", "Conseil départemental - X": territory
    # words count only at the start, else "chambre de métiers de la région X" is a region.
    for kind, pattern in _KIND_PATTERNS:
        match = pattern.search(key)
        if not match:
            continue
        if kind in ("departement", "region") and match.start() > 0:
            continue
        return kind
    return None


# --------------------------------------------------------------------------- title parts
_PAREN_TAIL = re.compile(r"\(([^()]*)\)\s*$")
_DASHES = re.compile(r"\s+[-–—]\s+|\s+[-–—]$|^[-–—]\s+")
_COMMUNE_PREFIX = re.compile(
    r"^(commune|ville|mairie|municipalite)\s+(?:(?:de\s+la|de\s+l|des|du|de|d)\b)?\s*", re.IGNORECASE)
_EPCI_PREFIX = re.compile(
    r"^(communaute\s+(de\s+communes|d\s+agglomeration|urbaine)|metropole|cc|ca|cu)\s+"
    r"(?:(?:de\s+la|de\s+l|des|du|de|d)\b)?\s*")


def split_title(title: str) -> tuple[list[str], str | None]:
    """Split a catalogue title into its dash-separated parts and its trailing parenthesis.

    "Commune - Lormont - (Gironde)" → (["Commune", "Lormont"], "Gironde").
    """
    title = title.strip()
    tail = None
    match = _PAREN_TAIL.search(title)
    if match:
        tail = match.group(1).strip() or None
        title = title[: match.start()].strip()
    parts = [part.strip(" -–—\"«»") for part in _DASHES.split(title)]
    return [part for part in parts if part], tail


def commune_core(name: str) -> str:
    """Folded name of a commune without "Commune de", "Ville du"… ("Commune du Teil" → "teil")."""
    key = fold(name)
    key = _COMMUNE_PREFIX.sub("", key)
    return normalise_name(key)


def epci_core(name: str) -> str:
    """Folded name of an EPCI without its legal form ("Communauté de communes du Neuvillois" → "neuvillois")."""
    key = fold(name)
    key = _EPCI_PREFIX.sub("", key)
    return normalise_name(key)


_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille)\s+(\d+)\s*(e|er|eme|ieme)?\s*(arrondissement)?$")


def arrondissement(name: str) -> tuple[str, int] | None:
    """("paris", 15) for "Paris 15e arrondissement", "Paris XVe"? (arabic numerals only)."""
    match = _ARRONDISSEMENT.match(normalise_name(name))
    if not match:
        return None
    return match.group(1), int(match.group(2))
