"""Metadata on reports outside the extraction gold: deliberation date, commune INSEE, seat INSEE.

``models/gold/metadata_more.jsonl`` holds 60 *rapports d'observations définitives* of the corpus
that are not in ``extraction.jsonl`` (drawn with ``random.Random(20261207).sample`` from the 182
such reports, dealt alternately to a development and a test part), read by hand on 2026-12-07
before the extractor was run on them: the date on which the chamber deliberated its final
observations where the text states it (``null`` where it does not), the INSEE code of an audited
commune, and the seat commune of another body where its title or the letter's address names it
(the reference's current code, as in ``extraction.jsonl``). Dates and codes only: no corpus text.

``python -m lab.evaluate.metadata_more [--part dev|test] [--variants compact,rl-sobre,…]`` renders
each report with the chosen layout variants, reads it with ``nlp.report.understand`` and prints
the accuracy of each field with a 95 % bootstrap interval over reports. Errors are printed for
the development part only: the test part is for reporting.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from lab.replica.families import VARIANTS, render_reports
from nlp.report import understand

GOLD = Path(__file__).resolve().parents[2] / "models" / "gold" / "metadata_more.jsonl"
FIELDS = ("deliberation_date", "insee", "seat_insee")


def load(part: str | None = None) -> list[dict]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if "skip" not in r and (part is None or r["part"] == part)]


def predicted(report) -> dict:
    meta = report.metadata
    body = meta.body if meta else None
    return {"deliberation_date": meta.deliberation_date.isoformat() if meta and meta.deliberation_date else None,
            "insee": body.insee if body else None,
            "seat_insee": body.insee if body else None}  # the seat's code for a body that is no commune


def score(rows: list[dict], predictions: dict[str, dict]) -> tuple[dict[str, list[bool]], list[tuple]]:
    """Per field, one bool per report that has the field in the gold; and the errors."""
    hits: dict[str, list[bool]] = {f: [] for f in FIELDS}
    hits["date_where_none"] = []
    errors = []
    for row in rows:
        p = predictions.get(row["key"], {f: None for f in FIELDS})
        for field in FIELDS:
            gold = row.get(field)
            if field == "deliberation_date" and "deliberation_date" in row and gold is None:
                hits["date_where_none"].append(p[field] is not None)  # a date the text does not state
                continue
            if gold is None or (field == "deliberation_date" and "note" in row):
                continue
            hits[field].append(p[field] == gold)
            if p[field] != gold:
                errors.append((row["key"], field, gold, p[field]))
    return hits, errors


def interval(values: list[bool], n: int = 1000, seed: int = 0) -> str:
    if not values:
        return "–"
    rng = random.Random(seed)
    k = len(values)
    draws = sorted(sum(rng.choice(values) for _ in range(k)) / k for _ in range(n))
    return f"{sum(values) / k:.3f} [{draws[int(0.025 * n)]:.2f}–{draws[int(0.975 * n) - 1]:.2f}] ({sum(values)}/{k})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("dev", "test"), default="test")
    parser.add_argument("--variants", default="compact,rl-sobre,lo-traitement")
    args = parser.parse_args(argv)
    rows = load(args.part)
    keys = [r["key"] for r in rows]
    print("| variant | part | deliberation date | commune INSEE | seat INSEE | a date where the text states none |")
    print("|---|---|---|---|---|---|")
    for variant in (v for v in VARIANTS if v.name in args.variants.split(",")):
        pdfs = render_reports(keys, variant)
        predictions = {k: predicted(understand(pdf, report_id=k)) for k, pdf in pdfs.items() if isinstance(pdf, bytes)}
        hits, errors = score(rows, predictions)
        print(f"| {variant.name} | {args.part} | {interval(hits['deliberation_date'])} | {interval(hits['insee'])} | "
              f"{interval(hits['seat_insee'])} | {sum(hits['date_where_none'])} of {len(hits['date_where_none'])} |",
              flush=True)
        if args.part == "dev":
            for error in errors:
                print("    ", *error)


if __name__ == "__main__":
    main()
