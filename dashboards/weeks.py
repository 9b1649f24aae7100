"""Which weeks the snapshot holds data for, so no page opens or draws a week without data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from dashboards.digest import WeekCount
from dashboards.dutch import IsoWeek


@dataclass(frozen=True)
class DataWeeks:
    first: IsoWeek
    last: IsoWeek

    def has_previous(self, week: IsoWeek) -> bool:
        return week > self.first

    def has_next(self, week: IsoWeek) -> bool:
        return week < self.last

    def gap_sentence(self, week: IsoWeek) -> str | None:
        """Why a week outside the data shows no table, in Dutch; None inside the data."""
        if week < self.first:
            return (
                f"Van {week.label} zijn er geen gegevens: de eerste week met gegevens is "
                f"{self.first.label}."
            )
        if week > self.last:
            return (
                f"Van {week.label} zijn er (nog) geen gegevens: de laatste week met gegevens is "
                f"{self.last.label}."
            )
        return None

    def observed(self, weeks: Sequence[WeekCount]) -> list[WeekCount]:
        """Only the weeks inside the data: a week before the first is unknown, not zero."""
        return [w for w in weeks if self.first <= IsoWeek.parse(w.iso_week) <= self.last]


def data_weeks(con: duckdb.DuckDBPyConnection) -> DataWeeks | None:
    row = con.execute("SELECT min(iso_week), max(iso_week) FROM marts.theme_week").fetchone()
    if not row or row[0] is None:
        return None
    return DataWeeks(IsoWeek.parse(row[0]), IsoWeek.parse(row[1]))
