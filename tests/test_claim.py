"""The extract claim against a real Redis: held while its holder lives, freed soon after it dies."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import redis

from worker import pipeline


def _hold(svc, rid: str) -> None:
    with pipeline.claim(svc, "extract", rid, 600):
        time.sleep(120)


def _free(svc, rid: str) -> bool:
    with pipeline.claim(svc, "extract", rid, 600) as mine:
        return mine


def test_a_claim_outlives_its_lease_while_held_and_is_freed_a_lease_after_its_holder_is_killed(
        pipeline_services, monkeypatch):
    svc = pipeline_services
    monkeypatch.setattr(pipeline, "CLAIM_LEASE_S", 2.0)
    rid = f"claim-{os.getpid()}-{time.time_ns()}"
    key = f"constats:claim:extract:{rid}"
    client = redis.Redis.from_url(svc.settings.redis)
    child = multiprocessing.get_context("fork").Process(target=_hold, args=(svc, rid))
    child.start()
    try:
        deadline = time.monotonic() + 20
        while not client.exists(key):
            assert time.monotonic() < deadline, "the holder never took the claim"
            time.sleep(0.05)
        time.sleep(5)  # more than two leases: renewed by its living holder
        assert child.is_alive()
        assert not _free(svc, rid)
    finally:
        os.kill(child.pid, signal.SIGKILL)  # no release: as a worker killed mid-extraction
        child.join()
    killed = time.monotonic()
    while not _free(svc, rid):
        assert time.monotonic() - killed < 10, "a dead holder's claim was not freed within a lease"
        time.sleep(0.2)
    assert not client.exists(key)  # the claim taken above was released when done
