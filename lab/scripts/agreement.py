"""Agreement between two blind readings of the theme labels.

Compares the second reading ``models/themes/second_reading.jsonl`` (reader B, see
``models/themes/SECOND_READING.md``) with the first reading ``models/themes/labels.jsonl``, as
that file stands when the script runs (so it can be re-run after labels.jsonl is adjudicated).
Rows are matched on (key, start, end); second-reading rows whose span is no longer in
labels.jsonl are counted as ``unmatched`` and left out.

Printed and written to ``models/themes/agreement.json``:
- on the primary theme, for all matched rows and per kind group (recommandation + rappel_au_droit,
  observation): percent agreement and Cohen's kappa, each with a 95 % percentile bootstrap
  interval over REPORTS (1,000 resamples of the reports with replacement, fixed seed; a report
  brings all its rows of the group);
- a lenient agreement: each reading's primary is among the other reading's themes
  (primary + secondary);
- per theme: how often each reading chose it and the specific agreement 2·both / (n_A + n_B);
- sector agreement on the rows where both readings chose ``politique_publique``;
- the confusion list of the disagreements by theme pair (unordered pair, with the direction
  first reading → second reading).

Usage (from the project root)::

    python lab/scripts/agreement.py [--labels models/themes/labels.jsonl]
        [--second models/themes/second_reading.jsonl] [--out models/themes/agreement.json]
        [--reps 1000] [--seed 20261206]

No corpus text is read or written: the comparison uses codes and offsets only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from constats.taxonomy import THEMES

ROOT = Path(__file__).resolve().parents[2]

THEMES_DIR = ROOT / "models" / "themes"
SEED = 20261206
REPS = 1000
GROUPS = {"all": None, "recommandation+rappel": ("recommandation", "rappel_au_droit"),
          "observation": ("observation",)}


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def match(first: list[dict], second: list[dict]) -> tuple[list[dict], list[dict]]:
    """Pairs {key, kind, a: first-reading row, b: second-reading row}; and the unmatched B rows."""
    by_span = {(r["key"], r["start"], r["end"]): r for r in first}
    pairs, unmatched = [], []
    for b in second:
        a = by_span.get((b["key"], b["start"], b["end"]))
        if a is None:
            unmatched.append(b)
        else:
            pairs.append({"key": b["key"], "kind": b["kind"], "a": a, "b": b})
    return pairs, unmatched


def percent_agreement(a: list[str], b: list[str]) -> float:
    return float(np.mean([x == y for x, y in zip(a, b)])) if a else float("nan")


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two nominal labellings of the same items (nan when chance agreement is 1)."""
    n = len(a)
    if not n:
        return float("nan")
    po = percent_agreement(a, b)
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[t] * cb[t] for t in set(ca) | set(cb)) / (n * n)
    return float("nan") if pe >= 1 else (po - pe) / (1 - pe)


def bootstrap_by_report(keys: list[str], a: list[str], b: list[str], stat, reps: int = REPS,
                        seed: int = SEED) -> tuple[float, float]:
    """95 % percentile interval of ``stat(a, b)`` over ``reps`` resamples of the reports."""
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        rows_of[k].append(i)
    reports = sorted(rows_of)
    if not reports:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(reps):
        idx = [i for r in rng.choice(len(reports), size=len(reports), replace=True) for i in rows_of[reports[r]]]
        v = stat([a[i] for i in idx], [b[i] for i in idx])
        if not np.isnan(v):
            values.append(v)
    lo, hi = np.percentile(values, [2.5, 97.5])
    return (round(float(lo), 4), round(float(hi), 4))


def themes_of(row: dict) -> set[str]:
    return {row["primary"], *(row.get("secondary") or [])}


def group_stats(pairs: list[dict], reps: int, seed: int) -> dict:
    keys = [p["key"] for p in pairs]
    a = [p["a"]["primary"] for p in pairs]
    b = [p["b"]["primary"] for p in pairs]
    lenient = float(np.mean([p["a"]["primary"] in themes_of(p["b"]) and p["b"]["primary"] in themes_of(p["a"])
                             for p in pairs])) if pairs else float("nan")
    return {
        "n": len(pairs), "reports": len(set(keys)),
        "agreement": round(percent_agreement(a, b), 4),
        "agreement_ci95": bootstrap_by_report(keys, a, b, percent_agreement, reps, seed),
        "kappa": round(cohen_kappa(a, b), 4),
        "kappa_ci95": bootstrap_by_report(keys, a, b, cohen_kappa, reps, seed),
        "lenient_agreement": round(lenient, 4),
    }


def per_theme(pairs: list[dict]) -> dict:
    out = {}
    for t in THEMES:
        na = sum(p["a"]["primary"] == t for p in pairs)
        nb = sum(p["b"]["primary"] == t for p in pairs)
        both = sum(p["a"]["primary"] == t == p["b"]["primary"] for p in pairs)
        out[t] = {"first": na, "second": nb, "both": both,
                  "specific_agreement": round(2 * both / (na + nb), 4) if na + nb else None}
    return out


def confusions(pairs: list[dict]) -> list[dict]:
    """Disagreements grouped by unordered theme pair, most frequent first."""
    by_pair: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for p in pairs:
        x, y = p["a"]["primary"], p["b"]["primary"]
        if x != y:
            by_pair[tuple(sorted((x, y)))][f"{x} -> {y}"] += 1
    rows = [{"pair": list(k), "n": sum(c.values()), "first -> second": dict(sorted(c.items()))}
            for k, c in by_pair.items()]
    return sorted(rows, key=lambda r: (-r["n"], r["pair"]))


def sector_stats(pairs: list[dict]) -> dict:
    both_pp = [p for p in pairs if p["a"]["primary"] == p["b"]["primary"] == "politique_publique"]
    same = sum((p["a"].get("sector") or None) == (p["b"].get("sector") or None) for p in both_pp)
    return {"n_both_politique_publique": len(both_pp), "same_sector": same,
            "agreement": round(same / len(both_pp), 4) if both_pp else None}


def compare(first: list[dict], second: list[dict], reps: int = REPS, seed: int = SEED) -> dict:
    pairs, unmatched = match(first, second)
    result = {"matched": len(pairs), "unmatched": len(unmatched),
              "unmatched_spans": [[r["key"], r["start"], r["end"]] for r in unmatched],
              "kind_mismatches": sum(p["a"].get("kind") != p["b"]["kind"] for p in pairs),
              "groups": {}}
    for name, kinds in GROUPS.items():
        sub = pairs if kinds is None else [p for p in pairs if p["kind"] in kinds]
        result["groups"][name] = group_stats(sub, reps, seed)
    result["per_theme"] = per_theme(pairs)
    result["sector"] = sector_stats(pairs)
    result["confusions"] = confusions(pairs)
    return result


def show(res: dict) -> str:
    lines = [(f"matched rows: {res['matched']}  (unmatched second-reading rows: {res['unmatched']}, "
              f"kind mismatches: {res['kind_mismatches']})"), "",
             f"{'group':<24}{'n':>5}{'reports':>9}  {'agreement [95% CI]':<26}{'kappa [95% CI]':<26}lenient"]
    for name, g in res["groups"].items():
        ag = f"{g['agreement']:.3f} [{g['agreement_ci95'][0]:.3f}-{g['agreement_ci95'][1]:.3f}]"
        ka = f"{g['kappa']:.3f} [{g['kappa_ci95'][0]:.3f}-{g['kappa_ci95'][1]:.3f}]"
        lines.append(f"{name:<24}{g['n']:>5}{g['reports']:>9}  {ag:<26}{ka:<26}{g['lenient_agreement']:.3f}")
    lines += ["", f"{'theme':<28}{'first':>6}{'second':>7}{'both':>6}  specific agreement"]
    for t, v in res["per_theme"].items():
        sa = "-" if v["specific_agreement"] is None else f"{v['specific_agreement']:.3f}"
        lines.append(f"{t:<28}{v['first']:>6}{v['second']:>7}{v['both']:>6}  {sa}")
    s = res["sector"]
    lines += ["", f"sector, both politique_publique: {s['same_sector']}/{s['n_both_politique_publique']}", "",
              "disagreements by theme pair (first reading -> second reading):"]
    for c in res["confusions"]:
        detail = ", ".join(f"{k}: {v}" for k, v in c["first -> second"].items())
        lines.append(f"  {c['n']:>3}  {c['pair'][0]} / {c['pair'][1]}   ({detail})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", type=Path, default=THEMES_DIR / "labels.jsonl")
    ap.add_argument("--second", type=Path, default=THEMES_DIR / "second_reading.jsonl")
    ap.add_argument("--out", type=Path, default=THEMES_DIR / "agreement.json")
    ap.add_argument("--reps", type=int, default=REPS)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    res = compare(read_jsonl(args.labels), read_jsonl(args.second), args.reps, args.seed)
    res = {"first_reading": {"file": "models/themes/labels.jsonl", "sha256": sha256(args.labels)},
           "second_reading": {"file": "models/themes/second_reading.jsonl", "sha256": sha256(args.second)},
           "bootstrap": {"unit": "report", "resamples": args.reps, "seed": args.seed, "interval": "95 % percentile"},
           **res}
    print(show(res))
    if args.out:
        args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
