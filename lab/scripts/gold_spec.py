"""Hand-check decisions for the extraction gold (see models/gold/README.md).

Each report was read in txt/<key>.txt (one paragraph a line). Items:
(kind "R" recommandation | "A" rappel au droit | "S" suivi, paragraph line of the gold occurrence
(or [first, last]), number as printed or None, status or None, options: {"part": [a, b]} offsets
of an in-paragraph sentence inside its line, "alt": other occurrences (lines, runs or
{"line": n, "part": [a, b]})}); see models/gold/README.md, "Spec format". The v2 re-check is
written at the end of this file (add / alt / v2 helpers) so that v1's decisions stay readable.
Metadata: values read in the report (or the reference for codes). ``lab/scripts/gold_build.py``
turns this into models/gold/extraction.jsonl (offsets only).
"""

EN_COURS, FAIT, NON, SANS_OBJET = "en_cours", "totalement_mise_en_oeuvre", "non_mise_en_oeuvre", "sans_objet"


def meta(name, kind, dep, insee=None, siren=None, link="linked", date=None, chamber=None, announced=None,
         year=None, year_source=None, seat=None):
    """Metadata of one report. ``year`` / ``year_source``: when ``date`` (the final deliberation)
    is given, its year with source "deliberation"; otherwise both must be given (README, v2).
    ``seat``: INSEE code of the seat commune of a body that is not itself a commune."""
    if date and year is None:
        year, year_source = int(date[:4]), "deliberation"
    return {"body_name": name, "body_kind": kind, "departement": dep, "insee": insee, "siren": siren,
            "link_status": link if kind in ("commune", "epci", "departement", "region") else "not_applicable",
            "deliberation_date": date, "chamber": chamber, "announced_recommendations": announced,
            "year": year, "year_source": year_source, "seat_insee": seat}


SPEC = {}

SPEC["260333"] = {  # Lormont: fiche of recommendations, two groups with their follow-up status
    "meta": meta("Commune de Lormont", "commune", "33", "33249", date="2015-10-13",
                 chamber="CRC Aquitaine, Poitou-Charentes"),
    "items": [("R", 36, "2", EN_COURS), ("R", 37, "3", EN_COURS), ("R", 39, "1", None, {"alt": [57]}),
              ("R", 40, "4", None, {"alt": [210]}), ("R", 41, "5", None, {"alt": [266]})],
    "note": "Recs 2-3 listed as 'partiellement mises en œuvre (engagement du maire)'.",
}
SPEC["260539"] = {  # extract of a ROD (one chapter), two numbered recommendations
    "meta": meta("Communauté d'agglomération de la Presqu'île de Guérande Atlantique (Cap Atlantique)", "epci",
                 "44", siren="244400610"),
    "items": [("R", 12, "1", None), ("R", 13, "2", None)],
    "note": "Extrait du ROD 2015-214: no procedure, no date.",
}
SPEC["388687"] = {  # OPH Dordogne Habitat: récapitulation grouped by follow-up
    "meta": meta("Office public de l'habitat « Dordogne Habitat »", "oph", "24", date="2015-11-17"),
    "items": [("R", 27, "2", FAIT), ("R", 29, "1", FAIT), ("R", 31, "3", EN_COURS), ("R", 32, "4", EN_COURS),
              ("R", 33, "5", EN_COURS), ("R", 34, "6", EN_COURS)],
    "note": "1-2 'suivies d'effet depuis les observations provisoires'; 3-6 'que l'office s'est engagé à "
            "mettre en œuvre' (engagement = partially implemented in the report's own legend).",
}
SPEC["389130"] = {
    "meta": meta("Syndicat mixte de développement touristique de la Station des Rousses", "syndicat", "39",
                 date="2015-09-03", chamber="CRC Bourgogne, Franche-Comté"),
    "items": [("R", 37, "1", None), ("R", 38, "2", None)],
}
SPEC["389388"] = {  # Romainville: label and text on separate paragraphs; summary then body
    "meta": meta("Commune de Romainville", "commune", "93", "93063", date="2016-01-06", chamber="CRC Île-de-France"),
    "items": [("R", 8, "1", None, {"alt": [1266]}), ("R", 10, "2", None, {"alt": [1268]}),
              ("R", 12, "3", None, {"alt": [1277]})],
    "note": "Deliberation: 'délibéré, qui s'est tenu le 6 janvier 2016'.",
}
SPEC["389491"] = {  # Houdan: one unnumbered recommendation (summary and body)
    "meta": meta("Centre hospitalier de Houdan", "hopital", "78", chamber="CRC Île-de-France"),
    "items": [("R", 6, None, None, {"alt": [303]})],
}
SPEC["390149"] = {
    "meta": meta("Commune de Villenave-d'Ornon", "commune", "33", "33550", date="2016-03-16",
                 chamber="CRC Aquitaine, Poitou-Charentes"),
    "items": [("R", n, str(n - 33), EN_COURS) for n in range(34, 41)],
    "note": "All seven listed as 'partiellement mises en œuvre (engagement de la collectivité)'. "
            "Observations provisoires 8 Sept 2015, définitives 16 March 2016.",
}
SPEC["390765"] = {
    "meta": meta("SIVU des Rives de l'Elorn", "syndicat", "29", date="2016-01-21", chamber="CRC Bretagne"),
    "items": [("R", n, str(n - 45), None) for n in range(46, 52)],
    "note": "Items end with a section reference (§1-1), part of the printed item.",
}
SPEC["391057"] = {
    "meta": meta("Centre hospitalier de Sens", "hopital", "89", date="2015-11-03", chamber="CRC Bourgogne, Franche-Comté"),
    "items": [("R", 63, "1", None)],
}
SPEC["391301"] = {
    "meta": meta("Commune de Saint-Didier-au-Mont-d'Or", "commune", "69", "69194", date="2015-12-15",
                 chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", 35, "1", None), ("R", 36, "2", None), ("R", 37, "3", None)],
}
SPEC["391339"] = {
    "meta": meta("Association La Villa Gillet", "association", "69", date="2015-11-17", chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", n, str(n - 28), None) for n in range(29, 35)],
}
SPEC["391353"] = {
    "meta": meta("Communauté de communes de l'Est Lyonnais", "epci", "69", siren="246900575", date="2016-03-16",
                 chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", 44, "1", None), ("R", 45, "2", None)],
}
SPEC["391355"] = {  # région Rhône-Alpes (before the 2016 merger): label and text on separate paragraphs
    "meta": meta("Région Rhône-Alpes", "region", None, link="not_linkable", date="2016-03-14",
                 chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", 44, "1", None), ("R", 46, "2", None), ("R", 49, "3", None), ("R", 52, "4", None)],
    "note": "Former region (merged into Auvergne-Rhône-Alpes on 1 January 2016): not in the reference.",
}
SPEC["391863"] = {
    "meta": meta("Commune d'Autrans", "commune", "38", "38021", date="2016-04-18", chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", n, str(n - 36), None) for n in range(37, 44)],
    "note": "Autrans became a commune déléguée of Autrans-Méaudre en Vercors (2016); 38021 is its own code.",
}
SPEC["392585"] = {
    "meta": meta("Commune de Grasse", "commune", "06", "06069", date="2016-02-23", announced=4),
    "items": [("R", 29, "1", None, {"alt": [317]}), ("R", 30, "2", None, {"alt": [434]}),
              ("R", 31, "3", None, {"alt": [435]}), ("R", 32, "4", None, {"alt": [530]})],
    "note": "'La chambre formule dans ce cadre quatre recommandations'.",
}
SPEC["392680"] = {  # département: numbered "1/" summary list, then "Recommandation n° N" in the body
    "meta": meta("Département de Maine-et-Loire", "departement", "49", date="2016-01-12", chamber="CRC Pays de la Loire"),
    "items": [("R", 38, "1", None, {"alt": [85]}), ("R", 39, "2", None, {"alt": [204]}),
              ("R", 40, "3", None, {"alt": [324]}), ("R", 41, "4", None, {"alt": [325]}),
              ("R", 42, "5", None, {"alt": [511]}), ("R", 43, "6", None, {"alt": [512]})],
}
SPEC["392684"] = {  # unnumbered summary list; numbered in the body: gold = numbered occurrence
    "meta": meta("Commune de Mayenne", "commune", "53", "53147", date="2016-02-02", chamber="CRC Pays de la Loire"),
    "items": [("R", 55, "1", None, {"alt": [32]}), ("R", 103, "2", None, {"alt": [33]})],
}
SPEC["392758"] = {
    "meta": meta("Communauté de communes du Pays de Challans", "epci", "85", link="not_linkable"),
    "items": [("R", 101, "1", None, {"alt": [44]}), ("R", 111, "2", None, {"alt": [45]}),
              ("R", 122, "3", None, {"alt": [46]}), ("R", 213, "4", None, {"alt": [47]})],
    "note": "Merged into Challans-Gois Communauté in 2017: absent from the reference.",
}
SPEC["392764"] = {
    "meta": meta("Établissement public médico-social Le Littoral", "etablissement_public", "44"),
    "items": [("R", 107, "1", None, {"alt": [44]}), ("R", 178, "2", None, {"alt": [45]}),
              ("R", 195, "3", None, {"alt": [46]}), ("R", 205, "4", None, {"alt": [47]}),
              ("R", 227, "5", None, {"alt": [48]}), ("R", 256, "6", None, {"alt": [49]})],
}
SPEC["392766"] = {  # unnumbered summary list "Il est recommandé … de :", numbered in the body
    "meta": meta("Communauté de communes du Talmondais", "epci", "85", link="not_linkable", date="2016-03-31"),
    "items": [("R", 159, "1", None, {"alt": [67]}), ("R", 198, "2", None, {"alt": [68]}),
              ("R", 212, "3", None, {"alt": [69]}), ("R", 219, "4", None, {"alt": [70]}),
              ("R", 282, "5", None, {"alt": [71]}), ("R", 301, "6", None, {"alt": [72]})],
    "note": "Merged into Vendée Grand Littoral in 2017: absent from the reference.",
}
SPEC["392775"] = {
    "meta": meta("Département de la Mayenne", "departement", "53"),
    "items": [("R", 34, "1", None, {"alt": [88]}), ("R", 35, "2", None, {"alt": [98]})],
}
SPEC["393176"] = {
    "meta": meta("Département de la Loire-Atlantique", "departement", "44"),
    "items": [("R", 36, "1", None, {"alt": [204]}), ("R", 37, "2", None, {"alt": [237]}),
              ("R", 38, "3", None, {"alt": [248]})],
}
SPEC["393179"] = {
    "meta": meta("Commune de Rezé", "commune", "44", "44143", date="2016-03-24"),
    "items": [("R", 34, "1", None, {"alt": [89]}), ("R", 35, "2", None, {"alt": [163]})],
    "note": "'A l'issue du délibéré du 24 mars 2016, la chambre a adopté le rapport d'observations définitives'.",
}
SPEC["393191"] = {
    "meta": meta("Commune de Pontchâteau", "commune", "44", "44129"),
    "items": [("R", 35, "1", None, {"alt": [66]}), ("R", 36, "2", None, {"alt": [127]})],
}
SPEC["393195"] = {
    "meta": meta("Communauté de communes du Pays d'Ancenis", "epci", "44", siren="244400552"),
    "items": [("R", 38, "1", None, {"alt": [111]}), ("R", 39, "2", None, {"alt": [174]}),
              ("R", 40, "3", None, {"alt": [213]}), ("R", 41, "4", None, {"alt": [244]})],
}
SPEC["393689"] = {  # label and text on separate paragraphs
    "meta": meta("Communauté de communes Champagnole Porte du Haut-Jura", "epci", "39", link="not_linkable",
                 chamber="CRC Bourgogne, Franche-Comté"),
    "items": [("R", 58, "1", None, {"alt": [75]}), ("R", 60, "2", None, {"alt": [344]}),
              ("R", 62, "3", None, {"alt": [517]})],
    "note": "Merged into Champagnole Nozeroy Jura in 2017. No date of the final deliberation in the text.",
}
SPEC["393702"] = {
    "meta": meta("Commune du Creusot", "commune", "71", "71153", date="2016-05-02", chamber="CRC Bourgogne, Franche-Comté"),
    "items": [("R", n, str(n - 54), None) for n in range(55, 63)],
    "note": "Body repeats them as plain 'La chambre recommande …' paragraphs (not labelled).",
}
SPEC["393708"] = {
    "meta": meta("Commune de Vesoul", "commune", "70", "70550", chamber="CRC Bourgogne, Franche-Comté"),
    "items": [("R", 61, "1", None, {"alt": [115]}), ("R", 62, "2", None, {"alt": [127]}),
              ("R", 63, "3", None, {"alt": [533]}), ("R", 64, "4", None, {"alt": [583]})],
    "note": "'Dans sa séance du 24 mars, la chambre a formulé ses observations définitives': no year, no date.",
}
SPEC["393716"] = {  # label and text on separate paragraphs; summary item 3 is split over two paragraphs
    "meta": meta("Centre communal d'action sociale de Marseille", "ccas", "13"),
    "items": [("R", 35, "1", None, {"alt": [144]}), ("R", 37, "2", None, {"alt": [159]}),
              ("R", 183, "3", None), ("R", 42, "4", None, {"alt": [196]}), ("R", 44, "5", None, {"alt": [299]}),
              ("R", 46, "6", None, {"alt": [327]}), ("R", 48, "7", None, {"alt": [334]}),
              ("R", 50, "8", None, {"alt": [341]}), ("R", 52, "9", None, {"alt": [362]})],
    "note": "Rec 3 of the summary is broken in two paragraphs (a word cut): gold is its body occurrence.",
}
SPEC["393729"] = {  # catalogue title says Loire-Atlantique: Les Herbiers is in Vendée
    "meta": meta("Commune des Herbiers", "commune", "85", "85109", chamber="CRC Pays de la Loire"),
    "items": [("R", 51, "1", None, {"alt": [158]}), ("R", 52, "2", None, {"alt": [192]})],
    "note": "metadata.csv gives Loire-Atlantique; the commune (INSEE 85109) is in Vendée.",
}
SPEC["394100"] = {
    "meta": meta("Commune de Villeurbanne", "commune", "69", "69266", date="2016-08-23", chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", n, str(n - 38), None) for n in range(39, 44)],
}
_STATUS_SENTENCE = {"cut": r"\s*Cette recommandation est partiellement mise en œuvre"}
SPEC["394255"] = {  # CH Laborit: grouped list, inline status sentence on two items
    "meta": meta("Centre hospitalier Henri Laborit", "hopital", "86", date="2016-06-21",
                 chamber="CRC Aquitaine, Poitou-Charentes"),
    "items": [("R", 45, "1", None), ("R", 46, "2", EN_COURS, _STATUS_SENTENCE), ("R", 48, "3", None),
              ("R", 49, "4", EN_COURS, _STATUS_SENTENCE), ("R", 50, "5", None)]
             + [("R", n, str(n - 46), None) for n in range(52, 59)],
    "note": "Text excludes the trailing 'Cette recommandation est partiellement mise en œuvre.' (status).",
}
SPEC["394509"] = {
    "meta": meta("Commune de Montélimar", "commune", "26", "26198", date="2016-09-05", chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", n, str(n - 36), None) for n in range(37, 41)],
}
SPEC["394672"] = {
    "meta": meta("Communauté d'agglomération du bassin d'Annonay", "epci", "07", link="not_linkable",
                 date="2016-09-15", chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", n, str(n - 36), None) for n in range(37, 43)],
}
SPEC["395670"] = {
    "meta": meta("Commune du Teil", "commune", "07", "07319", date="2016-09-19", chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", n, str(n - 37), None) for n in (38, 39, 40, 41)]
             + [("R", n, str(n - 38), None) for n in (43, 44, 45)]
             + [("R", n, str(n - 39), None) for n in (47, 48)]
             + [("R", n, str(n - 40), None) for n in (50, 51)],
}
SPEC["397351"] = {  # label and text on separate paragraphs; rec 5 in two parts (5.1, 5.2)
    "meta": meta("Commune de Manosque", "commune", "04", "04112", date="2015-11-02", announced=9),
    "items": [("R", 40, "1", None, {"alt": [128]}), ("R", 42, "2", None, {"alt": [139]}),
              ("R", 44, "3", None, {"alt": [156]}), ("R", 46, "4", None, {"alt": [162]}),
              ("R", [48, 49], "5", None, {"alt": [[472, 473]]}), ("R", 51, "6", None, {"alt": [487]}),
              ("R", 53, "7", None, {"alt": [862]}), ("R", 55, "8", None, {"alt": [875]}),
              ("R", 57, "9", None, {"alt": [1031]})],
    "note": "'La chambre formule dans ce cadre neuf recommandations'. Rec 5 = its two sub-items.",
}
SPEC["397354"] = {
    "meta": meta("Commune de Carpentras", "commune", "84", "84031", date="2015-11-25", announced=5),
    "items": [("R", n, str(n - 32), None) for n in range(33, 37)]
             + [("R", [37, 38], "5", None, {"alt": [[837, 838]]})],
    "note": "Rec 5 = its two sub-items 5.1 and 5.2 (TAB-separated in the summary table).",
}
SPEC["399878"] = {  # label and text on separate paragraphs; recs 2 and 6 in two dashed parts
    "meta": meta("Commune de Monteux", "commune", "84", "84080", date="2015-11-25", announced=6),
    "items": [("R", 33, "1", None, {"alt": [67]}), ("R", [35, 36], "2", None, {"alt": [[114, 115]]}),
              ("R", 38, "3", None, {"alt": [131]}), ("R", 40, "4", None, {"alt": [138]}),
              ("R", 42, "5", None, {"alt": [212]}), ("R", [44, 45], "6", None, {"alt": [[896, 897]]})],
}
SPEC["400552"] = {
    "meta": meta("Centre hospitalier de Saumur", "hopital", "49", chamber="CRC Pays de la Loire"),
    "items": [("R", 139, "1", None, {"alt": [33]}), ("R", 178, "2", None, {"alt": [34]}),
              ("R", 246, "3", None, {"alt": [35]}), ("R", 409, "4", None, {"alt": [36]}),
              ("R", 471, "5", None, {"alt": [37]}), ("R", 508, "6", None, {"alt": [38]})],
}
SPEC["400599"] = {
    "meta": meta("Centre hospitalier Côte de Lumière", "hopital", "85"),
    "items": [("R", 227, "1", None, {"alt": [37]}), ("R", 343, "2", None, {"alt": [38]}),
              ("R", 357, "3", None, {"alt": [39]})],
}
SPEC["400600"] = {  # summary numbered "1- …", body "Recommandation n° N"
    "meta": meta("Centre hospitalier de Laval", "hopital", "53"),
    "items": [("R", 33, "1", None, {"alt": [376]}), ("R", 34, "2", None, {"alt": [377]}),
              ("R", 35, "3", None, {"alt": [628]}), ("R", 36, "4", None, {"alt": [658]}),
              ("R", 37, "5", None, {"alt": [720]}), ("R", 38, "6", None, {"alt": [791]})],
}
SPEC["400609"] = {  # summary numbered "1/ …"
    "meta": meta("Commune de La Chapelle-sur-Erdre", "commune", "44", "44035"),
    "items": [("R", 37, "1", None, {"alt": [61]}), ("R", 38, "2", None, {"alt": [65]}),
              ("R", 39, "3", None, {"alt": [164]}), ("R", 40, "4", None, {"alt": [174]}),
              ("R", 41, "5", None, {"alt": [189]})],
}
SPEC["400612"] = {  # unnumbered "Il est recommandé … de :" list, numbered in the body
    "meta": meta("EHPAD de Beauvoir-sur-Mer", "etablissement_public", "85", chamber="CRC Pays de la Loire"),
    "items": [("R", 68, "1", None, {"alt": [32]}), ("R", 71, "2", None, {"alt": [33]}),
              ("R", 77, "3", None, {"alt": [34]}), ("R", 88, "4", None, {"alt": [35]}),
              ("R", 224, "5", None, {"alt": [36]}), ("R", 303, "6", None)],
    "note": "The summary's last item is cut mid-sentence in the source: gold is the body occurrence.",
}

# --- Hauts-de-France: tables "Rappels à la réglementation" / "Recommandations" with a status column
# (Réalisé | En cours de réalisation | Non réalisé); items unnumbered; a cell may span paragraphs.
SPEC["399924"] = {
    "meta": meta("Commune de Cappelle-la-Grande", "commune", "59", "59131", date="2016-12-07"),
    "items": [("A", 16, None, NON), ("A", 17, None, NON), ("R", 20, None, EN_COURS), ("R", 21, None, EN_COURS),
              ("R", 22, None, EN_COURS)],
}
SPEC["399927"] = {
    "meta": meta("Centre hospitalier interdépartemental de Clermont", "hopital", "60", date="2016-10-17"),
    "items": [("A", 20, None, FAIT), ("A", [21, 22], None, NON), ("A", [23, 25], None, FAIT), ("A", 26, None, NON),
              ("R", 29, None, EN_COURS), ("R", 30, None, EN_COURS), ("R", [31, 32], None, NON),
              ("R", 33, None, EN_COURS), ("R", 34, None, EN_COURS)],
    "note": "Catalogue title 'Clermont (Oise)': the audited body is the CHI de Clermont (a hospital). "
            "The régies recommendation holds a TAB-separated list of sub-items inside its cell.",
}
SPEC["399928"] = {
    "meta": meta("Commune d'Armentières", "commune", "59", "59017", date="2016-12-13"),
    "items": [("A", 53, None, EN_COURS), ("A", 54, None, NON), ("A", 55, None, NON), ("A", 56, None, NON),
              ("A", 57, None, EN_COURS), ("A", [58, 60], None, NON),
              ("R", 63, None, EN_COURS), ("R", 64, None, NON), ("R", 65, None, NON), ("R", 66, None, NON),
              ("R", 67, None, EN_COURS)],
}
SPEC["399932"] = {
    "meta": meta("Commune de Gravelines", "commune", "59", "59273", date="2016-10-19"),
    "items": [("A", 18, None, NON), ("A", [19, 20], None, NON), ("A", [21, 22], None, NON), ("A", [23, 24], None, NON),
              ("A", 25, None, NON), ("A", [26, 28], None, NON), ("A", [29, 30], None, NON), ("A", [31, 32], None, NON),
              ("R", 35, None, NON), ("R", 36, None, NON), ("R", 37, None, EN_COURS), ("R", 38, None, NON),
              ("R", 39, None, NON)],
    "note": "Columns 'Mis en œuvre | Partiellement mis en œuvre | Non mis en œuvre'.",
}
SPEC["400041"] = {
    "meta": meta("Commune de Saint-André-lez-Lille", "commune", "59", "59527", date="2016-11-29"),
    "items": [("A", 18, None, NON), ("A", 19, None, NON), ("A", 20, None, NON), ("A", 21, None, NON),
              ("A", [22, 23], None, EN_COURS), ("A", 24, None, NON), ("R", 27, None, NON), ("R", 28, None, NON)],
}
SPEC["400097"] = {
    "meta": meta("Communauté de communes Avre, Luce et Moreuil", "epci", "80", link="not_linkable", date="2015-09-11",
                 chamber="CRC Nord-Pas-de-Calais, Picardie"),
    "items": [("A", 18, None, NON), ("A", 19, None, EN_COURS), ("A", 20, None, NON), ("A", 21, None, NON),
              ("A", 22, None, NON), ("A", 23, None, NON), ("R", 26, None, NON), ("R", [27, 28], None, NON)],
    "note": "Merged into CC Avre Luce Noye (2017): absent from the reference.",
}
SPEC["400194"] = {
    "meta": meta("Commune d'Arras", "commune", "62", "62041", date="2015-11-25"),
    "items": [("A", [19, 20], None, EN_COURS), ("A", 21, None, NON), ("A", 22, None, EN_COURS), ("A", [23, 24], None, NON),
              ("A", 25, None, NON), ("A", 26, None, EN_COURS),
              ("R", 29, None, EN_COURS), ("R", 30, None, EN_COURS), ("R", 31, None, NON), ("R", 32, None, EN_COURS),
              ("R", 33, None, EN_COURS), ("R", 34, None, NON)],
}
SPEC["400420"] = {
    "meta": meta("Centre hospitalier de Béthune-Beuvry", "hopital", "62", date="2016-02-03"),
    "items": [("A", 18, None, NON), ("A", 19, None, NON), ("A", 20, None, EN_COURS), ("A", 21, None, NON),
              ("A", 22, None, EN_COURS), ("A", 23, None, NON),
              ("R", 26, None, EN_COURS), ("R", 27, None, EN_COURS), ("R", 28, None, NON), ("R", 29, None, EN_COURS),
              ("R", 30, None, NON)],
}

# --- "Rappel(s) du droit" lists (Grand Est), récapitulations with follow-up groups, lists in the body
SPEC["388821"] = {
    "meta": meta("Commune de Clermont-en-Argonne", "commune", "55", "55117", date="2015-09-16",
                 chamber="CRC Champagne-Ardenne, Lorraine"),
    "items": [("A", n, None, None) for n in range(190, 195)] + [("R", 196, None, None)],
    "note": "'Listes des rappels du droit et des recommandations' at the end of the report, unnumbered.",
}
SPEC["391385"] = {
    "meta": meta("Communauté de communes du Centre Argonne", "epci", "08", link="not_linkable", date="2016-02-03",
                 chamber="CRC Alsace, Champagne-Ardenne, Lorraine"),
    "items": [("A", n, None, None) for n in range(281, 286)] + [("R", 287, None, None)],
    "note": "Merged into CC de l'Argonne Ardennaise (2017): absent from the reference.",
}
SPEC["394717"] = {  # Word list numbering lost in the source except the last item's "10."
    "meta": meta("Commune d'Esternay", "commune", "51", "51237", date="2016-06-22", chamber="CRC Champagne-Ardenne, Lorraine"),
    "items": [("A", n, None, None) for n in range(299, 308)] + [("R", 309, "10", None)],
    "note": "Rappels 1-9 were auto-numbered in Word (numbers absent from the HTML); the recommendation "
            "prints '10.'.",
}
SPEC["395548"] = {
    "meta": meta("Commune de Saint-André-les-Vergers", "commune", "10", "10333", date="2016-07-06",
                 chamber="CRC Alsace, Champagne-Ardenne, Lorraine"),
    "items": [("A", n, None, None) for n in range(234, 240)] + [("R", n, None, None) for n in range(241, 244)],
}
SPEC["388007"] = {  # Capbreton: recommandations and "rappels d'obligations juridiques", grouped by follow-up
    "meta": meta("Commune de Capbreton", "commune", "40", "40065", date="2015-11-09"),
    "items": [("R", n, None, EN_COURS) for n in (88, 89, 90)] + [("R", n, None, NON) for n in (92, 93)]
             + [("A", n, None, EN_COURS) for n in range(96, 101)] + [("A", n, None, NON) for n in range(102, 110)],
    "note": "'Rappels d'obligations juridiques' counted as rappels au droit. Groups 'partiellement mis(es) en "
            "œuvre' → en_cours, 'restant à suivre' → non_mise_en_oeuvre. Deliberation 'lors de sa séance du même "
            "jour' = the hearing of 9 November 2015.",
}
SPEC["260232"] = {  # Neuville-de-Poitou: récapitulation with a single numbered recommendation
    "meta": meta("Commune de Neuville-de-Poitou", "commune", "86", "86177", date="2015-09-15"),
    "items": [("R", 36, "1", NON)],
    "note": "Listed under 'Recommandation à mettre en œuvre' (the legend's 'à suivre').",
}
SPEC["389746"] = {  # Boucau: récapitulation with rappels and grouped recommendations, unnumbered
    "meta": meta("Commune de Boucau", "commune", "64", "64140", date="2016-03-01",
                 chamber="CRC Aquitaine, Limousin, Poitou-Charentes"),
    "items": [("A", 51, None, None), ("A", 52, None, None)]
             + [("R", n, None, None) for n in (55, 57, 58, 60, 61)],
    "note": "Recommendations 'à mettre en œuvre' formulated during this audit: no follow-up status yet.",
}
_INLINE = {"cut": r"\s*Partiellement mise en œuvre\.?\s*$"}
SPEC["394647"] = {  # Lozère: summary heading without items; numbered recommendations in the body
    "meta": meta("Département de la Lozère", "departement", "48", date="2016-07-04"),
    "items": [("R", [226, 228], "1", EN_COURS, _INLINE), ("R", 236, "2", EN_COURS, _INLINE)],
    "note": "Rec 1 has two dashed sub-items (lines 227-228), part of it. Each ends with the inline status "
            "'Partiellement mise en œuvre.', excluded from the text.",
}
SPEC["394818"] = {  # Le Havre: no recommendation or rappel list at all
    "meta": meta("Commune du Havre", "commune", "76", "76351", date="2016-09-07", chamber="CRC Normandie"),
    "items": [],
    "note": "No labelled recommendation or list. v1: no item; v2: its in-paragraph recommendations (README, "
            "convention 1); its invite / demande / encourage / suggère sentences stay observations.",
}


# --- v2 re-check (README "Conventions v2"): in-paragraph items, suivi items, statuses, year, seat.
# Each report was read again around every in-paragraph cue (``gold_candidates.py KEY --sentences``)
# and in its follow-up section. ``part`` = [a, b] offsets of the sentence inside its line.
def P(line, a, b):
    """An occurrence that is a sentence inside paragraph ``line`` (offsets a..b in the line)."""
    return {"line": line, "part": [a, b]}


def add(key, *items):
    """Append items (in-paragraph rappels / recommandations, suivi items) to a report."""
    SPEC[key]["items"] = list(SPEC[key]["items"]) + list(items)


def alt(key, line, *alts):
    """Add other occurrences (body sentences restating it) to the item whose gold paragraph is ``line``."""
    items = list(SPEC[key]["items"])
    for i, (kind, where, number, status, *rest) in enumerate(items):
        first = where if isinstance(where, int) else where[0]
        if first == line:
            options = dict(rest[0]) if rest else {}
            options["alt"] = list(options.get("alt", [])) + list(alts)
            items[i] = (kind, where, number, status, options)
            SPEC[key]["items"] = items
            return
    raise KeyError(f"{key}: no item on line {line}")


def v2(key, note=None, **fields):
    """Metadata added or corrected in the v2 re-check; ``note`` is appended to the row's note."""
    if "seat" in fields:
        fields["seat_insee"] = fields.pop("seat")
    unknown = set(fields) - set(SPEC[key]["meta"])
    if unknown:
        raise KeyError(f"{key}: unknown metadata fields {sorted(unknown)}")
    SPEC[key]["meta"].update(fields)
    if note:
        SPEC[key]["note"] = (SPEC[key].get("note", "") + " " + note).strip()


FIRST_SENTENCE = r"(?<=\.)\s+(?=[A-ZÉÈÀ]).*$"

# 260333
add("260333",
    ("A", 75, None, None, {"part": [299, 548]}),
    ("R", 76, None, None, {"part": [0, 431]}))
alt("260333", 40, P(209, 441, 648))
# 389130
add("389130",
    ("A", 70, None, None, {"part": [0, 171]}))
alt("389130", 37, P(231, 0, 115))
alt("389130", 38, P(232, 1, 111))
# 389491
add("389491",
    ("R", 150, None, None, {"part": [0, 270]}))
# 390149
add("390149",
    ("A", 55, None, None, {"part": [591, 843]}),
    ("A", 57, None, None, {"part": [440, 1010]}),
    ("A", 329, None, None, {"part": [477, 691]}))
alt("390149", 36, P(57, 1011, 1235))
# 391057
add("391057",
    ("R", 394, None, None, {"part": [380, 623]}),
    ("A", 629, None, None, {"part": [0, 115]}))
# 391301
add("391301",
    ("R", 269, None, None, {"part": [0, 237]}),
    ("R", 280, None, None, {"part": [0, 358], "alt": [{"line": 297, "part": [0, 324]}]}),
    ("R", 289, None, None, {"part": [0, 84]}))
alt("391301", 35, P(264, 0, 152), P(296, 0, 100))
# 391339
alt("391339", 29, P(670, 0, 175))
# 391353
add("391353",
    ("R", 108, None, None, {"part": [0, 314]}),
    ("R", 350, None, None, {"part": [0, 151]}),
    ("R", 473, None, None, {"part": [0, 144]}),
    ("R", 591, None, None, {"part": [0, 160]}),
    ("R", 604, None, None, {"part": [0, 141]}),
    ("R", 632, None, None, {"part": [0, 63]}))
alt("391353", 45, P(112, 0, 204))
alt("391353", 44, P(650, 0, 192))
# 391355
add("391355",
    ("R", 173, None, None, {"part": [0, 254]}),
    ("A", 201, None, None, {"part": [0, 235]}),
    ("A", 559, None, None, {"part": [670, 944]}))
# 391863
add("391863",
    ("R", 99, None, None, {"part": [0, 185]}),
    ("R", 760, None, None, {"part": [774, 892]}))
alt("391863", 40, P(765, 0, 170))
alt("391863", 42, P(631, 0, 163))
# 392585
add("392585",
    ("A", 344, None, None, {"part": [0, 331]}))
# 392680
add("392680",
    ("R", 428, None, None, {"part": [0, 147]}))
alt("392680", 42, P(409, 0, 113))
alt("392680", 43, P(451, 0, 398))
# 392764
add("392764",
    ("A", 203, None, None, {"part": [0, 197]}))
# 393179
alt("393179", 34, P(88, 0, 374))
alt("393179", 35, P(160, 0, 155))
# 393689
add("393689",
    ("A", 86, None, None, {"part": [588, 723]}),
    ("A", 350, None, None, {"part": [0, 91]}),
    ("A", 355, None, None, {"part": [0, 134]}),
    ("A", 363, None, None, {"part": [0, 157]}),
    ("A", 414, None, None, {"part": [65, 158]}))
alt("393689", 60, P(60, 197, 436), P(344, 163, 403))
# 393702
add("393702",
    ("A", 120, None, None, {"part": [0, 464]}),
    ("A", 392, None, None, {"part": [0, 250]}),
    ("A", 740, None, None, {"part": [0, 220]}),
    ("A", 744, None, None, {"part": [133, 414]}))
alt("393702", 55, P(122, 1, 190), P(121, 92, 344))
alt("393702", 56, P(291, 1, 265))
alt("393702", 57, P(393, 1, 201))
alt("393702", 58, P(497, 1, 153))
alt("393702", 59, P(605, 1, 200))
alt("393702", 60, P(684, 1, 211), P(614, 0, 373))
alt("393702", 61, P(685, 0, 157), P(655, 0, 188))
alt("393702", 62, P(686, 0, 138))
# 393708
add("393708",
    ("R", 46, None, None, {"part": [101, 394]}))
# 393716
add("393716",
    ("A", 20, None, None, {"part": [457, 687]}))
alt("393716", 44, P(298, 341, 461))
alt("393716", 52, P(360, 0, 257))
# 394100
add("394100",
    ("A", 80, None, None, {"part": [0, 302]}))
alt("394100", 39, P(71, 0, 331))
alt("394100", 41, P(466, 0, 88))
alt("394100", 43, P(1003, 0, 236))
# 394255
add("394255",
    ("A", 237, None, None, {"part": [0, 248]}),
    ("A", 257, None, None, {"part": [0, 177]}),
    ("R", 581, None, None, {"part": [254, 936]}))
alt("394255", 45, P(86, 114, 346))
alt("394255", 46, P(276, 257, 491))
alt("394255", 54, P(498, 0, 186))
alt("394255", 53, P(521, 0, 399))
alt("394255", 48, P(530, 79, 267))
alt("394255", 52, P(555, 0, 254))
alt("394255", 49, P(562, 151, 313))
alt("394255", 50, P(582, 0, 351))
alt("394255", 58, P(860, 806, 944))
# 394509
alt("394509", 38, P(32, 313, 547), P(330, 385, 619))
alt("394509", 40, P(888, 0, 181))
# 394672
add("394672",
    ("A", [376, 377], None, None, {"part": [0, 258]}),
    ("A", 399, None, None, {"part": [141, 507]}),
    ("A", 409, None, None, {"part": [138, 358]}),
    ("R", 462, None, None, {"part": [300, 412]}),
    ("A", 500, None, None, {"part": [280, 705]}),
    ("A", 508, None, None, {"part": [0, 279]}))
alt("394672", 42, P(244, 517, 658))
# 395670
add("395670",
    ("A", 316, None, None, {"part": [401, 617]}),
    ("R", 350, None, None, {"part": [264, 402]}),
    ("R", 372, None, None, {"part": [667, 845]}),
    ("R", 392, None, None, {"part": [0, 471]}),
    ("A", 561, None, None, {"part": [159, 469]}),
    ("A", 564, None, None, {"part": [0, 310]}),
    ("A", 890, None, None, {"part": [513, 650]}))
alt("395670", 45, P(357, 0, 257))
alt("395670", 43, P(387, 327, 640), P(840, 421, 501))
alt("395670", 39, P(527, 762, 968))
alt("395670", 48, P(971, 579, 794))
# 397351
add("397351",
    ("A", 630, None, None, {"part": [0, 346]}))
# 399878
add("399878",
    ("A", 96, None, None, {"part": [0, 142]}),
    ("A", 269, None, None, {"part": [355, 551]}),
    ("A", 981, None, None, {"part": [0, 174]}),
    ("A", 1024, None, None, {"part": [186, 482]}))
alt("399878", 33, P(66, 0, 164))
# 400552
# 400612
add("400612",
    ("A", 86, None, None, {"part": [0, 434]}))
# 399924
alt("399924", 17, P(46, 187, 353))
alt("399924", 21, P(123, 0, 142))
# 399927
alt("399927", 29, P(140, 779, 912))
alt("399927", 31, P(171, 190, 561), P(170, 0, 122), P(173, 0, 254))
alt("399927", 20, {"line": [323, 324], "part": [203, 260]})
alt("399927", 30, P(430, 297, 529))
alt("399927", 21, P(435, 0, 135))
alt("399927", 23, P(452, 0, 216))
alt("399927", 33, P(489, 139, 346))
alt("399927", 34, P(566, 0, 280))
# 399928
alt("399928", 53, P(111, 0, 283))
alt("399928", 63, P(140, 0, 97))
alt("399928", 64, P(192, 0, 217))
alt("399928", 54, P(221, 0, 370))
alt("399928", 65, P(236, 0, 157))
alt("399928", 55, P(248, 0, 195))
alt("399928", 66, P(260, 0, 105))
alt("399928", 58, P(277, 0, 187))
# 399932
add("399932",
    ("R", 357, None, None, {"part": [0, 149]}))
alt("399932", 38, P(413, 0, 187))
alt("399932", 39, P(457, 225, 343))
# 400041
add("400041",
    ("A", 232, None, None, {"part": [0, 398]}))
alt("400041", 18, P(71, 0, 212))
alt("400041", 27, P(146, 0, 110))
alt("400041", 19, P(184, 0, 227))
alt("400041", 20, P(186, 0, 170))
alt("400041", 21, {"line": [233, 234], "part": [0, 36]})
alt("400041", 28, P(246, 0, 160))
alt("400041", 22, P(261, 0, 213))
# 400097
alt("400097", 26, P(232, 0, 115))
# 400194
add("400194",
    ("R", 181, None, None, {"part": [195, 331]}))
alt("400194", 30, P(107, 0, 79))
# 400420
alt("400420", 19, P(51, 0, 365))
alt("400420", 20, P(85, 0, 120), P(83, 105, 161))
alt("400420", 28, P(89, 327, 478))
alt("400420", 21, P(93, 0, 217))
alt("400420", 29, P(110, 0, 159))
alt("400420", 22, P(237, 0, 105))
alt("400420", 23, P(242, 188, 337))
alt("400420", 30, P(245, 0, 199))
# 388821
add("388821",
    ("A", 117, None, None, {"part": [104, 258]}))
alt("388821", 191, P(82, 131, 322))
alt("388821", 192, P(171, 0, 166))
# 391385
add("391385",
    ("A", 19, None, None, {"part": [0, 266]}),
    ("A", 113, None, None, {"part": [0, 153]}),
    ("A", 189, None, None, {"part": [142, 312]}),
    ("A", 270, None, None, {"part": [499, 742]}))
alt("391385", 283, P(53, 202, 399))
alt("391385", 285, P(87, 0, 228))
alt("391385", 287, P(119, 845, 963))
# 394717
add("394717",
    ("A", [174, 175], None, None, {"part": [0, 176]}))
alt("394717", 299, P(31, 1, 115))
alt("394717", 300, P(40, 0, 115))
alt("394717", 302, P(58, 0, 112))
alt("394717", 306, P(99, 0, 284))
# 395548
add("395548",
    ("A", 150, None, None, {"part": [279, 433]}))
alt("395548", 242, P(99, 0, 245))
alt("395548", 237, P(222, 0, 199))
# 388007
add("388007",
    ("A", 413, None, None, {"part": [730, 885]}))
# 260232
add("260232",
    ("A", 65, None, None, {"part": [0, 350]}))
alt("260232", 36, P(101, 0, 263))
# 389746
add("389746",
    ("R", 22, None, None, {"part": [318, 609]}))
alt("389746", 55, P(20, 215, 703), P(78, 0, 297), P(80, 0, 176))
alt("389746", 51, P(22, 610, 876))
alt("389746", 58, P(114, 307, 449))
alt("389746", 61, P(196, 0, 129), P(207, 0, 186))
# 394647
add("394647",
    ("A", 223, None, None, {"part": [0, 294]}))
# 394818
add("394818",
    ("R", [106, 107], None, None, {"part": [0, 73]}),
    ("R", 120, None, None, {"part": [0, 447]}),
    ("R", 132, None, None, {"part": [0, 159]}),
    ("R", 287, None, None, {"part": [0, 242]}),
    ("R", 517, None, None, {"part": [0, 154]}))

# --- v2 metadata: year / year_source for the reports without a stated final deliberation, the two
# deliberation dates missed in v1, and the seat commune (INSEE) of every body that is not a commune
# (from the recipient's address in the letter of notification, the body's own name, or a siège
# stated in the text; null when none of these decides it).
v2("260539", year=2015, year_source="notification", seat="44055",
   note="v2: year = catalogue date (the notification letter; the extract prints no date); seat La Baule-Escoublac "
        "from the catalogue title.")
for _key in ("392758", "392764", "392775", "393176", "393191", "393195", "393689", "393729", "400552", "400599",
             "400600", "400609", "400612"):
    v2(_key, year=2016, year_source="notification")
v2("393708", year=2016, year_source="deliberation",
   note="v2: the final deliberation is dated without a year (line 41): 2016, after the provisional "
        "observations of November 2015 and before the June 2016 notification.")
v2("389491", deliberation_date="2015-10-15", year=2015, year_source="deliberation", seat="78310",
   note="v2 fix: the final deliberation (15 October 2015) is stated in the procedure section; v1 had none.")
v2("393716", deliberation_date="2016-05-12", year=2016, year_source="deliberation", seat="13055",
   note="v2 fix: the final deliberation (12 May 2016, line 13) was missed in v1.")
for _key, _seat in (("388687", "24322"), ("389130", "39470"), ("390765", "29235"), ("391057", "89387"),
                    ("391339", "69123"), ("391353", "69277"), ("391355", "69123"), ("392680", "49007"),
                    ("392758", "85047"), ("392764", "44154"), ("392766", "85288"), ("392775", "53130"),
                    ("393176", "44109"), ("393195", "44003"), ("393689", "39097"), ("394255", "86194"),
                    ("394672", "07078"), ("399927", "60157"), ("400552", "49328"), ("400599", "85194"),
                    ("400600", "53130"), ("400612", "85018"), ("394647", "48095")):
    v2(_key, seat=_seat)

# --- v2 suivi items: the follow-up SECTION or list of an earlier audit (a heading "Les suites du
# précédent contrôle", "Le suivi des recommandations précédentes", "Les suites du dernier rapport…"),
# one item per earlier recommendation / observation it takes up, span = the sentence or list item
# that states it, status = what the section says of it (README, conventions 5 and 7).
add("393702",  # "Le suivi des recommandations précédentes de la chambre" (2007 report)
    ("S", 71, None, EN_COURS, {"part": [0, 145]}),   # first step of the transfer only
    ("S", 76, None, FAIT, {"part": [0, 159]}),       # now a service of the communauté urbaine
    ("S", 80, None, NON, {"part": [0, 219]}),        # reimbursements went on
    ("S", 83, None, FAIT, {"part": [0, 94]}))        # regularised in 2010
v2("393702", note="v2: 4 suivi items (follow-up section of the 2007 report) with the status the section states.")
add("392764",  # "Les suites données au précédent contrôle" (2009 report)
    ("S", 89, None, NON), ("S", 93, None, NON), ("S", 96, None, FAIT), ("S", 99, None, EN_COURS),
    ("S", 104, None, NON))
v2("392764", note="v2: 5 suivi items; the unfulfilled vehicle-fleet item becomes this report's recommendation n° 1.")
add("393708",  # "Le contrôle précédent et les suites données": the points of the 2010 report, followed up in
    *[("S", n, None, None) for n in range(77, 84)])  # the chapters; no status per point in the list
v2("393708", note="v2: 7 suivi items (the listed points of the 2010 report), no status stated in the list.")
add("394255",  # "Les suites portées aux observations du précédent contrôle" (2010 report)
    ("S", 68, None, None, {"part": [0, 184]}), ("S", 74, None, FAIT, {"part": [0, 267]}),
    ("S", 79, None, FAIT, {"part": [113, 545]}), ("S", 80, None, NON, {"part": [0, 166]}))
v2("394255", note="v2: 4 suivi items; the pocket-money procedure still breaches the rules (its recommendation n° 1).")
add("399932",  # "Les suites du dernier rapport d'observations définitives": 13 recommendations, 7 / 4 / 2
    *[("S", n, None, FAIT) for n in (53, 54, 55, 56, 57)],
    ("S", 58, None, FAIT, {"part": [0, 153]}), ("S", 59, None, FAIT, {"part": [0, 125]}),
    ("S", 60, None, EN_COURS, {"part": [0, 203]}), ("S", 60, None, EN_COURS, {"part": [338, 535]}),
    ("S", 62, None, NON), ("S", 63, None, NON))
v2("399932", note="v2: 11 suivi items: 7 implemented, recommendations 1 to 3 grouped in one sentence plus "
                  "the absenteeism measures (partial), 2 not implemented.")
add("400552",  # "Les observations du précédent contrôle": the two observations, status not stated by the chamber
    ("S", 87, None, None, {"part": [0, 511]}), ("S", 88, None, None, {"part": [0, 216]}))
SPEC["389746"]["items"] = [(k, n, num, NON if k == "R" and status is None else status, *rest)
                           for k, n, num, status, *rest in SPEC["389746"]["items"] if not (isinstance(n, int) and n == 22 and k == "R")] \
    + [("R", 22, None, None, {"part": [318, 609]})]
v2("389746", note="v2 fix: the five recommendations are listed under 'Recommandations à mettre en œuvre' → "
                  "non_mise_en_oeuvre (convention 5, as 260232); v1 left them without status.")
