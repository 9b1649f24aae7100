"""Scoring the emergence detector on data with known onsets.

The theme assignment comes from ground truth (simulator or synthetic), so what is
measured is the detector alone, not the clustering in front of it:
- detection lag: days from a planted onset to the first alert for that theme in a
  compatible segment (the planted one, or one that contains it short of national);
- false alerts: alert episodes (theme × segment × first_seen) that no onset explains,
  scaled to a 91-day quarter.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from pipeline.contract.vocab import PROVINCES, SECTORS
from pipeline.simulator.output import scenario_path
from topics.emergence import NATIONAL, Alert, Seasonality, SurgeConfig, scan

QUARTER_DAYS = 91
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Onset:
    """A planted change: `theme_id` starts rising in a segment on `day`."""

    theme_id: str
    segment_kind: str  # national | province | sector | province_sector
    segment_value: str  # "NL", "NL-LI", "industrie" or "NL-LI|industrie"
    day: date
    # False: the onset explains alerts but is not one the detector must find (e.g. a new
    # theme spreading nationwide weeks after it was born in one province).
    required: bool = True
    exact: bool = False  # True: explains alerts in this very segment only, not parts of it


@dataclass(frozen=True)
class EmergenceScore:
    lags: dict[str, int | None]  # onset description -> lag in days (None: missed)
    false_alerts: int  # alert episodes no onset explains
    days_scanned: int
    false_alert_examples: list[str] = field(default_factory=list)

    @property
    def detected(self) -> int:
        return sum(lag is not None for lag in self.lags.values())

    @property
    def median_lag(self) -> float | None:
        found = [lag for lag in self.lags.values() if lag is not None]
        return statistics.median(found) if found else None

    @property
    def max_lag(self) -> int | None:
        found = [lag for lag in self.lags.values() if lag is not None]
        return max(found) if found else None

    @property
    def false_alerts_per_quarter(self) -> float:
        return self.false_alerts * QUARTER_DAYS / max(self.days_scanned, 1)

    def as_dict(self) -> dict[str, object]:
        return {
            "onsets": len(self.lags),
            "detected": self.detected,
            "lags_days": self.lags,
            "median_lag_days": self.median_lag,
            "max_lag_days": self.max_lag,
            "false_alerts": self.false_alerts,
            "days_scanned": self.days_scanned,
            "false_alerts_per_quarter": round(self.false_alerts_per_quarter, 2),
            "false_alert_examples": self.false_alert_examples,
        }


def _constraints(kind: str, value: str) -> dict[str, str]:
    if kind == "national":
        return {}
    if kind == "province_sector":
        province, sector = value.split("|", 1)
        return {"province": province, "sector": sector}
    return {kind: value}


def segment_compatible(alert_kind: str, alert_value: str, onset: Onset) -> bool:
    """Does an alert in this segment point at the onset's segment?"""
    alert = _constraints(alert_kind, alert_value)
    planted = _constraints(onset.segment_kind, onset.segment_value)
    if not alert and planted:
        return False  # a national alert does not locate a provincial surge
    return all(planted.get(dim, value) == value for dim, value in alert.items())


def explains(onset: Onset, alert: Alert) -> bool:
    if onset.exact:
        same = (alert.segment_kind, alert.segment_value) == (
            onset.segment_kind,
            onset.segment_value,
        )
    else:
        same = segment_compatible(alert.segment_kind, alert.segment_value, onset)
    return alert.theme_id == onset.theme_id and alert.day >= onset.day and same


def score_alerts(
    alerts: Sequence[Alert], onsets: Sequence[Onset], start: date, end: date
) -> EmergenceScore:
    lags: dict[str, int | None] = {}
    for onset in (o for o in onsets if o.required):
        hits = [a.day for a in alerts if explains(onset, a)]
        key = f"{onset.theme_id}@{onset.segment_kind}:{onset.segment_value}@{onset.day}"
        lags[key] = (min(hits) - onset.day).days if hits else None
    false_episodes = sorted(
        {
            (a.theme_id, a.segment_kind, a.segment_value, a.first_seen)
            for a in alerts
            if not any(explains(o, a) for o in onsets)
        }
    )
    return EmergenceScore(
        lags=lags,
        false_alerts=len(false_episodes),
        days_scanned=(end - start).days + 1,
        false_alert_examples=[f"{t} {k}:{v} vanaf {d}" for t, k, v, d in false_episodes[:10]],
    )


def onset_segment(province: str | None, sector: str | None) -> tuple[str, str]:
    if province and sector:
        return "province_sector", f"{province}|{sector}"
    if province:
        return "province", province
    if sector:
        return "sector", sector
    return "national", NATIONAL


def evaluate_emergence(
    contacts: pd.DataFrame,
    onsets: Sequence[Onset],
    start: date,
    end: date,
    config: SurgeConfig | None = None,
    seasonality: Seasonality | None = None,
) -> EmergenceScore:
    """Scan `start`..`end` (earlier days serve as baseline) and score the alerts."""
    return score_alerts(scan(contacts, config, start, end, seasonality), onsets, start, end)


@dataclass(frozen=True)
class Plant:
    """Extra contacts of a theme in a segment from `onset`, ramping up over `ramp_days`."""

    theme_id: str
    onset: date
    daily_extra: float
    province: str | None = None
    sector: str | None = None
    ramp_days: int = 3

    def as_onset(self) -> Onset:
        if self.province and self.sector:
            return Onset(
                self.theme_id, "province_sector", f"{self.province}|{self.sector}", self.onset
            )
        if self.province:
            return Onset(self.theme_id, "province", self.province, self.onset)
        if self.sector:
            return Onset(self.theme_id, "sector", self.sector, self.onset)
        return Onset(self.theme_id, "national", NATIONAL, self.onset)


WEEKDAY_FACTOR = np.array([1.35, 1.15, 1.05, 1.0, 0.9, 0.12, 0.05])  # Monday peak, quiet weekend


def synthetic_contacts(
    start: date,
    days: int,
    seed: int,
    daily_volume: float = 800,
    n_themes: int = 20,
    overdispersion: float = 0.05,
    unthemed_share: float = 0.1,
    plants: Sequence[Plant] = (),
    busy_days: Mapping[date, float] | None = None,
) -> pd.DataFrame:
    """Contacts with weekday rhythm, overdispersed theme counts and planted onsets.

    Theme counts are Poisson-gamma (negative binomial with Var = mu + phi·mu²);
    provinces follow population, sectors a fixed uneven mix. `busy_days` multiplies
    the whole volume of some days (a campaign mail, a news item about the union).
    """
    rng = np.random.default_rng(seed)
    themes = [f"T{i + 1:04d}" for i in range(n_themes)]
    shares = rng.dirichlet(np.full(n_themes, 2.0)) * (1 - unthemed_share)
    provinces = list(PROVINCES)
    province_p = np.array([PROVINCES[p][1] for p in provinces], dtype=float)
    province_p /= province_p.sum()
    sectors = list(SECTORS)
    sector_p = np.random.default_rng(1).dirichlet(np.full(len(sectors), 3.0))

    day_parts, theme_parts, province_parts, sector_parts = [], [], [], []
    for offset in range(days):
        day = start + timedelta(days=offset)
        volume = daily_volume * WEEKDAY_FACTOR[day.weekday()] * (busy_days or {}).get(day, 1.0)
        means = np.append(volume * shares, volume * unthemed_share)
        rates = means * rng.gamma(1 / overdispersion, overdispersion, size=len(means))
        counts = rng.poisson(rates)
        labels = np.repeat(np.array([*themes, ""], dtype=object), counts)
        province = rng.choice(provinces, size=len(labels), p=province_p)
        sector = rng.choice(sectors, size=len(labels), p=sector_p)
        for plant in plants:
            if day < plant.onset:
                continue
            ramp = min(1.0, ((day - plant.onset).days + 1) / plant.ramp_days)
            n = rng.poisson(plant.daily_extra * ramp * WEEKDAY_FACTOR[day.weekday()])
            labels = np.append(labels, [plant.theme_id] * n)
            province = np.append(
                province,
                [plant.province] * n
                if plant.province
                else rng.choice(provinces, size=n, p=province_p),
            )
            sector = np.append(
                sector,
                [plant.sector] * n if plant.sector else rng.choice(sectors, size=n, p=sector_p),
            )
        day_parts.append(np.full(len(labels), np.datetime64(day)))
        theme_parts.append(labels)
        province_parts.append(province)
        sector_parts.append(sector)
    theme = pd.Series(np.concatenate(theme_parts), dtype="string").replace("", pd.NA)
    frame = pd.DataFrame(
        {
            "day": np.concatenate(day_parts),
            "theme_id": theme,
            "province": np.concatenate(province_parts),
            "sector": np.concatenate(sector_parts),
        }
    )
    frame["event_id"] = [f"e{i:07d}" for i in range(len(frame))]
    return frame


def contacts_from_truth(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Simulator ground truth as the detector's input: primary theme, local calendar day.

    Off-topic contacts stay in as unthemed volume, as "nog onbekend" would in production.
    """
    rows = [
        (
            r["occurred_at"],
            r["themes"][0] if r["themes"] else None,
            r["province"],
            r["sector"],
            r["event_id"],
        )
        for r in records
    ]
    frame = pd.DataFrame(
        rows, columns=["occurred_at", "theme_id", "province", "sector", "event_id"]
    )
    local = pd.to_datetime(frame.pop("occurred_at"), utc=True).dt.tz_convert(AMSTERDAM)
    frame.insert(0, "day", local.dt.tz_localize(None).dt.normalize())
    return frame


def onsets_from_scenario(scenario: Mapping[str, Any]) -> list[Onset]:
    """Onsets from a simulator scenario record (`run.scenario.json` or `Scenario.truth`)."""
    onsets = []
    for effect in scenario["effects"]:
        onset = date.fromisoformat(effect["onset"])
        kind, value = onset_segment(effect.get("province"), effect.get("sector"))
        onsets.append(Onset(effect["theme"], kind, value, onset))
        if kind == "national":
            continue
        # What rises in one segment also rises in the national total; an alert there is
        # true, only less precise, so it explains alerts without counting as found.
        onsets.append(Onset(effect["theme"], "national", NATIONAL, onset, False, exact=True))
        if effect.get("spread_after_days") is not None:
            spread = onset + timedelta(days=effect["spread_after_days"])
            onsets.append(Onset(effect["theme"], "national", NATIONAL, spread, required=False))
    return onsets


def evaluate_simulated_run(
    truth_file: Path,
    scenario_file: Path | None = None,
    config: SurgeConfig | None = None,
    warmup_days: int = 21,
    seasonality: Seasonality | None = None,
) -> EmergenceScore:
    """Score the detector on a `ledenradar simulate` run, themes taken from ground truth.

    The first `warmup_days` only build the baseline; the rest is scanned and scored.
    """
    scenario_file = scenario_file or scenario_path(truth_file)
    scenario = json.loads(scenario_file.read_text(encoding="utf-8"))
    with truth_file.open(encoding="utf-8") as lines:
        contacts = contacts_from_truth(json.loads(line) for line in lines if line.strip())
    start = date.fromisoformat(scenario["start"])
    end = start + timedelta(days=scenario["days"] - 1)
    return evaluate_emergence(
        contacts,
        onsets_from_scenario(scenario),
        start + timedelta(days=warmup_days),
        end,
        config,
        seasonality,
    )


def simulate_contacts(
    scenario: str, start: date, days: int, seed: int, per_working_day: float | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Run the simulator in-process; return ground-truth contacts and the scenario record."""
    from dataclasses import replace

    from pipeline.simulator.generator import simulate
    from pipeline.simulator.scenario import load_scenario

    loaded = load_scenario(scenario)
    if per_working_day is not None:
        loaded = replace(loaded, per_working_day=per_working_day)
    contacts = contacts_from_truth(truth for _, truth in simulate(loaded, start, days, seed))
    return contacts, loaded.truth(start, days, seed)


def evaluate_scenario(
    scenario: str,
    start: date,
    days: int,
    seed: int,
    warmup_days: int = 21,
    config: SurgeConfig | None = None,
    seasonality: Seasonality | None = None,
) -> EmergenceScore:
    contacts, record = simulate_contacts(scenario, start, days, seed)
    return evaluate_emergence(
        contacts,
        onsets_from_scenario(record),
        start + timedelta(days=warmup_days),
        start + timedelta(days=days - 1),
        config,
        seasonality,
    )
