"""Where a simulated run goes: events to a callback, ground truth to files beside them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.simulator.generator import simulate
from pipeline.simulator.scenario import Scenario
from pipeline.simulator.stats import Diversity


def truth_path(events_path: Path) -> Path:
    """`run.jsonl` → `run.truth.jsonl`."""
    return events_path.with_name(f"{events_path.name.removesuffix('.jsonl')}.truth.jsonl")


def scenario_path(truth_file: Path) -> Path:
    """`run.truth.jsonl` → `run.scenario.json`: onsets, themes and segments of the effects."""
    stem = truth_file.name.removesuffix(".jsonl").removesuffix(".truth")
    return truth_file.with_name(f"{stem}.scenario.json")


def write_run(
    scenario: Scenario,
    start: date,
    days: int,
    seed: int,
    emit: Callable[[dict[str, Any]], None],
    truth_file: Path,
    diversity: Diversity | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> int:
    """Generate a run, hand each event to `emit` and write the ground-truth files.

    The scenario facts are written first, so a run that is stopped early still has them.
    """
    truth_file.parent.mkdir(parents=True, exist_ok=True)
    scenario_path(truth_file).write_text(
        json.dumps(scenario.truth(start, days, seed), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    count = 0
    with truth_file.open("w", encoding="utf-8") as truth_out:
        for event, truth in simulate(scenario, start, days, seed):
            if should_stop():
                break
            emit(event)
            truth_out.write(json_line(truth))
            if diversity is not None:
                diversity.add(event, truth)
            count += 1
    return count


def json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"
