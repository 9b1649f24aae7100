"""The overview's own range of weeks: a sum of the published weekly cells, a lower bound where
weeks were left out, compared with as many weeks before; its form, its errors and its CSV."""

import re
from pathlib import Path

import duckdb
import pytest
from fixtures.dashboard import dashboard_client
from fixtures.warehouse import FACETED_THEME, PLANTED_THEME, build_warehouse
from starlette.testclient import TestClient

from dashboards import periods
from dashboards.dutch import IsoWeek
from dashboards.ranges import RangeSum, ThemeRange, WeekRange, range_sum
from dashboards.weeks import DataWeeks
from pipeline.disclosure import MIN_CELL_SIZE, NOISE_BOUND

WEEK = "2026-W47"
DATA = DataWeeks(IsoWeek.parse("2026-W40"), IsoWeek.parse(WEEK))
ROW = re.compile(
    r'<tr data-theme="([^"]+)">.*?<span class="sum" data-sum="(\d*)" data-left-out="(\d+)">'
    r'([^<]*)<.*?data-change="(-?\d*)">([^<]*)<.*?class="num share">([^<]*)<',
    re.DOTALL,
)
FACET = re.compile(r'<li data-facet="([^"]+)">.*?data-sum="(\d*)" data-left-out="(\d+)"')


def weeks(first: str, last: str) -> WeekRange:
    return WeekRange(IsoWeek.parse(first), IsoWeek.parse(last))


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("ranges"))


@pytest.fixture(scope="module")
def client(snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return dashboard_client(snapshot, tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="module")
def weekly(snapshot: Path) -> dict[str, dict[str, int]]:
    """subject (theme, facet or alle) -> {week: published count}, from the weekly marts
    themselves (not the period mart the page reads)."""
    with duckdb.connect(str(snapshot), read_only=True) as con:
        rows = con.execute(
            "SELECT theme_id, iso_week, contacts FROM marts.theme_week UNION ALL"
            " SELECT facet_id, iso_week, contacts FROM marts.facet_week UNION ALL"
            " SELECT 'alle', iso_week, contacts FROM marts.theme_week_drilldown"
            " WHERE theme_id = 'alle' AND province IS NULL AND sector IS NULL"
            " AND channel IS NULL AND service_line IS NULL"
        ).fetchall()
    cells: dict[str, dict[str, int]] = {}
    for subject, week, n in rows:
        cells.setdefault(subject, {})[week] = n
    return cells


def expected(weekly: dict[str, int], span: WeekRange) -> tuple[int, int]:
    """The sum of the published weeks of `span`, and how many weeks have none."""
    shown = [weekly[str(w)] for w in span.weeks if str(w) in weekly]
    return sum(shown), span.length - len(shown)


# The arithmetic.


def test_a_range_is_a_run_of_whole_weeks_and_the_one_before_is_as_long():
    span = weeks("2026-W44", "2026-W47")
    assert [str(w) for w in span.weeks] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    assert span.before() == weeks("2026-W40", "2026-W43")
    assert span.label == "week 44 t/m 47" and span.weeks_text == "4 weken"
    assert span.span == "26 oktober – 22 november 2026"
    new_year = weeks("2025-W52", "2026-W02")
    assert new_year.length == 3 and new_year.before() == weeks("2025-W49", "2025-W51")
    assert new_year.label == "week 52 (2025) t/m week 2 (2026)"
    assert weeks("2026-W45", "2026-W45").label == "week 45"
    assert weeks("2026-W45", "2026-W45").before_text == "de week daarvoor"
    assert span.before_text == "de 4 weken daarvoor"
    assert weeks("2026-W47", "2026-W44").weeks == []


def test_a_range_must_run_forwards_inside_the_data():
    assert weeks("2026-W40", WEEK).problem(DATA) is None
    assert "loopt achteruit" in weeks("2026-W46", "2026-W44").problem(DATA)
    outside = weeks("2026-W30", "2026-W44").problem(DATA)
    assert outside.startswith("Van week 30 ") and "Kies weken van week 40" in outside
    assert "Van week 48 " in weeks("2026-W44", "2026-W48").problem(DATA)
    with pytest.raises(ValueError, match="geen ISO-week"):
        WeekRange.parse("abc", WEEK)
    with pytest.raises(ValueError, match="Kies bij een eigen periode"):
        WeekRange.parse("", WEEK)


def test_a_sum_with_left_out_weeks_is_a_lower_bound():
    weekly = {"2026-W44": 12, "2026-W46": 30}
    total = range_sum(weekly, weeks("2026-W44", "2026-W47").weeks)
    assert (total.total, total.left_out, total.complete) == (42, 2, False)
    assert total.text == "≥ 42" and total.most == 42 + 2 * (MIN_CELL_SIZE - 1)
    complete = range_sum({"2026-W44": 1200, "2026-W45": 34}, weeks("2026-W44", "2026-W45").weeks)
    assert complete.text == "1.234" and complete.value == 1234
    nothing = range_sum({}, weeks("2026-W44", "2026-W45").weeks)
    assert nothing.value is None and nothing.text == "minder dan 5 per week"
    assert range_sum({}, weeks("2026-W44", "2026-W44").weeks).text == "minder dan 5"


def row(now: RangeSum, before: RangeSum, comparable=True, everything=RangeSum(400, 4, 0)):
    return ThemeRange("T1", "Thema", now, before, everything, comparable)


def test_the_change_is_exact_only_between_two_complete_sums():
    assert row(RangeSum(60, 4, 0), RangeSum(40, 4, 0)).change_label == "+20 (+50%)"
    assert row(RangeSum(40, 4, 0), RangeSum(40, 4, 0)).change_label == "gelijk"
    # Left-out weeks were published as at most 4: the least rise the page allows.
    risen = row(RangeSum(60, 4, 0), RangeSum(20, 4, 2))
    assert risen.change is None and risen.change_label == "gestegen, minstens +32"
    fallen = row(RangeSum(10, 4, 1), RangeSum(40, 4, 0))
    assert fallen.change_label == "gedaald, minstens −26"
    unclear = row(RangeSum(16, 4, 1), RangeSum(18, 4, 0))  # between −2 and +2
    assert unclear.change is None and unclear.change_label == "niet exact (weken met minder dan 5)"
    early = row(RangeSum(60, 4, 0), RangeSum(0, 4, 4), comparable=False)
    assert "vóór de gegevens" in early.change_label and early.rise_key == (1, 0, 0)


def test_the_share_is_a_lower_bound_when_the_theme_misses_weeks():
    assert row(RangeSum(100, 4, 0), RangeSum(1, 4, 0)).share_text == "25,0%"
    assert row(RangeSum(100, 4, 1), RangeSum(1, 4, 0)).share_text == "≥ 25,0%"
    assert row(RangeSum(100, 4, 0), RangeSum(1, 4, 0), everything=RangeSum(400, 4, 1)).share is None
    assert row(RangeSum(0, 4, 4), RangeSum(1, 4, 0)).share_text == ""


def test_rising_sorts_by_the_least_rise_the_page_allows():
    rows = [
        ThemeRange("A", "a", RangeSum(40, 2, 0), RangeSum(38, 2, 0), RangeSum(400, 2, 0), True),
        ThemeRange("B", "b", RangeSum(60, 2, 0), RangeSum(0, 2, 2), RangeSum(400, 2, 0), True),
        ThemeRange("C", "c", RangeSum(30, 2, 0), RangeSum(10, 2, 0), RangeSum(400, 2, 0), True),
        ThemeRange("D", "d", RangeSum(90, 2, 0), RangeSum(1, 2, 0), RangeSum(400, 2, 0), False),
    ]
    # B: at least 60 - 2 * 4 = +52; C +20; A +2; D has no comparison.
    assert [r.theme_id for r in periods.sort_rows(rows, "stijging")] == ["B", "C", "A", "D"]
    assert [r.theme_id for r in periods.sort_rows(rows, "contacten")] == ["D", "B", "A", "C"]


# The page.


def test_every_number_is_the_sum_of_the_published_weeks(client, weekly):
    span = weeks("2026-W44", WEEK)
    page = client.get(f"/?week={WEEK}&periode=eigen&van=2026-W44&tot={WEEK}&alle=1").text
    rows = ROW.findall(page)
    assert len(rows) >= 4
    everything, _ = expected(weekly["alle"], span)
    for theme, value, left_out, text, change, label, share in rows:
        total, missing = expected(weekly[theme], span)
        assert (int(value), int(left_out)) == (total, missing)
        assert text == (f"≥ {total}" if missing else str(total))
        before, missing_before = expected(weekly[theme], span.before())
        if not missing and not missing_before:
            assert int(change) == total - before
        else:  # no exact number between sums with left-out weeks
            assert change == "" and not re.search(r"\d+ \(", label)
        assert share == ("≥ " if missing else "") + f"{100 * total / everything:.1f}%".replace(
            ".", ","
        )
    for facet, value, left_out in FACET.findall(page):
        assert (int(value), int(left_out)) == expected(weekly[facet], span)
    assert FACET.findall(page) and f'data-theme="{FACETED_THEME}"' in page
    assert "vergeleken met de 4 weken daarvoor" in page
    assert f"de som van 4 weken dus tot {4 * NOISE_BOUND}." in page


def test_the_planted_rise_shows_its_left_out_weeks_honestly(client, weekly):
    page = client.get(f"/?week={WEEK}&periode=eigen&van=2026-W44&tot={WEEK}&sort=stijging").text
    top = ROW.findall(page)[0]
    assert top[0] == PLANTED_THEME[0]
    total, missing = expected(weekly[PLANTED_THEME[0]], weeks("2026-W44", WEEK))
    assert missing >= 1 and top[3] == f"≥ {total}"
    least = total - 4 * (MIN_CELL_SIZE - 1)  # the 4 weeks before were all left out
    assert top[5] == f"gestegen, minstens +{least}"


def test_a_one_week_range_is_the_published_week(client):
    as_week = re.findall(
        r'<tr data-theme="([^"]+)">.*?data-count="(\d*)"', client.get(f"/?week={WEEK}").text, re.S
    )
    as_range = ROW.findall(client.get(f"/?week={WEEK}&periode=eigen&van={WEEK}&tot={WEEK}").text)
    assert as_week and {t: n for t, n in as_week} == {r[0]: r[1] for r in as_range}


def test_a_range_from_the_first_week_is_not_compared(client):
    rows = ROW.findall(client.get(f"/?week={WEEK}&periode=eigen&van=2026-W40&tot=2026-W42").text)
    assert rows and all(r[4] == "" and "vóór de gegevens" in r[5] for r in rows)


def test_the_address_keeps_the_range_for_every_link_and_form(client):
    page = client.get(f"/?week={WEEK}&periode=eigen&van=2026-W42&tot=2026-W45&q=loon").text
    kept = "periode=eigen&amp;van=2026-W42&amp;tot=2026-W45"
    assert f'href="/?week={WEEK}&amp;{kept}&amp;sort=stijging&amp;q=loon"' in page
    assert f'href="/export/themas.csv?week={WEEK}&amp;{kept}&amp;q=loon"' in page
    assert '<option value="2026-W42" selected>week 42 (12 oktober 2026)</option>' in page
    assert '<option value="2026-W45" selected>week 45 (t/m 8 november 2026)</option>' in page
    search = page.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert 'name="van" value="2026-W42"' in search and 'name="tot" value="2026-W45"' in search
    # Back to a fixed period drops the range; "eigen periode" opens with the period's weeks.
    assert f'href="/?week={WEEK}&amp;periode=4weken&amp;q=loon"' in page
    four = client.get(f"/?week={WEEK}&periode=4weken").text
    assert f'id="own-period" class="period" href="/?week={WEEK}&amp;periode=eigen' in four
    assert f"van=2026-W44&amp;tot={WEEK}" in four
    quarter = client.get(f"/?week={WEEK}&periode=kwartaal").text  # clipped to the data
    assert f"periode=eigen&amp;van=2026-W40&amp;tot={WEEK}" in quarter


@pytest.mark.parametrize(
    ("query", "message", "with_form"),
    [
        ("van=2026-W46&tot=2026-W44", "De periode loopt achteruit", True),
        ("van=2026-W30&tot=2026-W44", "Van week 30 (20–26 juli 2026) zijn er geen gegevens", True),
        ("van=2026-W44&tot=2026-W52", "Van week 52 (21–27 december 2026) zijn er geen", True),
        # Typed into the address: the error page says what is wrong.
        ("van=week44&tot=2026-W46", "geen ISO-week", False),
        ("van=2026-W44", "Kies bij een eigen periode een week", False),
    ],
)
def test_a_range_it_cannot_show_is_explained_in_dutch(client, query, message, with_form):
    response = client.get(f"/?week={WEEK}&periode=eigen&{query}")
    assert response.status_code == 400
    assert message in response.text.replace("&#39;", "'")
    assert "<table" not in response.text
    assert ('id="own-period-form"' in response.text) == with_form  # the form, to put it right
    csv = client.get(f"/export/themas.csv?week={WEEK}&periode=eigen&{query}")
    assert csv.status_code == 400 and message in csv.text.replace("&#39;", "'")


def test_the_csv_holds_the_range_and_the_weeks_it_summed(client, weekly):
    span = weeks("2026-W44", WEEK)
    text = client.get(f"/export/themas.csv?week={WEEK}&periode=eigen&van=2026-W44&tot={WEEK}").text
    lines = [line.split(";") for line in text.lstrip("\ufeff").splitlines()]
    assert lines[0][2] == "Contacten (week 44 t/m 47, som van de weken)"
    assert lines[0][6] == f"Weken met minder dan {MIN_CELL_SIZE} (niet meegeteld)"
    assert lines[0][8:] == [str(w) for w in span.weeks]
    page = client.get(f"/?week={WEEK}&periode=eigen&van=2026-W44&tot={WEEK}&alle=1").text
    assert [r[0] for r in lines[1:]] == [r[0] for r in ROW.findall(page)]
    for theme, _, value, before, _, _, left_out, left_out_before, *counts in lines[1:]:
        total, missing = expected(weekly[theme], span)
        assert (int(value), int(left_out)) == (total, missing)
        previous, missing_before = expected(weekly[theme], span.before())
        assert int(left_out_before) == missing_before
        assert before == (str(previous) if missing_before < 4 else "minder dan 5 per week")
        assert sum(int(n) for n in counts if n.isdigit()) == total
        assert counts.count(f"minder dan {MIN_CELL_SIZE}") == missing
    planted = next(r for r in lines if r[0] == PLANTED_THEME[0])
    assert planted[3] == "minder dan 5 per week" and planted[4].startswith("gestegen, minstens")
