"""Recognising one recommendation or rappel au droit in a line of a report.

Shared by the detectors of ``nlp.findings`` and ``nlp.lists``: the labelled form
("Recommandation n° 3 : …", "Rappel au droit n° 1 - …", "Recommandation unique : …"),
list items ("1. Conclure un pacte…", "- veiller à…", or a bare imperative "Procéder à…"),
status tags ("[Recommandation partiellement mise en œuvre – Rappel au droit]").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LABEL = re.compile(
    r"^\s*(?:[-–•·▪➢►■□✓→]\s*)?(?P<label>recommandation|rappel\s+(?:au|du)\s+droit|rappel\s+[àa]\s+la\s+(?:loi|r[ée]glementation)"
    r"|rappel\s+r[ée]glementaire|rappel\s+(?:au|du)\s+respect\s+de\s+la\s+(?:loi|r[ée]glementation)"
    r"|obligation\s+de\s+faire)"
    r"\s*(?:(?P<num>(?:n\s*[°º]|n[o°]\.?|num[ée]ro)?\s*\d{1,2}(?:\s*bis)?)|(?P<unique>unique))?"
    r"\s*(?P<sep>[:.\-–)]|$)\s*(?P<text>.*)$", re.I | re.S)
_LEADERS = re.compile(r"\s*[.…·_]{3,}\s*(?:p(?:age|\.)?\s*)?\d{0,4}\s*$", re.I)
NUMBERED_ITEM = re.compile(r"^\s*(?P<num>\d{1,2})\s*(?:\.(?!\d)|[)°/]|\s*[-–])\s*(?P<text>\S.*)$", re.S)
SUB_ITEM = re.compile(r"^\s*(?:[-–•·▪]\s*|\d{1,2}\.\d{1,2}\.?\s+|[a-h]\)\s+)\S")
BULLET_ITEM = re.compile(r"^\s*[-–•·▪➢►■□✓→]\s*(?P<text>\S.*)$", re.S)
#: a follow-up tag on a line of its own, "[Recommandation partiellement mise en œuvre]", also set as a
#: list item ("•  [Recommandation …]") by a producer that kept the source's list style
STATUS_TAG = re.compile(r"^\s*(?:[-–•·▪➢►■□✓→]\s*)?[\[(]\s*(?:recommandation|rappel)[^\])]{0,120}[\])]\s*\.?\s*$",
                        re.I)
CONCLUSION_TAG = re.compile(r"^\s*conclusion\s*:\s*(?P<text>.{0,120})$", re.I)
OPENER = re.compile(
    r"(?:formul\w*|adress\w*|[ée]met\w*|pr[ée]sent\w*)(?:-t-elle)?\s+"
    r"(?:donc\s+|[àa] cet [ée]gard\s+|toutefois\s+|enfin\s+)?"
    r"(?:les\s+|des\s+)?(?:\w+\s+)?(?:recommandations?|rappels?)\b[^.]{0,120}?(?:suivant\w*\s*)?:\s*$"
    r"|(?:recommandations?|rappels?)[^.]{0,60}suivant\w*\s*:\s*$", re.I)
RECOMMENDS = re.compile(r"\b(?:la\s+chambre|elle)\s+(?:lui\s+|leur\s+|donc\s+|également\s+|enfin\s+|aussi\s+)*"
                        r"recommande\b", re.I)

_NOT_VERBS = frozenset("""
premier dernier particulier fichier dossier cahier foyer loyer métier chantier janvier février quartier
conseiller officier trésorier courrier calendrier hier mer fer cher fier hiver super léger étranger danger
atelier papier levier mobilier immobilier financier usager routier régulier entier plénier créancier foncier
greffier policier pompier héritier dîner déjeuner pilier panier sentier premier-ministre
avenir plaisir désir loisir souvenir soupir martyr élixir saphir
devoir pouvoir savoir espoir couloir trottoir miroir tiroir rasoir comptoir terroir dortoir manoir
""".split())
#: Infinitive endings; "-re" verbs are listed by family since most French nouns end in "-re" too.
_INFINITIVE = re.compile(
    r"(?:er|ir|oir|[^a]ire|(?:f|tisf|tr)aire|ettre|attre|a[îi]tre|o[îi]tre|^[êe]tre|dre|uivre|^vivre|ompre|aincre"
    r"|clure|clore|^croire|^boire)$")
_NOUN_DRE = frozenset({"ordre", "cadre", "poudre", "foudre", "cylindre", "méandre"})
_NOUN_IRE = frozenset({"empire", "navire", "martyre", "sourire", "délire", "satire", "vampire", "hire"})
_LEAD = re.compile(r"^(?:ne\s+(?:pas|plus|jamais)\s+|n['’]|s['’]|se\s+|l['’]|les\s+|y\s+|en\s+|d['’]|à\s+)+", re.I)


def is_imperative(text: str) -> bool:
    """Starts with an infinitive ("Procéder", "veiller", "Mettre", "s'assurer", "ne pas…")."""
    t = _LEAD.sub("", text.strip().lstrip("«“\"'‘ "))
    m = re.match(r"[^\W\d_]+", t)
    if not m:
        return False
    word = m.group(0).lower()
    if len(word) < 3 or word in _NOT_VERBS or word in _NOUN_DRE or word in _NOUN_IRE:
        return False
    return bool(_INFINITIVE.search(word))


@dataclass
class Item:
    """One item found in a line: kind hint, number, and where its text is within the line."""

    kind: str | None  # "recommandation" / "rappel_au_droit" / None (from context)
    number: str | None
    offset: int  # start of the item's text within the line
    needs_text: bool = False  # label without text: the text is the next line


#: the short label of some chambers' tables and boxes: "R4 - Mettre fin …", "R 2 : Délibérer …"
SHORT_LABEL = re.compile(r"^\s*R\s?(?P<num>\d{1,2})\s*[-–:]\s+(?P<text>[A-ZÀÂÉÈÊÎÔÛÇ].*)$", re.S)


def parse_label(text: str) -> Item | None:
    """A labelled item ("Recommandation n° 3 : …"); ``needs_text`` when the text is on the next line."""
    m = LABEL.match(text)
    if not m:
        short = SHORT_LABEL.match(text)
        return Item("recommandation", short.group("num"), short.start("text")) if short else None
    num_raw = m.group("num")
    if not num_raw and not m.group("unique") and m.group("sep") not in (":", ""):
        return None
    if not num_raw and not m.group("unique") and m.group("text").strip() and m.group("sep") != ":":
        return None
    label = m.group("label").lower()
    kind = "recommandation" if label.startswith("recommandation") else "rappel_au_droit"
    number = None
    if num_raw:
        number = re.sub(r"\s+", " ", re.sub(r"^(?:n\s*[°º]|n[o°]\.?|num[ée]ro)\s*", "", num_raw.strip(), flags=re.I))
    elif m.group("unique"):
        number = "unique"
    body = _LEADERS.sub("", m.group("text"))
    if not body.strip():
        return Item(kind, number, len(text), needs_text=True)
    return Item(kind, number, m.start("text"))


def parse_list_item(text: str, *, loose: bool = False) -> Item | None:
    """A list item: numbered, bulleted or a bare imperative sentence.

    ``loose`` accepts any numbered line of some length (inside a recommendations list).
    """
    m = NUMBERED_ITEM.match(text)
    if m:
        rest = m.group("text")
        if is_imperative(rest) or RECOMMENDS.match(rest) or (loose and len(rest) > 20):
            return Item(None, m.group("num"), m.start("text"))
        return None
    m = BULLET_ITEM.match(text)
    if m:
        rest = m.group("text")
        numbered = NUMBERED_ITEM.match(rest)
        if numbered and not BULLET_ITEM.match(rest):
            # "– 1. Exploiter …": a list style that bullets numbered items
            inner = parse_list_item(rest, loose=loose)
            return Item(inner.kind, inner.number, m.start("text") + inner.offset) if inner else None
        if is_imperative(rest) or RECOMMENDS.match(rest):
            return Item(None, None, m.start("text"))
        return None
    if (is_imperative(text) or RECOMMENDS.match(text.strip())) and len(text.strip()) > 15:
        return Item(None, None, len(text) - len(text.lstrip()))
    return None


def number_prefix(text: str) -> tuple[str | None, int]:
    """A number that starts a label's next line ("5.\tConclure…"): (number, text offset)."""
    m = NUMBERED_ITEM.match(text)
    if m:
        return m.group("num"), m.start("text")
    m = BULLET_ITEM.match(text)
    if m:
        return None, m.start("text")
    return None, len(text) - len(text.lstrip())
