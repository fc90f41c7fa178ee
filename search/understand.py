"""Query understanding: identifiers typed in the search box become filters, when they are
plainly identifiers, and the caller shows every one of them.

"Lormont 2015", "33063 dette", "SIREN 200 067 213": an INSEE code (5 digits, or 2A/2B and
3 digits for Corsica), a postal code, a SIREN (9 digits; spaced groups only after the word
"SIREN", since "150 000 000" is an amount) and a year (1950-2049) are removed from the text
and returned as filters, so that the words left are matched against the findings and the
codes against the metadata (exactly: typo tolerance is off on codes).

A number is part of the TEXT, never a filter, when its context says so:
- a year inside a date ("décret du 12 juillet 2001", "1er janvier 2016"), after the name of
  a legal text or of a period ("loi NOTRé 2015", "exercice 2014", "budget 2016", "depuis
  2012"), or in a range ("2012-2016", "2012 à 2016");
- a number followed by a unit ("15000 euros", "1607 heures", "12000 habitants");
- anything between double quotes;
- everything, when the caller asks for the words as typed (``literal``).

A 5-digit number is an INSEE code or a postal code (33000 is Bordeaux's postal code,
33063 its INSEE code): it filters on either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from constats.text import fold

_SIREN = re.compile(r"(?<![\w-])(\d{9})(?![\w-])")
# spaced groups ("200 067 213") only after the word SIREN: "150 000 000" is an amount
_SIREN_LABELLED = re.compile(r"(?i)\bsiren\s*:?\s*(\d{3})[ \u00a0]?(\d{3})[ \u00a0]?(\d{3})(?![\w-])")
_CORSICA = re.compile(r"(?<![\w-])(2[ABab]\d{3})(?![\w-])")
_FIVE = re.compile(r"(?<![\w-])(\d{5})(?![\w-])")
_YEAR = re.compile(r"(?<![\w-])((?:19[5-9]|20[0-4])\d)(?![\w-])")
_LABELS = re.compile(r"(?i)\b(?:insee|code postal|cp|ann[ée]e)\s*:?\s*(?=\d|2[ab])")
_QUOTED = re.compile(r'"[^"]*"|«[^»]*»|“[^”]*”')

_MONTHS = {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
           "octobre", "novembre", "decembre", "janv", "fevr", "sept", "oct", "nov", "dec"}
#: Words after which a year is part of the text (legal texts, periods, plans).
_YEAR_TEXT_BEFORE = _MONTHS | {
    "loi", "lois", "decret", "decrets", "arrete", "arretes", "ordonnance", "circulaire",
    "instruction", "directive", "reglement", "deliberation", "article", "code", "convention",
    "contrat", "marche", "avenant", "plan", "programme", "schema", "pacte", "budget", "budgets",
    "exercice", "exercices", "compte", "comptes", "bilan", "rapport", "depuis", "avant", "apres",
    "jusqu", "jusqua", "entre", "fin", "debut", "mi", "en", "au", "du", "de", "des", "le", "la",
    "notre", "nouvelle", "ca", "bp", "dob", "rob", "ppi", "pluriannuel", "periode", "annee",
    "annees", "saison", "campagne", "rentree", "er", "premier", "1er"}
#: Words after which a number is an amount or a quantity, not a code.
_UNITS = {"euros", "euro", "eur", "€", "k€", "m€", "habitants", "habitant", "heures", "heure",
          "h", "etp", "jours", "jour", "m2", "m²", "m3", "km", "ha", "hectares",
          "tonnes", "places", "logements", "lits", "eleves", "postes", "emplois", "ans", "mois",
          "%", "pourcent", "abonnes", "usagers"}
_TOKEN = re.compile(r"[\w€%²]+")


@dataclass(frozen=True)
class Understood:
    field: str  # "siren", "insee", "insee_or_postal", "year"
    value: str | int
    text: str  # as typed

    @property
    def label(self) -> str:
        """What the filter does, in French, for the page and the API."""
        return {"siren": f"organisme ou EPCI de SIREN {self.value}",
                "insee": f"commune de code INSEE {self.value}",
                "insee_or_postal": f"code INSEE ou code postal {self.value}",
                "year": f"rapports de l'année {self.value}"}[self.field]

    def as_dict(self) -> dict:
        return {"field": self.field, "value": self.value, "text": self.text, "label": self.label}


def _neighbours(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """Folded words just before and just after ``text[start:end]``."""
    before = [fold(w) for w in _TOKEN.findall(text[:start])][-3:]
    after = [fold(w) for w in _TOKEN.findall(text[end:])][:2]
    return before, after


def _day_or_year(word: str) -> bool:
    return word.isdigit() and (int(word) <= 31 or len(word) == 4)


def _year_is_text(text: str, m: re.Match) -> bool:
    before, after = _neighbours(text, m.start(), m.end())
    if before and (before[-1] in _YEAR_TEXT_BEFORE or _day_or_year(before[-1])):
        return True  # "du 12 juillet 2001", "loi 2015", "2012 2016"
    if len(before) >= 2 and before[-1] in ("a", "et", "ou") and _day_or_year(before[-2]):
        return True  # "2012 à 2016"
    if any(w in _MONTHS for w in before):
        return True
    if text[m.end():].lstrip().startswith(("-", "/", "–")) or text[:m.start()].rstrip().endswith(("-", "/", "–")):
        return True  # a range or a date written with separators
    if after and (after[0] in _UNITS or after[0] in ("a", "au", "et") and len(after) > 1
                  and _day_or_year(after[1])):
        return True  # "2012 à 2016", "2000 euros"
    return False


def _number_is_text(text: str, m: re.Match) -> bool:
    _, after = _neighbours(text, m.start(), m.end())
    return bool(after) and after[0] in _UNITS


def understand_query(q: str, *, literal: bool = False) -> tuple[str, list[Understood]]:
    """Split ``q`` into (remaining text, identifiers found); ``literal``: none, the words as typed."""
    q = q or ""
    if literal:
        return " ".join(q.split()), []
    found: list[Understood] = []
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(q)]
    text = _LABELS.sub(lambda m: " " * len(m.group(0)) if not _inside(m.start(), quoted) else m.group(0), q)

    def take(pattern: re.Pattern, make, is_text=None) -> None:
        nonlocal text

        def repl(m: re.Match) -> str:
            if _inside(m.start(), quoted) or (is_text and is_text(text, m)):
                return m.group(0)
            found.append(make(m))
            return " " * len(m.group(0))  # same length: offsets of the quotes stay valid

        text = pattern.sub(repl, text)

    take(_SIREN_LABELLED, lambda m: Understood("siren", "".join(m.groups()), m.group(0)))
    take(_SIREN, lambda m: Understood("siren", "".join(m.groups()), m.group(0)), _number_is_text)
    take(_CORSICA, lambda m: Understood("insee", m.group(1).upper(), m.group(0)))
    take(_YEAR, lambda m: Understood("year", int(m.group(1)), m.group(0)), _year_is_text)
    take(_FIVE, lambda m: Understood("insee_or_postal", m.group(1), m.group(0)), _number_is_text)
    return " ".join(text.split()), found


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def quote(value: str | int) -> str:
    """A value in a Meilisearch filter expression."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def filters_for(found: list[Understood]) -> list[str]:
    """Meilisearch filter expressions (ANDed) for the identifiers found."""
    out: list[str] = []
    by_field: dict[str, list] = {}
    for u in found:
        by_field.setdefault(u.field, []).append(u.value)
    if "siren" in by_field:
        vals = ", ".join(quote(v) for v in by_field["siren"])
        out.append(f"(siren IN [{vals}] OR epci_siren IN [{vals}])")
    if "insee" in by_field:
        out.append(f"insee IN [{', '.join(quote(v) for v in by_field['insee'])}]")
    if "insee_or_postal" in by_field:
        vals = ", ".join(quote(v) for v in by_field["insee_or_postal"])
        out.append(f"(insee IN [{vals}] OR postal_codes IN [{vals}])")
    if "year" in by_field:
        out.append(f"year IN [{', '.join(str(v) for v in by_field['year'])}]")
    return out
