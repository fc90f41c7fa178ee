"""Theme classifier: artefact checks, predictions, findings, labels data and training."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pytest

from constats.domain import Finding
from constats.taxonomy import SECTORS, THEMES
from lab.paths import LABELS_MORE2_PATH, LABELS_MORE_PATH, LABELS_PATH
from lab.train import themes as themes_training
from lab.train.data import Heading, label_texts, read_labels, units
from nlp import classify
from nlp.classify import DEFAULT_PATH, ModelMismatchError, ThemeClassifier, classify_findings
from nlp.headings import finding_heading, weak_theme
from nlp.sectors import guess_sector
from tests.corpus import CORPUS, corpus_txt, needs_corpus

needs_artefact = pytest.mark.skipif(not DEFAULT_PATH.exists(), reason="no trained artefact (run constats train)")


@pytest.fixture(scope="module")
def clf() -> ThemeClassifier:
    return ThemeClassifier.load()


@pytest.fixture(scope="module")
def embedder(clf):
    return _artefact_embedder(clf)


def _artefact_embedder(clf: ThemeClassifier):
    """The embedder the packaged model reads (None for a TF-IDF model)."""
    if not clf.needs_vectors:
        return None
    from nlp.embed import UseEmbedder

    embedder = UseEmbedder(threads=1)
    assert embedder.version == clf.embedder_version
    return embedder


def _predict(clf, embedder, texts, headings=None):
    """The packaged model's predictions, with the embeddings it reads when it reads them."""
    headings = headings if headings is not None else [""] * len(texts)
    if not clf.needs_vectors:
        return clf.predict(texts, headings=headings)
    return clf.predict(texts, headings=headings, vectors=embedder.embed(texts),
                       heading_vectors=classify.heading_vectors(headings, embedder))


# --------------------------------------------------------------------------- labels
@pytest.mark.parametrize("path", [LABELS_PATH, LABELS_MORE_PATH], ids=["labels", "labels_more"])
def test_labels_are_offsets_with_valid_codes(path):
    labels = read_labels(path)
    assert len(labels) >= 400
    assert len({lab["key"] for lab in labels}) >= 100  # spread over reports
    for lab in labels:
        assert set(lab) >= {"key", "start", "end", "kind", "primary", "secondary", "sector", "heading"}
        assert "text" not in lab
        assert lab["primary"] in THEMES and all(t in THEMES for t in lab["secondary"])
        assert lab["kind"] in ("recommandation", "rappel_au_droit", "observation")
        assert lab["sector"] is None or lab["sector"] in SECTORS
        assert 0 <= lab["start"] < lab["end"]
    kinds = {lab["kind"] for lab in labels}
    assert kinds == {"recommandation", "rappel_au_droit", "observation"}


def test_random_sample_labels_are_offsets_with_valid_codes():
    """labels_more2.jsonl: a uniform random sample of paragraphs (h18f), so mostly observations."""
    labels = read_labels(LABELS_MORE2_PATH)
    assert len(labels) >= 250 and len({lab["key"] for lab in labels}) >= 100
    for lab in labels:
        assert set(lab) >= {"key", "start", "end", "kind", "primary", "secondary", "sector", "heading", "source"}
        assert "text" not in lab and lab["source"] == "h18f"
        assert lab["primary"] in THEMES and all(t in THEMES for t in lab["secondary"])
        assert lab["primary"] not in lab["secondary"]
        assert lab["kind"] in ("recommandation", "rappel_au_droit", "observation")
        # sector exactly when politique_publique is among the themes (the labels_more convention)
        assert (lab["sector"] is not None) == ("politique_publique" in (lab["primary"], *lab["secondary"]))
        assert lab["sector"] is None or lab["sector"] in SECTORS
        assert 0 <= lab["start"] < lab["end"]


@needs_corpus
def test_label_spans_resolve_to_paragraphs_or_sentences():
    labels = read_labels(LABELS_PATH) + read_labels(LABELS_MORE_PATH) + read_labels(LABELS_MORE2_PATH)
    assert len({(lab["key"], lab["start"], lab["end"]) for lab in labels}) == len(labels)  # no label twice
    sentences = 0
    for lab in label_texts(labels, CORPUS):
        assert len(lab["text"]) == lab["end"] - lab["start"] and "\n" not in lab["text"]
        assert lab["text"].strip()
        if lab["heading"]:
            assert lab["heading"][1] <= lab["start"] and lab["heading_text"].strip()
        line_start = corpus_txt(lab["key"]).rfind("\n", 0, lab["start"]) + 1
        sentences += line_start != lab["start"]
        if line_start != lab["start"]:  # a recommendation or rappel sentence inside a paragraph
            assert lab["kind"] in ("recommandation", "rappel_au_droit"), lab["key"]
    assert sentences >= 50


def test_units_follow_headings_and_skip_annexes():
    txt = ("RAPPORT\nSYNTHÈSE\n" + "La situation financière est fragile et la dette progresse fortement. " * 3 +
           "\n1. La commande publique\n"
           + "Les marchés ont été passés sans publicité ni mise en concurrence préalable. " * 3
           + "\nLa chambre recommande à la commune de respecter le code des marchés publics et de formaliser "
             "ses achats.\n"
           "ANNEXES\n" + "Tableau annexe sans intérêt pour les constats de la chambre régionale des comptes. " * 3)
    heads = []
    for title, level in [("SYNTHÈSE", 1), ("1. La commande publique", 1), ("ANNEXES", 1)]:
        start = txt.index(title)
        heads.append(Heading(start, start + len(title), level, title))
    got = units("k", txt, heads, min_chars=60)
    assert [u.kind for u in got] == ["synthese", "observation", "recommandation"]
    assert got[1].path == ["1. La commande publique"]
    assert weak_theme(got[1].path) == "commande_publique"


def test_finding_heading_keeps_body_sections_and_drops_lists():
    body = ["3. La fiabilité des comptes", "3.2 Les provisions"]
    assert finding_heading("observation", body) == "3. La fiabilité des comptes > 3.2 Les provisions"
    assert finding_heading("recommandation", body) == finding_heading("observation", body)
    assert finding_heading("rappel_au_droit", ["", " 2. La commande publique "]) == "2. La commande publique"
    for listing in (["Recommandations"], ["SYNTHÈSE", "Recommandations"], ["4. Rappels au droit"],
                    ["Récapitulatif des recommandations"]):
        assert finding_heading("recommandation", listing) == ""
        assert finding_heading("rappel_au_droit", listing) == ""
    # a body heading that merely contains the word is not a list
    assert finding_heading("recommandation", ["1. Le rappel historique du projet"]) != ""
    assert finding_heading("observation", []) == ""


def test_sector_keywords():
    assert guess_sector("Le service public d'assainissement non collectif (SPANC)") == "eau"
    assert guess_sector("La gestion de l'EHPAD et de la petite enfance") == "social"
    assert guess_sector("Les parcs de stationnement") == "transport"
    assert guess_sector("Une politique sans mot-clé") == "autre"


# --------------------------------------------------------------------------- artefact
@needs_artefact
def test_artefact_loads_with_its_versions_and_stays_small(clf):
    assert clf.VERSION == classify.FORMAT_VERSION and clf.version.startswith(classify.FORMAT_VERSION)
    assert DEFAULT_PATH.stat().st_size < 20e6
    assert set(clf.classes) == set(THEMES)
    assert 0 < clf.threshold < 1


@needs_artefact
def test_packaged_artefact_was_trained_on_the_labels_of_the_repository(clf, tmp_path):
    """Labels changed without retraining: run `constats train` (the hash covers any change)."""
    assert clf.data_hash == themes_training.labels_hash(), "labels changed: run `constats train`"
    assert themes_training.LABEL_FILES == (LABELS_PATH, LABELS_MORE_PATH, LABELS_MORE2_PATH)  # all are training data
    for changed in range(3):
        files = [tmp_path / f"{changed}-{p.name}" for p in themes_training.LABEL_FILES]
        for src, dst in zip(themes_training.LABEL_FILES, files):
            shutil.copy(src, dst)
        with files[changed].open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"key": "x", "start": 0, "end": 1, "kind": "observation", "primary": "gouvernance",
                                 "secondary": [], "sector": None, "heading": None}) + "\n")
        assert themes_training.labels_hash(files) != clf.data_hash


@needs_artefact
def test_other_sklearn_version_is_refused(tmp_path):
    import joblib

    blob = joblib.load(DEFAULT_PATH)
    blob["sklearn"] = "0.1.0"
    joblib.dump(blob, tmp_path / "old.joblib")
    with pytest.raises(ModelMismatchError, match="scikit-learn 0.1.0"):
        ThemeClassifier.load(tmp_path / "old.joblib")


def test_missing_artefact_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="constats train"):
        ThemeClassifier.load(tmp_path / "nope.joblib")


# --------------------------------------------------------------------------- predictions (fictional texts)
@needs_artefact
@pytest.mark.parametrize("text,heading,theme", [
    ("La chambre recommande de mettre en concurrence les fournisseurs et de respecter les seuils de procédure "
     "formalisée du code des marchés publics.", "", "commande_publique"),
    ("La durée annuelle du temps de travail des agents est inférieure aux 1 607 heures réglementaires ; "
     "le régime indemnitaire n'a pas été délibéré.", "", "ressources_humaines"),
    ("Aucune provision n'a été constituée pour le contentieux en cours, et les amortissements ne sont pas "
     "pratiqués sur les biens.", "", "fiabilite_comptes"),
    ("La capacité d'autofinancement nette est devenue négative et la capacité de désendettement dépasse "
     "quinze années.", "", "situation_financiere"),
])
def test_clear_cases(clf, embedder, text, heading, theme):
    (pred,) = _predict(clf, embedder, [text], [heading])
    assert pred.primary == theme
    assert pred.themes[0][0] == theme and abs(sum(pred.probabilities.values()) - 1) < 1e-3


@needs_artefact
def test_heading_shifts_an_ambiguous_paragraph(clf, embedder):
    text = "Le contrat a été prolongé par avenant sans justification suffisante."
    a = _predict(clf, embedder, [text], ["3. La délégation de service public > 3.2 Le contrat d'affermage"])[0]
    assert a.probabilities["gestion_deleguee"] > _predict(clf, embedder, [text])[0].probabilities["gestion_deleguee"]


@needs_artefact
def test_low_confidence_on_text_without_content(clf, embedder):
    (pred,) = _predict(clf, embedder, ["Voir ci-dessus."])
    assert pred.low_confidence and pred.confidence < clf.threshold


@needs_artefact
def test_classify_findings_fills_fields(clf, embedder):
    base = dict(report_id="r1", page=3, start=0, end=10)
    findings = [
        Finding(id="r1-0-10", kind="recommandation", text="Mettre fin au versement irrégulier d'heures "
                "supplémentaires et délibérer sur le régime indemnitaire.", **base),
        Finding(id="r1-20-30", kind="observation", text="Le délégataire n'a pas produit son rapport annuel ; "
                "le service d'eau potable n'est pas contrôlé.", section_path=["2. La gestion de l'eau",
                                                                         "2.1 Le contrat de délégation"], **base),
        Finding(id="r1-40-50", kind="observation", text="", **base),
    ]
    out = classify_findings(findings, clf, embedder=embedder)
    assert [f.id for f in out] == [f.id for f in findings]
    assert out[0].primary_theme == "ressources_humaines" and out[0].themes[0].code == "ressources_humaines"
    assert out[1].primary_theme in ("gestion_deleguee", "politique_publique")
    assert all(f.confidence is not None and 0 <= f.confidence <= 1 for f in out)
    pp = [f for f in out if any(t.code == "politique_publique" for t in f.themes)]
    assert all(f.sector in SECTORS for f in pp)
    assert findings[0].primary_theme is None  # inputs untouched
    assert classify_findings([], clf, embedder=embedder) == []


@needs_artefact
def test_classify_findings_gives_recommendations_their_body_heading_only(clf, embedder, monkeypatch):
    seen = {}
    predict = clf.predict

    def spy(texts, kinds=None, headings=None, vectors=None, **kw):
        seen["headings"] = list(headings)
        return predict(texts, kinds, headings, vectors, **kw)

    monkeypatch.setattr(clf, "predict", spy)
    base = dict(report_id="r1", page=3, start=0, end=10, text="Respecter les règles applicables.")
    findings = [Finding(id="a", kind="recommandation", section_path=["2. La commande publique", "2.1 Les MAPA"],
                        **base),
                Finding(id="b", kind="recommandation", section_path=["Recommandations"], **base),
                Finding(id="c", kind="observation", section_path=["2. La commande publique", "2.1 Les MAPA"], **base)]
    classify_findings(findings, clf, embedder=embedder)
    body = "2. La commande publique > 2.1 Les MAPA"
    assert seen["headings"] == [body if clf.reco_heading else "", "", body]
    monkeypatch.setattr(clf, "reco_heading", not clf.reco_heading)
    classify_findings(findings, clf, embedder=embedder)
    assert seen["headings"] == [body if clf.reco_heading else "", "", body]


@needs_artefact
@needs_corpus
def test_fast_char_ngrams_give_sklearn_features_exactly(clf):
    """Featurizer.transform counts char n-grams word by word (cached): same matrix as the
    vectorizers' own transform, on real paragraphs and awkward strings."""
    import numpy as np
    import scipy.sparse as sp

    from lab.train.data import corpus_metadata, load_report
    from nlp.classify import clean_heading, clean_text

    meta = corpus_metadata(CORPUS)
    texts, headings = [], []
    for key in sorted(meta)[::25]:
        txt, heads = load_report(CORPUS, key)
        for u in units(key, txt, heads)[:40]:
            texts.append(u.text)
            headings.append(" > ".join(u.path))
    texts += ["", "   ", "a", "l'É\xa0té\t\n  x", "anticonstitutionnellement" * 12, "12,5 % en 2019 !"]
    headings += ["", "1. La commande publique", "", "I. A) Les marchés > 1.2 Le contrat", "", ""]
    assert len(texts) > 500
    f = clf.featurizer
    t = [clean_text(x) for x in texts]
    reference = sp.hstack([f.word.transform(t), f.char.transform(t),
                           f.head.transform([clean_heading(h) for h in headings]) * f.heading_weight]).tocsr()
    for _ in range(2):  # cold, then with every word cached
        ours = f.transform(texts, headings)
        assert ours.shape == reference.shape and (ours != reference).nnz == 0
        assert np.array_equal(ours.indptr, reference.indptr)


# --------------------------------------------------------------------------- training (small, reproducible)
@needs_corpus
@pytest.mark.slow
def test_training_is_reproducible_and_checks_its_data(tmp_path):
    labels = tmp_path / "labels.jsonl"
    rows = read_labels(LABELS_PATH)
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows[::3]), encoding="utf-8")
    a = themes_training.train(labels, CORPUS, tmp_path / "a.joblib", seed=1, compare=False, chambers=False,
                              reps=100, log=lambda *_: None)
    b = themes_training.train(labels, CORPUS, tmp_path / "b.joblib", seed=1, compare=False, chambers=False,
                              reps=100, log=lambda *_: None)
    assert a.by_report == b.by_report and a.confusion == b.confusion and a.temperature == b.temperature
    f1 = a.by_report["macro_f1"]
    assert a.by_report["ci95"][0] <= f1 <= a.by_report["ci95"][1]
    assert 0.4 < f1 < 1  # a third of the labels: well above chance (0.1), short of perfect
    assert set(a.by_report["kinds"]) == {"observation", "recommandation", "rappel_au_droit", "reco+rappel"}
    assert 0 < a.threshold < 1 and a.by_report["ece"] <= a.by_report["ece_uncalibrated"] + 0.02
    # the model card's generated block: the numbers the run printed, prose kept, rewritten in place
    from lab.train.card import END, START, update_card

    card = tmp_path / "MODEL_CARD.md"
    card.write_text("# Card\n\nProse written by hand.\n", encoding="utf-8")
    for _ in range(2):
        update_card(card, json.loads(a.to_json()))
    text = card.read_text(encoding="utf-8")
    assert text.startswith("# Card\n\nProse written by hand.") and text.count(START) == text.count(END) == 1
    assert f"**{f1:.3f}** [{a.by_report['ci95'][0]:.3f}–{a.by_report['ci95'][1]:.3f}]" in text
    assert f"below a calibrated probability of **{a.threshold}**" in text
    m1 = ThemeClassifier.load(tmp_path / "a.joblib")
    m2 = ThemeClassifier.load(tmp_path / "b.joblib")
    assert m1.data_hash == themes_training.labels_hash(labels)
    texts = ["La commune n'a pas constitué de provision pour risques.", "Les marchés publics de travaux."]
    assert [p.probabilities for p in m1.predict(texts)] == [p.probabilities for p in m2.predict(texts)]
    assert m1.data_hash != themes_training.labels_hash(LABELS_PATH)


# --------------------------------------------------------------------------- designs in the runtime
def _fictional_items():
    from lab.train.designs import Item

    texts = {"commande_publique": "les marchés publics sont passés sans mise en concurrence des fournisseurs",
             "ressources_humaines": "le régime indemnitaire des agents et leur temps de travail annuel",
             "fiabilite_comptes": "les provisions et les amortissements ne sont pas comptabilisés"}
    return [Item("k", i, i + 1, f"{t} {'encore ' * (i % 3)}cas {i}", "", "observation", theme)
            for i, (theme, t) in enumerate(list(texts.items()) * 6)]


def test_a_model_reading_embeddings_takes_the_findings_vectors(tmp_path):
    """A design with the sentence-embedding block needs the vectors the search computes (or an
    embedder); the temperature calibrates its probabilities without changing its decisions."""
    from lab.train.designs import Embeddings, Linear
    from tests.search_support import HashingEmbedder

    embedder = HashingEmbedder(32)
    items = _fictional_items()
    design = Linear(("tfidf", "use"), Embeddings(embedder), C=5.0).fit(items)
    clf = ThemeClassifier.from_design(design, data_hash="0" * 16, temperature=2.0)
    clf.save(tmp_path / "m.joblib")
    clf = ThemeClassifier.load(tmp_path / "m.joblib")
    assert clf.needs_vectors and clf.embedder_version == "hashing-test-1" and clf.design == "tfidf+use"
    text = "les marchés publics sont passés sans mise en concurrence"
    with pytest.raises(ValueError, match="vectors"):
        clf.predict([text])
    base = dict(report_id="r", page=1, start=0, end=1)
    finding = Finding(id="r-0-1", kind="observation", text=text, **base)
    with pytest.raises(ValueError, match="embedder"):
        classify_findings([finding], clf)
    (by_embedder,) = classify_findings([finding], clf, embedder=embedder)
    (by_vectors,) = classify_findings([finding], clf, vectors=embedder.embed([text]))
    assert by_embedder.primary_theme == by_vectors.primary_theme == "commande_publique"
    assert by_embedder.confidence == by_vectors.confidence
    sharp = ThemeClassifier.from_design(design, data_hash="0" * 16, temperature=1.0)
    p_sharp = sharp.predict([text], vectors=embedder.embed([text]))[0]
    p_flat = clf.predict([text], vectors=embedder.embed([text]))[0]
    assert p_flat.primary == p_sharp.primary and p_flat.confidence < p_sharp.confidence


def test_tfidf_model_needs_no_vectors():
    from lab.train.designs import Linear

    design = Linear(("tfidf",), C=5.0).fit(_fictional_items())
    clf = ThemeClassifier.from_design(design, data_hash="1" * 16)
    assert not clf.needs_vectors and clf.embedder_version is None
    (pred,) = clf.predict(["le régime indemnitaire des agents"])
    assert pred.primary == "ressources_humaines"


class _CountingEmbedder:
    """TEST ONLY: the hashing embedder, recording what it is asked to embed."""

    def __init__(self, dim: int = 32):
        from tests.search_support import HashingEmbedder

        self.inner = HashingEmbedder(dim)
        self.dim, self.name, self.version = dim, "hashing-test", "hashing-test-1"
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        return self.inner.embed(texts)


def _fitted_ensemble(embedder):
    from lab.train.designs import Embeddings, Ensemble, Linear

    emb = Embeddings(embedder)
    items = [replace(it, heading=h) for it, h in
             zip(_fictional_items(), ["1. La commande publique", "2. Le personnel", "3. Les comptes"] * 6)]
    return Ensemble([(lambda: Linear(("tfidf",), C=5.0), 0.6),
                     (lambda: Linear(("use", "usehead"), emb, C=4.0), 0.4)], "ensemble tfidf | use+usehead").fit(items)


def test_an_ensemble_is_served_as_trained_from_the_text_and_heading_vectors(tmp_path):
    """The runtime's probabilities are the lab design's (members averaged by weight); it reads
    the findings' vectors as given and embeds each distinct heading of a call once."""
    embedder = _CountingEmbedder()
    design = _fitted_ensemble(embedder)
    ThemeClassifier.from_design(design, data_hash="2" * 16).save(tmp_path / "e.joblib")
    clf = ThemeClassifier.load(tmp_path / "e.joblib")
    assert clf.needs_vectors and clf.needs_heading_vectors and clf.embedder_version == "hashing-test-1"
    assert [m.weight for m in clf.members] == [0.6, 0.4] and clf.version.startswith(classify.FORMAT_VERSION)
    texts = ["les marchés publics sont passés sans mise en concurrence", "le régime indemnitaire des agents",
             "les provisions ne sont pas constituées"]
    heads = ["1. La commande publique", "", "1. La commande publique"]
    vectors = embedder.embed(texts)
    head_vectors = np.vstack([embedder.embed([heads[0]])[0], np.zeros(32), embedder.embed([heads[0]])[0]])
    from lab.train.validation import CLASSES

    lab_proba = design.proba(texts, heads)[:, [CLASSES.index(c) for c in clf.classes]]
    assert np.allclose(clf.predict_proba(texts, heads, vectors, head_vectors), lab_proba, atol=1e-6)
    with pytest.raises(ValueError, match="heading"):
        clf.predict_proba(texts, heads, vectors)
    base = dict(report_id="r", page=1, start=0, end=1)
    findings = [Finding(id=f"r-{i}-1", kind="observation", text=t, section_path=[h] if h else [], **base)
                for i, (t, h) in enumerate(zip(texts, heads))]
    embedder.calls.clear()
    out = classify_findings(findings, clf, vectors=vectors, embedder=embedder)
    assert embedder.calls == [["1. La commande publique"]]  # no text again, the heading once
    expected = lab_proba.argmax(axis=1)
    assert [f.primary_theme for f in out] == [clf.classes[j] for j in expected]
    with pytest.raises(ValueError, match="embedder"):
        classify_findings(findings, clf, vectors=vectors)  # the headings need the embedder
    other = _CountingEmbedder()
    other.version = "hashing-test-2"
    with pytest.raises(ValueError, match="hashing-test-1"):
        classify_findings(findings, clf, embedder=other)


def test_an_older_tfidf_artefact_is_still_served(tmp_path):
    """A ``themes-3`` artefact (one TF-IDF model, no members) loads with its own version and
    classifies without any embedding."""
    import joblib

    from lab.train.designs import Linear

    clf = ThemeClassifier.from_design(Linear(("tfidf",), C=5.0).fit(_fictional_items()), data_hash="3" * 16)
    old = object.__new__(ThemeClassifier)
    old.__dict__.update({k: v for k, v in clf.__dict__.items() if k not in ("members", "format")})
    joblib.dump({"format": "themes-3", "sklearn": clf.sklearn_version, "data_hash": clf.data_hash,
                 "classifier": old}, tmp_path / "old.joblib")
    loaded = ThemeClassifier.load(tmp_path / "old.joblib")
    assert loaded.version == "themes-3+33333333" and not loaded.needs_vectors
    finding = Finding(id="r-0-1", kind="observation", text="le régime indemnitaire des agents",
                      report_id="r", page=1, start=0, end=1)
    (out,) = classify_findings([finding], loaded)
    assert out.primary_theme == "ressources_humaines"
    assert np.allclose(loaded.predict_proba([finding.text]), clf.predict_proba([finding.text]))
