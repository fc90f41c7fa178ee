"""Search as a magistrate uses it, against a real Meilisearch: numbers in the text stay text,
every filter read from the query is reported, semantic answers are bounded and counted.

The reports are fictional (written for these tests); the embedder is the test-only hashing
embedder, for which the product applies its strict default threshold (an uncalibrated
embedder: ``search.rerank.DEFAULT_SEMANTIC_THRESHOLD``).
"""

from __future__ import annotations

from collections import Counter

import pytest

from constats.domain import Body
from search import settings as S
from search.client import MeiliClient
from search.indexer import index_reports
from search.query import SearchParams, search_findings
from search.rerank import DEFAULT_SEMANTIC_THRESHOLD, Ranking
from store.db import session_scope
from tests.search_support import HashingEmbedder, add_report, new_store, unique_prefix

pytestmark = pytest.mark.services

PREFIX = unique_prefix("quality")
EMB = HashingEmbedder(64)
LORMONT = Body(name="Lormont", kind="commune", insee="33249", departement="33",
               postal_codes=["33310"])

DECREE = ("Le régime des astreintes ne respecte pas le décret du 12 juillet 2001 relatif à "
          "l'aménagement et à la réduction du temps de travail dans la fonction publique territoriale.")
NOTRE = ("La loi NOTRé de 2015 impose le transfert de la compétence eau et assainissement à "
         "la communauté de communes au plus tard en 2020.")
HOURS = ("La durée annuelle du travail des agents reste inférieure aux 1607 heures "
         "réglementaires, soit l'équivalent de six postes à temps plein.")
FINDINGS_2016 = [
    dict(kind="rappel_au_droit", number="1", page=5, primary_theme="ressources_humaines", text=DECREE),
    dict(kind="observation", page=9, primary_theme="intercommunalite", text=NOTRE),
    dict(kind="recommandation", number="2", page=11, primary_theme="ressources_humaines", text=HOURS),
    dict(kind="observation", page=14, primary_theme="fiabilite_comptes",
         text="La régie d'avances de la médiathèque n'a pas été contrôlée depuis sa création."),
]
FINDINGS_2015 = [
    dict(kind="observation", page=3, primary_theme="ressources_humaines",
         text="Les astreintes des agents de la voirie sont payées sans délibération."),
    dict(kind="observation", page=4, primary_theme="gouvernance",
         text="Les délégations de signature du directeur général n'ont pas été publiées."),
    dict(kind="synthese", page=2, primary_theme="situation_financiere",
         text="La situation financière de la commune s'est redressée en 2015."),
    dict(kind="observation", page=6, primary_theme="ressources_humaines",
         text="Les agents du service des eaux effectuent des heures supplémentaires non contrôlées."),
    dict(kind="observation", page=7, primary_theme="ressources_humaines",
         text="Le recrutement des agents contractuels n'a pas fait l'objet d'une publicité."),
    dict(kind="recommandation", number="1", page=8, primary_theme="ressources_humaines",
         text="Fonder sur une délibération le régime indemnitaire des agents de la médiathèque."),
]


@pytest.fixture(scope="module")
def env(live_services, tmp_path_factory):
    url = new_store(tmp_path_factory.mktemp("quality-store"))
    r16 = add_report(url, "q16", FINDINGS_2016, title="Commune de Lormont (Gironde)", body=LORMONT,
                     chamber="CRC Nouvelle-Aquitaine", region="Nouvelle-Aquitaine", year=2016)
    r15 = add_report(url, "q15", FINDINGS_2015, title="Commune de Lormont (Gironde)", body=LORMONT,
                     chamber="CRC Nouvelle-Aquitaine", region="Nouvelle-Aquitaine", year=2015)
    client = MeiliClient(live_services.meili_url, live_services.master_key)
    with session_scope(url) as session:
        summary = index_reports(session, client, [r16, r15], EMB, PREFIX)
    assert summary.findings_indexed == len(FINDINGS_2016) + len(FINDINGS_2015), summary.skipped
    yield client
    for uid in S.index_names(PREFIX).values():
        client.delete_index(uid)
    client.close()


def search(client, **kw):
    return search_findings(client, SearchParams(**kw), EMB, PREFIX)


@pytest.mark.parametrize("q, expected", [
    ("décret du 12 juillet 2001", DECREE),
    ('"décret du 12 juillet 2001"', DECREE),
    ("loi NOTRé 2015", NOTRE),
    ("1607 heures", HOURS),
])
def test_dates_laws_and_quantities_in_a_query_are_searched_as_text(env, q, expected):
    res = search(env, q=q)
    assert res.understood == [], "no filter may be read from a date, a law or a quantity"
    assert res.hits and res.hits[0].text == expected
    assert "<mark>" in res.hits[0].highlight


def test_a_year_beside_a_name_filters_and_says_so(env):
    res = search(env, q="astreintes 2015")
    assert res.understood == [{"field": "year", "value": 2015, "text": "2015",
                               "label": "rapports de l'année 2015"}]
    assert res.hits and all(h.year == 2015 for h in res.hits)
    words = search(env, q="astreintes 2015", literal=True)
    assert words.understood == [] and words.query == "astreintes 2015"
    assert {h.year for h in words.hits} == {2016, 2015}  # the 2016 decree finding is back


def test_a_word_found_nowhere_has_no_semantic_answer(env):
    assert DEFAULT_SEMANTIC_THRESHOLD > 0  # this embedder is not calibrated: the strict default
    for semantic in (0.0, 0.5, 1.0):
        res = search(env, q="zorglub", semantic=semantic)
        assert res.total == 0 and res.hits == []
        assert sum((res.facets.get("kind") or {}).values()) == 0


def test_a_threshold_of_zero_would_return_the_nearest_findings(env):
    """What the threshold prevents: without it, nonsense gets answers."""
    params = SearchParams(q="zorglub", semantic=0.5)
    res = search_findings(env, params, EMB, PREFIX, ranking=Ranking(semantic_threshold=0.0))
    assert res.total > 0 and res.semantic_hits == res.total


@pytest.mark.parametrize("semantic, threshold", [(0.0, None), (0.5, None), (0.5, 0.0)])
def test_facet_counts_are_the_hits_own_counts(env, semantic, threshold):
    params = SearchParams(q="astreintes régie travail", semantic=semantic, per_page=100)
    ranking = Ranking(rerank=True, semantic_threshold=threshold)
    res = search_findings(env, params, EMB, PREFIX, ranking=ranking)
    assert res.hits and res.total == len(res.hits)
    for facet in ("kind", "primary_theme", "year"):
        counted = Counter(str(getattr(h, facet)) for h in res.hits if getattr(h, facet) is not None)
        assert res.facets.get(facet, {}) == dict(counted), facet


def test_reranked_pages_do_not_repeat_or_lose_findings(env):
    """Pages cut from the re-ranked candidates, then (past the depth) from Meilisearch's order."""
    everything = {h.id for h in search(env, q="agents", per_page=100).hits}
    assert len(everything) == 5
    shallow = Ranking(rerank=True, depth=3)  # page 2 straddles the re-ranked depth
    paged = [h.id for page in (1, 2, 3) for h in search_findings(
        env, SearchParams(q="agents", per_page=2, page=page), EMB, PREFIX, ranking=shallow).hits]
    assert len(paged) == len(set(paged)) == 5 and set(paged) == everything
