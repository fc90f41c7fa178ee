"""Write-behind indexing: the worker sends a report's documents without waiting, and the report
is marked ``indexed`` only once Meilisearch confirmed; sending again replaces stale findings."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import delete, select

from lab.replica.render import TEXT_VARIANTS, render_sample, sample_reports
from search.settings import index_names
from store import repo
from store.models import FindingRow
from worker import pipeline


def _confirm(svc, rid: str, tasks) -> str:
    deadline = time.monotonic() + 120
    while (state := pipeline.confirm_index(svc, rid, tasks)) == "processing":
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
    tasks = pipeline.send_index(svc, rid)
    assert tasks and all(len(t) == 2 for t in tasks)
    with svc.session() as s:
        assert repo.get_report(s, rid).status == "extracted"  # sent, not yet confirmed
    assert _confirm(svc, rid, tasks) == "indexed"
    with svc.session() as s:
        row = repo.get_report(s, rid)
        assert row.status == "indexed"
        stored = set(s.scalars(select(FindingRow.id).where(FindingRow.report_id == rid)))
    assert len(stored) >= 2 and _finding_ids(svc, rid) == stored

    gone = sorted(stored)[0]  # the report changed: one finding fewer
    with svc.session() as s:
        s.execute(delete(FindingRow).where(FindingRow.id == gone))
    tasks = pipeline.send_index(svc, rid)
    assert _confirm(svc, rid, tasks) == "indexed"
    assert _finding_ids(svc, rid) == stored - {gone}
