"""`make demo`: the whole path on this machine, through a real Kafka broker.

Starts the embedded broker, streams 90 simulated days of the `demo` scenario (a new
theme appears in Noord-Brabant's transport sector and spreads) through the faust
worker and the DuckDB sink, lets the theme jobs run, prints what is rising where,
and stops what it started.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipeline.contract.vocab import PROVINCES, SECTORS
from pipeline.kafka_broker import KafkaBroker, free_port
from pipeline.kafka_topics import RAW, ensure_topics
from pipeline.producer import EventProducer
from pipeline.settings import Settings
from pipeline.simulator.generator import simulate
from pipeline.snapshot import open_snapshot

console = Console()
SCENARIO, START, DAYS, SEED = "demo", date(2026, 8, 3), 90, 7


def run(data_dir: Path) -> int:
    settings = Settings.load(data_dir=str(data_dir))
    broker = KafkaBroker(data_dir / "kafka", settings.cache_dir, port=free_port())
    console.rule("[bold]Ledenradar demo")
    seconds = broker.start()
    try:
        ensure_topics(broker.bootstrap)
        console.print(f"Kafka (KRaft, {broker.bootstrap}) answered after {seconds:.1f}s")
        if not stream_through_pipeline(data_dir, broker.bootstrap):
            return 1
    finally:
        broker.stop()  # also when the worker or the sink could not start
    report(settings)
    return 0


def stream_through_pipeline(data_dir: Path, bootstrap: str) -> bool:
    """Start a worker, stream the scenario's events, and run the sink until it is idle.
    False when the sink failed (its log says why)."""
    env = {
        **os.environ,
        "LEDENRADAR_DATA_DIR": str(data_dir),
        "LEDENRADAR_KAFKA_BOOTSTRAP": bootstrap,
        "HF_HUB_OFFLINE": "1",
    }
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / "worker.log", "wb") as worker_log:
        try:
            worker = subprocess.Popen(
                [sys.executable, "-m", "pipeline", "worker"],
                env=env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
        except FileNotFoundError as missing:
            raise FileNotFoundError(
                f"cannot start the worker with {sys.executable}: run `make setup` first"
            ) from missing
    try:
        produced = 0
        with EventProducer(bootstrap) as producer:
            for event, _truth in simulate(SCENARIO, START, DAYS, SEED):
                producer.send_json(RAW, event, key=event["event_id"])
                produced += 1
        console.print(f"Streamed {produced} simulated contacts ({DAYS} days from {START}) to {RAW}")
        console.print(
            "Worker: validate → redact → embed → theme; sink: DuckDB + theme jobs (a few minutes)…"
        )
        started = time.monotonic()
        sink = subprocess.run(
            [sys.executable, "-m", "pipeline", "sink", "--idle-exit", "45"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        (logs / "sink.log").write_text(sink.stdout, encoding="utf-8")
        if sink.returncode != 0:
            console.print(f"[red]The sink failed[/red]; see {logs / 'sink.log'}")
            return False
        console.print(
            sink.stdout.strip().splitlines()[-1] + f" ({time.monotonic() - started:.0f}s)"
        )
    finally:
        worker.terminate()
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            worker.kill()
    return True


def report(settings: Settings) -> None:
    snapshot = settings.data_dir / "snapshot" / "ledenradar.duckdb"
    con = open_snapshot(snapshot)
    landed = con.execute(
        "SELECT contacts, dead_letters, themed_contacts FROM ops.landed"
    ).fetchone()
    console.print(f"\nWarehouse: {settings.duckdb_path}  (analysts' snapshot: {snapshot})")
    console.print(f"{landed[0]} contacts, {landed[2]} with a theme, {landed[1]} dead letters")
    rows = con.execute(
        # One row per episode (marts.theme_episodes): since when, and the largest count
        # of its shortest window (a rise is often seen first in the 3- or 7-day sum).
        """WITH alerts AS (
               SELECT *, min(window_days) OVER (PARTITION BY theme_name, segment_kind,
                                                segment_value, episode_start) AS shortest
               FROM marts.theme_episodes WHERE segment_kind IN ('province', 'province_sector'))
           SELECT theme_name, segment_kind, segment_value, episode_start AS since,
                  max(observed) FILTER (WHERE window_days = shortest) AS peak, any_value(shortest)
           FROM alerts GROUP BY ALL ORDER BY since LIMIT 15"""
    ).fetchall()
    table = Table(
        "Thema",
        "Waar",
        "Sinds",
        "Hoogste telling",
        title="Nieuwe en stijgende thema's per provincie",
    )
    for name, _kind, value, since, peak, days in rows:
        province, _, sector = value.partition("|")
        where = PROVINCES[province][0] + (
            f", {SECTORS.get(sector, sector).lower()}" if sector else ""
        )
        count = f"{peak} op één dag" if days == 1 else f"{peak} in {days} dagen"
        table.add_row(name, where, since.strftime("%d-%m-%Y"), count)
    console.print(table)
    console.print(
        '\nNext: ledenradar sql "SELECT * FROM marts.theme_week ORDER BY iso_week DESC, contacts DESC LIMIT 10"'
        f"\n      (with LEDENRADAR_DATA_DIR={settings.data_dir})"
    )


def main() -> None:
    data_dir = Path(os.environ.get("LEDENRADAR_DEMO_DIR", "data/demo")).resolve()
    if data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    raise SystemExit(run(data_dir))


if __name__ == "__main__":
    main()
