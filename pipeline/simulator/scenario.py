"""Scenario files: everyday volume, seasonal themes and planted effects, checked on load.

An effect adds contacts of one theme in one segment from its onset: `new_theme` (a
theme with no everyday weight, so it cannot appear before the onset), `surge` (an
existing theme in one province and sector) or `spike` (a national jump).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from pipeline.contract.vocab import PROVINCES, SECTORS
from pipeline.simulator.themes import load_themes

EFFECT_KINDS = ("new_theme", "surge", "spike")
SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"


class ScenarioError(ValueError):
    """A scenario file that cannot be simulated; the message says what to fix."""


@dataclass(frozen=True)
class Seasonal:
    theme: str
    months: tuple[int, ...]
    factor: float


@dataclass(frozen=True)
class Effect:
    name: str
    kind: str
    theme: str
    peak_per_day: float
    onset_day: int | None = None  # days after the simulation start ...
    onset_date: date | None = None  # ... or a calendar date; `Scenario.resolve` converts
    ramp_days: int = 7
    plateau_days: int | None = None  # None: stays at peak until the end
    decay_days: float | None = None
    province: str | None = None
    sector: str | None = None
    co_themes: tuple[str, ...] = ()
    co_theme_share: float = 0.0
    spread_after_days: int | None = None
    spread_share: float = 0.0
    slots: dict[str, str] = field(default_factory=dict)

    def expected(self, day_index: int) -> float:
        """Expected extra contacts on an average working day `day_index` days after start."""
        if self.onset_day is None:
            raise ValueError(f"effect {self.name}: resolve the scenario against a start date first")
        t = day_index - self.onset_day
        if t < 0:
            return 0.0
        rate = self.peak_per_day * min(1.0, (t + 1) / max(1, self.ramp_days))
        if self.plateau_days is not None and t >= self.ramp_days + self.plateau_days:
            after = t - self.ramp_days - self.plateau_days
            rate *= math.exp(-after / self.decay_days) if self.decay_days else 0.0
        return rate

    def spread(self, day_index: int) -> float:
        """Share of the effect's contacts that come from outside its segment."""
        if self.spread_after_days is None or self.onset_day is None:
            return 0.0
        return self.spread_share if day_index - self.onset_day >= self.spread_after_days else 0.0


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    per_working_day: float
    off_topic_share: float
    multi_theme_share: float
    seasonal: tuple[Seasonal, ...]
    effects: tuple[Effect, ...]

    def seasonal_factor(self, theme: str, month: int) -> float:
        factor = 1.0
        for season in self.seasonal:
            if season.theme == theme and month in season.months:
                factor *= season.factor
        return factor

    def resolve(self, start: date) -> Scenario:
        """Fix every effect's onset as a day offset from `start`."""
        effects = tuple(
            replace(e, onset_day=(e.onset_date - start).days) if e.onset_date else e
            for e in self.effects
        )
        return replace(self, effects=effects)

    def truth(self, start: date, days: int, seed: int) -> dict[str, Any]:
        """The planted facts in machine-readable form, for detection-lag scoring."""
        effects = []
        for effect in self.resolve(start).effects:
            record = asdict(effect)
            record.pop("onset_date")
            record["onset"] = (start + timedelta(days=effect.onset_day or 0)).isoformat()
            effects.append(record)
        return {
            "scenario": self.name,
            "description": self.description,
            "start": start.isoformat(),
            "days": days,
            "seed": seed,
            "per_working_day": self.per_working_day,
            "seasonal": [asdict(s) for s in self.seasonal],
            "effects": effects,
            "themes": {key: theme.label for key, theme in load_themes().items()},
        }


def find_scenario(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.is_file():
        return path
    for folder in (Path.cwd() / "scenarios", SCENARIO_DIR):
        candidate = folder / f"{name_or_path}.yaml"
        if candidate.is_file():
            return candidate
    raise ScenarioError(f"no scenario file or name {name_or_path!r} (looked in {SCENARIO_DIR})")


def load_scenario(name_or_path: str) -> Scenario:
    path = find_scenario(name_or_path)
    return parse_scenario(_read(path), path.parent)


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ScenarioError(f"{path.name}: expected a mapping at the top")
    return data


def parse_scenario(data: dict[str, Any], folder: Path = SCENARIO_DIR) -> Scenario:
    allowed = {"name", "description", "extends", "volume", "seasonal", "effects"}
    _no_unknown(data, allowed, "scenario")
    base = (
        parse_scenario(_read(folder / f"{data['extends']}.yaml"), folder)
        if "extends" in data
        else None
    )
    volume = data.get("volume") or {}
    _no_unknown(volume, {"per_working_day", "off_topic_share", "multi_theme_share"}, "volume")
    themes = load_themes()
    seasonal = tuple(_seasonal(s, themes) for s in data.get("seasonal") or ())
    effects = tuple(_effect(e, i, themes) for i, e in enumerate(data.get("effects") or ()))
    if base:
        seasonal = base.seasonal + seasonal
        effects = base.effects + effects
    scenario = Scenario(
        name=str(data.get("name") or "scenario"),
        description=str(data.get("description") or "").strip(),
        per_working_day=_number(volume, "per_working_day", base.per_working_day if base else 2000),
        off_topic_share=_number(volume, "off_topic_share", base.off_topic_share if base else 0.07),
        multi_theme_share=_number(
            volume, "multi_theme_share", base.multi_theme_share if base else 0.08
        ),
        seasonal=seasonal,
        effects=effects,
    )
    if not 0 <= scenario.off_topic_share + scenario.multi_theme_share <= 1:
        raise ScenarioError("volume: off_topic_share + multi_theme_share must lie in [0, 1]")
    return scenario


def _seasonal(spec: dict[str, Any], themes: dict) -> Seasonal:
    _no_unknown(spec, {"theme", "months", "factor"}, "seasonal")
    theme = _theme_id(spec, themes, "seasonal")
    months = tuple(int(m) for m in spec.get("months") or ())
    if not months or any(not 1 <= m <= 12 for m in months):
        raise ScenarioError(f"seasonal {theme}: months must be 1..12")
    if themes[theme].weight == 0:
        raise ScenarioError(f"seasonal {theme}: a new theme can only start through an effect")
    return Seasonal(theme, months, _number(spec, "factor", 1.0))


def _effect(spec: dict[str, Any], index: int, themes: dict) -> Effect:
    fields = (set(Effect.__dataclass_fields__) - {"onset_date"}) | {"onset"}
    _no_unknown(spec, fields, f"effect {index}")
    where = f"effect {spec.get('name', index)}"
    kind = spec.get("kind")
    if kind not in EFFECT_KINDS:
        raise ScenarioError(f"{where}: kind must be one of {', '.join(EFFECT_KINDS)}")
    theme = _theme_id(spec, themes, where)
    if kind == "new_theme" and themes[theme].weight != 0:
        raise ScenarioError(f"{where}: {theme} already exists every day; use a weight-0 theme")
    if kind != "new_theme" and themes[theme].weight == 0:
        raise ScenarioError(f"{where}: {theme} does not exist yet; use kind new_theme")
    if ("onset" in spec) == ("onset_day" in spec):
        raise ScenarioError(f"{where}: give exactly one of onset_day (days after start) or onset")
    province, sector = spec.get("province"), spec.get("sector")
    if province is not None and province not in PROVINCES:
        raise ScenarioError(f"{where}: province {province!r} is not a province code such as NL-LI")
    if sector is not None and sector not in SECTORS:
        raise ScenarioError(f"{where}: sector {sector!r} not in {', '.join(SECTORS)}")
    co_themes = tuple(spec.get("co_themes") or ())
    unknown = [t for t in co_themes if t not in themes]
    if unknown:
        raise ScenarioError(f"{where}: unknown co_themes {unknown}")
    values = {k: v for k, v in spec.items() if k not in ("onset", "co_themes", "slots")}
    effect = Effect(
        **{**values, "name": str(spec.get("name") or f"{kind}-{theme}")},
        onset_date=_date(spec["onset"], where) if "onset" in spec else None,
        co_themes=co_themes,
        slots={str(k): str(v) for k, v in (spec.get("slots") or {}).items()},
    )
    if effect.peak_per_day <= 0 or effect.ramp_days < 1:
        raise ScenarioError(f"{where}: peak_per_day must be > 0 and ramp_days >= 1")
    if not 0 <= effect.co_theme_share <= 1 or not 0 <= effect.spread_share <= 1:
        raise ScenarioError(f"{where}: shares must lie in [0, 1]")
    return effect


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ScenarioError(f"{where}: onset must be a date like 2026-03-02") from error


def _theme_id(spec: dict[str, Any], themes: dict, where: str) -> str:
    theme = spec.get("theme")
    if theme not in themes:
        raise ScenarioError(f"{where}: unknown theme {theme!r}")
    return str(theme)


def _number(spec: dict[str, Any], key: str, default: float) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ScenarioError(f"{key} must be a non-negative number, got {value!r}")
    return float(value)


def _no_unknown(spec: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(spec) - allowed
    if unknown:
        raise ScenarioError(f"{where}: unknown keys {sorted(unknown)}; allowed {sorted(allowed)}")
