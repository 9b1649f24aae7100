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
    channel_name,
    day_label,
    province_name,
    sector_name,
    service_line_name,
)
from dashboards.episodes import EpisodeAlert, episode_alerts
from pipeline.contract.vocab import CHANNELS, PROVINCES, SECTORS, SERVICE_LINES

TREND_WEEKS = 12
# Drill path: province → sector → channel → service line.
DRILL_LEVELS = ("province", "sector", "channel", "service_line")
LEVEL_LABELS = {
    "province": ("Provincie", province_name),
    "sector": ("Sector", sector_name),
    "channel": ("Kanaal", channel_name),
    "service_line": ("Lijn", service_line_name),
}
# "overige sectoren, samen 23": the drill level in the plural.
LEVEL_PLURALS = {
    "province": "provincies",
    "sector": "sectoren",
    "channel": "kanalen",
    "service_line": "lijnen",
}
# A level chosen as "alle" is passed over: every value of it together (NULL in the marts), so
# a drill whose split at one level is all hidden goes on by the next (the cube holds it).
ALL_VALUES = "alle"
LEVEL_VALUES = {
    "province": tuple(PROVINCES),
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
    # The values left out, counted together (marts.theme_week_drill_rest); None where that
    # group would be under 5 or only one value.
    rest: int | None = None

    @property
    def pass_over(self) -> str | None:
        """The level after this one, when no value of this one is shown but the cell is: the
        path of a rising theme goes on with every value of this level together."""
        if self.level is None or self.cells or self.total is None:
            return None
        following = DRILL_LEVELS.index(self.level) + 1
        return DRILL_LEVELS[following] if following < len(DRILL_LEVELS) else None

    @property
    def pass_over_label(self) -> str:
        return LEVEL_LABELS[self.pass_over][0] if self.pass_over else ""

    @property
    def rest_label(self) -> str:
        return LEVEL_PLURALS.get(self.level or "", "")


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
        code = chosen[level]
        label = f"alle {LEVEL_PLURALS[level]}" if code == ALL_VALUES else None
        path.append((level, code, label or LEVEL_LABELS[level][1](code)))
    fixed = {level: code for level, code, _ in path if code != ALL_VALUES}
    reader = DigestReader(con, Scope(fixed.get("province"), fixed.get("sector")), facet_id)
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
    map_cells = cells if level == "province" and cells else None
    unlisted = len(shown) < len(cells)
    rest = drill_rest(con, week, theme_id, level, fixed) if unlisted else None
    return Drill(path, level, label, total, shown, unlisted, map_cells, rest)


def drill_rest(
    con: duckdb.DuckDBPyConnection, week: IsoWeek, theme_id: str, level: str, fixed: dict
) -> int | None:
    """The left-out values of `level` below the cell `fixed`, together, as the mart has them."""
    row = con.execute(
        "SELECT contacts FROM marts.theme_week_drill_rest WHERE iso_week = ? AND theme_id = ?"
        " AND level = ? AND province IS NOT DISTINCT FROM ? AND sector IS NOT DISTINCT FROM ?"
        " AND channel IS NOT DISTINCT FROM ?",
        [
            str(week),
            theme_id,
            level,
            fixed.get("province"),
            fixed.get("sector"),
            fixed.get("channel"),
        ],
    ).fetchone()
    return row[0] if row else None


def alerts(con: duckdb.DuckDBPyConnection, theme_id: str | None = None) -> list[EpisodeAlert]:
    """Every published alert (of one theme), newest first, as `marts.theme_episodes` has it."""
    return episode_alerts(con, theme_id)


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
        "SELECT theme_id, name, keyphrases, status FROM marts.themes WHERE theme_id = ?",
        [theme_id],
    ).fetchone()
    if row is None:
        return None
    return {
        "theme_id": row[0],
        "name": row[1],
        "keyphrases": row[2],
        "status": row[3],
    }


def lineage(con: duckdb.DuckDBPyConnection, theme_id: str) -> list[LineageStep]:
    rows = con.execute(
        "SELECT data_day, change, from_theme_id, to_theme_id FROM marts.theme_lineage"
        " WHERE from_theme_id = ? OR to_theme_id = ? ORDER BY data_day, changed_at",
        [theme_id, theme_id],
    ).fetchall()
    steps = []
    for data_day, change, source, target in rows:
        other = target if source == theme_id else source
        steps.append(
            LineageStep(
                day_label(data_day),
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
    by_province = reader.counts([week], theme_id=theme_id, by="province")
    by_sector = reader.counts([week], theme_id=theme_id, by="sector")
    provinces = cells_for(by_province, PROVINCES, province_name, total)
    sectors = cells_for(by_sector, SECTORS, sector_name, total)
    return total, provinces, sectors
