"""Emergence: which themes rise, where, against their own baseline.

Pure functions over a table of themed contacts (one row per contact: `day`, `theme_id`,
`province`, `sector`, optionally `event_id`). For each test day, each theme and each
segment (national, province, sector, province × sector) and each window (the day
itself, and the rolling 3 and 7 days up to it) we ask: is the theme's count higher than
its baseline share of that segment predicts?

Model (justified in docs/emergence.md): the expected count is the theme's share of the
segment's other contacts in a 28-day baseline that ends 7 days before the test day,
times the segment's other contacts in the test window. Using the segment's own volume as
exposure carries weekday, holiday and regional volume patterns without fitting them.
The count is negative binomial: the Poisson-gamma posterior predictive for a rate
estimated from B baseline counts (shape B + ½, Jeffreys prior), widened by the theme's
day-to-day overdispersion estimated from its national baseline. One-sided p-values are
corrected with Benjamini–Hochberg over every cell tested that day (newborn themes as a
family of their own), and an alert also needs at least `min_observed` contacts and a
rate ratio of at least `min_rate_ratio`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy.stats import nbinom

SEGMENT_KINDS = ("national", "province", "sector", "province_sector")
NATIONAL = "NL"
UNKNOWN_VALUES = {"", "unknown", "onbekend"}


@dataclass(frozen=True)
class SurgeConfig:
    baseline_days: int = 28
    guard_days: int = 7  # days just before the test day kept out of the baseline
    min_baseline_days: int = 14  # test only once this much baseline exists
    windows: tuple[int, ...] = (1, 3, 7)
    fdr: float = 0.002
    min_observed: int = 5
    min_rate_ratio: float = 1.5
    newborn_max_baseline: int = 2  # national baseline count at or below this: a new theme
    max_overdispersion: float = 1.0
    episode_gap_days: int = 7  # alerts closer than this belong to one episode
    n_quotes: int = 3


@dataclass(frozen=True)
class Alert:
    theme_id: str
    kind: str  # "surge", "new_theme" or "new_facet" (named so in the warehouse too)
    segment_kind: str
    segment_value: str
    window_days: int
    day: date
    iso_week: str
    first_seen: date  # first day of this alert episode for theme × segment
    observed: int
    expected: float
    rate_ratio: float
    p_value: float
    q_value: float
    quote_ids: tuple[str, ...]
    facet_id: str | None = None  # kind "new_facet": the new facet within the theme


@dataclass(frozen=True)
class CountCube:
    """Contacts counted per theme × segment × day, plus all contacts per segment × day."""

    themes: list[str]
    segments: list[tuple[str, str]]
    days: pd.DatetimeIndex
    counts: np.ndarray  # themes × segments × days
    totals: np.ndarray  # segments × days, unthemed contacts included
    contacts: pd.DataFrame  # normalised input, for quotes
    season: np.ndarray | None = None  # themes × days: known seasonal level, 1 = ordinary

    def __post_init__(self) -> None:
        if self.season is None:
            object.__setattr__(self, "season", np.ones(self.counts.shape[::2]))
        # Running sums make every window sum two lookups instead of a pass over days.
        pad = [(0, 0)] * (self.counts.ndim - 1) + [(1, 0)]
        object.__setattr__(self, "_cum_counts", np.pad(self.counts.cumsum(axis=2), pad))
        object.__setattr__(self, "_cum_totals", np.pad(self.totals.cumsum(axis=1), pad[1:]))

    def theme_sum(self, days: slice) -> np.ndarray:
        """Counts per theme × segment summed over a range of day indices."""
        return self._cum_counts[:, :, days.stop] - self._cum_counts[:, :, days.start]

    def total_sum(self, days: slice) -> np.ndarray:
        return self._cum_totals[:, days.stop] - self._cum_totals[:, days.start]


def segment_values(contacts: pd.DataFrame) -> dict[str, pd.Series]:
    """The segment each contact falls in, per kind; None where province or sector is unknown."""
    province = contacts["province"].astype("string").str.strip()
    sector = contacts["sector"].astype("string").str.strip()
    province = province.where(~province.str.lower().isin(UNKNOWN_VALUES))
    sector = sector.where(~sector.str.lower().isin(UNKNOWN_VALUES))
    return {
        "national": pd.Series(NATIONAL, index=contacts.index, dtype="string"),
        "province": province,
        "sector": sector,
        "province_sector": province + "|" + sector,
    }


Seasonality = Mapping[str, Mapping[int, float]]  # theme -> calendar month -> level


def learn_seasonality(
    history: pd.DataFrame, min_days: int = 20, min_z: float = 3.0
) -> dict[str, dict[int, float]]:
    """Each theme's level per calendar month relative to its ordinary (median) month.

    Learned from past contacts (ideally a full year): a theme's share of all contacts in
    a month divided by its median monthly share. A level is kept only where the month's
    count differs from the flat expectation by at least `min_z` Poisson standard
    deviations; noise in a small history would otherwise become false expectations.
    Months with fewer than `min_days` days of history count as ordinary (level 1).
    """
    day = pd.to_datetime(history["day"]).dt.tz_localize(None).dt.normalize()
    month = day.dt.month
    covered = day.groupby(month).nunique()
    months = covered.index[covered >= min_days]
    in_months = month.isin(months)
    totals = month[in_months].value_counts().reindex(months).to_numpy(dtype=float)
    counts = (
        pd.DataFrame({"theme": history["theme_id"][in_months], "month": month[in_months]})
        .dropna()
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=months, fill_value=0)
    )
    shares = counts / totals[None, :]
    # Relative to the median month, so one strong peak month does not make every other
    # month look low.
    flat = shares.median(axis=1).to_numpy()[:, None] * totals[None, :]
    levels = (counts / np.maximum(flat, 1e-9)).where(flat > 0, 1.0)
    z = (counts - flat) / np.sqrt(np.maximum(flat, 1e-9))
    levels = levels.where(z.abs() >= min_z, 1.0)
    return {str(t): {int(m): float(v) for m, v in row.items()} for t, row in levels.iterrows()}


def build_cube(contacts: pd.DataFrame, seasonality: Seasonality | None = None) -> CountCube:
    frame = contacts.copy()
    frame["day"] = pd.to_datetime(frame["day"]).dt.tz_localize(None).dt.normalize()
    frame["theme_id"] = frame["theme_id"].astype("string")
    frame = frame.assign(**{f"segment_{k}": v for k, v in segment_values(frame).items()})
    days = pd.date_range(frame["day"].min(), frame["day"].max(), freq="D")
    day_index = ((frame["day"] - days[0]).dt.days).to_numpy()
    themes = sorted(frame["theme_id"].dropna().unique().tolist())
    theme_index = frame["theme_id"].map({t: i for i, t in enumerate(themes)})
    themed = theme_index.notna().to_numpy()
    theme_index = theme_index.fillna(-1).astype(int).to_numpy()

    segments: list[tuple[str, str]] = []
    rows: list[tuple[np.ndarray, np.ndarray]] = []  # (contact positions, segment index)
    for kind in SEGMENT_KINDS:
        values = frame[f"segment_{kind}"]
        known = values.notna().to_numpy()
        codes, uniques = pd.factorize(values[known], sort=True)
        rows.append((np.flatnonzero(known), codes + len(segments)))
        segments.extend((kind, str(u)) for u in uniques)

    counts = np.zeros((len(themes), len(segments), len(days)), dtype=np.int64)
    totals = np.zeros((len(segments), len(days)), dtype=np.int64)
    for positions, segment_index in rows:
        np.add.at(totals, (segment_index, day_index[positions]), 1)
        keep = themed[positions]
        np.add.at(
            counts,
            (theme_index[positions][keep], segment_index[keep], day_index[positions][keep]),
            1,
        )
    season = np.ones((len(themes), len(days)))
    for t, theme in enumerate(themes):
        levels = (seasonality or {}).get(theme)
        if levels:
            season[t] = [levels.get(month, 1.0) for month in days.month]
    return CountCube(themes, segments, days, counts, totals, frame, season)


def overdispersion(cube: CountCube, baseline: slice, cap: float) -> np.ndarray:
    """Per theme, phi in Var = mu + phi·mu² of daily national counts (method of moments)."""
    national = cube.segments.index(("national", NATIONAL))
    x = cube.counts[:, national, baseline].astype(float)
    other = cube.totals[national, baseline][None, :] - x
    share = x.sum(axis=1) / np.maximum(other.sum(axis=1), 1)
    expected = share[:, None] * other
    excess = ((x - expected) ** 2 - expected).sum(axis=1)
    phi = np.clip(excess / np.maximum((expected**2).sum(axis=1), 1e-9), 0.0, cap)
    # One theme's 28 days estimate phi poorly; an estimate that comes out low by chance
    # is what makes false alerts, so no theme goes below the median of all themes.
    return np.maximum(phi, np.median(phi)) if len(phi) else phi


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """q-values (BH step-up adjusted p-values) for a flat array."""
    m = len(p_values)
    if m == 0:
        return p_values
    order = np.argsort(p_values)
    ranked = p_values[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


@dataclass(frozen=True)
class _Candidate:
    theme: int
    segment: int
    window: int
    observed: int
    expected: float
    p_value: float
    q_value: float
    newborn: bool


def surge_cells(cube: CountCube, day_index: int, config: SurgeConfig) -> list[_Candidate]:
    """All theme × segment × window cells that pass the surge test on one day."""
    base_end = day_index - config.guard_days + 1
    base_start = max(0, base_end - config.baseline_days)
    if base_end - base_start < config.min_baseline_days or not cube.themes:
        return []
    baseline = slice(base_start, base_end)
    phi = overdispersion(cube, baseline, config.max_overdispersion)
    b_theme = cube.theme_sum(baseline).astype(float)
    b_other = cube.total_sum(baseline)[None, :] - b_theme
    national = cube.segments.index(("national", NATIONAL))
    newborn = b_theme[:, national] <= config.newborn_max_baseline
    baseline_level = _seasonal_level(cube, baseline, national)

    parts: list[tuple[np.ndarray, ...]] = []  # per window: theme, segment, obs, exp, p
    for window in config.windows:
        start = day_index - window + 1
        if start < 0:
            continue
        observed = cube.theme_sum(slice(start, day_index + 1))
        w_other = cube.total_sum(slice(start, day_index + 1))[None, :] - observed
        theme, segment = np.nonzero((b_other > 0) & (w_other > 0))
        shape = b_theme[theme, segment] + 0.5
        obs = observed[theme, segment]
        season = _seasonal_level(cube, slice(start, day_index + 1), national) / baseline_level
        exp = shape * w_other[theme, segment] / b_other[theme, segment] * season[theme]
        size = 1.0 / (1.0 / shape + phi[theme] / window)
        p = nbinom.sf(obs - 1, size, size / (size + exp))
        parts.append((theme, segment, np.full(len(theme), window), obs, exp, p))
    if not parts:
        return []
    theme, segment, window, obs, exp, p = (
        np.concatenate(column) for column in zip(*parts, strict=True)
    )
    # Newborn themes form their own family: whether a theme is newborn is fixed by its
    # baseline, not by today's data, and thousands of established cells would otherwise
    # drown the few cells of a theme that did not exist a month ago.
    is_newborn = newborn[theme]
    q = np.empty(len(p))
    for family in (is_newborn, ~is_newborn):
        q[family] = benjamini_hochberg(p[family])
    alert = (q <= config.fdr) & (obs >= config.min_observed) & (obs >= config.min_rate_ratio * exp)
    return [
        _Candidate(
            int(theme[i]),
            int(segment[i]),
            int(window[i]),
            int(obs[i]),
            float(exp[i]),
            float(p[i]),
            float(q[i]),
            bool(is_newborn[i]),
        )
        for i in np.flatnonzero(alert)
    ]


def _seasonal_level(cube: CountCube, days: slice, national: int) -> np.ndarray:
    """Per theme, the known seasonal level over some days, weighted by their volume."""
    weights = cube.totals[national, days].astype(float)
    assert cube.season is not None
    return (cube.season[:, days] * weights).sum(axis=1) / max(weights.sum(), 1.0)


def scan(
    contacts: pd.DataFrame,
    config: SurgeConfig | None = None,
    start: date | None = None,
    end: date | None = None,
    seasonality: Seasonality | None = None,
) -> list[Alert]:
    """Run the daily surge test over a period; one alert per theme × segment × day.

    `seasonality` (see `learn_seasonality`) scales expectations by each theme's known
    monthly level, so vakantiegeld in May is not news.
    """
    config = config or SurgeConfig()
    if contacts.empty:
        return []
    cube = build_cube(contacts, seasonality)
    first = 0 if start is None else max(0, (pd.Timestamp(start) - cube.days[0]).days)
    last = len(cube.days) - 1 if end is None else (pd.Timestamp(end) - cube.days[0]).days
    episodes: dict[tuple[int, int], tuple[int, int]] = {}  # key -> (episode start, last alert)
    alerts: list[Alert] = []
    for d in range(first, min(last, len(cube.days) - 1) + 1):
        best: dict[tuple[int, int], _Candidate] = {}
        for cand in surge_cells(cube, d, config):
            key = (cand.theme, cand.segment)
            if key not in best or cand.q_value < best[key].q_value:
                best[key] = cand
        for key, cand in sorted(best.items()):
            episode_start, last_alert = episodes.get(key, (d, d))
            if d - last_alert > config.episode_gap_days:
                episode_start = d
            episodes[key] = (episode_start, d)
            alerts.append(_to_alert(cube, cand, d, episode_start, config))
    return alerts


def _to_alert(
    cube: CountCube, cand: _Candidate, day_index: int, episode_start: int, config: SurgeConfig
) -> Alert:
    segment_kind, segment_value = cube.segments[cand.segment]
    theme_id = cube.themes[cand.theme]
    day = cube.days[day_index]
    iso = day.isocalendar()
    return Alert(
        theme_id=theme_id,
        kind="new_theme" if cand.newborn else "surge",
        segment_kind=segment_kind,
        segment_value=segment_value,
        window_days=cand.window,
        day=day.date(),
        iso_week=f"{iso.year}-W{iso.week:02d}",
        first_seen=cube.days[episode_start].date(),
        observed=cand.observed,
        expected=round(cand.expected, 3),
        rate_ratio=round(cand.observed / max(cand.expected, 1e-9), 2),
        p_value=cand.p_value,
        q_value=cand.q_value,
        quote_ids=_quote_ids(
            cube, theme_id, segment_kind, segment_value, day, cand.window, config.n_quotes
        ),
    )


def _quote_ids(
    cube: CountCube, theme_id: str, kind: str, value: str, day: pd.Timestamp, window: int, n: int
) -> tuple[str, ...]:
    frame = cube.contacts
    if "event_id" not in frame.columns:
        return ()
    since = day - pd.Timedelta(days=window - 1)
    mask = (
        (frame["theme_id"] == theme_id)
        & (frame[f"segment_{kind}"] == value)
        & (frame["day"] >= since)
        & (frame["day"] <= day)
    )
    recent = frame.loc[mask.fillna(False)].sort_values("day", ascending=False)
    return tuple(str(e) for e in recent["event_id"].head(n))
