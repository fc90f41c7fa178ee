"""``/publications``: the directory of publications, newest first, browsable by chamber,
département and year, with headline numbers; its first entries are also on the home page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from api.deps import db
from api.templating import render, url_with
from nlp import geo
from store import repo

router = APIRouter(include_in_schema=False)
PER_PAGE = 25


def entries(rows, base: str) -> list[dict]:
    return [{"id": r.id, "title": r.title or r.body_name or r.id, "body_name": r.body_name,
             "chamber": r.chamber, "departement": r.departement, "year": r.year,
             "insee": r.insee, "siren": r.siren, "n_findings": None,
             "deliberation_date": ((r.structure or {}).get("metadata") or {}).get("deliberation_date"),
             "published_on": published, "publication_url": url, "source_url": r.source_url}
            for r, url, published in rows]


def latest(session: Session, base: str, n: int = 6) -> tuple[list[dict], dict]:
    """The newest reports and the headline numbers (home page)."""
    rows, _ = repo.directory(session, repo.ReportFilter(), limit=n)
    return entries(rows, base), repo.headline(session, repo.ReportFilter())


@router.get("/publications", response_class=HTMLResponse)
def directory_page(request: Request, session: Session = Depends(db),
                   chamber: str = Query("", max_length=200), departement: str = Query("", max_length=3),
                   year: str = Query("", pattern=r"^\s*(\d{4})?\s*$"), page: int = Query(1, ge=1, le=10_000)):
    f = repo.ReportFilter(chamber=chamber or None, departement=[departement.upper()] if departement else None,
                          year=int(year) if year.strip() else None)
    rows, total = repo.directory(session, f, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    deps = [(c, geo.departement_label(c) or c) for c in repo.distinct_values(session, "departement")]
    return render(request, "publications.html", title="Les publications",
                  reports=entries(rows, str(request.base_url)), total=total, page=page, pages=pages,
                  headline=repo.headline(session, f), chambers=repo.distinct_values(session, "chamber"),
                  departements=deps, years=sorted(repo.distinct_values(session, "year"), reverse=True),
                  current={"chamber": chamber, "departement": departement.upper(), "year": year.strip()},
                  prev_url=url_with(request, page=page - 1) if page > 1 else None,
                  next_url=url_with(request, page=page + 1) if page < pages else None)
