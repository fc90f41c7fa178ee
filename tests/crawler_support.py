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


# --------------------------------------------------------------------------- the real site's shapes
REAL_CHAMBERS = ["CRC PAYS DE LA LOIRE", "CRC BRETAGNE", "CRC PROVENCE-ALPES-CÔTE D'AZUR",
                 "CRC AUVERGNE-RHÔNE-ALPES", "CRC LA RÉUNION ET MAYOTTE", "CRC ANTILLES-GUYANE"]
FILLER = ("La chambre régionale des comptes a procédé au contrôle des comptes et de la gestion de "
          "l'organisme pour les exercices 2019 et suivants, en examinant la situation financière, "
          "la commande publique et la gestion des ressources humaines.")


def real_site_publications(n: int = 30, *, start: date = date(2025, 6, 30)) -> list[ReplicaPublication]:
    """``n`` fictional publications in every shape public scrapers saw on ccomptes.fr: the three
    forms of PDF links (in turn), upload folders that are not the publication month (``2023-10``),
    file names with spaces, ``PAR``/``RER`` reports with their ``REO`` response, a report
    published with its responses in one file and a response published apart, links with and
    without their ``data-document`` type, a body audited again (slugs ``-1``, ``-2``), a
    publication of the Cour des comptes, and summaries whose announced counts lie past the
    cut of the teaser."""
    pubs = []
    for i in range(n):
        d = start - timedelta(days=9 * i)
        label = f"reel-{i}"
        title = f"Commune de Fictiville-{i} (Loire-Atlantique)"
        slug = f"commune-de-fictiville-{i}-loire-atlantique"
        code, responses, response_codes, combined, labels = f"ROD{d.year}-{i:03d}", [], None, False, None
        if i == 0:
            code = "ROD 2025-225 Cne La Chapelle-sur-Erdre"
        elif i == 1:
            code = "PAR2025-0792"
        elif i == 2:
            code, response_codes = "RER2021532", ["REO2021532"]
            responses = [lambda label=label: tiny_pdf(label + "-reo")]
        elif i == 3:
            code, combined = "commune-de-fictiville-3-et-sa-r--ponse", True
        elif i == 4:
            code, response_codes = "rapport commune fictiville 4", ["commune-fictiville-4_r--ponse_ordonnateur"]
            responses = [lambda label=label: tiny_pdf(label + "-reponse")]
        elif i == 5:  # untyped, names that say nothing: the link text decides
            code, response_codes = "document-5", ["courrier-5"]
            responses = [lambda label=label: tiny_pdf(label + "-courrier")]
            labels = ["Rapport d'observations définitives", "Réponse du maire"]
        elif i in (6, 7, 8):  # a body audited three times: slugs -1, -2
            title = "Commune de Rognac (Bouches-du-Rhône)"
            slug = "commune-de-rognac-bouches-du-rhone" + ("" if i == 6 else f"-{i - 6}")
            code = f"ROD Rognac {d.year}-{i}"
        elif i % 7 == 0:
            responses = [lambda label=label: tiny_pdf(label + "-rep")]
        chamber = "Cour des comptes" if i == 9 else REAL_CHAMBERS[i % len(REAL_CHAMBERS)]
        folder = "2023-10" if i % 4 == 1 else (f"{d.year}-{max(1, d.month - 1):02d}" if i % 4 == 2 else None)
        pubs.append(ReplicaPublication(
            slug=slug, title=title, chamber=chamber, date=d,
            summary=f"{FILLER} La chambre formule {i % 4} rappels au droit et {i % 6 + 1} recommandations.",
            pdf_bytes_factory=lambda label=label: tiny_pdf(label), responses=responses,
            code=code, form=("files", "system", "document")[i % 3], folder=folder,
            response_codes=response_codes, combined=combined, typed=i % 5 != 0 and i != 5, labels=labels))
    return pubs
