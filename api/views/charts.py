"""``/statistiques``: the map of the départements and the charts, each with its data table;
every département and every bar opens the matching search."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from api import charts
from api.deps import db
from api.templating import fr_percent, render
from constats import taxonomy
from nlp import geo
from store import repo

router = APIRouter(include_in_schema=False)


def search_href(**params) -> str:
    return "/recherche?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


@router.get("/statistiques", response_class=HTMLResponse)
def statistics_page(request: Request, session: Session = Depends(db)):
    by_dep = repo.counts_by(session, "departement")
    dep_rows = [{"code": c, "name": geo.departement_label(c) or c, "reports": r, "findings": f,
                 "href": search_href(departement=c)} for c, r, f in by_dep]
    map_svg = charts.france_map({d["code"]: d["reports"] for d in dep_rows},
                                href="/recherche?departement={code}", title="Rapports par département")
    bounds = charts.classes([d["reports"] for d in dep_rows])

    by_chamber = [{"name": c, "reports": r, "findings": f, "href": search_href(chamber=c)}
                  for c, r, f in repo.counts_by(session, "chamber")]
    by_year = [{"year": y, "reports": r, "findings": f,
                "href": search_href(year_from=y, year_to=y)} for y, r, f in repo.counts_by(session, "year")]
    theme_year = repo.theme_year_counts(session)
    years = sorted({y for _, y, _ in theme_year})
    grid: dict[str, dict[int, int]] = defaultdict(dict)
    for t, y, n in theme_year:
        grid[t][y] = n
    themes: list[dict[str, Any]] = [{"code": t, "label": taxonomy.THEMES.get(t, t), "total": sum(grid[t].values()),
               "by_year": grid[t], "href": search_href(theme=t)} for t in taxonomy.THEMES if t in grid]
    rates = [{"name": c, **counts, "href": search_href(chamber=c, kind="suivi")}
             for c, counts in repo.follow_rate_by_chamber(session) if counts["followed"]]

    return render(
        request, "statistics.html", title="Carte et chiffres",
        map_svg=map_svg, legend=charts.legend(bounds), departements=dep_rows,
        chamber_chart=charts.bar_chart([(c["name"], c["reports"], c["href"]) for c in by_chamber],
                                       title="Rapports par chambre") if by_chamber else None,
        by_chamber=by_chamber,
        year_chart=charts.bar_chart([(str(y["year"]), float(y["findings"]), str(y["href"])) for y in by_year],
                                    title="Constats par année") if by_year else None,
        by_year=by_year,
        theme_chart=charts.bar_chart([(str(t["label"]), float(t["total"]), str(t["href"])) for t in themes],
                                     title="Constats par thème principal") if themes else None,
        themes=themes, years=years,
        rate_chart=charts.bar_chart([(r["name"], r["follow_rate"] or 0.0, r["href"]) for r in rates],
                                    title="Taux de mise en œuvre totale par chambre", max_value=1.0,
                                    value_label=fr_percent) if rates else None,
        rates=rates)
