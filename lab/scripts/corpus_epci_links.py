"""Count the EPCI of the corpus catalogue that link to the reference (and those that do not).

    python lab/scripts/corpus_epci_links.py [-v]

Names come from metadata.csv titles ("Communauté de communes - Pays de Mayenne (Mayenne)"),
parts joined without the dashes; EPCI merged since 2017 are expected to be not_linkable.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "lab" / "scripts"))

from gold_candidates import corpus_dir  # noqa: E402

from nlp import geo  # noqa: E402


def main() -> None:
    counts: Counter = Counter()
    for row in csv.DictReader(open(corpus_dir() / "metadata.csv", encoding="utf-8")):
        if not row["doc_type"].startswith("Rapport d") or "-" in row["key"]:
            continue
        if geo.body_kind_from_title(row["title"]) != "epci":
            continue
        parts, tail = geo.split_title(row["title"])
        departement = geo.departement_code(tail) if tail else None
        candidates = [" ".join(parts[:2]), parts[0]] + ([parts[1]] if len(parts) > 1 else [])
        body = None
        for name in candidates:
            body = geo.link_body(name, "epci", departement)
            if body.link_status == "linked":
                break
        counts[body.link_status] += 1
        if "-v" in sys.argv:
            print(f"{row['key']} {body.link_status:12} {body.siren or '':9} {row['title'][:90]}")
    print(dict(counts))


if __name__ == "__main__":
    main()
