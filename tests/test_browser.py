"""Browser tests in headless Chromium (the system's /usr/bin/chromium, driven by Playwright):
search, filter by a facet, open a commune page, download a CSV export. Screenshots are
saved under test-artifacts/ (gitignored)."""

from __future__ import annotations

import csv
import io
import os
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from api.app import create_app
from runtime import local as svc
from tests.api_support import shared_data
from tests.search_support import HashingEmbedder

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.services]


@pytest.fixture(scope="module")
def base_url(live_services, tmp_path_factory):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI (Debian package chromium)")
        pytest.skip(f"{CHROMIUM} absent: install the Debian package chromium to run browser tests")
    data = shared_data(live_services, tmp_path_factory)
    port = svc.free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(data.settings, embedder=HashingEmbedder(64)),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(base_url, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            accept_downloads=True, locale="fr-FR",
            bypass_csp=True)  # axe-core is injected inline; the pages themselves run under the CSP
        yield ctx
        ctx.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search_then_filter_by_a_facet(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/")
    page.get_by_label("Mots, expression, code INSEE ou année").fill("prime")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/recherche?q=prime"))
    assert page.locator("article.hit").count() >= 1
    assert page.locator("article.hit mark").count() >= 1
    shot(page, "01-results")
    page.locator("#facette-kind + ul a[href*='kind=recommandation']").click()
    page.wait_for_url(lambda url: "kind=recommandation" in url)
    titles = page.locator("article.hit h2").all_inner_texts()
    assert titles and all(t.startswith("Recommandation") for t in titles)
    shot(page, "02-results-filtered")
    page.close()


def test_a_filter_read_from_the_query_is_shown_and_removed_in_one_click(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/recherche?q=prime+2019")
    note = page.locator("#filtres-compris")
    assert "rapports de l'année 2019" in note.inner_text()
    filtered = page.locator("article.hit").count()
    assert filtered >= 1 and all("2019" in m for m in page.locator("article.hit p.meta").all_inner_texts())
    shot(page, "06-understood-filter")
    note.get_by_role("link", name="mot pour mot").click()
    page.wait_for_url(lambda url: "literal=true" in url)
    assert page.locator("#filtres-compris").count() == 0
    assert page.locator("#q").input_value() == "prime 2019"
    assert page.locator("article.hit").count() > filtered  # the 2014 finding about the prime too
    page.close()


def test_keyboard_reaches_the_skip_link_first(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"
    page.close()


def test_open_a_commune_page(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/")
    page.get_by_label("Nom, code postal ou code INSEE").fill("Valfleuri")
    page.get_by_role("button", name="Trouver").click()
    page.get_by_role("link", name="Valfleuri-sur-Loire").first.click()
    page.wait_for_url("**/organismes/45999")
    assert page.locator("h1").inner_text() == "Valfleuri-sur-Loire"
    assert page.locator("section.report-block").count() == 4
    assert page.locator("table.data", has_text="Totalement mise en œuvre").count() == 1
    shot(page, "03-commune")
    page.close()


def test_download_a_csv_export(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/export")
    page.get_by_label("Type de constat").select_option("recommandation")
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows and {r["kind"] for r in rows} == {"recommandation"}
    shot(page, "04-export")
    page.close()


# ---------------------------------------------------------------------------- issue 16: pages for citizens
AXE = Path(__file__).resolve().parents[1] / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def data(base_url, live_services, tmp_path_factory):
    return shared_data(live_services, tmp_path_factory)


@pytest.fixture(scope="module")
def recurring_groups(data):
    """The groups of recurring findings, computed as the worker does after indexing."""
    from runtime.services import Services
    from search.recurring import groups_path
    from worker.derived import refresh_recurring

    svc = Services(data.settings, embedder=HashingEmbedder(64))
    groups = refresh_recurring(svc, force=True)
    yield groups
    groups_path(data.settings.state_dir).unlink(missing_ok=True)
    svc.close()


@pytest.fixture(scope="module")
def axe():
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is required in CI (make assets installs axe-core from npm)")
        pytest.skip(f"{AXE} absent: run `make assets`")
    return AXE


def axe_violations(page, axe_path: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_path))
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => ({id: v.id, impact: v.impact,
                               nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))""")


def _subscription_token(data) -> str:
    from store import subscriptions as subs
    from store.db import session_scope

    with session_scope(data.settings.db_url) as s:
        return subs.create(s, "axe@example.org", {"q": "prime"}, "prime", "weekly").token


def page_types(data) -> dict[str, str]:
    from store.db import session_scope
    from store.models import FindingRow

    with session_scope(data.settings.db_url) as s:
        fid = s.query(FindingRow).filter_by(report_id=data.ids["later"], kind="suivi").first().id
    return {
        "home": "/", "results": "/recherche?q=prime", "lookup": "/communes?q=valfleuri",
        "commune": "/organismes/45999", "epci": "/organismes/200099999", "departement": "/organismes/45",
        "region": "/regions/24", "report": f"/rapports/{data.ids['early']}", "finding": f"/constats/{fid}",
        "export": "/export", "docs": "/docs", "directory": "/publications", "statistics": "/statistiques",
        "doctrine": "/doctrine", "subscribe": "/abonnements?insee=45999&label=Valfleuri",
        "subscription": f"/abonnements/confirmer/{_subscription_token(data)}", "error": "/rapports/inconnu"}


def test_axe_reports_no_violation_on_every_page_type(browser, base_url, data, axe, recurring_groups):
    page = browser.new_page()
    found = {}
    for name, url in page_types(data).items():
        page.goto(base_url + url)
        violations = axe_violations(page, axe)
        if violations:
            found[name] = violations
    page.close()
    assert found == {}


def test_focus_ring_contrasts_at_least_3_to_1(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the skip links: the brand link, on the header's background
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        const bg = getComputedStyle(document.querySelector('.site-header')).backgroundColor;
        return {color: s.outlineColor, width: s.outlineWidth, style: s.outlineStyle, bg}; }""")

    def lum(css: str) -> float:
        r, g, b = (int(x) / 255 for x in css[css.index("(") + 1:css.index(")")].split(",")[:3])
        f = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * f[0] + 0.7152 * f[1] + 0.0722 * f[2]

    for background in ("rgb(255, 255, 255)", style["bg"]):
        hi, lo = sorted((lum(style["color"]), lum(background)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 3.0, (style, background)
    assert style["style"] == "solid" and float(style["width"].rstrip("px")) >= 2
    page.close()


def test_results_skip_link_goes_to_the_results(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/recherche?q=prime")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller aux résultats"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "resultats"
    page.close()


def test_commune_dossier_with_a_satellite_report(browser, base_url, data):
    page = browser.new_page()
    page.goto(base_url + "/communes?q=45990")
    item = page.locator("#resultats li", has_text="Valfleuri-sur-Loire").first
    assert "4 rapports" in item.locator(".report-count").inner_text()
    item.get_by_role("link", name="Valfleuri-sur-Loire").click()
    page.wait_for_url("**/organismes/45999")
    ccas = page.locator("section.report-block", has=page.locator(f"#r-{data.ids['ccas']}"))
    assert "établissement ou satellite" in ccas.locator(".relation").inner_text()
    assert page.locator("h2.timeline-year").all_inner_texts() == ["2019", "2018", "2017", "2014"]
    assert page.locator("section.neighbours li").count() == 1
    shot(page, "05-commune-dossier")
    ccas.get_by_role("link", name="CCAS de Valfleuri-sur-Loire").click()
    page.wait_for_url(f"**/rapports/{data.ids['ccas']}")
    assert page.locator("h1").inner_text() == "CCAS de Valfleuri-sur-Loire"
    page.close()


def test_map_and_charts_open_the_matching_search(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/statistiques")
    shot(page, "06-map-and-charts")
    page.locator("svg.map a[data-departement='45']").click()
    page.wait_for_url("**/recherche?departement=45")
    assert page.locator("article.hit").count() == 9  # every finding of the Loiret's 5 reports
    page.go_back()
    page.locator("#graphique-chambres a", has_text="CRC Nouvelle-Aquitaine").first.click() \
        if page.locator("#graphique-chambres a", has_text="CRC Nouvelle-Aquitaine").count() \
        else page.locator("#graphique-chambres a").first.click()
    page.wait_for_url("**/recherche?chamber=*")
    chamber = page.evaluate("new URL(location.href).searchParams.get('chamber')")
    metas = page.locator("article.hit .meta").all_inner_texts()
    assert metas and all(m.startswith(chamber) for m in metas)
    page.go_back()
    page.locator("#graphique-themes a").first.focus()
    page.keyboard.press("Enter")  # a bar is a link: the keyboard opens it too
    page.wait_for_url("**/recherche?theme=*")
    page.close()


def test_doctrine_page_filters_and_members(browser, base_url, data, recurring_groups):
    page = browser.new_page()
    page.goto(base_url + "/doctrine")
    page.get_by_label("Thème").select_option("ressources_humaines")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/doctrine?theme=ressources_humaines*")
    group = page.locator("article.group", has_text="Mettre fin au versement de la prime").first
    group.locator("summary").click()
    links = group.locator("details a[href^='/rapports/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert {f"/rapports/{data.ids['early']}", f"/rapports/{data.ids['mareuil']}"} <= set(links)
    shot(page, "07-doctrine")
    page.close()


def test_export_page_filters(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/export")
    page.get_by_label("Chambre").select_option("CRC Centre-Val de Loire")
    page.get_by_label("Type de constat").select_option("recommandation")
    page.get_by_label("Mots du texte").fill("prime")
    page.get_by_label("Type d'organisme").select_option("commune")
    page.locator("#f-jsonl").check()
    shot(page, "08-export-filters")
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger").click()
    download = info.value
    assert download.suggested_filename.startswith("constats_recommandation_commune_crc-centre-val-de-loire_q-prime_")
    assert download.suggested_filename.endswith(".jsonl")
    import json

    rows = [json.loads(line) for line in Path(download.path()).read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2 and {r["chamber"] for r in rows} == {"CRC Centre-Val de Loire"}
    assert all(r["kind"] == "recommandation" and "prime" in r["text"] for r in rows)
    page.close()
