"""Fixture data of the API tests: reports in a real store, indexed in a real Meilisearch.

Two kinds of reports are stored:
- real reports of the development corpus (read at run time from ../shared/corpus, never
  copied): their paragraphs become findings with character offsets into txt/<key>.txt;
- small fictional reports written for these tests (a commune, its EPCI, its CCAS, and a
  later report following up the first one's recommendations), to check precise behaviour.
Each report may carry a real PDF (rendered here with PyMuPDF) in the raw store.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pymupdf

from constats.config import Settings
from constats.domain import (
    Body,
    Finding,
    Report,
    ReportMetadata,
    Response,
    Section,
    ThemeScore,
    finding_id,
    report_id_for,
    sha256_hex,
)
from store import repo
from store.db import migrate, session_scope
from tests.corpus import CORPUS, corpus_txt

THEMES = ["gouvernance", "situation_financiere", "ressources_humaines", "commande_publique",
          "fiabilite_comptes"]


def make_pdf(pages: list[str]) -> bytes:
    """A real PDF with one page per string."""
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


def put_raw(settings: Settings, data: bytes) -> str:
    sha = sha256_hex(data)
    path = settings.raw_dir / sha[:2] / sha[2:4] / f"{sha}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return sha


def store_report(settings: Settings, findings: list[dict], *, key: str, title: str, body: Body,
                 chamber: str, year: int, region: str | None = None, pdf: bytes | None = None,
                 sections: list[Section] = (), responses: list[Response] = ()) -> str:
    """Store a report whose findings are dicts of Finding fields (``text`` and ``start`` given)."""
    sha = put_raw(settings, pdf) if pdf else sha256_hex(key.encode())
    rid = report_id_for(sha)
    made = []
    for f in findings:
        f = dict(f)
        text, start = f.pop("text"), f.pop("start")
        theme = f.pop("theme", None)
        made.append(Finding(id=finding_id(rid, start, start + len(text)), report_id=rid, text=text,
                            start=start, end=start + len(text), page=f.pop("page", 1),
                            primary_theme=theme, confidence=f.pop("confidence", 0.8 if theme else None),
                            themes=[ThemeScore(code=theme, score=0.8)] if theme else [], **f))
    meta = ReportMetadata(title=title, chamber=chamber, body=body, region=region,
                          departement=body.departement, deliberation_date=date(year, 6, 1),
                          period=f"exercices {year - 5} et suivants")
    report = Report(id=rid, sha256=sha, extractor_version="test-1", classifier_version="test-clf",
                    n_pages=4, metadata=meta, findings=made, sections=list(sections),
                    responses=list(responses))
    with session_scope(settings.db_url) as session:
        repo.register_report(session, sha, source_url=f"https://www.ccomptes.test/files/{key}.pdf",
                             title=title)
        repo.save_extraction(session, report)
    return rid


def corpus_findings(key: str, limit: int = 40) -> list[dict]:
    """Paragraphs of a corpus report as findings, by offsets into txt/<key>.txt."""
    text = corpus_txt(key)
    out, pos, n_reco = [], 0, 0
    for i, line in enumerate(text.split("\n")):
        start, pos = pos, pos + len(line) + 1
        if len(line) < 120 or "\t" in line:
            continue
        kind, number = "observation", None
        if re.search(r"recommand", line, re.I):
            n_reco += 1
            kind, number = "recommandation", str(n_reco)
        out.append(dict(text=line, start=start, kind=kind, number=number, page=start // 2500 + 1,
                        section_path=["Observations"], theme=THEMES[i % len(THEMES)],
                        low_confidence=(i % 7 == 0)))
        if len(out) >= limit:
            break
    return out


@dataclass
class ApiData:
    settings: Settings
    ids: dict[str, str] = field(default_factory=dict)
    bodies: list[dict] = field(default_factory=list)


# Codes used by the fixtures (fictional bodies use fictional-looking codes)
NEUVILLE = Body(name="Neuville-de-Poitou", kind="commune", insee="86177", departement="86",
                postal_codes=["86170"], link_status="linked")
NEUVILLOIS = Body(name="Communauté de communes du Neuvillois", kind="epci", siren="248600447",
                  departement="86", link_status="linked")
LORMONT = Body(name="Lormont", kind="commune", insee="33249", departement="33",
               postal_codes=["33310"], link_status="linked")
VALFLEURI = Body(name="Valfleuri-sur-Loire", kind="commune", insee="45999", departement="45",
                 postal_codes=["45990"], link_status="linked")
VALFLEURI_CCAS = Body(name="Centre communal d'action sociale de Valfleuri-sur-Loire", kind="ccas",
                      insee="45999", departement="45", link_status="linked")
MAREUIL = Body(name="Mareuil-des-Coteaux", kind="commune", insee="45998", departement="45",
               postal_codes=["45991"], link_status="linked")  # fictional: the EPCI's other commune
VALFLEURI_EPCI = Body(name="Communauté de communes des Coteaux fictifs", kind="epci",
                      siren="200099999", departement="45", link_status="linked")

EARLY = [  # fictional: the first report on Valfleuri (2014)
    dict(text="La commune doit adopter un règlement budgétaire et financier avant la fin de l'exercice.",
         start=100, kind="recommandation", number="1", page=2, theme="information_budgetaire"),
    dict(text="Mettre fin au versement de la prime de fin d'année dépourvue de base légale.",
         start=300, kind="recommandation", number="2", page=3, theme="ressources_humaines"),
    dict(text="La situation financière de la commune s'est dégradée sous l'effet de la hausse des charges.",
         start=10, kind="synthese", page=1, theme="situation_financiere"),
]
LATER = [  # fictional: the follow-up report (2019) says what became of EARLY's recommendations
    dict(text="Recommandation n° 1 du précédent rapport : règlement budgétaire adopté en 2016.",
         start=500, kind="suivi", number="1", page=2, status="totalement_mise_en_oeuvre"),
    dict(text="Recommandation n° 2 du précédent rapport : la prime est toujours versée.",
         start=700, kind="suivi", number="2", page=2, status="non_mise_en_oeuvre"),
    dict(text="Renégocier le contrat de délégation de service public de la piscine municipale.",
         start=900, kind="recommandation", number="1", page=3, theme="gestion_deleguee",
         status="en_cours"),
]


def build(settings: Settings, embedder) -> ApiData:
    """Store and index everything; returns the ids by name."""
    from search.client import MeiliClient
    from search.indexer import index_bodies, index_reports

    migrate(settings.db_url)
    data = ApiData(settings)
    ids = data.ids
    if (CORPUS / "metadata.csv").exists():
        for name, key, body, year in (("neuville", "260232", NEUVILLE, 2015),
                                      ("neuvillois", "260233", NEUVILLOIS, 2015),
                                      ("lormont", "260333", LORMONT, 2015)):
            ids[name] = store_report(settings, corpus_findings(key), key=key, body=body,
                                     title=f"Rapport d'observations définitives — {body.name}",
                                     chamber="CRC Nouvelle-Aquitaine", region="Nouvelle-Aquitaine",
                                     year=year)
    ids["early"] = store_report(
        settings, EARLY, key="valfleuri-2014", body=VALFLEURI, chamber="CRC Centre-Val de Loire",
        region="Centre-Val de Loire", year=2014, title="Commune de Valfleuri-sur-Loire (Loiret)",
        pdf=make_pdf(["Valfleuri-sur-Loire, rapport fictif", "Recommandation 1", "Recommandation 2",
                      "Réponse du maire"]),
        sections=[Section(title="Synthèse", kind="synthese", page=1, page_end=1),
                  Section(title="Recommandations", kind="recommandations", page=2, page_end=3)],
        responses=[Response(author="Le maire", text="La commune a pris acte des observations.",
                            page=4, page_end=4, start=2000, end=2040)])
    LATER_LINKED = [dict(f, earlier_report_id=ids["early"]) if f["kind"] == "suivi" else f for f in LATER]
    ids["later"] = store_report(settings, LATER_LINKED, key="valfleuri-2019", body=VALFLEURI,
                                chamber="CRC Centre-Val de Loire", region="Centre-Val de Loire",
                                year=2019, title="Commune de Valfleuri-sur-Loire (Loiret), suivi")
    ids["ccas"] = store_report(settings, [dict(
        text="Le centre communal d'action sociale n'a pas de comptabilité d'engagement.", start=50,
        kind="observation", page=2, theme="fiabilite_comptes")], key="valfleuri-ccas",
        body=VALFLEURI_CCAS, chamber="CRC Centre-Val de Loire", year=2017,
        title="CCAS de Valfleuri-sur-Loire")
    ids["epci"] = store_report(settings, [dict(
        text="Les attributions de compensation n'ont pas été révisées depuis le transfert.", start=80,
        kind="observation", page=2, theme="intercommunalite")], key="coteaux", body=VALFLEURI_EPCI,
        chamber="CRC Centre-Val de Loire", year=2018, title="Communauté de communes des Coteaux fictifs")
    ids["mareuil"] = store_report(settings, [dict(  # same wording as EARLY's n° 2: a recurring finding
        text="Mettre fin au versement de la prime de fin d'année dépourvue de base légale.", start=60,
        kind="recommandation", number="1", page=2, theme="ressources_humaines")], key="mareuil-2016",
        body=MAREUIL, chamber="CRC Centre-Val de Loire", region="Centre-Val de Loire", year=2016,
        title="Commune de Mareuil-des-Coteaux (Loiret)")
    data.bodies = [
        {**b.model_dump(), **extra} for b, extra in (
            (NEUVILLE, {"epci_siren": NEUVILLOIS.siren, "population": 5000}),
            (NEUVILLOIS, {"population": 20000}), (LORMONT, {"population": 23000}),
            (VALFLEURI, {"epci_siren": VALFLEURI_EPCI.siren, "population": 3000}),
            (MAREUIL, {"epci_siren": VALFLEURI_EPCI.siren, "population": 800}),
            (VALFLEURI_EPCI, {"population": 15000}))]
    with MeiliClient(settings.meili, settings.meili_master_key) as admin, \
            session_scope(settings.db_url) as session:
        summary = index_reports(session, admin, list(ids.values()), embedder, settings.index_prefix)
        assert not summary.skipped, summary.skipped
        index_bodies(admin, settings.index_prefix, bodies=data.bodies)
    return data


def api_settings(live_services, state: Path, **overrides) -> Settings:
    return Settings(state_dir=state, meili_url=live_services.meili_url,
                    meili_master_key=live_services.master_key, redis_url=live_services.redis_url,
                    database_url=f"sqlite:///{state / 'constats.db'}",
                    index_prefix=f"tapi{uuid.uuid4().hex[:8]}", admin_api_key="admin-test-key",
                    public_rate_limit="100000/minute",
                    **{"public_base_url": "http://constats.test", **overrides})


_BUILT: dict[str, ApiData] = {}


def shared_data(live_services, tmp_path_factory) -> ApiData:
    """One indexed data set per test session, shared by the API, page, sweep and browser
    tests (they only read it)."""
    key = live_services.meili_url
    if key not in _BUILT:
        from tests.search_support import HashingEmbedder

        settings = api_settings(live_services, tmp_path_factory.mktemp("api-data"))
        _BUILT[key] = build(settings, HashingEmbedder(64))
    return _BUILT[key]


def page(client, url: str, status: int = 200):
    """GET an HTML page of the application, check its status and type, and parse it."""
    from selectolax.lexbor import LexborHTMLParser

    r = client.get(url)
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return LexborHTMLParser(r.text)
