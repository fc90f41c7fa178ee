"""Body observations and synthèse paragraphs as findings.

An observation is a paragraph, or a short run of paragraphs, under one heading of the
body, with that heading's path; a synthèse finding is one paragraph of the summary.
Table rows, headings and spans already taken by recommendations are left out.
"""

from __future__ import annotations

import bisect

from constats.domain import Document, Finding, Section, finding_id
from nlp.items import STATUS_TAG
from nlp.noise import is_noise
from nlp.structure import Line, SectionIndex, lines_of

#: A run of paragraphs stops growing past this many characters.
RUN_CHARS = 700
MIN_CHARS = 40


def make_finding(doc: Document, index: SectionIndex, report_id: str, kind: str, start: int, end: int,
                 number: str | None = None, status: str | None = None,
                 status_text: str | None = None, text: str | None = None) -> Finding:
    section = index.at(start)
    text = " ".join((text if text is not None else doc.text[start:end]).split())  # whitespace runs → one space
    page, page_end = doc.page_at(start), doc.page_at(max(start, end - 1))
    return Finding(id=finding_id(report_id, start, end), report_id=report_id, kind=kind, number=number,
                   text=text, page=page, page_end=page_end if page_end != page else None, start=start, end=end,
                   section_path=list(section.path) if section else [], status=status,
                   status_text=status_text if status else None)


def paragraph_findings(doc: Document, sections: list[Section], report_id: str, taken: list[tuple[int, int]],
                       lines: list[Line] | None = None, index: SectionIndex | None = None) -> list[Finding]:
    index = index or SectionIndex(sections)
    taken = sorted(taken)

    heading_starts = {s.start for s in sections}
    out: list[Finding] = []
    run: list = []
    run_section = None

    def flush():
        nonlocal run
        if run:
            start, end = run[0].start, run[-1].end
            if end - start >= MIN_CHARS:
                kind = "synthese" if run_section.kind == "synthese" else "observation"
                out.append(make_finding(doc, index, report_id, kind, start, end))
        run = []

    for line in lines if lines is not None else lines_of(doc):
        section = index.at(line.start)
        if (section is None or section.kind not in ("body", "synthese") or line.start in heading_starts
                or line.table or is_noise(line.text) or STATUS_TAG.match(line.text)):
            flush()  # (a follow-up tag, "[Recommandation partiellement mise en œuvre]", is no observation)
            continue
        if _overlaps(taken, line.start, line.end):
            # a recommendation stated in the paragraph is a finding of its own: the paragraph
            # keeps the rest, each untaken piece an observation of its own
            flush()
            run_section = section
            kind = "synthese" if section.kind == "synthese" else "observation"
            for start, end in _untaken(doc.text, taken, line.start, line.end):
                if end - start >= MIN_CHARS:
                    out.append(make_finding(doc, index, report_id, kind, start, end))
            continue
        if section is not run_section:
            flush()
            run_section = section
        if section.kind == "synthese":
            run = [line]
            flush()
            continue
        run.append(line)
        if run[-1].end - run[0].start >= RUN_CHARS:
            flush()
    flush()
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint ``spans``."""
    i = bisect.bisect_left(spans, (end, end))
    return i > 0 and spans[i - 1][1] > start


def _untaken(text: str, spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of [start, end) that no span of the sorted ``spans`` covers, trimmed."""
    pieces = []
    pos = start
    for a, b in spans[max(0, bisect.bisect_left(spans, (start, start)) - 1):]:
        if a >= end:
            break
        if b <= pos:
            continue
        if a > pos:
            pieces.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        pieces.append((pos, end))
    out = []
    for a, b in pieces:
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        a, b = a + lead, a + lead + len(piece.strip())
        if b > a:
            out.append((a, b))
    return out
