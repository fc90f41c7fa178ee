"""Every labelled recommendation and rappel of the project's own sample reports is read back
from their PDFs, in every text variant of the renderer, with its number and exact text.

The expected items come from the samples' HTML source (what the author wrote), not from
the code under test.
"""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from lab.replica.render import TEXT_VARIANTS, render_sample, sample_reports
from nlp.report import understand

LABEL = re.compile(r"^(Recommandation|Rappel au droit)\s+(?:n°\s*(\d+)|(unique))\s*:\s*(.+)$")


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).rstrip(" .;")


def expected_items(html: str) -> set[tuple[str, str, str]]:
    items = set()
    for p in LexborHTMLParser(html).css("p"):
        m = LABEL.match(_norm(p.text()))
        if m:
            kind = "recommandation" if m[1] == "Recommandation" else "rappel_au_droit"
            items.add((kind, m[2] or m[3], _norm(m[4])))
    return items


@pytest.mark.parametrize("variant", TEXT_VARIANTS, ids=lambda v: v.name)
@pytest.mark.parametrize("sample", sample_reports(), ids=lambda s: s.key)
def test_labelled_items_of_samples_are_extracted(sample, variant):
    expected = expected_items(sample.html)
    assert expected, "the sample has labelled items"
    report = understand(render_sample(sample, variant), "rtest")
    got = {(f.kind, f.number, _norm(f.text)) for f in report.findings
           if f.kind in ("recommandation", "rappel_au_droit")}
    assert got == expected
