"""The learned step of candidate sentences (``nlp.roles``): features, the model's file format,
and how ``nlp.findings`` combines it with the rules (it only rescues what they dropped)."""

from __future__ import annotations

from nlp.findings import RESCUE, find_recommendations
from nlp.roles import RoleModel, SentenceContext, features, stems
from nlp.structure import build_sections
from tests.pdf_fixtures import render_paragraphs

FILLER = ("La commune a engagé plusieurs opérations d'investissement sur la période examinée, financées "
          "par l'emprunt et l'autofinancement, dont le suivi reste perfectible. ")


def test_features_say_restatement_and_legal_cue():
    ctx = SentenceContext("body", ["2. La fiabilité des comptes"], True, True, False, 120, 0.5)
    listed = [stems("Constituer les provisions pour risques et charges.")]
    restating = features("La chambre recommande de constituer les provisions pour risques.", ctx, listed, 1, [])
    new = features("La chambre recommande de publier le rapport annuel du délégataire.", ctx, listed, 1, [])
    assert restating["listed_overlap"] > 0.5 > new["listed_overlap"]
    assert restating["rule=recommandation"] == 1.0
    rappel = features("La chambre rappelle que l'article L. 2121-12 du CGCT impose une note.", ctx, [], 0, [])
    assert rappel["rule=rappel_au_droit"] == 1.0 and rappel["strong_legal"] == 1.0


def test_model_file_round_trip(tmp_path):
    model = RoleModel({"none": {"bias": 1.0}, "recommandation": {"bias": 0.0, "verb=recommande": 3.0},
                       "rappel_au_droit": {"bias": -1.0}}, {"examples": 3})
    model.save(tmp_path / "m.json")
    back = RoleModel.load(tmp_path / "m.json")
    assert back.weights == model.weights and back.meta["examples"] == 3
    probs = back.probabilities({"bias": 1.0, "verb=recommande": 1.0})
    assert abs(sum(probs.values()) - 1) < 1e-9
    assert back.best_item({"bias": 1.0, "verb=recommande": 1.0})[0] == "recommandation"
    assert back.role({"bias": 1.0}) == "none"


def _doc():
    from nlp.pdf import read_pdf
    paras = ["1. LES ACHATS", FILLER * 2,
             "La chambre rappelle que les achats ont progressé de 4 % depuis 2012, ce qui est notable.",
             FILLER * 2, "2. LA DETTE", FILLER * 3]
    return read_pdf(render_paragraphs(paras))


def test_the_model_rescues_what_the_rules_dropped_and_never_removes():
    doc = _doc()
    _, sections = build_sections(doc)
    rules_only = find_recommendations(doc, sections, roles=RoleModel({"none": {"bias": 5.0}}))
    assert not [c for c in rules_only if c.source == "sentence"]  # a fact recalled: not a rappel for the rules
    eager = RoleModel({"none": {"bias": 0.0}, "recommandation": {"bias": -9.0},
                       "rappel_au_droit": {"bias": 0.0, "recall": 20.0}})
    assert eager.best_item({"bias": 1.0, "recall": 1.0})[1] >= RESCUE
    rescued = [c for c in find_recommendations(doc, sections, roles=eager) if c.source == "sentence"]
    assert [(c.kind, doc.text[c.start:c.end][:30]) for c in rescued] == [
        ("rappel_au_droit", "La chambre rappelle que les ac")]
