"""When members get in touch: Dutch public holidays, weekday and hour-of-day rhythm,
and the channel mix, which shifts on weekends and in the evening."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from random import Random

# Relative volume per weekday (Mon..Sun); the working-day mean is 1.0 so that the
# scenario's "per working day" volume holds on average.
WEEKDAY_FACTORS = (1.3, 1.05, 0.95, 0.95, 0.75, 0.07, 0.04)
HOLIDAY_FACTOR = 0.05
AFTER_HOLIDAY_FACTOR = 1.2

# Channel shares on working days; phones and the chat are closed on weekends/holidays.
WORKDAY_CHANNELS = {"phone": 0.55, "email": 0.22, "chat": 0.15, "webform": 0.08}
CLOSED_DAY_CHANNELS = {"email": 0.55, "webform": 0.45}

# Hour-of-day weights (0..23) per channel; chat runs into the evening, mail and
# forms arrive at any time, phones follow opening hours 8:30-17:00.
_PHONE = [0] * 8 + [4, 10, 11, 10, 6, 8, 9, 8, 6, 1] + [0] * 6
_CHAT = [0] * 8 + [3, 5, 6, 6, 5, 6, 6, 5, 5, 4, 6, 9, 10, 8] + [0] * 2
_MAIL = [1, 0.5, 0.3, 0.2, 0.2, 0.5, 1.5, 3, 5, 7, 7, 6, 5, 6, 6, 6, 5, 4, 4, 4, 5, 5, 4, 2]
HOUR_WEIGHTS = {"phone": _PHONE, "chat": _CHAT, "email": _MAIL, "webform": _MAIL}


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@cache
def public_holidays(year: int) -> dict[date, str]:
    """Days the contact centre is closed (Bevrijdingsdag only in lustrum years, as in most cao's)."""
    sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    days = {
        date(year, 1, 1): "Nieuwjaarsdag",
        sunday - timedelta(days=2): "Goede Vrijdag",
        sunday: "Eerste Paasdag",
        sunday + timedelta(days=1): "Tweede Paasdag",
        kings_day: "Koningsdag",
        sunday + timedelta(days=39): "Hemelvaartsdag",
        sunday + timedelta(days=49): "Eerste Pinksterdag",
        sunday + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }
    if year % 5 == 0:
        days[date(year, 5, 5)] = "Bevrijdingsdag"
    return days


def is_closed(day: date) -> bool:
    return day.weekday() >= 5 or day in public_holidays(day.year)


def day_factor(day: date) -> float:
    """Volume of `day` relative to an average working day."""
    if day in public_holidays(day.year):
        return HOLIDAY_FACTOR
    factor = WEEKDAY_FACTORS[day.weekday()]
    yesterday = day - timedelta(days=1)
    if day.weekday() < 5 and yesterday in public_holidays(yesterday.year):
        factor *= AFTER_HOLIDAY_FACTOR
    return factor


def channel_mix(day: date) -> dict[str, float]:
    return CLOSED_DAY_CHANNELS if is_closed(day) else WORKDAY_CHANNELS


class TimeOfDay:
    """Draws a second of the day for a channel, following its hourly weights."""

    def __init__(self) -> None:
        self._cumulative = {name: _cumulate(weights) for name, weights in HOUR_WEIGHTS.items()}

    def second(self, channel: str, rng: Random) -> int:
        cumulative = self._cumulative[channel]
        roll = rng.random() * cumulative[-1]
        hour = next(h for h, bound in enumerate(cumulative) if roll < bound)
        return hour * 3600 + int(rng.random() * 3600)


def _cumulate(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
