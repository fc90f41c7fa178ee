"""Layout families: the report PDFs of different producers, for leave-one-family-out evaluation.

A family is one producer with its variants: ``story`` (PyMuPDF's Story, the project's first
renderer: classique, moderne, chambre, compact), ``reportlab`` (ReportLab platypus) and
``bureautique`` (a word-processor document laid out by LibreOffice) and ``navigateur`` (the
report as HTML + CSS printed to PDF by headless Chromium). The scanned renderings
(page images only, read through OCR) form the ``scanne`` family: a story variant and a
bureautique variant rasterised.

    >>> pdfs = render_reports(["260333"], variant_named("rl-sobre"))   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from lab.replica import producer_browser, producer_office, producer_reportlab
from lab.replica.html_model import parse_report_html
from lab.replica.layout import Furniture
from lab.replica.render import SCANNED, TEXT_VARIANTS, corpus_report_info, render_corpus_report
from lab.replica.scan import rasterize
from lab.replica.variants import RenderVariant

SCANNED_FAMILY = "scanne"
TEXT_FAMILIES = ("story", "reportlab", "bureautique", "navigateur")
FAMILIES = (*TEXT_FAMILIES, SCANNED_FAMILY)


@dataclass(frozen=True)
class FamilyVariant:
    """A variant of a family: what renders it, and whether its pages are images (OCR)."""

    name: str
    family: str
    spec: (RenderVariant | producer_reportlab.ReportlabVariant | producer_office.OfficeVariant
           | producer_browser.BrowserVariant)
    scanned: bool = False
    scan_rotation: float = 0.3
    scan_noise: float = 0.002

    @property
    def producer(self) -> str:
        if isinstance(self.spec, RenderVariant):
            return "story"
        if isinstance(self.spec, producer_browser.BrowserVariant):
            return "navigateur"
        return "reportlab" if isinstance(self.spec, producer_reportlab.ReportlabVariant) else "bureautique"


VARIANTS: list[FamilyVariant] = [
    *(FamilyVariant(v.name, "story", v) for v in TEXT_VARIANTS),
    *(FamilyVariant(v.name, "reportlab", v) for v in producer_reportlab.VARIANTS),
    *(FamilyVariant(v.name, "bureautique", v) for v in producer_office.VARIANTS),
    *(FamilyVariant(v.name, "navigateur", v) for v in producer_browser.VARIANTS),
    FamilyVariant(SCANNED.name, SCANNED_FAMILY, SCANNED, scanned=True),
    FamilyVariant("scanne-lo", SCANNED_FAMILY, replace(producer_office.VARIANTS[0], name="scanne-lo", scanned=True),
                  scanned=True, scan_rotation=-0.4, scan_noise=0.003),
]


def variants_of(families: Iterable[str]) -> list[FamilyVariant]:
    wanted = set(families)
    unknown = wanted - set(FAMILIES)
    if unknown:
        raise ValueError(f"unknown families {sorted(unknown)}; known: {', '.join(FAMILIES)}")
    return [v for v in VARIANTS if v.family in wanted]


def variant_named(name: str) -> FamilyVariant:
    for v in VARIANTS:
        if v.name == name:
            return v
    raise ValueError(f"unknown variant {name!r}; known: {', '.join(v.name for v in VARIANTS)}")


def _furniture(info: dict) -> Furniture:
    return Furniture(title=info["title"], chamber=info["chamber"], doc_type=info["doc_type"],
                     departement=info["departement"])


def render_reports(keys: list[str], variant: FamilyVariant, corpus_dir: Path | None = None,
                   max_pages: int = 200, batch: int = 12) -> dict[str, bytes | Exception]:
    """Render corpus reports with one variant: key → PDF bytes, or the exception that stopped it
    (a report the renderer cannot lay out is the renderer's problem, not the extractor's)."""
    out: dict[str, bytes | Exception] = {}
    if variant.producer == "bureautique":
        spec = variant.spec
        assert isinstance(spec, producer_office.OfficeVariant)
        for i in range(0, len(keys), batch):
            documents: dict[str, str] = {}
            for key in keys[i:i + batch]:
                try:
                    info = corpus_report_info(key, corpus_dir)
                    documents[key] = producer_office.fodt(parse_report_html(info["html"]), spec, _furniture(info))
                except Exception as exc:  # noqa: BLE001 - recorded, never fatal
                    out[key] = exc
            pdfs = producer_office.convert(documents)
            for key in documents:
                pdf = pdfs.get(key)
                out[key] = producer_office.cap_pages(pdf, max_pages) if pdf else \
                    RuntimeError("LibreOffice produced no PDF")
    else:
        for key in keys:
            try:
                if variant.producer == "story":
                    assert isinstance(variant.spec, RenderVariant)
                    out[key] = render_corpus_report(key, corpus_dir=corpus_dir, variant=variant.spec,
                                                    max_pages=max_pages)
                    continue  # the story renderer rasterises its own scanned variant
                info = corpus_report_info(key, corpus_dir)
                if variant.producer == "navigateur":
                    assert isinstance(variant.spec, producer_browser.BrowserVariant)
                    out[key] = producer_browser.render(parse_report_html(info["html"]), variant.spec,
                                                       _furniture(info), max_pages)
                    continue
                assert isinstance(variant.spec, producer_reportlab.ReportlabVariant)
                out[key] = producer_reportlab.render(parse_report_html(info["html"]), variant.spec,
                                                     _furniture(info), max_pages)
            except Exception as exc:  # noqa: BLE001 - recorded, never fatal
                out[key] = exc
    if variant.scanned and variant.producer != "story":
        out = {k: rasterize(v, dpi=150, rotation=variant.scan_rotation, noise=variant.scan_noise, seed=7)
               if isinstance(v, bytes) else v for k, v in out.items()}
    return out


def render_report(key: str, variant: FamilyVariant | str, corpus_dir: Path | None = None,
                  max_pages: int = 200) -> bytes:
    """One corpus report with one variant (raises what stopped it)."""
    chosen = variant_named(variant) if isinstance(variant, str) else variant
    result = render_reports([key], chosen, corpus_dir, max_pages)[key]
    if isinstance(result, Exception):
        raise result
    return result
