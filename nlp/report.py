"""Understanding a report: ``bytes → Document → Report`` (pure: no I/O beyond the OCR cache).

``understand`` reads the PDF (``nlp.pdf.read_pdf``) then ``understand_document`` builds the
structure, metadata, findings and responses. ``EXTRACTOR_VERSION`` changes whenever the
output for the same PDF changes, so that the worker re-extracts older reports.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import numpy as np

from constats.domain import Document, Report, Response, Section, sha256_hex
from nlp.classify import ThemeClassifier, classify_findings
from nlp.findings import extract_findings
from nlp.metadata import extract_metadata
from nlp.ocr import OcrCache
from nlp.pdf import read_pdf
from nlp.structure import build_sections, lines_of

EXTRACTOR_VERSION = "nlp-1.15"


def _responses(doc: Document, sections: list[Section]) -> list[Response]:
    """One response per top-level response section (réponse de l'ordonnateur…)."""
    out: list[Response] = []
    tops = [s for s in sections if s.kind == "reponse"]
    covered_until = -1
    for s in tops:
        if s.start < covered_until:
            continue
        end = s.end
        for t in tops:  # a response runs until the next response title of the same level
            if t.start > s.start and t.level <= s.level:
                end = min(end, t.start)
                break
        m = re.search(r"\b(?:de|du|des)\s+(.+)$", s.title, re.I)
        out.append(Response(author=m.group(1).strip() if m else None, text=doc.text[s.start:end].strip(),
                            page=s.page, page_end=doc.page_at(max(end - 1, s.start)), start=s.start, end=end))
        covered_until = end
    return out


def _count_warnings(report: Report) -> list[str]:
    warnings = []
    for kind, announced, label in (("recommandation", report.metadata.announced_recommendations, "recommandations"),
                                   ("rappel_au_droit", report.metadata.announced_rappels, "rappels au droit")):
        if announced is None:
            continue
        found = sum(1 for f in report.findings if f.kind == kind)
        if found != announced:
            warnings.append(f"le rapport annonce {announced} {label}, {found} extrait(s)")
    return warnings


def understand_document(doc: Document, report_id: str) -> Report:
    """Structure, metadata, findings and responses of a read ``Document``."""
    lines = lines_of(doc)  # read by both, changed by neither
    toc, sections = build_sections(doc, lines)
    findings = extract_findings(doc, sections, report_id, lines)
    report = Report(id=report_id, extractor_version=EXTRACTOR_VERSION, n_pages=len(doc.pages),
                    metadata=extract_metadata(doc), toc=toc, sections=sections, findings=findings,
                    responses=_responses(doc, sections), warnings=list(doc.warnings),
                    extracted_at=datetime.now(UTC))
    report.warnings += _count_warnings(report)
    return report


def understand(data: bytes, report_id: str, *, sha256: str | None = None,
               ocr_cache: OcrCache | str | None = None, max_pages: int | None = None,
               max_bytes: int | None = None, ocr_dpi: int | None = None,
               ocr_language: str | None = None) -> Report:
    """Read a report PDF and understand it. Raises ``nlp.errors.PdfError`` on unreadable input.

    The limits and OCR options default to ``nlp.pdf``'s (the settings' defaults)."""
    doc = read_pdf(data, ocr_cache=ocr_cache, max_pages=max_pages, max_bytes=max_bytes,
                   ocr_dpi=ocr_dpi, ocr_language=ocr_language)
    report = understand_document(doc, report_id)
    report.sha256 = sha256 or sha256_hex(data)
    return report


def with_themes(report: Report, classifier: ThemeClassifier, *, vectors: np.ndarray | None = None,
                embedder=None) -> Report:
    """Give every finding its themes, confidence and sector (``nlp.classify``). A model that
    reads sentence embeddings takes the findings' ``vectors`` (computed once, shared with the
    index) and ``embedder`` for the headings (or for everything when ``vectors`` is None)."""
    if report.findings:
        report.findings = classify_findings(report.findings, classifier, vectors=vectors, embedder=embedder)
    report.classifier_version = classifier.version
    return report
