"""The replica the demo and the end-to-end tests crawl.

From the development corpus when it is present (a spread of reports, those with numbered
recommendations first, each with its attachments published as separate response PDFs),
otherwise from the project's own fictional sample reports. PDFs are rendered lazily, the
first time the crawler asks for them.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

from lab.replica.corpus import _factory, chamber_for, site_title
from lab.replica.render import render_sample, sample_reports
from lab.replica.site import ReplicaPublication, ReplicaSite, slugify

RECO = re.compile(r"Recommandation\s+n\s*°", re.I)


def pick_corpus_keys(corpus_dir: Path, n: int) -> list[str]:
    """``n`` report keys: numbered recommendations first, spread over départements."""
    with open(corpus_dir / "metadata.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh)
                if "observations" in r["doc_type"].lower() and "-" not in r["key"]
                and int(r["n_chars"] or 0) < 250_000]
    def has_reco(key: str) -> bool:
        path = corpus_dir / "txt" / f"{key}.txt"
        return bool(RECO.search(path.read_text(encoding="utf-8", errors="ignore")))
    rows.sort(key=lambda r: (not has_reco(r["key"]), r["key"]))
    picked, seen_dep = [], set()
    for r in rows:  # first pass: one per département
        if len(picked) < n and r["departement"] not in seen_dep:
            picked.append(r["key"])
            seen_dep.add(r["departement"])
    for r in rows:
        if len(picked) < n and r["key"] not in picked:
            picked.append(r["key"])
    return picked


def corpus_demo_publications(corpus_dir: Path, n: int) -> list[ReplicaPublication]:
    with open(corpus_dir / "metadata.csv", encoding="utf-8") as fh:
        meta = {r["key"]: r for r in csv.DictReader(fh)}
    pubs, slugs = [], set()
    for key in pick_corpus_keys(corpus_dir, n):
        r = meta[key]
        d, m, y = (int(x) for x in r["date"].split("/"))
        title = site_title(r["title"])
        slug = base = slugify(re.sub(r"\s*\([^)]*\)\s*$", "", title))[:80] or key
        i = 0
        while slug in slugs:
            i += 1
            slug = f"{base}-{i}"
        slugs.add(slug)
        attachments = sorted(k for k in meta if k.startswith(f"{key}-"))
        i = len(pubs)
        pubs.append(ReplicaPublication(
            slug=slug, title=title, chamber=chamber_for(r.get("departement")), date=date(y, m, d),
            summary=f"Rapport d'observations définitives de la chambre sur la gestion de l'organisme ({title}).",
            pdf_bytes_factory=_factory(corpus_dir, key, title), code=f"ROD {key}" if i % 2 else f"R{key}",
            responses=[_factory(corpus_dir, a, title) for a in attachments], **real_shape(i)))
    return pubs


def real_shape(i: int) -> dict:
    """The shapes of the real site in turn: the three forms of PDF links, the 2023-10 folder."""
    return {"form": ("files", "system", "document")[i % 3], "folder": "2023-10" if i % 4 == 1 else None}


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def _french_date(text: str | None) -> date:
    m = re.search(r"(\d{1,2})(?:er)?\s+([a-zéû]+)\s+(\d{4})", (text or "").lower())
    if m and m[2] in MONTHS:
        return date(int(m[3]), MONTHS.index(m[2]) + 1, int(m[1]))
    return date.today()


def sample_demo_publications(n: int) -> list[ReplicaPublication]:
    """The project's own fictional reports (when the development corpus is absent)."""

    pubs = []
    for sample in sample_reports()[:n]:
        pubs.append(ReplicaPublication(
            slug=slugify(sample.title)[:80], title=sample.title, chamber=sample.chamber.upper(),
            date=_french_date(sample.deliberation_date),
            summary=f"Rapport d'observations définitives (exemple fictif) : {sample.title}.",
            pdf_bytes_factory=lambda s=sample: render_sample(s), code=sample.key.upper(),
            **real_shape(len(pubs))))
    return pubs


def demo_publications(corpus_dir: Path, n: int) -> list[ReplicaPublication]:
    if (corpus_dir / "metadata.csv").exists():
        return corpus_demo_publications(corpus_dir, n)
    return sample_demo_publications(n)


def start_demo_replica(settings, n: int) -> tuple[ReplicaSite, str, int]:
    site = ReplicaSite(demo_publications(Path(settings.corpus_dir), n), page_size=10)
    url = site.start()
    return site, url, len(site.publications)
