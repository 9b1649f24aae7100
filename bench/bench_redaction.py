"""Redaction throughput on one core: messages per second, CPU time and wall clock.

Usage: .venv/bin/python bench/bench_redaction.py [--events EVENTS.jsonl] [--repeat N]

CPU time (time.process_time) is the one-core number; wall clock is printed beside it
with the load average, because on a shared machine wall time mostly measures the
neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from pipeline.redaction import Redactor
from pipeline.redaction.annotations import read_jsonl
from pipeline.redaction.cli import ANNOTATED_SET


def bench(name: str, texts: list[str], repeat: int) -> None:
    redactor = Redactor()
    for text in texts[:50]:  # warm-up
        redactor.redact(text)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            redactor.redact(text)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    count = repeat * len(texts)
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"{name}: {count} messages (mean {mean_chars:.0f} chars): "
        f"{count / cpu:,.0f} msg/s CPU time, {count / wall:,.0f} msg/s wall clock"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=Path, help="simulator events JSONL")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    construct = time.perf_counter()
    Redactor()
    print(f"first Redactor(): {time.perf_counter() - construct:.2f} s (loads the gazetteer)")
    print(
        f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    bench("annotated set", [m.text for m in read_jsonl(ANNOTATED_SET)], args.repeat)
    if args.events:
        with args.events.open(encoding="utf-8") as lines:
            texts = [json.loads(line)["text"] for line in lines]
        bench("simulator events", texts, max(1, args.repeat // 5))


if __name__ == "__main__":
    main()
