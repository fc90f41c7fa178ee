"""The JSON API against a real Meilisearch and a real store with indexed reports
(real corpus reports and small fictional ones, see tests/api_support.py)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.export import NAMES
from constats.taxonomy import THEMES
from nlp.classify import ThemeClassifier
from tests.corpus import CORPUS, corpus_txt

pytestmark = pytest.mark.services
HAS_CORPUS = (CORPUS / "metadata.csv").exists()


def test_health_reports_each_service(client):
    r = client.get("/health")
    assert r.status_code == 200, r.text
    assert {k: v["status"] for k, v in r.json()["services"].items()} == {
        "store": "ok", "meilisearch": "ok", "redis": "ok"}


def test_health_is_503_when_a_service_is_down(data, tmp_path):
    settings = data.settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(settings)) as c:
        r = c.get("/health")
    assert r.status_code == 503
    assert r.json()["services"]["redis"]["status"] == "error"
    assert r.json()["services"]["meilisearch"]["status"] == "ok"


def test_api_uses_a_search_only_key(client, data):
    from search.client import MeiliClient, MeiliError

    key = client.app.state.services._search_key()
    assert key != data.settings.meili_master_key
    with MeiliClient(data.settings.meili, key) as meili:  # the key can search but not write
        assert "hits" in meili.search(f"{data.settings.index_prefix}-findings", {"q": "prime"})
        with pytest.raises(MeiliError) as err:
            meili.add_documents(f"{data.settings.index_prefix}-findings", [{"id": "x", "text": "y"}])
    assert err.value.status == 403


def test_search_returns_hits_with_page_links_and_highlights(client, data):
    r = client.get("/api/search", params={"q": "prime de fin d'année"})
    assert r.status_code == 200, r.text
    body = r.json()
    hit = next(h for h in body["hits"] if h["report_id"] == data.ids["early"])
    assert hit["page"] == 3
    assert hit["pdf_url"].endswith(f"/api/reports/{data.ids['early']}/pdf#page=3")
    assert "<mark>" in hit["highlight"]
    assert "kind" in body["facets"]


def test_search_filters_and_facets(client, data):
    r = client.get("/api/search", params={"q": "", "kind": "suivi"})
    hits = r.json()["hits"]
    assert hits and all(h["kind"] == "suivi" for h in hits)
    r = client.get("/api/search", params={"status": "non_mise_en_oeuvre"})
    assert {h["id"] for h in r.json()["hits"]} and all(
        h["status"] == "non_mise_en_oeuvre" for h in r.json()["hits"])
    r = client.get("/api/search", params={"year_from": 2018, "year_to": 2019})
    assert r.json()["hits"] and all(2018 <= h["year"] <= 2019 for h in r.json()["hits"])
    r = client.get("/api/search", params={"theme": ["ressources_humaines", "gestion_deleguee"]})
    assert r.json()["hits"] and all(h["primary_theme"] in ("ressources_humaines", "gestion_deleguee")
                                    for h in r.json()["hits"])


def test_search_understands_an_insee_code(client, data):
    r = client.get("/api/search", params={"q": "45999"})
    body = r.json()
    assert body["understood"] and body["hits"]
    assert {h["report_id"] for h in body["hits"]} <= {data.ids["early"], data.ids["later"], data.ids["ccas"]}
    assert body["understood"][0]["label"] == "code INSEE ou code postal 45999"
    words = client.get(body["words_instead"])  # the same search, the number as a word
    assert body["words_instead"] == "/api/search?q=45999&literal=true"
    assert words.status_code == 200 and words.json()["understood"] == []


def test_hybrid_search_reports_semantic_use(client):
    r = client.get("/api/search", params={"q": "prime versée sans base légale", "semantic": 0.5})
    assert r.status_code == 200, r.text
    assert r.json()["semantic"] == 0.5


@pytest.mark.parametrize("params, fragment", [
    ({"per_page": 101}, "entre 1 et 100"),
    ({"page": 0}, "commence à 1"),
    ({"semantic": 2}, "entre 0 et 1"),
    ({"semantic": "beaucoup"}, "nombre"),
    ({"theme": "cuisine"}, "thème inconnu"),
    ({"kind": "avis"}, "type de constat inconnu"),
    ({"sort": "hasard"}, "valeurs possibles"),
    ({"year_from": "20x6"}, "AAAA"),
])
def test_invalid_search_parameters_are_explained_in_french(client, params, fragment):
    r = client.get("/api/search", params=params)
    assert r.status_code == 422
    assert fragment in r.json()["message"], r.json()


@pytest.mark.parametrize("params, fragment", [
    ({"page": 60, "per_page": 20}, "1000 premiers"),
    ({"year_from": 2019, "year_to": 2015}, "postérieure"),
])
def test_a_request_nothing_can_answer_is_an_empty_page_that_says_why(client, params, fragment):
    """Values the OpenAPI document allows are accepted (schemathesis checks it); what they ask
    cannot be answered, and the answer says why."""
    r = client.get("/api/search", params=params)
    assert r.status_code == 200
    assert r.json()["hits"] == []
    assert any(fragment in w for w in r.json()["warnings"]), r.json()


def test_report_shows_structure_findings_by_kind_and_responses(client, data):
    r = client.get(f"/api/reports/{data.ids['early']}")
    assert r.status_code == 200
    rep = r.json()
    assert [s["title"] for s in rep["sections"]] == ["Synthèse", "Recommandations"]
    assert set(rep["findings_by_kind"]) == {"synthese", "recommandation"}
    reco = rep["findings_by_kind"]["recommandation"]
    assert [f["number"] for f in reco] == ["1", "2"]
    assert reco[1]["pdf_url"].endswith("#page=3")
    assert rep["responses"][0]["author"] == "Le maire"
    assert client.get("/api/reports/rinconnu0000000").status_code == 404
    assert client.get("/api/reports/bad id!").status_code in (404, 422)


def test_report_pdf_is_served_and_unknown_pdf_is_404(client, data):
    r = client.get(f"/api/reports/{data.ids['early']}/pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf"
    r = client.get(f"/api/reports/{data.ids['later']}/pdf")  # no raw file kept
    assert r.status_code == 404 and "n'est pas conservé" in r.json()["erreur"]


def test_finding_and_similar(client, data):
    rep = client.get(f"/api/reports/{data.ids['early']}").json()
    fid = rep["findings_by_kind"]["recommandation"][1]["id"]
    f = client.get(f"/api/findings/{fid}").json()
    assert f["report_id"] == data.ids["early"] and f["page"] == 3
    sim = client.get(f"/api/findings/{fid}/similar", params={"limit": 5})
    assert sim.status_code == 200
    hits = sim.json()["hits"]
    assert hits and fid not in {h["id"] for h in hits}
    assert client.get("/api/findings/r000-1-2/similar").status_code == 404
    assert client.get(f"/api/findings/{fid}/similar", params={"limit": 0}).status_code == 422


def test_bodies_lookup_is_typo_tolerant(client):
    r = client.get("/api/bodies", params={"q": "Valfleuri sur Loir"})
    assert r.status_code == 200
    assert r.json()["hits"][0]["insee"] == "45999"
    assert client.get("/api/bodies", params={"q": "45990"}).json()["hits"][0]["name"] == "Valfleuri-sur-Loire"
    assert client.get("/api/bodies").status_code == 422


def test_body_reports_include_epci_and_ccas(client, data):
    r = client.get("/api/bodies/45999/reports")
    assert r.status_code == 200
    got = {rep["id"] for rep in r.json()["reports"]}
    assert got == {data.ids["early"], data.ids["later"], data.ids["ccas"], data.ids["epci"]}
    years = [rep["year"] for rep in r.json()["reports"]]
    assert years == sorted(years, reverse=True)
    assert client.get("/api/bodies/99999/reports").status_code == 404
    assert client.get("/api/bodies/abc/reports").status_code == 422


@pytest.mark.skipif(not HAS_CORPUS, reason="development corpus absent")
def test_real_corpus_commune_gets_its_epci_report(client, data):
    got = {rep["id"] for rep in client.get("/api/bodies/86177/reports").json()["reports"]}
    assert got == {data.ids["neuville"], data.ids["neuvillois"]}


def test_taxonomy_and_stats(client, data):
    tax = client.get("/api/taxonomy").json()
    assert {t["code"] for t in tax["kinds"]} >= {"recommandation", "suivi"}
    stats = client.get("/api/stats").json()
    assert stats["findings"] > 0 and stats["by"]["kind"]["suivi"] == 2


def test_atom_feed_newest_first(client, data):
    r = client.get("/api/search.atom", params={"insee": "45999"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(r.content)
    updated = [e.find("a:updated", ns).text for e in feed.findall("a:entry", ns)]
    assert len(updated) == 7 and updated == sorted(updated, reverse=True)
    assert feed.find("a:link[@rel='self']", ns).get("href").startswith("http://constats.test/api/search.atom?")


def _count_findings(data) -> int:
    from sqlalchemy import func, select

    from store.db import session_scope
    from store.models import FindingRow

    with session_scope(data.settings.db_url) as s:
        return s.scalar(select(func.count()).select_from(FindingRow))


def test_export_csv_has_every_finding_with_provenance(client, data):
    r = client.get("/api/export", params={"format": "csv"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == _count_findings(data)
    assert list(rows[0]) == NAMES
    assert len({row["finding_id"] for row in rows}) == len(rows)
    row = next(x for x in rows if x["report_id"] == data.ids["early"] and x["number"] == "2")
    assert row["page_url"].endswith(".pdf#page=3") and row["extractor_version"] == "test-1"
    assert row["classifier_version"] == "test-clf" and row["primary_theme"] == "ressources_humaines"


@pytest.mark.skipif(not HAS_CORPUS, reason="development corpus absent")
def test_export_offsets_point_into_the_corpus_text(client, data):
    r = client.get("/api/export", params={"format": "jsonl", "report_id": data.ids["lormont"]})
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert rows
    text = corpus_txt("260333")
    assert all(text[row["start"]:row["end"]] == row["text"] for row in rows)


def test_export_filters_jsonl_and_parquet_agree(client, data):
    params = {"kind": "recommandation", "theme": "ressources_humaines"}
    jl = client.get("/api/export", params={**params, "format": "jsonl"})
    rows = [json.loads(line) for line in jl.text.splitlines()]
    assert rows and all(r["kind"] == "recommandation" for r in rows)
    pa = client.get("/api/export", params={**params, "format": "parquet"})
    table = pq.read_table(io.BytesIO(pa.content))
    assert table.column_names == NAMES
    assert sorted(table.column("finding_id").to_pylist()) == sorted(r["finding_id"] for r in rows)


def test_export_schema_is_a_table_schema(client):
    schema = client.get("/api/export/schema").json()
    assert [f["name"] for f in schema["fields"]] == NAMES
    assert schema["primaryKey"] == ["finding_id"]
    # the theme model that classified the findings: version, held-out scores, meaning of low_confidence
    clf = ThemeClassifier.load()
    card = schema["constats:classifier"]
    assert card["version"] == clf.version and card["low_confidence_below"] == clf.threshold
    assert set(card["per_theme_f1"]) == set(THEMES) and set(card["per_theme_f1_by_chamber"]) == set(THEMES)
    for scheme in ("held_out_by_report", "held_out_by_chamber"):
        lo, hi = card[scheme]["ci95"]
        assert 0 < lo <= card[scheme]["macro_f1"] <= hi < 1
        assert {"recommandation", "rappel_au_droit", "observation"} <= set(card[scheme]["kinds"])
    assert "low_confidence" in card["description"]
    assert client.get("/api/export", params={"format": "xml"}).status_code == 422


def test_crawls_listing(client):
    r = client.get("/api/crawls")
    assert r.status_code == 200 and r.json()["crawls"] == []


def test_admin_routes_need_the_key(client, data):
    assert client.post("/api/crawls", json={}).status_code == 401
    r = client.post("/api/crawls", json={}, headers={"X-API-Key": "wrong"})
    assert r.status_code == 403 and "incorrecte" in r.json()["erreur"]
    r = client.post("/api/crawls", json={"source": "ftp"}, headers={"X-API-Key": "admin-test-key"})
    assert r.status_code == 422
    no_key = data.settings.model_copy(update={"admin_api_key": None})
    with TestClient(create_app(no_key)) as c:
        r = c.post("/api/reprocess", json={}, headers={"X-API-Key": "anything"})
    assert r.status_code == 403 and "désactivées" in r.json()["erreur"]


def test_admin_crawl_is_enqueued_on_redis(client, data):
    import redis

    r = client.post("/api/crawls", json={"source": "ccomptes", "max_pages": 1},
                    headers={"X-API-Key": "admin-test-key"})
    assert r.status_code == 202, r.text
    assert r.json()["task_id"]
    red = redis.Redis.from_url(data.settings.redis)
    messages = red.lrange("celery", 0, -1)
    red.delete("celery")  # nobody consumes it in this test
    assert any(r.json()["task_id"].encode() in m for m in messages)


def test_recurring_groups_are_served_once_computed(client, data):
    from api.recurring import groups_path, write

    r = client.get("/api/recurring")
    assert r.status_code == 200 and r.json()["available"] is False
    rep = client.get(f"/api/reports/{data.ids['later']}").json()
    fid = rep["findings_by_kind"]["suivi"][1]["id"]
    group = {"id": "gtest", "label": "prime sans base légale", "representative_id": fid, "size": 2,
             "n_reports": 2, "member_ids": [fid, "other-1-2"], "report_ids": [data.ids["later"], "rx"],
             "by_chamber": {"CRC Centre-Val de Loire": 2}, "by_year": {"2019": 2}, "cohesion": 0.9}
    path = groups_path(data.settings.state_dir)
    write(path, {"computed_at": "2026-11-22T00:00:00+00:00", "threshold": 0.7, "findings": 10,
                 "groups": [group]})
    try:
        body = client.get("/api/recurring").json()
        assert body["available"] and body["groups"][0]["id"] == "gtest"
        assert client.get("/api/recurring", params={"chamber": "CRC Bretagne"}).json()["groups"] == []
        assert client.get(f"/api/findings/{fid}").json()["found_elsewhere"] == 1
        assert "Constatée 1 fois ailleurs" in client.get(f"/constats/{fid}").text
    finally:
        path.unlink()
    assert client.get(f"/api/findings/{fid}").json()["found_elsewhere"] == 0


def test_admin_reprocess_checks_ids_and_enqueues(client, data):
    import redis

    key = {"X-API-Key": "admin-test-key"}
    r = client.post("/api/reprocess", json={"report_ids": ["rinconnu"]}, headers=key)
    assert r.status_code == 404 and "rinconnu" in r.json()["erreur"]
    r = client.post("/api/reprocess", json={"report_ids": ["pas un identifiant !"]}, headers=key)
    assert r.status_code == 422
    r = client.post("/api/reprocess", json={"report_ids": [data.ids["early"]]}, headers=key)
    assert r.status_code == 202 and r.json()["report_ids"] == [data.ids["early"]]
    red = redis.Redis.from_url(data.settings.redis)
    messages = red.lrange("celery", 0, -1)
    red.delete("celery")
    assert any(r.json()["task_ids"][0].encode() in m for m in messages)
