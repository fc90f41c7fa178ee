"""Draw of the candidate findings labelled in ``models/themes/labels_more2.jsonl`` (h18f).

    python lab/scripts/themes_labels_more2_draw.py [--corpus ../shared/corpus/docjf] [--n 360] [--out FILE]

A plain seeded random sample, uniform over findings: unlike the earlier draws
(``themes_labels_more_draw.py``), no stratum, no weight and no quota is set by a heading's
keywords, a theme or a model prediction. The population is every paragraph unit of every ROD of
``metadata.csv`` (``lab.train.data.units``, headings read as in the earlier draw, including the
Normandie ``rop-*`` and Polynésie ``culture-niveau-N`` styles) that
- sits under a heading, carries no footnote mark (``↩``);
- is a body paragraph (any kind), or a recommendation/rappel paragraph of a summary or
  recommendations section (summary paragraphs that are not recommendations restate the body and
  are left out, as in the earlier draws);
- overlaps no span already read: ``labels.jsonl``, ``labels_more.jsonl`` and ``adjudication.jsonl``
  (the 809 labels before adjudication, so the 48 dropped non-findings are not read again);
- is not word for word a paragraph already labelled (near-duplicate reports).
The population is sorted by (report key, offset) and shuffled by ``random.Random(SEED)``; the
candidates are the first ``--n`` of that order, numbered in it. Labelling reads them in that
order and stops when time runs out, so the labelled set is a prefix of a random permutation:
still a uniform sample. Output: report key, offsets, kind guess, heading path offsets; never text.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path

from lab.scripts import themes_labels_more_draw as d1
from lab.train import data as td
from nlp.headings import normalise

ROOT = Path(__file__).resolve().parents[2]
THEMES = ROOT / "models" / "themes"
READ = [THEMES / "labels.jsonl", THEMES / "labels_more.jsonl", THEMES / "adjudication.jsonl"]
SEED = 20261208


def log(*a) -> None:
    print(*a, file=sys.stderr)


def population(corpus: Path) -> list[dict]:
    d1.C = corpus
    reports = d1.report_map(corpus)
    read = collections.defaultdict(list)
    for path in READ:
        for lab in td.read_labels(path):
            read[lab["key"]].append((lab["start"], lab["end"]))
    seen_texts = set()
    for key, spans in read.items():
        p = corpus / "txt" / f"{key}.txt"
        if p.exists():
            txt = p.read_text(encoding="utf-8")
            seen_texts |= {normalise(txt[a:b]) for a, b in spans}
    out = []
    for key in sorted(reports):
        if not (corpus / "txt" / f"{key}.txt").exists():
            continue
        txt, hs, _ext = d1.headings(key)
        for u in td.units(key, txt, hs):
            if u.heading is None or "↩" in u.text:
                continue
            if u.section != "body" and u.kind not in ("recommandation", "rappel_au_droit"):
                continue
            if any(a < u.end and u.start < b for a, b in read[key]) or normalise(u.text) in seen_texts:
                continue
            out.append({"key": key, "start": u.start, "end": u.start + len(u.text.rstrip()), "kind": u.kind,
                        "section": u.section, "heading": [u.heading.start, u.heading.end],
                        "path": [list(p) for p in u.path_spans], "chamber": reports[key]["chamber"],
                        "year": reports[key]["year"]})
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=d1.C)
    ap.add_argument("--n", type=int, default=360)
    ap.add_argument("--out", type=Path, default=None, help="JSON Lines of the candidates (default: stdout)")
    a = ap.parse_args(argv)
    pop = population(a.corpus)
    rng = random.Random(SEED)
    order = list(range(len(pop)))
    rng.shuffle(order)
    picked = [dict(pop[j], id=i + 1) for i, j in enumerate(order[:a.n])]
    log(f"population {len(pop)} units of {len({c['key'] for c in pop})} reports; drawn {len(picked)} "
        f"of {len({c['key'] for c in picked})} reports")
    log(collections.Counter(c["kind"] for c in picked), collections.Counter(c["section"] for c in picked))
    lines = "".join(json.dumps({k: c[k] for k in ("id", "key", "start", "end", "kind", "section", "chamber", "year",
                                                  "heading", "path")}, ensure_ascii=False) + "\n" for c in picked)
    if a.out:
        a.out.write_text(lines, encoding="utf-8")
    else:
        sys.stdout.write(lines)


if __name__ == "__main__":
    main()
