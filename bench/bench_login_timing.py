"""Login timing for a known and an unknown user name: they should not differ.

Interleaves wrong-password logins for a known and an unknown name and prints the median
time of each. Run: PYTHONPATH=. .venv/bin/python bench/bench_login_timing.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from dashboards.auth import UserStore


def main(rounds: int) -> None:
    store = UserStore(Path(tempfile.mkdtemp()) / "users.json")
    store.set("bea", "geheim-wachtwoord", "official")
    times: dict[str, list[float]] = {"known (bea)": [], "unknown (nobody)": []}
    for _ in range(rounds):
        for label, name in (("unknown (nobody)", "nobody"), ("known (bea)", "bea")):
            start = time.perf_counter()
            store.authenticate(name, "fout-wachtwoord")
            times[label].append(time.perf_counter() - start)
    for label, values in times.items():
        print(f"{label}: median {statistics.median(values):.3f} s over {rounds} logins")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
