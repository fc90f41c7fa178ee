"""The project's own fictional sample reports (``replica/samples/*.html``).

Written for Constats (fictional communes and bodies), in the corpus's HTML conventions
(Word styles as CSS classes, footnotes at the end marked "↩"), so that the demo and the
tests work on a machine without the corpus. Cover facts live in ``<meta>`` tags:
``constats-title``, ``constats-chamber``, ``constats-departement``,
``constats-deliberation-date``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


@dataclass(frozen=True)
class SampleReport:
    key: str  # file stem, e.g. "val-sur-loirette"
    title: str  # the audited body
    chamber: str
    departement: str | None
    deliberation_date: str | None  # as printed, e.g. "12 mars 2024"
    html: str


def _meta(tree: LexborHTMLParser, name: str) -> str | None:
    node = tree.css_first(f'meta[name="{name}"]')
    value = node.attributes.get("content") if node is not None else None
    return value.strip() if value else None


def load_sample(path: Path) -> SampleReport:
    html = path.read_text(encoding="utf-8")
    tree = LexborHTMLParser(html)
    return SampleReport(
        key=path.stem,
        title=_meta(tree, "constats-title") or path.stem,
        chamber=_meta(tree, "constats-chamber") or "Chambre régionale des comptes",
        departement=_meta(tree, "constats-departement"),
        deliberation_date=_meta(tree, "constats-deliberation-date"),
        html=html,
    )


def sample_reports() -> list[SampleReport]:
    """Every sample report, sorted by key."""
    return [load_sample(p) for p in sorted(SAMPLES_DIR.glob("*.html"))]
