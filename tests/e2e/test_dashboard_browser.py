"""The dashboard in a real headless Chromium (Debian's, never a downloaded one).

Screenshots go to test-artifacts/ so a person can look at what the officials see.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.warehouse import (
    FACETED_THEME,
    FACETS,
    NEW_FACET,
    PLANTED_BSN,
    PLANTED_THEME,
    QUOTE_LEAKS,
    QUOTES,
    build_warehouse,
)
from playwright.sync_api import Browser, Page, expect, sync_playwright

from dashboards.auth import UserStore
from e2e.walk import CHROMIUM_ARGS, chromium_path
from pipeline.kafka_broker import free_port

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
PASSWORD = "geheim-wachtwoord"
WEEK = "2026-W47"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dashboard")
    snapshot = build_warehouse(folder)
    data_dir = folder / "data"
    store = UserStore(data_dir / "dashboard_users.json")
    for name, role in (("ali", "analyst"), ("cor", "curator")):
        store.set(name, PASSWORD, role)
    port = free_port()
    env = dict(os.environ, LEDENRADAR_DATA_DIR=str(data_dir))
    command = [sys.executable, "-m", "pipeline"]
    server = subprocess.Popen(
        [*command, "dashboard", "--port", str(port), "--snapshot", str(snapshot)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"dashboard did not start: {server.stdout.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text(f"Ingelogd als {name}")).to_be_visible()


def test_quotes_are_hidden_without_login(dashboard, page):
    page.goto(f"{dashboard}/theme/{PLANTED_THEME[0]}?week={WEEK}")
    expect(page.get_by_role("heading", name=PLANTED_THEME[1])).to_be_visible()
    expect(page.get_by_text("om geanonimiseerde citaten te zien")).to_be_visible()
    assert QUOTES[PLANTED_THEME[0]][0] not in page.content()
    assert page.locator("#dossier").count() == 0
    shot(page, "01-theme-without-login")


def test_analyst_logs_in_drills_down_and_exports_a_dossier(dashboard, page, tmp_path):
    log_in(page, dashboard, "ali")
    page.goto(f"{dashboard}/?week={WEEK}")
    expect(page.get_by_role("heading", name="Nieuw of sterk stijgend")).to_be_visible()
    shot(page, "02-overview-analyst")

    page.get_by_role("link", name="Inzoomen").first.click()
    expect(page.get_by_role("heading", name="Per provincie")).to_be_visible()
    shot(page, "03-drill-provinces")
    for link, next_level in (
        ("Limburg", "Per sector"),
        ("Transport en logistiek", "Per kanaal"),
        ("Telefoon", "Per lijn"),
    ):
        page.locator("a.drill-link", has_text=link).click()
        expect(page.get_by_role("heading", name=next_level)).to_be_visible()
    expect(page.locator(".crumbs")).to_contain_text("Limburg › Transport en logistiek › Telefoon")
    shot(page, "04-drill-service-line")

    page.goto(f"{dashboard}/theme/{PLANTED_THEME[0]}?week={WEEK}")
    expect(page.locator("blockquote.quote").first).to_have_text(QUOTES[PLANTED_THEME[0]][0])
    shot(page, "05-theme-logged-in")
    with page.expect_download() as download_info:
        page.locator("#dossier").click()
    dossier = ARTIFACTS / download_info.value.suggested_filename
    download_info.value.save_as(dossier)
    text = dossier.read_text(encoding="utf-8")
    assert PLANTED_THEME[1] in text and PLANTED_BSN not in text
    page.goto(dossier.as_uri())
    expect(page.get_by_role("heading", name=f"Dossier: {PLANTED_THEME[1]}")).to_be_visible()
    shot(page, "06-dossier")


def test_theme_page_lists_its_facets_and_drills_down_by_facet(dashboard, page, tmp_path):
    import duckdb

    # The same fixture and salt as the dashboard's, so the same published numbers.
    with duckdb.connect(str(build_warehouse(tmp_path / "w")), read_only=True) as con:
        week = dict(
            con.execute(
                "SELECT facet_id, contacts FROM marts.facet_week WHERE iso_week = ?", [WEEK]
            ).fetchall()
        )
        total = dict(con.execute("SELECT facet_id, contacts FROM marts.theme_facets").fetchall())
    page.goto(f"{dashboard}/theme/{FACETED_THEME}?week={WEEK}")
    expect(page.get_by_role("heading", name="Aspecten")).to_be_visible()
    rows = page.locator("#facets tr[data-facet]")
    ours = sorted((f for f, (t, _) in FACETS.items() if t == FACETED_THEME), key=lambda f: -week[f])
    expect(rows).to_have_count(len(ours))
    for i, facet in enumerate(ours):
        row = rows.nth(i)
        expect(row).to_have_attribute("data-facet", facet)
        expect(row.get_by_role("link")).to_have_text(FACETS[facet][1])
        expect(row.locator("td.num").nth(0)).to_have_text(str(week[facet]))
        expect(row.locator("td.num").nth(1)).to_have_text(str(total[facet]))
    expect(page.locator(".facet-history")).to_contain_text("Nieuw aspect")
    shot(page, "09-theme-facets")

    page.get_by_role("link", name=FACETS[NEW_FACET[0]][1]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"— {FACETS[NEW_FACET[0]][1]}")
    expect(page.locator("select#facet")).to_have_value(NEW_FACET[0])
    expect(page.get_by_role("heading", name="Per provincie")).to_be_visible()
    expect(page.locator("p", has_text="Contacten:").locator(".count")).to_have_text(
        str(week[NEW_FACET[0]])
    )
    shot(page, "10-drill-by-facet")
    page.locator("select#facet").select_option("")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("—")


def test_a_non_curator_cannot_edit(dashboard, page):
    log_in(page, dashboard, "ali")
    response = page.goto(f"{dashboard}/curate")
    assert response is not None and response.status == 403
    expect(page.get_by_text("Alleen een curator mag de thema-indeling aanpassen.")).to_be_visible()
    assert page.locator("form.edit").count() == 0
    shot(page, "07-curate-refused-for-analyst")
    page.goto(f"{dashboard}/theme/{PLANTED_THEME[0]}")
    assert page.locator("form.edit").count() == 0
    assert page.get_by_role("link", name="Thema's beheren").count() == 0


def test_curator_renames_a_theme(dashboard, page):
    log_in(page, dashboard, "cor")
    page.get_by_role("link", name="Thema's beheren").click()
    row = page.locator("tr", has=page.locator("td", has_text="T0001"))
    row.get_by_label("nieuwe naam T0001").fill("Contributie")
    row.get_by_label("reden T0001").fill("kortere naam")
    row.get_by_role("button", name="Hernoemen").click()
    expect(page.get_by_text("T0001 hernoemd")).to_be_visible()
    shot(page, "08-curate-after-rename")


def test_digest_prints_on_a4(browser, tmp_path):
    import duckdb

    from dashboards.digest import build_digest
    from dashboards.dutch import IsoWeek
    from dashboards.render import write_digest

    snapshot = build_warehouse(tmp_path / "w")
    con = duckdb.connect(str(snapshot), read_only=True)
    write_digest(build_digest(con, IsoWeek.parse(WEEK)), ARTIFACTS / "digest")
    con.close()
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto((ARTIFACTS / "digest" / "digest.html").as_uri())
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Waar bellen leden deze week over?")).to_be_visible()
    shot(page, "09-digest-print")
    pdf = page.pdf(format="A4")
    (ARTIFACTS / "digest" / "digest.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    page.close()


def test_pages_fit_a_phone_at_390_px(dashboard, browser):
    # A phone lays a page out 980 px wide unless it has a viewport meta tag; is_mobile makes
    # Chromium honour (or miss) it as a phone would.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    log_in(page, dashboard, "ali")
    for name, path in (
        ("overview", f"/?week={WEEK}"),
        ("theme", f"/theme/{PLANTED_THEME[0]}?week={WEEK}"),
        ("drill", f"/drill?week={WEEK}&theme={PLANTED_THEME[0]}"),
        ("alerts", "/alerts"),
    ):
        page.goto(dashboard + path)
        assert_fits_a_phone(page, name)
        shot(page, f"10-phone-{name}")
    context.close()


def assert_fits_a_phone(page: Page, name: str) -> None:
    assert page.evaluate("window.innerWidth") == 390, "laid out at phone width"
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('body *')].map("
        "e => e.closest('table') && e.tagName !== 'TABLE' ? 0 : e.getBoundingClientRect().right))"
    )
    assert widest <= 390, f"{name}: something sticks out to {widest}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    # Body text stays readable: no font shrunk below 12 px.
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('p, td, a, li')].map("
        "e => parseFloat(getComputedStyle(e).fontSize)))"
    )
    assert smallest >= 12, name


def test_an_official_picks_an_own_range_of_weeks_on_a_phone(dashboard, browser):
    """Without JavaScript: the "eigen periode" link, two week pickers and a plain GET form;
    the address keeps the range, and a reversed one is explained in Dutch."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto(f"{dashboard}/?week={WEEK}&periode=4weken")
    page.locator("#own-period").click()
    page.get_by_label("Van").select_option("2026-W42")
    page.get_by_label("tot en met").select_option("2026-W45")
    page.get_by_role("button", name="Toon").click()
    assert "periode=eigen&van=2026-W42&tot=2026-W45" in page.url
    expect(page.locator("#themes")).to_have_text("Thema's in week 42 t/m 45")
    sums = page.locator("tr[data-theme] span.sum")
    assert sums.count() >= 3 and all(s.get_attribute("data-sum") for s in sums.all())
    assert_fits_a_phone(page, "own range")
    shot(page, "12-phone-own-range")
    page.get_by_label("Van").select_option("2026-W46")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("#range-error")).to_contain_text("De periode loopt achteruit")
    assert_fits_a_phone(page, "own range reversed")
    context.close()


def test_official_downloads_the_dossier_pdf_and_a_csv(dashboard, page):
    import csv
    import io

    import pypdf

    log_in(page, dashboard, "ali")
    page.goto(f"{dashboard}/theme/{PLANTED_THEME[0]}?week={WEEK}")
    expect(page.locator("svg.trend")).to_be_visible()
    shot(page, "11-theme-trend-chart")
    with page.expect_download() as pdf_download:
        page.locator("#dossier-pdf").click()
    pdf = ARTIFACTS / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf)
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).split())
    assert f"Dossier: {PLANTED_THEME[1]}" in text and QUOTES[PLANTED_THEME[0]][0][:30] in text
    assert not [value for value in (PLANTED_BSN, *QUOTE_LEAKS) if value in text]

    page.goto(f"{dashboard}/?week={WEEK}")
    assert page.locator("#next-week").count() == 0, "no link past the last week with data"
    with page.expect_download() as csv_download:
        page.locator("a.csv").first.click()
    rows = list(
        csv.reader(
            io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8-sig")),
            delimiter=";",
        )
    )
    planted = next(r for r in rows if r[0] == PLANTED_THEME[0])
    row = page.locator("table.trends tr", has=page.get_by_role("link", name=PLANTED_THEME[1]))
    assert row.locator("span.count").get_attribute("data-count") == planted[-1]
