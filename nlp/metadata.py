"""Report metadata from its text: chamber, audited body and its kind, département,
audited period, deliberation date, announced numbers of recommendations and rappels.

Read from the front of the report (letter, cover, procedure) where these are stated.
The body is linked to its INSEE/SIREN code by ``nlp.geo.link_body`` when available.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from constats.domain import Body, Document, ReportMetadata
from nlp.chambers import (
    DEPARTEMENT_NAMES,
    chamber_from_name,
    departement_code,
    departement_from_postcode,
)
from nlp.geo import link_body
from nlp.geo_chambers import canonical_chamber
from nlp.geo_chambers import chamber_for_departement as chamber_for_departement_in
from nlp.seat import HEADER_AFTER_CHAMBER, letter_date, seat_insee

FRONT_CHARS = 25_000
_MONTHS = {m: i for i, m in enumerate(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(), 1)}
_MONTHS.update({"fevrier": 2, "aout": 8, "decembre": 12})
_DATE = (r"(\d{1,2})(?:er)?\s+(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre"
         r"|novembre|d[ée]cembre)\s+(\d{4})")
#: (the look-ahead on the possible first letters, ``ſ`` included as ``re.I`` matches it with
#: ``s``, changes no match: it lets ``re`` skip the other characters fast, 3x faster)
_DELIB = re.compile(r"(?-i:(?=[sSdDaAſ]))(?:s[ée]ance|d[ée]lib[ée]r[ée]e?s?|d[ée]lib[ée]ration|arr[êe]t[ée]e?s?)"
                    r"[,\s]+(?:[^.;]{0,60}?[,\s])?"
                    r"(?:du|le|en date du)[,\s]+" + _DATE, re.I)
_CHAMBER = re.compile(r"chambre\s+r[ée]gionale\s+des\s+comptes\s+(?:de\s+la\s+|de\s+l['’]|des\s+|du\s+|de\s+|d['’])\s*"
                      r"(?P<name>[A-ZÉÎ][\w'’\-]+(?:(?:\s*,\s*|\s+et\s+|\s+|-)(?:de\s+la\s+|d['’]|de\s+)?[A-ZÉÎ][\w'’\-]+){0,4})")
_CTC = re.compile(r"chambre\s+territoriale\s+des\s+comptes\s+(?:de\s+la\s+|de\s+|d['’])\s*"
                  r"(?P<name>[A-ZÉ][\w\-]+)", re.I)
_PERIOD = re.compile(r"(?:exercices?|ann[ée]es?|p[ée]riode)\s+(?:\w+\s+){0,2}?(?P<a>(?:19|20)\d{2})\s*"
                     r"(?:(?P<suiv>et\s+(?:les\s+)?suivant(?:e)?s)"
                     r"|(?:[-–àa]|jusqu['’]à|au)\s*(?P<b>(?:19|20)\d{2}))", re.I)
_BODY = re.compile(
    r"(?:gestion|comptes)\s+(?:de\s+la\s+|du\s+|de\s+l['’]|des\s+|de\s+|d['’])\s*(?P<body>"
    r"(?:commune|ville|communaut[ée]|centre|syndicat|office|soci[ée]t[ée]|r[ée]gion|d[ée]partement|association"
    r"|[ée]tablissement|m[ée]tropole|groupement|chambre|SEM|SPL|SDIS|service|OPH|EPCC|CCAS|CIAS|GIP|EHPAD|CHU|"
    r"r[ée]gie|institut|maison|agence|h[ôo]pital|Habitat|EPIC|conseil)\b[^.;:\n\t|]{0,120}?)"
    r"(?=\s+(?:pour\s+les|au\s+cours|depuis|à\s+compter|sur\s+la\s+p[ée]riode|concernant|portant|,\s*pour|,\s*au|"
    r"en\s+ce\s+qui|et\s+(?:a|de)\s|,\s*ainsi|à\s+partir|(?:durant|pendant)\s|(?:a|ont)\s+(?:été|porté|fait)\b|"
    r"est\s|par\s+lettre)|\s*[.;,\n\t(|]|\s+exercices?)", re.I)  # "|": the next table cell
_COVER_BODY = re.compile(r"^\s*(?P<body>(?:COMMUNE|VILLE|COMMUNAUT[ÉE]|CENTRE|SYNDICAT|OFFICE|SOCI[ÉE]T[ÉE]|"
                         r"R[ÉE]GION|D[ÉE]PARTEMENT|ASSOCIATION|[ÉE]TABLISSEMENT|M[ÉE]TROPOLE|GROUPEMENT)\b.{3,120})$",
                         re.I | re.M)
_POSTCODE = re.compile(r"\b(\d{5})\s+[A-ZÉÈ][A-ZÉÈ\-' ]{2,}")
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize".split())}
_NUMBER_WORDS.update({"une": 1, "vingt": 20, "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19})
_N = r"(\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_COUNTED = re.compile(r"recommandations?\b|rappels?\s+(?:au|du|à\s+la)\s+(?:droit|r[ée]glementation|loi)", re.I)
_ANNOUNCED_BEFORE = re.compile(r"(?:formule|adresse|[ée]met|comporte|contient)\w*\s+(?:\w+\s+){0,3}?"
                               + _N + r"\s+$", re.I)
_N_WORD = re.compile(_N, re.I)
_BOTH_BEFORE = re.compile(_N + r"\s+rappels?\s+(?:au|du)\s+droit\s+et\s+" + _N + r"\s+$", re.I)

#: Body kind from its name: first match wins (CCAS before commune, syndicat before EPCI…).
KIND_RULES: list[tuple[str, str]] = [
    ("ccas", r"centre\s+(?:inter)?communal\s+d.action\s+sociale|\bc[ci]as\b"),
    ("office_tourisme", r"office\s+(?:\w+\s+)?(?:de|du)\s+tourisme|office\s+intercommunal\s+de\s+tourisme"),
    ("oph", r"office\s+public\s+(?:de\s+l.|d.)?(?:habitat|hlm)|\boph\b|\bopac\b|habitat\b"),
    ("hopital", r"centre\s+hospitalier|h[ôo]pita|\bchu\b|\bchr\b|hospitali|\behpad\b|maison\s+de\s+retraite"),
    # "société (anonyme) d'économie mixte (locale)", SAEM(L), SEML; a "société d'équipement" (SEDA, SODEMEL) is
    # the SEM d'aménagement of its département
    ("sem", r"soci[ée]t[ée]\s+(?:anonyme\s+)?d.[ée]conomie\s+mixte|\bsaeml?\b|\bseml?\b|soci[ée]t[ée]\s+publique"
            r"\s+locale|\bspl\b|soci[ée]t[ée]\s+d.[ée]quipement\b"),
    ("syndicat", r"syndicat|\bsivu\b|\bsivom\b|\bsyndicats?\b"),
    ("epci", r"communaut[ée]\s+(?:de\s+communes|d.agglom[ée]ration|urbaine)|m[ée]tropole|\bepci\b"),
    ("association", r"association"),
    ("departement", r"^(?:le\s+)?(?:d[ée]partement|conseil\s+(?:d[ée]partemental|g[ée]n[ée]ral))\b"),
    ("region", r"^(?:la\s+)?(?:r[ée]gion|conseil\s+r[ée]gional)\b"),
    ("commune", r"^(?:la\s+)?(?:commune|ville)\b"),
    ("etablissement_public", r"[ée]tablissement\s+public|\bepcc\b|\bsdis\b|service\s+d[ée]partemental|\bgip\b|"
                             r"groupement\s+d.int[ée]r[êe]t|chambre\s+de|r[ée]gie|\bepic\b|institut|agence"),
]


def body_kind(name: str) -> str:
    low = name.lower()
    for kind, rx in KIND_RULES:
        if re.search(rx, low):
            return kind
    return "autre"


def _date(m: re.Match, offset: int = 1) -> date | None:
    day, month, year = m.group(offset), m.group(offset + 1).lower(), m.group(offset + 2)
    month_n = _MONTHS.get(month) or _MONTHS.get(month.replace("é", "e").replace("û", "u"))
    if month_n is None:
        return None
    try:
        return date(int(year), month_n, int(day))
    except (TypeError, ValueError):
        return None


_ANY_DATE = re.compile(_DATE, re.I)
#: the sentence of the procedure that states the final deliberation, whatever the order of its
#: words: "la chambre a, le 12 mai 2016, arrêté ses observations définitives", "Ont participé au
#: délibéré, qui s'est tenu le …", "Lors de sa séance du même jour, la chambre a arrêté les
#: observations définitives" (the day of the hearing stated just before)
_FINAL = re.compile(r"observations\s+d[ée]finitives|\bau\s+d[ée]lib[ée]r[ée]\b"
                    r"|d[ée]lib[ée]r[ée]es?\s+le\b|d[ée]lib[ée]r[ée]e?s?\s+(?:à|par)\s+la\s+chambre\s+le\b"
                    # "la chambre a arrêté dans sa séance du 3 septembre 2015 les observations présentées
                    # ci-après" (no "définitives": what follows is the report)
                    r"|observations\s+(?:pr[ée]sent[ée]es\s+|formul[ée]es\s+)?ci-apr[èe]s", re.I)
_FINAL_VERB = re.compile(r"arr[êe]t|d[ée]lib[ée]r", re.I)
_NOT_FINAL = re.compile(r"provisoires?|pr[ée]c[ée]dent|ant[ée]rieur|dernier\s+rapport|relatif\s+aux\s+exercices"
                        r"|notifi|r[ée]ponse|transmis|adress[ée]|communiqu", re.I)
#: a letter's date between the statement and a date ("Objet : Rapport d'observations définitives
#: … Par lettre du 13 octobre 2016"): not the deliberation's
_LETTER_BETWEEN = re.compile(r"\blettre\s+du\b|\bcourrier\b", re.I)
#: a procedure table's row "Délibéré de la chambre | 10/11/2016" (the last such row is the final one)
_TABLE_DELIB = re.compile(r"^\s*D[ée]lib[ée]r[ée]\s+(?:de|par)\s+la\s+chambre\s*(?:\t|\s\|\s|\s{2,})\s*"
                          r"(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b", re.I | re.M)


#: the last word of a line that needs the next one (an article, a preposition)
_OPEN_END = re.compile(r"(?:^|[\s(])(?:de|du|des|la|le|les|l['’]|d['’]|et|à|au|aux|en|sur)$", re.I)


#: a line that opens the letter's address ("à Monsieur le Maire"): never the end of a sentence above
_ADDRESSEE = re.compile(r"à\s+(?:Monsieur|Madame|M\.|Mme)\b")


def _soft_breaks(text: str) -> str:
    """The text with the line breaks that fall inside a sentence made spaces (same length, same
    offsets): a producer that keeps each printed line breaks "la gestion de la commune de" /
    "Mézidon-Canon" or "la chambre a" / "arrêté, le 24 novembre 2015, le présent rapport". A break
    is soft when the next line opens in lower case or on a digit after a word, a digit or a comma,
    or when the line ends on a word that needs the next ("de", "du", "la", "d’" …)."""

    def join(m: re.Match) -> str:
        i = m.start()
        before, after = text[max(0, i - 8):i], text[i + 1:i + 2]
        if not after or after.isspace() or _ADDRESSEE.match(text, i + 1):
            return "\n"
        if (after.islower() or after.isdigit()) and (before[-1:].isalnum() or before[-1:] == ","):
            return " "
        return " " if _OPEN_END.search(before) else "\n"

    return re.sub(r"\n", join, text)


_TEXT_DATED = re.compile(r"\b(?:loi|d[ée]cret|ordonnance|arr[êe]t[ée]|circulaire|instruction)"
                         r"(?:\s+n\s*[°o]\s*[\w./-]+)?\s+du\s*$", re.I)


def _letter_dated(text: str, x: re.Match) -> bool:
    """A letter's date: "Par lettre du 13 octobre 2016", or a head line "(Metz, )le 15 juin 2016";
    or a text's: "la loi du 17 juillet 1978", "l'arrêté n° 15-138 du 16 février 2015"."""
    before = text[max(0, x.start() - 40):x.start()]
    if _LETTER_BETWEEN.search(before[-20:]) or _TEXT_DATED.search(before):
        return True
    a = text.rfind("\n", 0, x.start()) + 1
    b = text.find("\n", x.end())
    line = text[a:len(text) if b < 0 else b]
    return bool(re.fullmatch(r"\s*(?:[^\W\d][\w'’ -]{0,40},\s*)?le\s+" + _DATE + r"\s*", line, re.I))


def _final_deliberation(text: str) -> date | None:
    """The date nearest to a statement of the final deliberation (see ``_FINAL``), with nothing
    between them that speaks of another stage (provisional observations, notification…)."""
    for m in _FINAL.finditer(text):
        if m.group(0)[:1] in "dD" and _NOT_FINAL.search(text[max(0, m.start() - 40):m.start()]):
            continue  # "les observations provisoires délibérées le 8 septembre 2015"
        a = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        b = text.find(". ", m.end())
        b = len(text) if b < 0 else b
        sentence = text[a:b]
        if not _FINAL_VERB.search(sentence):
            continue
        best: tuple[int, date] | None = None
        for x in _ANY_DATE.finditer(text, a, b):
            lo, hi = (x.end(), m.start()) if x.end() <= m.start() else (m.end(), x.start())
            between = text[lo:hi]
            if hi - lo > 200 or _NOT_FINAL.search(between) or _LETTER_BETWEEN.search(between) \
                    or _ANY_DATE.search(between) or _letter_dated(text, x):
                continue
            d = _date(x)
            if d and (best is None or hi - lo < best[0]):
                best = (hi - lo, d)
        if best:
            return best[1]
        if "même jour" in sentence and not _NOT_FINAL.search(sentence):
            before = list(_ANY_DATE.finditer(text, max(0, a - 300), a))
            if before:
                return _date(before[-1])
    return None


def deliberation_date(text: str) -> date | None:
    """The date the chamber adopted the final observations (not the provisional ones)."""
    text = _soft_breaks(text)
    final = _final_deliberation(text)
    if final:
        return final
    rows = _TABLE_DELIB.findall(text)
    if rows:
        day, month, year = rows[-1]
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            pass
    best: tuple[int, date] | None = None
    for m in _DELIB.finditer(text):
        d = _date(m)
        if d is None:
            continue
        window = text[max(0, m.start() - 150): m.end() + 200].lower()
        sentence_end = text.find(".", m.end())
        sentence = text[max(0, text.rfind(".", 0, m.start())):
                        sentence_end if sentence_end > 0 else m.end() + 200].lower()
        if "provisoire" in sentence and "définitiv" not in sentence:
            continue
        score = 3 if "définitiv" in sentence or "arrêt" in sentence else 1 if "définitiv" in window else 0
        if re.match(r"d[ée]lib[ée]r[ée]", m.group(0), re.I):
            score = max(score, 2)
        if "chambre" not in sentence and "définitiv" not in sentence or _NOT_FINAL.search(sentence):
            score = 0  # a council's deliberation, an earlier report's, the provisional stage
        if best is None or score > best[0]:
            best = (score, d)
    return best[1] if best and best[0] > 0 else None


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


def announced_counts(text: str) -> tuple[int | None, int | None]:
    """``(recommendations, rappels)`` as announced ("la chambre formule trois recommandations").

    Looks back from each "recommandations" / "rappels au droit" (a fast literal scan) rather
    than running the whole pattern over a long report.
    """
    rec = rap = None
    for m in _COUNTED.finditer(text):
        before = text[max(0, m.start() - 160): m.start()]
        # both patterns end in "<number>\s+$": the last word must be a number (cheap test first)
        head = before.rstrip()
        if len(head) == len(before) or not head or not _N_WORD.fullmatch(head.rsplit(None, 1)[-1]):
            continue
        if m.group(0).lower().startswith("recommandation"):
            both = _BOTH_BEFORE.search(before)
            if both and rap is None and rec is None:
                return _number(both.group(2)), _number(both.group(1))
            found = _ANNOUNCED_BEFORE.search(before)
            if found and rec is None:
                rec = _number(found.group(1))
        else:
            found = _ANNOUNCED_BEFORE.search(before)
            if found and rap is None:
                rap = _number(found.group(1))
        if rec is not None and rap is not None:
            break
    return rec, rap


def find_chamber(front: str) -> str | None:
    """The chamber as the report names it ("CRC Aquitaine, Poitou-Charentes" in 2015)."""
    for rx in (_CHAMBER, _CTC):
        m = rx.search(front)
        if m:
            name = m.group(0)
            for cut in (len(name), *[i for i in range(len(name), 0, -1) if name[i - 1] in ", "]):
                canonical = _canonical(name[:cut])  # the longest prefix that is a known chamber
                if canonical:
                    return canonical
            return chamber_from_name(m.group("name"))
    return None


def _canonical(text: str) -> str | None:
    return canonical_chamber(text)


def _chamber_for(departement: str, year: int | None) -> str | None:
    return chamber_for_departement_in(departement, year)


#: the body's name in the page header beside the chamber's ("Chambre régionale des comptes
#: Île-de-France | Centre hospitalier de Houdan"), when neither the text nor the cover names it
_HEADER_BODY = re.compile(HEADER_AFTER_CHAMBER + r"(?P<body>(?:commune|ville|communaut[ée]|centre|syndicat"
                          r"|office|soci[ée]t[ée]|r[ée]gion|d[ée]partement|association|[ée]tablissement|m[ée]tropole"
                          r"|groupement)\b[^\n\t]{3,120})$", re.I | re.M)


def find_body_name(front: str) -> str | None:
    # a cover line in capitals that names a place ("COMMUNE DE GRAVELINES") is the audited body, before
    # any body the text speaks of ("la gestion de la communauté urbaine de Dunkerque …")
    for cover in _COVER_BODY.finditer(front[:1500]):
        body = cover.group("body").strip()
        if body.isupper() and re.search(r"\s(?:DE|DU|DES|D['’])\s*[A-ZÉÈÎ]", body):
            return _tidy_name(_with_cover_continuation(body, front, cover.end()))
    m = _BODY.search(_soft_breaks(front))
    if m:
        return _tidy_name(m.group("body"))
    m = _COVER_BODY.search(front[:6000])
    if m:
        return _tidy_name(m.group("body"))
    m = _HEADER_BODY.search(front[:2000])
    if m:
        return _tidy_name(re.sub(r"^(commune|ville)\s*[-–]\s*", r"\1 de ", m.group("body"), flags=re.I))
    return None


#: a cover name that cannot end where its line does: a quotation left open, a last word that
#: needs the next ("… DE LA"), or a legal form alone ("COMMUNAUTE D'AGGLOMERATION")
_OPEN_COVER_NAME = re.compile(
    r"«[^»]*$|\s(?:DE|DU|DES|D['’]|LA|LE|LES|L['’]|ET|EN|À|AU|AUX|POUR|SUR)$"
    r"|^(?:COMMUNAUT[ÉE]\s+(?:D['’]\s*AGGLOM[ÉE]RATION|DE\s+COMMUNES|URBAINE)|SYNDICAT(?:\s+MIXTE"
    r"|\s+INTERCOMMUNAL)?|CENTRE\s+HOSPITALIER|SOCI[ÉE]T[ÉE]\s+D['’]\s*[ÉE]CONOMIE\s+MIXTE)$")
#: a next cover line that is no part of the name
_COVER_NOT_NAME = re.compile(r"\(|EXERCICES?\b|ANN[ÉE]ES?\b|RAPPORT\b|SOMMAIRE\b|OBSERVATIONS\b|SYNTH[ÈE]SE\b"
                             r"|ENQU[ÊE]TE\b|CAHIER\b")


def _with_cover_continuation(body: str, front: str, end: int) -> str:
    """A cover name in capitals laid out over two lines ("ASSOCIATION « HISTORIAL DE LA" /
    "GRANDE GUERRE » A PERONNE"), joined when the first line cannot end the name."""
    if not _OPEN_COVER_NAME.search(body):
        return body
    following = front[end + 1:front.find("\n", end + 1) if "\n" in front[end + 1:] else len(front)].strip()
    if (3 <= len(following) <= 100 and following.isupper() and "\t" not in following
            and not _COVER_NOT_NAME.match(following)):
        return f"{body} {following}"
    return body


def _tidy_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,–-")
    if name.isupper():
        name = name[:1] + name[1:].lower()
    return name


def find_departement(front: str, body_name: str | None) -> str | None:
    for m in re.finditer(r"\(([A-ZÉÎ][\w'’\- ]{2,30})\)", front[:8000]):
        code = departement_code(m.group(1))
        if code:
            return code
    codes = Counter(c for c in (departement_from_postcode(p) for p in _POSTCODE.findall(front[:6000])) if c)
    if codes:
        return codes.most_common(1)[0][0]
    names = Counter(_CODE_OF_NAME[m.group(1)] for m in _DEPARTEMENT_MENTION.finditer(front))
    return names.most_common(1)[0][0] if names else None


_CODE_OF_NAME = {name: code for code, name in DEPARTEMENT_NAMES.items()}
#: "département de la Gironde", "conseil général du Nord"… (one pass over the text)
_DEPARTEMENT_MENTION = re.compile(
    r"(?:d[ée]partement|conseil d[ée]partemental|conseil g[ée]n[ée]ral)\s+"
    r"(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])"
    r"(" + "|".join(re.escape(n) for n in sorted(_CODE_OF_NAME, key=len, reverse=True)) + r")\b")


def _link(name: str, kind: str, departement: str | None) -> Body:
    bare = re.sub(r"^(?:la\s+)?(?:commune|ville)\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])", "",
                  name, flags=re.I)
    names = [bare if kind == "commune" else name]
    quoted = re.search(r"[«“\"]\s*([^»”\"]{3,60}?)\s*[»”\"]", name)
    if quoted:
        names.append(quoted.group(1))
    body = None
    try:
        for candidate in names:
            for dep in (departement, None) if departement else (None,):
                body = link_body(candidate, kind, dep)
                if body.link_status == "linked":
                    body.name = name
                    return body
    except Exception:  # noqa: BLE001 - linking is best effort; the report stays readable
        body = None
    if body is None:
        return Body(name=name, kind=kind, departement=departement, link_status="not_linkable")
    body.name, body.departement = name, departement or body.departement
    return body


def extract_metadata(doc: Document) -> ReportMetadata:
    front = doc.text[:FRONT_CHARS]
    chamber = find_chamber(front)
    name = find_body_name(front)
    kind = body_kind(name) if name else "autre"
    departement = find_departement(front, name)
    meta = ReportMetadata(chamber=chamber, chamber_source="text" if chamber else "unknown",
                          departement=departement, title=name)
    if name:
        meta.body = _link(name, kind, departement)
        if meta.body.departement and not departement:
            meta.departement = departement = meta.body.departement
    meta.deliberation_date = deliberation_date(doc.text[:FRONT_CHARS * 2]) or deliberation_date(doc.text[-20000:])
    if not chamber and departement:
        year = meta.deliberation_date.year if meta.deliberation_date else None
        meta.chamber = _chamber_for(departement, year)
        meta.chamber_source = "departement" if meta.chamber else "unknown"
    if departement and meta.chamber:
        meta.region = meta.chamber.split(" ", 1)[1] if " " in meta.chamber else None
    m = _PERIOD.search(front)
    if m:
        meta.period = re.sub(r"\s+", " ", m.group(0)).strip()
        meta.period_start = int(m.group("a"))
        meta.period_end = int(m.group("b")) if m.group("b") else None
    meta.announced_recommendations, meta.announced_rappels = announced_counts(doc.text)
    if meta.body is not None and meta.body.kind != "commune" and not meta.body.insee:
        meta.body.insee = seat_insee(front, meta.body.name, meta.body.departement or departement)
    _check_deliberation(meta, front)
    report_year(meta, front)
    return meta


def _check_deliberation(meta: ReportMetadata, front: str) -> None:
    """Drop a "deliberation date" that cannot be the final one: long before the notification
    letter or after it, or within the audited period (a council's deliberation quoted in the text)."""
    d = meta.deliberation_date
    if d is None:
        return
    notified = letter_date(front)
    if notified is not None:
        if not (notified - timedelta(days=550) <= d <= notified + timedelta(days=31)):
            meta.deliberation_date = None
    elif meta.period_start is not None and d.year <= meta.period_start:
        meta.deliberation_date = None


def report_year(meta: ReportMetadata, front: str) -> None:
    """``year`` and ``year_source``: the deliberation's year, else the publication's, else the
    notification letter's; never a year of the audited period."""
    if meta.deliberation_date:
        meta.year, meta.year_source = meta.deliberation_date.year, "deliberation"
        return
    if meta.publication_date:
        meta.year, meta.year_source = meta.publication_date.year, "publication"
        return
    notified = letter_date(front)
    if notified:
        meta.year, meta.year_source = notified.year, "notification"
