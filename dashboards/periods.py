"""The overview's theme table: contacts in a period, against the period before, and a share.

Every count is a published cell of `marts.theme_period` (a period counted from its
contacts, never summed from weeks). A change or a share is only stated between two
published cells: where either side is left out (fewer than 5), the page says so in words
and shows no number, because a difference with a suppressed cell would narrow it down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

import duckdb

from dashboards.disclosure import Cell
from dashboards.dutch import IsoWeek, count_text, date_range
from dashboards.facets import names_of_facets, several_facets
from dashboards.weeks import DataWeeks
from pipeline.disclosure import MIN_CELL_SIZE

if TYPE_CHECKING:
    from dashboards.ranges import ThemeRange


@dataclass(frozen=True)
class Period:
    key: str  # the `periode=` query value
    weeks: int
    label: str  # the choice, e.g. '4 weken'

    def first(self, last: IsoWeek) -> IsoWeek:
        return last.shift(-(self.weeks - 1))

    def before(self, last: IsoWeek) -> IsoWeek:
        """The last week of the period before, of the same length."""
        return last.shift(-self.weeks)

    def span(self, last: IsoWeek) -> str:
        """e.g. '26 oktober – 22 november 2026' (weeks 44-47)."""
        return date_range(self.first(last).monday, last.sunday)


PERIODS = {
    p.key: p
    for p in (
        Period("week", 1, "week"),
        Period("4weken", 4, "4 weken"),
        Period("kwartaal", 13, "kwartaal"),
    )
}
DEFAULT_PERIOD = "week"
# sort= values: most contacts, largest rise (in contacts), name.
SORTS = ("contacten", "stijging", "naam")
TOP = 15  # rows shown before "toon alle"


@dataclass(frozen=True)
class ThemePeriod:
    theme_id: str
    name: str
    contacts: int | None  # published count in the period; None: fewer than 5 (or none)
    previous: int | None  # the same in the period before
    all_contacts: int | None  # all themes together in the period
    # False where the period before lies (partly) before the first week with data.
    comparable: bool
    facets: list[Cell] = field(default_factory=list)  # published facets, most contacts first

    @property
    def change(self) -> int | None:
        """Contacts more (or fewer) than the period before; None unless both are published."""
        if not self.comparable or self.contacts is None or self.previous is None:
            return None
        return self.contacts - self.previous

    @property
    def change_percent(self) -> int | None:
        change = self.change
        return None if change is None else round(100 * change / self.previous)  # type: ignore[operator]

    @property
    def change_label(self) -> str:
        """The change in Dutch: '+12 (+15%)', 'gelijk', or why there is no number."""
        change = self.change
        if change is not None:
            if change == 0:
                return "gelijk"
            sign = "+" if change > 0 else "−"
            return f"{sign}{count_text(abs(change))} ({sign}{abs(self.change_percent or 0)}%)"
        if not self.comparable:
            return "geen vergelijking (vorige periode valt vóór de gegevens)"
        if self.contacts is not None:
            return f"gestegen (vorige periode minder dan {MIN_CELL_SIZE})"
        if self.previous is not None:
            return f"gedaald (nu minder dan {MIN_CELL_SIZE})"
        return "niet te berekenen"

    @property
    def share(self) -> float | None:
        """Share of all contacts in the period, in percent; None unless both are published."""
        if self.contacts is None or not self.all_contacts:
            return None
        return 100 * self.contacts / self.all_contacts

    @property
    def rise_key(self) -> tuple:
        """Sort key for 'stijging', largest rise first: the change where both are published,
        else the least it can be by what the page says ('minder dan 5' is at most 4);
        themes without a comparison last."""
        if self.change is not None:
            return (0, -self.change, -(self.change_percent or 0))
        if not self.comparable:
            return (1, 0, 0)
        if self.contacts is not None:
            return (0, -(self.contacts - (MIN_CELL_SIZE - 1)), 0)
        if self.previous is not None:
            return (0, -((MIN_CELL_SIZE - 1) - self.previous), 0)
        return (0, 0, 0)


def period_counts(
    con: duckdb.DuckDBPyConnection, period: Period, last: IsoWeek
) -> dict[tuple[str, str | None], int]:
    """(theme id, facet id or None) -> published contacts of the period ending in `last`."""
    rows = con.execute(
        "SELECT theme_id, facet_id, contacts FROM marts.theme_period"
        " WHERE period_weeks = ? AND last_week = ?",
        [period.weeks, str(last)],
    ).fetchall()
    return {(theme_id, facet_id): contacts for theme_id, facet_id, contacts in rows}


def theme_periods(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    last: IsoWeek,
    data: DataWeeks,
) -> list[ThemePeriod]:
    """One row per theme published in the period or the one before, most contacts first;
    facets only beneath a theme of several (a theme's only facet would repeat the theme)."""
    now = period_counts(con, period, last)
    before = period_counts(con, period, period.before(last))
    names = dict(
        con.execute(
            "SELECT DISTINCT theme_id, theme_name FROM marts.theme_period"
            " WHERE facet_id IS NULL AND last_week IN (?, ?) AND period_weeks = ?",
            [str(last), str(period.before(last)), period.weeks],
        ).fetchall()
    )
    several = several_facets(con, names)
    facet_names = names_of_facets(con, several)
    comparable = period.first(period.before(last)) >= data.first
    rows = []
    for theme_id in sorted(t for t in names if t != "alle"):
        facets = [
            Cell(facet_id, facet_names.get(facet_id, facet_id), n)
            for (t, facet_id), n in now.items()
            if t == theme_id and facet_id is not None and theme_id in several
        ]
        facets.sort(key=lambda c: (-(c.contacts or 0), c.label))
        rows.append(
            ThemePeriod(
                theme_id,
                names[theme_id],
                now.get((theme_id, None)),
                before.get((theme_id, None)),
                now.get(("alle", None)),
                comparable,
                facets,
            )
        )
    return sort_rows(rows, "contacten")


Row: TypeAlias = "ThemePeriod | ThemeRange"  # a fixed period's row, or an own range's (`ranges`)


def sort_rows(rows: Sequence[Row], sort: str) -> list[Row]:
    if sort == "naam":
        return sorted(rows, key=lambda r: r.name.casefold())
    if sort == "stijging":
        return sorted(rows, key=lambda r: (r.rise_key, r.name))
    return sorted(rows, key=lambda r: (r.contacts is None, -(r.contacts or 0), r.name))


def search(rows: Sequence[Row], query: str) -> list[Row]:
    """The themes whose name, or the name of a facet listed beneath, holds `query`."""
    needle = query.strip().casefold()
    if not needle:
        return list(rows)
    return [
        r
        for r in rows
        if needle in r.name.casefold() or any(needle in f.label.casefold() for f in r.facets)
    ]
