"""The overview's periods: a period mart counted from contacts, the change against the period
before and the share, sorting by rise, and the search; no change ever from a hidden cell."""

import re
from pathlib import Path

import duckdb
import pytest
from fixtures.dashboard import dashboard_client
from fixtures.warehouse import FACETED_THEME, NEW_FACET, PLANTED_THEME, build_warehouse
from starlette.testclient import TestClient

from dashboards import periods
from dashboards.periods import ThemePeriod
from pipeline.disclosure import published

WEEK = "2026-W47"
ROW = re.compile(
    r'<tr data-theme="([^"]+)">.*?data-count="(\d*)".*?data-change="(-?\d*)">([^<]*)<'
    r'.*?class="num share">([^<]*)<',
    re.DOTALL,
)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("periods"))


@pytest.fixture(scope="module")
def client(snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return dashboard_client(snapshot, tmp_path_factory.mktemp("dashboard"))


def mart(snapshot: Path, weeks: int, last: str) -> dict[str, int]:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        rows = con.execute(
            "SELECT theme_id, contacts FROM marts.theme_period"
            " WHERE period_weeks = ? AND last_week = ? AND facet_id IS NULL",
            [weeks, last],
        ).fetchall()
    return dict(rows)


def rows_of(html: str) -> list[tuple[str, str, str, str, str]]:
    return ROW.findall(html)


def test_a_one_week_period_is_the_weekly_cell(snapshot: Path):
    with duckdb.connect(str(snapshot), read_only=True) as con:
        themes = con.execute(
            "SELECT iso_week, theme_id, contacts FROM marts.theme_week EXCEPT"
            " SELECT last_week, theme_id, contacts FROM marts.theme_period"
            " WHERE period_weeks = 1 AND facet_id IS NULL"
        ).fetchall()
        facets = con.execute(
            "SELECT iso_week, facet_id, contacts FROM marts.facet_week EXCEPT"
            " SELECT last_week, facet_id, contacts FROM marts.theme_period"
            " WHERE period_weeks = 1 AND facet_id IS NOT NULL"
        ).fetchall()
        weeks = con.execute("SELECT count(*) FROM marts.theme_week").fetchone()[0]
    assert weeks > 20 and themes == [] and facets == []


def test_a_longer_period_is_counted_from_its_contacts_and_published(snapshot: Path):
    # The restricted warehouse beside the snapshot holds the per-contact facts.
    with duckdb.connect(str(snapshot.parent.parent / "warehouse.duckdb"), read_only=True) as con:
        exact = con.execute(
            "SELECT theme_id, count(*), sum(record_key) FROM marts.contact_theme_facts"
            " WHERE occurred_week BETWEEN '2026-W44' AND '2026-W47' GROUP BY theme_id"
        ).fetchall()
        shown = dict(
            con.execute(
                "SELECT theme_id, contacts FROM marts.theme_period WHERE period_weeks = 4"
                " AND last_week = ? AND facet_id IS NULL AND theme_id <> 'alle'",
                [WEEK],
            ).fetchall()
        )
    expected = {t: published(n, int(key)) for t, n, key in exact}
    assert shown == {t: n for t, n in expected.items() if n is not None}
    assert expected[PLANTED_THEME[0]] is not None and len(shown) >= 4


def test_no_period_ends_after_the_data_or_before_its_first_week(snapshot: Path):
    with duckdb.connect(str(snapshot), read_only=True) as con:
        first, last = con.execute(
            "SELECT min(last_week), max(last_week) FROM marts.theme_period"
        ).fetchone()
    assert (first, last) == ("2026-W40", WEEK)


def row(contacts, previous, comparable=True, everything=200) -> ThemePeriod:
    return ThemePeriod("T1", "Thema", contacts, previous, everything, comparable)


def test_a_change_needs_both_periods_published_and_inside_the_data():
    assert row(30, 20).change == 10 and row(30, 20).change_label == "+10 (+50%)"
    assert row(18, 20).change_label == "−2 (−10%)" and row(20, 20).change_label == "gelijk"
    for hidden in (row(30, None), row(None, 20), row(None, None), row(30, 20, comparable=False)):
        assert hidden.change is None and not re.search(r"\d+ \(", hidden.change_label)
    assert row(30, None).change_label == "gestegen (vorige periode minder dan 5)"
    assert row(None, 20).change_label == "gedaald (nu minder dan 5)"
    assert "vóór de gegevens" in row(30, 20, comparable=False).change_label


def test_the_share_needs_both_counts_published():
    assert row(50, 20, everything=200).share == 25.0
    assert row(None, 20).share is None and row(50, 20, everything=None).share is None


def test_rising_sorts_by_the_least_rise_the_page_allows():
    rows = [
        ThemePeriod("A", "a", 40, 38, 200, True),  # +2
        ThemePeriod("B", "b", 30, None, 200, True),  # from at most 4: at least +26
        ThemePeriod("C", "c", 30, 10, 200, True),  # +20
        ThemePeriod("D", "d", None, 20, 200, True),  # to at most 4: at least −16
        ThemePeriod("E", "e", 90, 10, 200, False),  # no comparison
    ]
    assert [r.theme_id for r in periods.sort_rows(rows, "stijging")] == ["B", "C", "A", "D", "E"]
    assert [r.theme_id for r in periods.sort_rows(rows, "contacten")] == ["E", "A", "B", "C", "D"]


def test_the_overview_shows_the_chosen_period_against_the_one_before(client, snapshot):
    page = client.get(f"/?week={WEEK}&periode=4weken").text
    now, before = mart(snapshot, 4, WEEK), mart(snapshot, 4, "2026-W43")
    rows = rows_of(page)
    assert {r[0] for r in rows} == set(now) - {"alle"}
    for theme, count, change, label, share in rows:
        assert int(count) == now[theme]
        if theme in before:
            assert int(change) == now[theme] - before[theme]
        else:  # the planted theme was under 5 before: no number, the words
            assert change == "" and label == "gestegen (vorige periode minder dan 5)"
        assert share == f"{100 * now[theme] / now['alle']:.1f}%".replace(".", ",")
    assert "26 oktober – 22 november 2026, vergeleken met de 4 weken daarvoor" in page


def test_a_quarter_before_the_data_is_not_compared(client, snapshot):
    page = client.get(f"/?week={WEEK}&periode=kwartaal").text
    rows = rows_of(page)
    assert rows and all(r[2] == "" for r in rows)
    assert "De gegevens beginnen in week 40" in page
    assert {r[0]: int(r[1]) for r in rows} == {
        t: n for t, n in mart(snapshot, 13, WEEK).items() if t != "alle"
    }


def test_a_suppressed_cell_never_gives_a_change(client):
    # Week 46: the planted theme's week before (45) is under 5, so no difference is shown.
    page = client.get("/?week=2026-W46").text
    planted = next(r for r in rows_of(page) if r[0] == PLANTED_THEME[0])
    assert planted[2] == "" and "minder dan 5" in planted[3]


def test_sorting_by_rise_puts_the_planted_theme_first_and_links_every_sort(client):
    page = client.get(f"/?week={WEEK}&periode=4weken&sort=stijging").text
    assert rows_of(page)[0][0] == PLANTED_THEME[0]
    changes = [int(r[2]) for r in rows_of(page) if r[2]]
    assert changes == sorted(changes, reverse=True) and len(changes) >= 3
    for sort in ("naam", "contacten", "stijging"):
        assert f'data-sort="{sort}"' in page
    assert 'href="/?week=2026-W47&amp;periode=4weken&amp;sort=naam"' in page
    names = [r[0] for r in rows_of(client.get(f"/?week={WEEK}&sort=naam").text)]
    assert len(names) >= 4 and names != [r[0] for r in rows_of(client.get(f"/?week={WEEK}").text)]


def test_the_search_finds_themes_by_their_name_or_a_facet(client):
    by_facet = client.get(f"/?week={WEEK}&periode=4weken&q=VAKANTIEGELD").text
    assert [r[0] for r in rows_of(by_facet)] == [FACETED_THEME]
    assert (
        f'data-facet="{NEW_FACET[0]}"' in by_facet and '<details class="facets" open>' in by_facet
    )
    by_name = client.get(f"/?week={WEEK}&q=distributiecentrum").text
    assert [r[0] for r in rows_of(by_name)] == [PLANTED_THEME[0]]
    none = client.get(f"/?week={WEEK}&q=bestaatniet").text
    assert rows_of(none) == [] and "Geen thema gevonden." in none


def test_top_rows_then_toon_alle(client, monkeypatch):
    monkeypatch.setattr(periods, "TOP", 2)
    top = client.get(f"/?week={WEEK}").text
    everything = client.get(f"/?week={WEEK}&alle=1").text
    assert len(rows_of(top)) == 2 and len(rows_of(everything)) > 2
    assert f"Toon alle {len(rows_of(everything))} thema" in top
    assert "Toon alle" not in everything


@pytest.mark.parametrize("query", ["periode=maand", "sort=grootte"])
def test_an_unknown_choice_is_refused_in_dutch(client, query):
    response = client.get(f"/?week={WEEK}&{query}")
    assert response.status_code == 400 and "Onbekende" in response.text


def test_the_csv_has_the_period_table(client, snapshot):
    text = client.get(f"/export/themas.csv?week={WEEK}&periode=4weken&q=loon").text
    lines = [line.split(";") for line in text.lstrip("\ufeff").splitlines()]
    assert lines[0][2:6] == [
        "Contacten (4 weken t/m 2026-W47)",
        "Vorige periode",
        "Verandering",
        "Aandeel (%)",
    ]
    assert [r[0] for r in lines[1:]] == [FACETED_THEME]
    assert int(lines[1][2]) == mart(snapshot, 4, WEEK)[FACETED_THEME]
