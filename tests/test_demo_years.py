"""The 30 reports of the demo each show the right year (issue 12).

The demo publishes the first 30 rapports d'observations définitives of the corpus catalogue
(``lab.replica.corpus.corpus_publications``), rendered by ``lab.replica.render``. A report's year
is the year of its final deliberation, else of its publication, else of its notification letter,
never a year of the audited period. The truth: the hand-checked gold's ``year`` where the report is
in the gold; else the catalogue date, which is the notification letter's (models/gold/README.md):
the deliberation precedes it by weeks, so the year is the catalogue's or, for a letter of January to
March, possibly the year before.
"""

from __future__ import annotations

import csv
from datetime import date

import pytest

from constats.domain import sha256_hex
from store import repo
from store.db import migrate, session_scope
from store.models import PublicationRow
from tests.corpus import CORPUS, needs_corpus


@needs_corpus
@pytest.mark.slow
def test_every_demo_report_has_its_year(tmp_path):
    """Through the store, as the demo shows it: the report, its publication (dated like the
    replica's page: the catalogue date), ``store.repo.save_extraction``."""
    from lab.evaluate.scoring import load_gold
    from lab.replica.render import render_corpus_report
    from nlp.report import understand

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate(url)

    with open(CORPUS / "metadata.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if "observations" in r["doc_type"].lower() and "-" not in r["key"]]
    gold = {r["key"]: r["metadata"]["year"] for r in load_gold(corpus_dir=CORPUS)}
    wrong = []
    for row in rows[:30]:
        d, m, y = (int(x) for x in row["date"].split("/"))
        letter = date(y, m, d)
        pdf = render_corpus_report(row["key"], corpus_dir=CORPUS)
        with session_scope(url) as s:
            pub = PublicationRow(source="ccomptes", url=f"http://replica.test/{row['key']}", published_on=letter)
            s.add(pub)
            s.flush()
            rrow, _ = repo.register_report(s, sha256_hex(pdf), publication_id=pub.id)
            saved = repo.save_extraction(s, understand(pdf, rrow.id))
            year, source = saved.year, saved.year_source
        if row["key"] in gold:
            ok = year == gold[row["key"]]
        else:
            ok = year == letter.year or (year == letter.year - 1 and letter.month <= 3)
        if not ok or source is None:
            wrong.append((row["key"], year, source, gold.get(row["key"]), row["date"]))
    assert not wrong, wrong


def test_the_store_prefers_deliberation_then_publication_then_notification(tmp_path):
    from constats.domain import Report, ReportMetadata

    url = f"sqlite:///{tmp_path / 'y.db'}"
    migrate(url)
    cases = [  # (deliberation, publication page, notification letter year) → (year, source)
        (date(2016, 3, 3), date(2017, 1, 5), 2016, (2016, "deliberation")),
        (None, date(2017, 1, 5), 2016, (2017, "publication")),
        (None, None, 2016, (2016, "notification")),
        (None, None, None, (None, None)),
    ]
    for i, (delib, published, notified, expected) in enumerate(cases):
        with session_scope(url) as s:
            pub = PublicationRow(source="ccomptes", url=f"http://x.test/{i}", published_on=published)
            s.add(pub)
            s.flush()
            row, _ = repo.register_report(s, sha256_hex(str(i).encode()), publication_id=pub.id)
            meta = ReportMetadata(deliberation_date=delib, year=notified,
                                  year_source="notification" if notified else None)
            if delib:
                meta.year, meta.year_source = delib.year, "deliberation"
            saved = repo.save_extraction(s, Report(id=row.id, metadata=meta))
            assert (saved.year, saved.year_source) == expected
            assert (saved.structure["metadata"]["year"], saved.structure["metadata"]["year_source"]) == expected
