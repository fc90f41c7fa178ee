"""Hand-check decisions for the extraction gold, batch of 2026-12-06 (odd half of the draw).

The draw (models/gold/README.md, "Reports added on 2026-12-06 (odd half of the draw)"): eligible
ROD keys without "-", not yet in the gold, text under 250,000 characters, grouped by their 2016
chamber, each group sorted then shuffled with ``random.Random(f"gold-2026-12-06-{chamber}")``,
groups interleaved round-robin (chambers in ``sorted()`` order); this module holds the items at
odd positions 1, 3, 5 … of that list (the first 45 of them).

Same format and conventions as ``lab/scripts/gold_spec.py`` (models/gold/README.md, conventions v2):
items ``(kind, line, number, status[, options])``; ``P(line, a, b)`` = a sentence inside a
paragraph (offsets in the line). Every decision was made by reading the report (txt/<key>.txt):
the letter head and procedure for the dates and the body, every candidate sentence in its
section, the follow-up sections. Notes give keys, line numbers and reasons, never report text.
"""

from gold_spec import EN_COURS, FAIT, NON, SANS_OBJET, meta  # noqa: F401


def P(line, a, b):
    """An occurrence that is a sentence inside paragraph ``line`` (offsets a..b in the line)."""
    return {"line": line, "part": [a, b]}


SPEC = {}

SPEC["391071"] = {  # association PREMICE (Dijon): one labelled "Recommandation :", repeated in the body
    "meta": meta("Association PREMICE", "association", "21", date="2015-09-24",
                 chamber="CRC Bourgogne, Franche-Comté", seat="21231"),
    "items": [("R", 49, None, None, {"alt": [P(173, 18, 140)]})],
    "note": "Label without number (line 49), body copy with an upper-case label (line 173). Line 140 recalls a "
            "necessity (not a rappel). Seat Dijon from the letter's address.",
}
SPEC["396214"] = {  # Tremblay-les-Villages: unnumbered summary list, each item restated in the body
    "meta": meta("Commune de Tremblay-les-Villages", "commune", "28", "28393", date="2016-10-19",
                 chamber="CRC Centre-Val de Loire"),
    "items": [("R", 12, None, None, {"alt": [P(267, 0, 131), P(276, 0, 175)]}),
              ("R", 13, None, None, {"alt": [P(338, 0, 338)]}),
              ("R", 14, None, None, {"alt": [P(387, 0, 192)]}),
              ("R", 15, None, None, {"alt": [P(436, 0, 243)]}),
              ("R", 16, None, None, {"alt": [P(448, 0, 107)]}),
              ("A", 373, None, None, {"part": [0, 367]})],
    "note": "Catalogue title misspells the commune. Deliberation: annex 1 procedure table, second 'Délibéré' row "
            "(line 458; line 455 is the provisional one). Chamber from the back-cover address (line 752). Lines "
            "267 and 276 state components of the inventory item (alt). Line 373: an equal-information rule "
            "stated as binding (rappel).",
}
SPEC["395056"] = {  # CC des Portes de Champagne: Grand Est "Liste des recommandations et rappels du droit"
    "meta": meta("Communauté de communes des Portes de Champagne", "epci", "51", link="not_linkable",
                 date="2016-06-22", chamber="CRC Alsace, Champagne-Ardenne, Lorraine", seat="51237"),
    "items": [("A", 466, None, None, {"alt": [P(29, 575, 748)]}),
              ("A", [467, 468], None, None, {"alt": [P(52, 0, 291), P(54, 0, 206)]}),
              ("A", 469, None, None, {"alt": [P(94, 0, 259)]}),
              ("A", 470, None, None, {"alt": [P(102, 1, 170)]}),
              ("A", 472, None, None),
              ("R", 475, None, None, {"alt": [P(68, 0, 202)]}),
              ("R", 476, None, None, {"alt": [P(85, 1, 180)]}),
              ("R", 477, None, None, {"alt": [P(221, 0, 161)]}),
              ("R", 479, None, None, {"alt": [P(421, 0, 138)]}),
              ("R", 480, None, None, {"alt": [P(427, 0, 120)]}),
              ("R", 481, None, None),
              ("R", 419, None, None, {"part": [92, 197]})],
    "note": "Unnumbered lists at the end (lines 463-481; 465, 471, 474, 478 are theme sub-headings); the rappel "
            "on restes à réaliser is cut over lines 467-468. Body sentences restating list items are alts whatever "
            "their verb (invite, souligne). Line 419 (multi-year purchase-order contracts) names an action no list "
            "item names: new item. Line 433 is a past provisional-observation invitation (not an item). Not in "
            "the reference (merged 2017); seat Esternay from the annex table (line 487).",
}
SPEC["388686"] = {  # Le Thuit-Signol: "Principales recommandations" (2 items), restated in the body
    "meta": meta("Commune du Thuit-Signol", "commune", "27", link="not_linkable", date="2015-12-02",
                 chamber="CRC Normandie"),
    "items": [("R", 31, None, None, {"alt": [P(82, 0, 272)]}),
              ("R", 32, None, None, {"alt": [P(168, 0, 177)]}),
              ("R", 149, None, None, {"part": [0, 106]})],
    "note": "Line 82 is an inverted impersonal 'est-il recommandé' (alt of the inventory item); line 168 restates "
            "the training plan with 'devrait' (alt). Line 149 (absenteeism) is in no list: new item. The commune "
            "merged into Le Thuit de l'Oison (27638) on 1 January 2016 and is absent from the reference: no INSEE. "
            "Chamber from the letter head (line 2).",
}

# Languedoc-Roussillon format (Occitanie, 2016): no summary list; each recommendation is a body box
# "Recommandation" followed by the item with its status at the end of the paragraph.
_LR_STATUS = {"cut": r"\s*(?:(?:Partiellement|Totalement|Non) mise en œuvre|Mise en œuvre|"
                     r"Devenue sans objet)\s*\.?\s*$"}
SPEC["390753"] = {  # Castelnau-le-Lez: four body boxes with statuses
    "meta": meta("Commune de Castelnau-le-Lez", "commune", "34", "34057", date="2016-03-31"),
    "items": [("R", 244, None, EN_COURS, _LR_STATUS), ("R", 372, None, NON, _LR_STATUS),
              ("R", 490, None, EN_COURS, _LR_STATUS), ("R", 662, None, EN_COURS, _LR_STATUS),
              ("A", 611, None, None, {"part": [0, 146]})],
    "note": "The 'RECOMMANDATIONS' heading (line 34) is followed by the procedure, not a list. Each box ends with "
            "its status (cut from the text). Line 611 recalls what the CGCT provides (rappel); line 640 recalls "
            "that negotiation is possible in adapted procedures (a possibility the code leaves: not a rappel). "
            "Line 666 mentions the 2009 report inside an ordinary section (no follow-up section: no suivi item).",
}
_NUM_COLON = {"skip": r"\d+\s*:\s*"}  # "Recommandation 1 : …" (number without "n°")
SPEC["392494"] = {  # Cogolin: two "Recommandation N :" items in the synthesis, repeated in the body
    "meta": meta("Commune de Cogolin", "commune", "83", "83042", date="2016-04-22", announced=2),
    "items": [("R", 25, "1", None, {**_NUM_COLON, "alt_skip": _NUM_COLON["skip"],
                                    "alt": [158, P(157, 171, 373), P(149, 0, 214)]}),
              ("R", 26, "2", None, {**_NUM_COLON, "alt_skip": _NUM_COLON["skip"], "alt": [276, P(274, 0, 511)]}),
              ("R", 45, None, None, {"part": [0, 239]}),
              ("A", 54, None, None, {"part": [0, 242]}),
              ("R", 447, None, None, {"part": [0, 234]}),
              ("R", 456, None, None, {"part": [115, 509]})],
    "note": "'La chambre formule dans ce cadre deux recommandations' (line 24). Line 149 (table of budgeted posts) "
            "is a component of recommendation 1 (alt). Four more in-paragraph items in sections without a listed "
            "recommendation (investment plan, provisions, two on the crèche DSP: tariffs in the contract, a fuller "
            "activity report). 'il convient de rappeler' (lines 273, 455, 504, 561) is not one of the rappel "
            "formulas of convention 1: not items.",
}
SPEC["392519"] = {  # SEM VAVI (Polynésie française): no recommendation, no rappel
    "meta": meta("Société d'économie mixte VAVI", "sem", "987", date="2016-08-05", chamber="CTC Polynésie française"),
    "items": [],
    "note": "Read in full: no list, no labelled item and no in-paragraph recommande / rappelle sentence. Chamber "
            "named in the procedure (line 6). The SEM's seat is stated nowhere and the reference has no commune "
            "of Polynésie française: seat null.",
}
SPEC["393712"] = {  # ALCG Poligny: "Récapitulatif des recommandations de la chambre", repeated in the body
    "meta": meta("Association de lutte contre le gaspillage de Poligny", "association", "39", date="2016-05-24",
                 chamber="CRC Bourgogne, Franche-Comté", seat="39434"),
    "items": [("R", 61, "1", None, {"alt": [288]}),
              ("R", 63, "2", None, {"alt": [291, P(292, 146, 376)]}),
              ("R", 65, "3", None, {"alt": [294, P(344, 62, 194)]}),
              ("R", 66, "4", None, {"alt": [351]}),
              ("A", 211, None, None, {"part": [0, 415]})],
    "note": "Labels 1-3 alone on their line, the item on the next. Final observations 'arrêtées dans ses séances "
            "des 19 et 24 mai 2016' (line 39): the deliberation date is the later session. Line 292 (encourage, "
            "analytical accounts) and line 344 (invite, a management controller inside the reorganisation) restate "
            "components of recommendations 2 and 3 (alt). Line 211 recalls articles of the code de commerce.",
}
SPEC["396660"] = {  # CH du Blanc (SIH inquiry): numbered "Récapitulation des recommandations"
    "meta": meta("Centre hospitalier du Blanc", "hopital", "36", date="2016-03-15", chamber="CRC Centre-Val de Loire",
                 seat="36018"),
    "items": [("R", 14, "1", None, {"alt": [P(198, 0, 178)]}),
              ("R", 15, "2", None, {"alt": [P(230, 0, 182)]}),
              ("R", 16, "3", None, {"alt": [P(275, 0, 239)]})],
    "note": "Deliberation: second 'Délibéré de la chambre' row of the procedure annex (line 384; line 381 is the "
            "provisional one). Chamber named in the closing sentence (lines 354-355) and the back cover. Body "
            "sentences 230 and 275 state items 2 and 3 without a recommending verb (alt).",
}

# Hauts-de-France tables "Rappels à la réglementation" / "Recommandation(s)": one row per item, the ticked
# column = status (Mis en œuvre | Partiellement | Non mis en œuvre), trailing cells dropped by the build.
SPEC["400617"] = {  # SM Oise très haut débit
    "meta": meta("Syndicat mixte Oise très haut débit", "syndicat", "60", date="2016-05-19"),
    "items": [("A", 18, None, EN_COURS, {"alt": [P(120, 750, 900)]}),
              ("A", 19, None, EN_COURS, {"alt": [P(209, 163, 332)]}),
              ("R", 22, None, NON, {"alt": [P(213, 474, 637)]}),
              ("A", 215, None, None, {"part": [256, 468]})],
    "note": "Line 215: the necessity to respect a cited CGCT article (a legal obligation, not a mere necessity) in "
            "a section with no table row: new rappel. No seat stated (the report has no letter, the response part "
            "has no address): seat null.",
}

# Aquitaine / Poitou-Charentes "Récapitulation des recommandations": legend of follow-up codes, then groups
# "Rappel d'obligations juridiques" / "Recommandations faites au cours du contrôle actuel" (no status: a
# recommendation made during this audit is not yet followed up; convention 5).
SPEC["391216"] = {  # Thiviers
    "meta": meta("Commune de Thiviers", "commune", "24", "24551", date="2016-05-11"),
    "items": [("A", 36, None, None, {"alt": [P(67, 0, 219)]}),
              ("R", 39, None, None, {"alt": [P(73, 0, 259)]}),
              ("R", 41, None, None, {"alt": [P(102, 0, 242)]}),
              ("R", 42, None, None, {"alt": [P(111, 0, 232)]}),
              ("R", 43, None, None, {"alt": [P(113, 0, 258)]}),
              ("R", 44, None, None, {"alt": [P(114, 0, 499)]})],
    "note": "Groups 35/38/40 are theme sub-headings. Every item restated by a 'la chambre recommande' body "
            "sentence (line 111 has the verb after an inserted clause). The earlier audit is only mentioned inside "
            "the debt and expenditure sections (lines 89-98): no follow-up section, no suivi item.",
}

# Pays de la Loire: summary list "1- …" (numbered: the gold occurrence), "Recommandation n° N" in the body (alt).
SPEC["393699"] = {  # CA Saumur Loire Développement
    "meta": meta("Communauté d'agglomération Saumur Loire Développement", "epci", "49", link="not_linkable",
                 date="2016-06-28", chamber="CRC Pays de la Loire", seat="49328"),
    "items": [("R", 42, "1", None, {"alt": [73]}),
              ("R", 43, "2", None, {"alt": [80, P(129, 0, 217)]}),
              ("R", 44, "3", None, {"alt": [112, P(100, 478, 634), P(111, 123, 415)]}),
              ("R", 45, "4", None, {"alt": [137, P(135, 0, 217)]}),
              ("R", 46, "5", None, {"alt": [283]}),
              ("A", 104, None, None, {"part": [229, 378]}),
              ("S", 99, None, EN_COURS, {"part": [0, 204]}),
              ("S", 100, None, FAIT, {"part": [167, 349]})],
    "note": "Body labels 'Recommandation n° N' (alt). Line 111 ('doit être rigoureuse', a management principle) "
            "restates recommendation 3 (alt, not a rappel); line 104 recalls that the DSP obligations stay binding "
            "whatever the contract's name (rappel). Section 'Suivi de suites sur le renforcement du contrôle des "
            "satellites' (lines 97-100) takes up the 2010 report's observations on operators: transport set-up "
            "simplified but a confusion persists (en_cours), waste DSP criticisms corrected (done). Merged into "
            "CA Saumur Val de Loire (2017): not in the reference; seat Saumur from the letter's address.",
}
SPEC["390128"] = {  # Département de Seine-et-Marne (digital policy inquiry): no item
    "meta": meta("Département de Seine-et-Marne", "departement", "77", date="2016-01-13", chamber="CRC Île-de-France"),
    "items": [],
    "note": "No list, no labelled item, no in-paragraph recommande / rappelle sentence (lines 529, 528: 'devra', "
            "'doit conduire' are not the chamber's formulas). The deliberation is printed '13 janvier 2015' (line 13) "
            "but the provisional observations went out on 1 October 2015 and the answers came in December 2015: "
            "the procedure fixes 2016 (as 393708). No letter, no siège stated: seat null.",
}
SPEC["390663"] = {  # La Côte-Saint-André: unnumbered "Recommandations" list of two, introduced by a sentence
    "meta": meta("Commune de La Côte-Saint-André", "commune", "38", "38130", date="2015-10-26",
                 chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", 39, None, None),
              ("R", 40, None, None, {"alt": [P(36, 110, 315), P(86, 67, 319)]}),
              ("A", 101, None, None, {"part": [0, 189]}),
              ("A", [113, 114], None, None, {"part": [0, 146]}),
              ("R", 595, None, None, {"part": [294, 483]})],
    "note": "Line 38 introduces the list (not an item). The synthesis 'préconise' (line 36) and the body's past "
            "'a préconisé' (line 86) restate the CCAS agreement item (alt). Lines 113-114: one rappel sentence cut "
            "over two paragraphs (an instruction quoted). Line 262 recalls what would follow a possible transfer "
            "(no obligation of the commune): not a rappel. Line 595: impersonal 'il est recommandé' (new item). "
            "The earlier report is only cited (lines 33, 117, 432): no follow-up section.",
}
SPEC["395374"] = {  # Vannes: numbered "1- …" list after the summary
    "meta": meta("Commune de Vannes", "commune", "56", "56260", date="2016-06-20", chamber="CRC Bretagne"),
    "items": [("R", 41, "1", None), ("R", 42, "2", None), ("R", 43, "3", None)],
    "note": "Items end with a section reference, part of the printed item. The body states the findings without "
            "restating the actions. Line 275 ends with a recommendation quoted from the MAPPP guide (another "
            "body's): not an item; line 240 is an 'invite'. Lines 246-249 'R2 : …' are amounts, not labels. The "
            "procedure paragraph (lines 23-25) has blank template fields; the final deliberation is line 28.",
}
SPEC["393088"] = {  # CC du Pays de Wissembourg: summary "Liste des préconisations" empty in the source
    "meta": meta("Communauté de communes du Pays de Wissembourg", "epci", "67", siren="246700926", date="2015-10-01",
                 seat="67544"),
    "items": [("R", 125, "1", None),
              ("R", 342, "2", None, {"alt": [P(339, 0, 1025)]})],
    "note": "The summary list (lines 40-42: headings 'Recommandations', 'Orientation') lost its content in the "
            "source; the two labelled body items are the gold (their label text uses 'rappelle', kept as "
            "recommendations since labelled). Line 339 recalls the decree on which recommendation 2 rests (alt; "
            "the sentence runs through the quoted article to the end of the line). Line 352's 'elle rappelle' is "
            "a presentation made to the council, not the chamber. Deliberation: line 400.",
}

# Normandie (2016): "Principales recommandations" and "Obligations de faire" after the synthesis; the
# obligations are legal obligations recalled, counted as rappels au droit (like the rappels d'obligations
# juridiques, convention 4).
SPEC["394683"] = {  # Louviers
    "meta": meta("Commune de Louviers", "commune", "27", "27375", date="2016-09-20", chamber="CRC Normandie"),
    "items": [("R", 33, None, None, {"alt": [P(135, 0, 186)]}),
              ("R", 34, None, None, {"alt": [P(310, 0, 156)]}),
              ("R", 35, None, None), ("R", 36, None, None),
              ("A", 38, None, None), ("A", 39, None, None), ("A", 40, None, None),
              ("A", 430, None, None, {"part": [0, 419]}),
              ("S", 57, None, FAIT, {"part": [0, 320]}),
              ("S", 64, None, FAIT, {"part": [0, 347]}),
              ("S", 67, None, NON, {"part": [0, 201]}),
              ("S", [69, 70], None, NON, {"part": [0, 121]})],
    "note": "'Obligations de faire' (lines 38-40) counted as rappels au droit. Line 430 both invites (overtime) and "
            "recalls the obligation of an automated attendance control (a rappel no list item names). Section "
            "'Contrôles antérieurs' (lines 52-72) takes up four observations of the 2003-2008 report: SEM stakes "
            "(SEM activity taken over, the sports complex back in régie: done), cost of the meals régie (costing "
            "tool set up: done), benefits in kind to associations (not remedied), staff-association agreement "
            "(signed in 2010, lapsed since: not done; its sentence is cut over lines 69-70). Chamber from the "
            "letter head.",
}
SPEC["391508"] = {  # Office de tourisme de Juvignac (association): conclusion list with statuses
    "meta": meta("Office de tourisme de Juvignac", "office_tourisme", "34", date="2015-10-27",
                 chamber="CRC Languedoc-Roussillon, Midi-Pyrénées", seat="34123"),
    "items": [("R", 453, None, NON, _LR_STATUS), ("R", 454, None, NON, _LR_STATUS),
              ("A", 76, None, None, {"part": [0, 605]}),
              ("A", 285, None, None, {"part": [157, 514]})],
    "note": "The 'RECOMMANDATIONS' heading (line 29) is followed by the procedure; the two recommendations close "
            "the report (lines 452-454), each ending 'Non mise en œuvre.' (cut). Line 76 recalls the 1901 law "
            "(one sentence through the quoted article); line 285 recalls the legal delegation under the code du "
            "tourisme. Deliberated by the Languedoc-Roussillon chamber (line 455), a name nlp.geo_chambers does not "
            "know (it merges it with Midi-Pyrénées from 2012); the letter names its successor 'Languedoc-Roussillon, "
            "Midi-Pyrénées' (line 6), kept as chamber.",
}
SPEC["394993"] = {  # SM des stations du Mercantour: three numbered recommendations (n° 2 in two parts)
    "meta": meta("Syndicat mixte des stations du Mercantour", "syndicat", "06", date="2016-04-26", seat="06088"),
    "items": [("R", 47, "1", None, {"alt": [125, P(124, 0, 258)]}),
              ("R", [49, 50], "2", None, {"alt": [[513, 514], P(488, 0, 168)]}),
              ("R", 52, "3", None, {"alt": [884, P(40, 917, 1114), P(850, 0, 175)]}),
              ("R", 44, None, None, {"part": [0, 261]}),
              ("A", 94, None, None, {"part": [0, 202]}),
              ("A", 105, None, None, {"part": [733, 943]}),
              ("A", 666, None, None, {"part": [0, 224]}),
              ("A", 686, None, None, {"part": [467, 588]})],
    "note": "Labels alone on a line (46, 48, 51), item on the next; recommendation 2 = sub-items 2.1 and 2.2 (lines "
            "49-50; body 513-514). The synthesis recommends a closer follow-up of the aquatic-centre DSP (line 44), "
            "in no list: new item. Rappels: asset transfers (94), case law on the budget debate (105), the "
            "delegating authority's duty (666), unapproved tariffs illegal (686); line 682 recalls good management "
            "(not a rappel). Invitations restating list items are alts (124, 488, 850). Seat: the syndicat's siège "
            "is that of the Métropole Nice Côte d'Azur (line 64), not the catalogue's Saint-Étienne-de-Tinée "
            "(an antenna).",
}
SPEC["393792"] = {  # Orchestre des Pays de Savoie (association): three labelled recommendations after the synthesis
    "meta": meta("Association Orchestre des Pays de Savoie", "association", "73", date="2016-07-18",
                 chamber="CRC Auvergne, Rhône-Alpes", seat="73051"),
    "items": [("R", 27, "1", None, {"alt": [P(137, 0, 307)]}),
              ("R", 28, "2", None, {"alt": [P(467, 0, 184)]}),
              ("R", 29, "3", None, {"alt": [P(126, 396, 537)]}),
              ("A", 176, None, None, {"part": [723, 1285]})],
    "note": "Label of n° 1 printed 'Recommandations n° 1'. Invitations restating list items are alts (137 roles of "
            "the organs, 467 contributions in kind in the annex, 126 formal adoption of the tariff policy); the "
            "others (107, 165, 313, 663, 762) name no list action. Line 176 recalls a Prime Minister's circular "
            "(a text: rappel), the sentence ending with the closing quote. Line 99's 'il est rappelé' recalls a "
            "fact of the statutes (not a rappel). Seat Le Bourget-du-Lac from the letter's address.",
}

# Bretagne (2016): "Recommandation n°N <TAB> text (§ x.y)" rows after the résumé; procedure template fields left
# blank (no deliberation date printed: year from the notification letter).
SPEC["397243"] = {  # Plougastel-Daoulas
    "meta": meta("Commune de Plougastel-Daoulas", "commune", "29", "29189", chamber="CRC Bretagne",
                 year=2016, year_source="notification"),
    "items": [("R", 47, "1", None), ("R", 48, "2", None), ("R", 50, "3", None), ("R", 51, "4", None),
              ("A", 197, None, None, {"part": [118, 369]})],
    "note": "The procedure paragraph has blank date fields (lines 35-38): no deliberation date; year from the "
            "letter (13 October 2016). Line 197 recalls the statute law on minimum-duration step advancement "
            "(rappel, in no list). Line 328 mentions the earlier report in passing (no follow-up section).",
}
SPEC["400619"] = {  # SEVADEC (Calaisis): table "Rappels à la réglementation" only
    "meta": meta("Syndicat d'élimination et de valorisation des déchets du Calaisis", "syndicat", "62",
                 date="2016-04-06"),
    "items": [("A", 20, None, EN_COURS, {"alt": [P(189, 173, 403)]}),
              ("A", 21, None, EN_COURS, {"alt": [P(189, 0, 172)]}),
              ("R", 193, None, None, {"part": [48, 144]}),
              ("R", 221, None, None, {"part": [349, 526]})],
    "note": "Both rappels ticked 'En cours de réalisation'. Line 189 restates both (the invite for the 23/21 "
            "accounts, the rappel for the inventory). In-paragraph recommendations on depreciating future "
            "buildings (193, not the study costs of the table row) and on the budget-debate document (221). No "
            "siège stated: seat null.",
}
SPEC["390046"] = {  # CCAS de Bergerac: récapitulation, each item followed by its bracketed status
    "meta": meta("Centre communal d'action sociale de Bergerac", "ccas", "24", chamber="CRC Aquitaine, Poitou-Charentes",
                 year=2016, year_source="notification", seat="24037"),
    "items": [("R", 47, None, EN_COURS, {"alt": [P(82, 0, 107)]}),
              ("R", 49, None, EN_COURS, {"alt": [P(118, 0, 272)]}),
              ("R", 52, None, EN_COURS, {"alt": [P(161, 0, 169)]}),
              ("R", 54, None, EN_COURS, {"alt": [P(173, 0, 162)]}),
              ("R", 56, None, EN_COURS, {"alt": [P(261, 0, 206)]}),
              ("R", 58, None, EN_COURS, {"alt": [P(267, 0, 220)]})],
    "note": "Each recommendation of the récapitulation is followed by its own '[Recommandation partiellement mise "
            "en œuvre]' line (the report's status after the provisional observations: en_cours). The body states "
            "each one as 'la chambre a (donc) recommandé' (the provisional observations' formula): alts. Line 331's "
            "'il convient de rappeler' is not a rappel formula. No final deliberation date in the procedure (only "
            "the provisional one): year from the letter (3 May 2016).",
}
SPEC["393692"] = {  # CC Loire-Longué (SPANC inquiry): no item
    "meta": meta("Communauté de communes Loire-Longué", "epci", "49", link="not_linkable", year=2016,
                 year_source="notification", seat="49180"),
    "items": [],
    "note": "Summary of observations in one cell (line 41), no recommendation. Line 444 recalls the purpose of the "
            "water agency's subsidies (a financing condition, not a legal obligation of the body): not a rappel. "
            "No final deliberation date (line 36 is the report's dispatch date): year from the letter (1 July 2016). "
            "Merged in 2017: not in the reference; seat Longué-Jumelles from the letter's address.",
}
SPEC["394523"] = {  # CH Guy Thomas de Riom: extract of a ROD (one chapter)
    "meta": meta("Centre hospitalier Guy Thomas de Riom", "hopital", "63", year=2016, year_source="notification",
                 seat="63300"),
    "items": [("R", 38, None, None, {"part": [0, 446]})],
    "note": "Extract (44 lines) of a ROD: kept, as 260539. One in-paragraph recommendation (projet médical and "
            "projet d'établissement); line 37 is an 'invite'. The first line dates the extract 24 March 2016 (the "
            "catalogue date): year from it, as a notification; no deliberation, no chamber in the extract. Seat "
            "Riom from the body's name.",
}
SPEC["392934"] = {  # CCAS de Quimper: "Recommandation n°N : …" list after the résumé
    "meta": meta("Centre communal d'action sociale de Quimper", "ccas", "29", chamber="CRC Bretagne", year=2016,
                 year_source="notification", seat="29232"),
    "items": [("R", 46, "1", None), ("R", 47, "2", None), ("R", 48, "3", None), ("R", 49, "4", None)],
    "note": "Items end with a section reference (part of the printed item). No in-paragraph recommande / rappelle "
            "sentence in the body. Procedure template fields blank (lines 30-33): year from the letter "
            "(19 May 2016); seat Quimper from the letter's address.",
}
SPEC["400423"] = {  # CH de Boulogne-sur-Mer (SIH inquiry): no table; one in-paragraph rappel
    "meta": meta("Centre hospitalier de Boulogne-sur-Mer", "hopital", "62", date="2016-03-09", seat="62160"),
    "items": [("A", 116, None, None, {"part": [0, 176]})],
    "note": "No 'Rappels à la réglementation' / 'Recommandations' table in this inquiry report. Line 116 recalls an "
            "obligation ('il lui incombe de') to report indicators. Deliberation date over lines 19-20 (a sentence "
            "cut in the source). Seat from the body's name.",
}
SPEC["393530"] = {  # Floirac: récapitulation "Recommandations à mettre en œuvre" (1-3) and "partiellement suivie d'effet" (4)
    "meta": meta("Commune de Floirac", "commune", "33", "33167", date="2016-05-31",
                 chamber="CRC Aquitaine, Poitou-Charentes"),
    "items": [("R", 39, "1", NON, {"alt": [P(143, 0, 431)]}),
              ("R", 40, "2", NON, {"alt": [P(202, 396, 498), P(202, 0, 395)]}),
              ("R", 41, "3", NON, {"alt": [P(266, 131, 522)]}),
              ("R", 43, "4", EN_COURS, {"alt": [P(381, 647, 831)]}),
              ("A", 217, None, None, {"part": [0, 224]})],
    "note": "Groups 'Recommandations à mettre en œuvre' → non_mise_en_oeuvre (convention 5) and 'Recommandation "
            "partiellement suivie d'effet' → en_cours (line 382: a provision voted in 2016). Line 217 recalls the "
            "statute laws on step advancement (rappel). The 2009 report is recalled inside ordinary sections "
            "(lines 67, 219): no follow-up section.",
}
SPEC["393813"] = {  # Foyer de vie Les Abris de Jade: unnumbered summary list, numbered in the body (gold = body)
    "meta": meta("Foyer de vie Les Abris de Jade", "etablissement_public", "44", year=2016, year_source="notification",
                 seat="44154"),
    "items": [("R", 108, "1", None, {"alt": [51]}), ("R", 160, "2", None, {"alt": [52]}),
              ("R", 169, "3", None, {"alt": [53]})],
    "note": "Établissement public départemental (social). Convention 2: the numbered body occurrence is the gold, "
            "the unnumbered summary item its alt. The earlier audit is mentioned in passing (lines 55, 65, 93): no "
            "follow-up section. No deliberation date (line 39 is the report's dispatch date): year from the letter "
            "(19 September 2016); seat Saint-Brevin-les-Pins from its address.",
}
SPEC["389137"] = {  # CA Beaune, Côte et Sud: the "Récapitulatif des recommandations" heading has no content
    "meta": meta("Communauté d'agglomération Beaune, Côte et Sud", "epci", "21", siren="200006682", date="2015-10-27",
                 chamber="CRC Bourgogne, Franche-Comté", seat="21054"),
    "items": [("R", 294, None, None, {"part": [0, 417]}),
              ("A", 359, None, None, {"part": [111, 329]})],
    "note": "The recapitulation heading (line 33) lost its content in the source. One in-paragraph recommendation "
            "(294, shared services) and one rappel on amendments (359, the verb misspelt 'rappele': found by "
            "reading, not by the candidate regex). Many 'invite' sentences (observations). The reference lists "
            "the CA under its extended name (SIREN 200006682). Seat Beaune from the body's name.",
}
SPEC["393375"] = {  # Rixheim: "Liste des recommandations" empty in the source; labelled body items
    "meta": meta("Commune de Rixheim", "commune", "68", "68278", date="2016-02-01"),
    "items": [("R", 145, "1", None),
              ("R", 201, "2", None, {"alt": [P(200, 279, 456)]}),
              ("R", 234, "3", None),
              ("A", 26, None, None, {"part": [277, 620]}),
              ("A", [63, 64], None, None, {"part": [73, 527], "alt": [P(65, 0, 142)]}),
              ("A", 67, None, None, {"part": [251, 531]}),
              ("R", 340, None, None, {"part": [369, 687], "alt": [P(25, 683, 1045)]})],
    "note": "The summary list (line 32) lost its items in the source; labelled body items 1-3 are the gold (2 and 3 "
            "use 'invite' inside their label: labelled, so items). Rappels: the SRU duty in the synthesis ('il "
            "appartient à', 26), the EPCI activity report article (63-64, one sentence through the quoted article; "
            "65 restates it as a necessity: alt), the ICNE accounting rule (67). Line 69 recalls an earlier finding, "
            "340a a possibility (not rappels). The earlier report is compared in ordinary sections: no suivi items.",
}
SPEC["394685"] = {  # Dieppe (volet 1, finances and HR): "Obligations de faire" and "Principales recommandations"
    "meta": meta("Commune de Dieppe", "commune", "76", "76217", date="2016-07-28", chamber="CRC Normandie"),
    "items": [("A", 37, None, None, {"alt": [P(123, 0, 197), P(281, 196, 394), P(282, 0, 132)]}),
              ("A", 38, None, None),
              ("A", 39, None, None, {"alt": [P(130, 0, 159)]}),
              ("A", 40, None, None, {"alt": [P(138, 0, 176)]}),
              ("A", 42, None, None, {"alt": [P(357, 0, 234)]}),
              ("A", 43, None, None, {"alt": [P(427, 0, 90)]}),
              ("A", 44, None, None, {"alt": [P(427, 91, 283)]}),
              ("A", 45, None, None, {"alt": [P(525, 0, 273), P(525, 274, 338)]}),
              ("A", 46, None, None, {"alt": [[592, 595]]}),
              ("A", 47, None, None, {"alt": [P(625, 0, 192)]}),
              ("R", 50, None, None, {"alt": [P(112, 0, 85)]}),
              ("R", 51, None, None, {"alt": [P(154, 0, 266)]}),
              ("R", 52, None, None, {"alt": [P(242, 0, 185)]}),
              ("R", 54, None, None, {"alt": [P(428, 0, 180)]}),
              ("R", 55, None, None, {"alt": [P(526, 0, 348)]}),
              ("R", 56, None, None, {"alt": [P(552, 108, 269)]}),
              ("R", 57, None, None, {"alt": [P(34, 0, 219)]}),
              ("R", 115, None, None, {"part": [649, 805]}),
              ("R", 273, None, None, {"part": [0, 107]}),
              ("R", 331, None, None, {"part": [0, 85]}),
              ("A", 454, None, None, {"part": [0, 251]}),
              ("R", 625, None, None, {"part": [193, 294]}),
              ("R", 649, None, None, {"part": [132, 275]})],
    "note": "'Obligations de faire' (37-47, theme sub-headings 36/41) counted as rappels au droit; 'Principales "
            "recommandations' 50-57. Body sentences restating them are alts whatever the verb (demande, invite, "
            "rappelle); the CCAS legal-status rappel (281) and the 'organisation respectueuse' demand (282) restate "
            "the staff-transfer obligation. New in-paragraph items: budget document inspired by the LOLF (115), "
            "asset disposals (273), HR data (331), step advancement (454, rappel), the staff committee's annual "
            "dialogue (625b), steering tools (649). Line 622 recalls the purpose of a reimbursement (not a rappel). "
            "The earlier audit is only mentioned (482).",
}
SPEC["393860"] = {  # Ille-sur-Têt: body boxes "Recommandation(s)" with the status on the next paragraph
    "meta": meta("Commune d'Ille-sur-Têt", "commune", "66", "66088", date="2016-06-09",
                 chamber="CRC Languedoc-Roussillon, Midi-Pyrénées"),
    "items": [("R", 99, None, EN_COURS), ("R", 143, None, EN_COURS), ("R", 144, None, EN_COURS)],
    "note": "Each box is followed by a status paragraph ('partiellement mise(s) en œuvre', lines 100 and 145; the "
            "latter covers both items of its box). The 'RECOMMANDATIONS' heading (33) precedes the procedure. No "
            "in-paragraph recommande / rappelle sentence.",
}
SPEC["394878"] = {  # Festival de La Chaise-Dieu (association): six numbered recommendations after the synthesis
    "meta": meta("Association Festival de La Chaise-Dieu", "association", "43", date="2016-10-17",
                 chamber="CRC Auvergne, Rhône-Alpes", seat="43048"),
    "items": [("R", 40, "1", None, {"alt": [P(374, 0, 339), P(660, 151, 414)]}),
              ("R", 41, "2", None, {"alt": [P(373, 0, 350)]}),
              ("R", 42, "3", None, {"alt": [P(245, 0, 279)]}),
              ("R", 43, "4", None, {"alt": [P(373, 351, 532)]}),
              ("R", 44, "5", None, {"alt": [P(37, 110, 357)]}),
              ("R", 45, "6", None, {"alt": [P(644, 153, 423)]}),
              ("R", 202, None, None, {"part": [0, 140]}),
              ("R", 226, None, None, {"part": [0, 172], "alt": [P(250, 0, 160)]}),
              ("R", 644, None, None, {"part": [0, 152]})],
    "note": "Body sentences restating list items are alts (recommande, préconise, invite, suggère; the synthesis' "
            "'il est recommandé' on sponsorship counterparts). Unlisted in-paragraph recommendations: attendance "
            "data (202), annual activity report (226, restated by 250), budget estimates from attendance (644a). "
            "Line 704 quotes the ministry's sponsorship charter (another body's recommendation): not an item.",
}
SPEC["397242"] = {  # CH de Paimpol (Max Querrien): unnumbered list after the résumé
    "meta": meta("Centre hospitalier de Paimpol", "hopital", "22", chamber="CRC Bretagne", year=2016,
                 year_source="notification", seat="22162"),
    "items": [("R", 46, None, None), ("R", 47, None, None), ("R", 48, None, None), ("R", 49, None, None)],
    "note": "Items end with a section reference. No in-paragraph recommande / rappelle sentence (line 364's "
            "'demande' is not the chamber's). Blank procedure dates (lines 25-29): year from the letter "
            "(3 October 2016); seat Paimpol.",
}


def _cell(n):
    """The n-th TAB cell after the first one of a one-paragraph table (generic skip / cut patterns)."""
    return {"skip": r"(?:[^\t]*\t){" + str(n) + "}", "cut": r"\t.*$"}


SPEC["394202"] = {  # SEMS ALM Évreux Basket: recommendations and obligations in ONE paragraph of TAB cells (line 25)
    "meta": meta("Société d'économie mixte sportive ALM Évreux Basket", "sem", "27", date="2016-08-29",
                 chamber="CRC Normandie", seat="27229"),
    "items": [("R", 25, None, None, _cell(1)),
              ("R", 25, None, None, {**_cell(2), "alt": [P(234, 0, 160)]}),
              ("A", 25, None, None, _cell(5)),
              ("A", 25, None, None, _cell(6))],
    "note": "The synthesis table lost its rows: 'Principales recommandations' and 'Obligations de faire' are TAB cells "
            "of line 25; each item is one cell (skip the preceding cells, cut at the next TAB). Obligations de faire "
            "counted as rappels (Normandie). Line 234's 'il lui est recommandé' restates the treasury item (alt).",
}
SPEC["388582"] = {  # EPCC du Pont du Gard: Languedoc-Roussillon body boxes with statuses
    "meta": meta("Établissement public de coopération culturelle du Pont du Gard", "etablissement_public", "30",
                 date="2015-10-15", seat="30346"),
    "items": [("R", 197, None, NON, {**_LR_STATUS, "alt": [P(194, 133, 296)]}),
              ("R", 226, None, NON, _LR_STATUS),
              ("R", 261, None, EN_COURS, _LR_STATUS),
              ("R", 420, None, EN_COURS, {**_LR_STATUS, "alt": [P(407, 138, 257)]})],
    "note": "Boxes 'Recommandation' (196, 225, 260, 419), the status at the end of each item (cut). Line 407's rappel "
            "(the board's competence, CGCT articles) restates the last item (alt); line 194 restates the régies "
            "item (the accountant's audit recommendations are not the chamber's). Deliberated by the "
            "Languedoc-Roussillon chamber (line 447), a name nlp.geo_chambers lacks and no 2016 successor named: "
            "chamber null. Catalogue département blank in the title parse: Gard. Seat Vers-Pont-du-Gard.",
}
SPEC["390735"] = {  # Département du Cantal: list introduced by "La chambre recommande au département :"
    "meta": meta("Département du Cantal", "departement", "15", date="2015-09-23", chamber="CRC Auvergne, Rhône-Alpes",
                 seat="15014"),
    "items": [("R", 35, None, None, {"alt": [P(138, 0, 243), P(94, 224, 434)]}),
              ("R", 36, None, None),
              ("R", 37, None, None, {"alt": [P(667, 0, 175)]}),
              ("R", 38, None, None, {"alt": [P(671, 73, 358)]}),
              ("A", 90, None, None, {"part": [774, 1036]}),
              ("R", 211, None, None, {"part": [358, 430]}),
              ("S", 59, None, EN_COURS, {"part": [122, 414]}),
              ("S", 78, None, None, {"part": [0, 170], "alt": [P(96, 0, 481)]}),
              ("S", 103, None, FAIT, {"part": [149, 476]})],
    "note": "Line 34 introduces the list (not an item). Section 2 'Les suites données aux précédentes observations "
            "de la chambre' (lines 57-109), narrative: subsidies procedure (tools defined since, but no single "
            "procedure yet, line 71-72: en_cours), engagements towards three third-party bodies (line 78; the "
            "Scénoparc sentence 96 states the same earlier observation in detail: alt; the section states current "
            "findings, no implementation status: null), child-welfare management control (reorganised after the "
            "audit, new rules adopted in 2014: done). Line 90 recalls the CGCT limit on current-account advances "
            "(rappel); line 94a recalls a legal risk (code de commerce), not an obligation; 94b's invite restates "
            "the third-party risk item (alt). Line 211: new in-paragraph recommendation (asset reconciliations).",
}
SPEC["395372"] = {  # CHI de Cornouaille (Quimper): unnumbered list after the résumé
    "meta": meta("Centre hospitalier intercommunal de Cornouaille", "hopital", "29", chamber="CRC Bretagne", year=2016,
                 year_source="notification", seat="29232"),
    "items": [("R", 39, None, None, {"alt": [P(300, 0, 125)]}),
              ("R", 40, None, None, {"alt": [P(415, 0, 185)]}),
              ("R", 41, None, None, {"alt": [P(415, 186, 365)]}),
              ("R", 42, None, None, {"alt": [P(425, 0, 283)]}),
              ("R", 43, None, None, {"alt": [P(425, 0, 283)]}),
              ("R", 44, None, None, {"alt": [P(348, 0, 101)]}),
              ("R", 45, None, None, {"alt": [P(458, 329, 522)]})],
    "note": "Items end with a section reference. Line 300 ('il serait souhaitable') restates item 1 (alt). Line 425 states list items 4 and 5 in one sentence: alt of both. "
            "Blank procedure dates: year from the letter (30 August 2016); seat Quimper.",
}
SPEC["390810"] = {  # CC Gisors-Epte-Lévrière: recommendations and obligations as TAB cells of line 28 (as 394202)
    "meta": meta("Communauté de communes de Gisors-Epte-Lévrière", "epci", "27", link="not_linkable", date="2016-04-04",
                 chamber="CRC Normandie", seat="27284"),
    "items": [("R", 28, None, None, {**_cell(1), "alt": [P(170, 0, 201)]}),
              ("R", 28, None, None, {**_cell(2), "alt": [P(520, 689, 908)]}),
              ("A", 28, None, None, {**_cell(5), "alt": [P(118, 0, 230)]}),
              ("A", 28, None, None, {**_cell(6), "alt": [P(136, 0, 194)]}),
              ("A", 28, None, None, {**_cell(7), "alt": [P(153, 0, 280)]}),
              ("A", 28, None, None, _cell(8)),
              ("A", 28, None, None, _cell(9)),
              ("A", 28, None, None, {**_cell(10), "alt": [P(524, 371, 610)]})],
    "note": "Synthesis table flattened into one paragraph: 'Principales recommandations' cells 1-2, 'Obligations de "
            "faire' (rappels) cells 5-10 (cell 3 empty, 4 the heading). Body restatements are alts whatever the "
            "verb (il est recommandé, devrait, an instruction's prescription for the last one). Merged into CC du "
            "Vexin Normand (2017): not in the reference; seat Gisors from the letter's address.",
}
SPEC["395388"] = {  # CC Beaucaire Terre d'Argence: Languedoc-Roussillon body boxes with statuses
    "meta": meta("Communauté de communes Beaucaire Terre d'Argence", "epci", "30", siren="243000585", date="2016-09-26",
                 seat="30032"),
    "items": [("R", 93, None, NON, {**_LR_STATUS, "alt": [P(77, 0, 122)]}),
              ("R", 283, None, NON, {**_LR_STATUS, "alt": [P(290, 0, 260)]}),
              ("R", 380, None, EN_COURS, _LR_STATUS),
              ("R", 442, None, EN_COURS, {**_LR_STATUS, "alt": [P(410, 236, 490)]}),
              ("A", 128, None, None, {"part": [230, 506]}),
              ("A", 392, None, None, {"part": [0, 302]}),
              ("A", 403, None, None, {"part": [216, 357]})],
    "note": "Four boxes 'Recommandation' with their status (cut). Rappels of CGCT / code du tourisme articles (128, "
            "392, 403). The demand on transferred competences (77) and the invitation on the work cycle (290) "
            "restate boxes 1 and 2; the recommendation on the OTI agreement (410) restates box 4. Line 435's list "
            "follows an 'invite' (observations).",
}
SPEC["391352"] = {  # Miribel: unnumbered "Recommandations" list after the synthesis
    "meta": meta("Commune de Miribel", "commune", "01", "01249", date="2016-02-26", chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", 34, None, None), ("R", 35, None, None),
              ("R", 36, None, None, {"alt": [P(482, 0, 242), P(481, 0, 198)]}),
              ("R", 37, None, None),
              ("A", 105, None, None, {"part": [280, 505]}),
              ("A", 172, None, None, {"part": [0, 544]}),
              ("A", 632, None, None, {"part": [372, 635]}),
              ("A", 674, None, None, {"part": [0, 351]})],
    "note": "Rappels: budget annexes (105), commitment accounting order (172), fixed-term contracts article (632), "
            "overtime and on-call pay rules (674, a legal rule distinct from the time-control item). Not rappels: 301 "
            "(no State compensation for voted exemptions: a consequence, no obligation of the commune), 480 (a "
            "possibility the rules leave). The PPI invitations (481, 482) restate item 3 (alt).",
}
SPEC["395365"] = {  # CH de Cancale: unnumbered list after the résumé
    "meta": meta("Centre hospitalier de Cancale", "hopital", "35", chamber="CRC Bretagne", year=2016,
                 year_source="notification", seat="35049"),
    "items": [("R", 42, None, None, {"alt": [P(75, 153, 249)]}),
              ("R", 43, None, None, {"alt": [P(116, 0, 141)]}),
              ("R", 44, None, None)],
    "note": "Items end with a section reference. Blank procedure dates: year from the letter (2 September 2016); "
            "seat Cancale. Line 335 is an 'invite' (observation).",
}
SPEC["392498"] = {  # SEM Caen Expo Congrès: "Principales recommandations" and "Obligations de faire" (Normandie)
    "meta": meta("Société d'économie mixte Caen Expo Congrès", "sem", "14", date="2016-06-02", chamber="CRC Normandie",
                 seat="14118"),
    "items": [("R", 24, None, None, {"alt": [P(155, 0, 118)]}),
              ("R", 25, None, None, {"alt": [419]}),
              ("R", 27, None, None, {"alt": [P(347, 0, 152)]}),
              ("R", 28, None, None), ("R", 30, None, None),
              ("A", 32, None, None, {"alt": [P(469, 0, 330)]}),
              ("A", 33, None, None),
              ("A", 417, None, None, {"part": [0, 221]})],
    "note": "Theme sub-headings 23/26/29 are not items; 'Obligations de faire' (32-33) counted as rappels. Line 417a "
            "recalls a contractual obligation on tariffs (binding: rappel, in no list); 417b introduces a list of "
            "invitations, whose second item (419) restates recommendation 2 (alt). Line 469 restates the "
            "procurement obligation.",
}
SPEC["394253"] = {  # SPL Midi-Pyrénées Construction: "Recommandations" list after the synthesis
    "meta": meta("Société publique locale Midi-Pyrénées Construction", "sem", "31", date="2016-05-18", seat="31555"),
    "items": [("R", 59, None, None, {"alt": [P(94, 0, 174)]}),
              ("R", 60, None, None, {"alt": [P(143, 0, 111)]}),
              ("R", 61, None, None, {"alt": [P(161, 0, 78)]}),
              ("R", 62, None, None, {"alt": [P(172, 0, 294)]}),
              ("R", 63, None, None, {"alt": [P(435, 143, 283), P(435, 0, 142)]}),
              ("R", 64, None, None, {"alt": [P(187, 0, 197)]}),
              ("R", 65, None, None, {"alt": [P(301, 0, 461)]}),
              ("R", 66, None, None)],
    "note": "A société publique locale (kind sem). Each list item but the last is restated in the body; line 301 "
            "'renouvelle la recommandation' of the 2000 report restates item 7 (alt). Earlier audits are cited in "
            "body sections (301, 434), no follow-up section: no suivi item. Seat Toulouse from the letter's address.",
}
