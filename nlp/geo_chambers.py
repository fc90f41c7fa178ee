"""Which chambre régionale / territoriale des comptes is competent for a département.

Two maps: the regional chambers since 1 January 2016 (one per region of the 2016 map;
during 2016 some chambers still used transitional names such as "Aquitaine, Limousin,
Poitou-Charentes": we use the final names), and the 2012–2015 map (décret 2012-255, which
grouped the old regions two by two). Overseas: the Antilles-Guyane chambers are three
chambers sharing one seat; Mayotte and the collectivités d'outre-mer have chambres
territoriales (CTC). Corsica has a regional chamber ("CRC Corse").
"""

from __future__ import annotations

import re

from nlp.geo_names import fold

CHAMBERS_2016 = {
    "Auvergne-Rhône-Alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "Bourgogne-Franche-Comté": "21 25 39 58 70 71 89 90",
    "Bretagne": "22 29 35 56",
    "Centre-Val de Loire": "18 28 36 37 41 45",
    "Corse": "2A 2B",
    "Grand Est": "08 10 51 52 54 55 57 67 68 88",
    "Hauts-de-France": "02 59 60 62 80",
    "Île-de-France": "75 77 78 91 92 93 94 95",
    "Normandie": "14 27 50 61 76",
    "Nouvelle-Aquitaine": "16 17 19 23 24 33 40 47 64 79 86 87",
    "Occitanie": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "Pays de la Loire": "44 49 53 72 85",
    "Provence-Alpes-Côte d'Azur": "04 05 06 13 83 84",
    "Guadeloupe": "971",
    "Martinique": "972",
    "Guyane": "973",
    "La Réunion": "974",
}
CHAMBERS_2012 = {
    "Alsace": "67 68",
    "Aquitaine, Poitou-Charentes": "16 17 24 33 40 47 64 79 86",
    "Auvergne, Rhône-Alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "Basse-Normandie, Haute-Normandie": "14 27 50 61 76",
    "Bourgogne, Franche-Comté": "21 25 39 58 70 71 89 90",
    "Bretagne": "22 29 35 56",
    "Centre, Limousin": "18 19 23 28 36 37 41 45 87",
    "Champagne-Ardenne, Lorraine": "08 10 51 52 54 55 57 88",
    "Corse": "2A 2B",
    "Île-de-France": "75 77 78 91 92 93 94 95",
    "Languedoc-Roussillon, Midi-Pyrénées": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "Nord-Pas-de-Calais, Picardie": "02 59 60 62 80",
    "Pays de la Loire": "44 49 53 72 85",
    "Provence-Alpes-Côte d'Azur": "04 05 06 13 83 84",
    "Guadeloupe": "971",
    "Martinique": "972",
    "Guyane": "973",
    "La Réunion": "974",
}
TERRITORIAL = {
    "976": "CTC Mayotte",
    "975": "CTC Saint-Pierre-et-Miquelon",
    "977": "CTC Saint-Barthélemy",
    "978": "CTC Saint-Martin",
    "987": "CTC Polynésie française",
    "988": "CTC Nouvelle-Calédonie",
}


def _invert(table: dict[str, str]) -> dict[str, str]:
    return {dep: f"CRC {name}" for name, deps in table.items() for dep in deps.split()}


_BY_DEP_2016 = _invert(CHAMBERS_2016) | TERRITORIAL
_BY_DEP_2012 = _invert(CHAMBERS_2012) | TERRITORIAL


def chamber_for_departement(code: str | None, year: int | None = None) -> str | None:
    """Competent chamber for a département code ("33" → "CRC Nouvelle-Aquitaine").

    ``year`` before 2016 selects the 2012–2015 map ("CRC Aquitaine, Poitou-Charentes").
    """
    if not code:
        return None
    code = code.strip().upper()
    if len(code) == 1 and code.isdigit():
        code = "0" + code
    table = _BY_DEP_2012 if year is not None and year < 2016 else _BY_DEP_2016
    return table.get(code)


#: Names used during 2016, before the regions had their final names.
TRANSITIONAL_2016 = {
    "CRC Aquitaine, Limousin, Poitou-Charentes": "CRC Nouvelle-Aquitaine",
    "CRC Alsace, Champagne-Ardenne, Lorraine": "CRC Grand Est",
    "CRC Nord-Pas-de-Calais, Picardie": "CRC Hauts-de-France",
    "CRC Languedoc-Roussillon, Midi-Pyrénées": "CRC Occitanie",
    "CRC Centre-Val de Loire": "CRC Centre-Val de Loire",
}
#: The 2016 successor of each 2012–2015 chamber whose territory passed to a single new chamber
#: ("Centre, Limousin" split between Centre-Val de Loire and Nouvelle-Aquitaine: no successor).
SUCCESSOR_2016 = {
    "CRC Alsace": "CRC Grand Est",
    "CRC Aquitaine, Poitou-Charentes": "CRC Nouvelle-Aquitaine",
    "CRC Auvergne, Rhône-Alpes": "CRC Auvergne-Rhône-Alpes",
    "CRC Basse-Normandie, Haute-Normandie": "CRC Normandie",
    "CRC Bourgogne, Franche-Comté": "CRC Bourgogne-Franche-Comté",
    "CRC Champagne-Ardenne, Lorraine": "CRC Grand Est",
    "CRC Languedoc-Roussillon, Midi-Pyrénées": "CRC Occitanie",
    "CRC Nord-Pas-de-Calais, Picardie": "CRC Hauts-de-France",
} | {name: successor for name, successor in TRANSITIONAL_2016.items()}
ALL_CHAMBERS = sorted(set(_BY_DEP_2016.values()) | set(_BY_DEP_2012.values()) | set(TRANSITIONAL_2016))
def _key(name: str) -> str:
    """Folded chamber name; a comma reads as "et" so that "Bourgogne, Franche-Comté" (2012)
    and "Bourgogne-Franche-Comté" (2016) stay distinct."""
    return fold(name.replace(",", " et "))


_FOLDED = {_key(name[4:]): name for name in ALL_CHAMBERS}
_PREFIX = re.compile(
    r"^(la\s+)?(chambres?\s+(regionales?|territoriales?)\s+des\s+comptes|crc|ctc|crtc)\s*(de\s+la|de\s+l|des|du|de|d)?\s*")


def same_chamber(a: str | None, b: str | None) -> bool:
    """Whether two chamber names designate the same institution, allowing for the 2016
    renaming ("CRC Aquitaine, Poitou-Charentes" ≡ "CRC Nouvelle-Aquitaine")."""
    def lineage(name: str | None) -> str | None:
        name = canonical_chamber(name) or name
        return SUCCESSOR_2016.get(name, name) if name else None

    return a is not None and b is not None and lineage(a) == lineage(b)


def canonical_chamber(text: str | None) -> str | None:
    """Canonical name of a chamber as written in a report or a listing, or None.

    "Chambre régionale des comptes de Nouvelle-Aquitaine", "CRC NOUVELLE-AQUITAINE"
    → "CRC Nouvelle-Aquitaine". Accepts "et" for the comma of the 2012 names.
    """
    if not text:
        return None
    key = _PREFIX.sub("", _key(text))
    return _FOLDED.get(key)
