"""Run the extraction evaluation: render each gold report to PDF, understand it, score.

Rendering uses ``lab.replica.render.render_corpus_report`` (each text-layer variant, and the
scanned variant apart, whose pages go through OCR); reading uses
``nlp.report.understand``. Failures of one report are recorded, never fatal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from constats.domain import Report
from lab.evaluate.scoring import GOLD_PATH, _prf, format_table, load_gold, score_extraction
from lab.replica.render import SCANNED, TEXT_VARIANTS, render_corpus_report
from nlp.report import understand

EVALUATION_PATH = GOLD_PATH.parent / "EVALUATION.md"


@dataclass
class VariantRun:
    name: str
    scanned: bool
    scores: dict
    reports: int
    pages: int
    render_seconds: float
    extract_seconds: float
    failures: dict[str, str] = field(default_factory=dict)  # extraction failures (scored as empty)
    render_failures: dict[str, str] = field(default_factory=dict)  # not scored: the renderer's problem

    @property
    def seconds_per_page(self) -> float:
        return self.extract_seconds / self.pages if self.pages else 0.0


def _variants(which: str):
    text = list(TEXT_VARIANTS) if which in ("all", "text") else []
    scanned = [SCANNED] if which in ("all", "scanned") else []
    return text, scanned


def run_variant(rows: list[dict], variant, scanned: bool, corpus_dir: Path | None = None,
                progress=None, ocr_cache: Path | None = None) -> VariantRun:

    name = getattr(variant, "name", str(variant))
    predictions: dict[str, Report] = {}
    failures: dict[str, str] = {}
    pages = 0
    render_s = extract_s = 0.0
    render_failures: dict[str, str] = {}
    scored = []
    for row in rows:
        key = row["key"]
        try:
            t0 = time.perf_counter()
            pdf = render_corpus_report(key, corpus_dir=corpus_dir, variant=variant)
            t1 = time.perf_counter()
        except Exception as exc:  # noqa: BLE001 - a report the renderer cannot lay out is not scored
            render_failures[key] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        scored.append(row)
        try:
            report = understand(pdf, report_id=key, ocr_cache=ocr_cache)
            t2 = time.perf_counter()
        except Exception as exc:  # noqa: BLE001 - an extraction failure scores as an empty report
            failures[key] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        render_s += t1 - t0
        extract_s += t2 - t1
        pages += report.n_pages
        predictions[key] = report
        if progress:
            progress(name, key, report)
    scores = score_extraction(scored, predictions, use_similarity=scanned)
    return VariantRun(name, scanned, scores, len(predictions), pages, render_s, extract_s, failures,
                      render_failures)


def evaluate(which: str = "all", limit: int | None = None, scanned_limit: int | None = 6,
             corpus_dir: Path | None = None, progress=None, ocr_cache: Path | None = None) -> list[VariantRun]:
    """Score every variant. ``ocr_cache``: an OCR cache directory for the scanned variant (a warm
    cache makes its time per page that of a re-read, not of OCR)."""
    rows = load_gold(corpus_dir=corpus_dir)[:limit] if limit else load_gold(corpus_dir=corpus_dir)
    text_variants, scanned_variants = _variants(which)
    runs = [run_variant(rows, v, False, corpus_dir, progress) for v in text_variants]
    if text_variants:
        runs.append(_pooled(runs))
    scanned_rows = rows[:scanned_limit] if scanned_limit else rows
    runs += [run_variant(scanned_rows, v, True, corpus_dir, progress, ocr_cache) for v in scanned_variants]
    return runs


def _pooled(runs: list[VariantRun]) -> VariantRun:
    """All text-layer variants together: counts summed, rates recomputed."""

    findings = {}
    for kind in runs[0].scores["findings"]:
        tp, fp, fn = (sum(r.scores["findings"][kind][k] for r in runs) for k in ("tp", "fp", "fn"))
        findings[kind] = _prf(tp, fp, fn)
    metadata = {}
    for name in runs[0].scores["metadata"]:
        c = sum(r.scores["metadata"][name]["correct"] for r in runs)
        t = sum(r.scores["metadata"][name]["total"] for r in runs)
        metadata[name] = {"correct": c, "total": t, "accuracy": round(c / t, 4) if t else None}
    unlinkable = {k: sum(r.scores["epci_unlinkable"][k] for r in runs) for k in runs[0].scores["epci_unlinkable"]}
    errors = {f"{r.name}:{key}": errs for r in runs for key, errs in r.scores["errors"].items()}
    scores = {"reports": sum(r.scores["reports"] for r in runs), "match": runs[0].scores["match"],
              "findings": findings, "metadata": metadata, "epci_unlinkable": unlinkable, "errors": errors}
    return VariantRun("all text variants (pooled: reports × variants)", False, scores, sum(r.reports for r in runs),
                      sum(r.pages for r in runs), sum(r.render_seconds for r in runs),
                      sum(r.extract_seconds for r in runs),
                      {f"{r.name}:{k}": v for r in runs for k, v in r.failures.items()},
                      {f"{r.name}:{k}": v for r in runs for k, v in r.render_failures.items()})


def error_summary(scores: dict, limit: int = 12) -> list[str]:
    """Error counts by type and the reports that carry most of them (keys and numbers only:
    no report text is written to the repository)."""
    from collections import Counter  # noqa: PLC0415

    by_type: Counter = Counter()
    by_report: Counter = Counter()
    for key, errors in scores["errors"].items():
        for error in errors:
            label = error["type"] if error["type"] != "metadata" else f"metadata:{error['field']}"
            if error["type"] in ("fp", "fn", "status"):
                label = f"{error['type']}:{error.get('kind', '')}"
            by_type[label] += 1
            by_report[key] += 1
    if not by_type:
        return []
    lines = ["Errors by type: " + ", ".join(f"{label} {n}" for label, n in by_type.most_common()) + "."]
    lines.append("Reports with most errors: " + ", ".join(f"`{key}` ({n})" for key, n in by_report.most_common(limit))
                 + ".")
    return lines


def markdown(runs: list[VariantRun], gold_reports: int) -> str:
    out = ["# Extraction evaluation", "",
           f"Generated by `constats eval extraction` on {date.today().isoformat()} against "
           f"models/gold/extraction.jsonl ({gold_reports} hand-checked reports). Each gold report is "
           "rendered to PDF by `lab.replica.render` and read by `nlp.report.understand`; "
           "scores by `lab.evaluate.scoring.score_extraction` (see models/gold/README.md).", ""]
    for run in runs:
        title = f"Variant `{run.name}`" + (" (scanned, OCR)" if run.scanned else "")
        out.append(format_table(run.scores, title))
        out.append(f"{run.reports} reports read, {run.pages} pages, extraction "
                   f"{run.seconds_per_page:.3f} s/page (render {run.render_seconds:.1f} s total). "
                   f"Extraction failures (scored as empty): {len(run.failures)}. "
                   f"Not rendered (not scored): {len(run.render_failures)}"
                   + (f" ({', '.join(sorted(run.render_failures)[:12])}{'…' if len(run.render_failures) > 12 else ''})"
                      if run.render_failures else "") + ".")
        for key, message in list(run.failures.items())[:10]:
            out.append(f"- extraction failure `{key}`: {message}")
        out.append("")
        out += error_summary(run.scores)
        out.append("")
    return "\n".join(out)
