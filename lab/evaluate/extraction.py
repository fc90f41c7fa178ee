"""Run the extraction evaluation: render each gold report with every layout family, read, score.

Families (``lab.replica.families``): ``story`` (the project's first renderer, 4 variants),
``reportlab``, ``bureautique`` (LibreOffice) and ``scanne`` (page images, OCR) apart. Every
number is given per family and pooled, on the DEVELOPMENT and the TEST reports of
``models/gold/split.json`` apart, with bootstrap intervals over reports. Reading uses
``nlp.report.understand``; failures of one report are recorded, never fatal. A subset (some
families, some keys, one split, the first N) runs fast for iterating on the extractor.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from constats.domain import Report
from lab.evaluate.scoring import (
    GOLD_PATH,
    NoiseContext,
    add_counts,
    bootstrap,
    format_table,
    load_gold,
    noise_context,
    score_extraction,
    summarise,
)
from lab.replica.families import FAMILIES, SCANNED_FAMILY, FamilyVariant, render_reports, variants_of
from lab.replica.html_model import parse_report_html
from lab.replica.render import corpus_report_info
from nlp.report import understand

EVALUATION_PATH = GOLD_PATH.parent / "EVALUATION.md"
SPLIT_PATH = GOLD_PATH.parent / "split.json"
SPLITS = ("dev", "test")

#: the headline numbers, each with a bootstrap interval over reports
HEADLINE = {
    "recommandation F1": lambda s: s["every_item"]["recommandation"]["f1"],
    "rappel F1": lambda s: s["every_item"]["rappel_au_droit"]["f1"],
    "recommandation F1 (listed)": lambda s: s["findings"]["recommandation"]["f1"],
    "rappel F1 (listed)": lambda s: s["findings"]["rappel_au_droit"]["f1"],
    "suivi F1": lambda s: s["every_item"]["suivi"]["f1"],
    "status": lambda s: s["metadata"]["status_all"]["accuracy"],
    "deliberation date": lambda s: s["metadata"]["deliberation_date"]["accuracy"],
    "year": lambda s: s["metadata"]["year"]["accuracy"],
    "year source": lambda s: s["metadata"]["year_source"]["accuracy"],
    "commune INSEE": lambda s: s["metadata"]["insee"]["accuracy"],
    "seat INSEE": lambda s: s["metadata"]["seat_insee"]["accuracy"],
    "EPCI SIREN": lambda s: s["metadata"]["siren"]["accuracy"],
    "body kind": lambda s: s["metadata"]["body_kind"]["accuracy"],
    "noise rate": lambda s: s["noise"]["rate"],
}


def load_split(path: Path | None = None) -> dict[str, str]:
    """Report key → "dev" or "test" (``models/gold/split.json``)."""
    data = json.loads(Path(path or SPLIT_PATH).read_text(encoding="utf-8"))
    out = {key: "dev" for key in data["dev"]}
    overlap = set(out) & set(data["test"])
    if overlap:
        raise ValueError(f"keys in both dev and test: {sorted(overlap)}")
    out.update({key: "test" for key in data["test"]})
    return out


@dataclass
class VariantRun:
    name: str
    family: str
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


def _context(key: str, variant: FamilyVariant, corpus_dir: Path | None) -> NoiseContext:
    """Running-header strings and table cells of the rendered report (for the noise count)."""
    info = corpus_report_info(key, corpus_dir)
    parsed = parse_report_html(info["html"])
    rows = [row for block in parsed.blocks if block.kind == "table" for row in block.rows]
    headers = {info["title"], info["chamber"], info["doc_type"], "RAPPORT D’OBSERVATIONS DÉFINITIVES"}
    spec = variant.spec
    for template in (getattr(spec, "header_text", None), getattr(spec, "header", None)):
        if template:
            headers.add(template.format(body=info["title"], chamber=info["chamber"]).replace("\t", " "))
    from lab.replica.html_model import inline_text  # noqa: PLC0415

    return noise_context(headers, [[inline_text(c) for c in row] for row in rows])


def run_variant(rows: list[dict], variant: FamilyVariant, corpus_dir: Path | None = None,
                progress=None, ocr_cache: Path | None = None, ocr_dpi: int | None = None) -> VariantRun:
    predictions: dict[str, Report] = {}
    failures: dict[str, str] = {}
    render_failures: dict[str, str] = {}
    contexts: dict[str, NoiseContext] = {}
    pages = 0
    extract_s = 0.0
    t0 = time.perf_counter()
    rendered = render_reports([row["key"] for row in rows], variant, corpus_dir)
    render_s = time.perf_counter() - t0
    scored = []
    for row in rows:
        key = row["key"]
        pdf = rendered.get(key)
        if not isinstance(pdf, bytes):
            render_failures[key] = f"{type(pdf).__name__}: {pdf}"[:300]
            continue
        scored.append(row)
        try:
            contexts[key] = _context(key, variant, corpus_dir)
        except Exception:  # noqa: BLE001 - no context: only captions and TOC lines are told
            pass
        t1 = time.perf_counter()
        try:
            report = understand(pdf, report_id=key, ocr_cache=ocr_cache, ocr_dpi=ocr_dpi)
        except Exception as exc:  # noqa: BLE001 - an extraction failure scores as an empty report
            failures[key] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        extract_s += time.perf_counter() - t1
        pages += report.n_pages
        predictions[key] = report
        if progress:
            progress(variant.name, key, report)
    scores = score_extraction(scored, predictions, use_similarity=variant.scanned, contexts=contexts)
    return VariantRun(variant.name, variant.family, variant.scanned, scores, len(predictions), pages, render_s,
                      extract_s, failures, render_failures)


def select_rows(rows: list[dict], keys: list[str] | None = None, split: str | None = None,
                limit: int | None = None, splits: dict[str, str] | None = None) -> list[dict]:
    if keys:
        wanted = set(keys)
        missing = wanted - {r["key"] for r in rows}
        if missing:
            raise ValueError(f"not in the gold: {', '.join(sorted(missing))}")
        rows = [r for r in rows if r["key"] in wanted]
    if split:
        splits = splits or load_split()
        rows = [r for r in rows if splits.get(r["key"]) == split]
    return rows[:limit] if limit else rows


def scanned_rows(rows: list[dict], n: int, splits: dict[str, str], corpus_dir: Path | None = None) -> list[dict]:
    """The ``n`` shortest reports of each split among ``rows`` (OCR costs seconds a page)."""
    if not n:
        return rows
    out = []
    for split in SPLITS:
        members = [r for r in rows if splits.get(r["key"]) == split]

        def size(row: dict) -> int:
            try:
                return len(corpus_report_info(row["key"], corpus_dir)["html"])
            except Exception:  # noqa: BLE001
                return 10**9

        out += sorted(members, key=size)[:n]
    return out


def evaluate(families: list[str] | tuple[str, ...] = FAMILIES, keys: list[str] | None = None,
             split: str | None = None, limit: int | None = None, scanned_limit: int | None = 3,
             corpus_dir: Path | None = None, progress=None, ocr_cache: Path | None = None,
             ocr_dpi: int | None = None) -> list[VariantRun]:
    """Score every variant of ``families`` on the selected gold reports. The scanned family reads
    the ``scanned_limit`` shortest reports of each split (all selected ones with 0/None).
    ``ocr_cache``: an OCR cache directory (a warm cache makes a re-run fast); ``ocr_dpi``: the
    resolution of the OCR (default: ``nlp.pdf``'s, the settings' default)."""
    splits = load_split()
    rows = select_rows(load_gold(corpus_dir=corpus_dir), keys, split, limit, splits)
    runs = []
    for variant in variants_of(families):
        chosen = scanned_rows(rows, scanned_limit or 0, splits, corpus_dir) if variant.scanned else rows
        runs.append(run_variant(chosen, variant, corpus_dir, progress, ocr_cache if variant.scanned else None,
                                ocr_dpi if variant.scanned else None))
    return runs


# --------------------------------------------------------------------------- per family, per split
@dataclass
class FamilyScore:
    family: str
    split: str  # dev, test or all
    variants: list[str]
    scores: dict  # summarise() of the pooled counts
    reports: int
    intervals: dict[str, tuple[float, float] | None]


def family_scores(runs: list[VariantRun], splits: dict[str, str] | None = None,
                  n_boot: int = 1000) -> list[FamilyScore]:
    """Per family (and the text families pooled), per split: pooled counts over reports × variants,
    bootstrap intervals over reports."""
    splits = splits or load_split()
    groups: dict[str, list[VariantRun]] = {}
    for run in runs:
        groups.setdefault(run.family, []).append(run)
    text = [r for r in runs if not r.scanned]
    if len({r.family for r in text}) > 1:
        groups["text families pooled"] = text
    out = []
    for family, members in groups.items():
        for split in (*SPLITS, "all"):
            per_report: dict[str, dict[str, list[int]]] = {}
            for run in members:
                for key, counts in run.scores["per_report"].items():
                    if split == "all" or splits.get(key) == split:
                        add_counts(per_report.setdefault(key, {}), counts)
            if not per_report:
                continue
            total: dict[str, list[int]] = {}
            for counts in per_report.values():
                add_counts(total, counts)
            intervals = bootstrap(per_report, HEADLINE, n=n_boot, seed=12)
            out.append(FamilyScore(family, split, [r.name for r in members], summarise(total), len(per_report),
                                   intervals))
    return out


def _cell(score: FamilyScore, name: str) -> str:
    value = HEADLINE[name](score.scores)
    if value is None:
        return "–"
    ci = score.intervals.get(name)
    return f"{value:.3f} [{ci[0]:.2f}–{ci[1]:.2f}]" if ci else f"{value:.3f}"


def headline_table(scores: list[FamilyScore], split: str, names: list[str] | None = None) -> str:
    """One line per family: the headline numbers of one split, with 95 % intervals."""
    names = names or list(HEADLINE)
    rows = [s for s in scores if s.split == split]
    lines = ["| family | reports | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for s in rows:
        lines.append(f"| {s.family} | {s.reports} | " + " | ".join(_cell(s, n) for n in names) + " |")
    return "\n".join(lines) + "\n"


def error_summary(scores: dict, limit: int = 12) -> list[str]:
    """Error counts by type and the reports that carry most of them (keys and numbers only:
    no report text is written to the repository)."""
    by_type: Counter = Counter()
    by_report: Counter = Counter()
    for key, errors in scores["errors"].items():
        for error in errors:
            label = error["type"] if error["type"] != "metadata" else f"metadata:{error['field']}"
            if error["type"] in ("fp", "fn", "status", "status_missed"):
                label = f"{error['type']}:{error.get('kind', '')}" + (":in_paragraph" if error.get("in_paragraph")
                                                                       else "")
            if error["type"] == "noise":
                label = f"noise:{error['noise']}"
            by_type[label] += 1
            by_report[key] += 1
    if not by_type:
        return []
    return ["Errors by type: " + ", ".join(f"{label} {n}" for label, n in by_type.most_common()) + ".",
            "Reports with most errors: " + ", ".join(f"`{key}` ({n})" for key, n in by_report.most_common(limit)) + "."]


def markdown(runs: list[VariantRun], gold_reports: int, splits: dict[str, str] | None = None,
             preamble: str = "") -> str:
    splits = splits or load_split()
    scores = family_scores(runs, splits)
    out = ["# Extraction evaluation", "",
           f"Generated by `constats eval extraction` on {date.today().isoformat()} against "
           f"models/gold/extraction.jsonl ({gold_reports} hand-checked reports; development / test split "
           "in models/gold/split.json). Each gold report is rendered to PDF by every variant of every layout "
           "family (`lab.replica.families`) and read by `nlp.report.understand`; scores by "
           "`lab.evaluate.scoring` (definitions in models/gold/README.md). Intervals: 95 % bootstrap over "
           "reports (1000 draws; a report's variants are drawn together).", ""]
    if preamble:
        out += [preamble, ""]
    main = ["recommandation F1", "rappel F1", "status", "deliberation date", "year", "commune INSEE",
            "seat INSEE", "noise rate"]
    more = ["recommandation F1 (listed)", "rappel F1 (listed)", "suivi F1", "year source", "EPCI SIREN", "body kind"]
    for split, title in (("test", "TEST reports (held out: the headline numbers)"),
                         ("dev", "DEVELOPMENT reports (the extractor's authors may read these errors)")):
        if any(s.split == split for s in scores):
            out += [f"## {title}", "", headline_table(scores, split, main), headline_table(scores, split, more)]
    out += ["## Per variant (dev and test together)", ""]
    for run in runs:
        title = f"Variant `{run.name}` (family {run.family}{', scanned, OCR' if run.scanned else ''})"
        out.append(format_table(run.scores, title))
        out.append(f"{run.reports} reports read, {run.pages} pages, extraction "
                   f"{run.seconds_per_page:.3f} s/page (render {run.render_seconds:.1f} s total). "
                   f"Extraction failures (scored as empty): {len(run.failures)}. "
                   f"Not rendered (not scored): {len(run.render_failures)}"
                   + (f" ({', '.join(sorted(run.render_failures)[:12])})" if run.render_failures else "") + ".")
        dev_only = {"errors": {k: v for k, v in run.scores["errors"].items() if splits.get(k) == "dev"}}
        out += ["", *error_summary(dev_only), "(errors listed for development reports only)", ""]
    return "\n".join(out)


def errors_json(runs: list[VariantRun], splits: dict[str, str] | None = None, include_test: bool = False) -> dict:
    """Per-report errors of each variant; TEST reports' errors only when asked (they are not for
    the extractor's authors)."""
    splits = splits or load_split()
    return {run.name: {"family": run.family,
                       "errors": {k: v for k, v in run.scores["errors"].items()
                                  if include_test or splits.get(k) != "test"},
                       "failures": run.failures, "render_failures": run.render_failures} for run in runs}


__all__ = ["evaluate", "family_scores", "markdown", "headline_table", "errors_json", "load_split", "SCANNED_FAMILY",
           "VariantRun", "FamilyScore", "EVALUATION_PATH", "SPLIT_PATH"]
