"""The table `make demo` ends with, read from a real analysts' snapshot."""

from datetime import date, timedelta

import duckdb
from fixtures.contacts import landed_on

from pipeline import demo
from pipeline.disclosure import NOISE_BOUND
from pipeline.settings import Settings
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import WarehouseWriter


def test_the_demo_says_since_when_from_every_window_and_the_peak_of_the_shortest(tmp_path):
    settings = Settings.load(data_dir=str(tmp_path))
    con = open_warehouse(settings.duckdb_path)
    con.execute(
        "INSERT INTO core.themes VALUES ('T1', 'Camera op de vrachtwagen', ['camera'], 'active', now(), NULL, now())"
    )
    per_day = [4, 4, 4, 4, 4, 8, 10, 12, 16]  # 1..9 September, Noord-Brabant
    days = [date(2026, 9, 1) + timedelta(days=d) for d, n in enumerate(per_day) for _ in range(n)]
    writer = WarehouseWriter(con)
    writer.land([landed_on(i, day, "T1") for i, day in enumerate(days)], [], {})
    alerts = [  # (window, day): the 7-day sum saw it first; the windows join up into one run
        (7, date(2026, 9, 4)),
        (3, date(2026, 9, 7)),
        (1, date(2026, 9, 8)),
        (1, date(2026, 9, 9)),
    ]
    for n, (window, day) in enumerate(alerts):
        con.execute(
            "INSERT INTO core.alerts VALUES (?, 'T1', 'surge', 'province', 'NL-NB', ?, ?, ?, 99,"
            " 1.0, 9.0, 0.0, 0.0, now())",
            [f"a{n}", window, day, day],
        )
    snapshot = writer.snapshot(settings.data_dir / "snapshot" / "ledenradar.duckdb")
    with duckdb.connect(str(snapshot), read_only=True) as reader:
        # Counts are published with cell-key noise: the report shows the published peak.
        (peak,) = reader.execute(
            "SELECT max(observed) FROM marts.theme_episodes WHERE window_days = 1"
        ).fetchone()
    assert abs(peak - 16) <= NOISE_BOUND

    with demo.console.capture() as captured:
        demo.report(settings)

    row = next(line for line in captured.get().splitlines() if "Camera" in line)
    assert "Noord-Brabant" in row and "04-09-2026" in row and f"{peak} op één dag" in row
