"""The search evaluation's data: a development and a test collection, split by report.

Reports: the *rapports d'observations définitives* of ``../shared/corpus/docjf`` that have
styled headings, drawn with a fixed seed; a report whose text duplicates another's is
dropped (a few documents exist under two keys), then the reports are dealt alternately to
the ``dev`` and ``test`` halves. No report serves both halves: every tuning decision looks
at ``dev`` only, every number reported comes from ``test``.

Findings: the paragraph units of ``lab.train.data.units`` (tables, short lines, front
matter, annexes and responses left out), each with the path of headings it sits under
(``section_path``). A collection is indexed twice by the evaluation: with the headings
(``kept``) and without them (``removed``), so that a ranking cannot win only by matching
headings.

Queries and judgments are data (``models/search/``), stored as report keys and character
offsets into ``txt/<key>.txt``, never as corpus text.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from lab.evaluate.ranking import CorpusReport, Para, corpus_reports
from lab.paths import MODELS
from lab.train import data as td

SEARCH_DATA = MODELS / "search"
TOPICS_PATH = SEARCH_DATA / "topics.json"
JUDGMENTS_PATH = SEARCH_DATA / "judgments.jsonl"
N_REPORTS = 120
SEED = 15
MIN_CHARS = 80
HALVES = ("dev", "test")


@dataclass
class Collection:
    """The findings of one half: (paragraph, report) pairs as the indexer takes them."""

    half: str
    reports: list[CorpusReport]
    pairs: list[tuple[Para, CorpusReport]] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {r.id[1:] for r in self.reports}


def para_id(key: str, start: int, end: int) -> str:
    return f"k{key}-{start}-{end}"


def parse_id(doc_id: str) -> tuple[str, int, int]:
    """(report key, start, end) of a paragraph id."""
    m = re.fullmatch(r"k([0-9-]+?)-(\d+)-(\d+)", doc_id)
    if not m:
        raise ValueError(f"not a corpus paragraph id: {doc_id}")
    return m.group(1), int(m.group(2)), int(m.group(3))


def build_collections(corpus_dir: Path, n_reports: int = N_REPORTS,
                      seed: int = SEED) -> dict[str, Collection]:
    """The two halves (see the module docstring)."""
    reports = corpus_reports(Path(corpus_dir))
    rng = random.Random(seed)
    rng.shuffle(reports)
    chosen: list[tuple[CorpusReport, str, list]] = []
    seen: set[str] = set()
    for report, txt in reports:
        if len(chosen) >= n_reports:
            break
        digest = hashlib.sha1(txt.encode()).hexdigest()
        if digest in seen:
            continue
        key = report.id[1:]
        _, heads = td.load_report(Path(corpus_dir), key)
        units = td.units(key, txt, heads, min_chars=MIN_CHARS)
        if len(heads) < 8 or len(units) < 20:
            continue
        seen.add(digest)
        chosen.append((report, txt, units))
    out = {h: Collection(h, []) for h in HALVES}
    for i, (report, _txt, units) in enumerate(chosen):
        col = out[HALVES[i % 2]]
        col.reports.append(report)
        for u in units:
            col.pairs.append((Para(id=para_id(u.key, u.start, u.end), report_id=report.id,
                                   text=u.text, page=1, start=u.start, end=u.end,
                                   section_path=tuple(u.path)), report))
    return out


def without_headings(pairs: list[tuple[Para, CorpusReport]]) -> list[tuple[Para, CorpusReport]]:
    return [(Para(**{**p.__dict__, "section_path": ()}), r) for p, r in pairs]


# ---------------------------------------------------------------------------- topic queries
def load_topics(path: Path = TOPICS_PATH) -> list[dict]:
    """Topic queries: ``{"id", "q", "half", "theme", "sector"}``, written the way magistrates
    type them (see ``models/search/README.md``)."""
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def load_judgments(path: Path = JUDGMENTS_PATH) -> dict[str, dict[str, int]]:
    """``{query id: {paragraph id: grade}}``; grades 0 (not about it), 1 (touches it),
    2 (about it). Unjudged paragraphs count as 0 and their share is reported."""
    out: dict[str, dict[str, int]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.setdefault(row["query"], {})[para_id(row["key"], row["start"], row["end"])] = row["grade"]
    return out


def save_judgments(judged: dict[str, dict[str, int]], path: Path = JUDGMENTS_PATH) -> None:
    rows = []
    for qid in sorted(judged):
        for doc_id in sorted(judged[qid], key=parse_id):
            key, start, end = parse_id(doc_id)
            rows.append(json.dumps({"query": qid, "key": key, "start": start, "end": end,
                                    "grade": judged[qid][doc_id]}))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
