"""The index's lemma field: looked up (corpus table, then the model's table), not tagged."""

from __future__ import annotations

from search.lemmas import lemmatize, lemmatize_tagged
from tests.corpus import corpus_metadata, corpus_txt, needs_corpus


def test_lookup_lemmas_of_common_forms_drop_punctuation_and_keep_numbers():
    out = lemmatize(["Les recommandations de la chambre n'ont pas été suivies en 2015 : 3 DSP."])[0]
    words = out.split(" | ")[0].split()
    assert "recommandation" in words and "chambre" in words and "suivre" in words
    assert "2015" in words and "3" in words
    assert ":" not in words and "." not in words
    assert "délégation de service public" in out  # the long acronym's expansion is appended


@needs_corpus
def test_lookup_lemmas_agree_with_the_tagged_pipeline_on_corpus_prose():
    """Lines the table was not built from (the end of some reports): at least 96 % of the
    tokens get the same lemma as spaCy's tagged pipeline (98 % measured)."""
    keys = [row["key"] for row in corpus_metadata()][5::40]
    texts = []
    for key in keys:
        lines = [ln for ln in corpus_txt(key).splitlines() if len(ln.split()) >= 12 and "\t" not in ln]
        texts += lines[-6:]
    same = total = 0
    for tagged, looked_up in zip(lemmatize_tagged(texts), lemmatize(texts)):
        a, b = tagged.split(), looked_up.split()
        assert len(a) == len(b)  # the same tokens: only their lemmas may differ
        same += sum(x == y for x, y in zip(a, b))
        total += len(a)
    assert total > 1000
    assert same / total >= 0.96
