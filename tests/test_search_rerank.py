"""The re-ranker and the extracts it highlights: pure functions, no service."""

from __future__ import annotations

from search.highlight import highlight
from search.rerank import COSINE_WEIGHT, WEIGHTS, bm25_scores, query_terms, rerank, stem, terms


def _doc(i: str, text: str, path=(), score: float = 0.9) -> dict:
    return {"id": i, "text": text, "section_path": list(path), "_rankingScore": score}


FILLER = ("La commune a engagé plusieurs opérations de voirie et de rénovation des écoles au "
          "cours de la période examinée, financées par l'emprunt et par des subventions. ")


def test_stems_join_plural_and_singular_forms():
    assert stem("astreintes") == stem("astreinte")
    assert stem("regies") == stem("regie")
    assert terms("Les régies d'avances") == terms("la régie d'avance")
    assert query_terms("temps de travail, temps") == ["temp", "travail"]


def test_a_paragraph_about_the_topic_beats_one_that_mentions_it_once():
    about = _doc("about", "Les astreintes des agents techniques ne sont pas encadrées : le régime "
                          "des astreintes n'a pas été délibéré et les astreintes sont payées "
                          "sans pièce justificative.", score=0.90)
    once = _doc("once", FILLER + "Une astreinte est prévue pour la voirie. " + FILLER, score=0.95)
    order = rerank("astreintes", [once, about])
    assert order == [1, 0]


def test_headings_count_when_given():
    under = _doc("under", "Le régime n'a pas été délibéré et les montants versés dépassent les "
                          "plafonds réglementaires.", path=["4. Les ressources humaines",
                                                            "4.2 Les astreintes"], score=0.5)
    other = _doc("other", "Une permanence de week-end est prévue pour les agents de la voirie "
                          "municipale.", score=0.6)
    assert rerank("astreintes", [other, under])[0] == 1
    bare = {**under, "section_path": []}  # the same paragraph, headings removed
    assert rerank("astreintes", [other, bare])[0] == 0


def test_table_captions_are_not_favoured():
    caption = _doc("caption", "Source : comptes administratifs 2009 à 2014", score=0.99)
    para = _doc("para", "Les comptes administratifs présentent des écarts avec les comptes de "
                        "gestion du comptable public sur les exercices examinés, que la commune "
                        "n'a pas expliqués.", score=0.9)
    assert rerank("comptes administratifs", [caption, para]) == [1, 0]


def test_collection_statistics_weigh_rare_words_more():
    docs = [(terms("temps de travail annuel"), []), (terms("1607 heures effectuées"), [])]
    local = bm25_scores(query_terms("temps travail 1607 heures"), docs)
    weighted = bm25_scores(query_terms("temps travail 1607 heures"), docs,
                           df={"temp": 900, "travail": 900, "1607": 5, "heur": 300}, n_docs=1000)
    assert local[0] == local[1]  # two words each, same length: a tie among the candidates
    assert weighted[1] > weighted[0]


def test_cosine_joins_the_score_only_when_given():
    a, b = _doc("a", "Le contrôle du délégataire est insuffisant."), _doc("b", "Le délégataire ne "
                                                                           "produit pas de rapport.")
    assert rerank("délégataire", [a, b]) == [0, 1]  # a tie: Meilisearch's order stands
    weights = {**WEIGHTS, "cosine": COSINE_WEIGHT}
    assert rerank("délégataire", [a, b], cosines={"b": 0.9, "a": 0.1}, weights=weights) == [1, 0]


def test_highlight_marks_the_query_words_and_escapes_html():
    out = highlight("Les <b>astreintes</b> et la régie d'avances : " + "mot " * 60, {stem("astreint"),
                                                                                  *query_terms("régie")})
    assert "<mark>&lt;b&gt;astreintes&lt;/b&gt;</mark>" in out and "<mark>régie</mark>" in out
    assert out.endswith("…") and "<b>" not in out
    long = "début " * 80 + "la régie d'avances n'est pas contrôlée " + "fin " * 80
    cropped = highlight(long, set(query_terms("régie avances")))
    assert cropped.startswith("…") and "<mark>régie</mark>" in cropped and len(cropped.split()) <= 42


def test_terms_stored_at_indexing_rank_as_the_text_itself():
    """The API re-ranks from the terms each document stores (``finding_document``); the order
    must be the one the text itself gives, and a document indexed before they were stored
    (no such fields) is still ranked from its text."""
    from search.documents import finding_document
    from store.models import FindingRow, ReportRow

    report = ReportRow(id="r1", sha256="0" * 64, title="Commune de Testville", chamber="CRC",
                       body_name="Testville", body_kind="commune", departement="35", insee="35238",
                       year=2016, source_url="https://example.test/r.pdf", structure={})
    texts = [("Les régies d'avances ne sont pas contrôlées ; la régie de recettes non plus.",
              ["Gestion", "Les régies"]),
             (FILLER + "Une régie existe. " + FILLER, []),
             ("Le régisseur d'avances n'a pas de cautionnement : 1 607 heures de travail.",
              ["Ressources humaines"]),
             ("Les astreintes ne sont pas délibérées.", ["Temps de travail"])]
    docs = []
    for i, (text, path) in enumerate(texts):
        row = FindingRow(id=f"r1-{i}", report_id="r1", kind="observation", text=text, page=1,
                         start=0, end=len(text), section_path=path)
        doc = finding_document(row, report, vector=None, lemmas="x")
        doc["_rankingScore"] = 0.5 + i / 10
        docs.append(doc)
    assert {"text_terms", "heading_terms"} <= docs[0].keys()
    legacy = [{k: v for k, v in d.items() if k not in ("text_terms", "heading_terms")} for d in docs]
    for q in ("régie d'avances", "1607 heures", "astreintes temps de travail", "régisseur"):
        assert rerank(q, docs) == rerank(q, legacy), q
    mixed = [docs[0], legacy[1], docs[2], legacy[3]]
    assert rerank("régie d'avances", mixed) == rerank("régie d'avances", legacy)
    assert rerank("régie d'avances", docs)[0] == 0


def test_highlight_marks_every_occurrence_and_picks_the_densest_window():
    text = ("mot " * 50 + "astreinte " + "mot " * 50 + "les astreintes et l'astreinte " + "fin " * 50)
    out = highlight(text, set(query_terms("astreintes")))
    assert out.count("<mark>") == 2 and out.startswith("…") and out.endswith("…")
    assert len(out.replace("…", " ").split()) == 40
    assert highlight("", {"x"}) == "" and "<mark>" not in highlight("rien ici", {"astreint"})
