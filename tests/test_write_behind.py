"""Write-behind indexing: the worker sends a report's documents without waiting, and the report
is marked ``indexed`` only once Meilisearch confirmed; sending again replaces stale findings."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import delete, select

from lab.replica.render import TEXT_VARIANTS, render_sample, sample_reports
from search.indexer import pending_state
from search.settings import index_names
from store import repo
from store.models import FindingRow, ReportRow
from worker import pipeline


def _confirm(svc, rid: str, sent: pipeline.Sent) -> str:
    deadline = time.monotonic() + 120
    while (state := pipeline.confirm_index(svc, rid, sent.tasks, sent.digest)) == "processing":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    return state


def _finding_ids(svc, rid: str) -> set[str]:
    client = svc.meili_admin()
    page = client.fetch_documents(index_names(svc.prefix)["findings"], filter_=f'report_id = "{rid}"',
                                  fields=["id"], limit=1000)
    return {d["id"] for d in page["results"]}


@pytest.mark.services
def test_report_is_indexed_only_once_meilisearch_confirmed_and_stale_findings_go(pipeline_services):
    svc = pipeline_services
    rid = pipeline.ingest_bytes(svc, render_sample(sample_reports()[1], variant=TEXT_VARIANTS[2]),
                                source_url="http://127.0.0.1/wb.pdf")
    assert pipeline.extract_report(svc, rid) == rid
    sent = pipeline.send_index(svc, rid)
    assert sent and sent.tasks and all(len(t) == 2 for t in sent.tasks)
    with svc.session() as s:
        assert repo.get_report(s, rid).status == "extracted"  # sent, not yet confirmed
    assert _confirm(svc, rid, sent) == "indexed"
    with svc.session() as s:
        row = repo.get_report(s, rid)
        assert row.status == "indexed"
        stored = set(s.scalars(select(FindingRow.id).where(FindingRow.report_id == rid)))
    assert len(stored) >= 2 and _finding_ids(svc, rid) == stored

    gone = sorted(stored)[0]  # the report changed: one finding fewer
    with svc.session() as s:
        s.execute(delete(FindingRow).where(FindingRow.id == gone))
    sent = pipeline.send_index(svc, rid)
    assert _confirm(svc, rid, sent) == "indexed"
    assert _finding_ids(svc, rid) == stored - {gone}


def _stored_ids(svc, rid: str) -> set[str]:
    with svc.session() as s:
        return set(s.scalars(select(FindingRow.id).where(FindingRow.report_id == rid)))


def _eventually(what, deadline_s: float = 60):
    deadline = time.monotonic() + deadline_s
    while not (value := what()):
        assert time.monotonic() < deadline, "never came true"
        time.sleep(0.2)
    return value


@pytest.mark.services
def test_a_store_changed_between_send_and_confirm_is_not_marked_with_the_old_documents(pipeline_services):
    """The documents left for Meilisearch, then the store changed under them: re-extracted
    (one finding fewer), the report is indexed again from the store; its extraction lost (a
    database crash loses the last commits of an asynchronous commit), the documents are
    withdrawn and the report stays unfinished for the reconciler, never ``indexed`` with the
    findings of a state the store does not hold."""
    svc = pipeline_services
    rid = pipeline.ingest_bytes(svc, render_sample(sample_reports()[2], variant=TEXT_VARIANTS[1]),
                                source_url="http://127.0.0.1/wb-changed.pdf")
    assert pipeline.extract_report(svc, rid) == rid
    stored = _stored_ids(svc, rid)
    assert len(stored) >= 2

    # re-extracted in between: the store holds one finding fewer than what was sent
    sent = pipeline.send_index(svc, rid)
    gone = sorted(stored)[-1]
    with svc.session() as s:
        s.execute(delete(FindingRow).where(FindingRow.id == gone))
    assert _confirm(svc, rid, sent) == "indexed"
    assert _finding_ids(svc, rid) == stored - {gone} == _stored_ids(svc, rid)

    # the extraction lost after the documents left: the row is back as it was when fetched
    with svc.session() as s:
        repo.get_report(s, rid).extractor_version = None  # an older extractor's: extracted again
    assert pipeline.extract_report(svc, rid) == rid
    assert _stored_ids(svc, rid) == stored
    sent = pipeline.send_index(svc, rid)
    with svc.session() as s:
        s.execute(delete(FindingRow).where(FindingRow.report_id == rid))
        row = s.get(ReportRow, rid)
        row.status, row.structure, row.extractor_version, row.index_version = "fetched", None, None, None
    _eventually(lambda: pending_state(svc.meili_admin(), sent.tasks) == "succeeded")
    with pipeline.claim(svc, "extract", rid, 60) as mine:  # a worker extracting it again: wait for it
        assert mine
        assert pipeline.confirm_index(svc, rid, sent.tasks, sent.digest) == "processing"
        assert _finding_ids(svc, rid) == stored
    assert _confirm(svc, rid, sent) == "unextracted"
    with svc.session() as s:
        assert repo.get_report(s, rid).status == "fetched"
    reports = svc.meili_admin()
    _eventually(lambda: not _finding_ids(svc, rid))
    _eventually(lambda: reports.get_document(index_names(svc.prefix)["reports"], rid) is None)
    assert pipeline.index_report(svc, rid) is None  # nothing extracted: nothing to index
    with svc.session() as s:
        assert repo.get_report(s, rid).status == "fetched"

    # what the reconciler hands over: extract and index again
    assert pipeline.extract_report(svc, rid) == rid
    sent = pipeline.send_index(svc, rid)
    assert _confirm(svc, rid, sent) == "indexed"
    assert _finding_ids(svc, rid) == _stored_ids(svc, rid) == stored

    # a message of an older worker (no digest) is not taken on trust: indexed again from the store
    with svc.session() as s:
        s.execute(delete(FindingRow).where(FindingRow.id == gone))
    assert pipeline.confirm_index(svc, rid, sent.tasks, None) == "indexed"
    assert _finding_ids(svc, rid) == _stored_ids(svc, rid) == stored - {gone}
