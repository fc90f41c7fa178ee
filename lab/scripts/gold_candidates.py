"""Propose gold candidates for corpus reports (a helper for the hand-check, not the gold).

    python lab/scripts/gold_candidates.py KEY [KEY...] [--lines] [--sentences] [--json OUT_DIR]

For each report, proposes (1) the recommendations and rappels au droit: explicit labels
("Recommandation n° 3 : …", "Rappel au droit n° 1 : …") and the items of the summary
lists under headings such as "Recommandations", "Rappels à la réglementation", "Rappel du
droit :" (Hauts-de-France tables: the text cell and the ticked status column); (2) the
metadata: chamber named in the text, deliberation date, announced counts, body kind and
link from the catalogue title. ``--lines`` prints the paragraphs that match any of these
cues, with their offsets, to read around them. ``--sentences`` prints the in-paragraph
candidates of convention v2 ("la chambre (lui) recommande", "préconise", "il est recommandé",
"rappelle", "invite", "demande", "encourage"…): line number, the sentence's ``part`` offsets
inside its line (what a spec item's ``{"part": [a, b]}`` takes) and the sentence, to decide
each by reading it in its context. The gold is written only after reading the
report (models/gold/README.md); these proposals are corrected by hand.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from constats.config import get_settings  # noqa: E402
from nlp import geo  # noqa: E402

CUES = re.compile(
    r"recommandation|rappel|recommande|formule|délibéré|exercices?\s+(19|20)\d\d"
    r"|mise en œuvre|réglementation|chambre régionale", re.IGNORECASE)
LABEL = re.compile(
    r"^\s*(?P<kind>Recommandation|Rappel (?:au|du) droit|Rappel à la (?:loi|réglementation))\s*"
    r"(?:(?:n\s*°|no|numéro)\s*(?P<number>\d+)|(?P<unique>unique))?\s*(?:[:.–—-]\s*|$)", re.IGNORECASE)
REC_HEAD = re.compile(r"^\s*(r[ée]capitulati(f|on) des recommandations|liste des recommandations|"
                      r"recommandations?(\s+(faites|formulées|de la chambre|du présent).*)?\s*:?\s*$)", re.I)
RAP_HEAD = re.compile(r"^\s*(rappels? (au|du) droit|rappels? à la réglementation|rappels? d.obligations? juridiques?"
                      r"(\s+(faits|formulés).*)?)\s*:?\s*$", re.I)
STATUS_WORDS = [
    (re.compile(r"partiellement mis|en cours de (réalisation|mise)|mise en œuvre incomplète", re.I), "en_cours"),
    (re.compile(r"totalement mis|\bréalisée?s?\b", re.I), "totalement_mise_en_oeuvre"),
    (re.compile(r"à suivre|non mis|non réalisé|n.a pas été mis", re.I), "non_mise_en_oeuvre"),
    (re.compile(r"sans objet", re.I), "sans_objet"),
]
END_OF_LIST = re.compile(r"^\s*(PROC[ÉE]DURE|ANNEXES?|SOMMAIRE|SYNTH[ÈE]SE|OBSERVATIONS|RAPPORT|INTRODUCTION|"
                         r"\d+(\.\d+)*\.?\s+\S|[IVX]+\s*[-–.]\s|[A-Z]\s*[-–.]\s)")
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
DATE = r"(?P<day>1er|\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>(19|20)\d\d)"
DELIBERATION = [
    re.compile(r"délibérée?s? (?:le|en date du)\s+" + DATE, re.I),
    re.compile(r"(?:dans sa|lors de sa|en sa|au cours de sa) séance du\s+" + DATE
               + r"[^.]{0,80}(?:arrêté|adopté|délibéré)[^.]{0,40}(?:observations|rapport) définiti", re.I),
    re.compile(r"(?:arrêté|adopté) (?:le présent rapport|les observations définitives)[^.]{0,60}?(?:le|du)\s+"
               + DATE, re.I),
]
ANNOUNCED = re.compile(r"formul\w*\s+(?P<n>\w+)\s+recommandations?", re.I)
CHAMBER = re.compile(r"chambre régionale des comptes (?:de |d’|d'|du |des )?(?:la |l’|l')?"
                     r"(?P<name>[A-ZÉÎ][\w’'\- ,]+?)(?=\s+(?:a|en|au|sur|dans|pour|le|la|les|du|de|qui)\b|[.;:)]|$)")


def corpus_dir() -> Path:
    corpus = get_settings().corpus_dir
    return corpus if corpus.is_absolute() else (ROOT / corpus).resolve()


def paragraphs(text: str):
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        yield number, start, start + len(line), line
        start += len(line) + 1


def _status(line: str) -> str | None:
    for pattern, status in STATUS_WORDS:
        if pattern.search(line):
            return status
    return None


def _span(start: int, line: str, offset: int) -> tuple[int, int]:
    """Span of line[offset:] without surrounding blanks or a trailing TAB cell."""
    body = line[offset:]
    if "\t" in body.strip("\t "):
        body = body.strip("\t ").split("\t")[0]
        offset = line.index(body, offset) if body else offset
    left = len(body) - len(body.lstrip())
    return start + offset + left, start + offset + len(body.rstrip())


def propose_items(text: str) -> list[dict]:
    items: list[dict] = []
    seen: set[tuple[str, str]] = set()
    lines = list(paragraphs(text))
    in_list: str | None = None
    list_status: str | None = None
    consumed: set[int] = set()
    for i, (number, start, end, line) in enumerate(lines):
        stripped = line.strip()
        if not stripped or i in consumed:
            continue
        if REC_HEAD.match(stripped) and len(stripped) < 140:
            in_list, list_status = "recommandation", _status(stripped)
            continue
        if RAP_HEAD.match(stripped) and len(stripped) < 140:
            in_list, list_status = "rappel_au_droit", _status(stripped)
            continue
        label = LABEL.match(line)
        if label:
            kind = "recommandation" if label.group("kind").lower().startswith("recomm") else "rappel_au_droit"
            num = label.group("number") or ("unique" if label.group("unique") else None)
            offset = label.end()
            if offset >= len(line.rstrip()) and i + 1 < len(lines):  # label alone: text is the next line
                number, start, end, line = lines[i + 1]
                offset = 0
                consumed.add(i + 1)
            s, e = _span(start, line, offset)
            if e <= s:
                continue
            first = next((it for it in items if num and it["kind"] == kind and it["number"] == num), None)
            if first:
                first.setdefault("alt", []).append([s, e])
                continue
            seen.add((kind, num or f"@{s}"))
            items.append({"kind": kind, "number": num, "start": s, "end": e, "status": _status_inline(line),
                          "line": number, "source": "label"})
            continue
        if in_list:
            heading = "\t" not in stripped and not re.search(r"[.;:!?»)]$", stripped)
            if END_OF_LIST.match(stripped) or heading or len(stripped) > 1500:
                in_list = None
                continue
            if stripped.endswith(":") and len(stripped) < 160:  # a status sub-heading
                list_status = _status(stripped) or list_status
                continue
            if stripped.startswith("\t") or line.startswith("\t") and "Réalis" in line:
                continue  # table header row
            body = re.match(r"^\s*(?:[-–•·]\s*|(\d+)\s*[.)°/]\s*)?", line)
            num = body.group(1)
            s, e = _span(start, line, body.end())
            if num:
                seen.add((in_list, num))
            status = _table_status(line) or list_status
            items.append({"kind": in_list, "number": num, "start": s, "end": e, "status": status,
                          "line": number, "source": "list"})
    return _merge_unnumbered(text, items)


def _similar(a: str, b: str) -> float:
    from difflib import SequenceMatcher
    a, b = (" ".join(x.lower().split()) for x in (a, b))
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _merge_unnumbered(text: str, items: list[dict]) -> list[dict]:
    """An unnumbered summary item whose text matches a numbered body item becomes its alternative span."""
    numbered = [it for it in items if it["number"]]
    kept = []
    for item in items:
        if item["number"] is None and item["source"] == "list":
            mine = text[item["start"]:item["end"]]
            best = max(numbered, key=lambda n: _similar(mine, text[n["start"]:n["end"]][-len(mine) - 10:]),
                       default=None)
            if (best and best["kind"] == item["kind"]
                    and [item["start"], item["end"]] != [best["start"], best["end"]]
                    and _similar(mine, text[best["start"]:best["end"]][-len(mine) - 10:]) > 0.8):
                best.setdefault("alt", []).insert(0, [item["start"], item["end"]])
                if item["status"] and not best["status"]:
                    best["status"] = item["status"]
                continue
        kept.append(item)
    return kept


def _status_inline(line: str) -> str | None:
    match = re.search(r"\((totalement |partiellement |non )?mise? en œuvre[^)]*\)|(non )?mise en œuvre\s*$", line, re.I)
    return _status(match.group(0)) if match else None


def _table_status(line: str) -> str | None:
    """Hauts-de-France tables: cells Réalisé | En cours | Non réalisé, an X in one of them."""
    cells = line.split("\t")
    if len(cells) < 4:
        return None
    ticks = [j for j, cell in enumerate(cells[1:4]) if cell.strip().upper() == "X"]
    if len(ticks) != 1:
        return None
    return ["totalement_mise_en_oeuvre", "en_cours", "non_mise_en_oeuvre"][ticks[0]]


IN_PARAGRAPH = re.compile(
    r"\b(?:(?:la (?:chambre|juridiction|crc)|elle)(?:,? (?:en outre|également|donc|aussi|enfin|toutefois|dès lors|"
    r"par ailleurs|en conséquence|de plus|néanmoins|cependant|notamment|ainsi|à nouveau|encore|pour sa part),?)*"
    r"\s+(?:lui |leur |l[’']|les |la |le |vous )?(?P<verb>recommande|préconise|rappelle|invite|demande|encourage|"
    r"incite|suggère|engage|conseille)\b"
    r"|il (?:lui |leur )?est(?:,? (?:donc|également|aussi|en outre|enfin),?)* (?P<imp>recommandé|préconisé|rappelé|"
    r"demandé))", re.IGNORECASE)
ABBREVIATION = re.compile(r"(?:\b[A-Z]|\bart|\bcf|\bMme|\bMM|\bM|\bn°|\bp|\bpp|\bet al|\bi\.e|\bc\.-à-d|\bparag|"
                          r"\bnot|\bspéc|\bvol|\bch|\bann|\bréf)\.$")
SENTENCE_END = re.compile(r"[.!?…](?:\d{1,3}(?=\s))?(?:\s*[»”\")])?(?=\s+[A-ZÉÈÀÂÊÎÔÛÇ«\"(–-]|\s*$)")


def sentence_bounds(line: str, at: int) -> tuple[int, int]:
    """[a, b] of the sentence of ``line`` that contains position ``at``: from its first
    character to its final punctuation (a footnote call glued to the full stop stays out)."""
    ends = [m for m in SENTENCE_END.finditer(line) if not ABBREVIATION.search(line[:m.start() + 1])]
    start = 0
    for m in ends:
        if m.end() <= at:
            start = m.end()
        else:
            end = m.start() + 1
            break
    else:
        end = len(line.rstrip())
    while start < end and line[start].isspace():
        start += 1
    return start, end


def in_paragraph_candidates(text: str) -> list[dict]:
    """Sentences of the body holding an in-paragraph cue (convention v2), with their line
    number and ``part`` offsets inside the line."""
    found = []
    for number, start, _end, line in paragraphs(text):
        seen = set()
        for match in IN_PARAGRAPH.finditer(line):
            a, b = sentence_bounds(line, match.start())
            if (a, b) in seen:
                continue
            seen.add((a, b))
            verb = (match.group("verb") or match.group("imp") or "").lower()
            found.append({"line": number, "part": [a, b], "verb": verb, "start": start + a, "end": start + b})
    return found


WORD_NUMBERS = {"une": 1, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
                "quinze": 15, "seize": 16}


def propose_metadata(key: str, text: str, title: str) -> dict:
    meta: dict = {}
    for pattern in DELIBERATION:
        match = pattern.search(text)
        if match:
            day = 1 if match.group("day") == "1er" else int(match.group("day"))
            month = MONTHS.index(match.group("month").lower()) + 1
            meta["deliberation_date"] = f"{match.group('year')}-{month:02d}-{day:02d}"
            meta["deliberation_at"] = match.start()
            break
    chamber = CHAMBER.search(text)
    if chamber:
        meta["chamber"] = geo.canonical_chamber("chambre régionale des comptes " + chamber.group("name"))
        meta["chamber_at"] = chamber.start()
    counts = ANNOUNCED.search(text)
    if counts:
        word = counts.group("n").lower()
        meta["announced_recommendations"] = int(word) if word.isdigit() else WORD_NUMBERS.get(word)
    parts, tail = geo.split_title(title)
    meta["body_kind"] = geo.body_kind_from_title(title)
    meta["departement"] = geo.departement_code(tail) if tail else None
    name = parts[1] if len(parts) > 1 and parts[0].lower() in ("commune", "association", "syndicat mixte") else parts[0]
    body = geo.link_body(name, meta["body_kind"], meta["departement"])
    meta["body_name"] = name
    meta.update({"insee": body.insee, "siren": body.siren, "link_status": body.link_status})
    if body.departement:
        meta["departement"] = body.departement
    return meta


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = Path(sys.argv[sys.argv.index("--json") + 1]) if "--json" in sys.argv else None
    if out:
        args = [a for a in args if a != str(out)]
    titles = {r["key"]: r["title"] for r in csv.DictReader(open(corpus_dir() / "metadata.csv", encoding="utf-8"))}
    for key in args:
        text = (corpus_dir() / "txt" / f"{key}.txt").read_text(encoding="utf-8")
        print(f"=== {key} {titles.get(key, '')}")
        if "--lines" in sys.argv:
            for number, start, end, line in paragraphs(text):
                if line.strip() and CUES.search(line):
                    print(f"{number:4d} {start:7d}-{end:<7d} {line[:150]}")
        if "--sentences" in sys.argv:
            for cand in in_paragraph_candidates(text):
                sentence = text[cand["start"]:cand["end"]]
                print(f"  S L{cand['line']:<5d} part={cand['part']} {cand['verb']:<11s} | {sentence[:400]}")
            continue
        items = propose_items(text)
        meta = propose_metadata(key, text, titles.get(key, ""))
        print("   ", json.dumps(meta, ensure_ascii=False))
        for item in items:
            snippet = text[item["start"]:item["end"]]
            print(f"    {item['kind'][:5]} n={item['number']} L{item['line']} {item['start']}-{item['end']}"
                  f" {item['status'] or '-'} alt={item.get('alt')} | {snippet[:70]} … {snippet[-25:]}")
        if out:
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{key}.json").write_text(json.dumps({"key": key, "meta": meta, "items": items},
                                                        ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
