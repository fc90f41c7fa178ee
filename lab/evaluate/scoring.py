"""Evaluation of report understanding against the hand-checked gold set (models/gold/).

The gold (``extraction.jsonl``) holds report keys and character offsets into the corpus
text ``txt/<key>.txt``, never text: ``load_gold`` resolves the offsets. ``score_extraction``
compares ``Report`` objects produced by ``nlp.report.understand`` with it:

- recommandations and rappels au droit: precision / recall / F1; a prediction matches a
  gold item of the same kind and number whose text (or the text of one of its other
  occurrences, ``alt``) is equal after normalisation (``normalise_text``), or, in the
  ``similarity`` variant (OCR), whose character similarity is ≥ ``SIMILARITY``;
- follow-up status: accuracy over the matched items whose gold states one;
- metadata: accuracy of body kind, INSEE (communes), SIREN (EPCI present in the
  reference; EPCI absent from it are counted apart as unlinkable), deliberation date,
  chamber (where the text names it; a 2012–2015 name equals its 2016 successor, see
  ``nlp.geo_chambers.same_chamber``) and announced counts, each over the reports whose
  gold has the field.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from pathlib import Path

from constats.config import get_settings
from constats.domain import Report
from lab.paths import GOLD_PATH, resolve
from nlp.geo_chambers import same_chamber

FINDING_KINDS = ("recommandation", "rappel_au_droit")
SIMILARITY = 0.9

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "«": '"', "»": '"', "“": '"', "”": '"',
                         "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " ", "\u202f": " "})


def normalise_text(text: str) -> str:
    """Comparison form of a finding's text: NFKC, one kind of quote/apostrophe/dash,
    whitespace collapsed, no space inside « » quotes, trailing punctuation dropped."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    text = " ".join(text.split())
    text = re.sub(r'"\s+', '"', text)
    text = re.sub(r'\s+"', '"', text)
    return text.rstrip(" .;:,").strip()


def normalise_number(number: str | None) -> str | None:
    """"n° 3", "3", "03" → "3"; "unique" stays; None stays None."""
    if number is None:
        return None
    match = re.search(r"\d+", str(number))
    if match:
        return str(int(match.group()))
    text = str(number).strip().lower()
    return text or None


def similarity(a: str, b: str) -> float:
    a, b = normalise_text(a).lower(), normalise_text(b).lower()
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


# --------------------------------------------------------------------------- gold
def load_gold(path: Path | None = None, corpus_dir: Path | None = None) -> list[dict]:
    """Gold rows with each item's ``text`` (and ``alt_texts``) resolved from the corpus.

    Format v2 (models/gold/README.md) loads as is: items of kind ``suivi`` (follow-up of an
    earlier audit) are resolved like the others (``score_extraction`` scores only
    ``FINDING_KINDS``), and the metadata fields ``year``, ``year_source`` and ``seat_insee``
    pass through; rows written before v2 get them as None."""
    rows = [json.loads(line) for line in Path(path or GOLD_PATH).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if corpus_dir is None:

        corpus_dir = get_settings().corpus_dir
        if not corpus_dir.is_absolute():
            corpus_dir = resolve(corpus_dir)
    for row in rows:
        for field in ("year", "year_source", "seat_insee"):
            row.setdefault("metadata", {}).setdefault(field, None)
        text = (Path(corpus_dir) / "txt" / f"{row['key']}.txt").read_text(encoding="utf-8")
        for item in row.get("items", []):
            item["text"] = text[item["start"]:item["end"]]
            item["alt_texts"] = [text[s:e] for s, e in item.get("alt", [])]
    return rows


# --------------------------------------------------------------------------- scoring
def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4)}


def _texts_match(predicted: str, item: dict, use_similarity: bool) -> bool:
    candidates = [item["text"], *item.get("alt_texts", [])]
    if use_similarity:
        return any(similarity(predicted, c) >= SIMILARITY for c in candidates)
    wanted = normalise_text(predicted)
    return any(normalise_text(c) == wanted for c in candidates)


def match_findings(gold_items: list[dict], predicted: list[tuple], use_similarity: bool = False,
                   statuses: list[int] | None = None) -> tuple[int, int, int, list[dict]]:
    """(tp, fp, fn, errors) for one kind of one report; predicted = [(number, text[, status])].

    ``statuses``, when given, receives [correct, total] of the follow-up status over the
    matched items whose gold has a status.
    """
    unmatched = list(range(len(gold_items)))
    errors = []
    tp = 0
    for number, text, *rest in predicted:
        hit = next((i for i in unmatched
                    if normalise_number(gold_items[i].get("number")) == normalise_number(number)
                    and _texts_match(text, gold_items[i], use_similarity)), None)
        if hit is None:
            errors.append({"type": "fp", "number": number, "text": text[:120]})
        else:
            unmatched.remove(hit)
            tp += 1
            gold_status = gold_items[hit].get("status")
            if statuses is not None and gold_status:
                ok = bool(rest) and rest[0] == gold_status
                statuses[0] += int(ok)
                statuses[1] += 1
                if not ok:
                    errors.append({"type": "status", "number": number, "gold": gold_status,
                                   "predicted": rest[0] if rest else None})
    for i in unmatched:
        errors.append({"type": "fn", "number": gold_items[i].get("number"), "text": gold_items[i]["text"][:120]})
    return tp, len(predicted) - tp, len(unmatched), errors


def _same_chamber(gold: str, predicted: str | None) -> bool:

    return same_chamber(gold, predicted)


def score_extraction(gold_rows: Iterable[dict], predictions: dict[str, Report],
                     use_similarity: bool = False) -> dict:
    """Precision/recall/F1 of findings and accuracy of metadata fields; see module doc.

    A gold report missing from ``predictions`` counts as an empty prediction (every
    gold item a false negative, every metadata field wrong).
    """
    counts = {kind: [0, 0, 0] for kind in FINDING_KINDS}
    fields = {name: [0, 0] for name in ("body_kind", "insee", "siren", "deliberation_date", "chamber",
                                        "announced_recommendations", "status")}
    unlinkable = {"gold": 0, "predicted_not_linkable": 0}
    per_report = {}
    for row in gold_rows:
        key = row["key"]
        report = predictions.get(key)
        findings = report.findings if report else []
        errors: list[dict] = []
        for kind in FINDING_KINDS:
            gold_items = [it for it in row.get("items", []) if it["kind"] == kind]
            predicted = [(f.number, f.text, f.status) for f in findings if f.kind == kind]
            tp, fp, fn, errs = match_findings(gold_items, predicted, use_similarity, fields["status"])
            for i, value in enumerate((tp, fp, fn)):
                counts[kind][i] += value
            errors += [{"kind": kind, **e} for e in errs]
        meta = report.metadata if report else None
        body = meta.body if meta else None
        gold_meta = row.get("metadata", {})

        def check(name: str, ok: bool) -> None:
            fields[name][0] += int(ok)
            fields[name][1] += 1
            if not ok:
                errors.append({"type": "metadata", "field": name, "gold": gold_meta.get(name)})

        if gold_meta.get("body_kind"):
            check("body_kind", body is not None and body.kind == gold_meta["body_kind"])
        if gold_meta.get("body_kind") == "commune" and gold_meta.get("insee"):
            check("insee", body is not None and body.insee == gold_meta["insee"])
        if gold_meta.get("body_kind") == "epci":
            if gold_meta.get("siren"):
                check("siren", body is not None and body.siren == gold_meta["siren"])
            elif gold_meta.get("link_status") == "not_linkable":
                unlinkable["gold"] += 1
                unlinkable["predicted_not_linkable"] += int(body is not None and body.link_status == "not_linkable"
                                                            and body.siren is None)
        if gold_meta.get("deliberation_date"):
            predicted = meta.deliberation_date.isoformat() if meta and meta.deliberation_date else None
            check("deliberation_date", predicted == gold_meta["deliberation_date"])
        if gold_meta.get("chamber"):
            check("chamber", _same_chamber(gold_meta["chamber"], meta.chamber if meta else None))
        if gold_meta.get("announced_recommendations") is not None:
            check("announced_recommendations",
                  meta is not None and meta.announced_recommendations == gold_meta["announced_recommendations"])
        per_report[key] = errors
    all_counts = [sum(counts[k][i] for k in FINDING_KINDS) for i in range(3)]
    return {
        "reports": len(per_report),
        "match": f"similarity >= {SIMILARITY}" if use_similarity else "exact (normalised)",
        "findings": {**{kind: _prf(*counts[kind]) for kind in FINDING_KINDS}, "all": _prf(*all_counts)},
        "metadata": {name: {"correct": c, "total": t, "accuracy": round(c / t, 4) if t else None}
                     for name, (c, t) in fields.items()},
        "epci_unlinkable": unlinkable,
        "errors": per_report,
    }


def format_table(scores: dict, title: str = "") -> str:
    """A Markdown table of one scoring run."""
    lines = [f"### {title}" if title else "", "",
             f"{scores['reports']} reports; text match: {scores['match']}.", "",
             "| field | precision | recall | F1 / accuracy | n |", "|---|---|---|---|---|"]
    for kind, s in scores["findings"].items():
        lines.append(f"| {kind} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                     f"{s['tp'] + s['fn']} gold, {s['tp'] + s['fp']} predicted |")
    for name, s in scores["metadata"].items():
        acc = "–" if s["accuracy"] is None else f"{s['accuracy']:.3f}"
        lines.append(f"| {name} | | | {acc} | {s['correct']}/{s['total']} |")
    u = scores["epci_unlinkable"]
    lines.append(f"| EPCI absent from the reference | | | | {u['gold']} gold, "
                 f"{u['predicted_not_linkable']} predicted not_linkable |")
    return "\n".join(lines).strip("\n") + "\n"
