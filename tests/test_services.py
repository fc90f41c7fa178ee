"""Local services come up for real, and a failure says which service and why."""

from __future__ import annotations

import socket

import pytest
import redis

from constats.config import Settings
from runtime import local as services


@pytest.mark.services
def test_session_services_answer(live_services, meili_admin):
    assert meili_admin.get("/health").json()["status"] == "available"
    version = meili_admin.get("/version").json()["pkgVersion"]
    assert version.startswith("1.21")
    # loopback only, master key enforced
    import httpx

    assert httpx.get(f"{live_services.meili_url}/indexes").status_code == 401
    assert redis.Redis.from_url(live_services.redis_url).ping()


def test_taken_port_is_reported_with_the_service_name(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        settings = Settings(state_dir=tmp_path, redis_port=port)
        with pytest.raises(services.ServiceError, match=r"Redis: port \d+ is taken"):
            services.start_redis(settings)


def test_tampered_binary_is_refused(tmp_path):
    fake = tmp_path / "meilisearch" / services.MEILI_BIN_IN_PACKAGE
    fake.parent.mkdir(parents=True)
    fake.write_bytes(b"#!/bin/sh\necho pwned\n")
    with pytest.raises(services.ServiceError, match="sha256"):
        services.meilisearch_binary(tmp_path)
