"""Findings of the development corpus as labelled data for the theme classifier.

The DocJF corpus (``corpus_dir``) gives each report as ``txt/<key>.txt`` (one paragraph a
line) and ``html/<key>.html`` (Word paragraph styles as CSS classes). This module finds the
headings of a report (from the HTML styles, located back in the text), splits the text into
paragraph units with the heading each sits under, and guesses the unit's kind
(recommandation, rappel_au_droit, observation). Everything is keyed by character offsets
into ``txt/<key>.txt``: labels never carry corpus text.

It also holds the weak-labelling table: a body heading such as "4. La commande publique"
says the theme of the paragraphs under it.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from nlp.geo import departement_code
from nlp.geo_chambers import chamber_for_departement
from nlp.headings import normalise

HEADING_CLASS = re.compile(r"(heading-[1-6]|t[1-5]|sous-titre-\d|titre-recommandations|titre-synth[eè]se)$")
RECO_START = re.compile(r"^\s*(recommandation|r\s*\d+\s*[:.-])", re.I)
RECO_INLINE = re.compile(r"\b(la chambre|elle) (lui )?(recommande|invite|préconise|encourage)\b", re.I)
RAPPEL = re.compile(r"\brappel (au|du) droit\b|\bla chambre (lui )?rappelle\b", re.I)
STOP_SECTIONS = re.compile(r"\b(annexe|réponse|reponse|glossaire|sommaire|procédure|procedure)\b", re.I)
SUMMARY_SECTIONS = re.compile(r"\bsynth[eè]se\b", re.I)
RECO_SECTIONS = re.compile(r"\brecommandations?\b|\brappels?\b", re.I)


@dataclass
class Heading:
    start: int
    end: int
    level: int
    text: str


@dataclass
class Unit:
    """A paragraph of a corpus report, by offsets, with the heading it sits under."""

    key: str
    start: int
    end: int
    text: str
    kind: str  # recommandation | rappel_au_droit | observation | synthese
    heading: Heading | None = None
    section: str = "body"  # synthese | recommandations | body
    path: list[str] = field(default_factory=list)
    path_spans: list[tuple[int, int]] = field(default_factory=list)


def _level(css: str) -> int:
    digits = re.findall(r"\d", css)
    return int(digits[0]) if digits else 1


def find_headings(txt: str, html: str) -> list[Heading]:
    """Headings styled as such in the HTML, located (in order) as whole lines of ``txt``."""
    wanted = []
    for div in LexborHTMLParser(html).css("body > div"):
        css = (div.attributes.get("class") or "").strip()
        if HEADING_CLASS.match(css):
            t = normalise(div.text())
            if t:
                wanted.append((t, _level(css)))
    lines, pos = [], 0
    for line in txt.split("\n"):
        lines.append((pos, pos + len(line), normalise(line)))
        pos += len(line) + 1
    out, i = [], 0
    for text, level in wanted:
        for j in range(i, len(lines)):
            if lines[j][2] == text:
                out.append(Heading(lines[j][0], lines[j][1], level, txt[lines[j][0]:lines[j][1]].strip()))
                i = j + 1
                break
    return out


def guess_kind(text: str, section: str) -> str:
    if RAPPEL.search(text[:200]):
        return "rappel_au_droit"
    if RECO_START.match(text) or (section != "synthese" and RECO_INLINE.search(text)):
        return "recommandation"
    if section == "synthese":
        return "synthese"
    return "observation"


def units(key: str, txt: str, headings: list[Heading], min_chars: int = 120) -> list[Unit]:
    """Paragraph units of a report (tables, short lines and annexes/responses left out)."""
    out: list[Unit] = []
    hs = sorted(headings, key=lambda h: h.start)
    hi, current, stack, section, stopped = 0, None, {}, "front", False
    pos = 0
    for line in txt.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        while hi < len(hs) and hs[hi].start <= start:
            h = hs[hi]
            hi += 1
            current = h
            stack = {lv: t for lv, t in stack.items() if lv < h.level}
            stack[h.level] = h
            if SUMMARY_SECTIONS.search(h.text) and h.level <= 2:
                section = "synthese"
            elif RECO_SECTIONS.search(h.text) and h.level <= 2 and len(h.text) < 90:
                section = "recommandations"
            elif STOP_SECTIONS.search(h.text) and h.level <= 2:
                section = "procedure" if "proc" in h.text.lower() else "stop"
            elif h.level <= 2 or section == "front":
                section = "body"
            if re.search(r"\b(annexe|réponse|reponse)s?\b", h.text, re.I) and h.level == 1:
                stopped = True
        if stopped:
            break
        if current is not None and start == current.start:
            continue
        if len(line) < min_chars or "\t" in line or section in ("front", "procedure", "stop"):
            continue
        kind = guess_kind(line, section)
        path = [stack[lv] for lv in sorted(stack)]
        out.append(Unit(key, start, end, line, kind, current, section,
                        [h.text for h in path], [(h.start, h.end) for h in path]))
    return out


# --------------------------------------------------------------------------- corpus access
def corpus_metadata(corpus_dir: Path) -> dict[str, dict]:
    with open(Path(corpus_dir) / "metadata.csv", encoding="utf-8") as fh:
        return {row["key"]: row for row in csv.DictReader(fh)}


def load_report(corpus_dir: Path, key: str) -> tuple[str, list[Heading]]:
    corpus_dir = Path(corpus_dir)
    txt = (corpus_dir / "txt" / f"{key}.txt").read_text(encoding="utf-8")
    html_path = corpus_dir / "html" / f"{key}.html"
    html = html_path.read_text(encoding="utf-8") if html_path.exists() else ""
    return txt, find_headings(txt, html) if html else []


#: Départements of the report titles that name none, read from the title by hand (h-labels-more).
MANUAL_DEPARTEMENTS = {
    "387995": "16", "388205": "14", "388821": "55", "389050": "76", "389122": "33", "389130": "39",
    "389137": "21", "389388": "93", "389391": "92", "389548": "19", "391071": "21", "391151": "34",
    "391508": "34", "391547": "30", "391863": "38", "392585": "06", "392934": "29", "393441": "30",
    "393461": "73", "393710": "21", "393717": "04", "393832": "04", "393860": "66", "393984": "34",
    "394248": "31", "394646": "66", "394673": "63", "394684": "2B", "394815": "07", "394993": "06",
    "395515": "69", "396213": "41", "396214": "28", "396660": "36", "400131": "59", "400602": "44",
    "400948": "59"}


def report_chambers(corpus_dir: Path) -> dict[str, dict]:
    """Every report of ``metadata.csv`` → département, chamber (2016 map, by département) and year.

    Titles without a département use ``MANUAL_DEPARTEMENTS``; Polynésie → its CTC. A report
    whose chamber cannot be found gets ``None``."""
    out = {}
    for key, row in corpus_metadata(corpus_dir).items():
        dep = MANUAL_DEPARTEMENTS.get(key)
        if not dep:
            d = row["departement"] or ""
            dep = "987" if d.startswith("Polyn") else departement_code(d.replace("Côtes d'Armor", "Côtes-d'Armor"))
        year = row["date"][-4:]
        out[key] = {"departement": dep, "chamber": chamber_for_departement(dep),
                    "year": int(year) if year.isdigit() else None}
    return out


def near_duplicate_groups(corpus_dir: Path, keys: list[str], min_share: float = 0.5,
                          min_chars: int = 80) -> dict[str, str]:
    """Report key → the key standing for its group of near-duplicate reports.

    Two reports are near-duplicates when at least ``min_share`` of the distinct paragraphs
    (lines of ``min_chars`` or more) of the shorter one appear word for word in the other (a
    report filed twice, e.g. 393924 and 394560, or a report and its attachment). Groups are the
    connected components; each is named by its smallest key. Cross-validation keeps a group in
    one fold, so a model is never tested on a copy of what it was trained on."""
    lines: dict[str, set[int]] = {}
    for key in sorted(set(keys)):
        path = Path(corpus_dir) / "txt" / f"{key}.txt"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        lines[key] = {hash(normalise(x)) for x in text.split("\n") if len(x) >= min_chars}
    parent = {k: k for k in lines}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    ordered = sorted(lines)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            la, lb = lines[a], lines[b]
            small = min(len(la), len(lb))
            if small and len(la & lb) >= min_share * small:
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return {k: root(k) for k in lines}


# --------------------------------------------------------------------------- labels file
def read_labels(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def label_texts(labels: list[dict], corpus_dir: Path) -> list[dict]:
    """Resolve each label's span (and its heading's) to text from the corpus."""
    cache: dict[str, str] = {}
    out = []
    for lab in labels:
        key = lab["key"]
        if key not in cache:
            cache[key] = (Path(corpus_dir) / "txt" / f"{key}.txt").read_text(encoding="utf-8")
        txt = cache[key]
        h = lab.get("heading")
        out.append({**lab, "text": txt[lab["start"]:lab["end"]],
                    "heading_text": txt[h[0]:h[1]] if h else "",
                    "path_texts": [txt[a:b] for a, b in lab.get("path") or ([h] if h else [])]})
    return out
