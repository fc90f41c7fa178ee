"""The seat commune of an audited body that is not itself a commune, and the report's dates.

A CCAS, a hospital, an OPH, a syndicat, an EPCI… is tied to the commune where it sits, so that
the commune's page lists the reports on its satellites (``Body.insee`` of such a body is the
INSEE code of its seat, ``Body.kind`` telling it apart from a commune). The seat is read, in
this order, from:

1. the recipient's address of the notification letter ("… 85300 CHALLANS"), the letter being
   addressed to the body's head at its seat;
2. a seat stated in the text ("dont le siège est à Cholet", "siège social : …");
3. the body's own name ("Centre hospitalier de Sens", "CCAS de Soyaux").

Codes are the reference's current communes: a commune déléguée, associée or an arrondissement
gives its parent (Ancenis → Ancenis-Saint-Géréon, Lyon 3e → Lyon).
"""

from __future__ import annotations

import re
from datetime import date

from nlp.chambers import departement_code
from nlp.geo import commune_by_insee, communes_by_postal_code, find_communes
from nlp.geo_names import normalise_name

LETTER_CHARS = 6000
#: "85300 CHALLANS", "49403 SAUMUR Cedex", "25031 BESANCON Cedex", "44160 Pont-Château", "85 150 …"
_ADDRESS = re.compile(r"\b(?P<cp>\d{5}|\d{2}\s\d{3})\s+(?P<city>[A-ZÉÈÊÀÂÎÔÛÇ][\wÉÈÊÀÂÎÔÛÇéèêàâîôûç'’\- ]{1,40}?)"
                      r"(?=\s*(?:(?i:cedex)\b|\t|\n|$|\s{2}|,|\s-\s))", re.M)
#: lines of the chamber's own address or contacts, never the recipient's
_CHAMBER_LINE = re.compile(r"ccomptes|www\.|greffe|t[ée]l[ée]?phone|\bT\s+0\d|@|chambre\s+r[ée]gionale", re.I)
_SEAT_STATED = re.compile(r"(?:dont\s+le\s+si[èe]ge\s+(?:social\s+)?est\s+(?:situ[ée]\s+)?(?:à|au|en)"
                          r"|si[èe]ge\s+(?:social\s+)?(?:est\s+)?(?:fix[ée]\s+)?(?:à|:))\s+"
                          r"(?P<city>[A-ZÉÈÎ][\w'’\-]+(?:[\s-][\w'’\-]+){0,4})")
#: "Centre hospitalier de Sens", "CCAS de Soyaux", "Office de tourisme de La Baule": the place
_NAME_PLACE = re.compile(r"\b(?:de|du|d['’]|des)\s+(?P<city>(?:(?:La|Le|Les|L['’])\s*)?[A-ZÉÈÎ][\w'’\-]+"
                         r"(?:[\s-](?:sur|sous|en|lès|les|le|la|de|du|des|aux|à|[A-ZÉÈÎ][\w'’]+)){0,5})\s*$")


#: what introduces the place that may end a body's name: "de", "du", "des", "d'", and "à" / a cover's
#: capital "A" ("… » A PERONNE", lowered to "a peronne")
_OF_PLACE = re.compile(r"\b(?:de|du|des)\s+|\bd['’]\s*|(?:^|\s)[àa]\s+")
_PLACE = re.compile(r"(?:(?:La|Le|Les|L['’])\s*)?[A-ZÉÈÎ][\w'’\-]+(?:[\s-](?:sur|sous|en|lès|les|le|la|de|du|des|aux|à"
                    r"|[A-ZÉÈÎ][\w'’]+)){0,5}")


def current_commune(row: dict) -> dict:
    """A commune déléguée / associée / arrondissement → its current parent commune."""
    if row.get("type") in ("COMD", "COMA", "ARM") and row.get("parent"):
        return commune_by_insee(row["parent"]) or row
    return row


def _same_place(city: str, name: str) -> bool:
    a, b = normalise_name(city), normalise_name(name)
    return bool(a) and (a == b or a.replace(" ", "") == b.replace(" ", ""))


#: an address in a table cell too narrow for its words: "8530 0 CHA LLA NS" (85300 CHALLANS)
_BROKEN_ADDRESS = re.compile(r"^\s*(?P<cp>\d(?:\s?\d){4})\s+"
                             r"(?P<city>[^\W\d_][^\W\d_'’\- ]*(?:[\s'’\-]+[^\W\d_]+){0,12})"
                             r"(?:\s+(?:cedex|CEDEX)(?:\s+\d{1,2})?)?\s*$")


#: a code alone in its cell, its city in a cell further on: "44041" … "NANTES CEDEX 1"
_BARE_CODE = re.compile(r"\s*(\d{5})\s*")
_CEDEX_CITY = re.compile(r"^\s*(?P<city>[A-ZÉÈÊÀÂÎÔÛÇ][\wÉÈÊÀÂÎÔÛÇéèêàâîôûç'’\- ]{1,40}?)\s+(?i:cedex)\b")


def _by_address(letter: str, departement: str | None) -> str | None:
    segments = re.split(r"\n|\t| \| ", letter)  # lines, table cells, joined cells
    for i, segment in enumerate(segments):
        if _CHAMBER_LINE.search(segment):
            continue
        bare = _BARE_CODE.fullmatch(segment)
        if bare and (not departement or _cp_in_departement(bare.group(1), departement)):
            for later in segments[i + 1:i + 8]:
                m = _CEDEX_CITY.match(later)
                found = _by_city(m.group("city"), _departement_of(bare.group(1))) if m else None
                if found:
                    return found
            continue
        broken = _BROKEN_ADDRESS.match(segment)
        if broken and " " in broken.group("cp"):
            # the code and the city broken inside their words: the city must then be one of the
            # code's communes, spaces aside (no guess from a broken name)
            cp = broken.group("cp").replace(" ", "")
            if not departement or _cp_in_departement(cp, departement):
                rows = [r for r in communes_by_postal_code(cp) if _same_place(broken.group("city"), r["name"])]
                if rows:
                    return current_commune(rows[0])["code"]
            continue
        for m in _ADDRESS.finditer(segment):
            cp, city = m.group("cp").replace(" ", ""), m.group("city").strip(" -")  # "85 150", "25031 … Cedex"
            if departement and not _cp_in_departement(cp, departement):
                continue
            rows = [r for r in communes_by_postal_code(cp) if _same_place(city, r["name"])]
            if not rows:  # a CEDEX code, or a commune merged since: the city in the code's département
                found = _by_city(city, _departement_of(cp))
                if found:
                    return found
                all_rows = communes_by_postal_code(cp)
                parents = {current_commune(r)["code"] for r in all_rows}
                rows = all_rows if len(parents) == 1 else []
            if rows:
                return current_commune(rows[0])["code"]
    return None


def _departement_of(cp: str) -> str:
    if cp.startswith("97"):
        return cp[:3]
    if cp.startswith("20"):
        return "2A" if cp < "20200" else "2B"
    return cp[:2]


def _cp_in_departement(cp: str, departement: str) -> bool:
    if departement in ("2A", "2B"):
        return cp.startswith("20")
    return cp.startswith(departement[:3] if departement.startswith("97") else departement[:2])


def _by_city(city: str, departement: str | None) -> str | None:
    rows = find_communes(city, departement)
    rows = [r for r in rows if r["type"] in ("COM", "COMD", "COMA", "ARM")]
    parents = {current_commune(r)["code"] for r in rows}
    return next(iter(parents)) if len(parents) == 1 else None


def seat_insee(front: str, body_name: str | None, departement: str | None) -> str | None:
    """INSEE code of the seat commune of a body that is not a commune (see the module doc)."""
    letter = front[:LETTER_CHARS]
    found = _by_address(letter, departement)
    if found:
        return found
    m = _SEAT_STATED.search(front)
    if m:
        found = _by_city(m.group("city"), departement)
        if found:
            return found
    for name in (body_name, *_cover_names(front)):
        found = _by_name(name, departement) if name else None
        if found:
            return found
    return None


#: the cover's title, between "RAPPORT D'OBSERVATIONS DÉFINITIVES" and "(Département)"
_COVER_TITLE = re.compile(r"RAPPORT\s+D.OBSERVATIONS\s+D[ÉE]FINITIVES\s+(?P<title>[^()\n]{3,200}?)\s*\(", re.I)


#: the report's title in the page header beside the chamber's name ("Chambre régionale des comptes
#: Île-de-France | Commune d’Argenteuil"), where a layout prints it instead of on the cover
#: the start of that page header line, up to the cell after the chamber's name (also read by
#: ``nlp.metadata`` for the body's name)
HEADER_AFTER_CHAMBER = r"^chambre\s+r[ée]gionale[^\n\t]*\t\s*"
_HEADER_TITLE = re.compile(HEADER_AFTER_CHAMBER + r"(?P<title>[^\n\t()]{3,120}?)\s*$", re.I | re.M)


def _cover_names(front: str) -> list[str]:
    """The cover's title when the body's name gives no place ("CCAS de la ville de Marseille",
    "Communauté d'agglomération – Colmar – Haut-Rhin"): the title, then each dashed part of it;
    the title in the page header when the cover has none."""
    m = _COVER_TITLE.search(front[:3000]) or _HEADER_TITLE.search(front[:2000])
    if not m:
        return []
    title = re.sub(r"\s+", " ", m.group("title")).strip()
    return [title, *(p.strip() for p in re.split(r"\s[–-]\s", title) if p.strip() != title)]


def _by_name(name: str, departement: str | None) -> str | None:
    if _PLACE.fullmatch(name):  # a dashed part of the cover: "Colmar"
        found = _by_city(name, departement)
        if found:
            return found
    if name:
        name = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
        # every "de X" ending the name, longest first: "communauté de communes du Pays de Challans"
        # is Challans once "Pays de Challans" is no commune; "… interdépartemental de clermont"
        for m in _OF_PLACE.finditer(name):
            tail = name[m.end():]
            if departement_code(tail):
                break  # "… du Territoire de Belfort", "… de la Mayenne": a département, not its seat
            tail = tail[:1].upper() + tail[1:]
            if _PLACE.fullmatch(tail):
                found = _by_city(tail, departement)
                if found:
                    return found
    return None


# --------------------------------------------------------------------------- dates
_MONTHS = {m: i for i, m in enumerate(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(), 1)}
_MONTHS.update({"fevrier": 2, "aout": 8, "decembre": 12})
#: the head of the notification letter: "Le 15 avril 2016", "Nantes, le 12 mai 2016"
_LETTER_DATE = re.compile(r"(?:^|\t|,\s*)\s*le\s+(\d{1,2})(?:er)?\s+(janvier|f[ée]vrier|mars|avril|mai|juin|juillet"
                          r"|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)\s+((?:19|20)\d{2})\s*(?:$|\t)",
                          re.I | re.M)


def letter_date(front: str) -> date | None:
    """The date at the head of the notification letter (the first dated head line)."""
    for m in _LETTER_DATE.finditer(front[:LETTER_CHARS]):
        month = _MONTHS.get(m.group(2).lower()) or _MONTHS.get(m.group(2).lower().replace("é", "e").replace("û", "u"))
        try:
            return date(int(m.group(3)), month or 0, int(m.group(1)))
        except ValueError:
            continue
    return None
