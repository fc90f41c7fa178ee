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
            accept_downloads=True, locale="fr-FR")
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
