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
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from constats.config import get_settings
from constats.domain import Report
from lab.paths import GOLD_PATH, resolve
from nlp.geo_chambers import same_chamber

FINDING_KINDS = ("recommandation", "rappel_au_droit")
SCORED_KINDS = (*FINDING_KINDS, "suivi")
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
        for name in ("year", "year_source", "seat_insee"):
            row.setdefault("metadata", {}).setdefault(name, None)
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
    matched items whose gold has a status (the v1 definition, kept as ``status``).
    """
    result = _match(gold_items, predicted, use_similarity)
    if statuses is not None:
        for i, p in result.pairs:
            if gold_items[i].get("status"):
                statuses[0] += int(predicted[p][2:3] == (gold_items[i]["status"],))
                statuses[1] += 1
    return len(result.pairs), len(result.unmatched_predicted), len(result.unmatched_gold), result.errors(
        gold_items, predicted)


class _Matching:
    def __init__(self) -> None:
        self.pairs: list[tuple[int, int]] = []  # (gold index, predicted index)
        self.unmatched_gold: list[int] = []
        self.unmatched_predicted: list[int] = []

    def errors(self, gold_items: list[dict], predicted: list[tuple]) -> list[dict]:
        out = [{"type": "fp", "number": predicted[p][0], "text": predicted[p][1][:120]}
               for p in self.unmatched_predicted]
        for i, p in self.pairs:
            gold_status = gold_items[i].get("status")
            got = predicted[p][2] if len(predicted[p]) > 2 else None
            if gold_status and got != gold_status:
                out.append({"type": "status", "number": predicted[p][0], "gold": gold_status, "predicted": got})
        out += [{"type": "fn", "number": gold_items[i].get("number"), "text": gold_items[i]["text"][:120],
                 **({"in_paragraph": True} if gold_items[i].get("in_paragraph") else {})}
                for i in self.unmatched_gold]
        return out


def _match(gold_items: list[dict], predicted: list[tuple], use_similarity: bool) -> _Matching:
    """Greedy one-to-one matching in reading order: same normalised number, matching text."""
    result = _Matching()
    unmatched = list(range(len(gold_items)))
    for p, (number, text, *_rest) in enumerate(predicted):
        hit = next((i for i in unmatched
                    if normalise_number(gold_items[i].get("number")) == normalise_number(number)
                    and _texts_match(text, gold_items[i], use_similarity)), None)
        if hit is None:
            result.unmatched_predicted.append(p)
        else:
            unmatched.remove(hit)
            result.pairs.append((hit, p))
    result.unmatched_gold = unmatched
    return result


def _same_chamber(gold: str, predicted: str | None) -> bool:

    return same_chamber(gold, predicted)


# --------------------------------------------------------------------------- noise
_CAPTION = re.compile(r"^\W{0,3}(?:sources?|champ|lecture|note|nb)\s*:", re.I)
_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|(?:\.\s){4,}|_{4,})\s*(?:p(?:age|\.)?\s*)?\d{1,4}\s*$"
                       r"|\bpage\s+\d{1,4}\s*$", re.I)


@dataclass
class NoiseContext:
    """What the harness knows of a rendered report: its running header strings and the text of
    its table cells (short cells only), to tell noise among predicted findings."""

    furniture: set[str] = field(default_factory=set)
    cells: set[str] = field(default_factory=set)


def noise_kind(text: str, context: NoiseContext | None = None, gold_texts: set[str] | None = None) -> str | None:
    """Why a predicted finding is noise: ``caption`` ("Source : …"), ``toc`` (a table-of-contents
    line with its page), ``header`` (the running header), ``cell`` (a short table cell that is no
    gold item), or None."""
    flat = normalise_text(text)
    if not flat:
        return None
    if _CAPTION.match(flat):
        return "caption"
    if _TOC_LINE.search(flat) and len(flat) < 400:
        return "toc"
    if context is not None:
        low = flat.lower()
        if any(low == f or (len(low) < len(f) + 25 and low.startswith(f)) for f in context.furniture if len(f) > 5):
            return "header"
        if len(flat) <= 160 and low in context.cells and low not in (gold_texts or set()):
            return "cell"
    return None


def noise_context(header_strings: Iterable[str], table_rows: Iterable[list[str]]) -> NoiseContext:
    cells = {normalise_text(c).lower() for row in table_rows for c in row}
    return NoiseContext({normalise_text(h).lower() for h in header_strings if h},
                        {c for c in cells if c and len(c) <= 160})


# --------------------------------------------------------------------------- per-report counts
FIELDS = ("body_kind", "insee", "seat_insee", "siren", "deliberation_date", "year", "year_source", "chamber",
          "announced_recommendations", "status", "status_all")
NOISE_KINDS = ("caption", "toc", "header", "cell")


def report_counts(row: dict, report: Report | None, use_similarity: bool = False,
                  context: NoiseContext | None = None) -> tuple[dict[str, list[int]], list[dict]]:
    """Counts of one report (summed over reports and variants by ``summarise``) and its errors.

    Keys: ``f:<kind>`` [tp, fp, fn] over the items marked as such (labels, lists, tables: the v1
    definition; a prediction that matches an in-paragraph gold item counts neither way);
    ``fa:<kind>`` [tp, fp, fn] over every gold item, in-paragraph ones included; ``ip:<kind>``
    [found, total] of the in-paragraph items; ``m:<field>`` [correct, total]; ``noise:<kind>``
    [n, predicted findings]; ``unlinkable`` [EPCI absent from the reference, predicted so]."""
    counts: dict[str, list[int]] = {}
    errors: list[dict] = []
    findings = report.findings if report else []

    def add(name: str, *values: int) -> None:
        slot = counts.setdefault(name, [0] * len(values))
        for i, v in enumerate(values):
            slot[i] += v

    gold_texts = {normalise_text(t).lower() for it in row.get("items", [])
                  for t in [it["text"], *it.get("alt_texts", [])]}
    for kind in SCORED_KINDS:
        gold_items = [it for it in row.get("items", []) if it["kind"] == kind]
        predicted = [(f.number, f.text, f.status) for f in findings if f.kind == kind]
        result = _match(gold_items, predicted, use_similarity)
        matched_gold = {i for i, _ in result.pairs}
        listed = [i for i, it in enumerate(gold_items) if not it.get("in_paragraph")]
        inpara = [i for i, it in enumerate(gold_items) if it.get("in_paragraph")]
        tp_listed = sum(1 for i in listed if i in matched_gold)
        fp = len(result.unmatched_predicted)
        add(f"f:{kind}", tp_listed, fp, len(listed) - tp_listed)
        add(f"fa:{kind}", len(result.pairs), fp, len(gold_items) - len(result.pairs))
        add(f"ip:{kind}", sum(1 for i in inpara if i in matched_gold), len(inpara))
        status_by_gold = {i: predicted[p][2] for i, p in result.pairs}
        for i, item in enumerate(gold_items):
            if item.get("status"):
                ok = status_by_gold.get(i) == item["status"]
                add("m:status_all", int(ok), 1)
                if i in status_by_gold:
                    add("m:status", int(ok), 1)
        errors += [{"kind": kind, **e} for e in result.errors(gold_items, predicted)]
        for i in result.unmatched_gold:
            if gold_items[i].get("status"):
                errors.append({"kind": kind, "type": "status_missed", "gold": gold_items[i]["status"]})
    meta = report.metadata if report else None
    body = meta.body if meta else None
    gold_meta = row.get("metadata", {})

    def check(name: str, ok: bool, predicted=None) -> None:
        add(f"m:{name}", int(ok), 1)
        if not ok:
            errors.append({"type": "metadata", "field": name, "gold": gold_meta.get(name), "predicted": predicted})

    kind = gold_meta.get("body_kind")
    if kind:
        check("body_kind", body is not None and body.kind == kind, body.kind if body else None)
    if kind == "commune" and gold_meta.get("insee"):
        check("insee", body is not None and body.insee == gold_meta["insee"], body.insee if body else None)
    if kind != "commune" and gold_meta.get("seat_insee"):
        seat = (getattr(body, "seat_insee", None) or body.insee) if body is not None else None
        check("seat_insee", seat == gold_meta["seat_insee"], seat)
    if kind == "epci":
        if gold_meta.get("siren"):
            check("siren", body is not None and body.siren == gold_meta["siren"], body.siren if body else None)
        elif gold_meta.get("link_status") == "not_linkable":
            add("unlinkable", 1, int(body is not None and body.link_status == "not_linkable" and body.siren is None))
    if gold_meta.get("deliberation_date"):
        got = meta.deliberation_date.isoformat() if meta and meta.deliberation_date else None
        check("deliberation_date", got == gold_meta["deliberation_date"], got)
    if gold_meta.get("year"):
        got_year = getattr(meta, "year", None) if meta else None
        check("year", got_year == gold_meta["year"], got_year)
        got_source = getattr(meta, "year_source", None) if meta else None
        check("year_source", got_source == gold_meta.get("year_source"), got_source)
    if gold_meta.get("chamber"):
        check("chamber", _same_chamber(gold_meta["chamber"], meta.chamber if meta else None),
              meta.chamber if meta else None)
    if gold_meta.get("announced_recommendations") is not None:
        check("announced_recommendations",
              meta is not None and meta.announced_recommendations == gold_meta["announced_recommendations"])
    noisy = {k: 0 for k in NOISE_KINDS}
    for f in findings:
        why = noise_kind(f.text, context, gold_texts)
        if why:
            noisy[why] += 1
            errors.append({"type": "noise", "noise": why, "kind": f.kind, "text": f.text[:80]})
    for k in NOISE_KINDS:
        add(f"noise:{k}", noisy[k], len(findings))
    return counts, errors


def add_counts(total: dict[str, list[int]], counts: dict[str, list[int]]) -> dict[str, list[int]]:
    for name, values in counts.items():
        slot = total.setdefault(name, [0] * len(values))
        for i, v in enumerate(values):
            slot[i] += v
    return total


def summarise(counts: dict[str, list[int]]) -> dict:
    """Rates from summed counts: P/R/F1 per kind, in-paragraph recall, accuracies, noise."""
    def get(name: str, n: int) -> list[int]:
        return counts.get(name, [0] * n)

    findings = {kind: _prf(*get(f"f:{kind}", 3)) for kind in FINDING_KINDS}
    findings["all"] = _prf(*[sum(get(f"f:{k}", 3)[i] for k in FINDING_KINDS) for i in range(3)])
    every = {kind: _prf(*get(f"fa:{kind}", 3)) for kind in SCORED_KINDS}
    in_paragraph = {}
    for kind in FINDING_KINDS:
        found, total = get(f"ip:{kind}", 2)
        in_paragraph[kind] = {"found": found, "total": total, "recall": round(found / total, 4) if total else None}
    metadata = {}
    for name in FIELDS:
        c, t = get(f"m:{name}", 2)
        metadata[name] = {"correct": c, "total": t, "accuracy": round(c / t, 4) if t else None}
    predicted = get(f"noise:{NOISE_KINDS[0]}", 2)[1]
    noise = {k: get(f"noise:{k}", 2)[0] for k in NOISE_KINDS}
    noise_total = sum(noise.values())
    unlinkable = get("unlinkable", 2)
    return {"findings": findings, "every_item": every, "in_paragraph": in_paragraph, "metadata": metadata,
            "noise": {**noise, "total": noise_total, "predicted": predicted,
                      "rate": round(noise_total / predicted, 4) if predicted else None},
            "epci_unlinkable": {"gold": unlinkable[0], "predicted_not_linkable": unlinkable[1]}}


def score_extraction(gold_rows: Iterable[dict], predictions: dict[str, Report],
                     use_similarity: bool = False, contexts: dict[str, NoiseContext] | None = None) -> dict:
    """Precision/recall/F1 of findings, accuracy of metadata fields and noise; see module doc.

    A gold report missing from ``predictions`` counts as an empty prediction (every
    gold item a false negative, every metadata field wrong). ``per_report`` keeps each report's
    counts (for bootstrap intervals over reports)."""
    total: dict[str, list[int]] = {}
    per_report: dict[str, dict[str, list[int]]] = {}
    errors: dict[str, list[dict]] = {}
    for row in gold_rows:
        key = row["key"]
        counts, errs = report_counts(row, predictions.get(key), use_similarity, (contexts or {}).get(key))
        per_report[key] = counts
        errors[key] = errs
        add_counts(total, counts)
    return {"reports": len(per_report), "match": f"similarity >= {SIMILARITY}" if use_similarity
            else "exact (normalised)", **summarise(total), "errors": errors, "per_report": per_report}


def bootstrap(per_report: dict[str, dict[str, list[int]]], metrics: dict, n: int = 1000, seed: int = 0,
              level: float = 0.95) -> dict[str, tuple[float, float] | None]:
    """Percentile intervals of each ``metrics[name](summarise(counts))`` over reports drawn with
    replacement (the report is the unit: its variants' counts travel together)."""
    import random  # noqa: PLC0415

    keys = sorted(per_report)
    values: dict[str, list[float]] = {name: [] for name in metrics}
    if not keys:
        return {name: None for name in metrics}
    rng = random.Random(seed)
    for _ in range(n):
        total: dict[str, list[int]] = {}
        for _k in range(len(keys)):
            add_counts(total, per_report[keys[rng.randrange(len(keys))]])
        summary = summarise(total)
        for name, metric in metrics.items():
            value = metric(summary)
            if value is not None:
                values[name].append(value)
    out: dict[str, tuple[float, float] | None] = {}
    for name, vs in values.items():
        if not vs:
            out[name] = None
            continue
        vs.sort()
        out[name] = (round(vs[int((1 - level) / 2 * (len(vs) - 1))], 4),
                     round(vs[int((1 + level) / 2 * (len(vs) - 1))], 4))
    return out


def format_table(scores: dict, title: str = "") -> str:
    """A Markdown table of one scoring run."""
    lines = [f"### {title}" if title else "", "",
             f"{scores['reports']} reports; text match: {scores['match']}.", "",
             "| field | precision | recall | F1 / accuracy | n |", "|---|---|---|---|---|"]
    for kind, s in scores["findings"].items():
        lines.append(f"| {kind} (listed) | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                     f"{s['tp'] + s['fn']} gold, {s['tp'] + s['fp']} predicted |")
    for kind, s in scores["every_item"].items():
        lines.append(f"| {kind} (every item) | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                     f"{s['tp'] + s['fn']} gold, {s['tp'] + s['fp']} predicted |")
    for kind, s in scores["in_paragraph"].items():
        rec = "–" if s["recall"] is None else f"{s['recall']:.3f}"
        lines.append(f"| {kind} in-paragraph | | {rec} | | {s['found']}/{s['total']} |")
    for name, s in scores["metadata"].items():
        acc = "–" if s["accuracy"] is None else f"{s['accuracy']:.3f}"
        lines.append(f"| {name} | | | {acc} | {s['correct']}/{s['total']} |")
    u = scores["epci_unlinkable"]
    lines.append(f"| EPCI absent from the reference | | | | {u['gold']} gold, "
                 f"{u['predicted_not_linkable']} predicted not_linkable |")
    nz = scores["noise"]
    rate = "–" if nz["rate"] is None else f"{nz['rate']:.3f}"
    lines.append(f"| noise (captions {nz['caption']}, TOC {nz['toc']}, headers {nz['header']}, cells {nz['cell']}) "
                 f"| | | {rate} | {nz['total']}/{nz['predicted']} findings |")
    return "\n".join(lines).strip("\n") + "\n"
