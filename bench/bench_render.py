"""Renderer speed: corpus reports rendered to CRC-shaped PDFs, against a raw Story baseline.

Baseline (same run, same documents): the report's HTML laid out as-is by a bare
``pymupdf.Story`` on A4 pages (no cover, header, footer, footnote placement, table
fitting), capped at the same page count. Prints seconds per report, pages per second and
the ratio to the baseline; also counts reports cut at the page cap and failures.

``python -m bench render`` (sample of 40 reports) or
``CONSTATS_BENCH_RENDER_ALL=1 python -m bench render`` (every corpus document, variants rotating).
"""

from __future__ import annotations

import csv
import io
import os
import random
import statistics
import time
from pathlib import Path

import pymupdf

from lab.replica.render import TEXT_VARIANTS, render_corpus_report, render_sample, sample_reports

MAX_PAGES = 200


def _corpus() -> Path:
    return (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "docjf").resolve()


def _raw_story(html: str, max_pages: int) -> int:
    story = pymupdf.Story(html)
    writer = pymupdf.DocumentWriter(io.BytesIO())
    pages, more = 0, True
    while more and pages < max_pages:
        device = writer.begin_page(pymupdf.paper_rect("a4"))
        more, _ = story.place(pymupdf.Rect(70, 70, 525, 772))
        story.draw(device)
        writer.end_page()
        pages += 1
    writer.close()
    return pages


def main() -> dict:
    corpus = _corpus()
    results: dict = {}
    if (corpus / "metadata.csv").exists():
        with open(corpus / "metadata.csv", encoding="utf-8") as fh:
            keys = [row["key"] for row in csv.DictReader(fh)]
        if not os.environ.get("CONSTATS_BENCH_RENDER_ALL"):
            keys = random.Random(3).sample(keys, min(40, len(keys)))
        ours = raw = 0.0
        pages = cut = failed = 0
        slowest = (0.0, "")
        times: list[float] = []
        for i, key in enumerate(keys):
            variant = TEXT_VARIANTS[i % len(TEXT_VARIANTS)]
            html = (corpus / "html" / f"{key}.html").read_text(encoding="utf-8")
            start = time.perf_counter()
            _raw_story(html, MAX_PAGES)
            raw += time.perf_counter() - start
            start = time.perf_counter()
            try:
                pdf = render_corpus_report(key, corpus, variant=variant, max_pages=MAX_PAGES)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                failed += 1
                print(f"  {key}: {type(exc).__name__}: {exc}")
                continue
            spent = time.perf_counter() - start
            ours += spent
            times.append(spent)
            slowest = max(slowest, (spent, key))
            with pymupdf.open(stream=pdf, filetype="pdf") as doc:
                pages += len(doc)
                cut += len(doc) >= MAX_PAGES
        n = len(keys) - failed
        results["corpus"] = {
            "reports": len(keys), "failed": failed, "cut_at_cap": cut, "pages": pages,
            "s_per_report": round(ours / max(n, 1), 3),
            "median_s_per_report": round(statistics.median(times), 3) if times else None,
            "pages_per_s": round(pages / ours, 1),
            "raw_story_s_per_report": round(raw / len(keys), 3),
            "ratio_to_raw_story": round(ours / raw, 2),
            "slowest": [round(slowest[0], 2), slowest[1]],
        }
        print("corpus", results["corpus"])
    samples = sample_reports()
    start = time.perf_counter()
    for sample in samples:
        render_sample(sample)
    results["samples_s_per_report"] = round((time.perf_counter() - start) / len(samples), 3)
    print("samples", results["samples_s_per_report"], "s per report")
    return results


if __name__ == "__main__":
    main()
