"""The overview page as data: what is rising, and every theme in the chosen period.

The choices are query parameters, so a view can be bookmarked and sent on: `week=` (the
period's last week), `periode=` (week, 4weken, kwartaal, or eigen with `van=` and `tot=`,
the first and last week of the reader's own range), `sort=` (contacten, stijging, naam),
`q=` (search theme and facet names) and `alle=1` (every theme, not the top 15).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import duckdb

from dashboards import explore, periods, ranges
from dashboards.curation import Curation
from dashboards.digest import DigestReader, Scope, emerging_themes
from dashboards.dutch import IsoWeek
from dashboards.ranges import WeekRange
from dashboards.render import url
from dashboards.weeks import DataWeeks, data_weeks

CUSTOM = "eigen"  # periode= for the reader's own range of weeks


@dataclass(frozen=True)
class Choice:
    period: periods.Period
    sort: str
    query: str
    show_all: bool
    weeks: WeekRange | None = None  # the reader's own range; None: one of `periods.PERIODS`

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Choice:
        """The choices in the address; ValueError (a Dutch message) for an unknown one."""
        period = params.get("periode") or periods.DEFAULT_PERIOD
        sort = params.get("sort") or "contacten"
        if period not in periods.PERIODS and period != CUSTOM:
            raise ValueError(
                f"Onbekende periode {period!r}: kies week, 4weken, kwartaal of {CUSTOM}."
            )
        if sort not in periods.SORTS:
            raise ValueError(f"Onbekende sortering {sort!r}: kies contacten, stijging of naam.")
        query = params.get("q", "").strip()[:100]
        weeks = None
        if period == CUSTOM:
            weeks = WeekRange.parse(params.get("van", ""), params.get("tot", ""))
        chosen = periods.PERIODS.get(period, periods.PERIODS[periods.DEFAULT_PERIOD])
        return cls(chosen, sort, query, params.get("alle") == "1", weeks)

    def link(self, week: IsoWeek, path: str = "/", **changes: object) -> str:
        """This view's address (or its CSV's) with some choices changed, defaults left out."""
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        custom = chosen.weeks
        period = CUSTOM if custom else chosen.period.key
        return url(
            path,
            week=str(week),
            periode=None if period == periods.DEFAULT_PERIOD else period,
            van=str(custom.first) if custom else None,
            tot=str(custom.last) if custom else None,
            sort=None if chosen.sort == "contacten" else chosen.sort,
            q=chosen.query or None,
            alle="1" if chosen.show_all else None,
        )


def overview_context(
    con: duckdb.DuckDBPyConnection, week: IsoWeek, choice: Choice, curation: Curation
) -> dict[str, Any]:
    data = data_weeks(con)
    trends = {t.theme_id: t for t in explore.theme_trends(con, week)}
    emerging = emerging_themes(DigestReader(con, Scope()), week)
    rows: list[periods.Row] = []
    # A reversed range or one outside the data: the page says why instead of a table.
    range_error = choice.weeks.problem(data) if data and choice.weeks else None
    if data and choice.weeks and not range_error:
        rows = [curation.renamed(r) for r in ranges.theme_ranges(con, choice.weeks, data)]
    elif data and not choice.weeks:
        found = periods.theme_periods(con, choice.period, week, data)
        rows = [curation.renamed(r) for r in found]
    rows = periods.sort_rows(periods.search(rows, choice.query), choice.sort)
    # A search or "toon alle" shows every match; otherwise the top of the list.
    shown = rows if choice.show_all or choice.query else rows[: periods.TOP]
    return {
        "week": week,
        "data": data,
        "gap": data.gap_sentence(week) if data else None,
        "trends": {t: curation.renamed(trend) for t, trend in trends.items()},
        "emerging": [curation.renamed(e) for e in emerging],
        "merged": curation.merges,
        "choice": choice,
        "periods": periods.PERIODS.values(),
        "rows": rows,
        "shown": shown,
        "period_span": choice.weeks.span if choice.weeks else choice.period.span(week),
        "partial": bool(data and not choice.weeks and choice.period.first(week) < data.first),
        "range_error": range_error,
        "own_range": own_range(choice, week, data) if data else None,
        "week_choices": ranges.week_choices(data) if data else [],
    }


def own_range(choice: Choice, week: IsoWeek, data: DataWeeks) -> WeekRange:
    """The range the "eigen periode" choice opens with: the one chosen, else the weeks of
    the chosen period that hold data."""
    if choice.weeks:
        return choice.weeks
    first = max(choice.period.first(week), data.first)
    return WeekRange(min(first, data.last), max(data.first, min(week, data.last)))
