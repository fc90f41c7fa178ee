"""A body (commune, EPCI…) and every report about it or its satellites.

A commune's reports include those whose audited body carries the commune's INSEE code
(the commune itself, its CCAS, its hospital, its office de tourisme…) and those on its
intercommunality (the EPCI's SIREN, found in the bodies index). ``related_codes`` is pure;
``body_reports`` reads the store.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from search.query import quote
from search.settings import index_names
from store.models import FindingRow, ReportRow

CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3}|\d{9}|\d{2,3}|2[AB])$")


def valid_code(code: str) -> bool:
    """INSEE (5 chars, Corsica 2A/2B), SIREN (9 digits) or département code."""
    return bool(CODE.match(code))


def lookup_body(client, code: str, prefix: str) -> dict | None:
    """The body of ``code`` in the lookup index (None when absent or not indexed)."""
    from search.client import MeiliError

    try:
        raw = client.search(index_names(prefix)["bodies"], {
            "q": "", "limit": 1,
            "filter": f"insee = {quote(code)} OR siren = {quote(code)}"})
    except MeiliError:
        return None
    hits = raw.get("hits") or []
    return hits[0] if hits else None


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


def reports_for(session: Session, insee: set[str], siren: set[str],
                departement: str | None = None) -> list[ReportRow]:
    conds = []
    if insee:
        conds.append(ReportRow.insee.in_(insee))
    if siren:
        conds.append(ReportRow.siren.in_(siren))
    if departement and not conds:
        conds.append(ReportRow.departement == departement)
    if not conds:
        return []
    stmt = (select(ReportRow).where(or_(*conds), ReportRow.role == "report")
            .order_by(ReportRow.year.desc().nulls_last(), ReportRow.id))
    return list(session.scalars(stmt))


def suivi_items(session: Session, earlier_ids: list[str]) -> list[FindingRow]:
    """``suivi`` findings (of any report) that follow up one of ``earlier_ids``."""
    if not earlier_ids:
        return []
    return list(session.scalars(select(FindingRow).where(
        FindingRow.kind == "suivi", FindingRow.earlier_report_id.in_(earlier_ids))))
