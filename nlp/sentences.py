"""Recommendations and rappels au droit stated inside a body paragraph (gold convention v2).

A paragraph of observation may carry the chamber's recommendation or reminder of the law in
one of its sentences: "Au vu de ces constats, la chambre recommande à la commune de …",
"Il est rappelé que l'article L. 2121-12 du CGCT impose …". That sentence is a finding of its
own (its span: from the sentence's first character to its final punctuation) and the
paragraph keeps the rest as an observation.

What counts (models/gold/README.md, convention 1):
- a recommendation: the chamber ("la chambre", "elle", "la juridiction") in the present,
  "recommande" / "préconise" (also "lui / leur recommande", "recommande-t-elle"), or the
  impersonal "il est recommandé / préconisé (à …) de …" — never a past tense, the body's own
  "recommande" nor a list's introductory sentence ending with ":";
- a rappel au droit: "la chambre (lui) rappelle", "elle rappelle", "il est rappelé" only when
  what is recalled is a legal obligation or a text (an article, a code, a law, a decree, an
  instruction, "doit", "est tenu de", "l'obligation de", "il appartient à … de", "ne peut"…),
  not a necessity, a good practice nor a fact.
Softer formulas (invite, demande, encourage, suggère…) are observations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: a sentence ends at . ! ? (or … ) followed by a space and an upper-case letter, a quote or
#: a digit; a footnote call glued to the full stop stays with the sentence
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?:\d{1,3})?[»”\")]?\s+(?=[«“\"(]?\s*[A-ZÀÂÉÈÊÎÔÛÇ0-9])")
#: abbreviations after which a full stop does not end the sentence
_ABBREV = re.compile(r"(?:\b(?:art|arts|al|cf|etc|M|MM|Mme|Mmes|Me|Dr|n|nos|p|pp|vol|chap|not|op|cit|éd|ex"
                     r"|env|min|max|St|Ste|av|bd|c|L|R|D|A|O|J|T|Cass|Cons|CE|CAA|CRC|sq|ss|ibid|id|coll)"
                     r"|\b[A-Z])\.$")

_BULLET = re.compile(r"^\s*[-–•·▪➢►■]\s+")
_SUBJECT = r"(?:la\s+chambre|elle|la\s+juridiction|la\s+CRC)"
_CLITICS = (r"(?:\s+(?:lui|leur|donc|également|enfin|aussi|dès\s+lors|toutefois|ainsi|en\s+outre|par\s+ailleurs"
            r"|à\s+nouveau|de\s+nouveau|fortement|vivement|en\s+conséquence|notamment|tout\s+d['’]abord"
            r"|d['’]abord|ici))*")
#: a parenthetical clause between the subject and the verb ("La chambre, au vu de …, recommande")
_INCISE = r"(?:\s*,[^,.;:]{1,160},)?"
RECOMMENDS_HERE = re.compile(
    rf"\b{_SUBJECT}{_INCISE}{_CLITICS}\s+(?:recommande|préconise)\b(?!-t-il)"
    r"|\brecommande-t-elle\b|\bpréconise-t-elle\b"
    r"|\bil\s+est\s+(?:donc\s+|également\s+|enfin\s+|ainsi\s+|aussi\s+|dès\s+lors\s+|fortement\s+|vivement\s+)*"
    r"(?:recommandé|préconisé)\s+(?:(?:à|au|aux)\s+[^.;:]{1,120}?\s+)?(?:de\s|d['’])"
    r"|\best-il\s+(?:donc\s+)?(?:recommandé|préconisé)\b", re.I)
RECALLS_HERE = re.compile(
    rf"\b{_SUBJECT}{_INCISE}(?:\s+(?:lui|leur|donc|également|enfin|aussi|toutefois|ainsi|à\s+nouveau|de\s+nouveau"
    r"|l['’]ordonnateur|à\s+l['’]ordonnateur|en\s+outre|par\s+ailleurs|cependant|néanmoins|ici|tout\s+d['’]abord"
    r"|d['’]abord|notamment))*\s+rappel(?:l)?e\b"
    r"|\brappelle-t-elle\b"
    r"|\bil\s+est\s+(?:donc\s+|également\s+|enfin\s+|toutefois\s+|ainsi\s+|aussi\s+|cependant\s+|néanmoins\s+"
    r"|par\s+ailleurs\s+|en\s+outre\s+|à\s+nouveau\s+)*rappelé\b", re.I)
#: what a rappel au droit recalls: a text or an obligation binding the body
LEGAL_CUE = re.compile(
    r"\barticles?\b|\bart\.|\bcode\b|\bloi\b|\blois\b|\bd[ée]crets?\b|\bordonnance\b|\barr[êe]t[ée]\b"
    r"|\binstructions?\s+(?:budg[ée]taire|comptable|M\s?\d|codificatrice)|\bM\s?(?:14|21|22|4|49|52|57|71)\b"
    r"|\bcirculaire\b|\bjurisprudence\b|\bConseil\s+d['’][ÉE]tat\b|\bdirective\b|\br[èe]glement\b"
    r"|\bréglementation\b|\br[ée]glementaire|\bl[ée]gale?s?\b|\blégislati|\bdispositions?\b"
    r"|\bdoi(?:t|vent)\b|\bdevr(?:ait|aient|a|ont)\b|\best\s+tenue?s?\b|\bsont\s+tenue?s?\b|\bobligations?\b|\bobligatoire"
    r"|\bimpos|\bil\s+appartient\b|\bne\s+(?:peut|peuvent|saurait|sauraient|pouvait)\b|\bn['’](?:est|était)\s+pas\s+autoris"
    r"|\binterdi|\bprincipe\s+d[eu]|\bCGCT\b|\bCGI\b|\bCSP\b|\bcomptabilit[ée]\s+publique\b|\bn[ée]cessairement\b"
    r"|\bexige|\bprescri|\brequi[se]|\bconform[ée]ment\b|\bau\s+regard\s+d", re.I)
#: recalled but not an obligation: a necessity, a good practice, a fact
_NOT_A_RAPPEL = re.compile(
    r"rappel(?:l)?e\s+(?:(?:donc|également|aussi)\s+)?(?:la\s+n[ée]cessit[ée]|l['’]importance|l['’]int[ée]r[êe]t"
    r"|l['’]enjeu|les?\s+constats?|les?\s+observations?\s+(?:du|de\s+son|formul)|que\s+lors|que\s+(?:le|son)\s+pr[ée]c[ée]dent)"
    r"|il\s+est\s+rappel[ée]\s+(?:ci-dessous|ci-après|ici\s+que\s+le\s+pr[ée]c[ée]dent)", re.I)
#: a text cited: what makes even "rappelle la nécessité de …" a rappel au droit
_TEXT_CITED = re.compile(r"\barticles?\b|\bart\.|\bcode\b|\bloi\b|\bd[ée]crets?\b|\br[ée]glementation\b"
                         r"|\br[ée]glementaire|\bCGCT\b|\binstruction\b", re.I)
_NOT_A_RECOMMENDATION = re.compile(r"\bne\s+(?:lui\s+)?(?:recommande|préconise)\b|\bn['’]est\s+pas\s+recommandé", re.I)


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of a paragraph, end punctuation included (a
    paragraph's list marker, "• " or "– ", is not part of its first sentence)."""
    bullet = _BULLET.match(text)
    pos = bullet.end() if bullet else 0
    for m in _SENTENCE_END.finditer(text):
        head = text[pos:m.start()]
        if _ABBREV.search(head.rstrip("»”\")")):
            continue
        if head.count("«") > head.count("»") and len(head) < 1500 and "»" in text[m.start():]:
            # a text quoted in the sentence ("… dispose que « Le budget … . Il … »") goes on; a
            # « the paragraph never closes (its closing mark lost) holds nothing
            continue
        if m.start() - pos >= 2:
            yield pos, m.start()
        pos = m.end()
    tail = text[pos:].rstrip()
    if tail:
        yield pos, pos + len(tail)


def sentence_kind(sentence: str) -> str | None:
    """``"recommandation"``, ``"rappel_au_droit"`` or ``None`` for one sentence of a body paragraph."""
    if sentence.rstrip().endswith(":"):
        return None  # "La chambre recommande à la commune de :" introduces a list: its items are the items
    m = RECOMMENDS_HERE.search(sentence)
    if m and not _NOT_A_RECOMMENDATION.search(sentence):
        return "recommandation"
    m = RECALLS_HERE.search(sentence)
    if m and LEGAL_CUE.search(sentence, m.end()) and (
            not _NOT_A_RAPPEL.search(sentence) or _TEXT_CITED.search(sentence, m.end())):
        return "rappel_au_droit"  # a necessity "conformément à la réglementation" recalls the rule
    return None


def has_cue(text: str) -> bool:
    """Cheap test: may this paragraph hold an in-paragraph item? (before splitting it)"""
    low = text.lower()
    return ("recommand" in low or "préconis" in low or "rappel" in low)


def in_paragraph_items(text: str) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` of the recommendations and rappels stated in the sentences of a
    paragraph (offsets into ``text``)."""
    if not has_cue(text):
        return []
    out = []
    for start, end in sentences(text):
        kind = sentence_kind(text[start:end])
        if kind:
            out.append((kind, start, end))
    return out


def cue_sentences(text: str) -> list[tuple[int, int, bool, bool]]:
    """``(start, end, first, last)`` of the sentences of a paragraph where the chamber recommends
    or recalls in any way (the candidates the learned step decides on, ``nlp.roles``)."""
    if not has_cue(text):
        return []
    spans = list(sentences(text))
    out = []
    for i, (start, end) in enumerate(spans):
        s = text[start:end]
        if RECOMMENDS_HERE.search(s) or RECALLS_HERE.search(s):
            out.append((start, end, i == 0, i == len(spans) - 1))
    return out


#: what an earlier audit found or recommended, stated in a follow-up section ("La chambre avait
#: relevé que …", "La chambre observait que …", "Le précédent rapport avait souligné …"): a suivi item
EARLIER = re.compile(
    r"\b(?:la\s+chambre|elle|la\s+juridiction|le\s+(?:pr[ée]c[ée]dent\s+)?rapport(?:\s+pr[ée]c[ée]dent)?"
    r"|(?:le|ce)\s+(?:pr[ée]c[ée]dent\s+)?contr[ôo]le(?:\s+pr[ée]c[ée]dent)?)"
    r"(?:\s*,[^,.;]{1,80},)?(?:\s+(?:lui|leur|également|notamment|déjà|alors|aussi))*"
    r"\s+(?:avait\s+(?:(?:notamment|également|déjà|alors|aussi)\s+)?(?:relev[ée]|observ[ée]|constat[ée]|soulign[ée]"
    r"|pr[ée]conis[ée]|recommand[ée]|not[ée]|identifi[ée]|[ée]voqu[ée]|critiqu[ée]|point[ée]|mis\s+en\s+[ée]vidence"
    r"|estim[ée]|consid[ée]r[ée]|rappel[ée]|demand[ée]|invit[ée])"
    r"|observait|relevait|constatait|soulignait|pr[ée]conisait|recommandait|notait|estimait|rappelait|invitait)\b"
    r"|\bil\s+avait\s+été\s+(?:not[ée]|relev[ée]|constat[ée]|observ[ée]|recommand[ée]|pr[ée]conis[ée]|demand[ée])\b",
    re.I)


def earlier_sentences(text: str) -> list[tuple[int, int, bool, bool]]:
    """``(start, end, first, last)`` of the sentences stating what an earlier audit found or asked."""
    if not re.search(r"avait|ait\b", text):
        return []
    spans = list(sentences(text))
    return [(a, b, i == 0, i == len(spans) - 1) for i, (a, b) in enumerate(spans) if EARLIER.search(text[a:b])]
