"""Follow-up status wording → ``FollowUpStatus`` codes (see TAXONOMY.md)."""

from __future__ import annotations

import re

_OE = r"(?:œ|oe)uvre"
#: Checked in order: the negative and partial forms before the plain "mise en œuvre".
STATUS_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("sans_objet", re.compile(r"(?:devenue?s?\s+)?sans\s+objet", re.I)),
    # "… que l'office s'est engagé à mettre en œuvre": an engagement, a start (convention 5 of the gold)
    ("en_cours", re.compile(rf"(?:s['’]\s*est|se\s+sont)\s+engag[ée]e?s?\s+[àa]\s+(?:les\s+)?mettre\s+en\s+{_OE}",
                            re.I)),
    ("non_mise_en_oeuvre", re.compile(
        rf"non[\s-]+(?:mise?s?\s+en\s+{_OE}|r[ée]alis[ée]e?s?|suivie?s?|appliqu[ée]e?s?)"
        rf"|n.(?:a|ont)\s+pas\s+[ée]t[ée]\s+(?:mise?s?\s+en\s+{_OE}|suivie?s?|r[ée]alis[ée]e?s?)"
        rf"|[àa]\s+mettre\s+en\s+{_OE}|(?:recommandations?\s+(?:juridiques?\s+)?)?[àa]\s+suivre"
        rf"|pas\s+mise?s?\s+en\s+{_OE}", re.I)),
    ("en_cours", re.compile(
        rf"partiellement\s+(?:mise?s?\s+en\s+{_OE}|r[ée]alis[ée]e?s?|suivie?s?)|en\s+cours(?:\s+de\s+(?:mise\s+en\s+{_OE}|r[ée]alisation))?"
        rf"|mise?s?\s+en\s+{_OE}\s+(?:incompl[èe]te|partielle|en\s+cours)|engagement", re.I)),
    ("totalement_mise_en_oeuvre", re.compile(
        rf"(?:totalement\s+)?mise?s?\s+en\s+{_OE}|r[ée]alis[ée]e?s?|suivie?s?\s+d.effet|appliqu[ée]e?s?", re.I)),
]

#: A trailing status statement after a recommendation's text ("… Non mise en œuvre.").
TRAILING_STATUS = re.compile(
    rf"[\s–-]*[(\[]?\s*(?:recommandation\s+)?(?:(?:totalement|partiellement|non)[\s-]+mise?\s+en\s+{_OE}"
    rf"|mise?\s+en\s+{_OE}(?:\s+(?:en\s+cours|incompl[èe]te|partielle))?|en\s+cours\s+de\s+(?:mise\s+en\s+{_OE}|r[ée]alisation)"
    rf"|non\s+r[ée]alis[ée]e|r[ée]alis[ée]e|devenue\s+sans\s+objet|[àa]\s+suivre)\s*[)\]]?\s*[.;]?\s*$", re.I)


def status_of(text: str) -> str | None:
    """The status a phrase states, or ``None``."""
    found = status_match(text)
    return found[0] if found else None


def status_match(text: str) -> tuple[str, str] | None:
    """``(code, wording)``: the status a phrase states and the report's own words for it
    ("Recommandations partiellement mises en œuvre :" → ``("en_cours", "partiellement mises en
    œuvre")``), or ``None``. The wording is what ``Finding.status_text`` keeps."""
    for code, rx in STATUS_PATTERNS:
        m = rx.search(text)
        if m:
            return code, status_wording(m.group(0))
    return None


def status_wording(text: str) -> str:
    """A status phrase as shown to a reader: whitespace collapsed, brackets and end punctuation
    dropped, at most 300 characters (the store's column)."""
    wording = " ".join(text.split()).strip(" []().;:,–-")[:300]
    return wording.lower() if wording.isupper() else wording  # a title in capitals, as a reader says it


#: "… Cette recommandation est partiellement mise en œuvre." after the recommendation.
STATUS_SENTENCE = re.compile(r"\s*(?:cette|la)\s+recommandation\s+(?:est|a\s+été|n['’]a\s+pas\s+été|reste|demeure)"
                             r"\s+[^.]{0,80}\.?\s*$", re.I)


def split_trailing_status(text: str) -> tuple[str, str | None]:
    """``("Sécuriser les régies.", "non_mise_en_oeuvre")`` from "Sécuriser les régies. Non mise en œuvre."."""
    head, found = split_trailing_status_text(text)
    return head, found[0] if found else None


def split_trailing_status_text(text: str) -> tuple[str, tuple[str, str] | None]:
    """Like ``split_trailing_status`` with the status's own wording: ``(head, (code, wording))``."""
    m = STATUS_SENTENCE.search(text)
    if m and m.start() > 15 and re.search(r"[.;)\]»]$", text[: m.start()].rstrip()):
        found = status_match(m.group(0))
        if found:
            return text[: m.start()].rstrip(), (found[0], status_wording(m.group(0)))
    m = TRAILING_STATUS.search(text)
    if not m or m.start() < 15:
        return text, None
    head = text[: m.start()].rstrip()
    if not re.search(r"[.;)\]»]$", head) and not re.match(r"\s*[.;(\[]", text[m.start():]):
        # "… sont mises en œuvre" inside a sentence is not a status statement
        if not re.match(r"\s+(?:totalement|partiellement|non)\b", text[m.start():], re.I):
            return text, None
    found = status_match(m.group(0))
    return head, (found[0], status_wording(m.group(0))) if found else None


#: what a follow-up section says happened to an earlier finding, in narrative form (gold convention 7:
#: regularised or done → totalement; a first step → en_cours; the finding persists → non), checked in
#: this order so that "n'a pas été régularisé" is not read as "régularisé"
NARRATIVE_STATUS: list[tuple[str, re.Pattern]] = [
    ("non_mise_en_oeuvre", re.compile(
        r"n['’](?:a|ont)\s+(?:toujours\s+)?pas\s+été|n['’](?:a|ont)\s+(?:toujours\s+)?pas\s+(?:évolué|changé|varié)"
        r"|aucune?\s+(?:évolution|mesure|action|suite|changement|modification|régularisation|amélioration)"
        r"|toujours\s+pas|(?:demeure|persiste|perdure|subsiste)(?:nt)?\b|reste(?:nt)?\s+(?:inchangée?s?|d['’]actualité)"
        r"|sans\s+suite|ne\s+s['’]est\s+pas|pas\s+été\s+suivie?s?"
        r"|(?:a|ont)\s+(?:perduré|persisté|subsisté)|\baucune?\s+[^.;]{1,80}?\bn['’](?:a|ont)\s+été\b", re.I)),
    ("en_cours", re.compile(
        r"partiellement|en\s+cours|(?:a|ont)\s+(?:commencé|engagé|amorcé|entrepris)|premi[èe]re?s?\s+(?:mesures?|étapes?|actions?)"
        r"|pas\s+encore\s+(?:achev|finalis|abouti|sign|adopt|intervenu|conclu|approuv)"
        r"|reste(?:nt)?\s+à\s+(?:finaliser|achever|compléter|poursuivre)"
        r"|\bprojet\s[^.;]{0,60}?(?:a|ont)\s+(?:toutefois\s+|cependant\s+|néanmoins\s+|certes\s+)?été\s+"
        r"(?:établi|élaboré|rédigé|préparé|engagé)",
        re.I)),
    ("totalement_mise_en_oeuvre", re.compile(
        r"(?:a|ont)\s+été\s+(?:régularisée?s?|corrigée?s?|supprimée?s?|mise?s?\s+en\s+place|réalisée?s?|rectifiée?s?"
        r"|adoptée?s?|élaborée?s?|reprise?s?|résolue?s?|suivie?s?\s+d['’]effet|mise?s?\s+en\s+conformité)"
        r"|(?:a|ont)\s+mis\s+fin|il\s+a\s+été\s+mis\s+fin|est\s+désormais|sont\s+désormais|(?:a|ont)\s+été\s+mis\s+fin",
        re.I)),
]


def narrative_status(text: str) -> tuple[str, str] | None:
    """``(code, wording)`` of what a follow-up paragraph says happened since, or ``None``."""
    found = status_match(text)
    if found:
        return found
    for code, rx in NARRATIVE_STATUS:
        m = rx.search(text)
        if m:
            return code, status_wording(m.group(0))
    return None
