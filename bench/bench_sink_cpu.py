"""CPU-seconds of the sink's own work per 1,000 contacts, this tree against another commit.

    PYTHONPATH=. .venv/bin/python bench/bench_sink_cpu.py [--baseline REV] [--contacts 4000]
        [--batch 25] [--snapshot-every 75] [--repeats 3]

The sink's work without Kafka, on the same simulated contacts for both trees: decode
`contact.enriched` records (`decode_batch`), land them in batches of `--batch` with four
partitions' positions (`WarehouseWriter.land`; about what one fetch of at most 64 KiB or
250 ms brings at 75 contacts/s), and publish the analysts' snapshot after every
`--snapshot-every` contacts (the bench's one-second snapshots at 75 contacts/s). Each tree runs
in its own process, the two interleaved `--repeats` times, and each phase is timed in CPU
time of that process (all its threads): on a shared machine CPU time stays comparable where
wall-clock rates do not. `--baseline` is checked out with `git archive` into a temporary
folder; the default is the commit the working tree started from (HEAD).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from io import BytesIO
from itertools import islice
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("decode", "land", "snapshot")


class Record(NamedTuple):
    """The attributes of a kafka-python record that `decode_batch` reads."""

    topic: str
    partition: int
    offset: int
    value: bytes
    headers: list[tuple[str, bytes]]


def cpu_now() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(contacts: int, batch: int, snapshot_every: int) -> dict[str, float]:
    """Run the workload with the `pipeline` package on PYTHONPATH; CPU-s per 1,000."""
    import numpy as np

    from pipeline.contract.dead_letter import Origin
    from pipeline.contract.enriched import EnrichedContact, Enrichment
    from pipeline.normalise import accept
    from pipeline.simulator.generator import simulate
    from pipeline.warehouse.database import open_warehouse
    from pipeline.warehouse.sink import decode_batch
    from pipeline.warehouse.writer import WarehouseWriter

    rng = np.random.default_rng(0)
    records = []
    events = islice(simulate("baseline", date(2026, 3, 2), 30, 4), contacts)
    for i, (raw, _) in enumerate(events):
        event = accept(json.dumps(raw).encode()).event
        vector = rng.random(384, dtype=np.float32)
        value = EnrichedContact(event, Enrichment(1, vector, "e5@1", None, None)).to_json()
        origin = Origin("contact.raw", i % 4, i).header()
        records.append(
            Record("contact.enriched", i % 4, i // 4, value, [("ledenradar-origin", origin)])
        )
    spent = dict.fromkeys(PHASES, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        writer = WarehouseWriter(open_warehouse(Path(tmp) / "w.duckdb"))
        since_snapshot = 0
        for start in range(0, len(records), batch):
            polled = records[start : start + batch]
            t0 = cpu_now()
            rows, letters = decode_batch(polled)
            t1 = cpu_now()
            writer.land(rows, letters, {(r.topic, r.partition): r.offset + 1 for r in polled})
            t2 = cpu_now()
            spent["decode"] += t1 - t0
            spent["land"] += t2 - t1
            since_snapshot += len(polled)
            if since_snapshot >= snapshot_every:
                writer.snapshot(Path(tmp) / "snapshot.duckdb")
                spent["snapshot"] += cpu_now() - t2
                since_snapshot = 0
    return {phase: seconds / contacts * 1000 for phase, seconds in spent.items()}


def checkout(rev: str, into: Path) -> Path:
    """The runtime packages of `rev` (those of `text/` too, where `rev` has it), unpacked
    under `into`."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", rev],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    packages = [p for p in ("pipeline", "topics", "models", "text") if p in listed]
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, *packages],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_tree(tree: Path, args: argparse.Namespace) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", *_workload(args)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def _workload(args: argparse.Namespace) -> list[str]:
    return [
        f"--contacts={args.contacts}",
        f"--batch={args.batch}",
        f"--snapshot-every={args.snapshot_every}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="HEAD")
    parser.add_argument("--contacts", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--snapshot-every", type=int, default=75)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.contacts, args.batch, args.snapshot_every)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        trees = {args.baseline: checkout(args.baseline, Path(tmp)), "this tree": ROOT}
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        started = time.monotonic()
        for _ in range(args.repeats):
            for name, tree in trees.items():
                runs[name].append(run_tree(tree, args))
    print(
        f"\n{args.contacts} contacts, batches of {args.batch}, a snapshot every "
        f"{args.snapshot_every}; median of {args.repeats} interleaved runs "
        f"({time.monotonic() - started:.0f} s, load {os.getloadavg()[0]:.1f})\n"
    )
    print("| CPU-s per 1,000 contacts | " + " | ".join(PHASES) + " | sink total |")
    print("|---" * (len(PHASES) + 2) + "|")
    for name, results in runs.items():
        medians = [statistics.median(r[phase] for r in results) for phase in PHASES]
        cells = [f"{m:.2f}" for m in medians] + [f"{sum(medians):.2f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
