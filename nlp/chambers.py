"""Départements (names, postal codes) and chambers as reports name them.

The map département → competent chamber is ``nlp.geo_chambers`` (the one table of the
project); this module reads départements and chamber names out of report text. Chamber
names follow the 2016 regions ("CRC Nouvelle-Aquitaine"); chambers named after a former
region in a report's text ("chambre régionale des comptes d'Aquitaine, Limousin,
Poitou-Charentes") are mapped to their 2016 successor by ``chamber_from_name``.
"""

from __future__ import annotations

import re

from nlp import geo_chambers
from nlp.geo_names import fold

DEPARTEMENT_NAMES = {
    "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence", "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes", "09": "Ariège", "10": "Aube", "11": "Aude",
    "12": "Aveyron", "13": "Bouches-du-Rhône", "14": "Calvados", "15": "Cantal", "16": "Charente",
    "17": "Charente-Maritime", "18": "Cher", "19": "Corrèze", "2A": "Corse-du-Sud", "2B": "Haute-Corse",
    "21": "Côte-d'Or", "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne", "25": "Doubs", "26": "Drôme",
    "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère", "30": "Gard", "31": "Haute-Garonne", "32": "Gers",
    "33": "Gironde", "34": "Hérault", "35": "Ille-et-Vilaine", "36": "Indre", "37": "Indre-et-Loire",
    "38": "Isère", "39": "Jura", "40": "Landes", "41": "Loir-et-Cher", "42": "Loire", "43": "Haute-Loire",
    "44": "Loire-Atlantique", "45": "Loiret", "46": "Lot", "47": "Lot-et-Garonne", "48": "Lozère",
    "49": "Maine-et-Loire", "50": "Manche", "51": "Marne", "52": "Haute-Marne", "53": "Mayenne",
    "54": "Meurthe-et-Moselle", "55": "Meuse", "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord",
    "60": "Oise", "61": "Orne", "62": "Pas-de-Calais", "63": "Puy-de-Dôme", "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales", "67": "Bas-Rhin", "68": "Haut-Rhin", "69": "Rhône",
    "70": "Haute-Saône", "71": "Saône-et-Loire", "72": "Sarthe", "73": "Savoie", "74": "Haute-Savoie",
    "75": "Paris", "76": "Seine-Maritime", "77": "Seine-et-Marne", "78": "Yvelines", "79": "Deux-Sèvres",
    "80": "Somme", "81": "Tarn", "82": "Tarn-et-Garonne", "83": "Var", "84": "Vaucluse", "85": "Vendée",
    "86": "Vienne", "87": "Haute-Vienne", "88": "Vosges", "89": "Yonne", "90": "Territoire de Belfort",
    "91": "Essonne", "92": "Hauts-de-Seine", "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
    "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte",
}


#: Words of a chamber's name in a report (old or new region) → 2016 chamber.
_NAME_HINTS = [
    ("CRC Nouvelle-Aquitaine", r"aquitaine|limousin|poitou"),
    ("CRC Occitanie", r"occitanie|languedoc|midi[- ]pyr"),
    ("CRC Auvergne-Rhône-Alpes", r"auvergne|rh[ôo]ne[- ]alpes"),
    ("CRC Grand Est", r"grand[- ]est|alsace|lorraine|champagne"),
    ("CRC Hauts-de-France", r"hauts[- ]de[- ]france|nord[- ]pas|picardie"),
    ("CRC Bourgogne-Franche-Comté", r"bourgogne|franche[- ]comt"),
    ("CRC Normandie", r"normandie"),
    ("CRC Centre-Val de Loire", r"centre|val de loire"),
    ("CRC Provence-Alpes-Côte d'Azur", r"provence|c[ôo]te d.azur|paca"),
    ("CRC Île-de-France", r"[îi]le[- ]de[- ]france"),
    ("CRC Bretagne", r"bretagne"),
    ("CRC Pays de la Loire", r"pays de la loire"),
    ("CRC Corse", r"corse"),
    ("CRC La Réunion", r"r[ée]union|mayotte"),
    ("CRC Guadeloupe", r"guadeloupe|antilles"),
    ("CRC Martinique", r"martinique"),
    ("CRC Guyane", r"guyane"),
]


_BY_FOLDED_NAME = {fold(name): code for code, name in DEPARTEMENT_NAMES.items()}


def chamber_from_name(text: str) -> str | None:
    """The 2016 chamber for a name found in a report ("d'Aquitaine, Poitou-Charentes")."""
    low = text.lower()
    for chamber, rx in _NAME_HINTS:
        if re.search(rx, low):
            return chamber
    return None


def chamber_for_departement(code: str | None) -> str | None:
    """The 2016 chamber of a département code (the project's one table: nlp.geo_chambers)."""
    return geo_chambers.chamber_for_departement(code)


def departement_code(name: str) -> str | None:
    """Code of a département from its name ("Côtes d'Armor", "la Gironde", "Seine Maritime")."""
    folded = fold(re.sub(r"^(?:la|le|les|l['’])\s*", "", name.strip(), flags=re.I))
    return _BY_FOLDED_NAME.get(folded)


def departement_from_postcode(postcode: str) -> str | None:
    """Département code from a postal code ("33305" → "33", "20090" → "2A", "97400" → "974")."""
    if not re.fullmatch(r"\d{5}", postcode):
        return None
    if postcode.startswith("97"):
        return postcode[:3] if postcode[:3] in DEPARTEMENT_NAMES else None
    if postcode.startswith("20"):
        return "2A" if postcode[:3] in ("200", "201") else "2B"
    code = postcode[:2]
    return code if code in DEPARTEMENT_NAMES else None
