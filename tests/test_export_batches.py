"""The batched export path writes what the row path wrote: the same CSV and JSON Lines bytes,
the same Parquet schema and values, on awkward data (quotes, commas, line breaks, control
characters, accents, odd theme lists, URLs to quote) and with every kind of filter."""

from __future__ import annotations

import io
import random
import threading
import time
from datetime import date

import pyarrow.parquet as pq
import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from api.export import prefetched, stream_export, stream_export_batches
from api.filters import iter_matching, iter_matching_batches, make_params
from store.db import engine_for
from store.models import FindingRow, PublicationRow, ReportRow

AWKWARD = ["simple", "virgule, ici", 'des "guillemets"', "ligne\nsuivante", "retour\r\nchariot",
           "tab\tulation", "contrôle \x01 caractère", "œuvre ’apostrophe’ «\u00a0guillemets\u00a0»",
           "barre \\ oblique", " espaces autour ", "", "\u2028séparateur", "emoji 🙂", "x" * 3000]
URLS = [None, "https://www.ccomptes.test/a.pdf", "https://www.ccomptes.test/b,c.pdf#x",
        'https://www.ccomptes.test/"q".pdf', "https://www.ccomptes.test/d.pdf#page=2", "#sans-adresse"]


def fill(url: str, n_reports: int = 9, per_report: int = 40) -> None:
    rng = random.Random(3)
    with engine_for(url).begin() as conn:
        conn.execute(insert(PublicationRow), [
            {"id": 1, "source": "ccomptes", "url": "https://www.ccomptes.test/publication/x",
             "title": "Commune de X, « Val »", "summary": 'Résumé, "cité"\nsur deux lignes',
             "published_on": date(2021, 3, 4), "announced_rappels": 2, "announced_recommendations": None},
            {"id": 2, "source": "folder", "url": "file:///dossier/y", "title": None, "summary": None,
             "published_on": None, "announced_rappels": None, "announced_recommendations": None}])
        reports = []
        for i in range(n_reports):
            meta = {"region": rng.choice([None, "Occitanie", "Île-de-France, Paris"]),
                    "deliberation_date": rng.choice([None, "2019-05-02", "pas une date", "2020-01-31T00:00:00"]),
                    "publication_date": rng.choice([None, "2019-06-01"])}
            reports.append({
                "id": f"r{i:02d}", "sha256": f"{i:064d}", "title": rng.choice(AWKWARD), "status": "extracted",
                "chamber": rng.choice([None, "CRC Occitanie", 'CRC "Grand Est"']),
                "body_name": rng.choice(AWKWARD), "body_kind": rng.choice([None, "commune"]),
                "departement": rng.choice([None, "07", "2A"]), "insee": rng.choice([None, "07010"]),
                "siren": rng.choice([None, "200012345"]), "year": rng.choice([None, 2015, 2019]),
                "source_url": URLS[i % len(URLS)], "publication_id": rng.choice([None, 1, 2]),
                "extractor_version": rng.choice([None, "e-1"]), "classifier_version": "c,1",
                "structure": rng.choice([None, {}, {"metadata": meta}])})
        conn.execute(insert(ReportRow), reports)
        findings = []
        for r in reports:
            for j in range(per_report):
                text = rng.choice(AWKWARD) + f" {j}"
                themes = rng.choice([[], None, [{"code": "situation_financiere", "score": 0.81234567}],
                                     [{"code": "situation_financiere", "score": 0.8123}],  # as stored
                                     [{"code": "gouvernance", "score": 1.0}, {"code": "x-1", "score": 0.0001},
                                      {"code": "y", "score": 0.00001}, {"code": "z", "score": -0.5}],
                                     [{"score": 0.5, "code": "ordre"}, {"code": "", "score": 0.5}],
                                     [{"code": "rh", "score": None}, "pas un objet", {"score": 0.2},
                                      {"code": 7, "score": 1}],
                                     [{"code": "situation_financiere", "score": 0.5},
                                      {"code": "écoles", "score": 0.25}]])
                findings.append({
                    "id": f"{r['id']}-{j * 100}-{j * 100 + len(text)}", "report_id": r["id"],
                    "kind": rng.choice(["observation", "recommandation"]),
                    "number": rng.choice([None, "1", "2 bis", "3,4"]), "text": text, "page": 1 + j,
                    "page_end": rng.choice([None, 2 + j]), "start": j * 100, "end": j * 100 + len(text),
                    "section_path": rng.choice([[], None, ["Synthèse"], ["A, b", 'C "d"', "E > F"]]),
                    "status": rng.choice([None, "mise_en_oeuvre"]),
                    "primary_theme": rng.choice([None, "situation_financiere"]), "themes": themes,
                    "confidence": rng.choice([None, 0.5, 1.0, 0.1234, 1e-7, 0]),
                    "low_confidence": rng.random() < 0.3, "sector": rng.choice([None, "social"]),
                    "earlier_report_id": rng.choice([None, "r00"])})
        conn.execute(insert(FindingRow), findings)


FILTERS = [{}, {"kind": ["recommandation"]}, {"theme": ["situation_financiere"]}, {"region": ["Occitanie"]},
           {"q": "virgule"}, {"departement": ["07"], "year_from": 2016}, {"low_confidence": True},
           {"report_id": ["r03"]}, {"theme": ["gestion_deleguee"]}]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_batches_write_what_rows_wrote(db_url, fmt):
    fill(db_url)
    with Session(engine_for(db_url)) as session:
        for filters in FILTERS:
            params = make_params(**filters)
            old = b"".join(stream_export(fmt, iter_matching(session, params)))
            for batch in (7, 10_000):  # batch edges inside reports, and one batch for all
                new = b"".join(stream_export_batches(fmt, iter_matching_batches(session, params, batch)))
                if fmt == "parquet":
                    a, b = pq.read_table(io.BytesIO(old)), pq.read_table(io.BytesIO(new))
                    assert a.schema.equals(b.schema, check_metadata=True)
                    assert a.to_pylist() == b.to_pylist(), filters
                    if batch == 10_000:
                        assert new == old, filters
                else:
                    assert new == old, (filters, batch)
            if not filters:  # every finding is there, one batch for each 7 rows
                assert sum(len(rows) for rows, _ in iter_matching_batches(session, params, 7)) == 9 * 40


def test_prefetched_keeps_order_and_reads_at_most_one_item_ahead():
    read: list[int] = []

    def source():
        for i in range(6):
            read.append(i)
            yield i

    ahead = prefetched(source())
    assert next(ahead) == 0
    deadline = time.monotonic() + 5
    while len(read) < 3 and time.monotonic() < deadline:  # give the reader time to run ahead
        time.sleep(0.01)
    time.sleep(0.1)
    assert read == [0, 1, 2]  # 0 handed over, 1 waiting in the queue, 2 read and blocked on it
    assert list(ahead) == [1, 2, 3, 4, 5]


def test_prefetched_raises_the_readers_error_after_the_items_before_it():
    def source():
        yield 1
        raise ValueError("base injoignable")

    ahead = prefetched(source())
    assert next(ahead) == 1
    with pytest.raises(ValueError, match="base injoignable"):
        next(ahead)


def test_closing_prefetched_stops_the_reader_and_closes_its_source_before_returning():
    closed = threading.Event()
    reads = 0

    def source():
        nonlocal reads
        try:
            while True:
                reads += 1
                yield reads
        finally:
            closed.set()

    before = threading.active_count()
    ahead = prefetched(source())
    assert next(ahead) == 1
    ahead.close()
    assert closed.is_set()  # closed in the reader's thread, and before close() returned
    assert threading.active_count() == before
    assert reads <= 3


def test_an_export_stopped_midway_leaves_no_reader_behind(db_url):
    fill(db_url)
    with Session(engine_for(db_url)) as session:
        before = threading.active_count()
        chunks = stream_export_batches("jsonl", iter_matching_batches(session, make_params(), batch=2))
        assert next(chunks)
        chunks.close()
        assert threading.active_count() == before
