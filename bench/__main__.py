"""Run every benchmark: ``python -m bench [name ...]``.

Each ``bench/bench_<name>.py`` has a ``main() -> dict`` that measures the project's path
and a raw baseline (PyMuPDF, Meilisearch) in the same run and prints the ratios. Results
are written down by hand in bench/RESULTS.md with the date and the machine.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = argv or sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                           if m.name.startswith("bench_"))
    failed = 0
    for name in names:
        print(f"\n=== bench {name}")
        try:
            importlib.import_module(f"bench.bench_{name}").main()
        except Exception as exc:  # noqa: BLE001 - report and go on with the others
            failed += 1
            print(f"bench {name} failed: {type(exc).__name__}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
