"""Emergence scored end to end: the alerts a pipeline run raised on discovered themes.

`topics.scenario_eval` scores the detector alone, on ground-truth themes. Here the themes
are the ones the pipeline found, so clustering errors count too: a theme split off, re-born
or merged can raise an alert no planted onset explains. Each discovered theme stands for
the ground-truth theme most of its contacts have (at the end of the run); a theme a refit
merged into another holds none by then and stands for what its successor stands for. Its
alerts are then scored like the detector's, with the same onsets and the same episode rule.
A theme that died without a successor stands for nothing, so its alerts count as false.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from topics.emergence import Alert
from topics.scenario_eval import EmergenceScore, onsets_from_scenario, score_alerts

# The theme schedule's first refit: no theme, so no alert, can exist before it.
FIRST_REFIT_AFTER_DAYS = 28


def truth_themes(records: Iterable[Mapping[str, Any]]) -> dict[str, str | None]:
    """event_id → the simulator's primary theme (None for off-topic contacts)."""
    return {r["event_id"]: (r["themes"][0] if r["themes"] else None) for r in records}


def theme_stand_ins(
    assignments: Iterable[tuple[str, str]], truth: Mapping[str, str | None]
) -> dict[str, str]:
    """Discovered theme id → the ground-truth theme most of its contacts have."""
    counts: dict[str, Counter] = {}
    for event_id, theme_id in assignments:
        counts.setdefault(theme_id, Counter())[truth.get(event_id) or "off_topic"] += 1
    return {theme: c.most_common(1)[0][0] for theme, c in counts.items()}


def follow_merges(stand_in: Mapping[str, str], merged_into: Mapping[str, str]) -> dict[str, str]:
    """Stand-ins extended to themes merged away: each takes its latest successor's."""
    extended = dict(stand_in)
    for theme in merged_into:
        successor, seen = theme, {theme}
        while successor not in stand_in and merged_into.get(successor) not in (None, *seen):
            successor = merged_into[successor]
            seen.add(successor)
        if theme not in extended and successor in stand_in:
            extended[theme] = stand_in[successor]
    return extended


class StoredRun(Protocol):
    """What a pipeline run left in its warehouse (`pipeline.warehouse.theme_store.stored_run`)."""

    assigned: list[tuple[str, str]]  # (event_id, theme_id) of every themed contact
    first_day: date
    last_day: date
    alerts: list[Alert]
    merges: list[tuple[str, str]]  # (from_theme_id, to_theme_id) in the order they happened


def evaluate_pipeline_alerts(
    run: StoredRun, truth_file: Path, scenario_file: Path
) -> EmergenceScore:
    """Score the alerts a run stored against a `ledenradar simulate` run's truth."""
    with truth_file.open(encoding="utf-8") as lines:
        truth = truth_themes(json.loads(line) for line in lines if line.strip())
    scenario = json.loads(scenario_file.read_text(encoding="utf-8"))
    stand_in = follow_merges(theme_stand_ins(run.assigned, truth), dict(run.merges))
    mapped = [replace(a, theme_id=stand_in.get(a.theme_id, a.theme_id)) for a in run.alerts]
    start = run.first_day + timedelta(days=FIRST_REFIT_AFTER_DAYS)
    return score_alerts(mapped, onsets_from_scenario(scenario), start, run.last_day)
