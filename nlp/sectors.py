"""Sector tag of a ``politique_publique`` finding (TAXONOMY.md), from a keyword table.

Ordered: the first sector whose pattern matches the finding (heading + text) wins; ``autre``
when none does. Measured on the hand labels in models/themes/EVALUATION.md.
"""

from __future__ import annotations

import re

SECTOR_PATTERNS: list[tuple[str, str]] = [
    ("sante", r"h[oô]pital|hospitali|patients?\b|soins\b|m[eé]dic|\bars\b|\bchu\b|\bchr\b|psychiatr|sant[eé]\b"),
    ("eau", r"\beaux?\b|assainissement|\bspanc\b|\banc\b|potable|station d.[eé]puration"),
    ("dechets", r"d[eé]chets|ordures|collecte s[eé]lective|d[eé]ch[eè]terie|\bteom\b"),
    ("transport", r"transports?\b|stationnement|parking|parcs? de stationnement|\bbus\b|tramway|a[eé]roport"
                  r"|a[eé]rien|ferroviaire|voirie|mobilit[eé]"),
    ("culture", r"cultur|th[eé][aâ]tre|mus[eé]e|festival|cin[eé]ma|orchestre|biblioth|m[eé]diath|spectacle"
                r"|patrimoine culturel|op[eé]ra"),
    ("tourisme", r"touris|camping|plages?\b|station de ski|remont[eé]es m[eé]caniques|thermal|baignade"),
    ("social", r"social|sociale|\bccas\b|ehpad|petite enfance|cr[eè]ches?|personnes [aâ]g[eé]es|handicap"
               r"|insertion|\brsa\b|enfance|p[eé]riscolaire"),
    ("logement", r"logement|habitat|\bhlm\b|\boph\b|bailleur"),
    ("economie", r"[eé]conomique|entreprises|zones? d.activit|export|artisanat|commerce|industri|emploi"),
]
_COMPILED = [(s, re.compile(p, re.I)) for s, p in SECTOR_PATTERNS]


def guess_sector(text: str) -> str:
    for sector, rx in _COMPILED:
        if rx.search(text or ""):
            return sector
    return "autre"
