"""Read-only queries behind the dashboard pages, all on the analysts' snapshot."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from dashboards.digest import (
    DigestReader,
    Scope,
    WeekCount,
    cells_for,
    theme_quotes,
    trend_of,
    week_matrix,
)
from dashboards.disclosure import Cell
from dashboards.dutch import (
    IsoWeek,
    alert_kind_label,
    channel_name,
    day_label,
    province_name,
    sector_name,
    segment_label,
    service_line_name,
)
from pipeline.contract.vocab import CHANNELS, PROVINCES, SECTORS, SERVICE_LINES

TREND_WEEKS = 12
# Drill path: province → sector → channel → service line.
DRILL_LEVELS = ("region", "sector", "channel", "service_line")
LEVEL_LABELS = {
    "region": ("Provincie", province_name),
    "sector": ("Sector", sector_name),
    "channel": ("Kanaal", channel_name),
    "service_line": ("Lijn", service_line_name),
}
LEVEL_VALUES = {
    "region": tuple(PROVINCES),
    "sector": tuple(SECTORS),
    "channel": CHANNELS,
    "service_line": SERVICE_LINES,
}


def latest_week(con: duckdb.DuckDBPyConnection) -> IsoWeek | None:
    row = con.execute("SELECT max(iso_week) FROM marts.theme_week").fetchone()
    return IsoWeek.parse(row[0]) if row and row[0] else None


@dataclass(frozen=True)
class ThemeTrend:
    theme_id: str
    name: str
    weeks: list[WeekCount]

    @property
    def latest(self) -> int | None:
        return self.weeks[-1].contacts


def theme_trends(con: duckdb.DuckDBPyConnection, week: IsoWeek) -> list[ThemeTrend]:
    weeks = [week.shift(-i) for i in range(TREND_WEEKS - 1, -1, -1)]
    rows = con.execute(
        "SELECT theme_id, theme_name, iso_week, contacts FROM marts.theme_week"
        " WHERE iso_week IN (SELECT unnest(?))",
        [[str(w) for w in weeks]],
    ).fetchall()
    names = {theme_id: name for theme_id, name, _, _ in rows}
    counts = {(iso, theme_id): contacts for theme_id, _, iso, contacts in rows}
    matrix = week_matrix(counts, names, weeks)
    trends = [ThemeTrend(t, names[t], trend_of(cells, weeks)) for t, cells in matrix.items()]
    return sorted(trends, key=lambda t: (t.latest is None, -(t.latest or 0), t.name))


@dataclass(frozen=True)
class Drill:
    path: list[tuple[str, str, str]]  # (level, code, Dutch label) already chosen
    level: str | None  # next level to split by; None at the bottom
    level_label: str
    total: int | None
    cells: list[Cell]  # the published ones
    unlisted: bool  # some values are not published (fewer than 5, or none)
    map_cells: list[Cell] | None


def drill(
    con: duckdb.DuckDBPyConnection,
    week: IsoWeek,
    theme_id: str,
    chosen: dict[str, str],
    facet_id: str | None = None,
) -> Drill:
    """One drill page: the chosen cell and its split by the next level; with `facet_id`, the
    contacts of that facet of the theme only (`marts.facet_week_drilldown`)."""
    path = []
    for level in DRILL_LEVELS:
        if level not in chosen:
            break
        path.append((level, chosen[level], LEVEL_LABELS[level][1](chosen[level])))
    fixed = {level: code for level, code, _ in path}
    reader = DigestReader(con, Scope(fixed.get("region"), fixed.get("sector")), facet_id)
    args = {"channel": fixed.get("channel"), "service_line": fixed.get("service_line")}
    total = reader.cell(week, theme_id, **args)
    level = DRILL_LEVELS[len(path)] if len(path) < len(DRILL_LEVELS) else None
    if level is None:
        return Drill(path, None, "", total, [], False, None)
    label, namer = LEVEL_LABELS[level]
    counts = reader.counts([week], theme_id=theme_id, by=level, **args)
    # Below a suppressed cell, cells_for shows nothing: its parts could only narrow it down.
    cells = cells_for(counts, LEVEL_VALUES[level], namer, total)
    cells.sort(key=lambda c: (c.contacts is None, -(c.contacts or 0), c.label))
    shown = [c for c in cells if c.contacts is not None]
    map_cells = cells if level == "region" and cells else None
    return Drill(path, level, label, total, shown, len(shown) < len(cells), map_cells)


@dataclass(frozen=True)
class Alert:
    day: str
    theme_id: str
    theme_name: str
    kind_label: str
    where: str
    since: str
    observed: int
    expected: float
    rate_ratio: float | None


def alerts(con: duckdb.DuckDBPyConnection, theme_id: str | None = None) -> list[Alert]:
    rows = con.execute(
        "SELECT day, theme_id, theme_name, kind, segment_kind, segment_value, first_seen,"
        " observed, expected, rate_ratio, facet_name FROM marts.emerging_themes"
        " WHERE ? IS NULL OR theme_id = ? ORDER BY day DESC, rate_ratio DESC NULLS LAST",
        [theme_id, theme_id],
    ).fetchall()
    return [
        Alert(
            day_label(r[0]),
            r[1],
            r[2],
            alert_kind_label(r[3], r[10]),
            segment_label(r[4], r[5]),
            day_label(r[6]),
            r[7],
            r[8],
            r[9],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class LineageStep:
    when: str
    change: str
    other: str | None


CHANGE_LABELS = {
    "born": "ontstaan",
    "continued": "voortgezet",
    "died": "verdwenen",
    "split": "gesplitst",
    "merged": "samengevoegd",
    "dormant": "niet teruggevonden (vastgezet thema blijft bestaan)",
}


def theme_info(con: duckdb.DuckDBPyConnection, theme_id: str) -> dict | None:
    row = con.execute(
        "SELECT theme_id, name, keyphrases, status, first_seen_day FROM marts.themes"
        " WHERE theme_id = ?",
        [theme_id],
    ).fetchone()
    if row is None:
        return None
    return {
        "theme_id": row[0],
        "name": row[1],
        "keyphrases": row[2],
        "status": row[3],
        "first_seen": day_label(row[4]) if row[4] else None,
    }


def lineage(con: duckdb.DuckDBPyConnection, theme_id: str) -> list[LineageStep]:
    rows = con.execute(
        "SELECT changed_at, change, from_theme_id, to_theme_id FROM marts.theme_lineage"
        " WHERE from_theme_id = ? OR to_theme_id = ? ORDER BY changed_at",
        [theme_id, theme_id],
    ).fetchall()
    steps = []
    for changed_at, change, source, target in rows:
        other = target if source == theme_id else source
        steps.append(
            LineageStep(
                day_label(changed_at.date()),
                CHANGE_LABELS.get(change, change),
                other if other != theme_id else None,
            )
        )
    return steps


def quotes(
    con: duckdb.DuckDBPyConnection, theme_id: str, week: IsoWeek
) -> tuple[list[str], str | None]:
    """The theme page's quotes: chosen like the national digest's for that week."""
    return theme_quotes(con, theme_id, week)


def where_this_week(
    con: duckdb.DuckDBPyConnection, week: IsoWeek, theme_id: str
) -> tuple[int | None, list[Cell], list[Cell]]:
    reader = DigestReader(con, Scope())
    total = reader.cell(week, theme_id)
    by_region = reader.counts([week], theme_id=theme_id, by="region")
    by_sector = reader.counts([week], theme_id=theme_id, by="sector")
    provinces = cells_for(by_region, PROVINCES, province_name, total)
    sectors = cells_for(by_sector, SECTORS, sector_name, total)
    return total, provinces, sectors
