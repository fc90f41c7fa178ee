"""Reference geography and linking of audited bodies (real INSEE/SIREN codes)."""

from __future__ import annotations

import pytest

from nlp import geo
from nlp.geo_names import commune_core, fold, normalise_name, split_title


@pytest.mark.parametrize(("name", "departement", "insee"), [
    ("Paris", None, "75056"),
    ("Lyon", None, "69123"),
    ("Marseille", None, "13055"),
    ("Lormont", "Gironde", "33249"),
    ("Commune de Lormont", "33", "33249"),
    ("Ville du Havre", None, "76351"),
    ("LE HAVRE", None, "76351"),
    ("Les Abymes", None, "97101"),
    ("Commune de St-Lô", "Manche", "50502"),
    ("Saint-Étienne", "Loire", "42218"),
    ("Commune du Teil", "Ardèche", "07319"),
    ("Paris 15e arrondissement", None, "75115"),
])
def test_link_commune(name, departement, insee):
    body = geo.link_body(name, "commune", departement)
    assert body.link_status == "linked"
    assert body.insee == insee
    assert body.departement == insee[:2] if not insee.startswith("97") else insee[:3]


def test_homonym_commune_without_departement_is_ambiguous_and_resolved_with_it():
    assert geo.link_body("Saint-Denis", "commune", None).link_status == "ambiguous"
    body = geo.link_body("Saint-Denis", "commune", "Seine-Saint-Denis")
    assert (body.link_status, body.insee) == ("linked", "93066")


def test_typo_in_commune_name_within_departement():
    body = geo.link_body("Lormon", "commune", "33")
    assert body.insee == "33249"


def test_commune_with_a_wrong_departement_links_when_its_name_is_unique():
    # the corpus catalogue files Les Herbiers under Loire-Atlantique; it is in Vendée
    body = geo.link_body("Les Herbiers", "commune", "Loire-Atlantique")
    assert (body.insee, body.departement) == ("85109", "85")
    assert geo.link_body("Saint-Denis", "commune", "Gironde").link_status != "linked"


@pytest.mark.parametrize("name, departement, insee", [
    ("Commune de Morcenx", "40", "40197"),     # commune nouvelle Morcenx-la-Nouvelle (2019)
    ("Commune de Fleury d'Aude", "11", "11145"),  # the département added to the official "Fleury"
])
def test_report_time_name_links_to_the_current_commune_when_one_fits(name, departement, insee):
    assert geo.link_body(name, "commune", departement).insee == insee


@pytest.mark.parametrize("name, departement", [
    ("Le Thuit-Signol", "27"),  # merged into Le Thuit de l'Oison, not the Thuit its name starts with
    ("Fleury-Vallée", "11"),    # a qualifier that is not the département's name
    ("Sainte-Marie", "27"),     # two communes start with it there
    ("Sainte-Marie", "66"),     # Sainte-Marie-la-Mer, but communes elsewhere bear the name itself
])
def test_report_time_name_stays_unlinked_when_in_doubt(name, departement):
    assert geo.find_communes(name, departement) == []


def test_unknown_commune_is_not_linkable():
    body = geo.link_body("Commune de Nullepart-sur-Rien", "commune", "33")
    assert body.link_status == "not_linkable" and body.insee is None


def test_link_epci_current_and_merged():
    lyon = geo.link_body("Métropole de Lyon", "epci", None)
    assert lyon.link_status == "linked" and lyon.siren == "200046977"
    bordeaux = geo.epci_of_commune("33249")
    assert bordeaux["name"] == "Bordeaux Métropole"
    assert geo.link_body(bordeaux["name"], "epci", "33").siren == bordeaux["siren"]
    # The CC du Neuvillois merged into the CA du Grand Poitiers in 2017: absent from the table.
    merged = geo.link_body("Communauté de communes du Neuvillois", "epci", "Vienne")
    assert merged.link_status == "not_linkable" and merged.siren is None


def test_epci_known_by_its_short_name_in_parenthesis():
    body = geo.link_body("Communauté d'agglomération Cap Atlantique", "epci", "44")
    assert (body.link_status, body.siren) == ("linked", "244400610")
    assert geo.find_bodies("Cap Atlantique", 1)[0]["siren"] == "244400610"


@pytest.mark.parametrize("title", [
    # the cover title wrapped at different places by different layouts: the whole name, a seat
    # after a dash, a parenthesis in the middle or left open where the line was cut
    "Communauté d'agglomération – Cap Atlantique (Communaute d'agglomeration de la Presqu'ile de "
    "Guerande-Atlantique) – La Baule",
    "Communauté d'agglomération – Cap Atlantique (Communaute d'agglomeration de la Presqu'ile de "
    "Guerande-Atlantique) – La",
    "Communauté d'agglomération – Cap Atlantique (Communaute d'agglomeration de la Presqu'ile de",
    "Communauté d'agglomération – Cap Atlantique (Communaute",
])
def test_epci_title_with_a_parenthesis_in_the_middle_and_its_seat(title):
    body = geo.link_body(title, "epci", "44")
    assert (body.link_status, body.siren) == ("linked", "244400610")


def test_epci_shorter_forms_do_not_link_a_merged_epci():
    merged = geo.link_body("Communauté de communes du Neuvillois (CCN) – Neuville-de-Poitou", "epci", "86")
    assert merged.link_status == "not_linkable" and merged.siren is None


def test_other_kinds_are_not_applicable():
    assert geo.link_body("Centre hospitalier de Ruffec", "hopital", "16").link_status == "not_applicable"


@pytest.mark.parametrize(("title", "kind"), [
    ("Commune - Lormont - (Gironde)", "commune"),
    ("Commune de Capbreton (Landes)", "commune"),
    ("Arras (Pas-de-Calais)", "commune"),
    ("Communauté de communes du Neuvillois - Neuville-de-Poitou (Vienne)", "epci"),
    ("Communauté d’agglomération - Grand Evreux Agglomération (GEA) - (Eure)", "epci"),
    ("Centre Communal d'Action Sociale (CCAS) de Soyaux (Charente)", "ccas"),
    ("Centre hospitalier de Ruffec (Charente)", "hopital"),
    ("Office public de l'habitat de la communauté urbaine", "oph"),
    ("Office de tourisme communautaire du Pays Basque", "office_tourisme"),
    ("SAEM - Super Lioran Développement (Cantal)", "sem"),
    ("Syndicat mixte Somme numérique (Somme)", "syndicat"),
    ("Association - Villa Gillet (Rhône)", "association"),
    ("Département de la Lozère (Lozère)", "departement"),
    ("Conseil départemental - Loire-Atlantique (Loire-Atlantique)", "departement"),
    ("Région Aquitaine - Enseignement agricole", "region"),
    ("Chambre de métiers et d'artisanat de la Région Pays de la Loire", "etablissement_public"),
    ("Groupement d'intérêt public (GIP) de la commune", "etablissement_public"),
    ("Société à responsabilité limitée SCRIM", "autre"),
])
def test_body_kind_from_title(title, kind):
    assert geo.body_kind_from_title(title) == kind


def test_departements_regions_chambers():
    assert geo.departement_code("Gironde") == "33"
    assert geo.departement_code("Côtes d'Armor") == geo.departement_code("Côtes-d’Armor") == "22"
    assert geo.departement_code("2a") == "2A"
    assert geo.departement_code("(29)") == "29"
    assert geo.departement_code("Polynésie") == "987"
    assert geo.departement_code("Atlantide") is None
    assert geo.region_for_departement("33") == "75"
    assert geo.region_name("75") == "Nouvelle-Aquitaine"
    assert geo.chamber_for_departement("33") == "CRC Nouvelle-Aquitaine"
    assert geo.chamber_for_departement("33", 2015) == "CRC Aquitaine, Poitou-Charentes"
    assert geo.chamber_for_departement("59", 2017) == "CRC Hauts-de-France"
    assert geo.chamber_for_departement("2B") == "CRC Corse"
    assert geo.chamber_for_departement("976") == "CTC Mayotte"
    assert geo.chamber_for_departement("974") == "CRC La Réunion"
    assert geo.chamber_for_departement("99") is None
    assert geo.canonical_chamber("Chambre régionale des comptes d’Île-de-France") == "CRC Île-de-France"
    assert geo.canonical_chamber("CRC NOUVELLE-AQUITAINE") == "CRC Nouvelle-Aquitaine"
    assert geo.canonical_chamber("Cour des comptes") is None
    # the 2012 two-region chamber and the 2016 regional chamber are different names of one lineage
    canonical = geo.canonical_chamber("chambre régionale des comptes de Bourgogne, Franche-Comté")
    assert canonical == "CRC Bourgogne, Franche-Comté"
    assert geo.canonical_chamber("CRC Bourgogne-Franche-Comté") == "CRC Bourgogne-Franche-Comté"
    from nlp.geo_chambers import same_chamber
    assert same_chamber("CRC Aquitaine, Poitou-Charentes", "CRC Nouvelle-Aquitaine")
    assert not same_chamber("CRC Centre, Limousin", "CRC Nouvelle-Aquitaine")


def test_postal_codes_and_insee_lookup():
    assert [c["code"] for c in geo.communes_by_postal_code("33310")] == ["33249"]
    assert geo.commune_by_insee("69123")["full_name"] == "Lyon"
    assert geo.commune_by_insee("76351")["full_name"] == "Le Havre"
    assert geo.commune_by_insee("00000") is None


def test_find_bodies_is_accent_case_and_typo_tolerant():
    assert geo.find_bodies("bordaux", 3)[0]["code"] == "33063"
    assert geo.find_bodies("SAINT LO", 1)[0]["code"] == "50502"
    assert geo.find_bodies("Commune de Lormont", 1)[0]["code"] == "33249"
    assert geo.find_bodies("33310")[0]["code"] in ("33310", "33249")
    assert "33249" in [b["code"] for b in geo.find_bodies("33310")]
    assert geo.find_bodies("200046977")[0]["name"] == "Métropole de Lyon"
    assert geo.find_bodies("") == []


def test_all_bodies_have_unique_ids_and_cover_every_kind():
    bodies = list(geo.all_bodies())
    assert len({b["id"] for b in bodies}) == len(bodies)
    kinds = {b["kind"] for b in bodies}
    assert kinds == {"commune", "epci", "departement", "region"}
    assert sum(b["kind"] == "commune" for b in bodies) > 34000


def test_name_helpers():
    assert fold("Œuvre d’Île-de-France") == "oeuvre d ile de france"
    assert normalise_name("Le Havre") == normalise_name("HAVRE") == "havre"
    assert commune_core("Commune de L'Aigle") == "aigle"
    assert commune_core("Commune de Lormont") == "lormont"  # "de L…" is not the article "de l'"
    assert split_title("Commune - Lormont - (Gironde)") == (["Commune", "Lormont"], "Gironde")
