"""The search layer against a real Meilisearch: settings, indexing, queries, rebuild.

The reports are fictional (written for these tests) and stored in a real SQLite store;
the embedder is the test-only hashing embedder of ``tests.search_support``.
"""

from __future__ import annotations

import threading

import pytest

from constats.domain import Body
from constats.text import fold
from search import settings as S
from search.client import MeiliClient, MeiliError, search_key
from search.indexer import index_bodies, index_reports, rebuild
from search.query import (
    NotFound,
    SearchParams,
    facet_stats,
    get_finding,
    search_bodies,
    search_findings,
    similar_findings,
)
from store.db import session_scope
from store.models import FindingRow
from tests.search_support import HashingEmbedder, add_report, new_store, unique_prefix

pytestmark = pytest.mark.services

PREFIX = unique_prefix("idx")
EMB = HashingEmbedder(64)

BORDEAUX = Body(name="Bordeaux", kind="commune", insee="33063", departement="33",
                postal_codes=["33000", "33100"])
RENNES_CC = Body(name="Communauté de communes du Val fictif", kind="epci", siren="243500139",
                 departement="35")

FINDINGS_A = [
    dict(kind="recommandation", number="1", page=4, primary_theme="gestion_deleguee",
         text="Remettre en concurrence la délégation de service public du réseau de chaleur avant son terme."),
    dict(kind="observation", page=7, primary_theme="ressources_humaines",
         text="Les agents contractuels ont été recrutés sans publicité préalable sur des postes "
              "que la commune n'avait pas mis au tableau des emplois."),
    dict(kind="observation", page=9, primary_theme="fiabilite_comptes",
         text="Aucune somme n'a été provisionnée pour le litige pendant devant le tribunal administratif."),
    dict(kind="rappel_au_droit", number="1", page=5, primary_theme="ressources_humaines",
         text="Respecter la durée annuelle du temps de travail fixée par la réglementation."),
]
FINDINGS_B = [
    dict(kind="recommandation", number="1", page=3, primary_theme="gestion_deleguee",
         text="Renforcer le contrôle du délégataire de la DSP du port de plaisance."),
    dict(kind="observation", page=6, primary_theme="ressources_humaines",
         text="La politique RH ne repose sur aucun schéma prévisionnel des effectifs."),
    dict(kind="synthese", page=2, primary_theme="situation_financiere",
         text="La situation financière de la communauté reste fragile malgré un désendettement."),
]


@pytest.fixture(scope="module")
def env(live_services, tmp_path_factory):
    url = new_store(tmp_path_factory.mktemp("search-store"))
    ra = add_report(url, "a", FINDINGS_A, title="Commune de Bordeaux (Gironde)", body=BORDEAUX,
                    chamber="CRC Nouvelle-Aquitaine", region="Nouvelle-Aquitaine", year=2016)
    rb = add_report(url, "b", FINDINGS_B, title="Communauté de communes du Val fictif",
                    body=RENNES_CC, chamber="CRC Bretagne", region="Bretagne", year=2015)
    client = MeiliClient(live_services.meili_url, live_services.master_key)
    with session_scope(url) as session:
        summary = index_reports(session, client, [ra, rb], EMB, PREFIX)
    assert summary.findings_indexed == len(FINDINGS_A) + len(FINDINGS_B), summary.skipped
    yield {"url": url, "client": client, "ra": ra, "rb": rb}
    for uid in S.index_names(PREFIX).values():
        client.delete_index(uid)
    client.close()


def _ids_texts(result) -> list[str]:
    return [h.text for h in result.hits]


def search(env, **kw):
    return search_findings(env["client"], SearchParams(**kw), EMB, PREFIX)


# ---------------------------------------------------------------------------- settings
def test_settings_are_applied_and_idempotent(env):
    client = env["client"]
    again = S.apply_settings(client, PREFIX, EMB.dim)
    assert again == {"findings": {}, "reports": {}, "bodies": {}}
    current = client.get_settings(S.index_names(PREFIX)["findings"])
    assert current["embedders"]["default"]["dimensions"] == EMB.dim
    assert "insee" in current["typoTolerance"]["disableOnAttributes"]
    assert set(S._normalise(S.stop_words())) == set(S._normalise(current["stopWords"]))
    # a change is detected and patched, then it is a no-op again
    client.update_settings(S.index_names(PREFIX)["reports"], {"stopWords": ["zz"]})
    assert S.apply_settings(client, PREFIX, EMB.dim)["reports"].keys() == {"stopWords"}
    assert S.apply_settings(client, PREFIX, EMB.dim)["reports"] == {}


def test_no_stop_word_inside_a_multi_word_synonym():
    stops = {fold(w) for w in S.stop_words()}
    for expr, others in S.synonyms().items():
        for phrase in [expr, *others]:
            words = [fold(w) for w in S._tokens(phrase)]
            if len(words) > 1:
                assert not stops & set(words), (phrase, stops & set(words))


# ---------------------------------------------------------------------------- matching
@pytest.mark.parametrize("query, expected", [
    ("dsp", "port de plaisance"),  # acronym → phrase (synonym)
    ("dsp", "réseau de chaleur"),
    ("délégation de service public", "port de plaisance"),  # 4-word phrase → acronym (lemmas)
    ("rh", "schéma prévisionnel"),
    ("ressources humaines", "schéma prévisionnel"),
    ("1607 heures", "durée annuelle du temps de travail"),
])
def test_domain_synonyms_both_ways(env, query, expected):
    assert any(expected in t for t in _ids_texts(search(env, q=query))), query


def test_lemmas_find_inflected_forms(env):
    # "mettre" never appears, only "mis" (out of reach of typo tolerance)
    hits = _ids_texts(search(env, q="mettre tableau emplois"))
    assert any("pas mis au tableau" in t for t in hits)
    hits = _ids_texts(search(env, q="provisionner litige"))
    assert any("provisionnée" in t for t in hits)
    # the lemmas field is what matched: the raw text alone does not
    client = env["client"]
    raw = client.search(S.index_names(PREFIX)["findings"], {
        "q": "mettre tableau emplois", "attributesToSearchOn": ["text"],
        "matchingStrategy": "all"})
    assert raw["hits"] == []


def test_typo_tolerance_spares_short_words_but_forgives_long_ones(env):
    # a 5-letter word is not another 5-letter word one letter away ("terne" is not "terme")
    assert search(env, q="terne").total == 0
    # a typing error in a longer word is still forgiven
    hits = _ids_texts(search(env, q="remettre concurence"))
    assert any("remettre en concurrence" in t.lower() for t in hits)


def test_filters_facets_highlight_and_page_link(env):
    res = search(env, q="contrôle", chamber="CRC Bretagne")
    assert res.total >= 1 and all(h.chamber == "CRC Bretagne" for h in res.hits)
    res = search(env, q="", kind=["recommandation", "rappel_au_droit"])
    assert {h.kind for h in res.hits} <= {"recommandation", "rappel_au_droit"}
    assert res.facets["kind"] == {"recommandation": 2, "rappel_au_droit": 1}
    res = search(env, q="", year_from=2016, year_to=2016)
    assert res.total == len(FINDINGS_A) and res.facets["year"] == {"2016": len(FINDINGS_A)}
    for order in ("year_asc", "year_desc"):
        years = [h.year for h in search(env, q="", sort=order).hits]
        assert years == sorted(years, reverse=order.endswith("desc")) and len(set(years)) == 2
    hit = search(env, q="publicité préalable").hits[0]
    assert "<mark>" in hit.highlight and hit.page == 7
    assert hit.page_url.endswith("a.pdf#page=7")


def test_identifiers_in_the_query_become_filters(env):
    res = search(env, q="33000 agents")  # Bordeaux's postal code
    assert res.query == "agents" and res.understood[0]["field"] == "insee_or_postal"
    assert res.hits and all(h.body_name == "Bordeaux" for h in res.hits)
    res = search(env, q="243500139")  # the EPCI's SIREN, nothing else
    assert res.total == len(FINDINGS_B)
    res = search(env, q="situation 2016")
    assert res.understood == [{"field": "year", "value": 2016, "text": "2016",
                             "label": "rapports de l'année 2016"}]
    assert all(h.year == 2016 for h in res.hits)
    assert search(env, q="33064 agents").total == 0  # no typo tolerance on codes
    long = search(env, q="un deux trois quatre cinq six sept huit neuf dix onze")
    assert "10 premiers mots" in long.warnings[0]


def test_validation_messages_are_plain_words():
    with pytest.raises(ValueError, match="entre 1 et 100"):
        SearchParams(per_page=500)
    assert "1000 premiers résultats" in SearchParams(page=11, per_page=100).notices()[0]
    assert "postérieure" in SearchParams(year_from=2019, year_to=2015).notices()[0]
    with pytest.raises(ValueError, match="entre 0 et 1"):
        SearchParams(semantic=2)


def test_hybrid_search_returns_semantic_hits(env):
    res = search(env, q="délégataire port plaisance contrôle", semantic=0.9)
    # the words already find it: no finding is added by the vector alone
    assert res.semantic == 0.9 and res.semantic_hits == 0 and res.hits
    assert "port de plaisance" in res.hits[0].text
    first = res.hits[0].id
    similar = similar_findings(env["client"], first, 3, PREFIX)
    assert similar and first not in {h.id for h in similar}
    with pytest.raises(NotFound):
        similar_findings(env["client"], "r000-0-0", 3, PREFIX)


def test_get_finding_and_stats(env):
    hit = search(env, q="publicité préalable").hits[0]
    doc = get_finding(env["client"], hit.id, PREFIX)
    assert doc["lemmas"] and "_vectors" not in doc and doc["insee"] == "33063"
    with pytest.raises(NotFound):
        get_finding(env["client"], "nope", PREFIX)
    stats = facet_stats(env["client"], PREFIX)
    assert stats["findings"] == len(FINDINGS_A) + len(FINDINGS_B) and stats["reports"] == 2
    assert stats["by"]["chamber"] == {"CRC Nouvelle-Aquitaine": 4, "CRC Bretagne": 3}


# ---------------------------------------------------------------------------- robustness
class _NanOnMarker(HashingEmbedder):
    def embed(self, texts):
        out = super().embed(texts)
        for i, t in enumerate(texts):
            if "VECTEUR-CASSÉ" in t:
                out[i, 0] = float("nan")
        return out


def test_invalid_documents_are_skipped_and_the_rest_indexed(env, live_services):
    url, client = env["url"], env["client"]
    prefix = unique_prefix("bad")
    rid = add_report(url, "c", [
        dict(kind="observation", page=2, text="Une observation saine sur la trésorerie."),
        dict(kind="observation", page=3, text="Une observation VECTEUR-CASSÉ sur la dette."),
        dict(kind="observation", page=4, text="Une observation avec une page impossible."),
    ], title="Commune de Rochefort-fictif", body=Body(name="Rochefort-fictif", kind="commune"),
        chamber="CRC Occitanie")
    with session_scope(url) as session:  # a row the extractor should never produce
        bad = session.query(FindingRow).filter(FindingRow.report_id == rid,
                                               FindingRow.page == 4).one()
        bad.page = 0
    try:
        with session_scope(url) as session:
            summary = index_reports(session, client, [rid, "r-unknown"], _NanOnMarker(64), prefix)
        assert summary.findings_indexed == 1
        problems = dict(summary.skipped)
        assert any("page 0" in p for p in problems[f"{rid}-{_span(url, rid, 0)}"])
        assert any("finite" in p for p in problems[f"{rid}-{_span(url, rid, 3)}"])
        assert "r-unknown" in problems
        res = search_findings(client, SearchParams(q="trésorerie"), EMB, prefix)
        assert res.total == 1
    finally:
        for uid in S.index_names(prefix).values():
            client.delete_index(uid)


def _span(url, rid, page) -> str:
    with session_scope(url) as session:
        row = session.query(FindingRow).filter(FindingRow.report_id == rid,
                                               FindingRow.page == page).one()
        return f"{row.start}-{row.end}"


def test_reindex_removes_stale_findings(env):
    url, client = env["url"], env["client"]
    with session_scope(url) as session:
        rows = session.query(FindingRow).filter(FindingRow.report_id == env["rb"]).all()
        target = next(r for r in rows if r.kind == "synthese")
        session.delete(target)
    with session_scope(url) as session:
        summary = index_reports(session, client, [env["rb"]], EMB, PREFIX)
    assert summary.stale_deleted == 1
    assert search(env, q="désendettement").total == 0


def test_rebuild_swaps_without_interrupting_search(env):
    client = env["client"]
    before = search(env, q="contractuels").total
    errors, answers = [], []
    stop = threading.Event()

    def keep_searching():
        while not stop.is_set():
            try:
                answers.append(search(env, q="contractuels").total)
            except Exception as exc:  # noqa: BLE001 - recorded and asserted on below
                errors.append(exc)

    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        with session_scope(env["url"]) as session:
            summary = rebuild(session, client, EMB, PREFIX)
    finally:
        stop.set()
        thread.join()
    assert not errors and answers and all(n == before for n in answers)
    assert summary.findings_indexed >= len(FINDINGS_A) + len(FINDINGS_B) - 1
    uids = {i["uid"] for i in client.list_indexes() if i["uid"].startswith(PREFIX)}
    assert uids == set(S.index_names(PREFIX).values())  # the old ones are gone
    assert search(env, q="contractuels").total == before


def test_bodies_lookup_is_typo_tolerant_and_exact_on_codes(env):
    client = env["client"]
    bodies = [
        {"name": "Bordeaux", "kind": "commune", "insee": "33063", "postal_codes": ["33000", "33100"],
         "departement": "33", "population": 250000},
        {"name": "Bordes", "kind": "commune", "insee": "64138", "postal_codes": ["64510"],
         "departement": "64", "population": 2900},
        {"name": "", "kind": "commune", "insee": "99999"},  # invalid: no name
    ]
    summary = index_bodies(client, PREFIX, bodies)
    assert summary.bodies_indexed == 2 and len(summary.skipped) == 1
    assert search_bodies(client, "Bordeuax", 5, PREFIX)[0]["name"] == "Bordeaux"
    assert [b["name"] for b in search_bodies(client, "33000", 5, PREFIX)] == ["Bordeaux"]
    assert search_bodies(client, "33001", 5, PREFIX) == []


def test_search_key_can_search_but_not_write(env, live_services):
    key = search_key(env["client"], PREFIX)
    assert search_key(env["client"], PREFIX) == key  # found, not created twice
    public = MeiliClient(live_services.meili_url, key)
    try:
        res = search_findings(public, SearchParams(q="contractuels"), None, PREFIX)
        assert res.total >= 1
        assert similar_findings(public, res.hits[0].id, 2, PREFIX)  # no document read needed
        with pytest.raises(MeiliError):
            public.add_documents(S.index_names(PREFIX)["findings"], [{"id": "x"}])
    finally:
        public.close()


def test_index_settings_command(live_services, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from cli.index import register
    from constats.config import reset_settings

    prefix = unique_prefix("cli")
    monkeypatch.setenv("MEILI_URL", live_services.meili_url)
    monkeypatch.setenv("MEILI_MASTER_KEY", live_services.master_key)
    monkeypatch.setenv("CONSTATS_INDEX_PREFIX", prefix)
    monkeypatch.setenv("CONSTATS_EMBEDDER", "none")
    reset_settings()
    app = typer.Typer()
    register(app)
    try:
        first = CliRunner().invoke(app, ["index", "settings"])
        assert first.exit_code == 0, first.output
        assert "modifié" in first.output
        second = CliRunner().invoke(app, ["index", "settings"])
        assert second.output.count("à jour") == 3
    finally:
        reset_settings()
        with MeiliClient(live_services.meili_url, live_services.master_key) as client:
            for uid in S.index_names(prefix).values():
                client.delete_index(uid)
