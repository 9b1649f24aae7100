"""Plain-Dutch labels for what officials read: weeks, dates, provinces, sectors, channels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.contract.vocab import DUTCH_MONTHS, PROVINCES, SECTORS, UNKNOWN
from pipeline.disclosure import MIN_CELL_SIZE

MONTHS = DUTCH_MONTHS
CHANNELS = {
    "phone": "Telefoon",
    "email": "E-mail",
    "chat": "Chat",
    "webform": "Webformulier",
    "letter": "Brief",
}
SERVICE_LINES = {
    "first_line": "Eerste lijn (ledenservice)",
    "second_line_legal": "Tweede lijn (juridisch)",
}
SUPPRESSED = f"minder dan {MIN_CELL_SIZE}"
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _WEEK.match(text.strip())
        if not match:
            raise ValueError(f"geen ISO-week: {text!r} (verwacht bijvoorbeeld 2026-W47)")
        week = cls(int(match[1]), int(match[2]))
        week.monday  # noqa: B018 - raises for a week that does not exist in that year
        return week

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def label(self) -> str:
        """e.g. 'week 47 (16–22 november 2026)'."""
        return f"week {self.week} ({date_range(self.monday, self.sunday)})"

    @property
    def short_label(self) -> str:
        return f"wk {self.week}"


def day_label(day: date) -> str:
    """e.g. '18 november 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def window_label(days: int) -> str:
    """An alert's window in words: 'over 1 dag', 'over 3 dagen'."""
    return f"over {days} {'dag' if days == 1 else 'dagen'}"


def date_range(first: date, last: date) -> str:
    if first.year != last.year:
        return f"{day_label(first)} – {day_label(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]} – {day_label(last)}"
    return f"{first.day}–{day_label(last)}"


def province_name(code: str) -> str:
    if code == UNKNOWN:
        return "Onbekende provincie"
    return PROVINCES[code][0] if code in PROVINCES else code


def sector_name(code: str) -> str:
    if code == UNKNOWN:
        return "Onbekende sector"
    return SECTORS.get(code, code)


def channel_name(code: str) -> str:
    return CHANNELS.get(code, code)


def service_line_name(code: str) -> str:
    return SERVICE_LINES.get(code, code)


def count_text(contacts: int | None) -> str:
    """A cell as an official reads it; suppressed cells never show a number."""
    if contacts is None:
        return SUPPRESSED
    return f"{contacts:,}".replace(",", ".")


def decimal_text(value: float | None, digits: int = 1) -> str:
    """A decimal as Dutch readers write it: 10.25 -> '10,3', 1234.5 -> '1.234,5'."""
    if value is None:
        return "onbekend"
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def segment_label(kind: str, value: str) -> str:
    """Where an alert fired, in words: 'heel Nederland', 'Limburg', 'Industrie in Limburg'."""
    if kind == "national":
        return "heel Nederland"
    if kind == "province":
        return province_name(value)
    if kind == "sector":
        return sector_name(value)
    province, _, sector = value.partition("|")
    return f"{sector_name(sector)} in {province_name(province)}"
