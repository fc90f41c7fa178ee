"""Pure parts of the search layer: documents, validation, query understanding, settings diff."""

from __future__ import annotations

import math

import pytest

from search import settings as S
from search.documents import (
    MAX_FIELD_WORDS,
    body_document,
    cap_words,
    finding_document,
    report_document,
    validate_document,
)
from search.lemmas import expand_acronyms
from search.query import SearchParams, build_filters, safe_highlight
from search.understand import filters_for, understand_query
from store.models import FindingRow, ReportRow


def _rows(text="La chambre recommande de fiabiliser l'inventaire.", **kw):
    report = ReportRow(id="rabc", sha256="0" * 64, title="Commune de Testville (Ille-et-Vilaine)",
                       chamber="CRC Bretagne", body_name="Testville", body_kind="commune",
                       departement="35", insee="35238", siren=None, year=2016,
                       source_url="https://example.test/r.pdf",
                       structure={"metadata": {"region": "Bretagne", "deliberation_date": "2016-05-03",
                                               "body": {"postal_codes": ["35000"],
                                                        "epci_siren": "243500139"}}})
    finding = FindingRow(id="rabc-10-60", report_id="rabc", kind="recommandation", number="2",
                         text=text, page=5, start=10, end=60, section_path=["Synthèse"],
                         themes=[{"code": "fiabilite_comptes", "score": 0.81}],
                         primary_theme="fiabilite_comptes", confidence=0.81, low_confidence=False,
                         **kw)
    return finding, report


def test_finding_document_carries_report_metadata_and_page_link():
    finding, report = _rows()
    doc = finding_document(finding, report, vector=[0.6, 0.8], lemmas="le chambre")
    assert doc["chamber"] == "CRC Bretagne" and doc["region"] == "Bretagne"
    assert doc["insee"] == "35238" and doc["epci_siren"] == "243500139"
    assert doc["postal_codes"] == ["35000"] and doc["date"] == "2016-05-03"
    assert doc["themes"] == ["fiabilite_comptes"] and doc["theme_scores"] == {"fiabilite_comptes": 0.81}
    assert doc["page_url"] == "https://example.test/r.pdf#page=5"
    assert doc["_vectors"] == {"default": [0.6, 0.8]}
    assert validate_document(doc, dim=2) == []


def test_no_text_field_holds_a_whole_report():
    long_text = "mot " * (MAX_FIELD_WORDS * 3)
    finding, report = _rows(text=long_text)
    doc = finding_document(finding, report, vector=None, lemmas=long_text)
    assert len(doc["text"].split()) == MAX_FIELD_WORDS and doc["truncated"] is True
    assert len(doc["lemmas"].split()) == MAX_FIELD_WORDS
    assert cap_words("a b c", 2) == ("a b", True)
    rdoc = report_document(report, counts={"recommandation": 3}, synthese=long_text)
    assert len(rdoc["synthese"].split()) <= 2000 and rdoc["related_codes"] == ["35238", "243500139"]
    assert validate_document(rdoc, kind="report") == []


@pytest.mark.parametrize("change, problem", [
    ({"id": "bad id/with slash"}, "id"),
    ({"text": "  "}, "text: missing"),
    ({"page": 0}, "page 0"),
    ({"page": "5"}, "page: expected int"),
    ({"kind": "opinion"}, "not in the taxonomy"),
    ({"year": 3016}, "year 3016"),
    ({"themes": [3]}, "themes"),
    ({"low_confidence": "no"}, "low_confidence"),
    ({"text": "mot " * (MAX_FIELD_WORDS + 1)}, "more than"),
    ({"_vectors": {"default": [0.1]}}, "1 dimensions, expected 2"),
    ({"_vectors": {"default": [math.nan, 0.0]}}, "finite"),
    ({"_vectors": {}}, "missing"),
])
def test_validation_names_the_problem(change, problem):
    finding, report = _rows()
    doc = finding_document(finding, report, vector=[0.6, 0.8], lemmas="x")
    doc.update(change)
    problems = validate_document(doc, dim=2)
    assert problems and any(problem in p for p in problems), problems


def test_null_vector_is_valid_opt_out():
    finding, report = _rows()
    assert validate_document(finding_document(finding, report, vector=None, lemmas="x"), dim=2) == []


def test_body_document_ids_are_meilisearch_safe():
    doc = body_document({"name": "Ajaccio", "kind": "commune", "insee": "2A004",
                         "postal_codes": ["20000"]})
    assert doc["id"] == "commune-2A004" and validate_document(doc, kind="body") == []
    odd = body_document({"name": "X", "kind": "epci", "code": "12 34/5"})
    assert validate_document(odd, kind="body") == []


def test_long_acronyms_are_expanded_document_side():
    assert expand_acronyms("La DSP du port") == ["délégation de service public"]
    assert expand_acronyms("La RH") == []  # short synonyms are handled by Meilisearch


@pytest.mark.parametrize("q, text, fields", [
    ("dette 33063", "dette", ["insee_or_postal"]),
    ("2B033 eau", "eau", ["insee"]),
    ("SIREN 243 500 139", "", ["siren"]),
    ("243500139 2015 marchés", "marchés", ["siren", "year"]),
    ("un budget de 150 000 000 euros", "un budget de 150 000 000 euros", []),
    ("1607 heures", "1607 heures", []),
    ("exercices 2015-2016", "exercices 2015-2016", []),
    # a year inside a date, after a legal text or a period, or in a range is text
    ("décret du 12 juillet 2001", "décret du 12 juillet 2001", []),
    ("loi NOTRé 2015", "loi NOTRé 2015", []),
    ("budget 2016 dette", "budget 2016 dette", []),
    ("recrutements en 2015", "recrutements en 2015", []),
    ("exercices 2012 à 2016", "exercices 2012 à 2016", []),
    ("1er janvier 2017 transfert", "1er janvier 2017 transfert", []),
    # a number followed by a unit is an amount, not a code
    ("subvention de 15000 euros", "subvention de 15000 euros", []),
    ("commune de 33000 habitants", "commune de 33000 habitants", []),
    # quoted: as typed
    ('"2015" dette', '"2015" dette', []),
    # alone beside a name or a topic, a year is a filter (shown, removable)
    ("Lormont 2015", "Lormont", ["year"]),
    ("2015 astreintes", "astreintes", ["year"]),
])
def test_identifiers_are_understood(q, text, fields):
    rest, found = understand_query(q)
    assert rest == text and sorted(u.field for u in found) == sorted(fields)
    assert len(filters_for(found)) == len(set(fields))


def test_literal_queries_keep_every_word_and_label_the_filters():
    assert understand_query("Lormont 2015 33063", literal=True) == ("Lormont 2015 33063", [])
    _, found = understand_query("dette 33063 2015")
    labels = {u.as_dict()["label"] for u in found}
    assert labels == {"code INSEE ou code postal 33063", "rapports de l'année 2015"}


def test_filters_are_quoted_and_combined():
    p = SearchParams(chamber=['CRC "Île"-de-France'], year_from=2015, siren="243500139",
                     low_confidence=False)
    f = build_filters(p)
    assert 'chamber IN ["CRC \\"Île\\"-de-France"]' in f
    assert "year >= 2015" in f and "low_confidence = false" in f
    assert any("epci_siren" in x for x in f)


def test_highlight_is_html_safe():
    assert safe_highlight("a <b> \x02mot\x03") == "a &lt;b&gt; <mark>mot</mark>"


def test_settings_diff_ignores_order_and_unicode_form():
    wanted = S.declared_settings("findings", 8)
    current = {**wanted, "filterableAttributes": list(reversed(wanted["filterableAttributes"])),
               "stopWords": [w.replace("é", "e\u0301") for w in wanted["stopWords"]],
               "embedders": {"default": {"source": "userProvided", "dimensions": 8,
                                         "binaryQuantized": False}}}
    assert S.settings_diff(current, wanted) == {}
    current["embedders"]["default"]["dimensions"] = 16
    assert set(S.settings_diff(current, wanted)) == {"embedders"}


def test_body_document_reads_the_geo_reference_shape():
    doc = body_document({"id": "commune-33249", "code": "33249", "kind": "commune", "name": "Lormont",
                         "departement": "33", "region": "75", "postal_codes": ["33310"],
                         "siren": None, "epci_siren": "243300316", "population": None})
    assert doc["insee"] == "33249" and doc["id"] == "commune-33249" and doc["population"] == 0
    epci = body_document({"code": "243300316", "kind": "epci", "name": "Bordeaux Métropole",
                          "siren": "243300316"})
    assert epci["insee"] is None and epci["siren"] == "243300316"


def test_retrieval_metrics():
    from lab.evaluate.ranking import score

    assert score(["a", "b"], {"a"}) == (1.0, 1.0, 1.0)
    rr, ndcg, hit = score(["x", "y", "a"], {"a"})
    assert rr == pytest.approx(1 / 3) and ndcg == pytest.approx(0.5) and hit == 1.0
    assert score(["x"] * 10 + ["a"], {"a"})[1:] == (0.0, 0.0)  # past rank 10
    assert score([], {"a"}) == (0.0, 0.0, 0.0)


def test_corpus_paragraphs_keep_offsets(tmp_path):
    from lab.evaluate.ranking import CorpusReport, paragraphs

    txt = "Titre\n" + "Une phrase fictive assez longue pour compter. " * 6 + "\ncourt\n"
    report = CorpusReport(id="k1", title="t", chamber=None, departement=None, year=2016)
    paras = list(paragraphs(report, txt))
    assert len(paras) == 1 and txt[paras[0].start:paras[0].end] == paras[0].text
