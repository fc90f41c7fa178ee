"""Follow-up status wording → ``FollowUpStatus`` codes (see TAXONOMY.md)."""

from __future__ import annotations

import re

_OE = r"(?:œ|oe)uvre"
#: Checked in order: the negative and partial forms before the plain "mise en œuvre".
STATUS_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("sans_objet", re.compile(r"(?:devenue?s?\s+)?sans\s+objet", re.I)),
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
    for code, rx in STATUS_PATTERNS:
        if rx.search(text):
            return code
    return None


#: "… Cette recommandation est partiellement mise en œuvre." after the recommendation.
STATUS_SENTENCE = re.compile(r"\s*(?:cette|la)\s+recommandation\s+(?:est|a\s+été|n['’]a\s+pas\s+été|reste|demeure)"
                             r"\s+[^.]{0,80}\.?\s*$", re.I)


def split_trailing_status(text: str) -> tuple[str, str | None]:
    """``("Sécuriser les régies.", "non_mise_en_oeuvre")`` from "Sécuriser les régies. Non mise en œuvre."."""
    m = STATUS_SENTENCE.search(text)
    if m and m.start() > 15 and status_of(m.group(0)) and re.search(r"[.;)\]»]$", text[: m.start()].rstrip()):
        return text[: m.start()].rstrip(), status_of(m.group(0))
    m = TRAILING_STATUS.search(text)
    if not m or m.start() < 15:
        return text, None
    head = text[: m.start()].rstrip()
    if not re.search(r"[.;)\]»]$", head) and not re.match(r"\s*[.;(\[]", text[m.start():]):
        # "… sont mises en œuvre" inside a sentence is not a status statement
        if not re.match(r"\s+(?:totalement|partiellement|non)\b", text[m.start():], re.I):
            return text, None
    return head, status_of(m.group(0))
