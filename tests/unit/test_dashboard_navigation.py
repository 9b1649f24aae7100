"""No week without data is opened, drawn as zeros or shown as an empty table; charts have axes."""

import re

import pytest
from fixtures.warehouse import PLANTED_THEME, build_warehouse
from starlette.testclient import TestClient

from dashboards import charts
from dashboards.auth import UserStore
from dashboards.web import DashboardConfig, create_app

PASSWORD = "geheim-wachtwoord"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    folder = tmp_path_factory.mktemp("warehouse")
    snapshot = build_warehouse(folder)
    store = UserStore(folder / "users.json")
    store.set("bea", PASSWORD, "official")
    config = DashboardConfig(snapshot, store.path, folder / "taxonomy.yaml", "test-secret")
    return TestClient(create_app(config))


def test_last_week_with_data_has_no_next_week_link(client):
    last = client.get("/?week=2026-W47").text
    assert 'id="previous-week" href="/?week=2026-W46"' in last
    assert 'id="next-week"' not in last and "volgende week" not in last
    middle = client.get("/?week=2026-W44").text
    assert 'id="next-week" href="/?week=2026-W45"' in middle
    first = client.get("/?week=2026-W40").text
    assert 'id="previous-week"' not in first and 'id="next-week"' in first


def test_weeks_outside_the_data_say_so_in_dutch(client):
    before = client.get("/?week=2026-W30").text
    assert "Van week 30 (20–26 juli 2026) zijn er geen gegevens" in before
    assert "de eerste week met gegevens is week 40" in before
    assert '<table class="trends">' not in before
    assert 'id="next-week" href="/?week=2026-W40"' in before
    after = client.get("/?week=2026-W50").text
    assert "de laatste week met gegevens is week 47" in after
    assert 'id="previous-week" href="/?week=2026-W47"' in after and 'id="next-week"' not in after
    theme = client.get(f"/theme/{PLANTED_THEME[0]}?week=2026-W30").text
    assert "Van week 30 (20–26 juli 2026) zijn er geen gegevens" in theme
    assert "<h2>Waar</h2>" not in theme and 'class="tilemap"' not in theme


def _texts(svg: str, group: str) -> list[str]:
    """The texts of one named layer of a Vega SVG (`value_marks`, `gap_marks`, ...)."""
    found = re.search(rf'<g class="[^"]*\b{group}"[^>]*>(.*?)</g>', svg, flags=re.S)
    return re.findall(r"<text[^>]*>([^<]*)</text>", found[1]) if found else []


def test_theme_trend_has_axes_values_and_no_weeks_before_the_data(client):
    page = client.get(f"/theme/{PLANTED_THEME[0]}?week=2026-W47").text
    chart = re.search(r'<svg [^>]*class="chart trend".*?</svg>', page, flags=re.S)[0]
    label = re.search(r'aria-label="([^"]+)"', chart)[1]
    # Weeks 36-39 are before the snapshot's first week: unknown, so not drawn at all.
    assert "wk 39" not in label and label.split(": ")[-1].startswith("wk 40 minder dan 5")
    assert 'role="img"' in chart and f"<title>{label}</title>" in chart
    assert "contacten per week" in chart and ">week</text>" in chart, "both axes have a title"
    values = [int(v.replace(".", "")) for v in _texts(chart, "value_marks")]
    published = [w for w in label.split(": ")[-1].split(", ") if "minder dan" not in w]
    assert [int(w.split()[-1].replace(".", "")) for w in published] == values
    assert len(values) >= 2 and values[-1] > values[-2] > 0
    assert 'class="trend-data"' in page, "a data table beside the chart"


def test_overview_sparklines_leave_weeks_before_the_data_empty(client):
    page = client.get("/?week=2026-W47").text
    svg = re.search(r'<svg [^>]*class="chart spark"[^>]*aria-label="Loonstrook.*?</svg>', page)[0]
    plot_width = float(re.search(r'class="background"[^>]*d="M0,0h([\d.]+)', svg)[1])
    first_x = float(re.search(r'line_marks"[^>]*><path[^>]*d="M([\d.]+),', svg)[1])
    # 12 weeks across the plot: week 40 is the fifth, so the line starts at 4 steps, not at 0.
    assert first_x == pytest.approx(4 * plot_width / 11, abs=0.01)


def test_digest_of_the_week_is_linked_and_needs_a_login(client):
    page = client.get("/?week=2026-W47").text
    assert 'id="digest" href="/digest?week=2026-W47"' in page
    anonymous = client.get("/digest?week=2026-W47", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    client.post("/login", data={"name": "bea", "password": PASSWORD, "next": "/"})
    digest = client.get("/digest?week=2026-W47")
    assert digest.status_code == 200 and "Waar bellen leden deze week over?" in digest.text
    assert "week 47 (16–22 november 2026)" in digest.text


def test_trend_chart_draws_a_suppressed_week_as_a_gap_with_its_words():
    svg = str(
        charts.trend_chart(
            [("wk 1", 12), ("wk 2", None), ("wk 3", 30), ("wk 4", None)],
            "T",
        )
    )
    assert svg.count('aria-roledescription="symbol mark"') == 2, "a point per published week"
    line = re.search(r'line_marks"[^>]*><path[^>]*d="([^"]+)"', svg)[1]
    assert "L" not in line, "no line across a gap"
    assert _texts(svg, "gap_marks") == ["&lt;5", "&lt;5"]
    assert _texts(svg, "value_marks") == ["12", "30"]
    assert 'aria-label="T: wk 1 12, wk 2 minder dan 5, wk 3 30, wk 4 minder dan 5"' in svg
    ticks = re.findall(r'<text text-anchor="end"[^>]*>(\d+)</text>', svg)
    assert ticks == ["0", "10", "20", "30"]
