"""Extraction speed: ``read_pdf`` + ``understand_document`` against raw PyMuPDF ``get_text()``.

Both passes read the same PDFs (corpus documents rendered to report-shaped PDFs, text
layer) in the same run, alternating, best of N. Target: the structured path costs at
most 2.5× the raw pass. Run: ``python -m bench extract``.

For the record of where the time goes, a third pass (not part of the ratio) reads the same
pages with PyMuPDF's ``get_text("dict")`` alone, with the extractor's flags: the part of the
structured path spent inside PyMuPDF; the rest is the project's Python (layout, structure,
findings, metadata).
"""

from __future__ import annotations

import gc
import os
import time

import pymupdf

KEYS = ["260333", "388687", "390310", "392937", "399912", "392764", "391863", "400612"]
ROUNDS = 5


def _pdfs() -> list[bytes]:
    """The project's renderer (``replica.render``) where it lays the document out, else the tests' one."""
    from tests.pdf_fixtures import render_corpus

    out = []
    for i, key in enumerate(KEYS):
        try:
            from replica.render import TEXT_VARIANTS, render_corpus_report

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
    from nlp.pagetext import page_blocks

    n = 0
    for data in pdfs:
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            for page in doc:
                page_blocks(page)
                n += 1
    return n


def _structured(pdfs: list[bytes]) -> int:
    from nlp.pdf import read_pdf
    from nlp.report import understand_document

    n = 0
    for i, data in enumerate(pdfs):
        doc = read_pdf(data, ocr=False)
        understand_document(doc, f"r{i}")
        n += len(doc.pages)
    return n


def main() -> dict:
    pdfs = _pdfs()
    passes = (("raw", _raw), ("structured", _structured), ("dict", _dict))
    best = {name: float("inf") for name, _ in passes}
    pages = 0
    load_before = os.getloadavg()[0]
    for _ in range(ROUNDS):
        for name, fn in passes:
            gc.collect()
            t = time.perf_counter()
            pages = fn(pdfs)
            best[name] = min(best[name], time.perf_counter() - t)
    load_after = os.getloadavg()[0]
    raw_pps, st_pps = pages / best["raw"], pages / best["structured"]
    ratio = best["structured"] / best["raw"]
    dict_share = best["dict"] / best["raw"]
    print(f"{len(pdfs)} PDFs, {pages} text-layer pages, best of {ROUNDS}, "
          f"load average {load_before:.2f} -> {load_after:.2f}")
    print(f"raw page.get_text():           {raw_pps:8.0f} pages/s")
    print(f"read_pdf + understand_document: {st_pps:8.0f} pages/s")
    print(f"  of which PyMuPDF get_text('dict') alone: {dict_share:.2f}x raw, the project's Python: "
          f"{ratio - dict_share:.2f}x raw")
    print(f"cost ratio structured/raw: {ratio:.2f}x (target <= 2.5x)")
    return {"pages": pages, "raw_pages_per_s": raw_pps, "structured_pages_per_s": st_pps, "ratio": ratio,
            "dict_ratio": dict_share, "load": (load_before, load_after)}


if __name__ == "__main__":
    main()
