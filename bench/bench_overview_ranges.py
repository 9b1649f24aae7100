"""The overview's own range of weeks against the fixed periods: page time on the test fixture.

Builds the test warehouse (`tests/fixtures/warehouse.py`) in a temporary folder and requests
each overview in-process, interleaved, printing the median per kind of period.
Run: PYTHONPATH=.:tests .venv/bin/python bench/bench_overview_ranges.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from fixtures.dashboard import dashboard_client
from fixtures.warehouse import build_warehouse

WEEK = "2026-W47"
PAGES = {
    "4 weken": f"/?week={WEEK}&periode=4weken&alle=1",
    "eigen periode, 4 weken": f"/?week={WEEK}&periode=eigen&van=2026-W44&tot={WEEK}&alle=1",
    "kwartaal": f"/?week={WEEK}&periode=kwartaal&alle=1",
    "eigen periode, 8 weken": f"/?week={WEEK}&periode=eigen&van=2026-W40&tot={WEEK}&alle=1",
}


def main(rounds: int) -> None:
    folder = Path(tempfile.mkdtemp())
    client = dashboard_client(build_warehouse(folder / "warehouse"), folder / "dashboard")
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    for _ in range(rounds):
        for name, path in PAGES.items():
            start = time.perf_counter()
            assert client.get(path).status_code == 200, path
            times[name].append(time.perf_counter() - start)
    for name, values in times.items():
        print(f"{name}: median {1000 * statistics.median(values):.0f} ms over {rounds} requests")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
