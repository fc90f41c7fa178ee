"""`constats extract FILE.pdf`: the structured report as JSON, findings with themes and
confidence; unreadable input exits 2 with a French message naming the error code."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import build
from constats.taxonomy import THEMES
from lab.replica.render import render_sample, sample_reports


def test_extract_prints_the_report_with_classified_findings(tmp_path):
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(render_sample(sample_reports()[0]))
    result = CliRunner().invoke(build(), ["extract", str(pdf)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema_version"] and report["classifier_version"]
    assert report["findings"] and report["sections"] and report["metadata"]["body"]
    for f in report["findings"]:
        assert f["primary_theme"] in THEMES and 0 <= f["confidence"] <= 1
        assert f["page"] >= 1 and f["end"] > f["start"]


def test_extract_refuses_a_non_pdf_with_code_2(tmp_path):
    page = tmp_path / "erreur.pdf"
    page.write_text("<html><body>Service indisponible</body></html>")
    result = CliRunner().invoke(build(), ["extract", str(page)])
    assert result.exit_code == 2
    assert "not_pdf" in result.output
