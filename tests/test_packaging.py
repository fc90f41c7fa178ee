"""What is shipped: the runtime wheel carries the runtime and its data, never the lab."""

from __future__ import annotations

import json
import os
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


def _dependencies_without_the_project(target: Path) -> Path:
    """A folder of links to this environment's installed distributions, minus the project's own
    (its editable install, the lab): the fresh venv borrows its dependencies from it and sees
    the runtime only through the wheel."""
    import site
    import sysconfig

    purelib = Path(sysconfig.get_paths()["purelib"])
    assert purelib.is_dir(), site.getsitepackages()
    target.mkdir()
    for entry in purelib.iterdir():
        name = entry.name.lower()
        if (name.startswith(("__editable__", "constats", "_constats", "__pycache__"))
                or name.endswith(".pth") or name in {"lab", "bench", "tests"}):
            continue
        (target / entry.name).symlink_to(entry)
    return target


@pytest.mark.slow
def test_the_wheel_installed_alone_extracts_themes_and_insee(wheel, tmp_path):
    """What the Dockerfile does (`pip install .`): the installed wheel, away from the source
    tree, reads a report with its packaged model and reference table."""
    from tests.pdf_fixtures import render_html
    from tests.sample_report import sample_html

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    deps = _dependencies_without_the_project(tmp_path / "deps")
    (Path(purelib) / "borrowed-deps.pth").write_text(f"{deps}\n")
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps",
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pdf = tmp_path / "quimper.pdf"
    pdf.write_bytes(render_html(sample_html().replace("Testville", "Quimper")))
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([str(py), "-c", "import nlp.classify, constats.resources as r; "
                            "print(nlp.classify.__file__); print(r.model_file('themes'))"],
                           cwd=away, env=env, capture_output=True, text=True, timeout=120)
    assert where.returncode == 0, where.stderr[-2000:]
    assert str(ROOT) not in where.stdout and "site-packages" in where.stdout, where.stdout
    out = subprocess.run([str(venv / "bin" / "constats"), "extract", str(pdf)], cwd=away, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout)
    assert report["metadata"]["body"]["insee"] == "29232"
    assert report["classifier_version"]
    themed = [f for f in report["findings"] if f["primary_theme"]]
    assert themed and len(themed) == len(report["findings"])
    assert "aucun classifieur" not in out.stderr.lower() and "unclassified" not in out.stderr
