"""The simulator as a stream source: `ledenradar sources run simulator --config sim.yaml`.

It hands events to the sources' emitter (validation, de-duplication, DLQ, Kafka) like
every other connector, and writes the ground truth to files that never reach Kafka.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from pipeline.settings import Settings
from pipeline.simulator.output import write_run
from pipeline.simulator.scenario import load_scenario
from pipeline.sources.base import Source
from pipeline.sources.emit import Emit


class SimulatorSource(Source):
    """Simulated Dutch member contacts with planted themes (ground truth in a separate file)."""

    name = "simulator"

    def __init__(
        self,
        *,
        scenario: str = "baseline",
        start: str | date = "2026-01-05",
        days: int = 90,
        seed: int = 1,
        truth: str | Path | None = None,
        per_working_day: float | None = None,
        follow: bool = False,
        poll_interval: float = 5.0,
    ) -> None:
        super().__init__(follow=follow, poll_interval=poll_interval)
        self.scenario = load_scenario(scenario)
        if per_working_day is not None:
            self.scenario = replace(self.scenario, per_working_day=float(per_working_day))
        self.start = start if isinstance(start, date) else date.fromisoformat(str(start))
        self.days = int(days)
        self.seed = int(seed)
        default = (
            Settings.load().data_dir / "simulator" / f"{self.scenario.name}-seed{seed}.truth.jsonl"
        )
        self.truth_file = Path(truth) if truth else default
        self.count = 0

    def run(self, emit: Emit) -> None:
        """Emit the whole run once; a simulated past has nothing new to follow."""
        self.count = write_run(
            self.scenario,
            self.start,
            self.days,
            self.seed,
            lambda event: emit(event, ref=event["event_id"]),
            self.truth_file,
            should_stop=lambda: self.stopped,
        )
