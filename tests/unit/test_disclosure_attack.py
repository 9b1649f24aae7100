"""The attacker's view: everything Ledenradar publishes, subtracted every way it can be.

Protection rule (docs/warehouse.md, "Disclosure control"): for every cell, and every group
of cells, that a published table leaves out, the attacker's interval of possible true
counts, given everything published and the known noise bound, is never inside 1..4: it
either still holds 0 (nobody may be there) or reaches 5 (it may not be small). Above all,
no count of 1 to 4 is ever known exactly.
"""

import json
import math
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest
from fixtures.attacker import (
    ALL,
    Attack,
    Rule,
    exact_bounds,
    facet_themes,
    observe_marts,
    relate_everything,
    rest_cell,
    split_sizes,
)
from fixtures.warehouse import PLANTED_THEME, build_warehouse
from starlette.testclient import TestClient

from dashboards.alerts_mail import compose, mail_line, pending_alerts
from dashboards.auth import UserStore
from dashboards.digest import Scope, build_digest
from dashboards.dutch import SUPPRESSED, IsoWeek, province_name, sector_name
from dashboards.render import render_json
from dashboards.web import DashboardConfig, create_app
from pipeline.contract.vocab import PROVINCES, SECTORS
from pipeline.disclosure import MIN_CELL_SIZE, NOISE_BOUND, published

RULE = Rule(MIN_CELL_SIZE, NOISE_BOUND)
WEEK = IsoWeek.parse("2026-W47")
SALTS = ("fixture-salt", "another-salt")


@pytest.fixture(scope="module", params=SALTS)
def snapshot(request, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("attack"), salt=request.param)


@pytest.fixture(scope="module")
def marts_attack(snapshot: Path) -> Attack:
    attack = Attack(RULE)
    with duckdb.connect(str(snapshot), read_only=True) as con:
        observe_marts(attack, con)
        relate_everything(attack, split_sizes(con), facet_themes(con))
    attack.solve()
    return attack


def small_groups(attack: Attack) -> list:
    return [f for f in attack.findings() if f.low >= 1 and f.high < MIN_CELL_SIZE]


def test_subtracting_the_marts_finds_no_small_count(marts_attack):
    findings = marts_attack.findings()
    assert len(findings) > 500  # the attacker has plenty to work with
    assert small_groups(marts_attack) == []
    assert not any(f.exact_small for f in findings)


def test_an_lp_over_all_relations_at_once_finds_no_small_count(marts_attack):
    rests = [f for f in marts_attack.findings() if f.what == "rest"]
    for finding in sorted(rests, key=lambda f: f.high - f.low)[:25]:
        low, high = exact_bounds(marts_attack, finding.cell)
        assert not (low >= 1 and high < MIN_CELL_SIZE), (finding, low, high)


def test_the_period_marts_are_in_the_attack(marts_attack):
    """The overview's periods (marts.theme_period) are tied to their weeks in the attack
    above, which still finds no small count."""
    periods = [total for total, _ in marts_attack.relations if total[0] in ("P", "FP")]
    assert {p[1] for p in periods} == {1, 4, 13}
    assert any(p[0] == "FP" for p in periods) and len(periods) > 100


def test_the_exact_operator_totals_are_in_the_attack(marts_attack):
    """ops.landed is exact (docs/warehouse.md, "Who reads what"): the all-time totals and
    the unthemed count they imply are relations of the attack above, which still finds no
    small count; here: they really are part of it."""
    unthemed = marts_attack.published[("T", "onbekend")]
    assert (
        unthemed == marts_attack.published[("T", "alle")] - marts_attack.published[("T", "themed")]
    )
    tied = [total for total, _ in marts_attack.relations if total[0] == "T"]
    assert sorted(tied) == [("T", "alle"), ("T", "alle"), ("T", "onbekend")]


def test_the_expected_count_of_an_alert_is_published_like_a_count(snapshot: Path):
    """Whole contacts, noise of at most 2 and of its own, never below 0; the rate ratio
    follows from the published numbers only."""
    warehouse = duckdb.connect(str(snapshot.parent.parent / "warehouse.duckdb"), read_only=True)
    rows = warehouse.execute(
        "SELECT theme_id, segment_kind, segment_value, day, window_days, expected,"
        " marts.noise(marts.record_key(concat_ws('|', 'expected', theme_id, segment_kind,"
        " segment_value, day, window_days))) FROM core.alerts"
    ).fetchall()
    warehouse.close()
    true = {tuple(k): (e, noise) for *k, e, noise in rows}
    with duckdb.connect(str(snapshot), read_only=True) as con:
        shown = con.execute(
            "SELECT theme_id, segment_kind, segment_value, day, window_days, expected,"
            " observed, rate_ratio FROM marts.theme_episodes"
        ).fetchall()
    assert shown
    for *key, expected, observed, ratio in shown:
        exact, noise = true[tuple(key)]
        assert expected == max(0, math.floor(exact + 0.5) + noise)  # SQL rounds half up
        assert abs(noise) <= NOISE_BOUND
        assert ratio == round(observed / max(expected, 1), 2)
    # the noise really is there, over all alerts of the warehouse
    assert any(noise != 0 for _, noise in true.values())


def test_the_same_attack_breaks_exact_counts_with_suppression_under_5(snapshot: Path):
    """The old rule (exact counts, NULL under 5): the attacker finds thousands of cells."""
    attack = Attack(Rule(MIN_CELL_SIZE, 0, lists_suppressed=True))
    with duckdb.connect(str(snapshot.parent.parent / "warehouse.duckdb"), read_only=True) as con:
        for *key, n in con.execute(
            "SELECT occurred_week, theme_id, province, sector, channel, service_line,"
            " CASE WHEN count(*) >= 5 THEN count(*) END FROM marts.contact_theme_facts"
            " GROUP BY occurred_week, theme_id, CUBE (province, sector, channel, service_line)"
        ).fetchall():
            attack.observe(("W", *(ALL if k is None else k for k in key)), n)
        relate_everything(attack, {})
    attack.solve()
    assert len([f for f in attack.findings() if f.exact_small]) > 100


def test_the_published_cells_follow_the_documented_rule(snapshot: Path):
    """Every drill-down cell is count + noise(cell key), left out under 5: nothing else."""
    warehouse = duckdb.connect(str(snapshot.parent.parent / "warehouse.duckdb"), read_only=True)
    truth = warehouse.execute(
        "SELECT occurred_week, theme_id, province, sector, channel, service_line, count(*),"
        " sum(record_key) FROM marts.contact_theme_facts"
        " GROUP BY occurred_week, theme_id, CUBE (province, sector, channel, service_line)"
    ).fetchall()
    warehouse.close()
    with duckdb.connect(str(snapshot), read_only=True) as con:
        shown = {
            tuple(key): n
            for *key, n in con.execute(
                "SELECT iso_week, theme_id, province, sector, channel, service_line, contacts"
                " FROM marts.theme_week_drilldown WHERE theme_id <> 'alle'"
            ).fetchall()
        }
    expected = {tuple(k): published(n, int(key)) for *k, n, key in truth}
    assert shown == {k: v for k, v in expected.items() if v is not None}
    noisy = sum(1 for *k, n, _ in truth if tuple(k) in shown and shown[tuple(k)] != n)
    assert noisy > len(shown) // 4  # the noise is really there


def test_officials_see_the_planted_subject_within_10_percent(snapshot: Path):
    warehouse = duckdb.connect(str(snapshot.parent.parent / "warehouse.duckdb"), read_only=True)
    true = dict(
        warehouse.execute(
            "SELECT occurred_week, count(*) FROM marts.contact_theme_facts WHERE theme_id = ?"
            " GROUP BY ALL",
            [PLANTED_THEME[0]],
        ).fetchall()
    )
    warehouse.close()
    with duckdb.connect(str(snapshot), read_only=True) as con:
        shown = build_digest(con, WEEK)
    planted = next(t for t in shown.top_themes if t.theme_id == PLANTED_THEME[0])
    assert abs(planted.contacts - true[str(WEEK)]) <= 0.1 * true[str(WEEK)]


# Every other output: each number is named by the cell it shows and added to what the
# attacker knows. A number that differs from the mart's for the same cell would be new
# information (`inconsistent`); the attack then runs on everything together.

PASSWORD = "geheim-wachtwoord"
COUNT = re.compile(r'data-count="(\d*)"')
REST = re.compile(
    r'<tr class="rest"><td>[^<]*, samen</td><td class="num"><span class="count" data-count="(\d+)">'
)
ROW = re.compile(
    r'<tr><td><a class="drill-link" href="([^"]+)">[^<]*</a></td>'
    r'<td class="num"><span class="count" data-count="(\d+)">'
)


@pytest.fixture(scope="module")
def everything(snapshot: Path, marts_attack: Attack, tmp_path_factory) -> Attack:
    attack = Attack(RULE)
    folder = tmp_path_factory.mktemp("dashboard")
    store = UserStore(folder / "users.json")
    store.set("bea", PASSWORD, "official")
    app = create_app(DashboardConfig(snapshot, store.path, folder / "taxonomy.yaml", "secret"))
    with duckdb.connect(str(snapshot), read_only=True) as con:
        observe_marts(attack, con)
        observe_digests(attack, con)
        observe_mail(attack, con)
        themes = [
            t for (t,) in con.execute("SELECT DISTINCT theme_id FROM marts.theme_week").fetchall()
        ]
        sizes = split_sizes(con)
        facets = facet_themes(con)
    anonymous, official = TestClient(app), TestClient(app)
    official.post("/login", data={"name": "bea", "password": PASSWORD, "next": "/"})
    for client in (anonymous, official):
        for theme in ["alle", *themes]:
            walk_drill(attack, client, theme, {})
        for facet, theme in facets.items():
            walk_drill(attack, client, theme, {}, facet)
    observe_theme_pages(attack, official, themes)
    observe_overviews(attack, anonymous)
    observe_ranges(attack, anonymous, sizes["week"])
    relate_everything(attack, sizes, facets)
    attack.solve()
    return attack


def drill_cell(theme: str, chosen: dict[str, str], facet: str | None = None) -> tuple:
    levels = ("province", "sector", "channel", "service_line")
    subject = ("F", str(WEEK), facet) if facet else ("W", str(WEEK), theme)
    return (*subject, *(chosen.get(level, ALL) for level in levels))


def walk_drill(
    attack: Attack, client: TestClient, theme: str, chosen: dict[str, str], facet: str | None = None
) -> None:
    """Every drill page an attacker can reach, and the unpublished values it can type."""
    params = {"week": WEEK, "theme": theme, **({"facet": facet} if facet else {}), **chosen}
    query = "&".join(f"{k}={v}" for k, v in params.items())
    page = client.get(f"/drill?{query}").text
    total = COUNT.search(page.split("Contacten: ", 1)[1])[1]
    attack.observe(drill_cell(theme, chosen, facet), int(total) if total else None)
    if not total:
        # Drilling into a left-out cell shows nothing more than that it is left out.
        assert COUNT.findall(page.split("Contacten: ", 1)[1]) == [""]
        return
    level = next(
        (lvl for lvl in ("province", "sector", "channel", "service_line") if lvl not in chosen),
        None,
    )
    if level is None:
        return
    for n in REST.findall(page):
        # "overige sectoren, samen 23": a cell of its own, the values left out together.
        chosen_cells = [chosen.get(lvl) for lvl in ("province", "sector", "channel")]
        attack.observe(rest_cell(str(WEEK), theme, level, *chosen_cells), int(n))
        attack.rest_lines += 1
    for href, n in ROW.findall(page):
        value = parse_qs(urlparse(href.replace("&amp;", "&")).query)[level][0]
        attack.observe(drill_cell(theme, {**chosen, level: value}, facet), int(n))
        walk_drill(attack, client, theme, {**chosen, level: value}, facet)
    if not chosen:
        # The province map beside the list: every province, a left-out one as '<5'.
        provinces = {province_name(p): p for p in PROVINCES}
        for name, value in read_charts(page).get("tilemap", []):
            attack.observe(drill_cell(theme, {"province": provinces[name]}, facet), value)
        published_provinces = {
            parse_qs(urlparse(h.replace("&amp;", "&")).query)[level][0]
            for h, _ in ROW.findall(page)
        }
        for province in set(PROVINCES) - published_provinces:
            walk_drill(attack, client, theme, {"province": province}, facet)


def observe_digests(attack: Attack, con: duckdb.DuckDBPyConnection) -> None:
    scopes = [Scope(), *(Scope(r) for r in PROVINCES), *(Scope(sector=s) for s in SECTORS)]
    for scope in scopes:
        data = json.loads(render_json(build_digest(con, WEEK, scope)))
        where = (scope.province or ALL, scope.sector or ALL)
        for week in data["total_trend"]:
            attack.observe(("W", week["iso_week"], "alle", *where, ALL, ALL), week["contacts"])
        for theme in data["top_themes"]:
            for week in theme["trend"]:
                cell = ("W", week["iso_week"], theme["theme_id"], *where, ALL, ALL)
                attack.observe(cell, week["contacts"])
            for facet in theme["facets"]:
                attack.observe(("F", str(WEEK), facet["key"], *where, ALL, ALL), facet["contacts"])
        for key, split in (("channels", 5), ("service_lines", 6)):
            for c in data[key]:
                cell = ["W", str(WEEK), "alle", *where, ALL, ALL]
                cell[split] = c["key"]
                attack.observe(tuple(cell), c["contacts"])
        for item in data["emerging"]:
            attack.observe(("W", str(WEEK), item["theme_id"], *where, ALL, ALL), item["contacts"])
            top = item["headline"]  # the alert behind the card: its count over its window
            alert = (top["segment_kind"], top["segment_value"], date.fromisoformat(top["day"]))
            attack.observe(("A", item["theme_id"], *alert, top["window_days"]), top["observed"])
            for c in item["provinces"] if not scope.province else []:
                attack.observe(
                    ("W", str(WEEK), item["theme_id"], c["key"], where[1], ALL, ALL), c["contacts"]
                )
            for c in item["sectors"] if not scope.sector else []:
                attack.observe(
                    ("W", str(WEEK), item["theme_id"], where[0], c["key"], ALL, ALL), c["contacts"]
                )


FACET_ROW = re.compile(
    r'<tr data-facet="([^"]+)">.*?data-count="(\d*)".*?data-count="(\d*)"', re.DOTALL
)


def _number(value: str) -> int | None:
    return int(value) if value else None


def observe_mail(attack: Attack, con: duckdb.DuckDBPyConnection) -> None:
    """The alert mail: each count is an alert's count as the mart publishes it."""
    lines = pending_alerts(con, WEEK.monday - timedelta(days=28), set())
    body = compose(lines, "radar@example.org", ["bea@example.org"], None).get_content()
    published_alerts = {
        (cell[1], cell[4], value) for cell, value in attack.published.items() if cell[0] == "A"
    }
    assert lines
    for line in lines:
        assert mail_line(line) in body
        if (line.theme_id, line.day, line.observed) not in published_alerts:
            attack.inconsistent.append((("A", line.theme_id, line.day), None, line.observed))


CHART = re.compile(r'<svg [^>]*class="chart (\w+)".*?</svg>', re.DOTALL)
CHART_ITEM = re.compile(r'aria-label="([^"]+): ([^":]+)" role="graphics-symbol"')
CHART_VALUES = re.compile(r'<g class="[^"]*\bvalue_marks"[^>]*>(.*?)</g>', re.DOTALL)


def read_charts(page: str) -> dict[str, list[tuple[str, int | None]]]:
    """Every chart of a page by kind, as the items its marks describe ("Limburg: 12",
    "wk 44: minder dan 5"). The numbers a chart prints (its value texts) must be exactly
    those items' numbers: so the attacker sees every number a chart shows."""
    charts: dict[str, list[tuple[str, int | None]]] = {}
    for match in CHART.finditer(page):
        items = [
            (label, None if value == SUPPRESSED else int(value.replace(".", "")))
            for label, value in CHART_ITEM.findall(match[0])
        ]
        printed = [
            int(text.replace(".", ""))
            for group in CHART_VALUES.findall(match[0])
            for text in re.findall(r"<text[^>]*>([\d.]+)</text>", group)
        ]
        assert sorted(printed) == sorted(n for _, n in items if n is not None), match[0][:300]
        charts.setdefault(match[1], []).extend(items)
    return charts


def observe_theme_pages(attack: Attack, client: TestClient, themes: list[str]) -> None:
    names = {province_name(p): p for p in PROVINCES} | {sector_name(s): s for s in SECTORS}
    weeks = {WEEK.shift(-i).short_label: str(WEEK.shift(-i)) for i in range(52)}
    for theme in themes:
        for path in (f"/theme/{theme}", f"/theme/{theme}/dossier"):
            page = client.get(f"{path}?week={WEEK}").text
            for facet, week, total in FACET_ROW.findall(page):
                attack.observe(("F", str(WEEK), facet, ALL, ALL, ALL, ALL), _number(week))
                attack.observe(("FT", facet), _number(total))
            charts = read_charts(page)
            assert charts["tilemap"] and charts["trend"], path
            for name, value in charts["tilemap"]:
                attack.observe(("W", str(WEEK), theme, names[name], ALL, ALL, ALL), value)
            for name, value in charts.get("bars", []):
                attack.observe(("W", str(WEEK), theme, ALL, names[name], ALL, ALL), value)
            for label, value in charts["trend"]:
                attack.observe(("W", weeks[label], theme, ALL, ALL, ALL, ALL), value)


OVERVIEW_ROW = re.compile(r'<tr data-theme="([^"]+)">.*?data-count="(\d*)"', re.DOTALL)
OVERVIEW_FACET = re.compile(r'<li data-facet="([^"]+)">.*?data-count="(\d*)"')


SPARKLINE = re.compile(r'class="chart spark"[^>]*aria-label="([^"]*)"')
SPARK_WEEK = re.compile(r"(wk \d+) (minder dan 5|[\d.]+)")


def observe_overviews(attack: Attack, client: TestClient) -> None:
    """The overview's theme table and facets in every period, all rows, and each row's
    sparkline as its text reads it ("Loonstrook: wk 40 minder dan 5, wk 41 12, …")."""
    week_of = {WEEK.shift(-i).short_label: str(WEEK.shift(-i)) for i in range(12)}
    sparklines = 0
    for period, weeks in (("week", 1), ("4weken", 4), ("kwartaal", 13)):
        page = client.get(f"/?week={WEEK}&periode={period}&alle=1").text
        rows = OVERVIEW_ROW.findall(page)
        assert rows, period
        for theme, n in rows:
            attack.observe(("P", weeks, str(WEEK), theme), _number(n))
        for facet, n in OVERVIEW_FACET.findall(page):
            attack.observe(("FP", weeks, str(WEEK), facet), _number(n))
        for row in page.split('<tr data-theme="')[1:]:
            theme, row = row.split('"', 1)[0], row.split("</tr>", 1)[0]
            for label in SPARKLINE.findall(row):
                sparklines += 1
                for week, value in SPARK_WEEK.findall(label):
                    number = None if value == SUPPRESSED else int(value.replace(".", ""))
                    attack.observe(("W", week_of[week], theme, ALL, ALL, ALL, ALL), number)
    assert sparklines >= len(rows), "every row has its sparkline"


SUM_ROW = re.compile(
    r'<tr data-theme="([^"]+)">.*?data-sum="(\d*)" data-left-out="(\d+)".*?data-change="(-?\d*)"',
    re.DOTALL,
)
SUM_FACET = re.compile(r'<li data-facet="([^"]+)">.*?data-sum="(\d*)" data-left-out="(\d+)"')


def observe_ranges(attack: Attack, client: TestClient, weeks: int) -> None:
    """The overview's own range, every run of weeks inside the data (with the range one
    week shorter or longer beside it: the differencing attack), all rows and facets; an
    exact change also gives the sum of the range before."""
    data = [str(WEEK.shift(-i)) for i in reversed(range(weeks))]
    for i, first in enumerate(data):
        for j in range(i, len(data)):
            span, last = data[i : j + 1], data[j]
            page = client.get(f"/?week={WEEK}&periode=eigen&van={first}&tot={last}&alle=1")
            assert page.status_code == 200 and SUM_ROW.search(page.text), (first, last)
            for theme, total, left_out, change in SUM_ROW.findall(page.text):
                parts = [("P", 1, w, theme) for w in span]
                attack.observe_sum(("S", first, last, theme), int(total or 0), int(left_out), parts)
                if change:
                    before = data[i - len(span) : i]
                    attack.observe_sum(
                        ("S", before[0], before[-1], theme),
                        int(total) - int(change),
                        0,
                        [("P", 1, w, theme) for w in before],
                    )
            for facet, total, left_out in SUM_FACET.findall(page.text):
                parts = [("FP", 1, w, facet) for w in span]
                attack.observe_sum(("FS", first, last, facet), int(total), int(left_out), parts)


def test_every_output_shows_only_what_the_marts_publish(everything):
    assert everything.inconsistent == []


def test_the_custom_ranges_are_sums_of_published_weeks_in_the_attack(everything):
    """Every range of weeks the overview offers is in the attack above (which finds no small
    count and no number that is not the sum of the published weeks), also those with weeks
    left out: a range minus the range one week shorter gives back only the published week."""
    sums = [c for c in everything.sums if c[0] == "S"]
    assert len({c[1:3] for c in sums}) == 36  # 8 weeks of data: every first and last week
    assert any(c[0] == "FS" for c in everything.sums)
    tied = {total for total, _ in everything.relations if total[0] in ("S", "FS")}
    assert tied == set(everything.sums)
    planted = [everything.sums[c] for c in sums if c[3] == PLANTED_THEME[0]]
    assert any(total and left_out for total, left_out in planted)  # a lower bound ("≥ N")


def test_the_drill_down_groups_left_out_values_in_one_line(everything):
    # Not vacuous: many drill pages show "overige …, samen N", each the mart's group.
    assert everything.rest_lines > 20
    groups = [c for c in everything.published if c[0] == "G"]
    assert groups and all(everything.published[c] >= MIN_CELL_SIZE for c in groups)


def test_subtracting_everything_published_finds_no_small_count(everything, marts_attack):
    # Not vacuous: the pages, digests and mail add hundreds of numbers to the marts' own.
    assert everything.observations > marts_attack.observations + 500
    assert small_groups(everything) == []
    assert not any(f.exact_small for f in everything.findings())


def test_a_grouped_line_is_at_least_two_left_out_values_published_by_the_rule(snapshot: Path):
    """ "overige …, samen N": the left-out values of a drill level, count + noise of their
    contacts' key, at least 5; never a single left-out value, never one that is published."""
    levels = ("province", "sector", "channel", "service_line")
    with duckdb.connect(str(snapshot.parent.parent / "warehouse.duckdb"), read_only=True) as con:
        facts = con.execute(
            "SELECT occurred_week, theme_id, province, sector, channel, service_line, record_key"
            " FROM marts.contact_theme_facts"
        ).fetchall()
    cells: dict[tuple, list[int]] = {}
    for week, theme, *dims, key in facts:
        for theme_id in (theme, "alle"):
            for depth, level in enumerate(levels):
                chosen = tuple(dims[:depth]) + (None,) * (3 - depth)
                cell = cells.setdefault((week, theme_id, level, *chosen, dims[depth]), [0, 0])
                cell[0] += 1
                cell[1] += key
    groups: dict[tuple, list[tuple[int, int]]] = {}
    for (*parent, _value), (n, key) in cells.items():
        if published(n, key) is None:
            groups.setdefault(tuple(parent), []).append((n, key))
    expected = {}
    for parent, members in groups.items():
        value = published(sum(n for n, _ in members), sum(k for _, k in members))
        if len(members) >= 2 and value is not None:
            expected[parent] = value
    with duckdb.connect(str(snapshot), read_only=True) as con:
        shown = {
            tuple(key): n
            for *key, n in con.execute(
                "SELECT iso_week, theme_id, level, province, sector, channel, contacts"
                " FROM marts.theme_week_drill_rest"
            ).fetchall()
        }
    assert shown == expected
    assert any(len(groups[p]) == 1 for p in groups)  # single left-out values exist, not shown


def test_the_published_facet_cells_follow_the_documented_rule(snapshot: Path):
    """Every facet cell is count + noise(cell key) of its contacts, left out under 5; a facet
    that is its theme's only one shows the theme's number (same contacts, same key)."""
    warehouse = duckdb.connect(str(snapshot.parent.parent / "warehouse.duckdb"), read_only=True)
    truth = warehouse.execute(
        "SELECT occurred_week, facet_id, province, sector, channel, service_line, count(*),"
        " sum(record_key) FROM marts.contact_facet_facts"
        " GROUP BY occurred_week, facet_id, CUBE (province, sector, channel, service_line)"
    ).fetchall()
    warehouse.close()
    with duckdb.connect(str(snapshot), read_only=True) as con:
        shown = {
            tuple(key): n
            for *key, n in con.execute(
                "SELECT iso_week, facet_id, province, sector, channel, service_line, contacts"
                " FROM marts.facet_week_drilldown"
            ).fetchall()
        }
        single = con.execute(
            "SELECT f.contacts, t.contacts FROM marts.facet_week f JOIN marts.theme_week t"
            " USING (iso_week, theme_id) WHERE f.facet_id = 'F0031'"
        ).fetchall()
    expected = {tuple(k): published(n, int(key)) for *k, n, key in truth}
    assert shown == {k: v for k, v in expected.items() if v is not None}
    assert any(v is None for v in expected.values())  # some facet cells are left out
    assert single and all(f == t for f, t in single)


def test_the_attacker_sees_the_facet_numbers_of_every_output(everything):
    facet_cells = [c for c in everything.published if c[0] in ("F", "FT")]
    assert any(c[0] == "FT" for c in facet_cells)
    assert any(c[0] == "F" and c[3] != ALL for c in facet_cells)  # drill pages by facet
    assert ("A", "F0013", "national", "NL") in {c[:4] for c in everything.published}
