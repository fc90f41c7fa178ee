"""Publications of the replica built from the development corpus (read at run time).

Each corpus report becomes a ``ReplicaPublication`` whose PDF is rendered lazily by
``lab.replica.render`` (``render_corpus_report(key)``). The chamber is the regional
chamber of the report's département (the corpus only says "CRTC"). Nothing of the corpus
is written to the repository.
"""

from __future__ import annotations

import csv
import re
import signal
from datetime import date
from pathlib import Path

from lab.replica.render import render_corpus_report
from lab.replica.site import ReplicaPublication, ReplicaSite, slugify
from nlp.geo import departement_code
from nlp.geo_chambers import chamber_for_departement


def chamber_for(departement: str | None) -> str:
    """The site's label of the chamber competent for a département ("CRC NOUVELLE-AQUITAINE")."""

    chamber = chamber_for_departement(departement_code(departement or "") or "")
    return chamber.upper() if chamber else "CRC INCONNUE"


def site_title(corpus_title: str) -> str:
    """"Commune - Lormont - (Gironde)" -> "Commune de Lormont (Gironde)" (the site's form)."""
    t = re.sub(r"\s+-\s+\(", " (", corpus_title.strip())
    m = re.match(r"^Commune\s+-\s+(.+)$", t)
    if m:
        t = "Commune de " + m[1]
    return re.sub(r"\s+-\s+", " - ", t)


def _factory(corpus_dir: Path, key: str, title: str):
    def make() -> bytes:
        return render_corpus_report(key)

    return make


def corpus_publications(corpus_dir: Path, n: int) -> list[ReplicaPublication]:
    """The first ``n`` reports (ROD, not attachments) of the corpus as replica publications."""
    with open(corpus_dir / "metadata.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if "observations" in r["doc_type"].lower() and "-" not in r["key"]]
    pubs, slugs = [], set()
    for r in rows[:n]:
        d, m, y = (int(x) for x in r["date"].split("/"))
        title = site_title(r["title"])
        base = slugify(re.sub(r"\s*\([^)]*\)\s*$", "", title))[:80] or r["key"]
        slug, i = base, 0
        while slug in slugs:
            i += 1
            slug = f"{base}-{i}"
        slugs.add(slug)
        chamber = chamber_for(r.get("departement"))
        pubs.append(ReplicaPublication(
            slug=slug, title=title, chamber=chamber, date=date(y, m, d),
            summary=(f"La chambre régionale des comptes a examiné la gestion de l'organisme "
                     f"({title}). Rapport d'observations définitives."),
            pdf_bytes_factory=_factory(corpus_dir, r["key"], title), code=f"R{r['key']}",
            form=("files", "system", "document")[len(pubs) % 3], folder="2023-10" if len(pubs) % 4 == 1 else None))
    return pubs


def serve_corpus(settings, n: int, port: int, page_size: int = 10, flavour: str = "site") -> None:
    """Serve ``n`` corpus reports on 127.0.0.1:``port`` until Ctrl-C (``flavour``: the real
    site's shapes, or a ``redesign`` of them)."""
    corpus_dir = Path(settings.corpus_dir)
    if not (corpus_dir / "metadata.csv").exists():
        raise SystemExit(f"corpus not found at {corpus_dir}")
    site = ReplicaSite(corpus_publications(corpus_dir, n), page_size=page_size, flavour=flavour)
    url = site.start(port)
    print(f"replica of the publication site: {url}/fr/publications ({len(site.publications)} publications)")
    print(f"crawl it with: constats crawl ccomptes --base-url {url} --allow-loopback")
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    finally:
        site.shutdown()
