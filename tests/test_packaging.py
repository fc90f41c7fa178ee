"""What is shipped: the runtime wheel carries the runtime and its data, never the lab."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (path,) = out.glob("constats-*.whl")
    return path


def test_the_runtime_wheel_has_no_lab_code(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("constats-")}
    assert tops == {"constats", "crawler", "nlp", "store", "search", "runtime", "worker", "api", "cli"}
    assert not [n for n in names if n.startswith(("lab/", "bench/", "tests/", "replica/", "scripts/"))]


def test_the_runtime_wheel_carries_its_models_and_reference_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"constats/models/themes/classifier.joblib", "constats/models/reference/geo.json.gz",
            "api/templates/report.html", "api/static/constats.css",
            "store/migrations/versions/0001_initial_schema.py"} <= names
    assert not [n for n in names if n.endswith((".jsonl", "labels.jsonl", "EVALUATION.md"))]
