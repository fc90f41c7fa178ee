"""Hand-check decisions for the extraction gold (see models/gold/README.md).

Each report was read in txt/<key>.txt (one paragraph a line). Items:
(kind "R" recommandation | "A" rappel au droit, paragraph line of the gold occurrence,
number as printed or None, status or None, {"alt": [lines of the other occurrences]}).
Metadata: values read in the report (or the reference for codes). ``lab/scripts/gold_build.py``
turns this into models/gold/extraction.jsonl (offsets only).
"""

EN_COURS, FAIT, NON, SANS_OBJET = "en_cours", "totalement_mise_en_oeuvre", "non_mise_en_oeuvre", "sans_objet"


def meta(name, kind, dep, insee=None, siren=None, link="linked", date=None, chamber=None, announced=None):
    return {"body_name": name, "body_kind": kind, "departement": dep, "insee": insee, "siren": siren,
            "link_status": link if kind in ("commune", "epci", "departement", "region") else "not_applicable",
            "deliberation_date": date, "chamber": chamber, "announced_recommendations": announced}


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
    "note": "No labelled recommendation: 'la chambre recommande' sentences in the body are observations (README).",
}
