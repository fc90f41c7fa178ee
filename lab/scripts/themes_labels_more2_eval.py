"""Did the labels of ``labels_more2.jsonl`` help? Measured on the served design (h18f).

    python lab/scripts/themes_labels_more2_eval.py STAGE [--out-dir DIR]

Stages (each saves its out-of-fold probabilities in ``DIR``; ``report`` reads them all):
- ``before``: the served design (``ensemble tfidf | use+usehead``) on exactly the labels of
  ``labels.jsonl`` + ``labels_more.jsonl`` (1,242), their report folds and chamber folds, as
  ``constats train`` evaluated them;
- ``after``: the SAME test items and folds; each fold's training set is the same plus the new
  labels of ``labels_more2.jsonl`` whose report is not held out in that fold (no new label from a
  report, or a near-duplicate of a report, of the test fold; none of the held-out chamber). The
  score is comparable to ``before`` and cannot be inflated by easy new items: they are never
  tested. Paired bootstrap of the gain over report groups;
- ``all``: every label (old and new) with folds recomputed on all of them, as ``constats train``
  will evaluate them;
- ``report``: scores, intervals, per-theme F1, ECE, gains, written as JSON.
The TF-IDF member of the ensemble is scored too (its probabilities come from the same fits).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from constats.config import get_settings
from lab.paths import LABELS_MORE2_PATH, LABELS_MORE_PATH, LABELS_PATH, resolve
from lab.train import data as td
from lab.train import themes as tt
from lab.train import validation as va
from lab.train.designs import Embeddings, Ensemble, FeatureCache
from lab.train.validation import CLASSES
from nlp.embed import UseEmbedder

CORPUS = resolve(Path(get_settings().corpus_dir))
OLD = (LABELS_PATH, LABELS_MORE_PATH)
NEW = LABELS_MORE2_PATH
SERVED = "ensemble tfidf | use+usehead"
SEED = 0


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


def ensemble(emb: Embeddings, cache: FeatureCache) -> Ensemble:
    """The served design, built by ``lab.train.themes.designs`` itself."""
    model = tt.designs(lambda: emb, SEED, cache)[SERVED]()
    assert isinstance(model, Ensemble)
    return model


def oof(items, extra, splits, allowed, emb, cache):
    """Out-of-fold probabilities of ``items`` (ensemble, its TF-IDF member; with heading and bare);
    each fold trains on its training items plus the ``extra`` items ``allowed(split, item)``."""
    shape = (len(items), len(CLASSES))
    out = {k: np.zeros(shape) for k in ("ens", "ens_bare", "tfidf", "tfidf_bare")}
    for s in splits:
        t = time.perf_counter()
        train = [items[i] for i in s.train] + [x for x in extra if allowed(s, x)]
        model = ensemble(emb, cache).fit(tt.training_items(train))
        test = [items[i] for i in s.test]
        texts = [i.text for i in test]
        for suffix, bare in (("", False), ("_bare", True)):
            heads = [tt.eval_heading(i, bare=bare) for i in test]
            out["ens" + suffix][s.test] = model.proba(texts, heads)
            out["tfidf" + suffix][s.test] = model.fitted[0][0].proba(texts, heads)
        log(f"    {s.name}: {len(s.test)} tested, {len(train)} trained on, {time.perf_counter() - t:.0f} s")
    return out


def run(stage: str, out_dir: Path) -> None:
    old = tt.hand_items(OLD, CORPUS)
    new = tt.hand_items((NEW,), CORPUS) if stage != "before" else []
    groups_all = td.near_duplicate_groups(CORPUS, [i.key for i in old + new])
    if stage == "all":
        items, extra = tt.hand_items((*OLD, NEW), CORPUS), []
    else:
        items, extra = old, (new if stage == "after" else [])
    groups = [i.group for i in items]
    rs = va.report_folds(groups)
    cs = va.chamber_folds([i.chamber for i in items], groups)
    log(f"{stage}: {len(items)} tested, {len(extra)} extra, {len(rs)} report folds, {len(cs)} chamber folds")

    def allowed(s, x) -> bool:
        held = {groups_all[items[i].key] for i in s.test}
        chambers = {items[i].chamber for i in s.test} if not s.name.startswith("fold ") else set()
        return groups_all[x.key] not in held and x.chamber not in chambers

    emb = Embeddings(UseEmbedder(threads=1))
    emb.add([i.text for i in items + extra] + [tt.eval_heading(i) for i in items + extra])
    cache = FeatureCache()
    res = {}
    with threadpool_limits(1):
        for scheme, splits in (("report", rs), ("chamber", cs)):
            for k, v in oof(items, extra, splits, allowed, emb, cache).items():
                res[f"{scheme}_{k}"] = v
    np.savez_compressed(out_dir / f"{stage}.npz", **res)


def report(out_dir: Path) -> dict:
    old = tt.hand_items(OLD, CORPUS)
    everything = tt.hand_items((*OLD, NEW), CORPUS)
    out: dict = {"n_old": len(old), "n_all": len(everything)}
    for stage, items in (("before", old), ("after", old), ("all", everything)):
        p = np.load(out_dir / f"{stage}.npz")
        groups = [i.group for i in items]
        folds = {"report": va.report_folds(groups), "chamber": va.chamber_folds([i.chamber for i in items], groups)}
        out[stage] = {}
        for scheme, splits in folds.items():
            for design in ("ens", "tfidf"):
                s = tt.score(items, p[f"{scheme}_{design}"], p[f"{scheme}_{design}_bare"], splits, SEED)
                s["reliability"] = va.reliability(va.cross_fitted_calibration(p[f"{scheme}_{design}"],
                                                                              [i.label for i in items], splits)[0],
                                                  [i.label for i in items])
                out[stage][f"{scheme}_{design}"] = s
    y = [i.label for i in old]
    groups = [i.group for i in old]
    b, a = np.load(out_dir / "before.npz"), np.load(out_dir / "after.npz")
    out["gain_after_minus_before"] = {}
    for scheme in ("report", "chamber"):
        for design in ("ens", "tfidf"):
            pb = [CLASSES[j] for j in b[f"{scheme}_{design}"].argmax(axis=1)]
            pa = [CLASSES[j] for j in a[f"{scheme}_{design}"].argmax(axis=1)]
            out["gain_after_minus_before"][f"{scheme}_{design}"] = {
                "gain": round(va.macro_f1(y, pa) - va.macro_f1(y, pb), 4),
                "ci95": va.paired_gain_ci(y, pb, pa, groups, SEED),
                "per_class": {c: round(va.per_class(y, pa)[c]["f1"] - va.per_class(y, pb)[c]["f1"], 3)
                              for c in CLASSES}}
    new_idx = [k for k, i in enumerate(everything) if i.source == "h18f"]
    p = np.load(out_dir / "all.npz")
    for scheme in ("report", "chamber"):
        yy = [everything[k].label for k in new_idx]
        pp = [CLASSES[j] for j in p[f"{scheme}_ens"][new_idx].argmax(axis=1)]
        out["all"][f"{scheme}_ens"]["new_labels_only"] = {
            "n": len(new_idx), "macro_f1": round(va.macro_f1(yy, pp), 4),
            "accuracy": round(float(np.mean([x == z for x, z in zip(yy, pp)])), 4)}
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stage", choices=["before", "after", "all", "report"])
    ap.add_argument("--out-dir", type=Path, default=Path("/tmp/h18f"))
    a = ap.parse_args(argv)
    a.out_dir.mkdir(parents=True, exist_ok=True)
    if a.stage == "report":
        r = report(a.out_dir)
        (a.out_dir / "labels_more2_eval.json").write_text(json.dumps(r, ensure_ascii=False, indent=1) + "\n")
        print(json.dumps({k: r[k] for k in ("gain_after_minus_before",)}, indent=1))
    else:
        run(a.stage, a.out_dir)


if __name__ == "__main__":
    main()
