"""Findings: recommendations and rappels in all their forms, statuses, suivi, observations."""

from __future__ import annotations

import re

import pytest

from constats.domain import finding_id
from nlp.report import understand
from tests.corpus import corpus_txt, needs_corpus
from tests.pdf_fixtures import render_corpus, render_html, render_paragraphs
from tests.sample_report import sample_html

FILLER = ("Les services de la collectivité ont transmis les pièces demandées et la chambre les a examinées "
          "avec attention au regard des règles applicables à la période sous revue. ")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _recs(report, kind="recommandation"):
    return [f for f in report.findings if f.kind == kind]


@pytest.fixture(scope="module")
def sample():
    return understand(render_html(sample_html(styled=False)), "rsample")


def test_numbered_recommendations_with_status_once_each(sample):
    recs = _recs(sample)
    assert [(f.number, f.status) for f in recs] == [
        ("1", "non_mise_en_oeuvre"), ("2", "totalement_mise_en_oeuvre"), ("3", "en_cours")]
    assert recs[0].text == ("constituer les provisions pour risques et charges dès l'ouverture d'un "
                            "contentieux.")
    assert recs[0].section_path[-1] == "RECOMMANDATIONS"


def test_rappel_au_droit(sample):
    (rappel,) = _recs(sample, "rappel_au_droit")
    assert rappel.number == "1" and rappel.text.startswith("annexer au compte administratif")


def test_suivi_items_with_status(sample):
    suivi = _recs(sample, "suivi")
    assert [(f.text, f.status) for f in suivi] == [
        ("Adopter un règlement intérieur de la commande publique.", "totalement_mise_en_oeuvre"),
        ("Fiabiliser l'inventaire des immobilisations.", "non_mise_en_oeuvre")]


def test_finding_identity_offsets_and_pages(sample):
    for f in sample.findings:
        assert f.id == finding_id("rsample", f.start, f.end)
        assert 1 <= f.page <= sample.n_pages
    assert len({f.id for f in sample.findings}) == len(sample.findings)


def test_observations_and_synthese(sample):
    synth = _recs(sample, "synthese")
    assert len(synth) == 2 and synth[0].text.startswith("La situation financière de la commune")
    obs = _recs(sample, "observation")
    assert any(f.section_path[-1] == "Les provisions pour litiges" and "contentieux indemnitaire" in f.text
               for f in obs)
    assert all(len(f.text) < 2000 for f in obs)


def test_announced_counts_match_without_warning(sample):
    assert sample.metadata.announced_recommendations == 3 and sample.metadata.announced_rappels == 1
    assert not any("annonce" in w for w in sample.warnings)


def test_count_mismatch_is_flagged():
    paras = ["La chambre formule quatre recommandations.", "RECOMMANDATIONS",
             "Recommandation n° 1 : mettre en place un contrôle interne des régies.",
             "Recommandation n° 2 : fiabiliser l'inventaire.", FILLER * 3]
    report = understand(render_paragraphs(paras), "r1")
    assert len(_recs(report)) == 2
    assert any("annonce 4 recommandations" in w for w in report.warnings)


def test_recap_list_with_opener_and_group_status():
    paras = ["SYNTHÈSE", FILLER, "RÉCAPITULATION DES RECOMMANDATIONS",
             "Recommandations totalement mises en œuvre :",
             "1. Adopter un règlement budgétaire et financier.",
             "Recommandations à mettre en œuvre :",
             "2. Conclure un pacte financier et fiscal avec l'intercommunalité.",
             "3. Réduire le délai global de paiement des fournisseurs.",
             "PROCÉDURE", FILLER * 2]
    report = understand(render_paragraphs(paras), "r2")
    assert [(f.number, f.status, f.text) for f in _recs(report)] == [
        ("1", "totalement_mise_en_oeuvre", "Adopter un règlement budgétaire et financier."),
        ("2", "non_mise_en_oeuvre", "Conclure un pacte financier et fiscal avec l'intercommunalité."),
        ("3", "non_mise_en_oeuvre", "Réduire le délai global de paiement des fournisseurs.")]


def test_group_status_holds_over_themed_sub_titles_a_level_below():
    # "Recommandations suivies d'effet" (a title) over "Recommandations de gestion" (a title a level
    # below): the items under the sub-title keep the group's status; the next group sets its own
    paras = ["SYNTHÈSE", FILLER, "<h2>RÉCAPITULATION DES RECOMMANDATIONS</h2>",
             "<h2>RECOMMANDATIONS SUIVIES D'EFFET DEPUIS LES OBSERVATIONS PROVISOIRES</h2>",
             "<h3>Recommandations de régularité</h3>",
             "Recommandation n° 2 : adopter un règlement de la commande publique.",
             "<h3>Recommandations de gestion</h3>",
             "Recommandation n° 1 : ajuster le programme d'investissement.",
             "<h2>RECOMMANDATIONS QUE LA COMMUNE S'EST ENGAGÉE À METTRE EN ŒUVRE</h2>",
             "Recommandation n° 3 : sécuriser la réception des offres.",
             "<h2>PROCÉDURE</h2>", FILLER * 2]
    report = understand(render_paragraphs(paras), "r2b")
    assert [(f.number, f.status) for f in _recs(report)] == [
        ("2", "totalement_mise_en_oeuvre"), ("1", "totalement_mise_en_oeuvre"), ("3", "en_cours")]


def test_la_chambre_recommande_sentences_when_nothing_else():
    paras = ["1. LA COMMANDE PUBLIQUE", FILLER,
             "Les marchés de faible montant sont passés sans publicité. La chambre recommande à la commune "
             "de formaliser ses procédures d'achat. Elle note des progrès récents.", FILLER]
    recs = _recs(understand(render_paragraphs(paras), "r3"))
    assert [f.text for f in recs] == ["La chambre recommande à la commune de formaliser ses procédures d'achat."]
    assert recs[0].number is None


def test_items_tagged_after_their_text():
    paras = ["RAPPEL DES RECOMMANDATIONS", "Les cotations utilisées sont les suivantes :",
             "[Recommandation totalement mise en œuvre]", "[Recommandation à suivre]",
             "FIABILITÉ DES COMPTES",
             "tenir à jour l'état de l'actif en lien avec le comptable public",
             "[Recommandation partiellement mise en œuvre – Rappel au droit]",
             "veiller à la qualité des prévisions budgétaires",
             "[Recommandation à suivre]", "LA PROCÉDURE", FILLER * 2]
    report = understand(render_paragraphs(paras), "r4")
    items = [(f.kind, f.status, f.text) for f in report.findings if f.kind in ("recommandation", "rappel_au_droit")]
    assert items == [
        ("rappel_au_droit", "en_cours", "tenir à jour l'état de l'actif en lien avec le comptable public"),
        ("recommandation", "non_mise_en_oeuvre", "veiller à la qualité des prévisions budgétaires")]


def test_a_follow_up_tag_set_as_a_list_item_still_tags_the_item_above_and_is_no_finding():
    paras = ["RAPPEL DES RECOMMANDATIONS", "FIABILITÉ DES COMPTES",
             "tenir à jour l'état de l'actif en lien avec le comptable public",
             "<ul><li>[Recommandation partiellement mise en œuvre]</li></ul>",
             "veiller à la qualité des prévisions budgétaires",
             "<ul><li>[Recommandation à suivre]</li></ul>", "LA PROCÉDURE", FILLER * 2]
    report = understand(render_paragraphs(paras), "r4b")
    assert [(f.status, f.text) for f in _recs(report)] == [
        ("en_cours", "tenir à jour l'état de l'actif en lien avec le comptable public"),
        ("non_mise_en_oeuvre", "veiller à la qualité des prévisions budgétaires")]
    assert not [f for f in report.findings if "[Recommandation" in f.text]


def test_status_table_columns():
    table = ("<table><tr><td>Recommandations</td><td>Réalisée</td><td>En cours de réalisation</td>"
             "<td>Non réalisée</td><td>Page</td></tr>"
             "<tr><td>Conclure une convention de service comptable et financier avec le comptable.</td>"
             "<td></td><td></td><td>X</td><td>9</td></tr>"
             "<tr><td>Mettre en place un plan de formation des agents de la collectivité.</td>"
             "<td>X</td><td></td><td></td><td>12</td></tr></table>")
    report = understand(render_paragraphs(["RECOMMANDATIONS", table, "PROCÉDURE", FILLER * 2]), "r5")
    assert [(f.text[:20], f.status) for f in _recs(report)] == [
        ("Conclure une convent", "non_mise_en_oeuvre"), ("Mettre en place un p", "totalement_mise_en_oeuvre")]


@needs_corpus
@pytest.mark.parametrize("key", ["260333", "388687"])
def test_corpus_numbered_recommendations(key):
    """Every "Recommandation n° N : text" of the corpus text is extracted with its number and text."""
    expected = {}
    for line in corpus_txt(key).splitlines():
        m = re.match(r"Recommandation n\s*°\s*(\d+)\s*[:.]\s*(.+)$", line.strip())
        if m and m.group(1) not in expected:
            expected[m.group(1)] = _norm(m.group(2))
    assert expected
    report = understand(render_corpus(key, variant=1), key)
    got = {f.number: _norm(f.text) for f in _recs(report) if f.number}
    assert got == expected


@needs_corpus
@pytest.mark.slow
def test_gold_report_through_the_project_renderer():
    """260333 rendered by lab.replica.render in every text-layer variant matches its gold exactly."""
    from lab.evaluate.scoring import load_gold, score_extraction
    from lab.replica.render import TEXT_VARIANTS, render_corpus_report

    rows = [r for r in load_gold() if r["key"] == "260333"]  # gold v2: in-paragraph items included
    for variant in TEXT_VARIANTS:
        report = understand(render_corpus_report("260333", variant=variant), "260333")
        scores = score_extraction(rows, {"260333": report})
        assert scores["findings"]["all"]["f1"] == 1.0, (variant.name, scores["errors"])
        assert scores["metadata"]["deliberation_date"]["accuracy"] == 1.0


def test_reference_cut_at_its_own_hyphen_keeps_it_without_a_space():
    """A line ending in "12-006-" before "MO" (a wide-margin layout wraps there) is one code,
    not a word cut by hyphenation nor two words."""
    paras = ["RAPPELS AU DROIT",
             "Rappel au droit n° 1 : assurer la complétude des annexes conformément à l’instruction "
             "n° 12-006-<br>MO du 8 février 2012 et à l’article L. 2313-<br>1 du code.",
             "PROCÉDURE", FILLER * 2]
    (rappel,) = _recs(understand(render_paragraphs(paras), "r6"), "rappel_au_droit")
    assert "n° 12-006-MO du 8 février 2012" in rappel.text
    assert "L. 2313-1 du code" in rappel.text


def test_status_statement_pushed_to_the_next_page_applies_to_the_item_before_it():
    paras = ["SUIVI DES RECOMMANDATIONS", FILLER,
             "Recommandation n° 2 : vérifier que l'inventaire des biens concédés est fiable.",
             "<p style='page-break-before: always'>Partiellement mise en œuvre.</p>",
             "L'ordonnateur s'est engagé à suivre la recommandation.", FILLER,
             "Non mise en œuvre.", FILLER]
    report = understand(render_paragraphs(paras), "r7")
    assert [(f.number, f.status, f.text) for f in _recs(report)] == [
        ("2", "en_cours", "vérifier que l'inventaire des biens concédés est fiable.")]


def test_status_table_row_is_an_item_whatever_its_first_word():
    table = ("<table><tr><td>Rappels</td><td>Réalisé</td><td>En cours de réalisation</td>"
             "<td>Non réalisé</td><td>Page</td></tr>"
             "<tr><td>Dans la construction du plan de financement, évaluer la marge brute d'exploitation "
             "indépendamment des aides allouées.</td><td>X</td><td></td><td></td><td>25</td></tr>"
             "<tr><td>Réformer le dispositif d'aménagement du temps de travail des agents.</td>"
             "<td></td><td></td><td>X</td><td>30</td></tr>"
             "<tr><td>Concernant les gardes des internes, respecter les taux fixés par l'arrêté en vigueur.</td>"
             "<td></td><td></td><td>X</td><td>32</td></tr></table>")
    report = understand(render_paragraphs(["RAPPELS À LA RÉGLEMENTATION", table, "PROCÉDURE", FILLER * 2]), "r8")
    assert [(f.text[:20], f.status) for f in _recs(report, "rappel_au_droit")] == [
        ("Dans la construction", "totalement_mise_en_oeuvre"), ("Réformer le disposit", "non_mise_en_oeuvre"),
        ("Concernant les garde", "non_mise_en_oeuvre")]


def test_list_item_opening_on_a_circumstance_is_kept_between_its_siblings():
    paras = ["1. LA GESTION DU PERSONNEL", FILLER, "Listes des rappels du droit et des recommandations",
             "Rappels du droit :",
             "•  se conformer aux dispositions relatives à la comptabilisation des restes à réaliser ;",
             "•  en application du code général, joindre aux documents budgétaires les annexes obligatoires ;",
             "•  porter le temps de travail annuel des agents à 1 607 heures.",
             "Recommandations :",
             "•  remettre à plat le dispositif de gestion du compte épargne temps.",
             "ANNEXES", "Les montants sont donnés en euros courants pour chaque exercice."]
    report = understand(render_paragraphs(paras), "r9")
    assert [f.text[:25] for f in _recs(report, "rappel_au_droit")] == [
        "se conformer aux disposit", "en application du code gé", "porter le temps de travai"]
    assert [f.text[:25] for f in _recs(report)] == ["remettre à plat le dispos"]


def test_wrapped_cell_of_one_row_does_not_swallow_the_next_row():
    head = ("<tr><td>Recommandations</td><td>Réalisée</td><td>En cours de réalisation</td>"
            "<td>Non réalisée</td><td style='width:22pt'>Page(s)</td></tr>")
    rows = [("Délibérer sur la durée annuelle du temps de travail et sur le régime des congés.", 3, "13 et 14"),
            ("Délibérer sur l'ensemble du régime indemnitaire applicable aux agents.", 3, "16"),
            ("Améliorer la lisibilité et la complétude du bilan social.", 3, "17 et 18"),
            ("Mettre en place une planification pluriannuelle des investissements.", 2, "24")]
    body = "".join("<tr><td>" + text + "</td>" + "".join(f"<td>{'X' if j == col else ''}</td>" for j in (1, 2, 3))
                   + f"<td style='width:22pt'>{page}</td></tr>" for text, col, page in rows)
    from lab.replica.render import render_html as project_render

    html = (f"<html><body><p>{FILLER}</p><h1>RECOMMANDATIONS</h1><table>{head}{body}</table>"
            f"<h1>PROCÉDURE</h1><p>{FILLER * 2}</p></body></html>")
    report = understand(project_render(html, title="Commune de Testville", chamber=None), "r10")
    assert [(f.text, f.status) for f in _recs(report)] == [
        (rows[0][0], "non_mise_en_oeuvre"), (rows[1][0], "non_mise_en_oeuvre"),
        (rows[2][0], "non_mise_en_oeuvre"), (rows[3][0], "en_cours")]


def test_tick_flush_left_in_a_wide_status_column():
    """A tick sits in the column whose header starts left of it, even when a narrower column's
    centre is nearer (cells set flush left)."""
    left = "style='text-align:left'"
    table = (f"<table><tr><td>Recommandations</td><td {left} width='60'>Réalisée</td>"
             f"<td {left} width='170'>En cours de réalisation</td><td {left} width='70'>Non réalisée</td></tr>"
             f"<tr><td>Clôturer la concession publique d'aménagement du centre gare.</td><td></td>"
             f"<td {left}>X</td><td></td></tr>"
             f"<tr><td>Délibérer sur l'ensemble du régime indemnitaire des agents.</td><td {left}>X</td>"
             f"<td></td><td></td></tr></table>")
    report = understand(render_paragraphs(["RECOMMANDATIONS", table, "PROCÉDURE", FILLER * 2]), "r11")
    assert [(f.text[:20], f.status) for f in _recs(report)] == [
        ("Clôturer la concessi", "en_cours"), ("Délibérer sur l'ense", "totalement_mise_en_oeuvre")]


# --------------------------------------------------------------------------- nlp-1.7 (issue 12, other producers)
def test_bulleted_numbered_items_slash_markers_and_run_in_lists():
    """"– 1. Exploiter …" (a style bulleting numbered items), "1/ Clarifier …" and a list whose
    items run on in one paragraph ("1. … 2. … 3. …") are items with their numbers."""
    paras = ["RECOMMANDATIONS",
             "– 1. Exploiter l'analyse annuelle des besoins sociaux pour asseoir les décisions du conseil.",
             "– 2. Assurer la fiabilité des comptes, notamment en matière d'imputations budgétaires.",
             "PROCÉDURE", FILLER * 2]
    assert [(f.number, f.text[:20]) for f in _recs(understand(render_paragraphs(paras), "r17a"))] == [
        ("1", "Exploiter l'analyse "), ("2", "Assurer la fiabilité")]
    paras = ["RECOMMANDATIONS",
             "1/ Clarifier les responsabilités respectives au sein de la co-direction.",
             "2/ Intégrer dans les conventions de financement les conditions d'attribution des places.",
             "PROCÉDURE", FILLER * 2]
    assert [f.number for f in _recs(understand(render_paragraphs(paras), "r17b"))] == ["1", "2"]
    paras = ["RECOMMANDATIONS",
             "1. Engager une réflexion sur l'adéquation des effectifs aux compétences exercées. 2. Remettre en "
             "place un suivi des crédits d'investissement. 3. Mettre à jour l'inventaire du patrimoine. Aux "
             "termes de l'article L. 211-8 du code des juridictions financières, l'examen porte sur la gestion.",
             "PROCÉDURE", FILLER * 2]
    assert [(f.number, f.text) for f in _recs(understand(render_paragraphs(paras), "r17c"))] == [
        ("1", "Engager une réflexion sur l'adéquation des effectifs aux compétences exercées."),
        ("2", "Remettre en place un suivi des crédits d'investissement."),
        ("3", "Mettre à jour l'inventaire du patrimoine.")]


def test_summary_label_with_its_page_leaders_numbers_the_item_below():
    """"Recommandation n° 1 : ……… page 21" over the item's text is the item's label, not a line
    of a table of contents."""
    paras = ["1. LE MAINTIEN À DOMICILE", FILLER,
             "Au terme de ses travaux, la chambre adresse les recommandations suivantes :",
             "Recommandation n° 1 : …………………………………………… page 21",
             "Se donner les moyens d'assurer la continuité du service d'aide à domicile.",
             "Recommandation n° 2 : …………………………………………… page 24",
             "Optimiser le recouvrement des créances en concertation avec le comptable public.",
             "PROCÉDURE", FILLER * 2]
    assert [(f.number, f.text[:20]) for f in _recs(understand(render_paragraphs(paras), "r18"))] == [
        ("1", "Se donner les moyens"), ("2", "Optimiser le recouvr")]


def test_in_paragraph_rappel_keeps_its_quoted_text_and_drops_its_bullet():
    paras = ["1. LES COMPTES", FILLER,
             "La chambre rappelle que l'article R. 2321-2 du code général des collectivités territoriales dispose "
             "que « la provision est constituée dès l'ouverture d'un contentieux. Elle est reprise quand le risque "
             "disparaît ». " + FILLER,
             "• La CRC rappelle que la loi du 7 août 2015 impose aux collectivités de transférer cette compétence.",
             FILLER]
    texts = [f.text for f in _recs(understand(render_paragraphs(paras), "r19"), "rappel_au_droit")]
    assert texts == ["La chambre rappelle que l'article R. 2321-2 du code général des collectivités territoriales "
                     "dispose que « la provision est constituée dès l'ouverture d'un contentieux. Elle est reprise "
                     "quand le risque disparaît ».",
                     "La CRC rappelle que la loi du 7 août 2015 impose aux collectivités de transférer cette "
                     "compétence."]


def test_recapitulation_table_wherever_it_stands_kinds_from_header_title_and_nature_cells():
    """A table with status columns is a recapitulation wherever it stands: under a bare
    "Recommandation" title (no list section), its kind from its header or a "Nature" cell."""
    table = ("<table><tr><td>Réalisée</td><td>En cours de réalisation</td><td>Non réalisée</td></tr>"
             "<tr><td>Réévaluer les mesures budgétaires visant à restaurer la capacité d'autofinancement.</td>"
             "<td></td><td></td><td>X</td></tr></table>")
    report = understand(render_paragraphs(["1. LA SITUATION FINANCIÈRE", FILLER, "Recommandation", table,
                                           FILLER * 2]), "r20")
    assert [(f.kind, f.text[:20], f.status) for f in _recs(report)] == [
        ("recommandation", "Réévaluer les mesure", "non_mise_en_oeuvre")]
    mixed = ("<table><tr><td>Nature</td><td>N°</td><td>Intitulé</td><td>Mise en œuvre</td><td>En cours</td>"
             "<td>Non mise en œuvre</td></tr>"
             "<tr><td>Rappel au droit</td><td>1</td><td>Délibérer sur le régime indemnitaire applicable aux agents."
             "</td><td>X</td><td></td><td></td></tr>"
             "<tr><td>Recommandation</td><td>2</td><td>Mettre en place une comptabilité analytique des services."
             "</td><td></td><td>X</td><td></td></tr></table>")
    report = understand(render_paragraphs(["1. LA GESTION", FILLER, mixed, FILLER * 2]), "r21")
    got = [(f.kind, f.number, f.status) for f in report.findings if f.kind in ("recommandation", "rappel_au_droit")]
    assert got == [("rappel_au_droit", "1", "totalement_mise_en_oeuvre"), ("recommandation", "2", "en_cours")]


def test_obligation_de_faire_labels_a_rappel():
    paras = ["OBLIGATIONS DE FAIRE",
             "Obligation de faire n° 1 : Respecter les règles de présentation des prévisions budgétaires.",
             "PROCÉDURE", FILLER * 2]
    assert [(f.number, f.text[:20]) for f in _recs(understand(render_paragraphs(paras), "r22"), "rappel_au_droit")] \
        == [("1", "Respecter les règles")]


def test_an_earlier_recommendation_taken_up_again_is_a_suivi_item_and_a_recommendation():
    # gold convention 7: the earlier audit's recommendation (suivi) and this report's own are two
    # findings even when they say the same; neither is a restatement of the other
    paras = ["RECOMMANDATIONS", "Recommandation n° 1 : Mettre à jour l'inventaire des biens de la commune.",
             "1. LES SUITES DU PRÉCÉDENT CONTRÔLE", FILLER,
             "Dans son précédent rapport, la chambre avait recommandé à la commune de mettre à jour l'inventaire "
             "de ses biens. Cet inventaire n'a toujours pas été établi.", FILLER,
             "2. LA GESTION DU PATRIMOINE", FILLER]
    report = understand(render_paragraphs(paras), "r21")
    assert [f.text for f in _recs(report)] == ["Mettre à jour l'inventaire des biens de la commune."]
    assert [f.text for f in _recs(report, "suivi")] == [
        "Dans son précédent rapport, la chambre avait recommandé à la commune de mettre à jour l'inventaire de "
        "ses biens."]


@needs_corpus
def test_recapitulation_rows_cut_by_a_repeated_header_in_a_word_processor_table():
    """LibreOffice lays a row whose status cells are empty as its text alone, and a page break
    repeats the table's header inside a cell ("… des restes à" / header / "réaliser ;"): every
    row of the table is still an item, the cut one whole (gold report 395548, development half)."""
    from lab.evaluate.scoring import load_gold, normalise_text  # noqa: PLC0415
    from lab.replica.families import render_reports, variant_named  # noqa: PLC0415
    from lab.replica.producer_office import soffice_path  # noqa: PLC0415

    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) not installed")
    pdf = render_reports(["395548"], variant_named("lo-traitement"))["395548"]
    assert isinstance(pdf, bytes)
    found = {normalise_text(f.text) for f in _recs(understand(pdf, "395548"), "rappel_au_droit")}
    gold = next(r for r in load_gold() if r["key"] == "395548")
    listed = [normalise_text(it["text"]) for it in gold["items"]
              if it["kind"] == "rappel_au_droit" and not it.get("in_paragraph")]
    assert len(listed) >= 5
    assert [t for t in listed if t not in found] == []


def test_themes_ending_with_a_colon_do_not_close_a_list_of_recommendations():
    paras = ["1. LA GESTION", FILLER,
             "Sur le fondement des observations du rapport, la chambre formule les recommandations suivantes :",
             "En matière d'administration :",
             "Elaborer un schéma directeur des systèmes d'information ;",
             "En matière comptable et financière :",
             "Réduire le délai global de paiement des fournisseurs ;",
             "En matière de ressources humaines :",
             "Régulariser les indemnités versées sans fondement légal.",
             "2. LA COMMANDE PUBLIQUE", FILLER]
    texts = [f.text for f in _recs(understand(render_paragraphs(paras), "r22"))]
    assert texts == ["Elaborer un schéma directeur des systèmes d'information ;",
                     "Réduire le délai global de paiement des fournisseurs ;",
                     "Régulariser les indemnités versées sans fondement légal."]


def test_a_lone_instruction_paragraph_in_the_body_is_a_recommendation_whose_box_was_lost():
    paras = ["1. LA PROGRAMMATION DES INVESTISSEMENTS", FILLER,
             "La démarche actuelle de planification des investissements reste limitée à l'année en cours.",
             "Poursuivre la démarche de programmation pluriannuelle des investissements en mettant en place des "
             "outils prospectifs adaptés.",
             FILLER,
             "Parachever le plan de gestion des archives est certes annoncé comme un objectif de la collectivité.",
             FILLER,
             "Les objectifs du projet d'établissement sont les suivants :",
             "Assurer le rôle d'établissement de recours du territoire.",
             "Déployer la communauté hospitalière de territoire.",
             "2. LES RESSOURCES HUMAINES", FILLER]
    texts = [f.text for f in _recs(understand(render_paragraphs(paras), "r23"))]
    assert texts == ["Poursuivre la démarche de programmation pluriannuelle des investissements en mettant en place "
                     "des outils prospectifs adaptés."]


_BOX = ("Renforcer la coopération engagée avec le syndicat et évaluer dès à présent les possibilités de regroupement "
        "des services techniques et leurs coûts prévisionnels.")
_STATED = ("Au vu des charges de la commune, la chambre recommande d'évaluer un regroupement plus large des "
           "compétences, des achats, des services et des moyens avec le syndicat, notamment pour les marchés de "
           "travaux et l'entretien de la voirie.")


def test_a_sentence_next_to_the_item_it_restates_is_the_same_finding_even_reworded():
    # the body paragraph states the recommendation that the box below lists, in other words: a
    # third of the box's content words only, yet one finding (gold convention 1)
    paras = ["1. LA MUTUALISATION DES SERVICES", FILLER, "Les marges de manœuvre internes sont restreintes. " + _STATED,
             _BOX, FILLER, "2. LES RESSOURCES HUMAINES", FILLER]
    assert [f.text for f in _recs(understand(render_paragraphs(paras), "r24"))] == [_BOX]


def test_a_reworded_sentence_far_from_the_item_is_a_finding_of_its_own():
    # the same wording far from the item (other paragraphs between): shared words this few do not
    # make it the same recommendation
    paras = ["1. LA MUTUALISATION DES SERVICES", FILLER, "Les marges de manœuvre internes sont restreintes. " + _STATED,
             FILLER, FILLER, _BOX, FILLER, "2. LES RESSOURCES HUMAINES", FILLER]
    assert [f.text for f in _recs(understand(render_paragraphs(paras), "r25"))] == [_STATED, _BOX]


def test_a_list_under_obligations_de_faire_holds_rappels_as_heading_title_or_trailing_label():
    # Normandie: "OBLIGATIONS DE FAIRE" over bare infinitive paragraphs (gold convention 4: rappels
    # au droit), set as a heading of its own, as a plain line in the "Principales recommandations"
    # list, or as a line ending with ":" in the synthèse
    as_heading = ["SYNTHÈSE", FILLER, "<h1>OBLIGATIONS DE FAIRE</h1>",
                  "Régulariser la situation au regard de la durée légale du travail.",
                  "Conclure les conventions prévues par la loi avec les associations subventionnées.",
                  "<h1>RAPPEL DE LA PROCÉDURE</h1>", FILLER * 2]
    in_list = ["SYNTHÈSE", FILLER, "<h2>Principales recommandations</h2>",
               "Fiabiliser la tenue de l'inventaire des biens de l'établissement.",
               "OBLIGATIONS DE FAIRE",
               "Produire des documents budgétaires complets et conformes à l'instruction M14.",
               "<h1>RAPPEL DE LA PROCÉDURE</h1>", FILLER * 2]
    with_colon = ["SYNTHÈSE", FILLER, "Rappel des obligations de faire :",
                  "adopter un plan de formation des agents de l'établissement ;",
                  "mettre en œuvre les mesures de publicité financière prévues par la loi.",
                  "<h1>RAPPEL DE LA PROCÉDURE</h1>", FILLER * 2]
    r1 = understand(render_paragraphs(as_heading), "r30")
    assert [f.text[:20] for f in _recs(r1, "rappel_au_droit")] == ["Régulariser la situa", "Conclure les convent"]
    assert _recs(r1) == []
    r2 = understand(render_paragraphs(in_list), "r31")
    assert [f.text[:20] for f in _recs(r2)] == ["Fiabiliser la tenue "]
    assert [f.text[:20] for f in _recs(r2, "rappel_au_droit")] == ["Produire des documen"]
    r3 = understand(render_paragraphs(with_colon), "r32")
    assert [f.text[:20] for f in _recs(r3, "rappel_au_droit")] == ["adopter un plan de f", "mettre en œuvre les "]


def test_an_item_naming_an_obligation_de_faire_is_no_group_title():
    paras = ["RAPPELS AU DROIT", "Respecter l'obligation de faire délibérer le conseil sur les tarifs.",
             "PROCÉDURE", FILLER * 2]
    assert [f.text[:20] for f in _recs(understand(render_paragraphs(paras), "r33"), "rappel_au_droit")] == [
        "Respecter l'obligati"]


def test_follow_up_goes_on_over_sub_titles_set_at_its_own_level():
    # headings with no font cue: the follow-up's themed sub-titles come out at its own level; those
    # whose first paragraph recalls the earlier audit's finding belong to it, up to the first that
    # does not ("La fiabilité des comptes": the body again)
    paras = ["SYNTHÈSE", FILLER, "Le suivi des recommandations précédentes de la chambre",
             "Dans son rapport de 2008, la chambre formulait plusieurs recommandations.",
             "Les relations avec l'intercommunalité",
             "Les biens relevant de compétences transférées",
             "La chambre avait relevé que les biens transférés figuraient toujours à l'actif de la commune. "
             "Ils ont été sortis de l'actif en 2012.",
             "La mise à disposition de personnel",
             "La chambre avait observé que trois agents étaient mis à disposition sans convention. "
             "La situation a été régularisée depuis 2010.",
             "La fiabilité des comptes", FILLER, FILLER,
             "La chambre avait souligné en 2010 que le budget annexe était déséquilibré. " + FILLER]
    report = understand(render_paragraphs(paras), "r34")
    assert [(f.text[:40], f.status) for f in _recs(report, "suivi")] == [
        ("La chambre avait relevé que les biens tr", None),
        ("La chambre avait observé que trois agent", "totalement_mise_en_oeuvre")]


def test_earlier_findings_that_share_only_their_opening_are_two_suivi_items():
    # "La chambre avait observé que …" opens every earlier finding: it does not make the second a
    # restatement of the first
    paras = ["1. LES SUITES DU PRÉCÉDENT CONTRÔLE", FILLER,
             "La chambre avait observé que des dépenses de l'écomusée étaient prises en charge par la commune.",
             "La chambre avait observé que trois agents étaient mis à disposition sans convention ni arrêté.",
             "2. LA GESTION DU PATRIMOINE", FILLER]
    assert len(_recs(understand(render_paragraphs(paras), "r35"), "suivi")) == 2


def test_bare_status_tags_after_their_items_tag_them_and_group_titles_still_head_their_items():
    # the follow-up tags of an Aquitaine récapitulation laid out without their brackets, as titles:
    # each tags the item above it (items and tags alternate), not the item below
    paras = ["RAPPEL DES RECOMMANDATIONS", FILLER, "<h3>GESTION DES SERVICES</h3>",
             "– renforcer le contenu de la convention de mise à disposition des services techniques",
             "<h3>Recommandation de gestion partiellement mise en œuvre</h3>",
             "– mettre en place un document unique d'évaluation des risques professionnels",
             "<h3>Recommandation juridique mise en œuvre</h3>",
             "– valoriser les travaux en régie éligibles au fonds de compensation de la TVA",
             "<h3>Recommandation de gestion à suivre</h3>", "<h2>LA PROCÉDURE</h2>", FILLER * 2]
    report = understand(render_paragraphs(paras), "r9")
    assert [(f.status, f.text[:20]) for f in _recs(report)] == [
        ("en_cours", "renforcer le contenu"), ("totalement_mise_en_oeuvre", "mettre en place un d"),
        ("non_mise_en_oeuvre", "valoriser les travau")]
    # group titles without a colon, each over several items: they head the items below them
    paras = ["RÉCAPITULATION DES RECOMMANDATIONS", FILLER,
             "<h3>Recommandations totalement mises en œuvre</h3>",
             "– adopter un règlement budgétaire et financier",
             "– réduire le délai global de paiement des fournisseurs",
             "<h3>Recommandations à mettre en œuvre</h3>",
             "– conclure un pacte financier et fiscal avec l'intercommunalité",
             "– fiabiliser l'état de la dette annexé au compte administratif",
             "<h2>LA PROCÉDURE</h2>", FILLER * 2]
    report = understand(render_paragraphs(paras), "r9b")
    assert [f.status for f in _recs(report)] == ["totalement_mise_en_oeuvre"] * 2 + ["non_mise_en_oeuvre"] * 2


def test_instructions_closing_on_their_status_are_items_even_side_by_side():
    # a "Recommandations" box whose instructions follow one another, each closing on its status:
    # the status marks each of them as an item (instructions side by side are otherwise prose)
    paras = ["2. LA FIABILITÉ DES COMPTES", FILLER, "Recommandations",
             "Améliorer le suivi des immobilisations en liaison avec le comptable public. "
             "Recommandation non mise en œuvre.",
             "Reconsidérer les relations financières entre le budget principal et les budgets annexes. "
             "Recommandation partiellement mise en œuvre.",
             "3. LES RESSOURCES HUMAINES", FILLER]
    report = understand(render_paragraphs(paras), "r11")
    assert [(f.status, f.text) for f in _recs(report)] == [
        ("non_mise_en_oeuvre", "Améliorer le suivi des immobilisations en liaison avec le comptable public."),
        ("en_cours", "Reconsidérer les relations financières entre le budget principal et les budgets annexes.")]
    # instructions side by side without a status stay prose
    paras[3:5] = ["Améliorer le suivi des immobilisations en liaison avec le comptable public.",
                  "Reconsidérer les relations financières entre le budget principal et les budgets annexes."]
    assert _recs(understand(render_paragraphs(paras), "r11b")) == []


def test_status_table_under_a_group_title_keeps_the_group_status_for_unticked_rows():
    # "Recommandations … restant à suivre :" over a table with status columns whose rows carry no
    # tick: the rows keep the group's status
    table = ("<table><tr><td>N°</td><td>Recommandation</td><td>Mise en œuvre</td>"
             "<td>En cours de mise en œuvre</td><td>Non mise en œuvre</td></tr>"
             "<tr><td>1</td><td>Procéder à un examen d'ensemble des régies de recettes et d'avances.</td>"
             "<td></td><td></td><td></td></tr></table>")
    paras = ["RÉCAPITULATION DES RECOMMANDATIONS", FILLER,
             "Recommandations faites au cours du présent contrôle et restant à suivre :", table,
             "PROCÉDURE", FILLER * 2]
    report = understand(render_paragraphs(paras), "r13")
    assert [(f.status, f.text[:20]) for f in _recs(report)] == [("non_mise_en_oeuvre", "Procéder à un examen")]


def test_group_title_whose_words_were_read_as_table_cells():
    # a justified title in capitals read as a row of one-word cells is still the group's title
    table = ("<table><tr><td>RECOMMANDATIONS</td><td>SUIVIES</td><td>D'EFFET</td><td>DEPUIS</td>"
             "<td>LES</td><td>OBSERVATIONS</td></tr></table>")
    paras = ["<h2>RÉCAPITULATION DES RECOMMANDATIONS</h2>", table,
             "Recommandation n° 2 : faire délibérer le conseil d'administration sur les règles de la commande "
             "publique.", "<h2>LA PROCÉDURE</h2>", FILLER * 2]
    report = understand(render_paragraphs(paras), "r15")
    assert [(f.number, f.status) for f in _recs(report)] == [("2", "totalement_mise_en_oeuvre")]


def test_table_cell_closing_on_a_colon_keeps_its_parts_in_the_cells_after_it():
    """A table row whose text cell introduces its parts with a colon ("… en :"), the parts set in
    the next cells of the row (a merged cell of the source split up), is one item, parts included,
    up to the tick and the page."""
    from lab.replica.render import render_html as project_render

    table = ("<table><tr><td></td><td>Réalisé</td><td>Non réalisé</td><td>Page</td></tr>"
             "<tr><td>Appliquer les règles comptables de l'instruction en vigueur en :</td>"
             "<td>tenant un inventaire physique des biens de l'établissement ;</td>"
             "<td>rattachant chaque charge à l'exercice qui la concerne.</td><td></td><td>X</td><td>9</td></tr>"
             "<tr><td>Délibérer chaque année sur le tableau des effectifs de la collectivité.</td>"
             "<td>X</td><td></td><td>12</td></tr></table>")
    html = (f"<html><body><p>{FILLER}</p><h1>RAPPELS À LA RÉGLEMENTATION</h1>{table}"
            f"<h1>PROCÉDURE</h1><p>{FILLER * 2}</p></body></html>")
    report = understand(project_render(html, title="Commune de Testville", chamber=None), "r12c")
    assert [_norm(f.text) for f in _recs(report, "rappel_au_droit")] == [
        "Appliquer les règles comptables de l'instruction en vigueur en : tenant un inventaire physique des "
        "biens de l'établissement ; rattachant chaque charge à l'exercice qui la concerne.",
        "Délibérer chaque année sur le tableau des effectifs de la collectivité."]


def test_bare_list_title_set_as_body_text_over_bulleted_items():
    """"Recommandations" without a colon nor a heading's style, right over bulleted items: the
    items are the report's recommendations (the title set like a paragraph of the summary)."""
    paragraphs = ["SYNTHÈSE", FILLER, "Recommandations",
                  "<ul><li>Adopter un plan pluriannuel d'investissement assorti de son financement.</li>"
                  "<li>Fiabiliser l'état de la dette annexé aux documents budgétaires.</li></ul>",
                  FILLER, "1. LA GESTION DE LA COLLECTIVITÉ", FILLER * 2]
    report = understand(render_paragraphs(paragraphs), "r12t")
    assert [_norm(f.text) for f in _recs(report)] == [
        "Adopter un plan pluriannuel d'investissement assorti de son financement.",
        "Fiabiliser l'état de la dette annexé aux documents budgétaires."]


def test_label_whose_page_leaders_fell_on_a_line_of_their_own():
    """"Recommandation n° 1 :" / "……… page 21" / the item's text: the leaders' line (a label
    justified or too long for its line) is no text; the item is the line below it."""
    paras = ["1. LA GESTION DES SERVICES", FILLER,
             "Au terme de ses travaux, la chambre adresse les recommandations suivantes :",
             "Recommandation n° 1 :", "…………………………………………………………………… page 21",
             "Mettre en place un contrôle interne des régies de recettes de la collectivité.",
             "Recommandation n° 2 :", "…………………………………………………………………… page 24",
             "Délibérer sur le régime indemnitaire de l'ensemble des agents de la collectivité.",
             "PROCÉDURE", FILLER * 2]
    assert [(f.number, f.text) for f in _recs(understand(render_paragraphs(paras), "r12l"))] == [
        ("1", "Mettre en place un contrôle interne des régies de recettes de la collectivité."),
        ("2", "Délibérer sur le régime indemnitaire de l'ensemble des agents de la collectivité.")]


def test_theme_title_in_capitals_run_into_the_item_below_it():
    """"LA FIABILITÉ DES COMPTES constituer …": a theme title in capitals run into the paragraph of
    the first item of its group is no part of the item, which opens on its verb."""
    paras = ["1. LA GESTION DES SERVICES", FILLER,
             "Au terme de ses travaux, la chambre adresse les recommandations suivantes :",
             "LA FIABILITÉ DES COMPTES constituer les provisions pour risques dès l'apparition du risque",
             "[Recommandation partiellement mise en œuvre]",
             "rattacher les charges et les produits à l'exercice qui les concerne",
             "[Recommandation à suivre]",
             "PROCÉDURE", FILLER * 2]
    assert [(_norm(f.text), f.status) for f in _recs(understand(render_paragraphs(paras), "r12u"))] == [
        ("constituer les provisions pour risques dès l'apparition du risque", "en_cours"),
        ("rattacher les charges et les produits à l'exercice qui les concerne", "non_mise_en_oeuvre")]


def test_a_legend_of_statuses_gives_its_last_status_to_no_item():
    # "Les cotations utilisées sont les suivantes :" over one line per status (the last one "devenue
    # sans objet"): a legend, not a group title over the items below it
    paras = ["RAPPEL DES RECOMMANDATIONS", "Les cotations utilisées sont les suivantes :",
             "Recommandation totalement mise en œuvre", "Recommandation partiellement mise en œuvre",
             "(qui a fait l'objet d'un commencement d'exécution)", "Recommandation à suivre",
             "Recommandation devenue sans objet",
             "Ce suivi intervient lors du contrôle suivant.",
             "FIABILITÉ DES COMPTES",
             "– tenir à jour l'état de l'actif en lien avec le comptable public",
             "– veiller à la qualité des prévisions budgétaires", "LA PROCÉDURE", FILLER * 2]
    report = understand(render_paragraphs(paras), "r40")
    assert [(f.status, f.text[:20]) for f in _recs(report)] == [
        (None, "tenir à jour l'état "), (None, "veiller à la qualité")]
    # a real group title under the legend still heads its items
    paras[8] = "Recommandations partiellement mises en œuvre"
    report = understand(render_paragraphs(paras), "r41")
    assert [f.status for f in _recs(report)] == ["en_cours", "en_cours"]
