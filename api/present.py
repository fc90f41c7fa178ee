"""Store rows → what the API and the pages show (pure functions, no I/O).

Links to the PDF: ``pdf_url`` is the API's own copy (``/api/reports/{id}/pdf``, served from
the raw store, so ``#page=N`` works offline), ``source_pdf_url`` the publisher's URL.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from constats import taxonomy
from store.models import FindingRow, ReportRow

KIND_ORDER = ["synthese", "recommandation", "rappel_au_droit", "suivi", "observation"]


def local_pdf_url(base: str, report_id: str, page: int | None = None) -> str:
    url = f"{base.rstrip('/')}/api/reports/{report_id}/pdf"
    return f"{url}#page={page}" if page else url


def source_page_url(source_url: str | None, page: int | None) -> str | None:
    if not source_url:
        return None
    return f"{source_url.split('#')[0]}#page={page or 1}"


def report_meta(row: ReportRow) -> dict[str, Any]:
    return ((row.structure or {}).get("metadata") or {})


def finding_dict(f: FindingRow, r: ReportRow, base: str) -> dict[str, Any]:
    return {
        "id": f.id, "report_id": f.report_id, "kind": f.kind,
        "kind_label": taxonomy.KINDS.get(f.kind, f.kind), "number": f.number, "text": f.text,
        "page": f.page, "page_end": f.page_end, "start": f.start, "end": f.end,
        "section_path": list(f.section_path or []), "status": f.status,
        "status_label": taxonomy.STATUSES.get(f.status) if f.status else None,
        "status_text": f.status_text,
        # what citizens read: the report's own words when the extractor kept them
        "status_display": f.status_text or (taxonomy.STATUSES.get(f.status) if f.status else None),
        "primary_theme": f.primary_theme,
        "primary_theme_label": taxonomy.THEMES.get(f.primary_theme) if f.primary_theme else None,
        "themes": list(f.themes or []), "confidence": f.confidence,
        "low_confidence": bool(f.low_confidence), "sector": f.sector,
        "earlier_report_id": f.earlier_report_id,
        "pdf_url": local_pdf_url(base, f.report_id, f.page),
        "source_pdf_url": source_page_url(r.source_url, f.page),
    }


def publication_of(row: ReportRow) -> dict[str, Any]:
    """The publication page a report was found on (provenance), or nothing for a local file."""
    pub = row.publication
    if pub is None or pub.source == "folder":
        return {}
    return {"url": pub.url, "title": pub.title, "chamber": pub.chamber,
            "date": pub.published_on.isoformat() if pub.published_on else None,
            "summary": pub.summary, "thematic": pub.thematic,
            "announced_rappels": pub.announced_rappels,
            "announced_recommendations": pub.announced_recommendations}


def report_summary(row: ReportRow, base: str) -> dict[str, Any]:
    meta = report_meta(row)
    body = meta.get("body") or {}
    pub = publication_of(row)
    return {
        "id": row.id, "title": row.title, "chamber": row.chamber, "body_name": row.body_name,
        "body_kind": row.body_kind, "departement": row.departement, "region": meta.get("region"),
        "insee": row.insee, "siren": row.siren, "epci_siren": body.get("epci_siren"),
        "year": row.year, "year_source": row.year_source, "period": meta.get("period"),
        "deliberation_date": meta.get("deliberation_date"),
        "publication_date": pub.get("date") or meta.get("publication_date"), "n_pages": row.n_pages,
        "status": row.status, "source_url": row.source_url,
        "publication_url": pub.get("url"), "publication": pub or None,
        "pdf_url": local_pdf_url(base, row.id),
        "extractor_version": row.extractor_version, "classifier_version": row.classifier_version,
    }


def report_detail(row: ReportRow, base: str) -> dict[str, Any]:
    """Metadata, sections with pages, findings grouped by kind, responses, warnings."""
    structure = row.structure or {}
    out = report_summary(row, base)
    out["metadata"] = structure.get("metadata") or {}
    out["sections"] = [{**s, "pdf_url": local_pdf_url(base, row.id, s.get("page"))}
                       for s in structure.get("sections") or []]
    by_kind: dict[str, list] = defaultdict(list)
    for f in row.findings:
        by_kind[f.kind].append(finding_dict(f, row, base))
    out["findings_by_kind"] = {k: by_kind[k] for k in KIND_ORDER if by_kind.get(k)}
    out["counts"] = {k: len(v) for k, v in out["findings_by_kind"].items()}
    out["responses"] = [{**r, "pdf_url": local_pdf_url(base, row.id, r.get("page"))}
                        for r in structure.get("responses") or []]
    out["warnings"] = structure.get("warnings") or []
    if row.status == "failed":
        out["error"] = row.error
    return out


def follow_up(reports: list[ReportRow], suivi: list[FindingRow]) -> dict[str, dict[str, dict]]:
    """For each earlier report: its recommendations' number → what a later report said.

    ``suivi`` items that name their ``earlier_report_id`` are matched to the earlier report's
    recommendation of the same number (or listed unnumbered). Returns
    ``{earlier_report_id: {number_or_id: {"status", "finding_id", "report_id"}}}``.
    """
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    known = {r.id for r in reports}
    for s in suivi:
        if s.earlier_report_id and s.earlier_report_id in known:
            key = s.number or s.id
            out[s.earlier_report_id][key] = {
                "status": s.status, "finding_id": s.id, "report_id": s.report_id, "text": s.text,
                "status_label": taxonomy.STATUSES.get(s.status or "", None),
                "status_display": s.status_text or taxonomy.STATUSES.get(s.status or "", None)}
    return dict(out)
