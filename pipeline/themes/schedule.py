"""When the theme jobs run: by the time of the contacts, not the wall clock.

Every new day of contacts: births among the unassigned, then the emergence scan for
the days completed. Every `refit_every_days`: a full refit. When a week closes (and when
the contacts end), what births left unthemed is settled by the refit's rule. Using event
time makes a 90-day backfill, the demo and the live stream behave the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from pipeline.themes.births import discover_unassigned
from pipeline.themes.files import ThemeFiles
from pipeline.themes.refit import RefitReport, refit
from pipeline.themes.retheme import assign_waiting, settle_days
from pipeline.themes.scan import scan_alerts
from pipeline.warehouse.theme_store import days_landed
from topics.emergence import Alert


@dataclass
class ScheduleLog:
    refits: list[RefitReport] = field(default_factory=list)
    births: list[tuple[date, str]] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


class ThemeSchedule:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        files: ThemeFiles,
        refit_every_days: int = 28,
        first_refit_after_days: int = 28,
    ) -> None:
        self.con = con
        self.files = files
        self.refit_every = timedelta(days=refit_every_days)
        self.first_refit_after = timedelta(days=first_refit_after_days)
        self.log = ScheduleLog()
        self._first_day: date | None = None
        self._last_refit: date | None = None
        self._done_through: date | None = None
        self._settled_through: date | None = None

    def advance(self, final: bool = False) -> list[Alert]:
        """Run whatever is due for the days completed so far; `final` also closes the last day."""
        first, last = days_landed(self.con)
        if last is None:
            return []
        self._first_day = self._first_day or first
        # A day is complete once a later day has arrived (contacts come roughly in time order).
        complete = last if final else last - timedelta(days=1)
        if self._done_through is not None and complete <= self._done_through:
            return []
        due = self._last_refit is None and complete - self._first_day >= self.first_refit_after
        due = due or (
            self._last_refit is not None and complete - self._last_refit >= self.refit_every
        )
        if due or (final and self._last_refit is None):
            self.log.refits.append(refit(self.con, self.files, until=complete))
            self._last_refit = complete
        elif self._last_refit is not None:
            assign_waiting(self.con, self.files.model_dir)
            for theme_id in discover_unassigned(self.con, self.files, since=self._last_refit):
                self.log.births.append((complete, theme_id))
            self._settle(self._last_refit, complete, final)
        fresh: list[Alert] = []
        if self._last_refit is not None:
            start = (self._done_through or self._first_day) + timedelta(days=1)
            fresh = scan_alerts(self.con, start=start, end=complete)
            self.log.alerts += fresh
        self._done_through = complete
        return fresh

    def _settle(self, last_refit: date, complete: date, final: bool) -> None:
        """Settle the days since the last refit through the last closed week, once a week."""
        close = closed_through(complete, final)
        if close <= max(self._settled_through or last_refit, last_refit):
            return
        settle_days(self.con, self.files.model_dir, last_refit, close)
        self._settled_through = close


def closed_through(complete: date, final: bool) -> date:
    """The last day of the last ISO week closed once `complete` is: its Sunday, or
    `complete` itself when the contacts end (`final`)."""
    return complete if final else complete - timedelta(days=complete.isoweekday() % 7)
