"""Rendering of the server-side pages: the Jinja templates, labels of codes, links that keep
the query string, and the error page (used by the pages and by the error handlers).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from constats import taxonomy

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
STATIC = Path(__file__).with_name("static")

LABELS = {"kind": taxonomy.KINDS, "primary_theme": taxonomy.THEMES, "theme": taxonomy.THEMES,
          "status": taxonomy.STATUSES, "body_kind": taxonomy.BODY_KINDS, "sector": taxonomy.SECTORS}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def fr_date(value) -> str:
    """« 19 avril 2016 » (« 1er » for the first day) from a date or an ISO string; the value
    unchanged when it is not a date."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def fr_number(value) -> str:
    """12 345 (narrow no-break space between thousands)."""
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


def fr_percent(value) -> str:
    return "—" if value is None else f"{round(100 * value)}\u00a0%"


def label(field: str, code) -> str:
    if code is None:
        return ""
    return LABELS.get(field, {}).get(str(code), str(code))


def url_with(request: Request, drop: tuple[str, ...] = ("page",), **changes) -> str:
    """The current URL's query string with some parameters replaced, added or toggled."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in drop]
    for key, value in changes.items():
        pair = (key, str(value))
        if key.startswith("toggle_"):
            key = key[len("toggle_"):]
            pair = (key, str(value))
            items = [i for i in items if i != pair] if pair in items else items + [pair]
        else:
            items = [i for i in items if i[0] != key] + ([pair] if value not in (None, "") else [])
    return "?" + urlencode(items)


#: classes of the DSFR components used when ui_theme=dsfr (none with the project's theme)
DSFR_CLASSES = {"button": "fr-btn", "input": "fr-input", "select": "fr-select", "label": "fr-label",
                "table": "fr-table", "badge": "fr-badge fr-badge--sm"}


def render(request: Request, template: str, status: int = 200, headers=None, **ctx) -> HTMLResponse:
    settings = request.app.state.settings
    dsfr = settings.ui_theme == "dsfr" and (STATIC / "dsfr" / "dsfr.min.css").exists()
    classes = DSFR_CLASSES if dsfr else {}
    return TEMPLATES.TemplateResponse(request, template, {
        "dsfr": dsfr, "ui": lambda name: classes.get(name, ""), "label": label, "taxonomy": taxonomy,
        "url_with": url_with, **ctx},
        status_code=status, headers=headers)


TEMPLATES.env.filters.update(fr_date=fr_date, fr_number=fr_number, fr_percent=fr_percent)


def error_page(request: Request, status: int, message: str, headers=None) -> HTMLResponse:
    titles = {404: "Page introuvable", 422: "Demande incorrecte", 429: "Trop de requêtes",
              503: "Service momentanément indisponible"}
    return render(request, "error.html", status=status, headers=headers,
                  title=titles.get(status, "Erreur"), message=message)
