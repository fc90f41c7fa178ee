"""Build models/gold/extraction.jsonl from the hand-check decisions of lab/scripts/gold_spec.py,
lab/scripts/gold_spec_more.py and lab/scripts/gold_spec_extra.py (each module defines ``SPEC``, one
batch of reports; they are merged, a key defined twice is an error).

    python lab/scripts/gold_build.py [--show KEY...]

The decisions name paragraphs by their line number in ``txt/<key>.txt`` (one paragraph a
line); this script turns each into character offsets of the item's text: the paragraph
without its label ("Recommandation n° 3 :", "Rappel au droit n° 1 –", "(partiellement mise
en œuvre)"), list marker ("- ", "1/ ", "2. ") or trailing table cells (Hauts-de-France
status columns). No corpus text is written, only offsets. ``--show`` prints the resolved
texts of some reports to check them against the report once more.

Format v2 (models/gold/README.md, "Spec format"): an item is
``(kind, line, number, status[, options])`` with kind "R" recommandation, "A" rappel au
droit, "S" suivi (an item of the follow-up of an EARLIER audit); ``line`` is a paragraph
number or ``[first, last]`` (an item in several paragraphs). Options: ``part`` = ``[a, b]``
character offsets of the item INSIDE its paragraph line (an in-paragraph sentence; the build
adds the line's start); ``skip`` / ``cut`` regexes (an unusual label / a trailing status
sentence); ``keep_tabs``; ``alt`` = other occurrences, each a line, a ``[first, last]`` run,
or ``{"line": n, "part": [a, b]}`` (a sentence inside a paragraph; ``line`` may be
``[first, last]`` for a sentence cut over two paragraphs, ``a`` in the first, ``b`` in the last).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "lab" / "scripts"))

from gold_candidates import corpus_dir  # noqa: E402
from gold_spec import SPEC as _SPEC_MAIN  # noqa: E402
from gold_spec_extra import SPEC as _SPEC_EXTRA  # noqa: E402
from gold_spec_more import SPEC as _SPEC_MORE  # noqa: E402

OUT = ROOT / "models" / "gold" / "extraction.jsonl"
TRAILING_CELLS = re.compile(r"(?:\t[^\t]{0,12})+\t?\s*$")
KINDS = {"R": "recommandation", "A": "rappel_au_droit", "S": "suivi"}
YEAR_SOURCES = ("deliberation", "publication", "notification")


def merged_spec() -> dict:
    """SPEC of gold_spec.py followed by SPEC of gold_spec_more.py and of gold_spec_extra.py (if
    any); no key twice."""
    twice = (set(_SPEC_MAIN) & set(_SPEC_MORE)) | (set(_SPEC_MAIN) & set(_SPEC_EXTRA)) \
        | (set(_SPEC_MORE) & set(_SPEC_EXTRA))
    if twice:
        raise ValueError(f"reports decided in more than one spec module: {sorted(twice)}")
    return {**_SPEC_MAIN, **_SPEC_MORE, **_SPEC_EXTRA}


SPEC = merged_spec()
LABEL = re.compile(
    r"^\s*(?:(?:Recommandations?|Rappels? (?:au|du) droit|Rappel à la (?:loi|réglementation))\s*"
    r"(?:(?:n\s*°|N\s*°|no)\s*\d+|unique)?\s*(?:\([^)]{0,60}\))?\s*(?:[:.–—-]\s*)?)?"
    r"(?:[-–•·]\s+|\d+\s*(?:[/)]|[.\-–](?!\d))\s*)?")


def line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def item_span(text: str, spans: list[tuple[int, int]], line_no: int | list[int], skip: str | None = None,
              cut: str | None = None, keep_tabs: bool = False) -> list[int]:
    """Offsets of the item text on paragraph ``line_no`` (1-based), or on the run of
    paragraphs ``[first, last]`` (an item in several parts, "5.1 …", "5.2 …")."""
    if isinstance(line_no, (list, tuple)):
        first, last = line_no
        begin = item_span(text, spans, first, skip, None, keep_tabs)[0]
        last_start, last_end = spans[last - 1]
        last_line = text[last_start:last_end]
        if not keep_tabs:
            last_line = TRAILING_CELLS.sub("", last_line)
        match = re.search(cut, last_line) if cut else None
        last_line = last_line[:match.start()] if match else last_line
        return [begin, last_start + len(last_line.rstrip())]
    start, end = spans[line_no - 1]
    line = text[start:end]
    offset = LABEL.match(line).end()
    if skip:  # an explicit prefix to skip (regex), when the label is unusual
        match = re.match(skip, line[offset:])
        offset += match.end() if match else 0
    body = line[offset:]
    if not keep_tabs:  # trailing table cells: status ticks and page ("\tX\t\t\t25\t")
        body = TRAILING_CELLS.sub("", body)
    if cut:  # a trailing part that is not the item's text (an inline status sentence)
        match = re.search(cut, body)
        body = body[:match.start()] if match else body
    body_start = start + offset + (len(body) - len(body.lstrip()))
    body_end = start + offset + len(body.rstrip())
    if body_end <= body_start:
        raise ValueError(f"empty item on line {line_no}")
    return [body_start, body_end]


def part_span(text: str, spans: list[tuple[int, int]], line_no: int | list[int], part: list[int]) -> list[int]:
    """Absolute offsets of ``part`` = [a, b], offsets inside paragraph ``line_no`` (an
    in-paragraph item: the sentence that states it), checked to lie in the line and to be
    trimmed (no surrounding blanks). For a sentence that runs over paragraphs (a paragraph cut
    in the source), ``line_no`` = [first, last]: ``a`` is an offset in the first line, ``b`` in
    the last."""
    first, last = (line_no, line_no) if isinstance(line_no, int) else line_no
    a, b = part
    first_start, first_end = spans[first - 1]
    last_start, last_end = spans[last - 1]
    if not (0 <= a < first_end - first_start and 0 < b <= last_end - last_start and (first < last or a < b)):
        raise ValueError(f"part {part} outside line(s) {line_no}")
    piece = text[first_start + a:last_start + b]
    if piece != piece.strip():
        raise ValueError(f"part {part} of line(s) {line_no} has surrounding blanks")
    return [first_start + a, last_start + b]


def alt_span(text: str, spans: list[tuple[int, int]], alt, skip: str | None) -> list[int]:
    if isinstance(alt, dict):
        if "part" in alt:
            return part_span(text, spans, alt["line"], alt["part"])
        return item_span(text, spans, alt["line"], alt.get("skip", skip), alt.get("cut"))
    return item_span(text, spans, alt, skip)


def build_row(key: str, spec: dict) -> dict:
    text = (corpus_dir() / "txt" / f"{key}.txt").read_text(encoding="utf-8")
    spans = line_spans(text)
    items = []
    for entry in spec.get("items", []):
        kind, line_no, number, status, *rest = entry
        options = rest[0] if rest else {}
        if "part" in options:
            start, end = part_span(text, spans, line_no, options["part"])
        else:
            start, end = item_span(text, spans, line_no, options.get("skip"), options.get("cut"),
                                   options.get("keep_tabs", False))
        item = {"kind": KINDS[kind], "number": number, "start": start, "end": end, "status": status}
        if "part" in options:  # stated in a sentence of a paragraph (convention 1, v2), not a label or list
            item["in_paragraph"] = True
        alts = [alt_span(text, spans, n, options.get("alt_skip")) for n in options.get("alt", [])]
        if alts:
            item["alt"] = alts
        items.append(item)
    meta = dict(spec["meta"])
    return {"key": key, "checked": "hand", "items": items, "metadata": meta, "note": spec.get("note", "")}


def main() -> None:
    rows = [build_row(key, spec) for key, spec in SPEC.items()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    n_items = sum(len(r["items"]) for r in rows)
    print(f"{OUT}: {len(rows)} reports, {n_items} items")
    if "--show" in sys.argv:
        for key in sys.argv[sys.argv.index("--show") + 1:]:
            row = next(r for r in rows if r["key"] == key)
            text = (corpus_dir() / "txt" / f"{key}.txt").read_text(encoding="utf-8")
            print("===", key, row["metadata"])
            for it in row["items"]:
                t = text[it["start"]:it["end"]]
                print(f"  {it['kind'][:4]} {it['number']} {it['status'] or '-'} | {t[:90]} … {t[-30:]}")
                for s, e in it.get("alt", []):
                    print(f"        alt | {text[s:e][:80]} … {text[s:e][-25:]}")


if __name__ == "__main__":
    main()
