"""Bodies tied to their commune (issue 12): a satellite (CCAS, hospital…) carries the INSEE code
of its seat commune, so that the commune's reports include the reports on its satellites.

End to end: a fictional report on a CCAS is rendered to PDF, read by ``nlp.report.understand``,
stored by ``store.repo.save_extraction`` and found by ``store.repo.reports_about`` with the
commune's INSEE code — the query behind the commune page, its feed and
``/api/bodies/{insee}/reports``.
"""

from __future__ import annotations

from datetime import date

import pytest

from constats.domain import ReportMetadata, sha256_hex
from lab.replica.render import render_html
from nlp.metadata import body_kind, deliberation_date, find_body_name, report_year
from nlp.report import understand
from nlp.seat import letter_date, seat_insee
from store import repo
from store.db import session_scope

LETTER = """
<p>Le 12 mai 2016</p>
<p>Le président</p>
<p>à</p>
<p>Madame la présidente du centre communal d'action sociale de Soyaux</p>
<p>Place Jean Jaurès</p>
<p>16800 SOYAUX</p>
<p>Objet : notification du rapport d'observations définitives</p>
<p>Je vous prie de bien vouloir trouver ci-joint le rapport comportant les observations définitives
de la chambre sur la gestion du centre communal d'action sociale de Soyaux.</p>
<p>Chambre régionale des comptes, 3 place des Grands-Hommes, 33064 Bordeaux Cedex, www.ccomptes.fr</p>
<h1>RAPPORT D'OBSERVATIONS DÉFINITIVES</h1>
"""

BODY = """
<h1>Procédure</h1>
<p>La chambre a contrôlé les comptes et la gestion du centre communal d'action sociale de Soyaux pour les
exercices 2009 et suivants. Par délibération du 14 février 2004, le conseil d'administration a fixé le
régime indemnitaire des agents.</p>
<p>La chambre a, le 3 mars 2016, arrêté ses observations définitives.</p>
<h1>1. La gestion des aides facultatives</h1>
<p>Le règlement des aides facultatives n'a pas été mis à jour depuis sa création. Les aides sont
accordées sans barème écrit. Au vu de ces constats, la chambre recommande au centre d'adopter un
règlement des aides facultatives assorti d'un barème. Les dossiers examinés étaient complets.</p>
"""


def _pdf(letter: str = LETTER) -> bytes:
    return render_html(f"<html><body>{letter}{BODY}</body></html>",
                       title="CCAS de Soyaux", chamber="CRC Nouvelle-Aquitaine", departement="16")


def test_a_ccas_report_reads_its_seat_year_and_in_paragraph_recommendation():
    report = understand(_pdf(), "rsoyaux")
    body = report.metadata.body
    assert body is not None and body.kind == "ccas"
    assert body.insee == "16374"  # Soyaux, from the letter's address (the chamber's own address is not it)
    assert (report.metadata.year, report.metadata.year_source) == (2016, "deliberation")
    assert report.metadata.deliberation_date == date(2016, 3, 3)  # not the board's 2004 deliberation
    recs = [f for f in report.findings if f.kind == "recommandation"]
    assert [f.text for f in recs] == ["Au vu de ces constats, la chambre recommande au centre d'adopter un "
                                      "règlement des aides facultatives assorti d'un barème."]
    rest = [f.text for f in report.findings if f.kind == "observation"]
    assert any(t.startswith("Le règlement des aides facultatives n'a pas été mis à jour") for t in rest)
    assert not any("la chambre recommande" in t for t in rest)  # the paragraph keeps the rest only


def test_seat_from_the_address_a_cedex_code_or_the_name():
    assert seat_insee("à\nMonsieur le directeur\tCentre hospitalier\tRoute de Fontevraud\t49403 SAUMUR Cedex\n",
                      "Centre hospitalier de Saumur", "49") == "49328"
    assert seat_insee("Objet : rapport", "Centre hospitalier de Sens", "89") == "89387"
    assert seat_insee("dont le siège est à Soyaux. La chambre…", "Syndicat des eaux", "16") == "16374"
    assert seat_insee("www.ccomptes.fr - 44041 Nantes Cedex 01", "Syndicat mixte", "44") is None


def test_seat_from_addresses_as_other_producers_lay_them_out():
    # a mixed-case "Cedex" is no part of the city; a code printed "85 150"
    assert seat_insee("Monsieur le Président\n7 avenue de la Gare-d'Eau\n25031 BESANCON Cedex\n", "Syndicat", "25") \
        == "25056"
    assert seat_insee("à\tMonsieur\tPlace Michel Debré\t85 300 CHALLANS\n", "Syndicat", "85") == "85047"
    # a table cell too narrow for its words: "8530 0 CHA LLA NS"
    assert seat_insee("à\tMons\t1, boule vard Lucie n Dodi n\t8530 0 CHA LLA NS\nieur", "Syndicat", "85") == "85047"
    assert seat_insee("à\tMons\t8530 0 SOY AUX\n", "Syndicat", "85") is None  # no commune of that code
    # the code alone in its cell, the city in a cell of the next line
    assert seat_insee("Hôtel du\t3, Quai Ceineray\tBP 94109\t44041\nGROSVALET\tdépartement\tNANTES CEDEX 1\n",
                      "département de Loire-Atlantique", "44") == "44109"
    assert seat_insee("Réf.\t44041\nObjet : rapport\n", "Syndicat mixte", "44") is None


def test_seat_from_the_place_that_ends_the_name_or_the_cover():
    assert seat_insee("x", "communauté de communes du Pays de Challans", "85") == "85047"
    assert seat_insee("x", "communauté de communes du Pays des Achards", "85") == "85152"
    assert seat_insee("x", "Syndicat mixte de développement touristique de la Station des Rousses", "39") == "39470"
    assert seat_insee("x", "Centre hospitalier interdépartemental de clermont", "60") == "60157"
    assert seat_insee("x", "Syndicat mixte de développement touristique", "39") is None
    # a département's name is not its seat (Belfort, Mayenne are communes, not the seats of these bodies)
    assert seat_insee("x", "Syndicat mixte des transports en commun du Territoire de Belfort", "90") is None
    assert seat_insee("x", "Conseil départemental de la Mayenne", "53") is None
    cover = ("RAPPORT D'OBSERVATIONS DÉFINITIVES\tCentre Communal d’Action Sociale CCAS de la ville de "
             "Marseille (Bouches-du-Rhône)\nLe 15 avril 2016")
    assert seat_insee(cover, "Centre communal d’action sociale", "13") == "13055"
    cover = "RAPPORT D'OBSERVATIONS DÉFINITIVES\tCommunauté d'agglomération – Colmar – Haut-Rhin (Haut-Rhin)\n"
    assert seat_insee(cover, "Communauté d'agglomération", "68") == "68066"


def test_the_body_from_the_cover_in_capitals_or_the_page_header():
    # the cover's "COMMUNE DE GRAVELINES", not the EPCI the synthèse speaks of
    front = ("Chambre régionale des comptes Hauts-de-France\tGravelines\nRAPPORT D'OBSERVATIONS DÉFINITIVES\n"
             "COMMUNE DE GRAVELINES\n(Département du Nord)\nSynthèse\nElle fait partie, pour la gestion de la "
             "communauté urbaine de Dunkerque Grand Littoral, de …")
    assert find_body_name(front) == "Commune de gravelines"
    # a page header beside the chamber's name, when nothing else names the body
    header = "Chambre régionale des comptes Île-de-France\tCentre hospitalier de Houdan\n"
    assert find_body_name(header + "RAPPORT\n(Yvelines)\nSommaire\n") == "Centre hospitalier de Houdan"
    assert find_body_name("Chambre régionale des comptes\tCommune-Vineuil\nRAPPORT\nSOMMAIRE\n") == "Commune de Vineuil"
    assert find_body_name("Chambre régionale des comptes\tGravelines\nRAPPORT\nSOMMAIRE\n") is None


def test_the_body_named_in_a_letter_table_ends_at_its_cell():
    # the letter's "Objet" cell runs into the next cell ("P.J. : 1 rapport"), joined by " | "
    front = ("Objet : notification d'observations définitives relatives à l'examen de la gestion de la commune "
             "de Lacanau | P.J. : 1 rapport | Lettre recommandée avec accusé de réception\n")
    assert find_body_name(front) == "commune de Lacanau"


@pytest.mark.parametrize(("text", "expected"), [
    ("Après avoir examiné les réponses qui lui ont été adressées, la chambre a arrêté dans sa séance du "
     "3 septembre 2015 les observations présentées ci-après.", date(2015, 9, 3)),
    ("Le maire a répondu aux observations provisoires délibérées le 8 septembre 2015. Après avoir examiné leur "
     "contenu la chambre a arrêté les observations définitives le 16 mars 2016.", date(2016, 3, 16)),
    ("Objet : Rapport d’observations définitives\nPar lettre du 13 octobre 2016, je vous ai communiqué le rapport. "
     "Les observations définitives présentées dans ce rapport ont été arrêtées\npar la chambre régionale des "
     "comptes d’Alsace, Champagne-Ardenne, Lorraine\nlors de sa séance du 6 juillet 2016\nSOMMAIRE",
     date(2016, 7, 6)),
    ("RAPPORT D'OBSERVATIONS DÉFINITIVES\tCommunauté d'agglomération (Haut-Rhin)\nLe 15 juin 2016\nLe Président\n"
     "… la commune de Turckheim.\nDélibéré à la chambre le 10 mars 2016\n", date(2016, 3, 10)),
    ("Annexe\nDélibéré de la chambre\t26/04/2016\t\nContradiction\t\nDélibéré de la chambre\t10/11/2016\t\n",
     date(2016, 11, 10)),
    ("Le rapport d’observations définitives devient communicable conformément aux dispositions de la loi du "
     "17 juillet 1978, relative à la communication des documents administratifs.", None),
    ("En outre, le conseil municipal avait délibéré le 23 juin 1992, sur le fondement de la loi.", None),
    ("Ils ont été entendus par la chambre le 9 novembre 2015. Lors de sa séance du même jour, la chambre a arrêté "
     "les observations définitives qui figurent dans le présent rapport, que le courrier accompagne.",
     date(2015, 11, 9)),
])
def test_deliberation_date_in_the_forms_of_the_corpus(text, expected):
    assert deliberation_date(text) == expected


def test_year_falls_back_to_the_notification_letter():
    meta = ReportMetadata()
    report_year(meta, "Le 15 avril 2016\nLe président\n… exercices 2010 et suivants …")
    assert (meta.year, meta.year_source) == (2016, "notification")
    assert letter_date("Nantes, le 12 mai 2016\nGREFFE") == date(2016, 5, 12)
    meta = ReportMetadata(publication_date=date(2017, 1, 9))
    report_year(meta, "Le 15 avril 2016")
    assert (meta.year, meta.year_source) == (2017, "publication")


@pytest.mark.slow
def test_the_commune_lists_the_report_on_its_ccas(db_url):
    pdf = _pdf()
    with session_scope(db_url) as s:
        row, _ = repo.register_report(s, sha256_hex(pdf), title="CCAS de Soyaux")
        repo.save_extraction(s, understand(pdf, row.id))
        rid = row.id
    with session_scope(db_url) as s:
        about = repo.reports_about(s, {"16374"}, set())
        assert [r.id for r in about] == [rid]
        assert (about[0].body_kind, about[0].year, about[0].year_source) == ("ccas", 2016, "deliberation")
        assert repo.reports_about(s, {"16015"}, set()) == []  # Angoulême, next door: not its report


@pytest.mark.parametrize(("cover", "name"), [
    # a cover name in capitals over two lines: a quotation left open, a name ending on "DE LA",
    # a legal form alone on its line
    ("ASSOCIATION « HISTORIAL DE LA\nGRANDE GUERRE » A PERONNE\n(Département de la Somme)\n",
     "Association « historial de la grande guerre » a peronne"),
    ("COMMUNAUTE D’AGGLOMERATION\nDU CALAISIS « CAP CALAISIS »\n(Département du Pas-de-Calais)\n",
     "Communaute d’agglomeration du calaisis « cap calaisis »"),
    # a whole name on its line keeps it; the next line is a subtitle, the exercises or the département
    ("COMMUNE DE CALAIS\nENQUÊTE SUR LE STATIONNEMENT\n(Département du Pas-de-Calais)\n", "Commune de calais"),
    ("COMMUNAUTE D’AGGLOMERATION\n(Département du Pas-de-Calais)\n", "Communaute d’agglomeration"),
    ("SYNDICAT MIXTE DE LA\nEXERCICES 2010 ET SUIVANTS\n", "Syndicat mixte de la"),
])
def test_a_cover_name_over_two_lines_is_joined_only_when_its_first_line_cannot_end_it(cover, name):
    front = "Rapport d’observations définitives\net ses réponses\n" + cover + "Synthèse\nLe texte.\n"
    assert find_body_name(front) == name


def test_the_seat_from_the_title_in_the_page_header_when_the_cover_has_none():
    # a layout that prints the report's title beside the chamber's name instead of on the cover
    front = ("Chambre régionale des comptes Île-de-France\tCommune d’Argenteuil\nRAPPORT D'OBSERVATIONS DÉFINITIVES\n"
             "(Val-d'Oise)\nSommaire\nLe centre communal d’action sociale de la commune emploie 115 agents.\n")
    assert seat_insee(front, "centre communal d’action sociale", "95") == "95018"
    assert seat_insee("Chambre régionale des comptes Île-de-France\tRapport\n", "centre communal d’action sociale",
                      "95") is None


def test_the_seat_ending_a_name_after_a():
    assert seat_insee("", "Association « historial de la grande guerre » a peronne", "80") == "80620"
    assert seat_insee("", "Office de tourisme à Amiens", "80") == "80021"
    assert seat_insee("", "Syndicat mixte a vocation multiple", "80") is None


@pytest.mark.parametrize(("name", "kind"), [
    ("société anonyme d’économie mixte du Super Lioran", "sem"),
    ("Société anonyme d'économie mixte locale de développement du Dunkerquois", "sem"),
    ("SOCIETE D’ECONOMIE MIXTE LOCALE « Bastia Aménagement »", "sem"),
    ("SAEML Vallée des Loisirs", "sem"),
    ("Société d’équipement du département de la Marne (SEDEM)", "sem"),
    ("société publique locale d'aménagement", "sem"),
    ("Société anonyme d’HLM La Roseraie", "autre"),
    ("Syndicat mixte d’équipement de la vallée", "syndicat"),
])
def test_body_kind_of_a_mixed_economy_company_in_its_written_forms(name, kind):
    assert body_kind(name) == kind


def test_a_producer_that_keeps_each_printed_line_breaks_no_name_nor_date():
    # the letter and the procedure laid out one printed line a line: the body's name and the statement
    # of the final deliberation go on over the break
    front = ("Monsieur le Maire,\nJe vous prie de bien vouloir trouver ci-joint le rapport sur la gestion de\n"
             "la commune de\nMézidon-Canon pour les exercices 2010 et suivants.\n")
    assert find_body_name(front) == "commune de Mézidon-Canon"
    front = ("Objet : rapport d’observations définitives relatif à la gestion de la communauté\n"
             "d’agglomération du Grand Évreux\nà Monsieur le Président\n")
    assert find_body_name(front) == "communauté d’agglomération du Grand Évreux"
    procedure = ("Après avoir entendu le rapporteur et pris connaissance des conclusions du procureur\n"
                 "financier, la chambre a\narrêté, le 24 novembre 2015, le présent rapport d’observations\n"
                 "définitives.\n")
    assert deliberation_date(procedure) == date(2015, 11, 24)
    # a break before a new line, a list item or the addressee stays a break
    assert find_body_name("la gestion de la commune de Lormont\nLa chambre a examiné\n") == "commune de Lormont"
    assert find_body_name("la gestion de la commune de Lormont\nà Monsieur le Maire\n") == "commune de Lormont"
