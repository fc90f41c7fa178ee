"""Draw of the candidate findings labelled in ``models/themes/labels_more.jsonl`` (h-labels-more).

    python lab/scripts/themes_labels_more_draw.py [--corpus ../shared/corpus/docjf] [--out FILE]

Maps every ROD of the corpus (``metadata.csv``) to its 2016 chamber (by département; the
titles without a département were resolved by hand, ``MANUAL_DEPARTEMENTS``) and its year,
then draws candidate spans that overlap no label of ``labels.jsonl``, with fixed seeds
(round 1: ``SEED``; round 2, a top-up: ``SEED + 1``). It writes the candidates (report key,
offsets, kind guess, heading path offsets, draw stratum) as JSON Lines, never corpus text.
The labels themselves were decided by reading each candidate (models/themes/LABELS_MORE.md);
this script only makes the draw reproducible.

Reports whose HTML has no ``heading-N`` styles (the Normandie ``rop-i``/``rop-a``/``rop-1``
template, Polynésie ``culture-niveau-N``) get their headings from those styles here.
"""

from __future__ import annotations

# ruff: noqa: C408
import argparse
import collections
import csv
import json
import random
import re
import sys
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from lab.train import data as td
from lab.train.data import MANUAL_DEPARTEMENTS
from nlp.geo import departement_code
from nlp.geo_chambers import chamber_for_departement
from nlp.headings import normalise, weak_theme

ROOT = Path(__file__).resolve().parents[2]

C = ROOT.parent / "shared" / "corpus" / "docjf"
LABELS = ROOT / "models" / "themes" / "labels.jsonl"


def log(*a) -> None:
    print(*a, file=sys.stderr)


def report_map(corpus: Path) -> dict[str, dict]:
    """Every ROD of metadata.csv → département, 2016 chamber, year."""
    out = {}
    with open(corpus / "metadata.csv", encoding="utf-8") as fh:
        for x in csv.DictReader(fh):
            if not x["doc_type"].startswith("Rapport"):
                continue
            k = x["key"]
            dep = MANUAL_DEPARTEMENTS.get(k)
            if not dep:
                d = x["departement"]
                dep = "987" if d.startswith("Polyn") else departement_code(d.replace("Côtes d'Armor", "Côtes-d'Armor"))
            out[k] = {"dep": dep, "chamber": chamber_for_departement(dep), "year": int(x["date"][-4:])}
    return out


R: dict[str, dict] = {}
SEED = 20261206
WEAK = {'patrimoine_investissement','politique_publique','gouvernance','gestion_deleguee','intercommunalite','situation_financiere'}
EXT = re.compile(r"(heading-[1-6]|t[1-5]|sous-titre-\d|titre-recommandations|titre-synth[eè]se|rop-i|rop-a|rop-1|rop-1-|rop-a-|culture-niveau-\d)$")
ROPLEV = {'rop-i':1,'rop-a':2,'rop-1':3,'rop-1-':4,'rop-a-':5}

def ext_headings(txt, html):
    wanted = []
    for div in LexborHTMLParser(html).css("body > div"):
        css = (div.attributes.get("class") or "").strip()
        if EXT.match(css):
            t = normalise(div.text())
            if t:
                wanted.append((t, ROPLEV.get(css) or td._level(css)))
    lines, pos = [], 0
    for line in txt.split("\n"):
        lines.append((pos, pos + len(line), normalise(line))); pos += len(line) + 1
    out, i = [], 0
    for text, level in wanted:
        for j in range(i, len(lines)):
            if lines[j][2] == text:
                out.append(td.Heading(lines[j][0], lines[j][1], level, txt[lines[j][0]:lines[j][1]].strip())); i = j + 1; break
    return out

def headings(k):
    txt = (C/'txt'/f'{k}.txt').read_text(encoding='utf-8')
    hp = C/'html'/f'{k}.html'
    html = hp.read_text(encoding='utf-8') if hp.exists() else ''
    hs = td.find_headings(txt, html) if html else []
    ext = False
    if len(hs) < 10 and html:
        hs2 = ext_headings(txt, html)
        if len(hs2) > len(hs): hs, ext = hs2, True
    return txt, hs, ext

# sentence splitting
END = re.compile(r'[.!?…](?:\s*(?:\(\d+\)|\d+))?[»”")]*(?=\s+[«"“A-ZÀÂÉÈÊÎÔÛÇ])')
ABBR = re.compile(r'(?:\b(?:art|cf|n°|p|pp|MM|Mme|Mmes|M|St|Ste|av|chap|al|ex|op|vol|éd|hab|env)|\b[A-Z])$')
def sentences(text):
    out, s = [], 0
    for m in END.finditer(text):
        pre = text[s:m.start()]
        if ABBR.search(pre): continue
        e = m.start() + 1
        out.append((s, e)); s = m.end()
        while s < len(text) and text[s].isspace(): s += 1
    rest = text[s:].rstrip()
    if rest: out.append((s, s + len(rest)))
    return out

INLINE_RECO = re.compile(r"\b(?:la chambre|elle)\s+(?:lui |leur |leurs |vous )?(?:recommande|préconise|invite|encourage)\b|\bil est recommandé\b|\bla chambre (?:lui |leur )?(?:demande|suggère)\b", re.IGNORECASE)
INLINE_RAPPEL = re.compile(r"\b(?:la chambre|elle)\s+(?:lui |leur )?rappelle\b", re.IGNORECASE)

def round1():
    rng = random.Random(SEED)
    labs = td.read_labels(LABELS)
    existing = collections.defaultdict(list)
    for l in labs: existing[l['key']].append((l['start'], l['end']))
    nlab_ch = collections.Counter(R[l['key']]['chamber'] for l in labs)
    obs, whole, inl = collections.defaultdict(list), collections.defaultdict(list), collections.defaultdict(list)
    extrep = []
    for k in sorted(R):
        txt, hs, ext = headings(k)
        if ext: extrep.append(k)
        for u in td.units(k, txt, hs):
            if u.heading is None or '↩' in u.text: continue
            if any(a < u.end and u.start < b for a, b in existing[k]): continue
            base = dict(key=k, heading=[u.heading.start, u.heading.end], path=[list(p) for p in u.path_spans],
                        path_text=' > '.join(u.path), section=u.section, weak=weak_theme(u.path))
            text = u.text
            if u.kind in ('recommandation', 'rappel_au_droit') and (td.RECO_START.match(text) or re.match(r'^\s*(rappel|la chambre|il est recommandé)', text, re.IGNORECASE)):
                whole[k].append(dict(base, start=u.start, end=u.start + len(text.rstrip()), kind=u.kind, mode='paragraph'))
                continue
            if u.section != 'body': continue
            sents = sentences(text)
            found = False
            if len(sents) >= 2 and not text.rstrip().endswith(':'):
                for a, b in sents:
                    s = text[a:b]
                    kind = 'rappel_au_droit' if INLINE_RAPPEL.search(s) else 'recommandation' if INLINE_RECO.search(s) else None
                    if kind and s[-1] in '.!?…' and len(s) >= 60:
                        inl[k].append(dict(base, start=u.start + a, end=u.start + b, kind=kind, mode='sentence'))
                        found = True
            if not found and u.kind == 'observation' and u.section == 'body':
                obs[k].append(dict(base, start=u.start, end=u.start + len(text.rstrip()), kind='observation', mode='paragraph'))
    # slots per report
    slots = {k: 1 + (0 if existing[k] else 1) for k in R}
    def avail(k): return len(obs[k]) + len(whole[k]) + len(inl[k])
    chamber_reports = collections.defaultdict(list)
    for k in sorted(R): chamber_reports[R[k]['chamber']].append(k)
    TARGET = 31
    for ch, ks in sorted(chamber_reports.items()):
        need = TARGET - nlab_ch[ch] - sum(min(slots[k], avail(k)) for k in ks)
        while need > 0:
            cands = [k for k in ks if avail(k) > slots[k]]
            if not cands: break
            k = rng.choice(cands); slots[k] += 1; need -= 1
    # extra slots: reports with weak-heading observations
    extra = [k for k in sorted(R) if any(o['weak'] in WEAK for o in obs[k])]
    for k in rng.sample(extra, 55): slots[k] += 1
    picked, used = [], collections.Counter()
    def take(pool, kindsel, n, label):
        ks = [k for k in sorted(pool) if any(kindsel(c) for c in pool[k])]
        rng.shuffle(ks)
        got = 0
        for k in ks:
            if got >= n: break
            if used[k] >= slots[k]: continue
            c = rng.choice([c for c in pool[k] if kindsel(c)])
            pool[k].remove(c); picked.append(dict(c, draw=label)); used[k] += 1; got += 1
        return got
    log('inline rappel', take(inl, lambda c: c['kind'] == 'rappel_au_droit', 22, 'inline'))
    log('inline reco', take(inl, lambda c: c['kind'] == 'recommandation', 48, 'inline'))
    log('whole rappel', take(whole, lambda c: c['kind'] == 'rappel_au_droit', 30, 'paragraph-reco'))
    log('whole reco', take(whole, lambda c: c['kind'] == 'recommandation', 72, 'paragraph-reco'))
    # observations fill the remaining slots, weak-class headings weighted x4
    for k in sorted(R):
        while used[k] < slots[k] and obs[k]:
            w = [4 if c['weak'] in WEAK else 1 for c in obs[k]]
            c = rng.choices(obs[k], weights=w)[0]
            obs[k].remove(c); picked.append(dict(c, draw='observation')); used[k] += 1
    # the three pools are disjoint (a paragraph gives either sentences or itself), so picks never overlap
    picked.sort(key=lambda c: (c['key'], c['start']))
    for i, c in enumerate(picked):
        c['id'] = i + 1; c['chamber'] = R[c['key']]['chamber']; c['year'] = R[c['key']]['year']
    log('ext-heading reports', len(extrep))
    log('picked', len(picked), collections.Counter(c['draw'] for c in picked), collections.Counter(c['kind'] for c in picked))
    byc = collections.Counter(c['chamber'] for c in picked)
    for ch in sorted(chamber_reports): log(f"{ch:40s} existing {nlab_ch[ch]:4d} new {byc[ch]:4d}")
    log(collections.Counter(c['year'] for c in picked))
    log(collections.Counter(c['weak'] for c in picked if c['kind']=='observation'))
    log('reports touched', len({c['key'] for c in picked}))
    return picked


def round2(r1):
    rng = random.Random(SEED + 1)
    labs = td.read_labels(LABELS)
    taken = collections.defaultdict(list)
    for l in labs + r1: taken[l['key']].append((l['start'], l['end']))
    nrep = collections.Counter(l['key'] for l in labs + r1)
    obs = collections.defaultdict(list)
    for k in sorted(R):
        txt, hs, _ext = headings(k)
        for u in td.units(k, txt, hs):
            if u.heading is None or '↩' in u.text or u.kind != 'observation' or u.section != 'body': continue
            if any(a < u.end and u.start < b for a, b in taken[k]): continue
            obs[k].append(dict(key=k, heading=[u.heading.start, u.heading.end], path=[list(p) for p in u.path_spans],
                               path_text=' > '.join(u.path), section=u.section, weak=weak_theme(u.path),
                               start=u.start, end=u.start + len(u.text.rstrip()), kind='observation', mode='paragraph'))
    picked = []
    # (a) Polynésie: 6 observations
    pol = [c for k in sorted(R) if R[k]['chamber'] == 'CTC Polynésie française' for c in obs[k]]
    for c in rng.sample(pol, 6): picked.append(dict(c, draw='topup-chamber'))
    # (b) weak classes pi / int / gd / gou by heading: one per report, reports with fewest labels first
    aim = {'patrimoine_investissement', 'intercommunalite', 'gestion_deleguee', 'gouvernance'}
    ks = [k for k in sorted(R) if any(c['weak'] in aim for c in obs[k])]
    rng.shuffle(ks); ks.sort(key=lambda k: nrep[k])
    got = collections.Counter()
    quota = {'patrimoine_investissement': 14, 'intercommunalite': 12, 'gestion_deleguee': 5, 'gouvernance': 5}
    for k in ks:
        if R[k]['chamber'] == 'CTC Polynésie française': continue
        opts = [c for c in obs[k] if c['weak'] in quota and got[c['weak']] < quota[c['weak']]]
        if not opts: continue
        c = rng.choice(opts); got[c['weak']] += 1; picked.append(dict(c, draw='topup-weak'))
        if sum(got.values()) >= sum(quota.values()): break
    base = max(c['id'] for c in r1)
    picked.sort(key=lambda c: (c['key'], c['start']))
    for i, c in enumerate(picked):
        c.update(id=base + 1 + i, chamber=R[c['key']]['chamber'], year=R[c['key']]['year'])
    log('round 2:', len(picked), dict(got), collections.Counter(c['chamber'] for c in picked))
    return picked


def main(argv=None) -> None:
    global C, LABELS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=C)
    ap.add_argument("--out", type=Path, default=None, help="JSON Lines of the candidates (default: stdout)")
    ap.add_argument("--labels", type=Path, default=LABELS,
                    help="labels the draw avoids (the draw ran against labels.jsonl BEFORE its adjudication: "
                         "`git show e3798ef:models/themes/labels.jsonl`)")
    a = ap.parse_args(argv)
    C = a.corpus
    LABELS = a.labels
    R.update(report_map(C))
    r1 = round1()
    picked = r1 + round2(r1)
    lines = [json.dumps({k: c[k] for k in ("id", "key", "start", "end", "kind", "mode", "draw", "chamber", "year",
                                                "heading", "path", "weak")}, ensure_ascii=False) + "\n" for c in picked]
    if a.out:
        a.out.write_text("".join(lines), encoding="utf-8")
    else:
        sys.stdout.write("".join(lines))


if __name__ == "__main__":
    main()
