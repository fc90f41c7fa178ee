"""Layout variants of the rendered reports, so an extractor cannot overfit one layout.

Header wording may use ``{body}`` (audited body) and ``{chamber}``; page number formats
use ``{n}`` (page) and ``{N}`` (page count).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Literal


@dataclass(frozen=True)
class RenderVariant:
    name: str
    font: Literal["serif", "sans-serif"] = "serif"
    margin: float = 70.0  # points, left/right; top/bottom derive from it
    font_size: float = 11.0  # body text, points
    header_text: str | None = "{body}"
    page_number_format: str = "{n}/{N}"
    scanned: bool = False
    furniture_on_cover: bool = False  # running header and page number on page 1 too
    number_headings: bool = False  # restore Word's lost heading numbers (1. / 1.1 / 1.1.1)
    two_line_headings: bool = False  # heading number on its own line above the title
    page_number_align: Literal["center", "right"] = "center"
    header_align: Literal["left", "center", "right"] = "right"
    justify: bool = True
    page_size: tuple[float, float] = (595.0, 842.0)  # A4
    scan_dpi: int = 150
    scan_rotation: float = 0.0  # degrees, scanned variant only
    scan_noise: float = 0.0  # share of pixels flipped to grey, scanned variant only
    seed: int = 0


TEXT_VARIANTS: list[RenderVariant] = [
    RenderVariant("classique", font="serif", margin=70.0, font_size=11.0,
                  header_text="{body}", page_number_format="{n}/{N}"),
    RenderVariant("moderne", font="sans-serif", margin=56.0, font_size=10.0,
                  header_text="RAPPORT D’OBSERVATIONS DÉFINITIVES", page_number_format="- {n} -",
                  number_headings=True, header_align="left"),
    RenderVariant("chambre", font="serif", margin=85.0, font_size=12.0,
                  header_text="{chamber}", page_number_format="Page {n} sur {N}",
                  furniture_on_cover=True, number_headings=True, two_line_headings=True,
                  page_number_align="right", header_align="center"),
    RenderVariant("compact", font="sans-serif", margin=48.0, font_size=9.5,
                  header_text=None, page_number_format="{n}/{N}",
                  two_line_headings=True, justify=False, page_number_align="right"),
]

SCANNED = replace(TEXT_VARIANTS[0], name="scanne", scanned=True, scan_rotation=0.3,
                  scan_noise=0.002)


def variants(seed: int = 0) -> list[RenderVariant]:
    """The fixed text-layer variants plus the scanned one; a non-zero seed jitters them.

    The same seed always gives the same variants.
    """
    if seed == 0:
        return [*TEXT_VARIANTS, SCANNED]
    rng = random.Random(seed)
    out = []
    for base in [*TEXT_VARIANTS, SCANNED]:
        changes = dict(margin=round(base.margin + rng.uniform(-10, 10), 1),
                       font_size=round(base.font_size + rng.choice([-0.5, 0.0, 0.5]), 1),
                       seed=seed, name=f"{base.name}-{seed}")
        if base.scanned:
            changes.update(scan_rotation=round(rng.uniform(-0.6, 0.6), 2),
                           scan_noise=round(rng.uniform(0.0, 0.004), 4))
        out.append(replace(base, **changes))
    return out
