"""CSV exports hold the page's own numbers; the dossier PDF opens and its text is readable."""

import csv
import io
import re
from pathlib import Path

import pypdf
import pytest
from fixtures.warehouse import (
    PLANTED_BSN,
    PLANTED_NAME,
    PLANTED_PHONE,
    PLANTED_THEME,
    QUOTE_LEAKS,
    QUOTES,
    build_warehouse,
)
from starlette.testclient import TestClient
from typer.testing import CliRunner

from dashboards.auth import UserStore
from dashboards.web import DashboardConfig, create_app
from pipeline.cli import app

PASSWORD = "geheim-wachtwoord"
WEEK = "2026-W47"
PERSONAL = (PLANTED_BSN, PLANTED_NAME, PLANTED_PHONE)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture
def client(snapshot: Path, tmp_path: Path) -> TestClient:
    store = UserStore(tmp_path / "users.json")
    store.set("bea", PASSWORD, "official")
    config = DashboardConfig(snapshot, store.path, tmp_path / "taxonomy.yaml", "test-secret")
    return TestClient(create_app(config))


def login(client: TestClient) -> None:
    client.post("/login", data={"name": "bea", "password": PASSWORD, "next": "/"})


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    text = response.content.decode("utf-8-sig")
    assert not any(value in text for value in PERSONAL)
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def page_counts(html: str, row_pattern: str) -> dict[str, str]:
    """key -> data-count of the first count in the table row that the pattern's group names."""
    found = {}
    for row in re.findall(r"<tr.*?</tr>", html, flags=re.S):
        key = re.search(row_pattern, row)
        count = re.search(r'class="count" data-count="(\d*)">([^<]*)<', row)
        if key and count:
            found[key[1]] = count[1] or count[2]
    return found


def test_themes_csv_has_the_overview_numbers_and_no_weeks_before_the_data(client):
    overview = client.get(f"/?week={WEEK}").text
    assert f'href="/export/themas.csv?week={WEEK}"' in overview
    rows = rows_of(client.get(f"/export/themas.csv?week={WEEK}"))
    header, body = rows[0], rows[1:]
    # The data starts in week 40: twelve weeks back would invent four empty weeks.
    assert header == [
        "Thema-id",
        "Thema",
        f"Contacten (week t/m {WEEK})",
        "Vorige periode",
        "Verandering",
        "Aandeel (%)",
        *(f"2026-W{w}" for w in range(40, 48)),
    ]
    shown = page_counts(overview, r'href="/theme/(T\d+)\?week=')
    exported = {row[0]: row[-1] for row in body}
    assert shown and {t: exported[t] for t in shown} == shown
    assert exported[PLANTED_THEME[0]] == shown[PLANTED_THEME[0]] and int(shown["T0010"]) > 5


def test_alerts_csv_has_the_alert_list_numbers(client):
    page = client.get("/alerts").text
    rows = rows_of(client.get("/export/signalen.csv"))
    assert rows[0] == [
        "Dag",
        "Thema-id",
        "Thema",
        "Wat",
        "Waar",
        "Sinds",
        "Venster (dagen)",
        "Contacten",
        "Verwacht",
    ]
    assert [r[7] for r in rows[1:]] == re.findall(r'data-count="(\d+)"', page)
    assert ["18 november 2026", "T0010", PLANTED_THEME[1]] in [r[:3] for r in rows[1:]]
    # The expected count is published as whole contacts (docs/warehouse.md); written Dutch.
    assert all(re.fullmatch(r"\d+(,0)?", r[8]) for r in rows[1:]), "Dutch number format"


def test_drill_csv_has_the_drill_tables_numbers(client):
    query = f"week={WEEK}&theme=alle&province=NL-LI"
    page = client.get(f"/drill?{query}").text
    assert "/export/inzoomen.csv?week=2026-W47&amp;theme=alle&amp;province=NL-LI" in page
    rows = rows_of(client.get(f"/export/inzoomen.csv?{query}"))
    assert rows[0] == ["Code", "Sector", "Contacten"]
    shown = re.findall(r'<td class="num"><span class="count" data-count="(\d*)">([^<]*)<', page)
    assert [r[2] for r in rows[1:]] == [n or text for n, text in shown]


def test_a_drill_link_saved_with_region_still_drills_into_that_province(client):
    old = client.get(f"/export/inzoomen.csv?week={WEEK}&theme=alle&region=NL-LI").text
    new = client.get(f"/export/inzoomen.csv?week={WEEK}&theme=alle&province=NL-LI").text
    national = client.get(f"/export/inzoomen.csv?week={WEEK}&theme=alle").text
    assert old == new != national


def test_theme_csvs_have_the_theme_pages_numbers(client):
    page = client.get(f"/theme/{PLANTED_THEME[0]}?week={WEEK}").text
    provinces = rows_of(client.get(f"/export/provincies.csv?theme=T0010&week={WEEK}"))
    tilemap = re.search(r'<svg [^>]*class="chart tilemap".*?</svg>', page, flags=re.S)[0]
    # Each tile describes itself ("Limburg: 12", "Zeeland: minder dan 5"); 1.234 on the page
    # is 1234 in the CSV.
    tiles = re.findall(r'aria-label="([^":]+): ([^"]+)" role="graphics-symbol"', tilemap)
    assert provinces[0] == ["Code", "Provincie", "Contacten"]
    assert len(tiles) == 12 and {r[1]: r[2] for r in provinces[1:]} == {
        name: n.replace(".", "") if n[0].isdigit() else n for name, n in tiles
    }
    weeks = rows_of(client.get(f"/export/weken.csv?theme=T0010&week={WEEK}"))
    table = re.findall(r'<tr><td>wk (\d+)</td><td class="num">([^<]+)</td></tr>', page)
    assert [(r[0][-2:], r[1]) for r in weeks[1:]] == [
        (week, "0" if n == "geen" else n) for week, n in table
    ]
    assert weeks[-1] == [WEEK, table[-1][1]] and int(table[-1][1]) > 5
    assert client.get("/export/onbekend.csv").status_code == 404


def test_no_export_holds_personal_data_an_employer_or_a_health_detail(client):
    login(client)
    pages = [
        f"/?week={WEEK}",
        "/alerts",
        f"/theme/T0010?week={WEEK}",
        f"/drill?theme=T0010&week={WEEK}",
    ]
    links = {
        link.replace("&amp;", "&")
        for page in pages
        for link in re.findall(r'href="(/export/[^"]+\.csv[^"]*)"', client.get(page).text)
    }
    assert len(links) >= 5  # the overview, alert list, theme page and drill tables
    for link in links:
        body = client.get(link).text
        assert not [value for value in (*PERSONAL, *QUOTE_LEAKS) if value in body], link


def test_dossier_pdf_opens_with_extractable_text(client):
    anonymous = client.get(f"/theme/T0010/dossier.pdf?week={WEEK}", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=")
    login(client)
    page = client.get(f"/theme/T0010?week={WEEK}").text
    assert f'href="/theme/T0010/dossier.pdf?week={WEEK}"' in page
    response = client.get(f"/theme/T0010/dossier.pdf?week={WEEK}")
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="dossier-T0010-2026-W47.pdf"' in response.headers["content-disposition"]
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert f"Dossier: {PLANTED_THEME[1]}" in flat
    assert "Hoe komen deze cijfers tot stand?" in flat
    assert " ".join(QUOTES["T0010"][0].split()[:6]) in flat
    assert not any(value in flat for value in (*PERSONAL, *QUOTE_LEAKS))


def test_dossier_command_writes_a_pdf(snapshot, tmp_path, monkeypatch):
    monkeypatch.setenv("LEDENRADAR_DATA_DIR", str(tmp_path))
    out = tmp_path / "dossier.pdf"
    args = ["dossier", "T0010", "--week", WEEK, "--pdf", str(out), "--snapshot", str(snapshot)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = " ".join(pypdf.PdfReader(out).pages[0].extract_text().split())
    assert f"Dossier: {PLANTED_THEME[1]}" in text
    missing = CliRunner().invoke(
        app, ["dossier", "T0999", "--pdf", str(out), "--snapshot", str(snapshot)]
    )
    assert missing.exit_code == 2 and "Onbekend thema T0999" in missing.output


def test_without_a_browser_the_pdf_is_refused_in_dutch(client, monkeypatch, tmp_path):
    monkeypatch.setenv("LEDENRADAR_CHROMIUM", str(tmp_path / "geen-chromium"))
    login(client)
    response = client.get(f"/theme/T0010/dossier.pdf?week={WEEK}")
    assert response.status_code == 503
    assert "De PDF kan nu niet worden gemaakt" in response.text
    assert "geen-chromium" not in response.text, "no server path on the page"
    assert client.get(f"/theme/T0010/dossier.docx?week={WEEK}").status_code == 404


def test_drill_csv_has_the_grouped_line_of_left_out_values(client):
    query = f"week={WEEK}&theme=alle&province=NL-NB"
    page = client.get(f"/drill?{query}").text
    group = re.search(
        r'<tr class="rest"><td>((?:Overige|Alle) sectoren, samen)</td><td class="num">'
        r'<span class="count" data-count="(\d+)">',
        page,
    )
    assert group, "NL-NB has sectors with fewer than 5 contacts that together have more"
    rows = rows_of(client.get(f"/export/inzoomen.csv?{query}"))
    assert rows[-1] == ["", group[1], group[2]]
