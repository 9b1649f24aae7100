"""The overview's own period: any run of whole ISO weeks, summed from published weekly cells.

A range the reader picks (`van=` .. `tot=`) is never counted from contacts: every possible
range as its own published cell would let [A, B] minus [A, B-1] give back week B's count,
also where week B was left out under 5. Instead its number is the sum of the weekly cells
the marts already publish (`marts.theme_period`, 1-week periods: the same cells as
`marts.theme_week` and `marts.facet_week`). Adding up published numbers is post-processing:
whoever has the weekly cells can do the same sum, so a range tells nothing the weeks did not.

The price is honesty about two things, and the page states both. A week left out (fewer than
5, or none) adds nothing to the sum, so a sum with such weeks is a lower bound ("≥ 23").
And every weekly cell carries its own noise of at most 2, so a sum of n weeks is within 2n
of the true count (the noise has zero mean, so it mostly cancels).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from dashboards.dutch import IsoWeek, count_text, date_range, day_label, decimal_text
from dashboards.facets import names_of_facets, several_facets
from dashboards.weeks import DataWeeks
from pipeline.disclosure import MIN_CELL_SIZE, NOISE_BOUND

# What a left-out week can at most have been published as: under the threshold.
LARGEST_LEFT_OUT = MIN_CELL_SIZE - 1


@dataclass(frozen=True, order=True)
class WeekRange:
    first: IsoWeek
    last: IsoWeek

    @classmethod
    def parse(cls, first: str, last: str) -> WeekRange:
        """From the query's `van=` and `tot=`; ValueError (Dutch) where either is no week."""
        if not first or not last:
            raise ValueError(
                "Kies bij een eigen periode een week bij 'van' en een week bij 'tot en met'."
            )
        try:
            return cls(IsoWeek.parse(first), IsoWeek.parse(last))
        except ValueError as error:
            raise ValueError(f"Eigen periode: {error}.") from error

    @property
    def weeks(self) -> list[IsoWeek]:
        """Every week of the range, oldest first (empty when reversed)."""
        count = self.length
        return [self.first.shift(i) for i in range(count)]

    @property
    def length(self) -> int:
        return max(0, (self.last.monday - self.first.monday).days // 7 + 1)

    def before(self) -> WeekRange:
        """The same number of weeks directly before."""
        return WeekRange(self.first.shift(-self.length), self.first.shift(-1))

    @property
    def label(self) -> str:
        """e.g. 'week 40 t/m 44', or 'week 52 (2025) t/m week 3 (2026)' across a new year."""
        if self.first == self.last:
            return f"week {self.first.week}"
        if self.first.year == self.last.year:
            return f"week {self.first.week} t/m {self.last.week}"
        return (
            f"week {self.first.week} ({self.first.year}) t/m week {self.last.week} "
            f"({self.last.year})"
        )

    @property
    def span(self) -> str:
        return date_range(self.first.monday, self.last.sunday)

    @property
    def weeks_text(self) -> str:
        return "1 week" if self.length == 1 else f"{self.length} weken"

    @property
    def before_text(self) -> str:
        """What it is compared with: 'de week daarvoor', 'de 4 weken daarvoor'."""
        return "de week daarvoor" if self.length == 1 else f"de {self.weeks_text} daarvoor"

    @property
    def note(self) -> str:
        """What a sum of weeks is, under the table."""
        return (
            "Een eigen periode telt de gepubliceerde weekcijfers op. ≥: enkele weken met minder "
            f"dan {MIN_CELL_SIZE} contacten niet meegeteld. Elk weekcijfer kan tot {NOISE_BOUND} "
            f"afwijken, de som van {self.weeks_text} dus tot {NOISE_BOUND * self.length}."
        )

    def problem(self, data: DataWeeks) -> str | None:
        """Why this range cannot be shown, in Dutch; None when it lies within the data."""
        if self.first > self.last:
            return (
                f"De periode loopt achteruit: van {self.first.label} tot en met "
                f"{self.last.label}. Kies bij 'van' een week vóór of gelijk aan die bij "
                "'tot en met'."
            )
        outside = [w for w in (self.first, self.last) if not data.first <= w <= data.last]
        if outside:
            return (
                f"Van {outside[0].label} zijn er geen gegevens. Kies weken van "
                f"{data.first.label} tot en met {data.last.label}."
            )
        return None


def week_choices(data: DataWeeks) -> list[tuple[IsoWeek, str, str]]:
    """Each week with data for the two pickers: the week, 'van' and 'tot en met' labels."""
    return [
        (w, f"week {w.week} ({day_label(w.monday)})", f"week {w.week} (t/m {day_label(w.sunday)})")
        for w in WeekRange(data.first, data.last).weeks
    ]


@dataclass(frozen=True)
class RangeSum:
    """The published weekly cells of a range added up, and how many weeks were left out."""

    total: int  # sum of the published weeks
    weeks: int  # weeks in the range
    left_out: int  # weeks without a published cell (fewer than 5 contacts, or none)

    @property
    def complete(self) -> bool:
        return self.left_out == 0

    @property
    def value(self) -> int | None:
        """The sum, or None where no week of the range was published."""
        return None if self.left_out == self.weeks else self.total

    @property
    def most(self) -> int:
        """The largest sum the left-out weeks allow (each published as at most 4)."""
        return self.total + LARGEST_LEFT_OUT * self.left_out

    @property
    def text(self) -> str:
        """'1.234', '≥ 23' (some weeks left out) or 'minder dan 5 per week'."""
        if self.value is None:
            per = "" if self.weeks == 1 else " per week"
            return f"minder dan {MIN_CELL_SIZE}{per}"
        return count_text(self.total) if self.complete else f"≥ {count_text(self.total)}"


def range_sum(weekly: dict[str, int], weeks: list[IsoWeek]) -> RangeSum:
    """Add up a subject's published cells (iso week -> count) over `weeks`."""
    shown = [weekly[str(w)] for w in weeks if str(w) in weekly]
    return RangeSum(sum(shown), len(weeks), len(weeks) - len(shown))


@dataclass(frozen=True)
class RangeCell:
    key: str
    label: str
    contacts: RangeSum


@dataclass(frozen=True)
class ThemeRange:
    """A row of the overview for a range: the same questions as `periods.ThemePeriod`,
    answered from sums of published weeks."""

    theme_id: str
    name: str
    now: RangeSum
    previous_sum: RangeSum
    all_now: RangeSum  # all themes together
    comparable: bool  # False where the range before starts before the data
    facets: list[RangeCell] = field(default_factory=list)
    weekly: dict[str, int] = field(default_factory=dict)  # the published weeks summed (CSV)

    @property
    def contacts(self) -> int | None:
        return self.now.value

    @property
    def previous(self) -> int | None:
        return self.previous_sum.value

    @property
    def change(self) -> int | None:
        """The exact difference of the two sums; None unless both have every week."""
        if not self.comparable or not (self.now.complete and self.previous_sum.complete):
            return None
        return self.now.total - self.previous_sum.total

    @property
    def change_percent(self) -> int | None:
        change = self.change
        if change is None or not self.previous_sum.total:
            return None
        return round(100 * change / self.previous_sum.total)

    @property
    def least_change(self) -> int:
        """The smallest change the page allows: left-out weeks count 0 now, 4 before."""
        return self.now.total - self.previous_sum.most

    @property
    def most_change(self) -> int:
        return self.now.most - self.previous_sum.total

    @property
    def change_label(self) -> str:
        """'+12 (+15%)', 'gelijk', or the least it rose or fell where weeks are left out."""
        if not self.comparable:
            return "geen vergelijking (vorige periode valt vóór de gegevens)"
        change = self.change
        if change is not None:
            if change == 0:
                return "gelijk"
            sign = "+" if change > 0 else "−"
            percent = "" if self.change_percent is None else f" ({sign}{abs(self.change_percent)}%)"
            return f"{sign}{count_text(abs(change))}{percent}"
        if self.least_change > 0:
            return f"gestegen, minstens +{count_text(self.least_change)}"
        if self.most_change < 0:
            return f"gedaald, minstens −{count_text(-self.most_change)}"
        return f"niet exact (weken met minder dan {MIN_CELL_SIZE})"

    @property
    def share(self) -> float | None:
        """Percent of all contacts; None unless the total has every week."""
        if self.now.value is None or not self.all_now.complete or not self.all_now.total:
            return None
        return 100 * self.now.total / self.all_now.total

    @property
    def share_text(self) -> str:
        share = self.share
        if share is None:
            return ""
        return ("" if self.now.complete else "≥ ") + f"{decimal_text(share)}%"

    @property
    def rise_key(self) -> tuple:
        """Largest rise first, by the least rise the page allows (as `ThemePeriod`)."""
        if not self.comparable:
            return (1, 0, 0)
        if self.change is not None:
            return (0, -self.change, -(self.change_percent or 0))
        return (0, -self.least_change, 0)


def weekly_cells(
    con: duckdb.DuckDBPyConnection, weeks: list[IsoWeek]
) -> dict[tuple[str, str | None], dict[str, int]]:
    """(theme or 'alle', facet or None) -> {iso week: published count} over `weeks`: the
    1-week cells of `marts.theme_period` (the published weekly cells, nothing else)."""
    rows = con.execute(
        "SELECT theme_id, facet_id, last_week, contacts FROM marts.theme_period"
        " WHERE period_weeks = 1 AND last_week IN (SELECT unnest(?))",
        [[str(w) for w in weeks]],
    ).fetchall()
    cells: dict[tuple[str, str | None], dict[str, int]] = {}
    for theme_id, facet_id, week, contacts in rows:
        cells.setdefault((theme_id, facet_id), {})[week] = contacts
    return cells


def theme_ranges(
    con: duckdb.DuckDBPyConnection, weeks: WeekRange, data: DataWeeks
) -> list[ThemeRange]:
    """One row per theme with a published week in the range or the one before; facets
    beneath a theme of several (only the published ones, as the periods do)."""
    before = weeks.before()
    comparable = before.first >= data.first
    cells = weekly_cells(con, before.weeks + weeks.weeks)
    names = dict(
        con.execute(
            "SELECT DISTINCT theme_id, theme_name FROM marts.theme_period"
            " WHERE period_weeks = 1 AND facet_id IS NULL AND theme_id <> 'alle'"
            " AND last_week IN (SELECT unnest(?))",
            [[str(w) for w in before.weeks + weeks.weeks]],
        ).fetchall()
    )
    several = several_facets(con, names)
    facet_names = names_of_facets(con, several)
    everything = range_sum(cells.get(("alle", None), {}), weeks.weeks)
    rows = []
    for theme_id in sorted(names):
        facets = [
            RangeCell(facet_id, facet_names.get(facet_id, facet_id), range_sum(w, weeks.weeks))
            for (t, facet_id), w in cells.items()
            if t == theme_id and facet_id is not None and theme_id in several
        ]
        facets = [f for f in facets if f.contacts.value is not None]
        facets.sort(key=lambda c: (-c.contacts.total, c.label))
        theme = cells.get((theme_id, None), {})
        rows.append(
            ThemeRange(
                theme_id,
                names[theme_id],
                range_sum(theme, weeks.weeks),
                range_sum(theme, before.weeks),
                everything,
                comparable,
                facets,
                {w: n for w, n in theme.items() if IsoWeek.parse(w) in weeks.weeks},
            )
        )
    return rows
