"""Which chamber and which audited body to print on a rendered report's cover.

Only facts the document or its metadata carry are used: the chamber named in the text,
else the regional chamber competent for the département (regions of 1 January 2016, with
their provisional names until the definitive ones of 1 October 2016), else a generic
"Chambre régionale des comptes". Nothing else is invented.
"""

from __future__ import annotations

import re
from datetime import date

from constats.text import fold
from nlp import geo_chambers
from nlp.geo import departement_code

GENERIC_CHAMBER = "Chambre régionale des comptes"
COUR = "Cour des comptes"

# One table of chambers for the whole project: nlp.geo_chambers (département code → chamber).
_PROVISIONAL_UNTIL = date(2016, 10, 1)
_REGIONS_FROM = date(2016, 1, 1)
#: final 2016 name → the name used until the regions were named (1 October 2016)
_PROVISIONAL = {final: transitional for transitional, final in geo_chambers.TRANSITIONAL_2016.items()}


def chamber_for_departement(departement: str | None, on: date | None = None) -> str | None:
    """The regional chamber competent for a département (by name or code), or None if unknown.

    Before 2016 the chambers had other boundaries: no mapping is attempted then.
    """
    if not departement or (on is not None and on < _REGIONS_FROM):
        return None
    short = geo_chambers.chamber_for_departement(departement_code(departement) or "")
    if short is None:
        return None
    if on is not None and on < _PROVISIONAL_UNTIL:
        short = _PROVISIONAL.get(short, short)
    kind = "territoriale" if short.startswith("CTC") else "régionale"
    return f"Chambre {kind} des comptes {short[4:]}"


_KNOWN_NAMES = sorted({name[4:] for name in geo_chambers.ALL_CHAMBERS if name.startswith("CRC ")} | {
    "Aquitaine", "Midi-Pyrénées", "Languedoc-Roussillon", "Provence-Alpes-Côte d’Azur",
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
    if match and (departement is None or fold(match.group(1), words_only=True) == fold(departement, words_only=True)
                  or departement_code(match.group(1)) is not None):
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
