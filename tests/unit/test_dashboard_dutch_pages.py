"""Pages an official meets besides the figures: Dutch error pages, Dutch decimals, a phone
viewport (the layout at 390 px itself is checked in a real browser, tests/e2e)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from fixtures.warehouse import PLANTED_THEME, build_warehouse
from starlette.testclient import TestClient

from dashboards.auth import UserStore
from dashboards.digest import build_digest
from dashboards.dutch import IsoWeek, decimal_text
from dashboards.render import render_html
from dashboards.web import DashboardConfig, create_app

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
ENGLISH = ("Not Found", "Method Not Allowed", "Internal Server Error", "Traceback")
# A decimal point between digits, not the dot of thousands ("1.234").
DECIMAL_POINT = re.compile(r"\d\.\d{1,2}(?!\d)")


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture
def client(snapshot: Path, tmp_path: Path) -> TestClient:
    store = UserStore(tmp_path / "users.json")
    store.set("bea", "geheim-wachtwoord", "official")
    config = DashboardConfig(snapshot, store.path, tmp_path / "taxonomy.yaml", "test-secret")
    return TestClient(create_app(config), raise_server_exceptions=False)


@pytest.mark.parametrize(
    "path", ["/", "/login", "/alerts", "/drill", f"/theme/{PLANTED_THEME[0]}", "/niet-bestaand"]
)
def test_every_page_has_a_phone_viewport(client, path):
    assert VIEWPORT in client.get(path).text


def test_the_digest_and_the_dossier_have_a_phone_viewport(client, snapshot):
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        assert VIEWPORT in render_html(build_digest(con, IsoWeek.parse("2026-W47")))
    finally:
        con.close()
    client.post("/login", data={"name": "bea", "password": "geheim-wachtwoord", "next": "/"})
    assert VIEWPORT in client.get(f"/theme/{PLANTED_THEME[0]}/dossier").text


def test_an_unknown_page_answers_in_dutch(client):
    page = client.get("/bestaat-niet")
    assert page.status_code == 404
    assert "Pagina niet gevonden" in page.text and "bestaat niet" in page.text
    assert not any(english in page.text for english in ENGLISH)


def test_a_wrong_method_answers_in_dutch(client):
    page = client.get("/logout")
    assert page.status_code == 405
    assert page.headers["allow"] == "POST"
    assert "Dat kan hier niet" in page.text
    assert not any(english in page.text for english in ENGLISH)


def test_our_own_explanation_is_kept(client):
    page = client.get("/theme/T9999")
    assert page.status_code == 404 and "Onbekend thema T9999" in page.text


def test_a_server_error_answers_in_dutch_without_details(tmp_path):
    broken = tmp_path / "snapshot.duckdb"
    broken.write_bytes(b"this is no database at all " * 200)
    config = DashboardConfig(broken, tmp_path / "u.json", tmp_path / "t.yaml", "s")
    page = TestClient(create_app(config), raise_server_exceptions=False).get("/")
    assert page.status_code == 500
    assert "Er ging iets mis" in page.text
    assert not any(english in page.text for english in ENGLISH)
    assert "duckdb" not in page.text.lower() and str(tmp_path) not in page.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10.24, "10,2"), (1234.56, "1.234,6"), (0.05, "0,1"), (-2.5, "-2,5"), (None, "onbekend")],
)
def test_decimals_have_a_comma(value, expected):
    assert decimal_text(value) == expected


@pytest.mark.parametrize("path", ["/alerts", f"/theme/{PLANTED_THEME[0]}?week=2026-W47"])
def test_pages_write_decimals_the_dutch_way(client, path):
    text = client.get(path).text
    shown = re.findall(r"verwacht (\S+?)\)|<td class=\"num\">([\d.,]+)</td>", text)
    values = [a or b for a, b in shown]
    assert any("," in v for v in values), values
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", " ", text, flags=re.S)
    assert not DECIMAL_POINT.search(visible)
