"""Every alert shown anywhere tells the same episode: start, window and count.

The truth is worked out here from the restricted warehouse, independently of the mart:
each alert's contacts (theme, segment, window of days, from the contacts' own days, the
facts behind the daily marts), their published value (count + noise of the cell key), and
the episode start by the documented rule over the published alerts. Then every alert
the overview, theme pages, alert list, press dossier, digest JSON and alert mail show
must match it, and every count must agree with the weekly marts.

The same checks run on a real run's data folder (a `make demo`, say) instead of the
fixture: `LEDENRADAR_AGREEMENT_DATA=data/demo pytest tests/unit/test_episode_agreement.py`.
They then read every week and theme that has an alert.
"""

import html
import json
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from fixtures.warehouse import build_warehouse
from starlette.testclient import TestClient

from dashboards.alerts_mail import compose, mail_line, pending_alerts
from dashboards.auth import UserStore
from dashboards.digest import Scope, build_digest
from dashboards.dutch import IsoWeek, day_label, window_label
from dashboards.render import render_json
from dashboards.web import DashboardConfig, create_app
from pipeline.disclosure import NOISE_BOUND, published

FIXTURE_WEEKS = [IsoWeek.parse(w) for w in ("2026-W44", "2026-W45", "2026-W46", "2026-W47")]
FIXTURE_THEMES = ("T0001", "T0002", "T0010")
SCOPES = [Scope(), Scope("NL-LI"), Scope("NL-NH"), Scope("NL-LI", "transport")]
PASSWORD = "geheim-wachtwoord"
ATTRS = (
    r'class="episode" data-theme="([^"]+)" data-segment="([a-z_]+):([^"]+)"'
    r' data-day="([-\d]+)" data-window="(\d+)" data-since="([-\d]+)" data-observed="(\d+)">'
)
# A sentence (a span holding the count's span), a list item or a table row.
SHOWN = [
    re.compile(rf"<span {ATTRS}(.*?</span>.*?)</span>", re.S),
    re.compile(rf"<(?:li|tr) {ATTRS}(.*?)</(?:li|tr)>", re.S),
]

Key = tuple[str, str, str, date]  # theme, segment kind, segment value, alert day


@dataclass(frozen=True)
class Run:
    """Where the alerts are read: the restricted warehouse, its snapshot, and what to open."""

    warehouse: Path
    snapshot: Path
    weeks: list[IsoWeek]
    themes: tuple[str, ...]
    is_fixture: bool


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = os.environ.get("LEDENRADAR_AGREEMENT_DATA")
    if not folder:
        snapshot = build_warehouse(tmp_path_factory.mktemp("episodes"))
        warehouse = snapshot.parent.parent / "warehouse.duckdb"
        return Run(warehouse, snapshot, FIXTURE_WEEKS, FIXTURE_THEMES, True)
    snapshot = Path(folder) / "snapshot" / "ledenradar.duckdb"
    with duckdb.connect(str(snapshot), read_only=True) as con:
        rows = con.execute("SELECT DISTINCT theme_id, day FROM marts.theme_episodes").fetchall()
    weeks = sorted({IsoWeek.of(day) for _, day in rows}, key=str)
    themes = tuple(sorted({theme for theme, _ in rows}))
    return Run(Path(folder) / "ledenradar.duckdb", snapshot, weeks, themes, False)


@pytest.fixture(scope="module")
def truth(run: Run) -> dict[Key, tuple[int, int, date]]:
    """(theme, segment, day) -> (window, published count, episode start)."""
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        facts = con.execute(
            "SELECT theme_id, occurred_day, province, sector, record_key, facet_id"
            " FROM marts.contact_theme_facts LEFT JOIN core.contact_facets USING (event_id)"
        ).fetchall()
        alerts = con.execute(
            "SELECT theme_id, segment_kind, segment_value, day, window_days, facet_id"
            " FROM core.alerts LEFT JOIN core.alert_facets USING (alert_id)"
        ).fetchall()
    shown: dict[tuple, list[tuple[date, int, int]]] = {}
    for theme, kind, value, day, window, facet in alerts:
        # A new-facet alert counts its facet's contacts only.
        members = [
            key
            for t, d, province, sector, key, f in facts
            if t == theme
            and (facet is None or f == facet)
            and day - timedelta(days=window - 1) <= d <= day
            and _in_segment(kind, value, province, sector)
        ]
        value_shown = published(len(members), sum(members))
        if value_shown is not None:
            shown.setdefault((theme, kind, value), []).append((day, window, value_shown))
    result = {}
    for (theme, kind, value), days in shown.items():
        start, previous = None, None
        for day, window, observed in sorted(days):
            # The run goes on while the window reaches back to the alert before it.
            if previous is None or (day - timedelta(days=window)) > previous:
                start = day
            previous = day
            result[(theme, kind, value, day)] = (window, observed, start)
    return result


def _in_segment(kind: str, value: str, province: str, sector: str) -> bool:
    return {
        "national": True,
        "province": province == value,
        "sector": sector == value,
        "province_sector": f"{province}|{sector}" == value,
    }[kind]


@pytest.fixture(scope="module")
def everything_shown(run: Run, tmp_path_factory) -> list[tuple[str, Key, int, int, date]]:
    """(where, alert, window, count, since) of every alert every output shows."""
    folder = tmp_path_factory.mktemp("dashboard")
    store = UserStore(folder / "users.json")
    store.set("bea", PASSWORD, "official")
    snapshot = run.snapshot
    app = create_app(DashboardConfig(snapshot, store.path, folder / "taxonomy.yaml", "secret"))
    client = TestClient(app)
    client.post("/login", data={"name": "bea", "password": PASSWORD, "next": "/"})
    pages = {"alert list": client.get("/alerts").text}
    for week in run.weeks:
        pages[f"overview {week}"] = client.get(f"/?week={week}").text
        for theme in run.themes:
            pages[f"theme {theme} {week}"] = client.get(f"/theme/{theme}?week={week}").text
            pages[f"dossier {theme} {week}"] = client.get(
                f"/theme/{theme}/dossier?week={week}"
            ).text
    shown = []
    for where, page in pages.items():
        found = [match for pattern in SHOWN for match in pattern.findall(page)]
        assert len(found) == page.count('class="episode"'), where
        for theme, kind, value, day, window, since, observed, raw in found:
            text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
            # What the reader sees says the same as the attributes the test reads.
            assert window_label(int(window)) in text, (where, text)
            assert day_label(date.fromisoformat(since)) in text, (where, text)
            assert f'data-count="{observed}"' in raw, (where, raw)
            key = (theme, kind, html.unescape(value), date.fromisoformat(day))
            shown.append((where, key, int(window), int(observed), date.fromisoformat(since)))
    with duckdb.connect(str(snapshot), read_only=True) as con:
        for week in run.weeks:
            for scope in SCOPES:
                data = json.loads(render_json(build_digest(con, week, scope)))
                for item in data["emerging"]:
                    top = item["headline"]
                    key = (
                        top["theme_id"],
                        top["segment_kind"],
                        top["segment_value"],
                        date.fromisoformat(top["day"]),
                    )
                    since = date.fromisoformat(item["since"])
                    shown.append(
                        (f"digest {week} {scope}", key, top["window_days"], top["observed"], since)
                    )
        lines = pending_alerts(con, min(week.monday for week in run.weeks), set())
        body = compose(lines, "radar@example.org", ["bea@example.org"], None).get_content()
        for line in lines:
            assert mail_line(line) in body
            text = mail_line(line)
            assert window_label(line.window_days) in text and f": {line.observed} contacten" in text
            assert f"sinds {day_label(line.episode_start)}" in text
            key = (line.theme_id, line.segment_kind, line.segment_value, line.day)
            shown.append(("mail", key, line.window_days, line.observed, line.episode_start))
    return shown


def test_every_output_shows_alerts(everything_shown):
    sources = {where.split()[0] for where, *_ in everything_shown}
    assert sources == {"alert", "overview", "theme", "dossier", "digest", "mail"}


def test_every_alert_shown_has_the_start_window_and_count_of_its_episode(everything_shown, truth):
    wrong = [
        (where, key, (window, observed, since), truth.get(key))
        for where, key, window, observed, since in everything_shown
        if truth.get(key) != (window, observed, since)
    ]
    assert wrong == []


def test_the_mart_is_the_truth_and_left_out_alerts_stay_out(run, truth, everything_shown):
    with duckdb.connect(str(run.snapshot), read_only=True) as con:
        rows = con.execute(
            "SELECT theme_id, segment_kind, segment_value, day, window_days, observed,"
            " episode_start FROM marts.theme_episodes"
        ).fetchall()
    mart = {(t, k, v, d): (w, n, s) for t, k, v, d, w, n, s in rows}
    assert mart == truth
    assert {key for _, key, *_ in everything_shown} == set(mart)  # every alert is shown somewhere
    if not run.is_fixture:
        return
    # The fixture's episodes: a run whose windows join up, and a segment with two runs.
    assert truth[("T0010", "national", "NL", date(2026, 11, 22))][2] == date(2026, 11, 14)
    starts = {
        s for (t, k, _, _), (_, _, s) in truth.items() if (t, k) == ("T0010", "province_sector")
    }
    assert starts == {date(2026, 11, 16), date(2026, 11, 18)}


def test_every_alert_count_agrees_with_the_weekly_marts(run):
    with duckdb.connect(str(run.snapshot), read_only=True) as con:
        rows = con.execute(
            "SELECT e.window_start, e.day, e.observed, w.contacts"
            " FROM marts.theme_episodes e"
            " LEFT JOIN marts.theme_week_drilldown w"
            "   ON w.theme_id = e.theme_id AND w.iso_week = strftime(e.day, '%G-W%V')"
            "  AND w.province IS NOT DISTINCT FROM CASE WHEN e.segment_kind = 'province'"
            "      THEN e.segment_value WHEN e.segment_kind = 'province_sector'"
            "      THEN split_part(e.segment_value, '|', 1) END"
            "  AND w.sector IS NOT DISTINCT FROM CASE WHEN e.segment_kind = 'sector'"
            "      THEN e.segment_value WHEN e.segment_kind = 'province_sector'"
            "      THEN split_part(e.segment_value, '|', 2) END"
            "  AND w.channel IS NULL AND w.service_line IS NULL"
        ).fetchall()
    whole_weeks = 0
    for first, last, observed, week in rows:
        if IsoWeek.of(first) != IsoWeek.of(last):
            continue
        assert week is not None, (first, last)  # a week holding 5 or more is published
        if first.weekday() == 0 and last.weekday() == 6:
            assert observed == week  # the same contacts: the same published number
            whole_weeks += 1
        else:
            assert observed <= week + 2 * NOISE_BOUND  # a part of the week, within noise
    assert whole_weeks >= (2 if run.is_fixture else 0)
