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
from nlp.metadata import report_year
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
