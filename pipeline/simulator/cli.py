"""`ledenradar simulate`: write a simulated run to JSON lines or Kafka, truth beside it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import typer

from pipeline.kafka_topics import RAW as RAW_TOPIC
from pipeline.simulator.generator import simulate as generate
from pipeline.simulator.scenario import Scenario, ScenarioError, load_scenario
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
) -> int:
    """Generate a run, hand each event to `emit` and write the ground truth files."""
    truth_file.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with truth_file.open("w", encoding="utf-8") as truth_out:
        for event, truth in generate(scenario, start, days, seed):
            emit(event)
            truth_out.write(_line(truth))
            if diversity is not None:
                diversity.add(event, truth)
            count += 1
    scenario_path(truth_file).write_text(
        json.dumps(scenario.truth(start, days, seed), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return count


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def simulate(
    scenario: str = typer.Option("baseline", help="Scenario name in scenarios/ or a YAML file."),
    start: str = typer.Option("2026-01-05", help="First simulated day (YYYY-MM-DD)."),
    days: int = typer.Option(90, min=1, help="Number of days to simulate."),
    seed: int = typer.Option(1, help="Same seed, same bytes."),
    out: Path | None = typer.Option(None, help="Write events as JSON lines to this file."),
    to_kafka: bool = typer.Option(False, "--to-kafka", help=f"Produce events to {RAW_TOPIC}."),
    bootstrap: str | None = typer.Option(None, help="Kafka bootstrap (default from settings)."),
    truth: Path | None = typer.Option(None, help="Ground-truth file (default beside --out)."),
    per_working_day: float | None = typer.Option(
        None, min=1, help="Override the scenario's contacts per working day (e.g. 200 for a demo)."
    ),
    report: bool = typer.Option(
        False, help="Print diversity (distinct/total) per theme and channel."
    ),
) -> None:
    """Simulate member contacts with planted themes; ground truth goes to a separate file."""
    if (out is None) == (not to_kafka):
        raise typer.BadParameter("give exactly one of --out FILE.jsonl or --to-kafka")
    try:
        first_day = date.fromisoformat(start)
    except ValueError as error:
        raise typer.BadParameter(f"--start {start!r} is not a date like 2026-01-05") from error
    try:
        loaded = load_scenario(scenario)
    except ScenarioError as error:
        raise typer.BadParameter(str(error)) from error
    if per_working_day is not None:
        loaded = replace(loaded, per_working_day=per_working_day)
    diversity = Diversity() if report else None
    began = time.perf_counter()
    run = (loaded, first_day, days, seed)
    if out is not None:
        truth_file = truth or truth_path(out)
        count = _to_file(run, out, truth_file, diversity)
        target = str(out)
    else:
        from pipeline.settings import Settings

        settings = Settings.load()
        server = bootstrap or settings.kafka_bootstrap
        default_truth = settings.data_dir / "simulator" / f"{loaded.name}-seed{seed}.truth.jsonl"
        truth_file = truth or default_truth
        count = _to_kafka(run, server, truth_file, diversity)
        target = f"{RAW_TOPIC} on {server}"
    seconds = time.perf_counter() - began
    typer.echo(f"{count} contacts → {target} in {seconds:.1f} s ({count / seconds:,.0f}/s)")
    typer.echo(f"ground truth → {truth_file} and {scenario_path(truth_file)}")
    if diversity is not None:
        typer.echo(json.dumps(diversity.summary(), indent=2))


_Run = tuple[Scenario, date, int, int]


def _to_file(run: _Run, out: Path, truth_file: Path, diversity: Diversity | None) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as events_out:
        return write_run(*run, lambda e: events_out.write(_line(e)), truth_file, diversity)


def _to_kafka(run: _Run, server: str, truth_file: Path, diversity: Diversity | None) -> int:
    from pipeline.producer import EventProducer

    with EventProducer(server) as producer:
        return write_run(
            *run,
            lambda e: producer.send_json(RAW_TOPIC, e, key=e["event_id"]),
            truth_file,
            diversity,
        )
