"""Noise never becomes a finding, over the WHOLE development corpus (issue 12).

Every ``txt/<key>.txt`` of the corpus is read as a ``Document`` (one paragraph a block, a line
with TABs a table row, 40 blocks a page) and understood by ``nlp.report.understand_document``:
no finding may be a table caption ("Source : …", "Note : …"), a table-of-contents line
("Recommandation n° 1 : …… page 21") or a table cell. The patterns below are the test's own,
written from the issue, not the extractor's.
"""

from __future__ import annotations

import re

import pytest

from constats.domain import Block, Document, Page
from nlp.report import understand_document
from tests.corpus import CORPUS, needs_corpus

CAPTION = re.compile(r"^\(?\s*(?:sources?|note)\s*:", re.I)
TOC = re.compile(r"(?:\.\s*|…\s*){3,}\s*(?:page\s*)?\d{1,4}\s*$|\bpage\s+\d{1,4}\s*$", re.I)
PER_PAGE = 40


def document_of_text(text: str) -> Document:
    """A ``Document`` of a corpus text: a block per paragraph, a table row per line with TABs."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    pages: list[Page] = []
    parts: list[str] = []
    pos = 0
    for p in range(0, len(lines), PER_PAGE):
        page = Page(number=len(pages) + 1, width=595, height=842, start=pos)
        for i, line in enumerate(lines[p:p + PER_PAGE]):
            table = "\t" in line
            page.blocks.append(Block(text=line, bbox=(70, 60 + 18 * i, 525, 75 + 18 * i), font_size=11,
                                     role="table" if table else "body", start=pos, end=pos + len(line),
                                     cells=[(70 + k * 60.0, 125 + k * 60.0) for k in range(line.count("\t") + 1)]
                                     if table else []))
            parts.append(line)
            pos += len(line) + 1
        page.end = pos
        pages.append(page)
    return Document(text="\n".join(parts), pages=pages)


def _keys() -> list[str]:
    return sorted(p.stem for p in (CORPUS / "txt").glob("*.txt")) if (CORPUS / "txt").is_dir() else []


def test_document_of_text_offsets():
    doc = document_of_text("Un.\n\nDeux\tcellule\nTrois")
    blocks = [b for p in doc.pages for b in p.blocks]
    assert [doc.text[b.start:b.end] for b in blocks] == ["Un.", "Deux\tcellule", "Trois"]
    assert [b.role for b in blocks] == ["body", "table", "body"]


@needs_corpus
@pytest.mark.slow
def test_no_caption_toc_line_or_table_cell_is_a_finding_over_the_whole_corpus():
    keys = _keys()
    assert len(keys) > 300
    bad: list[str] = []
    findings = 0
    for key in keys:
        doc = document_of_text((CORPUS / "txt" / f"{key}.txt").read_text(encoding="utf-8"))
        report = understand_document(doc, key)
        cells = {b.start: b for p in doc.pages for b in p.blocks if b.role == "table"}
        findings += len(report.findings)
        for f in report.findings:
            raw = doc.text[f.start:f.end]
            if CAPTION.match(f.text) or TOC.search(f.text):
                bad.append(f"{key} {f.kind} {f.start}-{f.end}: {f.text[:80]!r}")
            elif f.kind in ("observation", "synthese") and f.start in cells and "\t" in raw:
                bad.append(f"{key} {f.kind} {f.start}-{f.end}: a table row")
    assert findings > 10_000  # the corpus was read, not skipped
    assert not bad, f"{len(bad)} noise findings, e.g. {bad[:10]}"
