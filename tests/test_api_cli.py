"""``constats export`` on the command line: the same rows as the API, written to a file."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from api.export import NAMES, iter_csv, iter_parquet
from constats.config import Settings, reset_settings
from store.db import migrate
from tests.api_support import EARLY, LATER, VALFLEURI, store_report


@pytest.fixture
def store(tmp_path, monkeypatch):
    settings = Settings(state_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'c.db'}")
    migrate(settings.db_url)
    ids = [store_report(settings, EARLY, key="a", body=VALFLEURI, chamber="CRC Centre-Val de Loire",
                        year=2014, title="Valfleuri 2014"),
           store_report(settings, LATER, key="b", body=VALFLEURI, chamber="CRC Centre-Val de Loire",
                        year=2019, title="Valfleuri 2019")]
    monkeypatch.setenv("DATABASE_URL", settings.db_url)
    monkeypatch.setenv("CONSTATS_STATE_DIR", str(tmp_path))
    reset_settings()
    yield ids
    reset_settings()


def run(*args):
    from cli.main import build

    return CliRunner().invoke(build(), ["export", *args])


def test_export_csv_with_filters(store, tmp_path):
    out = tmp_path / "reco.csv"
    res = run("--format", "csv", "-o", str(out), "--kind", "recommandation", "--year-from", "2015")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["number"] for r in rows] == ["1"] and rows[0]["year"] == "2019"
    assert not (tmp_path / "reco.csv.part").exists()


def test_export_jsonl_and_parquet_every_finding(store, tmp_path):
    assert run("-f", "jsonl", "-o", str(tmp_path / "all.jsonl")).exit_code == 0
    rows = [json.loads(x) for x in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert len(rows) == len(EARLY) + len(LATER)
    assert all(set(r) == set(NAMES) for r in rows)
    assert run("-f", "parquet", "-o", str(tmp_path / "all.parquet")).exit_code == 0
    assert pq.read_table(tmp_path / "all.parquet").num_rows == len(rows)


def test_export_bad_filter_is_explained(store, tmp_path):
    res = run("-f", "csv", "-o", str(tmp_path / "x.csv"), "--theme", "cuisine")
    assert res.exit_code == 2 and "thème inconnu" in res.output
    assert not (tmp_path / "x.csv").exists()
    res = run("-f", "xls", "-o", str(tmp_path / "x.xls"))
    assert res.exit_code == 2 and "format inconnu" in res.output


def test_writers_stream_in_bounded_chunks():
    rows = ({n: f"v{i}" for n in NAMES} | {"page": i, "start": i, "end": i + 1, "low_confidence": False,
                                            "confidence": 0.5, "page_end": i, "year": 2016}
            for i in range(12_000))
    chunks = list(iter_csv(rows))
    assert len(chunks) > 50 and max(len(c) for c in chunks) < 200_000
    rows = ({n: None for n in NAMES} | {"finding_id": f"f{i}", "report_id": "r", "kind": "observation",
                                         "text": "t", "page": 1, "start": i, "end": i + 1,
                                         "low_confidence": False} for i in range(12_000))
    chunks = [c for c in iter_parquet(rows, row_group=5000) if c]
    assert len(chunks) >= 3  # one per row group, then the footer
