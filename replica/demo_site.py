"""The replica started by ``constats demo``: corpus reports when the corpus is present,
otherwise the project's own fictional samples (``replica.render``) or, lacking those,
small generated PDFs."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

from replica.corpus import chamber_for, corpus_publications
from replica.site import ReplicaPublication, ReplicaSite, simple_pdf

log = logging.getLogger(__name__)


def _sample_publications(n: int) -> list[ReplicaPublication]:
    try:  # the project's fictional sample reports, when the rendering module provides them
        from replica.render import SAMPLES, render_sample  # type: ignore[attr-defined]
    except ImportError:
        SAMPLES, render_sample = None, None
    pubs = []
    if SAMPLES:
        for i, sample in enumerate(list(SAMPLES)[:n]):
            title = getattr(sample, "title", None) or f"Organisme fictif {i + 1}"
            dep = getattr(sample, "departement", None)
            pubs.append(ReplicaPublication(
                slug=f"exemple-{i + 1}", title=title, chamber=chamber_for(dep),
                date=date(2024, 1, 1) + timedelta(days=7 * i), summary="Rapport d'exemple fictif.",
                pdf_bytes_factory=lambda s=sample: render_sample(s), code=f"EX{i + 1:03d}"))
        return pubs
    for i in range(n):
        title = f"Commune fictive de Valcourt-{i + 1} (Gironde)"
        pubs.append(ReplicaPublication(
            slug=f"commune-fictive-de-valcourt-{i + 1}", title=title, chamber="CRC NOUVELLE-AQUITAINE",
            date=date(2024, 1, 1) + timedelta(days=7 * i),
            summary="Rapport d'exemple fictif. La chambre formule 1 rappel au droit et 2 recommandations.",
            pdf_bytes_factory=lambda t=title: simple_pdf(t, "Recommandation n° 1 : tenir un inventaire."),
            code=f"EX{i + 1:03d}"))
    return pubs


def start_demo_replica(settings, reports: int = 30) -> tuple[ReplicaSite, str, int]:
    """Start the demo replica on a free loopback port: (site, base URL, publications)."""
    corpus = Path(settings.corpus_dir)
    if (corpus / "metadata.csv").exists():
        pubs = corpus_publications(corpus, reports)
    else:
        log.info("corpus not found at %s: fictional samples published", corpus)
        pubs = _sample_publications(reports)
    site = ReplicaSite(pubs)
    base_url = site.start(0)
    return site, base_url, len(pubs)
