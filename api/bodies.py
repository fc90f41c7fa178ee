"""A body (commune, EPCI…) and every report about it or its satellites.

A commune's reports include those whose audited body carries the commune's INSEE code
(the commune itself, its CCAS, its hospital, its office de tourisme…) and those on its
intercommunality (the EPCI's SIREN, found in the bodies index: ``search.query.lookup_body``);
the store gives the reports of those codes (``store.repo.reports_about``).
"""

from __future__ import annotations

import re

CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3}|\d{9}|\d{2,3}|2[AB])$")


def valid_code(code: str) -> bool:
    """INSEE (5 chars, Corsica 2A/2B), SIREN (9 digits) or département code."""
    return bool(CODE.match(code))


def related_codes(code: str, body: dict | None) -> tuple[set[str], set[str]]:
    """(INSEE codes, SIREN codes) whose reports concern ``code``."""
    insee, siren = set(), set()
    if len(code) == 9:
        siren.add(code)
    elif len(code) == 5:
        insee.add(code)
    if body:
        if body.get("insee"):
            insee.add(body["insee"])
        if body.get("siren"):
            siren.add(body["siren"])
        if body.get("epci_siren"):
            siren.add(body["epci_siren"])
    return insee, siren
