"""Build models/gold/extraction.jsonl from the hand-check decisions in lab/scripts/gold_spec.py.

    python lab/scripts/gold_build.py [--show KEY...]

The decisions name paragraphs by their line number in ``txt/<key>.txt`` (one paragraph a
line); this script turns each into character offsets of the item's text: the paragraph
without its label ("Recommandation n° 3 :", "Rappel au droit n° 1 –", "(partiellement mise
en œuvre)"), list marker ("- ", "1/ ", "2. ") or trailing table cells (Hauts-de-France
status columns). No corpus text is written, only offsets. ``--show`` prints the resolved
texts of some reports to check them against the report once more.
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
from gold_spec import SPEC  # noqa: E402

OUT = ROOT / "models" / "gold" / "extraction.jsonl"
TRAILING_CELLS = re.compile(r"(?:\t[^\t]{0,12})+\t?\s*$")
KINDS = {"R": "recommandation", "A": "rappel_au_droit"}
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


def build_row(key: str, spec: dict) -> dict:
    text = (corpus_dir() / "txt" / f"{key}.txt").read_text(encoding="utf-8")
    spans = line_spans(text)
    items = []
    for entry in spec.get("items", []):
        kind, line_no, number, status, *rest = entry
        options = rest[0] if rest else {}
        start, end = item_span(text, spans, line_no, options.get("skip"), options.get("cut"),
                                  options.get("keep_tabs", False))
        item = {"kind": KINDS[kind], "number": number, "start": start, "end": end, "status": status}
        alts = [item_span(text, spans, n, options.get("alt_skip")) for n in options.get("alt", [])]
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
