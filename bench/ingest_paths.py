"""The earlier ingest paths, put back for the same-run baseline of ``bench/bench_ingest.py``.

- lemmas by spaCy's full pipeline (tagger + rule lemmatiser) for every finding;
- OCR through MuPDF: the page rendered in RGB, written by MuPDF as a one-page PDF with
  Tesseract's invisible text layer, read back (``nlp.ocr.tesseract_pdf`` / ``ocr_blocks``);
- indexing that waits for each Meilisearch task (``worker.pipeline.WRITE_BEHIND`` off).

``python -m bench.ingest_paths baseline|current CELERY-WORKER-OPTIONS…`` runs a Celery worker
of ``worker.app`` with those paths (``baseline``) or the code as it is (``current``).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager


@contextmanager
def nothing():
    yield


@contextmanager
def baseline_ocr():
    import nlp.ocr as ocr  # noqa: PLC0415

    saved = ocr.tesseract_program
    ocr.tesseract_program = lambda: None  # type: ignore[assignment] - ocr_page falls back to MuPDF
    try:
        yield
    finally:
        ocr.tesseract_program = saved  # type: ignore[assignment]


def use_baseline() -> None:
    """Patch this process for good (a baseline worker)."""
    import nlp.ocr as ocr  # noqa: PLC0415
    import search.indexer as indexer  # noqa: PLC0415
    import search.lemmas as lemmas  # noqa: PLC0415
    import worker.pipeline as pipeline  # noqa: PLC0415

    lemmas.lemmatize = lemmas.lemmatize_tagged  # type: ignore[assignment]
    indexer.lemmatize = lemmas.lemmatize_tagged  # type: ignore[assignment]
    ocr.tesseract_program = lambda: None  # type: ignore[assignment]
    pipeline.WRITE_BEHIND = False


def main(argv: list[str]) -> None:
    mode, options = argv[0], argv[1:]
    if mode == "baseline":
        use_baseline()
    elif mode != "current":
        raise SystemExit(f"mode: baseline or current, not {mode!r}")
    from worker.app import celery_app  # noqa: PLC0415

    celery_app.worker_main(["worker", *options])


if __name__ == "__main__":
    main(sys.argv[1:])
