"""Charts: the hand-drawn SVG (before issue 20) against Vega-Lite rendered by vl-convert.

Part 1, per chart kind: 50 charts of different data drawn by the hand-drawn code (loaded from
git, commit `BEFORE`), by Vega-Lite the first time (the cache misses) and again (the cache
hits); and the first chart of the process, which starts vl-convert's JavaScript runtime.
Part 2, pages on the test warehouse (`tests/fixtures/warehouse.py`), in-process: the first
request after start (cold chart cache, runtime warm) and the median of the repeats, with
the hand-drawn charts swapped in and with Vega-Lite.
Run: PYTHONPATH=.:tests .venv/bin/python bench/bench_charts.py [ROUNDS]
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

from fixtures.dashboard import dashboard_client
from fixtures.warehouse import PLANTED_THEME, build_warehouse

from dashboards import charts

BEFORE = "e5a5b26"  # the last commit with the hand-drawn charts
N = 50
WEEK = "2026-W47"
PAGES = {
    "overzicht (alle thema's)": f"/?week={WEEK}&alle=1",
    "thema": f"/theme/{PLANTED_THEME[0]}?week={WEEK}",
    "dossier (HTML)": f"/theme/{PLANTED_THEME[0]}/dossier?week={WEEK}",
    "digest (HTML)": f"/digest?week={WEEK}",
}


def hand_drawn() -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{BEFORE}:dashboards/charts.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("hand_drawn_charts")
    exec(compile(source, "hand_drawn_charts.py", "exec"), module.__dict__)  # noqa: S102 - our own file from git
    return module


def chart_calls(module: types.ModuleType, seed: int) -> dict[str, list[Callable[[], object]]]:
    """N charts of each kind with random published and suppressed cells."""
    rng = random.Random(seed)

    def count() -> int | None:
        return None if rng.random() < 0.2 else rng.randint(5, 400)

    provinces = ["NL-FR", "NL-GR", "NL-NH", "NL-FL", "NL-DR", "NL-ZH"]
    provinces += ["NL-UT", "NL-OV", "NL-ZE", "NL-NB", "NL-GE", "NL-LI"]
    calls: dict[str, list[Callable[[], object]]] = {"trend": [], "bars": [], "spark": [], "map": []}
    for _ in range(N):
        weeks = [(f"wk {w}", count()) for w in range(36, 48)]
        sectors = [(f"Sector {i}", count()) for i in range(8)]
        tiles = [(code, code, count()) for code in provinces]
        # The hand-drawn sparkline took the counts alone, the Vega-Lite one (week, count).
        spark = [(f"wk {w}", count()) for w in range(36, 48)]
        values = spark if module is charts else [n for _, n in spark]
        calls["trend"].append(lambda w=weeks: module.trend_chart(w, "T"))
        calls["bars"].append(lambda s=sectors: module.bars(s, "T", 400))
        calls["spark"].append(lambda v=values: module.sparkline(v, "T", 200, 30, 0))
        calls["map"].append(lambda t=tiles: module.tile_map(t, "T"))
    return calls


def timed(calls: list[Callable[[], object]]) -> float:
    start = time.perf_counter()
    for call in calls:
        call()
    return (time.perf_counter() - start) / len(calls)


def part_charts(old: types.ModuleType) -> None:
    start = time.perf_counter()
    charts.warm_up()
    print(
        f"first chart of the process (starts the JS runtime): {time.perf_counter() - start:.2f} s"
    )
    before, after = chart_calls(old, 1), chart_calls(charts, 1)
    print(f"per chart, mean over {N} charts of different data:")
    print("| chart | hand-drawn | Vega-Lite, first time | Vega-Lite, cached |")
    print("|---|---|---|---|")
    for kind in before:
        hand, first, cached = timed(before[kind]), timed(after[kind]), timed(after[kind])
        print(f"| {kind} | {hand * 1e3:.2f} ms | {first * 1e3:.1f} ms | {cached * 1e3:.2f} ms |")


def part_pages(old: types.ModuleType, rounds: int) -> None:
    folder = Path(tempfile.mkdtemp())
    snapshot = build_warehouse(folder / "warehouse")
    kinds = {"hand-drawn": old, "Vega-Lite": charts}
    originals = {
        name: getattr(charts, name) for name in ("trend_chart", "bars", "sparkline", "tile_map")
    }
    print(f"pages, in-process (first request, then median of {rounds}):")
    print("| page | hand-drawn first | hand-drawn median | Vega-Lite first | Vega-Lite median |")
    print("|---|---|---|---|---|")
    results: dict[str, list[str]] = {page: [] for page in PAGES}
    for kind, module in kinds.items():
        # The templates call `charts.<kind>` on the module: swap the functions in.
        for name, function in originals.items():
            setattr(charts, name, getattr(module, name) if kind == "hand-drawn" else function)
        if kind == "hand-drawn":  # the templates now pass (week, count) pairs
            charts.sparkline = lambda weeks, *args: old.sparkline([n for _, n in weeks], *args)
        charts._render.cache_clear()
        client = dashboard_client(
            snapshot, folder / kind.replace(" ", "-"), {"bea": ("geheim-wachtwoord", "official")}
        )
        client.post("/login", data={"name": "bea", "password": "geheim-wachtwoord", "next": "/"})
        for page, path in PAGES.items():
            times = []
            for _ in range(rounds + 1):
                start = time.perf_counter()
                assert client.get(path).status_code == 200, path
                times.append(time.perf_counter() - start)
            results[page] += [
                f"{times[0] * 1e3:.0f} ms",
                f"{statistics.median(times[1:]) * 1e3:.0f} ms",
            ]
    for page, cells in results.items():
        print(f"| {page} | " + " | ".join(cells) + " |")


def main(rounds: int) -> None:
    old = hand_drawn()
    part_charts(old)
    part_pages(old, rounds)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
