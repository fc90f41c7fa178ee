"""Every wording form of models/gold/WORDING.md (counted over the whole corpus) is handled:
labels, in-paragraph verb phrases, follow-up statuses and noise. The sentences are written for
the test (never corpus text); each case names the inventory form it covers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.items import parse_label
from nlp.noise import is_noise
from nlp.sentences import in_paragraph_items, sentence_kind
from nlp.status import split_trailing_status_text, status_match

WORDING = json.loads((Path(__file__).resolve().parents[1] / "models" / "gold" / "wording.json").read_text())

LABELS = [  # (inventory form, line, kind, number)
    ("Recommandation n° N :", "Recommandation n° 3 : Adopter un plan d'investissement.", "recommandation", "3"),
    ("Recommandation unique", "Recommandation unique : Fiabiliser l'inventaire.", "recommandation", "unique"),
    ("Recommandation N : (no n°)", "Recommandation 2 : Délibérer sur le temps de travail.", "recommandation", "2"),
    ("RN - / RN : (short label)", "R4 - Mettre fin aux avances de trésorerie.", "recommandation", "4"),
    ("Rappel à la réglementation n° N", "Rappel à la réglementation n° 1 : Respecter l'article L. 2312-1.",
     "rappel_au_droit", "1"),
    ("Rappel au droit n° N", "Rappel au droit n° 2 : Produire les annexes budgétaires.", "rappel_au_droit", "2"),
    ("Rappel du droit n° N", "Rappel du droit n° 5 – Tenir un inventaire.", "rappel_au_droit", "5"),
    ("Obligation de faire n° N", "Obligation de faire n°2 : Désigner un mandataire.", "rappel_au_droit", "2"),
]


def test_every_label_form_of_the_inventory_is_covered_here():
    forms = set(WORDING["families"]["label_recommandation"]) | set(WORDING["families"]["label_rappel"])
    assert forms == {form for form, *_ in LABELS}


@pytest.mark.parametrize(("form", "line", "kind", "number"), LABELS, ids=[c[0] for c in LABELS])
def test_labels(form, line, kind, number):
    item = parse_label(line)
    assert item is not None, form
    assert (item.kind, item.number) == (kind, number)
    assert line[item.offset:][:1].isupper()  # the text starts after the label


SENTENCES = [  # (inventory form, sentence, kind or None)
    ("la chambre recommande", "La chambre recommande à la commune d'adopter un règlement.", "recommandation"),
    ("la chambre recommande", "Au vu de ces constats, la chambre lui recommande de fiabiliser ses prévisions.",
     "recommandation"),
    ("la chambre recommande", "La chambre, au vu de ces écarts, recommande de revoir les tarifs.", "recommandation"),
    ("elle recommande", "Elle recommande également de formaliser la procédure d'achat.", "recommandation"),
    ("il est recommandé", "Il est recommandé à l'établissement de constituer une provision.", "recommandation"),
    ("il est recommandé", "Aussi est-il recommandé de clarifier la convention.", "recommandation"),
    ("la chambre préconise", "La chambre préconise une révision du pacte financier.", "recommandation"),
    ("il est préconisé", "Il est préconisé de réunir le comité de pilotage chaque année.", "recommandation"),
    ("elle préconise", "Elle préconise d'achever l'inventaire physique.", "recommandation"),
    ("la chambre recommande", "Aussi la chambre recommande-t-elle de publier les comptes.", "recommandation"),
    ("la chambre rappelle … l'obligation / les dispositions / l'article (legal cue)",
     "La chambre rappelle que l'article L. 2121-12 du CGCT impose une note de synthèse.", "rappel_au_droit"),
    ("la chambre rappelle", "La chambre rappelle à l'ordonnateur que la commune doit tenir un inventaire.",
     "rappel_au_droit"),
    ("elle rappelle", "Elle rappelle l'obligation de délibérer sur le régime indemnitaire.", "rappel_au_droit"),
    ("il est rappelé", "Il est rappelé que les provisions sont obligatoires dès l'apparition d'un risque.",
     "rappel_au_droit"),
    # not items: a necessity, a fact, softer formulas, past tenses, the letter, a list's introduction
    ("la chambre rappelle", "La chambre rappelle la nécessité d'un suivi des effectifs.", None),
    ("la chambre rappelle", "La chambre rappelle que le budget a progressé de 4 % en 2014.", None),
    ("la chambre invite", "La chambre invite la commune à poursuivre ses efforts.", None),
    ("elle invite", "Elle invite l'ordonnateur à la tenir informée.", None),
    ("est / sont invité(e)(s)", "La commune est invitée à revoir ses tarifs.", None),
    ("la chambre demande", "La chambre demande à la commune de lui transmettre le bilan.", None),
    ("il est demandé", "Il est demandé à la régie de produire ses comptes.", None),
    ("elle demande", "Elle demande la production d'un plan.", None),
    ("la chambre encourage", "La chambre encourage la mutualisation des achats.", None),
    ("elle encourage", "Elle encourage la commune à poursuivre.", None),
    ("la chambre incite", "La chambre incite le syndicat à se rapprocher de l'EPCI.", None),
    ("la chambre suggère", "La chambre suggère un rapprochement des services.", None),
    ("elle suggère", "Elle suggère une étude.", None),
    ("la chambre engage", "La chambre engage la commune à revoir ses procédures.", None),
    ("elle engage", "Elle engage l'établissement à agir.", None),
    ("la chambre conseille", "La chambre conseille une prudence accrue.", None),
    ("la chambre a recommandé / avait recommandé", "La chambre avait recommandé de créer un budget annexe.", None),
    ("la chambre a recommandé / avait recommandé", "La chambre a recommandé de réduire la dette.", None),
    ("la chambre recommandait", "La chambre recommandait alors un plan de formation.", None),
    ("elle recommandait", "Elle recommandait une meilleure information du conseil.", None),
    ("elle a recommandé / avait recommandé", "Elle avait recommandé un suivi des régies.", None),
    ("je vous rappelle / demande (notification letter, not an item)",
     "Je vous rappelle que ce document revêt un caractère confidentiel.", None),
    ("recommandations / rappels in an introductory list sentence (… de :)",
     "La chambre recommande à la commune de :", None),
    ("la Cour recommande", "La Cour recommande d'harmoniser les pratiques.", None),
]


@pytest.mark.parametrize(("form", "sentence", "kind"), SENTENCES, ids=[f"{c[0]}|{c[1][:30]}" for c in SENTENCES])
def test_in_paragraph_verb_phrases(form, sentence, kind):
    assert sentence_kind(sentence) == kind


def test_every_in_paragraph_form_of_the_inventory_with_occurrences_is_covered():
    forms = {form for form, v in WORDING["families"]["in_paragraph"].items() if v["docs"]}
    covered = {form for form, *_ in SENTENCES}
    # forms of the Cour (référés, not chambers' reports) count as "la Cour recommande"
    missing = {f for f in forms - covered if not f.startswith("la Cour")}
    assert not missing - {"la chambre formule les recommandations suivantes / la recommandation suivante"}


def test_the_sentence_keeps_its_opening_clause_and_the_paragraph_its_other_sentences():
    text = ("Les aides sont accordées sans barème (art. 3 du règlement). Au vu de ces constats, la chambre "
            "recommande de fixer un barème. Les dossiers sont complets.")
    [(kind, a, b)] = in_paragraph_items(text)
    assert kind == "recommandation"
    assert text[a:b] == "Au vu de ces constats, la chambre recommande de fixer un barème."


STATUSES = [  # (inventory form, phrase, code)
    ("à mettre en œuvre", "Recommandations à mettre en œuvre", "non_mise_en_oeuvre"),
    ("En cours de réalisation", "En cours de réalisation", "en_cours"),
    ("partiellement mis(e)(s) en œuvre", "[Recommandation partiellement mise en œuvre]", "en_cours"),
    ("Non réalisé(e)(s)", "Non réalisée", "non_mise_en_oeuvre"),
    ("engagement (de la collectivité / du maire / de l'ordonnateur…)", "Engagement de la collectivité", "en_cours"),
    ("n'a pas été mise en œuvre / pas mise en œuvre", "Cette recommandation n'a pas été mise en œuvre.",
     "non_mise_en_oeuvre"),
    ("Réalisé(e)(s) (cell)", "Réalisée", "totalement_mise_en_oeuvre"),
    ("devenue(s) sans objet", "[Recommandation devenue sans objet]", "sans_objet"),
    ("totalement mis(e)(s) en œuvre", "[Recommandation totalement mise en œuvre]", "totalement_mise_en_oeuvre"),
    ("recommandation (juridique / de gestion) à suivre / restant à suivre", "[Recommandation juridique à suivre]",
     "non_mise_en_oeuvre"),
    ("suivie(s) d'effet", "Recommandations suivies d'effet", "totalement_mise_en_oeuvre"),
    ("non mis(e)(s) en œuvre", "Non mise en œuvre.", "non_mise_en_oeuvre"),
    ("[Recommandation … mise en œuvre] (bracketed label)", "[Recommandation mise en œuvre]",
     "totalement_mise_en_oeuvre"),
    ("En cours (cell)", "En cours", "en_cours"),
    ("sans objet (cell)", "Sans objet", "sans_objet"),
    ("mis(e) en œuvre (alone: a cell or heading)", "Mise en œuvre", "totalement_mise_en_oeuvre"),
    ("en cours de mise en œuvre", "en cours de mise en œuvre", "en_cours"),
    ("(Recommandation juridique / de gestion …) (parenthesised label)",
     "(Recommandation de gestion partiellement mise en œuvre)", "en_cours"),
    ("Cette recommandation est / a été … mise en œuvre (sentence)", "Cette recommandation a été mise en œuvre.",
     "totalement_mise_en_oeuvre"),
    ("Conclusion : recommandation (non) mise en œuvre", "Conclusion : recommandation non mise en œuvre",
     "non_mise_en_oeuvre"),
    ("mise en œuvre incomplète", "Mise en œuvre incomplète", "en_cours"),
]


@pytest.mark.parametrize(("form", "phrase", "code"), STATUSES, ids=[c[0] for c in STATUSES])
def test_status_forms_keep_their_wording(form, phrase, code):
    found = status_match(phrase)
    assert found is not None, form
    assert found[0] == code
    assert found[1] and found[1].lower() in phrase.lower()  # the report's own words, not the code


def test_status_after_the_item_without_brackets_is_cut_and_kept():
    head, found = split_trailing_status_text("Fiabiliser l'inventaire des biens. Partiellement mise en œuvre.")
    assert head == "Fiabiliser l'inventaire des biens."
    assert found == ("en_cours", "Partiellement mise en œuvre")


NOISE = [
    ("Source : comptes de gestion, retraitement CRC", True),
    ("Sources : ANAFI, comptes de gestion", True),
    ("Note : les montants sont en euros courants", True),
    ("Recommandation n° 1 : Adopter un règlement budgétaire ……… page 21", True),
    ("2.3 La dette et la trésorerie ........................ 14", True),
    ("La chambre recommande de fixer un barème.", False),
    ("Le résultat de la section de fonctionnement progresse de 12 % sur la période.", False),
]


@pytest.mark.parametrize(("line", "noise"), NOISE)
def test_captions_and_toc_lines_are_noise(line, noise):
    assert is_noise(line) is noise


def test_a_quote_the_paragraph_never_closes_does_not_hold_the_next_sentences():
    text = ("Les agents bénéficient de jours « de récupération accordés sans délibération. "
            "La chambre rappelle que la durée annuelle du travail doit être fixée par une délibération "
            "conformément au décret applicable.")
    [(kind, a, b)] = in_paragraph_items(text)
    assert kind == "rappel_au_droit"
    assert text[a:b].startswith("La chambre rappelle que")
