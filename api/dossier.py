"""The dossier of a place: every report on a commune (and on its satellites: CCAS, hospital,
office de tourisme… which carry its INSEE code), on its EPCI, and on the other communes of
its EPCI; for an EPCI, its own reports and its member communes'; for a département or a
région, the reports of its bodies. Reports come as a timeline (newest first, by year), each
recommendation with what later reports said of it, in their own words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from api.present import follow_up, report_detail
from store.models import FindingRow, ReportRow

#: how a report relates to the place of the dossier
RELATIONS = {"self": "l'organisme lui-même", "satellite": "un établissement ou satellite",
             "epci": "son intercommunalité", "member": "une commune membre",
             "neighbour": "une autre commune de l'intercommunalité", "area": "un organisme du territoire"}


@dataclass
class Dossier:
    code: str
    name: str
    kind: str  # commune, epci, departement, region, other
    body: dict | None = None
    timeline: list[tuple[Any, list[dict]]] = field(default_factory=list)  # (year, reports)
    neighbours: list[dict] = field(default_factory=list)  # reports on the other bodies of its EPCI
    counts: dict[str, int] = field(default_factory=dict)  # relation → reports
    epci: dict | None = None

    @property
    def n_reports(self) -> int:
        return sum(len(rs) for _, rs in self.timeline)


def relation(row: ReportRow, kind: str, code: str, epci_siren: str | None) -> str:
    if kind == "commune":
        if row.insee == code:
            return "self" if row.body_kind in (None, "commune") else "satellite"
        if epci_siren and row.siren == epci_siren:
            return "epci"
        return "neighbour"
    if kind == "epci":
        return "self" if row.siren == code else "member"
    if kind in ("departement", "region"):
        return "area"
    return "self" if code in (row.insee, row.siren) else "satellite"


def build(code: str, name: str, kind: str, rows: list[ReportRow], suivi: list[FindingRow], base: str, *,
          body: dict | None = None, epci: dict | None = None, neighbour_rows: list[ReportRow] | None = None) -> Dossier:
    epci_siren = (epci or {}).get("siren") or (body or {}).get("epci_siren")
    follow = follow_up(list(rows), suivi)
    by_year: dict[Any, list[dict]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        rel = relation(row, kind, code, epci_siren)
        item = report_detail(row, base)
        item["relation"], item["relation_label"] = rel, RELATIONS[rel]
        item["recommendations"] = [
            {**f, "later": follow.get(row.id, {}).get(f["number"]) if f["number"] else None}
            for f in item["findings_by_kind"].get("recommandation", [])]
        by_year[row.year].append(item)
        counts[rel] += 1
    timeline = sorted(by_year.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0)))
    neighbours = [{**report_detail(r, base), "relation": "neighbour"} for r in neighbour_rows or []]
    return Dossier(code=code, name=name, kind=kind, body=body, timeline=timeline, neighbours=neighbours,
                   counts=dict(counts), epci=epci)
