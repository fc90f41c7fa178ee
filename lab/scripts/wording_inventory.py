"""Inventory of the wordings that mark recommendations, rappels au droit and follow-up statuses
in the whole development corpus (every ``txt/<key>.txt``).

    python lab/scripts/wording_inventory.py            # writes models/gold/wording.json and WORDING.md
    python lab/scripts/wording_inventory.py --residual recommand [--limit 200]
                                                   # prints (stdout only) lines holding the word
                                                   # that no catalogued form explains, to read them

Why: the gold convention (models/gold/README.md) decides which wordings make an item; its
choices must rest on how often each wording is used, across chambers and years, not on the
60 gold reports alone. Each *form* below is a short generic formula (a label, a heading, a
verb phrase, a status phrase), never report text; the output holds, per normalised form, the
number of documents and of occurrences and a few report keys, never text.

How the forms were found: by reading, not only by regex. Every line containing
"recommand", "rappel", "préconis", "mise en œuvre", "réalis", "sans objet", "suivi"/"suites"
was grepped over the corpus, lower-cased with digits replaced by N, grouped and read; each
recurring shape became a form here. ``--residual WORD`` lists the lines holding WORD that no
form explains (letters' "lettre recommandée", quoted figures, etc.), the tool used to check
that nothing frequent was left out.

Families (``scope`` tells where a form is looked for):
- ``label_recommandation``: labels at the start of a paragraph ("Recommandation n° 3 :",
  "Recommandation unique", "R3 -");
- ``heading_recommandation``: a whole short paragraph that heads a list or table of
  recommendations ("Recommandations", "Liste des recommandations", "Récapitulation des
  recommandations", "Tableau des recommandations"…);
- ``label_rappel`` / ``heading_rappel``: the same for rappels au droit ("Rappel au droit n° 1",
  "Rappel(s) du droit", "Rappels à la réglementation", "Rappels d'obligations juridiques",
  "Rappel à la loi"…);
- ``in_paragraph``: verb phrases of the body ("la chambre (lui) recommande", "préconise",
  "invite", "rappelle", "demande", "il est recommandé"…), split by subject (chambre /
  elle / Cour / impersonal) and tense (present vs past: "avait recommandé", "recommandait",
  which report an EARLIER recommendation);
- ``status``: follow-up statuses, each counted with its context (``bracketed`` "[…]",
  ``parenthesised`` "(…)", ``cell`` a table cell or a paragraph of ≤ 80 characters, i.e. a
  heading or column header, ``sentence`` inside running text);
- ``followup_heading``: headings and phrases that open the follow-up of an EARLIER audit
  ("suivi des recommandations (du précédent rapport / antérieures)", "suites du précédent
  contrôle"…);
- ``recapitulation``: recapitulation formulas ("la chambre formule N recommandations",
  "les recommandations suivantes", legends of the grouped récapitulations).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT_JSON = ROOT / "models" / "gold" / "wording.json"
OUT_MD = ROOT / "models" / "gold" / "WORDING.md"
N_KEYS = 5

A = r"[’'ʼ]"  # apostrophes
OE = r"(?:œ|oe)"
MEO = rf"mise?s? en {OE}uvre"
NUM = r"(?:n\s*°|n°|no|N°|numéro)\s*\d+"
ADV = ("en outre|également|donc|aussi|enfin|toutefois|dès lors|par ailleurs|en conséquence|de plus|"
       "néanmoins|cependant|notamment|ainsi|à nouveau|encore|d[’']ores et déjà|pour sa part|au surplus")
SHORT = 80  # a paragraph this short, or a TAB-separated cell, is a heading / label / cell

# (family, form, scope, regex). scope: "start" = at the start of a paragraph or cell;
# "whole" = the whole short paragraph (or cell), optional trailing ":" and numbering; "any" =
# anywhere. Forms of one family may overlap (a label also counts under its family's total).
FORMS: list[tuple[str, str, str, str]] = [
    # --- labels of recommendations
    ("label_recommandation", "Recommandation n° N :", "start", rf"recommandation\s*{NUM}\s*[:.–—-]?"),
    ("label_recommandation", "Recommandation N : (no n°)", "start", r"recommandation\s+\d+\s*[:.–—-]"),
    ("label_recommandation", "Recommandation unique", "start", r"recommandation\s+unique\b"),
    ("label_recommandation", "RN - / RN : (short label)", "start", r"r\s?\d{1,2}\s*[-–:.)]?(?:\s|$)"),
    # --- headings of recommendation lists / tables
    ("heading_recommandation", "Recommandations", "whole", r"recommandations?"),
    ("heading_recommandation", "Liste des recommandations", "whole", r"listes? des recommandations.*"),
    ("heading_recommandation", "Récapitulation des recommandations", "whole",
     r"(?:la )?r[ée]capitulation des recommandations.*"),
    ("heading_recommandation", "Récapitulatif des recommandations", "whole", r"(?:tableau )?r[ée]capitulatif des recommandations.*"),
    ("heading_recommandation", "Tableau (récapitulatif) des recommandations", "whole",
     r"tableau (?:r[ée]capitulatif )?des recommandations.*"),
    ("heading_recommandation", "Synthèse des recommandations", "whole", r"synth[èe]se des recommandations.*"),
    ("heading_recommandation", "Principales recommandations", "whole", r"principales recommandations.*"),
    ("heading_recommandation", "Conclusion et recommandation(s)", "whole", r"_*\s*conclusions? et recommandations?\s*:?"),
    ("heading_recommandation", "Synthèse et recommandations", "whole", r"synth[èe]se et recommandations.*"),
    ("heading_recommandation", "Recommandations de gestion", "whole", r"recommandations? de gestion.*"),
    ("heading_recommandation", "Recommandation(s) à mettre en œuvre", "whole", rf"recommandations? [àa] mettre en {OE}uvre.*"),
    ("heading_recommandation", "Recommandations faites / formulées (au cours du contrôle…)", "whole",
     r"recommandations? (?:faites|formulées|émises).*"),
    ("heading_recommandation", "Recommandation(s) de la chambre", "whole", r"recommandations? de la chambre.*"),
    ("heading_recommandation", "Autres recommandations", "whole", r"autres recommandations"),
    ("heading_recommandation", "Recommandations de niveau N", "any", r"recommandations de niveau \d"),
    ("heading_recommandation", "Recommandations de régularité / d'ordre général / issues de … (group)", "whole",
     r"recommandations? (?:de régularité|d.ordre|issues? de|propres? à|rappelant).*"),
    ("heading_recommandation", "Rappel des recommandations", "whole", r"rappel des recommandations"),
    # --- labels and headings of rappels au droit
    ("label_rappel", "Rappel au droit n° N", "start", rf"rappel au droit\s*{NUM}"),
    ("label_rappel", "Rappel du droit n° N", "start", rf"rappel du droit\s*{NUM}"),
    ("label_rappel", "Rappel à la réglementation n° N", "start", rf"rappels? [àa] la r[éeè]glementation\s*(?:{NUM}|\d+)"),
    ("label_rappel", "Obligation de faire n° N", "start", rf"obligation de faire\s*{NUM}"),
    ("heading_rappel", "Rappel(s) au droit", "whole", r"rappels? au droit"),
    ("heading_rappel", "Rappel(s) du droit", "whole", r"rappels? du droit"),
    ("heading_rappel", "Rappels à la réglementation", "whole", r"rappels? [àa] la r[éeè]glementation"),
    ("heading_rappel", "Rappel de la réglementation", "whole", r"rappels? de la r[éeè]glementation"),
    ("heading_rappel", "Rappel à la loi", "whole", r"rappels? [àa] la loi"),
    ("heading_rappel", "Rappel(s) d'obligation(s) juridique(s) (à mettre en œuvre)", "whole",
     rf"rappels? d{A}obligations? juridiques?.*"),
    ("heading_rappel", "Liste(s) des rappels du droit et des recommandations", "whole",
     r"listes? des (?:rappels? (?:du|au) droit et des recommandations|recommandations et (?:des )?rappels? (?:du|au) droit).*"),
    ("heading_rappel", "Rappels d'obligations juridiques et recommandations (legend)", "any",
     rf"recommandations? ou rappels? d{A}obligations? juridiques?"),
    ("heading_rappel", "Rappel du droit et recommandations / Les recommandations et rappels d'obligations juridiques",
     "whole", rf"(?:les )?(?:rappels? (?:du|au) droit et (?:des )?recommandations|recommandations et (?:des )?rappels? d{A}obligations? juridiques?)"),
    ("heading_rappel", "Rappel des principes / règles / obligations / du cadre légal (section heading, not a list)",
     "whole", r"rappels? (?:des (?:principes|règles|obligations)|du (?:cadre|dispositif) l[ée]gal|de la durée l[ée]gale).*"),
    ("heading_rappel", "Rappel de la procédure (procedure section, not an item)", "whole", r"rappel de la proc[ée]dure.*"),
    ("heading_rappel", "Rappel des dispositions de l'article … (notification letter, not an item)", "start",
     rf"rappel des dispositions de l{A}article"),
    # --- in-paragraph verb phrases (present: the report's own; past: an earlier one)
    *[("in_paragraph", f"{subject_label} {verb_label}", "any", rf"\b{subject}(?:,? (?:{ADV}),?)*\s+{verb}\b")
      for subject_label, subject in (("la chambre", r"la (?:chambre|juridiction|crc)"), ("elle", r"elle"),
                                     ("la Cour", r"la cour"))
      for verb_label, verb in (("recommande", r"(?:lui |leur |leurs )?recommande"),
                               ("préconise", r"(?:lui |leur )?préconise"),
                               ("invite", r"(?:l{A}|les |la |le )?invite"),
                               ("rappelle", r"(?:lui |leur |l{A}|vous )?rappelle"),
                               ("demande", r"(?:lui |leur |vous )?demande"),
                               ("encourage", r"(?:l{A}|les |la |le )?encourage"),
                               ("incite", r"(?:l{A}|les |la |le )?incite"),
                               ("suggère", r"(?:lui |leur )?suggère"),
                               ("engage", r"(?:l{A}|les |la |le )?engage"),
                               ("conseille", r"(?:lui |leur )?conseille"),
                               ("a recommandé / avait recommandé", r"(?:lui |leur )?(?:a|avait)(?: \w+)? recommandé"),
                               ("recommandait", r"(?:lui |leur )?recommandait"))],
    ("in_paragraph", "je vous rappelle / demande (notification letter, not an item)", "any",
     r"\bje vous (?:rappelle|demande)\b"),
    ("in_paragraph", "il est recommandé", "any", rf"\bil (?:lui |leur )?est(?:,? (?:{ADV}),?)* recommandé"),
    ("in_paragraph", "il est préconisé", "any", rf"\bil (?:lui |leur )?est(?:,? (?:{ADV}),?)* préconisé"),
    ("in_paragraph", "il est rappelé", "any", rf"\bil (?:lui |leur )?est(?:,? (?:{ADV}),?)* rappelé"),
    ("in_paragraph", "il est demandé", "any", rf"\bil (?:lui |leur )?est(?:,? (?:{ADV}),?)* demandé"),
    ("in_paragraph", "est / sont invité(e)(s)", "any", rf"\b(?:est|sont)(?:,? (?:{ADV}),?)* invitée?s?\b"),
    ("in_paragraph", "la chambre rappelle … l'obligation / les dispositions / l'article (legal cue)", "any",
     rf"\b(?:la (?:chambre|juridiction|crc)|elle)(?:,? (?:{ADV}),?)*\s+(?:lui |leur |l{A})?rappelle\b[^.]{{0,160}}?"
     rf"(?:obligation|dispositions?|article|\bloi\b|décret|code |instruction|circulaire|réglementation|"
     rf"\bdoi(?:t|vent)\b|est tenue?|sont tenus|impose|prévoit|interdit)"),
    ("in_paragraph", "la chambre formule les recommandations suivantes / la recommandation suivante", "any",
     r"\b(?:formul(?:e|ent|é|ée|és|ées|er)|émet|adresse)(?:-t-elle)? (?:les |la )?(?:\w+ )?recommandations? suivantes?"),
    ("in_paragraph", "recommandations / rappels in an introductory list sentence (… de :)", "any",
     r"(?:recommande|préconise|rappelle)(?: à [^.:]{1,60})? de\s*:\s*$"),
    # --- follow-up statuses (context is added when counting)
    ("status", "totalement mis(e)(s) en œuvre", "any", rf"totalement {MEO}"),
    ("status", "partiellement mis(e)(s) en œuvre", "any", rf"partiellement {MEO}"),
    ("status", "non mis(e)(s) en œuvre", "any", rf"non {MEO}"),
    ("status", "n'a pas été mise en œuvre / pas mise en œuvre", "any", rf"(?:n{A}(?:a|ont) pas été|pas) {MEO}"),
    ("status", "en cours de mise en œuvre", "any", rf"en cours de mise en {OE}uvre"),
    ("status", "mise en œuvre incomplète", "any", rf"mise en {OE}uvre incomplète"),
    ("status", "mis(e) en œuvre (alone: a cell or heading)", "whole", rf"(?:recommandations? )?{MEO}\s*:?"),
    ("status", "Réalisé(e)(s) (cell)", "whole", r"réalisée?s?"),
    ("status", "Non réalisé(e)(s)", "any", r"\bnon réalisée?s?\b"),
    ("status", "En cours de réalisation", "any", r"en cours de réalisation"),
    ("status", "En cours (cell)", "whole", r"en cours"),
    ("status", "devenue(s) sans objet", "any", r"devenues? sans objet"),
    ("status", "sans objet (cell)", "whole", r"sans objet"),
    ("status", "suivie(s) d'effet", "any", rf"suivie?s? d{A}effets?"),
    ("status", "engagement (de la collectivité / du maire / de l'ordonnateur…)", "any",
     rf"\(?engagement (?:de la collectivité|du maire|du président|de l{A}ordonnateur|de la commune|de l{A}établissement|de l{A}office|du directeur)"),
    ("status", "s'est engagé(e) à mettre en œuvre", "any", rf"s{A}est engagée? à (?:la |les )?mettre en {OE}uvre"),
    ("status", "à mettre en œuvre", "any", rf"\bà mettre en {OE}uvre"),
    ("status", "recommandation (juridique / de gestion) à suivre / restant à suivre", "any",
     r"(?:recommandations?(?: juridiques?| de gestion)?|restant) à suivre"),
    ("status", "[Recommandation … mise en œuvre] (bracketed label)", "any", rf"\[\s*recommandations?[^\]]{{0,40}}{MEO}[^\]]*\]"),
    ("status", "(Recommandation juridique / de gestion …) (parenthesised label)", "any",
     r"\(\s*recommandations? (?:juridiques?|de gestion)[^)]{0,40}\)"),
    ("status", "Cette recommandation est / a été … mise en œuvre (sentence)", "any",
     rf"cette recommandation (?:est|a été|n{A}a pas été|n{A}est pas)[^.]{{0,30}}{MEO}"),
    ("status", "Conclusion : recommandation (non) mise en œuvre", "any", rf"conclusion\s*:\s*recommandation[^.]{{0,20}}{MEO}"),
    ("status", "TOT / PAR / NON / SO (status column codes)", "any", r"\bTOT\*?\tPAR\*?\tNON\*?"),
    ("status", "cette recommandation sera mise en œuvre (answer of the body: an intention, not a status)", "any",
     rf"(?:cette|la) recommandation (?:sera|serait) mise en {OE}uvre"),
    ("status", "Mise en œuvre (O/N) / column header", "any", rf"mise en {OE}uvre\s*\(o/n\)"),
    # --- follow-up of an earlier audit
    ("followup_heading", "suivi des recommandations (…)", "any", r"suivi des (?:précédentes |anciennes )?recommandations"),
    ("followup_heading", "suivi des observations (précédentes / du précédent rapport)", "any",
     r"suivi des (?:précédentes )?observations"),
    ("followup_heading", "suites du / données au précédent contrôle (rapport, examen)", "any",
     r"suites? (?:du|données au|données aux|réservées aux?) (?:précédents?|dernier|derniers) (?:contrôles?|rapports?|examens?)"),
    ("followup_heading", "suites données aux observations / recommandations (précédentes)", "any",
     r"suites? (?:données|réservées) (?:aux|à ses|à leurs) (?:observations|recommandations)"),
    ("followup_heading", "recommandations du précédent rapport / antérieures / précédentes", "any",
     r"recommandations? (?:du (?:précédent|dernier) (?:rapport|contrôle|examen)|antérieures?|précédentes?|formulées lors du (?:précédent|dernier) contrôle)"),
    ("followup_heading", "précédent contrôle / précédent rapport (mention)", "any",
     r"(?:précédent|dernier) (?:contrôle|rapport d.observations définitives)"),
    ("followup_heading", "les juridictions financières examinent les suites réservées (legend)", "any",
     r"examinent les suites réservées"),
    # --- recapitulation formulas
    ("recapitulation", "la chambre formule N recommandations", "any",
     r"formul\w*\s+(?:[\w’']+\s+){0,4}?(?:\d+|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze)\s+recommandations?"),
    ("recapitulation", "N rappels (au droit) et M recommandations", "any",
     r"(?:\d+|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix) rappels?(?: au droit| à la réglementation)? et (?:\d+|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix) recommandations?"),
    ("recapitulation", "cotations utilisées pour les recommandations (legend)", "any", r"cotations utilisées pour les recommandations"),
    ("recapitulation", "récapitulation / récapitulatif (in running text)", "any", r"r[ée]capitulati(?:on|f) des (?:recommandations|rappels)"),
]
def compile_forms() -> list[tuple[str, str, str, re.Pattern]]:
    return [(f, n, s, re.compile(_anchor(p, s), re.IGNORECASE)) for f, n, s, p in FORMS]


def _anchor(pattern: str, scope: str) -> str:
    if scope == "start":
        return rf"^\s*(?:[-–•·]\s*)?(?:{pattern})"
    if scope == "whole":
        return rf"^\s*(?:[-–•·]\s*|\d+\s*[.)/-]\s*|[IVX]+\s*[.–-]\s*)?(?:{pattern})\s*[:.]?\s*$"
    return pattern


def status_context(line: str, cell: str, start: int, end: int) -> str:
    before, after = cell[:start], cell[end:]
    if "[" in before[-60:] and "]" in after[:60] and before.rfind("[") > before.rfind("]"):
        return "bracketed"
    if "(" in before[-60:] and ")" in after[:60] and before.rfind("(") > before.rfind(")"):
        return "parenthesised"
    if "\t" in line or len(line.strip()) <= SHORT:
        return "cell"
    return "sentence"


def corpus_dir() -> Path:
    from constats.config import get_settings  # noqa: PLC0415

    corpus = get_settings().corpus_dir
    return corpus if corpus.is_absolute() else (ROOT / corpus).resolve()


def units(line: str) -> list[str]:
    """A paragraph, and its TAB-separated cells when it is a table row."""
    return [line] + ([c for c in line.split("\t") if c.strip()] if "\t" in line else [])


def inventory(corpus: Path) -> dict:
    forms = compile_forms()
    occurrences: Counter = Counter()
    docs: dict[tuple, set] = defaultdict(set)
    contexts: dict[tuple, Counter] = defaultdict(Counter)
    keys = sorted(p.stem for p in (corpus / "txt").glob("*.txt"))
    meta = {r["key"]: r for r in csv.DictReader(open(corpus / "metadata.csv", encoding="utf-8"))}
    residual_lines: Counter = Counter()
    residual_docs: dict[str, set] = defaultdict(set)
    residual_words = ("recommand", "rappel", "préconis", "mise en œuvre", "réalis")
    for key in keys:
        for line in (corpus / "txt" / f"{key}.txt").read_text(encoding="utf-8").split("\n"):
            explained = False
            for family, form, scope, pattern in forms:
                cells = units(line) if scope in ("start", "whole") else [line]
                if scope == "whole":
                    cells = [c for c in cells if len(c.strip()) <= SHORT]
                seen_here = 0
                for cell in cells:
                    for match in pattern.finditer(cell):
                        seen_here += 1
                        if family == "status":
                            contexts[(family, form)][status_context(line, cell, match.start(), match.end())] += 1
                        if scope != "any":
                            break
                    if seen_here and scope != "any":
                        break
                if seen_here:
                    occurrences[(family, form)] += seen_here
                    docs[(family, form)].add(key)
                    explained = True
            if not explained:
                low = line.lower()
                for word in residual_words:
                    if word in low:
                        residual_lines[word] += 1
                        residual_docs[word].add(key)
    families: dict[str, dict] = defaultdict(dict)
    for family, form, _, _ in forms:
        entry = {"docs": len(docs[(family, form)]), "occurrences": occurrences[(family, form)],
                 "keys": sorted(docs[(family, form)])[:N_KEYS]}
        if family == "status":
            entry["contexts"] = dict(sorted(contexts[(family, form)].items()))
        families[family][form] = entry
    doc_types = Counter(meta.get(k, {}).get("doc_type", "?") for k in keys)
    return {
        "corpus": {"documents": len(keys), "doc_types": dict(doc_types.most_common())},
        "note": "Counts over every txt/<key>.txt; 'docs' = documents with at least one occurrence; "
                "'keys' = the first report keys (sorted) with the form; no corpus text is stored. "
                "Status contexts: bracketed '[…]', parenthesised '(…)', cell (table cell or paragraph "
                f"of <= {SHORT} characters), sentence (running text).",
        "families": families,
        "residual": {word: {"lines": residual_lines[word], "docs": len(residual_docs[word])}
                     for word in residual_words},
    }


def markdown(result: dict) -> str:
    lines = ["# Wording inventory (whole development corpus)", "",
             f"Generated by `lab/scripts/wording_inventory.py` over {result['corpus']['documents']} documents "
             f"({', '.join(f'{n} {t}' for t, n in result['corpus']['doc_types'].items())}). "
             "Per normalised form: documents, occurrences, first report keys. Forms are generic "
             "formulas (labels, headings, verb phrases, status phrases), not report text. "
             "Data: `wording.json`. Used by the gold convention v2 (README.md).", ""]
    titles = {"label_recommandation": "Labels of recommendations", "heading_recommandation":
              "Headings of recommendation lists and tables", "label_rappel": "Labels of rappels au droit",
              "heading_rappel": "Headings of rappel lists", "in_paragraph": "In-paragraph verb phrases",
              "status": "Follow-up statuses", "followup_heading": "Follow-up of an earlier audit",
              "recapitulation": "Recapitulation formulas"}
    for family, forms in result["families"].items():
        lines += [f"## {titles.get(family, family)}", ""]
        if family == "status":
            lines += ["| form | docs | occurrences | contexts | keys |", "|---|---:|---:|---|---|"]
        else:
            lines += ["| form | docs | occurrences | keys |", "|---|---:|---:|---|"]
        for form, entry in sorted(forms.items(), key=lambda kv: (-kv[1]["docs"], -kv[1]["occurrences"])):
            keys = ", ".join(entry["keys"])
            if family == "status":
                ctx = ", ".join(f"{c} {n}" for c, n in entry["contexts"].items())
                lines.append(f"| {form} | {entry['docs']} | {entry['occurrences']} | {ctx} | {keys} |")
            else:
                lines.append(f"| {form} | {entry['docs']} | {entry['occurrences']} | {keys} |")
        lines.append("")
    lines += ["## Residual", "",
              "Lines holding the word that no form above explains (mostly running text: "
              "\"lettre recommandée\", \"réalisé\" of budgets, \"rappel\" of pay, quoted texts). "
              "List them with `--residual WORD` to read them.", "",
              "| word | lines | docs |", "|---|---:|---:|"]
    for word, entry in result["residual"].items():
        lines.append(f"| {word} | {entry['lines']} | {entry['docs']} |")
    return "\n".join(lines) + "\n"


def residual(corpus: Path, word: str, limit: int) -> None:
    forms = compile_forms()
    shown = 0
    for path in sorted((corpus / "txt").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if word.lower() not in line.lower():
                continue
            if any(p.search(c) for _, _, s, p in forms for c in (units(line) if s != "any" else [line])):
                continue
            print(f"{path.stem}:{number}: {line[:200]}")
            shown += 1
            if shown >= limit:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--residual", metavar="WORD")
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    corpus = args.corpus or corpus_dir()
    if args.residual:
        residual(corpus, args.residual, args.limit)
        return
    result = inventory(corpus)
    OUT_JSON.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    OUT_MD.write_text(markdown(result), encoding="utf-8")
    print(f"{OUT_JSON}, {OUT_MD}: {result['corpus']['documents']} documents")


if __name__ == "__main__":
    main()
