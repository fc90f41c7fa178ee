"""Access to the shared development corpus (read at run time, never copied)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus" / "docjf").resolve()

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "metadata.csv").exists(),
    reason=f"development corpus not found at {CORPUS} (only on the developers' machines and CI)",
)


def corpus_metadata() -> list[dict]:
    with open(CORPUS / "metadata.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def corpus_html(key: str) -> str:
    return (CORPUS / "html" / f"{key}.html").read_text(encoding="utf-8")


def corpus_txt(key: str) -> str:
    return (CORPUS / "txt" / f"{key}.txt").read_text(encoding="utf-8")
