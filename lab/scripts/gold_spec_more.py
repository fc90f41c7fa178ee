"""Hand-check decisions for the reports added on 2026-12-06, even half of the draw
(models/gold/README.md, "Reports added on 2026-12-06 (even half of the draw)").

Same format as lab/scripts/gold_spec.py (README, "Spec format"): items are
``(kind, line, number, status[, options])`` with kind "R" recommandation, "A" rappel au droit,
"S" suivi; ``line`` a paragraph number of txt/<key>.txt (1-based) or ``[first, last]``;
options ``part`` (offsets of an in-paragraph sentence inside its line), ``alt`` (other
occurrences), ``skip`` / ``cut``. Every item, date and code was decided by reading the report
(letter, cover, procedure section, summary lists, every in-paragraph cue of convention 1 and the
follow-up sections), never taken from a candidate list. Notes carry keys, line numbers and
decisions, no report text. ``lab/scripts/gold_build.py`` merges this SPEC with gold_spec.SPEC.
"""

from gold_spec import EN_COURS, FAIT, NON, SANS_OBJET, meta  # noqa: F401

SPEC = {}


def P(line, a, b):
    """An occurrence that is a sentence inside paragraph ``line`` (offsets a..b in the line)."""
    return {"line": line, "part": [a, b]}


SPEC["390665"] = {  # CCAS de Clermont-Ferrand: "1-" list after the synthèse
    "meta": meta("Centre communal d'action sociale de Clermont-Ferrand", "ccas", "63", date="2015-09-24",
                 chamber="CRC Auvergne, Rhône-Alpes", seat="63113"),
    "items": [("R", 35, "1", None, {"alt": [P(77, 0, 428)]}), ("R", 36, "2", None), ("R", 37, "3", None)],
    "note": "The 'suites de l'examen de la gestion précédent' section (l. 44-47) names only the themes of the "
            "2006 report in one sentence, no recommendation or observation to follow: no suivi item. The "
            "'invite' sentence of l. 77 restates rec 1 (alt).",
}
SPEC["388317"] = {  # Association Trans Musicales (Rennes): "1/" list; deliberation date left blank
    "meta": meta("Association Trans Musicales", "association", "35", chamber="CRC Bretagne", year=2015,
                 year_source="notification", seat="35238"),
    "items": [("R", n, str(n - 45), None) for n in range(46, 50)]
             + [("R", 111, None, None, {"part": [294, 471], "alt": [P(112, 294, 471)]}),
                ("S", 166, None, None, {"part": [0, 83]}),
                ("S", 166, None, FAIT, {"part": [498, 640]}),
                ("S", 166, None, FAIT, {"part": [641, 925]})],
    "note": "The procedure sentence (l. 36) leaves the date of the final deliberation blank: year from the "
            "notification letter (10 Dec 2015). L. 112 repeats l. 111 (a paragraph duplicated in the source): "
            "alt. Suivi items: the sub-section 'Observations du précédent contrôle' (l. 165-166): fragile "
            "finances (recalled only), free seats (reduced as advised, l. 157), VAT on subsidies (regularised).",
}
SPEC["394684"] = {  # SEML Bastia Aménagement: a "Recommandation unique", restated in the body
    "meta": meta("Société d'économie mixte locale Bastia Aménagement", "sem", "2B", date="2016-09-07",
                 chamber="CRC Corse", seat="2B033"),
    "items": [("R", 19, None, None, {"alt": [P(151, 0, 167)]})],
    "note": "'Recommandation unique' printed without a number: number null. Catalogue row has no département "
            "(Bastia, 2B, from the title and the text).",
}
SPEC["400135"] = {  # Compiègne (stationnement urbain): Hauts-de-France status tables
    "meta": meta("Commune de Compiègne", "commune", "60", "60159", date="2015-10-20"),
    "items": [("A", 17, None, EN_COURS, {"alt": [P(163, 0, 334)]}), ("A", 18, None, EN_COURS),
              ("R", 21, None, EN_COURS, {"alt": [P(159, 0, 188)]})],
    "note": "Thematic report (stationnement urbain, inter-jurisdiction survey). Ticks in the 'En cours de "
            "réalisation' column for all three.",
}
SPEC["389675"] = {  # EHPAD Latour du Pin: récapitulation, "faites au cours du contrôle" + one group done
    "meta": meta("Maison de retraite Latour du Pin de Saint-André-de-Cubzac", "etablissement_public", "33",
                 date="2016-02-09", seat="33366"),
    "items": [("R", 50, None, None, {"alt": [P(122, 79, 286)]}), ("R", 51, None, None),
              ("R", 52, None, None, {"alt": [P(407, 0, 141)]}), ("R", 53, None, None),
              ("R", 55, None, FAIT)],
    "note": "Récapitulation: l. 50-53 under 'Recommandations faites au cours du contrôle actuel' (no follow-up "
            "status stated), l. 55 under 'Recommandation de gestion totalement mise en œuvre'. An autonomous "
            "public EHPAD: etablissement_public.",
}
SPEC["392768"] = {  # Chambre de métiers et de l'artisanat de région Pays de la Loire: no item at all
    "meta": meta("Chambre de métiers et de l'artisanat de région Pays de la Loire", "etablissement_public", "44",
                 year=2016, year_source="notification", seat="44172"),
    "items": [],
    "note": "No recommendation, rappel or in-paragraph cue (the earlier audit had formulated none either). "
            "No stated date of the final deliberation (the report head carries only a place-and-date line, "
            "l. 31): year from the notification letter (13 May 2016). Seat Sainte-Luce-sur-Loire from the letter.",
}
SPEC["397054"] = {  # catalogue "Commune - Argenteuil": the report is on the CCAS d'Argenteuil
    "meta": meta("Centre communal d'action sociale d'Argenteuil", "ccas", "95", date="2016-12-09", seat="95018"),
    "items": [("R", 8, "1", None), ("R", 11, "2", None), ("R", 13, "3", None)],
    "note": "Catalogue title says 'Commune - Argenteuil' but the audited body is the CCAS (README: catalogue "
            "errors). Each label line carries only a TOC-like page reference; the text is the next paragraph. "
            "Deliberation: 'délibéré qui s'est tenu le 9 décembre 2016'.",
}
SPEC["391586"] = {  # Corrençon-en-Vercors: unnumbered list under sub-headings, in-paragraph items in the body
    "meta": meta("Commune de Corrençon-en-Vercors", "commune", "38", "38129", date="2016-04-05",
                 chamber="CRC Auvergne, Rhône-Alpes"),
    "items": [("R", 31, None, None, {"alt": [P(478, 0, 151), P(772, 0, 272)]}), ("R", 33, None, None),
              ("R", 35, None, None), ("R", 36, None, None), ("R", 37, None, None),
              ("A", 87, None, None, {"part": [0, 199]}),
              ("R", 209, None, None, {"part": [0, 244]}),
              ("A", 373, None, None, {"part": [314, 763]}),
              ("A", 437, None, None, {"part": [55, 124]}),
              ("A", 445, None, None, {"part": [0, 399]}),
              ("A", [457, 458], None, None, {"part": [131, 345]}),
              ("R", 460, None, None, {"part": [0, 272]}),
              ("R", 550, None, None, {"part": [339, 515]})],
    "note": "List items grouped under three sub-headings, unnumbered. The 'invite' sentences of l. 478 (AME) "
            "and l. 772 (the two nordic associations) each restate a component of the first item: alts. "
            "L. 373: the recalled article is quoted after a colon, kept in the span. L. 457-458: a sentence cut "
            "over two paragraphs. L. 499 ('il est rappelé' + a fact) is not a rappel.",
}
SPEC["393071"] = {  # Colmar Agglomération: the summary list is empty in the source, one labelled item in the body
    "meta": meta("Communauté d'agglomération de Colmar", "epci", "68", siren="246800726", date="2016-03-10",
                 seat="68066"),
    "items": [("R", 309, "2", None), ("A", 544, None, None, {"part": [0, 212]})],
    "note": "The heading 'Liste des recommandations' (l. 49) is followed directly by the body (the list did not "
            "survive the export, also absent from the HTML); only 'Recommandation n° 2' survives (l. 309), n° 1 is "
            "nowhere in the text. L. 544: the CET opening is of right (legal rule) → rappel; l. 738 (an advance "
            "'de nature à' help suppliers) is not. 'Délibéré à la chambre le 10 mars 2016' (l. 799). The only "
            "chamber name is a table source 'CRC Alsace' (l. 844, the pre-2016 chamber): chamber left null.",
}
SPEC["388754"] = {  # Grand Évreux Agglomération, tome 1 (stationnement urbain): unnumbered list
    "meta": meta("Communauté d'agglomération du Grand Évreux", "epci", "27", link="not_linkable",
                 date="2015-11-24", chamber="CRC Basse-Normandie, Haute-Normandie", seat="27229"),
    "items": [("R", 36, None, None), ("R", 37, None, None, {"alt": [{"line": [153, 154], "part": [0, 13]}]}),
              ("R", 38, None, None, {"alt": [P(188, 0, 174)]})],
    "note": "Merged into Évreux Portes de Normandie (2018): absent from the reference. L. 153-154: a sentence "
            "cut over two paragraphs. L. 78 ('il est rappelé' + how the statutes split the competence) recalls "
            "a fact, not an obligation. Deliberation 'a arrêté, le 24 novembre 2015, le présent rapport'.",
}
SPEC["393288"] = {  # Quint-Fonsegrives: numbered "1." list after the synthèse
    "meta": meta("Commune de Quint-Fonsegrives", "commune", "31", "31445", date="2016-05-11"),
    "items": [("R", 37, "1", None), ("R", 38, "2", None, {"alt": [P(338, 0, 290)]}), ("R", 39, "3", None),
              ("R", 40, "4", None)],
}
SPEC["393832"] = {  # Méolans-Revel: "Recommandation n° N" in the synthèse and again in the body
    "meta": meta("Commune de Méolans-Revel", "commune", "04", "04161", date="2016-06-07", announced=3),
    "items": [("R", 48, "1", None, {"alt": [[30, 31]]}), ("R", 32, "2", None, {"alt": [54]}),
              ("R", 33, "3", None, {"alt": [401, P(23, 369, 506)]})],
    "note": "The summary copy of rec 1 is cut over two paragraphs (l. 30-31): gold is its body occurrence "
            "(convention 2), the summary run an alt. 'La chambre formule dans ce cadre trois recommandations'. "
            "Catalogue row has no département (04, from the title).",
}
SPEC["392517"] = {  # Polynésie française (culture): "Rappel des recommandations" after the synthèse, repeated in the body
    "meta": meta("Collectivité de la Polynésie française", "autre", "987", date="2016-07-04",
                 chamber="CTC Polynésie française"),
    "items": [("R", 26, "1", None, {"skip": r"(?i)recommandation\s*n°\s*\d+\s*:\s*", "alt": [228]}),
              ("R", 27, "2", None, {"alt": [265]}), ("R", 28, "3", None, {"alt": [318]}),
              ("R", 29, "4", None, {"alt": [462]}),
              ("R", 30, "5", None, {"skip": r"(?i)recommandation\s*n°\s*\d+\s*:\s*", "alt": [547]})],
    "note": "Thematic report on the cultural policy of the collectivité d'outre-mer (kind autre; no seat in the "
            "reference). Labels of recs 1 and 5 in capitals in the summary (skip). L. 426 says the body began a "
            "dashboard 'conformément à la recommandation': a step for one establishment, not a status of rec 4.",
}
SPEC["391380"] = {  # CA de Vesoul: the recapitulation is empty in the source; boxed "La chambre recommande" paragraphs
    "meta": meta("Communauté d'agglomération de Vesoul", "epci", "70", siren="247000011", date="2016-03-24",
                 chamber="CRC Bourgogne, Franche-Comté", seat="70550"),
    "items": [("S", 123, None, FAIT, {"part": [136, 314]}),
              ("R", 540, None, None, {"part": [0, 151]}), ("R", 545, None, None, {"part": [2, 139]}),
              ("R", 769, None, None, {"part": [3, 163]}), ("R", 889, None, None, {"part": [0, 133]}),
              ("R", 1003, None, None, {"part": [351, 497]}), ("R", 1042, None, None, {"part": [2, 91]})],
    "note": "The heading 'Récapitulatif des recommandations' (l. 62) has no list after it (lost in the export, "
            "also in the HTML); the body recommendations are boxed 'La chambre recommande' paragraphs (l. 540, "
            "545, 769, 1042) plus l. 889 and the impersonal l. 1003: in-paragraph items. Suivi: the section 'Le "
            "précédent contrôle' (l. 122-123) takes up one earlier recommendation (purchasing guide), adopted "
            "since. L. 286 ('il est rappelé' + where an interest charge is booked) is a definition, not a rappel; "
            "l. 289 (demande) is an observation.",
}
_NUM_TAB = {"skip": r"\d+\t"}  # a number cell before the item's text ("1<TAB>…")
SPEC["396213"] = {  # Vineuil: numbered table after the synthèse, each item restated by a body "recommande"
    "meta": meta("Commune de Vineuil", "commune", "41", "41295", date="2016-11-10",
                 chamber="CRC Centre-Val de Loire"),
    "items": [("R", 13, "1", None, {**_NUM_TAB, "alt": [P(49, 0, 313)]}),
              ("R", 14, "2", None, {**_NUM_TAB, "alt": [P(68, 0, 177)]}),
              ("R", 15, "3", None, {**_NUM_TAB, "alt": [P(96, 0, 292)]}),
              ("R", 16, "4", None, {**_NUM_TAB, "alt": [P(547, 0, 233)]}),
              ("R", 17, "5", None, {**_NUM_TAB, "alt": [P(548, 0, 178)]})],
    "note": "Deliberation from the procedure table of the annex: 'Délibéré de la chambre' 26/04/2016 (provisional) "
            "then 10/11/2016 before the ROD is sent (l. 644). Chamber from its address block (l. 747). Not items: "
            "l. 500 (a clause of the DSP contract recalled), l. 546 (the report's usefulness, a necessity), l. 191 "
            "(a latitude the law leaves, inside a quoted ministerial answer). Catalogue row has no département "
            "(Loir-et-Cher, l. 23).",
}
SPEC["400126"] = {  # Ailly-sur-Somme: Hauts-de-France tables (one recommendation, one rappel)
    "meta": meta("Commune d'Ailly-sur-Somme", "commune", "80", "80011", date="2016-01-12"),
    "items": [("R", 16, None, NON, {"alt": [P(80, 336, 563)]}),
              ("A", 19, None, NON, {"alt": [P(107, 0, 253)]})],
    "note": "Both ticked 'Non réalisé(e)'. The 'invite' sentence of l. 107 restates the rappel (alt); l. 105's "
            "'elle invite' is a circular's wording, not the chamber's.",
}
SPEC["393113"] = {  # CA Bergeracoise: récapitulation, each item followed by its bracketed follow-up label
    "meta": meta("Communauté d'agglomération bergeracoise", "epci", "24", link="not_linkable", date="2016-08-03",
                 chamber="CRC Aquitaine, Limousin, Poitou-Charentes", seat="24037"),
    "items": [("R", 53, None, EN_COURS, {"alt": [P(148, 0, 247)]}), ("R", 55, None, EN_COURS),
              ("R", 57, None, EN_COURS, {"alt": [P(165, 0, 241)]}),
              ("R", 59, None, EN_COURS, {"alt": [P(243, 0, 286)]}), ("R", 62, None, EN_COURS),
              ("R", 64, None, EN_COURS, {"alt": [P(290, 0, 149)]}),
              ("R", 66, None, FAIT, {"alt": [P(314, 0, 140)]}),
              ("R", 68, None, NON, {"alt": [P(328, 0, 225)]}),
              ("R", 70, None, EN_COURS, {"alt": [P(337, 0, 112)]}), ("R", 73, None, EN_COURS),
              ("R", 75, None, EN_COURS, {"alt": [P(525, 0, 242)]}),
              ("R", 78, None, EN_COURS, {"alt": [P(660, 0, 251)]})],
    "note": "Each récapitulation item is followed by '[Recommandation juridique / de gestion … mise en œuvre / à "
            "suivre]': partiellement → en_cours, mise en œuvre → totalement, à suivre → non (legend l. 42-50). "
            "The body restates most items as 'la chambre a (donc) recommandé' (this audit's own, said in the "
            "past of the provisional stage): alts. L. 306 ('il est rappelé … la nécessité') is not a rappel. The "
            "2013 CAB merged with CC des Coteaux de Sigoulès on 1 Jan 2017; the reference's CA Bergeracoise "
            "(200070647) is that new entity: not_linkable.",
}
SPEC["393808"] = {  # CC Loire Divatte (SPANC survey): no list, two in-paragraph rappels
    "meta": meta("Communauté de communes Loire Divatte", "epci", "44", link="not_linkable", year=2016,
                 year_source="notification", seat="44029"),
    "items": [("A", 134, None, None, {"part": [0, 239]}), ("A", 479, None, None, {"part": [0, 121]})],
    "note": "Thematic report (SPANC survey); no recommendation. No date of the final deliberation; the letter's "
            "date is blank in the source: year from the catalogue date (the notification letter, 26 Aug 2016). "
            "Merged into CC Sèvre et Loire (2017): absent from the reference. Seat La Chapelle-Basse-Mer, now "
            "Divatte-sur-Loire (44029).",
}
SPEC["389391"] = {  # SARL Scrim Île-de-France (subsidiary of the Levallois-Perret SEM): no item
    "meta": meta("SARL Scrim Île-de-France", "autre", "92", date="2016-01-27", chamber="CRC Île-de-France"),
    "items": [],
    "note": "No recommendation, rappel, in-paragraph cue or follow-up section (the 2010 report is cited in "
            "passing). The procedure (l. 8) prints the deliberation as 27 January 2015, which cannot be: the "
            "report cites an interview of 26 May 2015 (notes 73, 79) and was notified on 3 Feb 2016; the year is a "
            "typo, date recorded as 2016-01-27. A private company (SARL) owned by a SEM: kind autre; département "
            "92 from the text (Levallois-Perret), no siège stated: seat null.",
}
SPEC["391376"] = {  # SMTC du Territoire de Belfort: empty recapitulation, in-paragraph items
    "meta": meta("Syndicat mixte des transports en commun du Territoire de Belfort", "syndicat", "90",
                 date="2016-01-07", chamber="CRC Bourgogne, Franche-Comté", seat="90068"),
    "items": [("A", 28, None, None, {"part": [200, 418],
                                     "alt": [P(300, 0, 96), P(324, 0, 73), P(467, 81, 232)]}),
              ("R", 29, None, None, {"part": [235, 386], "alt": [P(513, 0, 161), P(514, 1, 110)]}),
              ("R", 460, None, None, {"part": [0, 233]}),
              ("R", 494, None, None, {"part": [0, 82]}),
              ("A", 513, None, None, {"part": [162, 322]})],
    "note": "The heading 'récapitulatif des recommandations' (l. 31) is followed by an empty paragraph in the "
            "source. The synthèse's rappel (l. 28: commitment accounting, accruals, ICNE) is the first "
            "occurrence; the body's three rappels each restate one component (alts). Recommendation on the "
            "seconded teacher: synthèse l. 29 gold, body l. 513 and the boxed l. 514 alts. Seat Meroux (letter), "
            "now Meroux-Moval (90068).",
}
SPEC["390961"] = {  # CHI 3H Santé (Blâmont, Badonviller, Cirey-sur-Vezouze): Grand Est lists at the end
    "meta": meta("Centre hospitalier intercommunal de Blâmont, Badonviller et Cirey-sur-Vezouze", "hopital", "54",
                 date="2015-11-05", chamber="CRC Champagne-Ardenne, Lorraine"),
    "items": [("A", 526, None, None, {"alt": [P(58, 0, 250)]}),
              ("A", 527, None, None, {"alt": [P(220, 0, 264), P(224, 0, 157)]}),
              ("A", 528, None, None, {"alt": [P(245, 0, 185)]}),
              ("R", 530, None, None, {"alt": [P(42, 81, 163)]}), ("R", 531, None, None, {"alt": [P(50, 0, 122)]}),
              ("R", 532, None, None), ("R", 533, None, None), ("R", 534, None, None, {"alt": [P(248, 0, 172)]}),
              ("R", 535, None, None)],
    "note": "'Rappel du droit et recommandations' lists at the end (l. 524-535), unnumbered. Body sentences "
            "restating them (whatever the verb: invite l. 50, demande l. 220 on the provisions) are alts. L. 160 "
            "(invite, a misbooked subsidy) is an observation; l. 437 recalls a fact. Seat null: three sites, no "
            "siège stated, no letter.",
}


def _cell(k):
    """The k-th TAB-separated cell after the first one of a paragraph holding a whole list in one table
    cell row (a cover box): skip k cells, cut at the next TAB. Generic patterns, no report text."""
    return {"skip": r"(?:[^\t]*\t){" + str(k) + "}", "cut": r"\t"}


SPEC["388760"] = {  # Saint-Lô: the cover box holds the whole list in one TAB-separated paragraph (l. 28)
    "meta": meta("Commune de Saint-Lô", "commune", "50", "50502", date="2015-11-25", chamber="CRC Normandie"),
    "items": [("R", 28, None, None, {**_cell(4), "alt": [P(165, 0, 298)]}),
              ("R", 28, None, None, {**_cell(5), "alt": [P(230, 0, 265)]}),
              ("R", 28, None, None, {**_cell(6), "alt": [P(325, 0, 169)]}),
              ("R", 28, None, None, {**_cell(10), "alt": [P(442, 55, 294), P(749, 0, 250), P(1007, 0, 349)]}),
              ("R", 28, None, None, {**_cell(11), "alt": [P(630, 230, 407)]}),
              ("R", 28, None, None, {**_cell(12), "alt": [P(869, 0, 173)]}),
              ("R", 28, None, None, _cell(13)),
              ("R", 28, None, None, {**_cell(14), "alt": [P(530, 0, 279), P(541, 0, 252)]}),
              ("R", 28, None, None, {**_cell(15), "alt": [P(427, 0, 257)]}),
              ("A", 28, None, None, _cell(19)),
              ("A", 28, None, None, {**_cell(20), "alt": [P(606, 0, 229)]}),
              ("A", 28, None, None, {**_cell(21), "alt": [P(681, 0, 324)]}),
              ("A", 771, None, None, {"part": [0, 76]}),
              ("A", 803, None, None, {"part": [0, 180]}),
              ("S", 48, None, FAIT, {"part": [0, 150]}), ("S", 49, None, FAIT, {"part": [148, 253]}),
              ("S", 49, None, FAIT, {"part": [254, 429]}), ("S", 50, None, NON, {"part": [0, 162]})],
    "note": "L. 28 is one paragraph holding the cover box: 'Principales recommandations' (9 items under two "
            "sub-headings) and 'Obligations de faire' (3 legal obligations, counted as rappels like convention "
            "4's 'rappels d'obligations juridiques'); each item is one TAB cell, resolved with skip/cut (no "
            "in_paragraph). Body sentences restating a component of an item are alts, whatever the verb. Suivi: "
            "'Suites du précédent contrôle' (l. 45-52, 2011 report): FJT budget transfer, provisions, tariffs for "
            "non-residents (done), the intermediary association bought without competition (no change). "
            "Chamber: 'CRC de Normandie' in the letter head (the 2011 audit was Basse-Normandie's). L. 814 (what the "
            "GIPA guarantees) is a definition, not a rappel.",
}
_NON_INLINE = {"cut": r"\s*Non mise en (?:oeuvre|œuvre)\.?\s*$"}
SPEC["394646"] = {  # CC Roussillon Conflent: empty summary heading, two boxed recommendations with their status
    "meta": meta("Communauté de communes Roussillon Conflent", "epci", "66", siren="246600415", date="2016-06-15",
                 seat="66088"),
    "items": [("A", 68, None, None, {"part": [379, 563]}),
              ("R", 173, None, NON, _NON_INLINE), ("R", 235, None, NON, _NON_INLINE)],
    "note": "The summary heading 'RECOMMANDATIONS' (l. 31) has no list after it (empty in the HTML too); the "
            "body boxes 'Recommandation' (l. 172, 234) each end with the inline status 'Non mise en oeuvre', cut "
            "from the text. L. 233 ('il convient de rappeler') is not one of convention 1's forms; l. 62 "
            "(est invitée) is an observation. Catalogue row has no département (66, from the title).",
}
_OBLIG = {"skip": r"Obligation de faire n°\s*\d+\s*:\s*"}
SPEC["397410"] = {  # EHPAD public de Sceaux: "Obligation de faire n° N" and "Recommandation n° N", repeated in the body
    "meta": meta("EHPAD public de Sceaux (Maison de retraite Marguerite Renaudin)", "etablissement_public", "92",
                 date="2016-11-30", chamber="CRC Île-de-France", seat="92071"),
    "items": [("A", 5, "1", None, {**_OBLIG, "alt": [{"line": 284, **_OBLIG}]}),
              ("A", 6, "2", None, {**_OBLIG, "alt": [{"line": 414, **_OBLIG}]}),
              ("A", 7, "3", None, {**_OBLIG, "alt": [{"line": 757, **_OBLIG}]}),
              ("R", 9, "1", EN_COURS, {"skip": r"partiellement mise en œuvre\s*:\s*",
                                       "alt": [{"line": 408, "skip": r"partiellement mise en œuvre\s*:\s*"}]}),
              ("R", 10, "2", None, {"alt": [{"line": 605, "skip": r"\d+\s*:\s*"}]}),
              ("R", 11, "3", None, {"alt": [579]}),
              ("R", 12, "4", None, {"alt": [{"line": 664, "skip": r"°\s*\d+\s*:\s*"}]}),
              ("R", 13, "5", None, {"alt": [741]}), ("R", 14, "6", None, {"alt": [794]}),
              ("A", 139, None, None, {"part": [0, 141]})],
    "note": "'Obligations de faire' (legal obligations) counted as rappels, numbered as printed. Rec 1's label "
            "says 'partiellement mise en œuvre' → en_cours (label part skipped). Body labels 'Recommandation 2 :' "
            "and 'Recommandation°4 :' need a skip. L. 139: members of the GCSMS are bound by its debts (a legal "
            "rule) → rappel; l. 756 recalls a fact.",
}
SPEC["391061"] = {  # Syndicat mixte Doubs Très Haut Débit: no item
    "meta": meta("Syndicat mixte Doubs Très Haut Débit", "syndicat", "25", date="2015-10-26", seat="25056"),
    "items": [],
    "note": "No recommendation, rappel or in-paragraph cue (l. 301's 'comme le rappelle le préfet' is the "
            "prefect's). Seat Besançon from the letter's address.",
}
SPEC["393076"] = {  # Guebwiller: empty summary list; ten boxed recommendations in the body
    "meta": meta("Commune de Guebwiller", "commune", "68", "68112", chamber="CRC Alsace", year=2016,
                 year_source="notification"),
    "items": [("R", 76, None, None), ("R", 85, None, None), ("R", 123, None, None, {"alt": [P(122, 0, 302)]}),
              ("R", 163, None, None),
              ("R", 339, None, None, {"alt": [P(29, 343, 596), P(338, 0, 257)]}),
              ("R", 379, None, None, {"alt": [P(370, 818, 1052)]}), ("R", 389, None, None),
              ("R", 472, None, None, {"alt": [P(434, 428, 556)]}), ("R", 497, None, None), ("R", 508, None, None),
              ("A", 484, None, None, {"part": [0, 319]}), ("A", 526, None, None, {"part": [0, 678]})],
    "note": "'Liste des recommandations' (l. 34) is empty in the source (a generated list lost); the ten "
            "recommendations are the body's boxed paragraphs (style 'recommandations', unnumbered). L. 526: the "
            "recalled article is quoted in full (two sentences), kept in the span. The workshops section "
            "(l. 486-497) revisits the earlier audit's findings but has no follow-up heading: no suivi item. No "
            "stated date of the final deliberation: year from the notification letter (12 Sept 2016). Chamber "
            "'d'Alsace' as named in the procedure (l. 17).",
}
SPEC["394866"] = {  # Office de tourisme d'Honfleur: "Principales recommandations" list, body "recommande" paragraphs
    "meta": meta("Office de tourisme d'Honfleur", "office_tourisme", "14", date="2016-09-29", chamber="CRC Normandie",
                 seat="14333"),
    "items": [("R", 36, None, None, {"alt": [P(280, 0, 221), P(283, 0, 237)]}),
              ("R", 37, None, None, {"alt": [P(314, 0, 253)]}),
              ("R", 38, None, None, {"alt": [P(334, 0, 221), P(335, 0, 259)]}),
              ("R", 39, None, None, {"alt": [P(345, 0, 236)]}),
              ("R", 40, None, None, {"alt": [P(359, 0, 124)]}),
              ("R", 41, None, None, {"alt": [P(367, 0, 152)]}),
              ("A", 268, None, None, {"part": [0, 220]}),
              ("A", 286, None, None, {"part": [0, 156]}),
              ("R", 345, None, None, {"part": [237, 478]}),
              ("R", 381, None, None, {"part": [0, 237]}),
              ("R", 386, None, None, {"part": [0, 153]}),
              ("R", 396, None, None, {"part": [0, 251]})],
    "note": "L. 280 recalls the article that forbids the same agent being ordonnateur and régisseur: the legal "
            "basis of rec 1, an alt (convention 1). 'Comme il s'y est engagé' in the body is an intention, not a "
            "status. L. 365 ('conduisent la chambre à recommander', infinitive) introduces l. 367; l. 313 "
            "(demande) is an observation. Chamber 'CRC Normandie' from the letter head.",
}
_REC_STATUS = {"cut": r"\s*Recommandation (?:réitérée|partiellement mise en (?:œuvre|oeuvre)|non mise en (?:œuvre|oeuvre)"
                      r"|mise en (?:œuvre|oeuvre))\.?\s*$"}
SPEC["393441"] = {  # Le Grau-du-Roi: empty summary heading; boxed recommendations ending with their status
    "meta": meta("Commune du Grau-du-Roi", "commune", "30", "30133", date="2016-04-21"),
    "items": [("R", 105, None, None, _REC_STATUS), ("R", 141, None, EN_COURS, _REC_STATUS),
              ("R", 153, None, NON, _REC_STATUS), ("R", 173, None, NON, _REC_STATUS), ("R", 174, None, NON, _REC_STATUS),
              ("A", 212, None, None, {"part": [0, 514]}),
              ("R", 365, None, EN_COURS, _REC_STATUS), ("R", 447, None, NON, _REC_STATUS)],
    "note": "The summary heading 'RECOMMANDATIONS' (l. 31) has no list after it; the body boxes end with an "
            "inline status sentence, cut from the text: 'partiellement mise en œuvre' → en_cours, 'non mise en "
            "œuvre' → non; l. 105 says 'Recommandation réitérée' (repeated from the earlier report), no status. "
            "Earlier-report mentions (l. 63, 119, 375, 378, 393) are scattered, no follow-up section. Catalogue "
            "row has no département (Gard, from the text).",
}
SPEC["391290"] = {  # EPIC Jazz à Vienne: unnumbered list after the synthèse, body "recommande" sentences
    "meta": meta("Établissement public industriel et commercial Jazz à Vienne", "etablissement_public", "38",
                 date="2015-09-23", chamber="CRC Auvergne, Rhône-Alpes", seat="38544"),
    "items": [("R", 35, None, None), ("R", 36, None, None, {"alt": [P(30, 528, 634)]}),
              ("R", 37, None, None, {"alt": [P(381, 0, 299)]}), ("R", 38, None, None, {"alt": [P(365, 0, 255)]}),
              ("R", 33, None, None, {"part": [0, 213], "alt": [P(339, 0, 315)]}),
              ("R", 387, None, None, {"part": [0, 142]})],
    "note": "The synthèse's 'facilités de trésorerie' recommendation (l. 33, restated l. 339) is not the listed "
            "equity item (rec 1, on which the chamber only notes a commitment): a new unlisted item. L. 381 "
            "(the ticket funds handled by the tourist office) is a component of the régies item: alt.",
}
SPEC["393366"] = {  # Rennes Métropole: list grouped under "En matière de …" sub-headings
    "meta": meta("Rennes Métropole", "epci", "35", siren="243500139", date="2016-04-26", chamber="CRC Bretagne",
                 seat="35238"),
    "items": [("R", n, None, None) for n in (56, 57, 59, 60, 62, 63, 64)]
             + [("R", 66, None, None, {"alt": [P(249, 453, 585)]}), ("R", 67, None, None), ("R", 69, None, None)],
    "note": "Items end with their section reference '(cf. …)', part of the printed item (as 390765). L. 249 "
            "('il est rappelé l'obligation' of consistent pay documents) restates the individual-bonus-order "
            "item: alt. L. 73 says most observations of the 2010 report (waste) were followed except three points "
            "discussed later in the body: no follow-up section, no suivi item.",
}
SPEC["400419"] = {  # SMTUS (Sambre): Hauts-de-France status tables
    "meta": meta("Syndicat mixte des transports urbains de la Sambre", "syndicat", "59", date="2016-01-19"),
    "items": [("A", 19, None, NON), ("A", 20, None, EN_COURS, {"alt": [P(77, 0, 238)]}), ("A", 21, None, NON),
              ("A", 22, None, EN_COURS, {"alt": [P(125, 169, 360)]}),
              ("R", 25, None, EN_COURS, {"alt": [P(122, 0, 267)]})],
    "note": "The 'invite' sentence of l. 125 restates the provisions rappel (alt). No letter, no siège stated: "
            "seat null.",
}
SPEC["392751"] = {  # EPLEFPA des Pyrénées-Atlantiques: récapitulation, every item "partiellement mise en œuvre"
    "meta": meta("Établissement public local d'enseignement et de formation professionnelle agricole des "
                 "Pyrénées-Atlantiques", "etablissement_public", "64", date="2016-06-10", seat="64399"),
    "items": [("R", 49, None, EN_COURS, {"alt": [P(314, 0, 168)]}),
              ("R", 51, None, EN_COURS, {"alt": [P(319, 0, 150)]}),
              ("R", 53, None, EN_COURS, {"alt": [P(330, 0, 238)]}),
              ("R", 56, None, EN_COURS, {"alt": [P(342, 0, 339)]}),
              ("R", 58, None, EN_COURS, {"alt": [P(382, 0, 172)]}),
              ("R", 60, None, EN_COURS, {"alt": [P(387, 0, 152)]}),
              ("R", 62, None, EN_COURS, {"alt": [P(394, 0, 171)]}),
              ("R", 65, None, EN_COURS, {"alt": [P(436, 0, 82)]}),
              ("R", 67, None, EN_COURS, {"alt": [P(442, 0, 131)]}),
              ("R", 69, None, EN_COURS, {"alt": [P(464, 0, 218)]}),
              ("R", 72, None, EN_COURS, {"alt": [P(667, 0, 146)]}),
              ("A", 421, None, None, {"part": [0, 312]})],
    "note": "Récapitulation grouped by chapter, each item followed by '[Recommandation partiellement mise en "
            "œuvre]' → en_cours (the legend counts an engagement as partial implementation). Each is restated in "
            "the body as 'la chambre a recommandé' (this audit's, past of the provisional stage): alts. The "
            "body's 'cette recommandation sera mise en œuvre' answers are intentions. L. 421: a decree's payment "
            "deadline recalled → rappel.",
}
SPEC["392759"] = {  # Challans: "Recommandation unique" (label and text on separate paragraphs), repeated in the body
    "meta": meta("Commune de Challans", "commune", "85", "85047", year=2016, year_source="notification"),
    "items": [("R", 42, None, None, {"alt": [73]})],
    "note": "'Recommandation unique' printed without a number: number null. No stated date of the final "
            "deliberation (the report head prints only 'Nantes, le 31 mars 2016'): year from the notification "
            "letter (4 May 2016).",
}
SPEC["393710"] = {  # Association AGD-CFA La Noue (Longvic): one labelled recommendation, repeated in the body
    "meta": meta("Association de gestion et de développement du centre de formation d'apprentis interprofessionnel "
                 "de la Côte-d'Or (AGD-CFA La Noue)", "association", "21", date="2016-04-06",
                 chamber="CRC Bourgogne, Franche-Comté", seat="21355"),
    "items": [("R", 55, None, None, {"alt": [268, P(267, 0, 201)]}),
              ("A", 206, None, None, {"part": [0, 1155]})],
    "note": "The label 'Recommandation :' is stripped; the item's text is the 'la chambre recommande' sentence. "
            "L. 267 (invite: organise competition at the next renewal) is a component: alt. L. 206: the recalled "
            "article is quoted over several sentences, span to the end of the quote's commentary sentence. "
            "L. 460 (encourage) is an observation. Catalogue row has no département (Côte-d'Or, from the title).",
}
SPEC["400588"] = {  # SEDA (SEM of the Aisne département): Hauts-de-France status table
    "meta": meta("Société d'équipement du département de l'Aisne (SEDA)", "sem", "02", date="2016-03-29"),
    "items": [("R", 17, None, EN_COURS), ("R", 18, None, EN_COURS), ("R", 19, None, EN_COURS)],
    "note": "All three ticked 'En cours de réalisation'. No letter and no siège stated: seat null.",
}
SPEC["389905"] = {  # CH de Ruffec: récapitulation "Recommandations à mettre en œuvre", numbered "1 -"
    "meta": meta("Centre hospitalier de Ruffec", "hopital", "16", chamber="CRC Aquitaine, Limousin, Poitou-Charentes",
                 year=2016, year_source="notification", seat="16292"),
    "items": [("R", 45, "1", NON, {"alt": [P(132, 0, 129), P(158, 0, 256)]}),
              ("R", 46, "2", NON, {"alt": [P(167, 0, 254)]})],
    "note": "Listed under 'Recommandations à mettre en œuvre' → non_mise_en_oeuvre (as 260232, 389746). The body's "
            "'demande' sentences (l. 158, 167) restate them; l. 132 ('il est rappelé' + the decree governing the "
            "on-call allowances, quoted in l. 133-136) is the legal basis of rec 1: alt. L. 117 ('il est rappelé' "
            "+ what an indicator means) is a definition. The procedure gives no date of the final deliberation "
            "(the head says the chamber 'a examiné le 1er mars 2016' the management, the day of the hearing): "
            "date left null, year from the notification letter (28 Apr 2016).",
}
SPEC["393196"] = {  # CC Ouest Anjou (SPANC survey): no list, one in-paragraph rappel
    "meta": meta("Communauté de communes Ouest Anjou", "epci", "49", link="not_linkable", year=2016,
                 year_source="notification", seat="49026"),
    "items": [("A", 265, None, None, {"part": [0, 532]})],
    "note": "Thematic report (SPANC survey); no recommendation. No stated date of the final deliberation (the "
            "report head prints 'Le 17 mai 2016' only): year from the notification letter (1 July 2016). Merged "
            "into CC des Vallées du Haut-Anjou (2017): absent from the reference. Seat Bécon-les-Granits (letter).",
}
SPEC["394848"] = {  # CH de Mâcon, first volume (hospital information systems): no item
    "meta": meta("Centre hospitalier de Mâcon", "hopital", "71", date="2016-06-06",
                 chamber="CRC Bourgogne, Franche-Comté", seat="71270"),
    "items": [],
    "note": "Thematic first volume (information systems survey). No recommendation or rappel; the only cue "
            "(l. 171, invite to update the IS master plan) is an observation under convention 1.",
}
SPEC["400627"] = {  # CC du canton de Montdidier: Hauts-de-France tables with cells over several paragraphs
    "meta": meta("Communauté de communes du canton de Montdidier", "epci", "80", link="not_linkable",
                 date="2016-05-17"),
    "items": [("A", [20, 21], None, NON, {"alt": [P(47, 349, 479)]}), ("A", 22, None, NON),
              ("A", [23, 24], None, NON, {"alt": [P(67, 308, 470), P(49, 450, 552)]}),
              ("A", [25, 26], None, NON),
              ("R", 29, None, NON, {"alt": [P(76, 0, 134)]}), ("R", 30, None, NON, {"alt": [P(110, 148, 227)]})],
    "note": "Three rappel cells run over two paragraphs each (sub-items after a colon). All ticked 'Non réalisé'. "
            "L. 102 ('rappelle' + what maîtrise d'ouvrage and d'œuvre are) is a definition. Merged with CC du "
            "Grand Roye (2017): absent from the reference. No letter or siège stated: seat null (the name is a "
            "canton's).",
}
SPEC["394041"] = {  # CC de la Pointe du Médoc: no list; "la CRC rappelle" sentences
    "meta": meta("Communauté de communes de la Pointe du Médoc", "epci", "33", link="not_linkable", date="2016-09-23",
                 chamber="CRC Aquitaine, Limousin, Poitou-Charentes", seat="33514"),
    "items": [("A", 83, None, None, {"part": [0, 220]}), ("A", 91, None, None, {"part": [0, 193]}),
              ("A", 200, None, None, {"part": [347, 654]}), ("A", 206, None, None, {"part": [484, 628]}),
              ("A", 240, None, None, {"part": [0, 276]})],
    "note": "No recommendation list. Rappels: laws transferring GEMAPI and PLU competences (l. 83, 240), the rule "
            "against splitting a competence (l. 91), the mandatory content of the staff annex (l. 200), the "
            "'jours du président' without legal basis (l. 206). Not rappels: l. 120 (a fact), l. 184 (vigilance "
            "over a loan, good management). Merged into CC Médoc Atlantique (2017): absent from the reference.",
}
SPEC["393190"] = {  # CC du Pays des Achards (SPANC survey): no list, one in-paragraph rappel
    "meta": meta("Communauté de communes du Pays des Achards", "epci", "85", siren="248500530", year=2016,
                 year_source="notification", seat="85152"),
    "items": [("A", [283, 284], None, None, {"part": [0, 257]})],
    "note": "Thematic report (SPANC survey); no recommendation; the rappel is a sentence cut over two paragraphs "
            "(l. 283-284). No stated date of the final deliberation (the report head prints 'Nantes, le 13 mai 2016' only): year from the notification letter (20 June 2016). "
            "Seat La Chapelle-Achard (letter), now Les Achards (85152).",
}
SPEC["393829"] = {  # CCI régionale de Franche-Comté: "Rappel au droit n° 1" and "Recommandation n° 1", repeated in the body
    "meta": meta("Chambre de commerce et d'industrie régionale de Franche-Comté", "etablissement_public", "25",
                 date="2016-07-06", chamber="CRC Bourgogne, Franche-Comté", seat="25056"),
    "items": [("A", 46, "1", None, {"alt": [472]}), ("R", 47, "1", None, {"alt": [876]})],
    "note": "The recommendation's text is its 'la chambre recommande' sentence after the label. Invite / "
            "encourage sentences (l. 137, 577, 864, 979, 990) are observations.",
}
SPEC["400270"] = {  # SAEM ACED (Pas-de-Calais, in liquidation): one recommendation in a Hauts-de-France table
    "meta": meta("Société anonyme d'économie mixte Aménageons, construisons ensemble durablement (ACED)", "sem", "62",
                 date="2016-03-23"),
    "items": [("R", 16, None, NON, {"alt": [P(79, 247, 406)]})],
    "note": "Ticked 'Non réalisée'. No letter, no siège stated: seat null.",
}
SPEC["392434"] = {  # Rivière-Saas-et-Gourby: récapitulation with a single "rappel d'obligation juridique"
    "meta": meta("Commune de Rivière-Saas-et-Gourby", "commune", "40", "40244", date="2016-07-21"),
    "items": [("A", 22, None, NON, {"alt": [P(39, 0, 214)]})],
    "note": "The only item is listed under 'Rappel d'obligation juridique à mettre en œuvre (engagement de "
            "l'ordonnateur)': a rappel (convention 4). Status: the group says 'à mettre en œuvre' → non (convention "
            "5); its qualifier names an engagement (which the Aquitaine legend counts as partial) — a hard call, "
            "decided on the status wording. L. 39 (the chamber 'ayant demandé' the same update) is an alt. The 2010 "
            "recommendations cited in the financial analysis (l. 46, 50) are not in a follow-up section.",
}
SPEC["393696"] = {  # Département de Loire-Atlantique: "Rappel du droit" (labelled "Recommandation unique") + other recs
    "meta": meta("Département de la Loire-Atlantique", "departement", "44", year=2016, year_source="notification",
                 seat="44109"),
    "items": [("A", [37, 39], None, None, {"alt": [[141, 143], P(134, 196, 260)]}),
              ("R", 41, None, None, {"alt": [75]}), ("R", 42, None, None, {"alt": [83]}),
              ("R", 43, None, None, {"alt": [118]}), ("R", 44, None, None, {"alt": [122]}),
              ("R", 45, None, None, {"alt": [321]})],
    "note": "Replaces 391836 in the draw (a two-page case sheet, not a report). Under the heading 'Rappel du droit :' "
            "the single item is labelled 'Recommandation unique' but states a legal obligation in three paragraphs "
            "(l. 37-39): kind rappel (the heading governs), number null; body copy l. 141-143 (alt), 'la chambre "
            "rappelle le caractère obligatoire' (l. 134) alt. 'Autres recommandations' (l. 41-45) keep their "
            "'(page N)' references. 'Le département suivra / a décidé de suivre la recommandation' (l. 76, 123) "
            "are the body's answers, not statuses. No stated date of the final deliberation (report head 'Nantes, "
            "le 23 juin 2016'): year from the notification letter (2 Aug 2016). Seat Nantes (letter). L. 131 ('il "
            "est rappelé' + what excessive provisions do to the result) is not a rappel.",
}
