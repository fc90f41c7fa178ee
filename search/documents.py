"""Meilisearch documents built from the store's rows, and their validation.

A finding document carries its report's metadata (chamber, body, kind of body, codes,
département, région, year, dates, title, PDF URL) so that every filter and facet works on
the findings index alone. No field ever holds a whole report: text fields are capped far
below Meilisearch's 65,535 positions per attribute.

``validate_document`` is run on every document before it is sent: an invalid one is skipped
and reported by the indexer, so that one bad document never fails a whole batch (a batch is
one Meilisearch task, and a task fails as a whole).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from constats import taxonomy
from nlp.geo import epci_of_commune
from search.lemmas import lemmatize_one
from search.rerank import HEADING_TERMS, TEXT_TERMS, index_terms

#: Cap of any text field, in words (Meilisearch ignores positions past 65,535).
MAX_FIELD_WORDS = 5_000
MAX_TITLE_CHARS = 1_000
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,511}$")
_SPACE = re.compile(r"\s+")


def cap_words(text: str | None, limit: int = MAX_FIELD_WORDS) -> tuple[str, bool]:
    """``text`` cut after ``limit`` words; returns (text, truncated)."""
    if not text:
        return "", False
    words = text.split()
    if len(words) <= limit:
        return text, False
    return " ".join(words[:limit]), True


def _structure_meta(report_row) -> dict:
    structure = getattr(report_row, "structure", None) or {}
    return structure.get("metadata") or {}


def report_metadata(report_row) -> dict[str, Any]:
    """The report fields that every finding document repeats (for filters and facets)."""
    meta = _structure_meta(report_row)
    body = meta.get("body") or {}
    date = meta.get("deliberation_date") or meta.get("publication_date")
    pdf_url = report_row.source_url
    return {
        "report_id": report_row.id,
        "report_title": (report_row.title or "")[:MAX_TITLE_CHARS] or None,
        "chamber": report_row.chamber,
        "region": meta.get("region"),
        "departement": report_row.departement,
        "body_name": report_row.body_name,
        "body_kind": report_row.body_kind,
        "insee": report_row.insee,
        "siren": report_row.siren,
        "epci_siren": body.get("epci_siren") or epci_of(report_row.insee),
        "postal_codes": list(body.get("postal_codes") or []),
        "year": report_row.year,
        "date": str(date) if date else None,
        "period": meta.get("period"),
        "pdf_url": pdf_url,
        "extractor_version": report_row.extractor_version,
        "classifier_version": report_row.classifier_version,
    }


@lru_cache(maxsize=4096)
def epci_of(insee: str | None) -> str | None:
    """SIREN of the EPCI a commune belongs to (``nlp.geo``), None when unknown/unavailable."""
    if not insee:
        return None
    try:
        epci = epci_of_commune(insee)
    except Exception:  # noqa: BLE001 - reference data missing: the link is optional
        return None
    return (epci or {}).get("siren") if isinstance(epci, dict) else None


def page_url(pdf_url: str | None, page: int | None) -> str | None:
    if not pdf_url:
        return None
    return f"{pdf_url.split('#')[0]}#page={page or 1}"


def finding_document(finding_row, report_row, *, vector: list[float] | None,
                     lemmas: str | None = None, report_meta: Mapping | None = None) -> dict:
    """The finding's document. ``lemmas`` defaults to lemmatising the text here (slow in
    bulk: the indexer lemmatises a batch at once); ``report_meta`` can be passed to reuse
    ``report_metadata(report_row)`` across the findings of one report."""
    meta = dict(report_meta) if report_meta is not None else report_metadata(report_row)
    text, truncated = cap_words(finding_row.text)
    if lemmas is None:
        lemmas = lemmatize_one(text)
    lemmas, _ = cap_words(lemmas)
    themes = list(finding_row.themes or [])
    theme_codes = [t["code"] if isinstance(t, Mapping) else getattr(t, "code", t) for t in themes]
    theme_scores = {(t["code"] if isinstance(t, Mapping) else t.code):
                    round(float(t["score"] if isinstance(t, Mapping) else t.score), 4)
                    for t in themes if isinstance(t, Mapping) or hasattr(t, "score")}
    doc = {
        "id": finding_row.id,
        **meta,
        "kind": finding_row.kind,
        "number": finding_row.number,
        "text": text,
        "truncated": truncated,
        "lemmas": lemmas,
        "page": finding_row.page,
        "page_end": finding_row.page_end,
        "start": finding_row.start,
        "end": finding_row.end,
        "section_path": list(finding_row.section_path or []),
        TEXT_TERMS: index_terms(text),
        HEADING_TERMS: index_terms(" ".join(finding_row.section_path or [])),
        "status": finding_row.status,
        "primary_theme": finding_row.primary_theme,
        "themes": theme_codes,
        "theme_scores": theme_scores,
        "confidence": finding_row.confidence,
        "low_confidence": bool(finding_row.low_confidence),
        "sector": finding_row.sector,
        "earlier_report_id": finding_row.earlier_report_id,
        "page_url": page_url(meta.get("pdf_url"), finding_row.page),
    }
    doc["_vectors"] = {"default": list(vector) if vector is not None else None}
    return doc


def report_document(report_row, *, counts: Mapping[str, int] | None = None,
                    synthese: str | None = None) -> dict:
    """The report's document: metadata, counts of findings by kind, capped synthèse."""
    meta = report_metadata(report_row)
    meta.pop("report_id")
    title = meta.pop("report_title")
    synth, _ = cap_words(synthese, 2_000)
    related = [c for c in (meta["insee"], meta["siren"], meta["epci_siren"]) if c]
    return {"id": report_row.id, "record": "report", "title": title, **meta,
            "n_pages": report_row.n_pages,
            "counts": dict(counts or {}), "synthese": synth or None, "related_codes": related,
            "page_url": page_url(meta["pdf_url"], 1)}


def _get(body: Any, name: str, default: Any = None) -> Any:
    if isinstance(body, Mapping):
        return body.get(name, default)
    return getattr(body, name, default)


def body_document(body: Any) -> dict:
    """A body for the lookup index (commune, EPCI, département…), from a mapping or object
    with ``name``, ``kind`` and any of ``insee``, ``siren``, ``code``, ``departement``,
    ``departement_name``, ``region``, ``postal_codes``, ``population``, ``epci_siren``
    (the shape of ``nlp.geo.all_bodies()``: a commune's ``code`` is its INSEE code)."""
    kind = _get(body, "kind") or "autre"
    insee = _get(body, "insee") or (_get(body, "code") if kind == "commune" else None)
    code = insee or _get(body, "siren") or _get(body, "code")
    return {
        "id": re.sub(r"[^A-Za-z0-9_-]", "_", f"{kind}-{code}"),
        "name": _get(body, "name"),
        "kind": kind,
        "code": code,
        "insee": insee,
        "siren": _get(body, "siren"),
        "departement": _get(body, "departement"),
        "departement_name": _get(body, "departement_name"),
        "region": _get(body, "region"),
        "postal_codes": list(_get(body, "postal_codes") or []),
        "population": _get(body, "population") or 0,
        "epci_siren": _get(body, "epci_siren"),
    }


# ---------------------------------------------------------------------------- validation
_FINDING_REQUIRED = {"id": str, "report_id": str, "kind": str, "text": str, "page": int}
_OPTIONAL_TYPES: dict[str, tuple[type, ...]] = {
    "year": (int,), "page_end": (int,), "number": (str,), "chamber": (str,), "region": (str,),
    "departement": (str,), "body_name": (str,), "body_kind": (str,), "insee": (str,),
    "siren": (str,), "epci_siren": (str,), "status": (str,), "primary_theme": (str,),
    "section_path": (list,), "themes": (list,), "postal_codes": (list,), "date": (str,),
    "confidence": (int, float), "low_confidence": (bool,), "sector": (str,),
    "report_title": (str,), "lemmas": (str,), "pdf_url": (str,), "title": (str,),
    "name": (str,), TEXT_TERMS: (str,), HEADING_TERMS: (str,),
}


def validate_document(doc: Mapping, *, dim: int | None = None, kind: str = "finding") -> list[str]:
    """Problems that would make Meilisearch reject ``doc`` or make it wrong; [] when valid.

    ``kind`` is ``finding``, ``report`` or ``body``; ``dim`` the embedder's dimension when the
    index has one (then ``_vectors.default`` must be a finite vector of that size, or null).
    """
    errors: list[str] = []
    doc_id = doc.get("id")
    if not isinstance(doc_id, str) or not ID_PATTERN.match(doc_id):
        errors.append(f"id {doc_id!r}: must be 1-511 characters among A-Z a-z 0-9 _ -")
    required = _FINDING_REQUIRED if kind == "finding" else {"id": str}
    for name, typ in required.items():
        value = doc.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.append(f"{name}: missing")
        elif not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            errors.append(f"{name}: expected {typ.__name__}, got {type(value).__name__}")
    for name, types in _OPTIONAL_TYPES.items():
        value = doc.get(name)
        if value is not None and (not isinstance(value, types)
                                  or (int in types and isinstance(value, bool) and bool not in types)):
            errors.append(f"{name}: expected {'/'.join(t.__name__ for t in types)}, "
                          f"got {type(value).__name__}")
    for name in ("text", "lemmas", "synthese"):
        value = doc.get(name)
        if isinstance(value, str) and len(value.split()) > MAX_FIELD_WORDS:
            errors.append(f"{name}: {len(value.split())} words, more than {MAX_FIELD_WORDS}")
    if kind == "finding":
        errors += _check_finding_codes(doc)
        errors += _check_vector(doc, dim)
    return errors


def _check_finding_codes(doc: Mapping) -> list[str]:
    errors = []
    if isinstance(doc.get("kind"), str) and doc["kind"] not in taxonomy.KINDS:
        errors.append(f"kind {doc['kind']!r}: not in the taxonomy")
    page = doc.get("page")
    if isinstance(page, int) and not isinstance(page, bool) and page < 1:
        errors.append(f"page {page}: must be ≥ 1")
    year = doc.get("year")
    if isinstance(year, int) and not 1800 <= year <= 2200:
        errors.append(f"year {year}: out of range")
    for t in doc.get("themes") or []:
        if not isinstance(t, str):
            errors.append(f"themes: {t!r} is not a code")
            break
    return errors


def _check_vector(doc: Mapping, dim: int | None) -> list[str]:
    vectors = doc.get("_vectors")
    if dim is None:
        return []
    if not isinstance(vectors, Mapping) or "default" not in vectors:
        return ["_vectors.default: missing (the index has an embedder: a document without "
                "it fails its whole batch)"]
    vec = vectors["default"]
    if vec is None:
        return []
    if not isinstance(vec, (list, tuple)):
        return [f"_vectors.default: expected a list of {dim} numbers"]
    if len(vec) != dim:
        return [f"_vectors.default: {len(vec)} dimensions, expected {dim}"]
    if not set(map(type, vec)) <= {int, float}:  # not bool, str, None…
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in vec):
            return ["_vectors.default: not finite numbers (NaN or infinity)"]
    if not math.isfinite(sum(vec)) and not all(math.isfinite(x) for x in vec):  # sum: NaN, inf propagate
        return ["_vectors.default: not finite numbers (NaN or infinity)"]
    return []
