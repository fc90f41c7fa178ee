"""Joining the lines of a paragraph: repair end-of-line hyphenation, keep real hyphens.

A line ending in "-" followed by a line starting with a letter is either a word cut by the
typesetter ("provision-" / "nement") or a real compound split at its hyphen
("Neuville-" / "de-Poitou", "vingt-" / "huit"). The document's own vocabulary decides
first (is "provisionnement" or "vingt-huit" written elsewhere in it?), then a few rules:
proper nouns and known compound parts keep their hyphen.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*", re.UNICODE)
_LEFT = re.compile(r"([^\W\d_]+(?:[-‐][^\W\d_]+)*)[-‐]$", re.UNICODE)
_RIGHT = re.compile(r"^([^\W\d_]+)((?:[-‐][^\W\d_]+)*)", re.UNICODE)
HYPHENS = ("-", "‐", "\u00ad")

#: Second parts that are almost always joined by a real hyphen in French.
COMPOUND_PARTS = frozenset("""
de du des la le les lès lez sur sous en et aux au saint sainte st ste
être delà deçà dessus dessous dedans dehors là ci même mêmes clé clés clef clefs
un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize
vingt vingts cent cents mille
il ils elle elles on je tu nous vous moi toi lui leur eux
t-il t-elle t-on
""".split())


def vocabulary(texts) -> frozenset[str]:
    """Lower-cased words (hyphenated compounds kept whole and also split) of ``texts``."""
    vocab: set[str] = set()
    for text in texts:
        for word in _WORD.findall(text):
            w = word.lower()
            vocab.add(w)
            if "-" in w or "‐" in w:
                vocab.update(re.split(r"[-‐]", w))
    return frozenset(vocab)


class Lexicon:
    """The document's words, looked up lazily in its lower-cased text (a fast substring test).

    Building a full vocabulary costs a pass over every word; a report has only a few dozen
    hyphenated line ends, each needing one or two look-ups.
    """

    def __init__(self, text: str):
        self.text = text.lower()

    def __contains__(self, word: str) -> bool:
        return word in self.text


def keep_hyphen(left: str, right: str, vocab) -> bool:
    """Whether the hyphen between ``left`` (end of a line) and ``right`` is a real one."""
    lw = _LEFT.search(left + "-")
    rw = _RIGHT.match(right)
    if not lw or not rw:
        return True
    last = re.split(r"[-‐]", lw.group(1))[-1]
    first = rw.group(1)
    joined = (last + first).lower()
    compound = f"{last}-{first}".lower()
    if rw.group(2):  # "de-Poitou": the continuation is itself a compound
        return True
    if compound in vocab and joined not in vocab:
        return True
    if joined in vocab:
        return False
    if first[0].isupper():
        return True
    if first.lower() in COMPOUND_PARTS:
        return True
    if last[:1].isupper() and "-" in lw.group(1):  # "Neuville-de-" / "poitou" style names
        return True
    return False


def _number_cut(out: str, line: str) -> bool:
    """A code or reference cut at one of its own hyphens next to a digit ("12-006-" / "MO",
    "L. 2121-" / "29", "COVID-" / "19"): the hyphen is real and there is no space."""
    return (out.endswith(HYPHENS[:2]) and len(out) > 1 and line[0].isalnum()
            and (out[-2].isdigit() or (out[-2].isalnum() and line[0].isdigit())))


def join_lines(lines: list[str], vocab) -> str:
    """Join the lines of one paragraph with spaces, repairing hyphenation."""
    if len(lines) == 1:  # most paragraphs of a report's layout units are one line
        return lines[0].strip().replace("\u00ad", "")
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        if out.endswith("\u00ad"):
            out = out[:-1] + line
        elif (out.endswith(HYPHENS[:2]) and len(out) > 1 and out[-2].isalpha()
              and line[0].isalpha()):
            word_start = max(out.rfind(" "), 0)
            left = out[word_start:].strip()[:-1]
            if keep_hyphen(left, line, vocab):
                out = out + line
            else:
                out = out[:-1] + line
        elif out.endswith("/"):  # "autorisations de programme/" + "d'engagement"
            out = out + line
        elif _number_cut(out, line):  # "n° 12-006-" + "MO", "article L. 2121-" + "29"
            out = out + line
        else:
            out = out + " " + line
    return out.replace("\u00ad", "")
