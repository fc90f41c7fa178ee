"""Query understanding: identifiers typed in the search box become filters.

"Lormont 2015", "33063 dette", "SIREN 200 067 213": an INSEE code (5 digits, or 2A/2B and
3 digits for Corsica), a postal code, a SIREN (9 digits; spaced groups only after the word
"SIREN", since "150 000 000" is an amount) and a year
(1950-2049) are removed from the text and returned as filters, so that the words left are
matched against the findings and the codes against the metadata (exactly: typo tolerance
is off on codes).

A 5-digit number is an INSEE code or a postal code (33000 is Bordeaux's postal code,
33063 its INSEE code): it filters on either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SIREN = re.compile(r"(?<![\w-])(\d{9})(?![\w-])")
# spaced groups ("200 067 213") only after the word SIREN: "150 000 000" is an amount
_SIREN_LABELLED = re.compile(r"(?i)\bsiren\s*:?\s*(\d{3})[ \u00a0]?(\d{3})[ \u00a0]?(\d{3})(?![\w-])")
_CORSICA = re.compile(r"(?<![\w-])(2[ABab]\d{3})(?![\w-])")
_FIVE = re.compile(r"(?<![\w-])(\d{5})(?![\w-])")
_YEAR = re.compile(r"(?<![\w-])((?:19[5-9]|20[0-4])\d)(?![\w-])")
_LABELS = re.compile(r"(?i)\b(?:insee|code postal|cp|ann[ée]e)\s*:?\s*(?=\d|2[ab])")


@dataclass(frozen=True)
class Understood:
    field: str  # "siren", "insee", "insee_or_postal", "year"
    value: str | int
    text: str  # as typed

    def as_dict(self) -> dict:
        return {"field": self.field, "value": self.value, "text": self.text}


def understand_query(q: str) -> tuple[str, list[Understood]]:
    """Split ``q`` into (remaining text, identifiers found)."""
    found: list[Understood] = []
    text = _LABELS.sub(" ", q or "")

    def take(pattern: re.Pattern, make) -> None:
        nonlocal text

        def repl(m: re.Match) -> str:
            found.append(make(m))
            return " "

        text = pattern.sub(repl, text)

    take(_SIREN_LABELLED, lambda m: Understood("siren", "".join(m.groups()), m.group(0)))
    take(_SIREN, lambda m: Understood("siren", "".join(m.groups()), m.group(0)))
    take(_CORSICA, lambda m: Understood("insee", m.group(1).upper(), m.group(0)))
    take(_YEAR, lambda m: Understood("year", int(m.group(1)), m.group(0)))
    take(_FIVE, lambda m: Understood("insee_or_postal", m.group(1), m.group(0)))
    return " ".join(text.split()), found


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
