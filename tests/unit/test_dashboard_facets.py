"""The theme page lists its facets; the drill-down filters by facet; both show mart numbers."""

import re
from pathlib import Path

import duckdb
import pytest
from fixtures.dashboard import dashboard_client
from fixtures.warehouse import FACETED_THEME, FACETS, NEW_FACET, build_warehouse
from starlette.testclient import TestClient

WEEK = "2026-W47"
FACET_ROW = re.compile(
    r'<tr data-facet="([^"]+)"><td><a class="facet-link" href="([^"]+)">([^<]+)</a></td>'
    r'<td class="num"><span class="count" data-count="(\d*)">[^<]*</span></td>'
    r'<td class="num"><span class="count" data-count="(\d*)">'
)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("facets"))


@pytest.fixture(scope="module")
def client(snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return dashboard_client(snapshot, tmp_path_factory.mktemp("dashboard"))


def _mart(snapshot: Path, sql: str, params: list) -> dict:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        return dict(con.execute(sql, params).fetchall())


def test_the_theme_page_lists_its_facets_with_the_marts_counts(snapshot, client):
    page = client.get(f"/theme/{FACETED_THEME}?week={WEEK}").text
    rows = FACET_ROW.findall(page)
    week = _mart(
        snapshot, "SELECT facet_id, contacts FROM marts.facet_week WHERE iso_week = ?", [WEEK]
    )
    total = _mart(snapshot, "SELECT facet_id, contacts FROM marts.theme_facets", [])
    assert [r[0] for r in rows] == sorted(
        (f for f, (t, _) in FACETS.items() if t == FACETED_THEME), key=lambda f: -week[f]
    )
    for facet, href, name, this_week, so_far in rows:
        assert name == FACETS[facet][1]
        assert int(this_week) == week[facet] and int(so_far) == total[facet]
        assert href == f"/drill?week={WEEK}&amp;theme={FACETED_THEME}&amp;facet={facet}"
    assert "Nieuw aspect &#39;vakantiegeld ingehouden&#39; bij thema" in page


def test_a_facet_under_five_is_not_named_on_the_theme_page(client):
    page = client.get(f"/theme/T0002?week={WEEK}").text
    assert [r[0] for r in FACET_ROW.findall(page)] == ["F0021", "F0022"]  # F0022: 5+ in total
    row = next(r for r in FACET_ROW.findall(page) if r[0] == "F0022")
    assert row[3] == ""  # this week: left out, shown as "minder dan 5"


def test_a_theme_of_one_facet_shows_no_facet_list(client):
    page = client.get(f"/theme/T0003?week={WEEK}").text
    assert "<h2>Aspecten</h2>" not in page and FACET_ROW.findall(page) == []


def test_the_drill_down_filters_by_facet(snapshot, client):
    facet = NEW_FACET[0]
    page = client.get(f"/drill?week={WEEK}&theme={FACETED_THEME}&facet={facet}").text
    assert f"— {FACETS[facet][1]}</h1>" in page
    assert f'<option value="{facet}" selected>' in page
    cells = _mart(
        snapshot,
        "SELECT province, contacts FROM marts.facet_week_drilldown WHERE iso_week = ?"
        " AND facet_id = ? AND province IS NOT NULL AND sector IS NULL AND channel IS NULL"
        " AND service_line IS NULL",
        [WEEK, facet],
    )
    total = _mart(
        snapshot, "SELECT facet_id, contacts FROM marts.facet_week WHERE iso_week = ?", [WEEK]
    )[facet]
    assert re.search(r'Contacten: <span class="count" data-count="(\d+)"', page)[1] == str(total)
    links = re.findall(r'<a class="drill-link" href="([^"]+)">', page)
    assert len(links) == len(cells)
    assert all(f"facet={facet}" in link for link in links)
    theme = client.get(f"/drill?week={WEEK}&theme={FACETED_THEME}").text
    assert re.search(r'Contacten: <span class="count" data-count="(\d+)"', theme)[1] != str(total)


def test_a_facet_of_another_theme_is_not_found(client):
    response = client.get(f"/drill?week={WEEK}&theme=T0003&facet={NEW_FACET[0]}")
    assert response.status_code == 404


def test_the_alert_list_names_a_new_facet_as_such(client):
    page = client.get("/alerts").text
    assert f"Nieuw aspect: {FACETS[NEW_FACET[0]][1]}" in page
