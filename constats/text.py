"""Folding text for loose comparison: the project's one accent-folding function.

Place names, chamber names, site labels, stop words and slugs are compared folded: lower
case, accents dropped (œ, æ and ß spelt out), white space collapsed. ``words_only`` also
turns every run of other characters (hyphens, apostrophes, punctuation) into one space, for
keys of names ("Saint-Lô" and "saint lo" meet).
"""

from __future__ import annotations

import re
import unicodedata


def _ascii_table() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base != char:
            table[code] = base
    table.update({ord("œ"): "oe", ord("Œ"): "OE", ord("æ"): "ae", ord("Æ"): "AE", ord("ß"): "ss"})
    return table


_ASCII = _ascii_table()
_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str, *, words_only: bool = False) -> str:
    """Lower case, no accents, single spaces; with ``words_only``, only letters and digits.

    >>> fold("  Côte-d'Or  Œuvre ")
    "cote-d'or oeuvre"
    >>> fold("Saint-Lô (Manche)", words_only=True)
    'saint lo manche'
    """
    text = text.translate(_ASCII)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    if words_only:
        return _NON_ALNUM.sub(" ", text).strip()
    return _SPACES.sub(" ", text).strip()
