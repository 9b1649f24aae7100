"""`ledenradar evaluate emergence`: detection lag and false alerts on simulated scenarios."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import typer
from rich.console import Console

console = Console()

SCENARIOS = "baseline,surge-limburg,new-theme,national-spike"


def evaluate_emergence(
    scenarios: str = typer.Option(SCENARIOS, "--scenario", help="Comma-separated scenario names."),
    start: str = typer.Option("2026-01-05", help="First simulated day."),
    days: int = typer.Option(112, help="Simulated days: warm-up plus a 91-day quarter."),
    warmup_days: int = typer.Option(21, help="Days that only build the baseline."),
    seed: int = typer.Option(1),
    seasonality: bool = typer.Option(
        True, help="Learn monthly seasonality from a simulated previous year first."
    ),
    history_volume: float = typer.Option(300, help="Contacts per working day in that year."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Score the emergence detector with ground-truth themes (detector alone, no clustering)."""
    from pipeline.progress import progress_bar
    from topics.emergence import learn_seasonality
    from topics.scenario_eval import evaluate_scenario, simulate_contacts

    first = date.fromisoformat(start)
    levels = None
    if seasonality:
        history, _ = simulate_contacts(
            "baseline", first - timedelta(days=365), 365, seed + 1000, history_volume
        )
        levels = learn_seasonality(history)
    results = {}
    names = scenarios.split(",")
    with progress_bar("emergence (scenarios)", len(names)) as bar:
        for name in names:
            score = evaluate_scenario(name, first, days, seed, warmup_days, seasonality=levels)
            results[name] = score.as_dict()
            bar.advance()
            if not as_json:
                console.print(
                    f"{name}: gevonden {score.detected}/{len(score.lags)}, "
                    f"vertraging {score.lags}, "
                    f"valse meldingen per kwartaal {score.false_alerts_per_quarter:.2f}"
                )
    if as_json:
        print(json.dumps(results, default=str, indent=2))


def evaluate_alerts(
    truth: Path = typer.Argument(..., help="Ground truth of the simulated run (`*.truth.jsonl`)."),
    warehouse: Path = typer.Option(
        None, help="DuckDB file the run landed in (default: the settings' warehouse)."
    ),
    scenario: Path = typer.Option(
        None, help="The run's `*.scenario.json` (default: beside the truth file)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Score the alerts a pipeline run raised on its own discovered themes (end to end)."""
    import duckdb

    from pipeline.settings import Settings
    from pipeline.simulator.output import scenario_path
    from pipeline.warehouse.theme_store import stored_run
    from topics.pipeline_eval import evaluate_pipeline_alerts

    con = duckdb.connect(str(warehouse or Settings.load().duckdb_path), read_only=True)
    try:
        run = stored_run(con)
    finally:
        con.close()
    score = evaluate_pipeline_alerts(run, truth, scenario or scenario_path(truth))
    if as_json:
        print(json.dumps(score.as_dict(), default=str, indent=2))
        return
    console.print(
        f"gevonden {score.detected}/{len(score.lags)}, vertraging {score.lags}, "
        f"valse meldingen {score.false_alerts} in {score.days_scanned} dagen = "
        f"{score.false_alerts_per_quarter:.2f} per kwartaal"
    )
    for example in score.false_alert_examples:
        console.print(f"  vals: {example}")
