"""Extraction speed: ``read_pdf`` + ``understand_document`` against raw PyMuPDF ``get_text()``.

Both passes read the same PDFs (corpus documents rendered to report-shaped PDFs, text
layer) in the same run. Target: the structured path costs at most 2.5× the raw pass. Run:
``python -m bench extract``.

The machine is shared, so the ratio is measured on this process's CPU time
(``time.process_time``), not wall time: other processes taking the cores slow both passes
in wall time unevenly, but not their CPU time. Within each round the raw and the structured
pass alternate PDF by PDF (the order of the two flipping every round), so that a slower
spell of the machine (caches, frequency) falls on both; the ratio of each round is the
structured CPU time over the raw CPU time of that round, and the result is the median of
the rounds, with their min and max.

For the record of where the time goes, a third pass (not part of the ratio) reads the same
pages with PyMuPDF's ``get_text("dict")`` alone, with the extractor's flags: the part of the
structured path spent inside PyMuPDF; the rest is the project's Python (layout, structure,
findings, metadata).
"""

from __future__ import annotations

import gc
import os
import statistics
import time

import pymupdf

from nlp.pagetext import page_blocks
from nlp.pdf import read_pdf
from nlp.report import understand_document
from tests.pdf_fixtures import render_corpus

KEYS = ["260333", "388687", "390310", "392937", "399912", "392764", "391863", "400612"]
ROUNDS = 9


def _pdfs() -> list[bytes]:
    """The project's renderer (``lab.replica.render``) where it lays the document out, else the tests' one."""

    out = []
    for i, key in enumerate(KEYS):
        try:
            from lab.replica.render import TEXT_VARIANTS, render_corpus_report

            out.append(render_corpus_report(key, variant=TEXT_VARIANTS[i % len(TEXT_VARIANTS)]))
        except Exception:  # noqa: BLE001 - ImportError, or a layout the renderer cannot place
            out.append(render_corpus(key, variant=i))
    return out


def _raw(pdfs: list[bytes]) -> int:
    n = 0
    for data in pdfs:
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            for page in doc:
                page.get_text()
                n += 1
    return n


def _dict(pdfs: list[bytes]) -> int:

    n = 0
    for data in pdfs:
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            for page in doc:
                page_blocks(page)
                n += 1
    return n


def _structured(pdfs: list[bytes]) -> int:

    n = 0
    for i, data in enumerate(pdfs):
        doc = read_pdf(data, ocr=False)
        understand_document(doc, f"r{i}")
        n += len(doc.pages)
    return n


def _one(fn, data: bytes) -> tuple[float, int]:
    """CPU seconds of ``fn`` on one PDF (collector emptied first, outside the timing) and its pages."""
    gc.collect()
    t = time.process_time()
    n = fn([data])
    return time.process_time() - t, n


def main(rounds: int = ROUNDS) -> dict:
    pdfs = _pdfs()
    _structured(pdfs[:1])  # warm-up: imports, compiled patterns, lazily loaded tables
    passes = (("raw", _raw), ("structured", _structured), ("dict", _dict))
    per_round: list[dict[str, float]] = []
    pages = 0
    load_before = os.getloadavg()[0]
    for r in range(rounds):
        spent = {name: 0.0 for name, _ in passes}
        pages = 0
        order = passes if r % 2 == 0 else passes[::-1]
        for data in pdfs:
            for name, fn in order:
                cpu, n = _one(fn, data)
                spent[name] += cpu
            pages += n
        per_round.append(spent)
    load_after = os.getloadavg()[0]
    ratios = sorted(r["structured"] / r["raw"] for r in per_round)
    ratio = statistics.median(ratios)
    dict_share = statistics.median(r["dict"] / r["raw"] for r in per_round)
    raw_pps = statistics.median(pages / r["raw"] for r in per_round)
    st_pps = statistics.median(pages / r["structured"] for r in per_round)
    print(f"{len(pdfs)} PDFs, {pages} text-layer pages, {rounds} rounds (CPU time, raw and structured "
          f"interleaved per PDF), load average {load_before:.2f} -> {load_after:.2f}")
    print(f"raw page.get_text():           {raw_pps:8.0f} pages/s (median of rounds, CPU time)")
    print(f"read_pdf + understand_document: {st_pps:8.0f} pages/s")
    print(f"  of which PyMuPDF get_text('dict') alone: {dict_share:.2f}x raw, the project's Python: "
          f"{ratio - dict_share:.2f}x raw")
    print(f"cost ratio structured/raw: {ratio:.2f}x median, min {ratios[0]:.2f}x, max {ratios[-1]:.2f}x "
          f"(target <= 2.5x)")
    return {"pages": pages, "raw_pages_per_s": raw_pps, "structured_pages_per_s": st_pps, "ratio": ratio,
            "ratio_min": ratios[0], "ratio_max": ratios[-1], "ratios": ratios, "rounds": rounds,
            "dict_ratio": dict_share, "load": (load_before, load_after)}


if __name__ == "__main__":
    main()
