"""A sweep of random and hostile parameters over every public route: never a 500, never a
crash; errors are 4xx with a French message (JSON for the API, a page for the site)."""

from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api_support import shared_data
from tests.search_support import HashingEmbedder

pytestmark = pytest.mark.services

NASTY = ["", " ", "0", "-1", "1e309", "NaN", "inf", "99999999999999999999", "2016", "33063",
         "243300316", "x" * 600, "é€😀", '"', "\\", "' OR 1=1 --", '" OR kind = "suivi',
         "<script>alert(1)</script>", "%00", "\x00", "../../etc/passwd", "true", "[]", "{}",
         "a/b", "recommandation", "gouvernance", "2A004", "rdeadbeef000000"]
PARAMS = ["q", "chamber", "region", "departement", "body_kind", "insee", "siren", "year_from",
          "year_to", "kind", "theme", "status", "sector", "report_id", "low_confidence",
          "semantic", "sort", "page", "per_page", "format", "limit"]
GET_ROUTES = ["/api/search", "/api/search.atom", "/api/findings/{x}", "/api/findings/{x}/similar",
              "/api/reports/{x}", "/api/reports/{x}/pdf", "/api/bodies", "/api/bodies/{x}/reports",
              "/api/export", "/api/stats", "/api/crawls", "/api/recurring", "/api/taxonomy",
              "/recherche", "/communes", "/organismes/{x}", "/rapports/{x}", "/constats/{x}", "/export"]


@pytest.fixture(scope="module")
def client(live_services, tmp_path_factory):
    data = shared_data(live_services, tmp_path_factory)
    with TestClient(create_app(data.settings, embedder=HashingEmbedder(64)),
                    raise_server_exceptions=False) as c:
        yield c


def test_random_parameters_never_cause_a_server_error(client):
    rng = random.Random(20261122)
    failures = []
    for _ in range(250):
        route = rng.choice(GET_ROUTES)
        path = route.replace("{x}", rng.choice([v for v in NASTY if v and "/" not in v
                                                and v not in ("\x00", "%00")] or ["x"]))
        params = [(rng.choice(PARAMS), rng.choice(NASTY)) for _ in range(rng.randint(0, 4))]
        r = client.get(path, params=params)
        if r.status_code >= 500 or r.status_code not in (200, 202, 404, 422):
            failures.append((path, params, r.status_code, r.text[:200]))
            continue
        if r.status_code >= 400:
            if path.startswith("/api/"):
                assert "erreur" in r.json(), (path, params, r.text[:200])
            else:
                assert 'lang="fr"' in r.text
    assert not failures, failures[:5]


def test_hostile_filter_values_are_quoted_not_interpreted(client):
    r = client.get("/api/search", params={"chamber": '" OR kind = "suivi'})
    assert r.status_code == 200 and r.json()["total"] == 0


def test_post_routes_reject_bad_bodies_in_french(client):
    for body in ("not json", "[]", '{"source": 3}'):
        r = client.post("/api/crawls", content=body, headers={"X-API-Key": "admin-test-key",
                                                              "content-type": "application/json"})
        assert r.status_code == 422 and r.json()["erreur"] == "paramètres invalides"
