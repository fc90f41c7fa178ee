"""Follow-up statuses stated in narrative form (what a follow-up section says happened since)."""

from __future__ import annotations

import pytest

from nlp.status import narrative_status


@pytest.mark.parametrize(("text", "code"), [
    # the finding went on over the period under review
    ("Les remboursements ont perduré sur la présente période de contrôle.", "non_mise_en_oeuvre"),
    ("Malgré ces observations, aucune règle interne de gestion du parc n'a été établie.", "non_mise_en_oeuvre"),
    # a project drawn up, not yet signed: a start (gold convention 7)
    ("Un projet de convention a toutefois été établi en mai. Sa signature n'est pas encore intervenue.",
     "en_cours"),
    ("La convention n'est pas encore conclue.", "en_cours"),
    # unchanged forms
    ("La situation a été régularisée depuis mars 2010.", "totalement_mise_en_oeuvre"),
    ("Aucune mesure n'a été prise.", "non_mise_en_oeuvre"),
])
def test_narrative_status(text, code):
    found = narrative_status(text)
    assert found is not None and found[0] == code


def test_no_finding_in_an_earlier_sentence_says_nothing_of_the_next_one():
    # "aucun(e) … n'a été" holds within one sentence: a later "n'a été" is not tied to it
    found = narrative_status("Aucune difficulté particulière. Le règlement n'a été adopté qu'en 2015 et il a été "
                             "mis en place depuis.")
    assert found is not None and found[0] == "totalement_mise_en_oeuvre"
