"""End-to-end emergence scoring: alerts on discovered themes, read back from a warehouse file."""

import json
from datetime import date, timedelta

import duckdb
from fixtures.contacts import landed_on

from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.theme_store import stored_run
from pipeline.warehouse.writer import WarehouseWriter
from topics.pipeline_eval import evaluate_pipeline_alerts, follow_merges, theme_stand_ins

FIRST = date(2026, 8, 3)


def test_a_discovered_theme_stands_for_the_truth_most_of_its_contacts_have():
    truth = {"a": "ontslag", "b": "ontslag", "c": "pensioen", "d": None}
    stand_in = theme_stand_ins([("a", "T1"), ("b", "T1"), ("c", "T1"), ("d", "T2")], truth)
    assert stand_in == {"T1": "ontslag", "T2": "off_topic"}


def test_a_theme_merged_away_stands_for_its_successor_and_one_that_died_for_nothing():
    stand_in = {"T1": "ai", "T2": "ontslag"}
    merged_into = {"T7": "T8", "T8": "T1", "T9": "T9"}

    extended = follow_merges(stand_in, merged_into)

    assert extended == {"T1": "ai", "T2": "ontslag", "T7": "ai", "T8": "ai"}


def test_alerts_of_a_split_off_theme_count_as_false_and_the_planted_onset_as_found(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    con = open_warehouse(warehouse)
    rows = [
        landed_on(i, FIRST + timedelta(days=i % 90), "T1" if i % 3 else "T2") for i in range(300)
    ]
    WarehouseWriter(con).land(rows, [], {})
    alerts = [
        ("T1", "surge", "province_sector", "NL-NB|transport", date(2026, 9, 5)),
        ("T1", "new_theme", "national", "NL", date(2026, 9, 4)),  # true, less precise
        ("T2", "new_theme", "national", "NL", date(2026, 10, 5)),  # a re-born neighbour
    ]
    for n, (theme, kind, seg_kind, seg_value, day) in enumerate(alerts):
        con.execute(
            "INSERT INTO core.alerts VALUES (?, ?, ?, ?, ?, 1, ?, ?, 9, 1.0, 9.0, 0.0, 0.0, now())",
            [f"a{n}", theme, kind, seg_kind, seg_value, day, day],
        )
    con.close()
    truth = tmp_path / "run.truth.jsonl"
    truth.write_text(
        "\n".join(
            json.dumps({"event_id": r.event.event_id, "themes": ["ai" if i % 3 else "ontslag"]})
            for i, r in enumerate(rows)
        ),
        encoding="utf-8",
    )
    scenario = tmp_path / "run.scenario.json"
    effect = {"theme": "ai", "onset": "2026-09-02", "province": "NL-NB", "sector": "transport"}
    scenario.write_text(json.dumps({"effects": [effect]}), encoding="utf-8")

    with duckdb.connect(str(warehouse), read_only=True) as reader:
        run = stored_run(reader)
    score = evaluate_pipeline_alerts(run, truth, scenario)

    assert score.lags == {"ai@province_sector:NL-NB|transport@2026-09-02": 3}
    assert score.false_alerts == 1 and "ontslag national:NL" in score.false_alert_examples[0]
    last_day = FIRST + timedelta(days=89)
    assert score.days_scanned == (last_day - (FIRST + timedelta(days=28))).days + 1
