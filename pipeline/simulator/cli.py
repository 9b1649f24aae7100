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
from pipeline.progress import Bar, progress_bar
from pipeline.simulator.output import json_line, scenario_path, truth_path, write_run
from pipeline.simulator.scenario import Scenario, ScenarioError, load_scenario
from pipeline.simulator.stats import Diversity


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
    with progress_bar(f"simulate {loaded.name} (days)", days) as bar:
        if out is not None:
            truth_file = truth or truth_path(out)
            count = _to_file(run, out, truth_file, diversity, bar)
            target = str(out)
        else:
            from pipeline.settings import Settings

            settings = Settings.load()
            server = bootstrap or settings.kafka_bootstrap
            default_truth = (
                settings.data_dir / "simulator" / f"{loaded.name}-seed{seed}.truth.jsonl"
            )
            truth_file = truth or default_truth
            count = _to_kafka(run, server, truth_file, diversity, bar)
            target = f"{RAW_TOPIC} on {server}"
    seconds = time.perf_counter() - began
    typer.echo(f"{count} contacts → {target} in {seconds:.1f} s ({count / seconds:,.0f}/s)")
    typer.echo(f"ground truth → {truth_file} and {scenario_path(truth_file)}")
    if diversity is not None:
        typer.echo(json.dumps(diversity.summary(), indent=2))


_Run = tuple[Scenario, date, int, int]


def _days_done(run: _Run, bar: Bar) -> Callable[[dict[str, Any]], None]:
    """Moves the bar to each event's day; the simulator yields events day by day."""
    first_day = run[1].isoformat()
    seen = [first_day]

    def track(event: dict[str, Any]) -> None:
        day = event["occurred_at"][:10]
        if day != seen[0]:
            seen[0] = day
            bar.reach((date.fromisoformat(day) - run[1]).days)

    return track


def _to_file(run: _Run, out: Path, truth_file: Path, diversity: Diversity | None, bar: Bar) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    track = _days_done(run, bar)

    def emit(event: dict[str, Any]) -> None:
        events_out.write(json_line(event))
        track(event)

    with out.open("w", encoding="utf-8") as events_out:
        count = write_run(*run, emit, truth_file, diversity)
    bar.reach(run[2])
    return count


def _to_kafka(
    run: _Run, server: str, truth_file: Path, diversity: Diversity | None, bar: Bar
) -> int:
    """Through the sources' emitter, so simulated contacts are checked like real ones."""
    from pipeline.sources import Emitter, KafkaTarget

    target = KafkaTarget(server)
    emitter = Emitter("simulator", target)
    track = _days_done(run, bar)

    def emit(event: dict[str, Any]) -> None:
        emitter(event, ref=event["event_id"])
        track(event)

    try:
        write_run(*run, emit, truth_file, diversity)
        bar.reach(run[2])
        counts = emitter.close()
    finally:
        target.close()
    if counts.dead_lettered:
        typer.echo(f"{counts.dead_lettered} simulated contacts refused: {counts.reasons}", err=True)
        raise typer.Exit(1)
    return counts.emitted
