"""The facets beneath a theme, as the facet marts publish them.

A facet is a variation of a theme's subject ("camera in de cabine" beneath "AI-monitoring door
de werkgever"). Every count here is a published cell of `marts.facet_week_drilldown` or
`marts.theme_facets`; a facet whose cell is left out (fewer than 5) is not named at all, so a
line of facets never hints at a small group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from dashboards.disclosure import Cell
from dashboards.dutch import IsoWeek, count_text, day_label
from pipeline.disclosure import MIN_CELL_SIZE

FACETS_IN_LINE = 5  # a digest line names at most this many facets


def week_facets(
    con: duckdb.DuckDBPyConnection,
    week: IsoWeek,
    theme_ids: Iterable[str],
    province: str | None = None,
    sector: str | None = None,
) -> dict[str, list[Cell]]:
    """Per theme, its facets published for `week` in the province and sector (None: all),
    most contacts first; facets left out of the mart are not listed."""
    where = ["iso_week = ?", "theme_id IN (SELECT unnest(?))", "channel IS NULL"]
    where.append("service_line IS NULL")
    params: list[object] = [str(week), list(theme_ids)]
    for column, value in (("province", province), ("sector", sector)):
        if value is None:
            where.append(f"{column} IS NULL")
        else:
            where.append(f"{column} = ?")
            params.append(value)
    rows = con.execute(
        "SELECT theme_id, facet_id, facet_name, contacts FROM marts.facet_week_drilldown"
        f" WHERE {' AND '.join(where)} ORDER BY contacts DESC, facet_name",
        params,
    ).fetchall()
    found: dict[str, list[Cell]] = {}
    for theme_id, facet_id, name, contacts in rows:
        if contacts is not None and contacts >= MIN_CELL_SIZE:
            found.setdefault(theme_id, []).append(Cell(facet_id, name, contacts))
    return found


def several_facets(con: duckdb.DuckDBPyConnection, theme_ids: Iterable[str]) -> set[str]:
    """The themes with more than one facet: only their facets say more than the theme does."""
    rows = con.execute(
        "SELECT theme_id FROM marts.theme_facets WHERE theme_id IN (SELECT unnest(?))"
        " GROUP BY theme_id HAVING count(*) > 1",
        [list(theme_ids)],
    ).fetchall()
    return {theme_id for (theme_id,) in rows}


def names_of_facets(con: duckdb.DuckDBPyConnection, theme_ids: Iterable[str]) -> dict[str, str]:
    """facet id -> name of every facet of these themes."""
    return dict(
        con.execute(
            "SELECT facet_id, name FROM marts.theme_facets WHERE theme_id IN (SELECT unnest(?))",
            [sorted(theme_ids)],
        ).fetchall()
    )


def facet_line(cells: list[Cell]) -> str:
    """One Dutch line of a theme's facets: 'o.a. camera in de cabine (34), score per rit (21)';
    empty when none is published."""
    parts = [f"{c.label} ({count_text(c.contacts)})" for c in cells]
    return "o.a. " + ", ".join(parts) if parts else ""


@dataclass(frozen=True)
class FacetCount:
    facet_id: str
    name: str
    week: int | None  # published contacts in the week shown; None: fewer than 5 or none
    total: int | None  # published contacts so far; None: fewer than 5


def theme_facets(con: duckdb.DuckDBPyConnection, theme_id: str, week: IsoWeek) -> list[FacetCount]:
    """The theme page's facets: each facet of the theme with a published count this week or
    in total, most contacts this week first."""
    weekly = {c.key: c.contacts for c in week_facets(con, week, [theme_id]).get(theme_id, [])}
    rows = con.execute(
        "SELECT facet_id, name, contacts FROM marts.theme_facets WHERE theme_id = ?",
        [theme_id],
    ).fetchall()
    facets = [
        FacetCount(facet_id, name, weekly.get(facet_id), total)
        for facet_id, name, total in rows
        if facet_id in weekly or total is not None
    ]
    return sorted(facets, key=lambda f: (-(f.week or 0), -(f.total or 0), f.name))


def facet_names(con: duckdb.DuckDBPyConnection, theme_id: str) -> list[tuple[str, str]]:
    """(facet id, name) of a theme's facets, for the drill-down's facet choice."""
    return con.execute(
        "SELECT facet_id, name FROM marts.theme_facets WHERE theme_id = ? ORDER BY name",
        [theme_id],
    ).fetchall()


def facet_history(con: duckdb.DuckDBPyConnection, theme_id: str) -> list[tuple[str, str]]:
    """(day, Dutch sentence) of what happened to the theme's facets, oldest first; continued
    facets are left out (nothing happened to them)."""
    rows = con.execute(
        "SELECT data_day, description FROM marts.facet_lineage"
        " WHERE (to_theme_id = ? OR from_theme_id = ?) AND change <> 'continued'"
        " ORDER BY data_day, changed_at, description",
        [theme_id, theme_id],
    ).fetchall()
    return [(day_label(data_day), description) for data_day, description in rows]
