"""``/doctrine``: the recurring findings, by theme, chamber and year. Each group is titled by
its most central sentence cut to a line, with its members and their reports. The groups are
computed after indexing by the worker (``worker.derived``), not here."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from api.deps import db
from api.templating import label, render
from constats import taxonomy
from nlp.recurring import short_title
from store import repo

router = APIRouter(include_in_schema=False)
GROUPS_SHOWN = 30


@router.get("/doctrine", response_class=HTMLResponse)
def doctrine_page(request: Request, session: Session = Depends(db),
                  theme: str = Query("", max_length=40), chamber: str = Query("", max_length=200),
                  year: str = Query("", pattern=r"^\s*(\d{4})?\s*$")):
    rec = request.app.state.recurring
    available = rec.available()
    all_groups = rec.groups() if available else []
    groups = rec.groups(theme=theme or None, chamber=chamber or None, year=year.strip() or None)
    shown = groups[:GROUPS_SHOWN]
    members = {f.id: (f, r) for f, r in repo.findings_by_ids(session, [m for g in shown for m in g["member_ids"]])}
    out = []
    for g in shown:
        items = [members[m] for m in g["member_ids"] if m in members]
        out.append({**g, "title": g.get("title") or short_title(g["label"]),
                    "theme_label": label("theme", g.get("theme")) if g.get("theme") else None,
                    "members": [{"id": f.id, "text": f.text, "kind": f.kind, "report_id": r.id,
                                 "report_title": r.title or r.body_name, "chamber": r.chamber,
                                 "year": r.year} for f, r in items]})
    chambers = sorted({c for g in all_groups for c in (g.get("by_chamber") or {})})
    years = sorted({y for g in all_groups for y in (g.get("by_year") or {}) if y.isdigit()}, reverse=True)
    return render(request, "doctrine.html", title="Constats récurrents", available=available,
                  info=rec.info() if available else {}, groups=out, total=len(groups),
                  themes=taxonomy.THEMES, chambers=chambers, years=years,
                  current={"theme": theme, "chamber": chamber, "year": year.strip()})
