"""Helpers of the crawler tests: small real PDFs, replica sites, test settings."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pymupdf

from constats.config import Settings
from lab.replica.site import ReplicaPublication

CHAMBERS = ["CRC BRETAGNE", "CRC NOUVELLE-AQUITAINE", "CRC OCCITANIE", "CTC POLYNÉSIE FRANÇAISE"]
DEPARTEMENTS = ["Finistère", "Gironde", "Hérault", "Tahiti"]


@cache
def tiny_pdf(label: str) -> bytes:
    """A real one-page PDF whose bytes depend on ``label`` only (cached: same bytes each time)."""
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=200)
    page.insert_text((20, 40), f"Rapport fictif {label}", fontsize=11)
    data = doc.tobytes(garbage=0, no_new_id=True)
    doc.close()
    return data


def make_publications(n: int, *, start: date = date(2024, 6, 30), responses_every: int = 0,
                      prefix: str = "commune") -> list[ReplicaPublication]:
    """``n`` fictional publications over several chambers, one per day going back in time."""
    pubs = []
    for i in range(n):
        chamber = CHAMBERS[i % len(CHAMBERS)]
        label = f"{prefix}-{i}"
        responses = []
        if responses_every and i % responses_every == 0:
            responses = [lambda label=label: tiny_pdf(label + "-reponse")]
        pubs.append(ReplicaPublication(
            slug=label, title=f"Commune fictive {i} ({DEPARTEMENTS[i % len(DEPARTEMENTS)]})",
            chamber=chamber, date=start - timedelta(days=i),
            summary=f"Contrôle des comptes et de la gestion. La chambre formule {i % 3} rappels au "
                    f"droit et {i % 5} recommandations.",
            pdf_bytes_factory=lambda label=label: tiny_pdf(label), responses=responses,
            code=f"X{i:04d}"))
    return pubs


def crawl_settings(tmp: Path, db_url: str | None = None, **overrides) -> Settings:
    values = dict(state_dir=tmp, database_url=db_url or f"sqlite:///{tmp / 'constats.db'}",
                  crawl_allow_loopback=True, crawl_allowed_hosts=["127.0.0.1"], crawl_rate_limit=100.0,
                  crawl_concurrency=2, crawl_timeout=1.0, crawl_max_retries=2, crawl_backoff_base=0.05,
                  crawl_backoff_cap=5.0, crawl_max_file_bytes=2 * 1024 * 1024)
    values.update(overrides)
    return Settings(**values)
