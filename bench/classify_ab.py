"""Interleaved A/B of ``classify_findings``: the packaged theme artefact against another one.

    python -m bench.classify_ab OTHER.joblib [--rounds 6]

The same findings and vectors as ``python -m bench classify`` (``BENCH_CLASSIFY_N``, default
2,000 here), classified by both artefacts in alternating order, round after round, so that a
load swing on a shared machine falls on both sides; prints each rate and the medians. The
embedding is left out: it does not depend on the artefact.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from bench import bench_classify as bc
from nlp.classify import ThemeClassifier
from nlp.embed import UseEmbedder


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other", type=Path)
    ap.add_argument("--rounds", type=int, default=6)
    a = ap.parse_args(argv)
    findings = bc._findings(bc._texts(int(os.environ.get("BENCH_CLASSIFY_N", "2000"))))
    models = {"packaged": ThemeClassifier.load(), "other": ThemeClassifier.load(a.other)}
    emb = UseEmbedder(threads=2)
    vectors = emb.embed([f.text for f in findings])
    rates: dict[str, list[float]] = {name: [] for name in models}
    print("load", [round(x, 1) for x in os.getloadavg()], {n: m.version for n, m in models.items()})
    for r in range(a.rounds):
        for name in (list(models) if r % 2 == 0 else list(models)[::-1]):
            seconds = bc._timed(lambda m=models[name]: bc._classify(findings, m, emb, vectors))
            rates[name].append(len(findings) / seconds)
    med = {n: statistics.median(v) for n, v in rates.items()}
    print({n: [round(x) for x in v] for n, v in rates.items()})
    print(f"median packaged {med['packaged']:.0f}/s, other {med['other']:.0f}/s, "
          f"ratio {med['packaged'] / med['other']:.3f}; load {[round(x, 1) for x in os.getloadavg()]}")


if __name__ == "__main__":
    main()
