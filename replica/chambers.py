"""Which chamber and which audited body to print on a rendered report's cover.

Only facts the document or its metadata carry are used: the chamber named in the text,
else the regional chamber competent for the département (regions of 1 January 2016, with
their provisional names until the definitive ones of 1 October 2016), else a generic
"Chambre régionale des comptes". Nothing else is invented.
"""

from __future__ import annotations

import re
from datetime import date

GENERIC_CHAMBER = "Chambre régionale des comptes"
COUR = "Cour des comptes"

# region (definitive name, provisional name of 2016) -> départements
_REGIONS: list[tuple[str, str, str]] = [
    ("Auvergne-Rhône-Alpes", "Auvergne, Rhône-Alpes",
     "Ain|Allier|Ardèche|Cantal|Drôme|Isère|Loire|Haute-Loire|Puy-de-Dôme|Rhône|Savoie|"
     "Haute-Savoie|Métropole de Lyon"),
    ("Bourgogne-Franche-Comté", "Bourgogne, Franche-Comté",
     "Côte-d'Or|Doubs|Jura|Nièvre|Haute-Saône|Saône-et-Loire|Yonne|Territoire de Belfort"),
    ("Bretagne", "Bretagne", "Côtes-d'Armor|Finistère|Ille-et-Vilaine|Morbihan"),
    ("Centre-Val de Loire", "Centre-Val de Loire",
     "Cher|Eure-et-Loir|Indre|Indre-et-Loire|Loir-et-Cher|Loiret"),
    ("Grand Est", "Alsace, Champagne-Ardenne, Lorraine",
     "Ardennes|Aube|Marne|Haute-Marne|Meurthe-et-Moselle|Meuse|Moselle|Bas-Rhin|Haut-Rhin|Vosges"),
    ("Hauts-de-France", "Nord-Pas-de-Calais, Picardie", "Aisne|Nord|Oise|Pas-de-Calais|Somme"),
    ("Île-de-France", "Île-de-France",
     "Paris|Seine-et-Marne|Yvelines|Essonne|Hauts-de-Seine|Seine-Saint-Denis|Val-de-Marne|"
     "Val-d'Oise"),
    ("Normandie", "Normandie", "Calvados|Eure|Manche|Orne|Seine-Maritime"),
    ("Nouvelle-Aquitaine", "Aquitaine, Limousin, Poitou-Charentes",
     "Charente|Charente-Maritime|Corrèze|Creuse|Dordogne|Gironde|Landes|Lot-et-Garonne|"
     "Pyrénées-Atlantiques|Deux-Sèvres|Vienne|Haute-Vienne"),
    ("Occitanie", "Languedoc-Roussillon, Midi-Pyrénées",
     "Ariège|Aude|Aveyron|Gard|Haute-Garonne|Gers|Hérault|Lot|Lozère|Hautes-Pyrénées|"
     "Pyrénées-Orientales|Tarn|Tarn-et-Garonne"),
    ("Pays de la Loire", "Pays de la Loire",
     "Loire-Atlantique|Maine-et-Loire|Mayenne|Sarthe|Vendée"),
    ("Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur",
     "Alpes-de-Haute-Provence|Hautes-Alpes|Alpes-Maritimes|Bouches-du-Rhône|Var|Vaucluse"),
    ("Corse", "Corse", "Corse-du-Sud|Haute-Corse"),
    ("La Réunion", "La Réunion", "La Réunion|Réunion|Mayotte"),
]
_PROVISIONAL_UNTIL = date(2016, 10, 1)
_REGIONS_FROM = date(2016, 1, 1)


def _fold(text: str) -> str:
    table = str.maketrans("ÉÈÊËéèêëÎÏîïÔôÛÙûùüÂÀâàÇç’", "EEEEeeeeIIiiOoUUuuuAAaaCc'")
    return re.sub(r"[\s\-]+", " ", text.translate(table)).strip().lower()


_DEPT_TO_REGION = {_fold(d): (final, provisional)
                   for final, provisional, depts in _REGIONS for d in depts.split("|")}


def chamber_for_departement(departement: str | None, on: date | None = None) -> str | None:
    """The regional chamber competent for a département (by name), or None if unknown.

    Before 2016 the chambers had other boundaries: no mapping is attempted then.
    """
    if not departement:
        return None
    region = _DEPT_TO_REGION.get(_fold(departement))
    if region is None:
        return None
    if on is not None and on < _REGIONS_FROM:
        return None
    final, provisional = region
    name = provisional if (on is not None and on < _PROVISIONAL_UNTIL) else final
    if name == "La Réunion":
        return "Chambre régionale des comptes La Réunion-Mayotte"
    return f"Chambre régionale des comptes {name}"


_KNOWN_NAMES = sorted({n for final, prov, _ in _REGIONS for n in (final, prov)} | {
    "Aquitaine, Poitou-Charentes", "Alsace", "Aquitaine", "Midi-Pyrénées", "Languedoc-Roussillon",
    "Centre, Limousin", "Champagne-Ardenne, Lorraine", "Basse-Normandie, Haute-Normandie",
    "Provence-Alpes-Côte d’Azur", "Guadeloupe", "Martinique", "Guyane",
}, key=len, reverse=True)
_TEXT_CHAMBER = re.compile(
    r"chambre régionale des comptes (?:de la |de l['’]|du |des |de |d['’]|)("
    + "|".join(re.escape(n) for n in _KNOWN_NAMES) + r")(?![\w-])",
    re.I,
)


def chamber_from_text(text: str) -> str | None:
    """The chamber a report names in its own text ("La chambre régionale des comptes de …")."""
    match = _TEXT_CHAMBER.search(text)
    if not match:
        return None
    name = next(n for n in _KNOWN_NAMES if n.lower() == match.group(1).lower())
    return f"Chambre régionale des comptes {name}"


def choose_chamber(text: str, departement: str | None, on: date | None,
                   jurisdiction: str | None = None) -> str:
    """Text first, then the département's chamber, then a generic name; the Cour is the Cour."""
    if jurisdiction and jurisdiction.strip().upper() == "COUR DES COMPTES":
        return COUR
    return chamber_from_text(text) or chamber_for_departement(departement, on) or GENERIC_CHAMBER


_TRAILING_DEPT = re.compile(r"\s*-?\s*\(([^()]+)\)\s*$")
_ROD_SUFFIX = re.compile(r"\s*-\s*rapport d['’]observations définitives.*$", re.I)


def body_from_title(title: str, departement: str | None = None) -> tuple[str, str | None]:
    """Audited body and département from a metadata title.

    "Commune - Lormont - (Gironde)" -> ("Commune de Lormont", "Gironde");
    "Centre hospitalier de Ploërmel (Morbihan)" -> ("Centre hospitalier de Ploërmel", "Morbihan").
    """
    name = _ROD_SUFFIX.sub("", title.strip()).strip()
    match = _TRAILING_DEPT.search(name)
    if match and (departement is None or _fold(match.group(1)) == _fold(departement)
                  or _fold(match.group(1)) in _DEPT_TO_REGION):
        departement = departement or match.group(1).strip()
        name = name[: match.start()].strip()
    name = name.strip(" -")
    parts = [p.strip() for p in name.split(" - ") if p.strip()]
    if len(parts) >= 2 and parts[0].lower() in ("commune", "région", "département"):
        place = parts[1]
        if place.startswith("Le "):
            place, article = place[3:], "du "
        elif place.startswith("Les "):
            place, article = place[4:], "des "
        else:
            article = "d’" if place[:1].lower() in "aeiouyéèêâîô" else "de "
        name = f"{parts[0]} {article}{place}" + "".join(f" – {p}" for p in parts[2:])
    elif len(parts) >= 2:
        name = " – ".join(parts)
    return name or title, departement or None
