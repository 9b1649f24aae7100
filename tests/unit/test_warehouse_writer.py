import json
from pathlib import Path

import duckdb
import pytest

from pipeline.dead_letter import Origin, dead_letter
from pipeline.normalise import accept
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import LandedContact, WarehouseWriter


def event(event_id: str, region: str = "NL-LI", day: str = "2026-11-20"):
    raw = {
        "event_id": event_id,
        "occurred_at": f"{day}T23:30:00+00:00",
        "source": "test",
        "channel": "chat",
        "text": "vraag",
        "region": region,
    }
    return accept(json.dumps(raw).encode()).event


def landed(event_id: str, offset: int, partition: int = 0, **kwargs) -> LandedContact:
    return LandedContact(event(event_id, **kwargs), Origin("contact.raw", partition, offset), 100)


@pytest.fixture
def writer(tmp_path: Path) -> WarehouseWriter:
    return WarehouseWriter(open_warehouse(tmp_path / "w.duckdb"))


def count(writer: WarehouseWriter, sql: str) -> int:
    return writer.con.execute(sql).fetchone()[0]


def test_replay_of_the_same_records_adds_nothing(writer):
    batch = [landed(f"e{i}", i) for i in range(50)]
    first = writer.land(batch, [], {("contact.events", 0): 50})
    again = writer.land(batch, [], {("contact.events", 0): 50})
    assert (first.contacts, again.contacts, again.duplicates) == (50, 0, 0)
    assert count(writer, "SELECT count(*) FROM core.contacts") == 50


def test_same_id_from_another_origin_is_a_dead_letter(writer):
    writer.land([landed("e1", 1)], [], {})
    result = writer.land([landed("e1", 9, partition=2), landed("e2", 10)], [], {})
    assert (result.contacts, result.duplicates) == (1, 1)
    reason, detail = writer.con.execute("SELECT reason, detail FROM core.dead_letters").fetchone()
    assert reason == "duplicate_event_id"
    assert "contact.raw/0/1" in detail


def test_duplicates_inside_one_batch_keep_the_first_copy(writer):
    result = writer.land([landed("e1", 5), landed("e1", 3), landed("e1", 3)], [], {})
    assert (result.contacts, result.duplicates) == (1, 1)
    assert count(writer, "SELECT origin_offset FROM core.contacts") == 3


def test_offsets_commit_with_rows_and_roll_back_with_them(writer):
    writer.land([landed("e1", 1)], [], {("contact.events", 0): 2})
    assert writer.positions() == {("contact.events", 0): 2}
    broken = landed("e2", 2)
    object.__setattr__(broken, "payload_bytes", "not a number")
    with pytest.raises(Exception):  # noqa: B017 - any failure must roll back everything
        writer.land([broken], [], {("contact.events", 0): 3})
    assert writer.positions() == {("contact.events", 0): 2}
    assert count(writer, "SELECT count(*) FROM core.contacts") == 1


def test_dead_letters_land_once_without_payload(writer):
    letter = dead_letter(
        "bad_json", "Expecting value", Origin("contact.raw", 1, 7), b"BSN 123456782"
    )
    writer.land([], [letter], {})
    writer.land([], [letter], {})
    rows = writer.con.execute("SELECT reason, payload_bytes FROM core.dead_letters").fetchall()
    assert rows == [("bad_json", 13)]
    assert "123456782" not in json.dumps(
        writer.con.execute("SELECT * FROM core.dead_letters").fetchall(), default=str
    )


def test_day_and_week_are_in_amsterdam_time(writer):
    writer.land([landed("late", 1, day="2026-11-22")], [], {})
    day, week = writer.con.execute(
        "SELECT occurred_day::VARCHAR, occurred_week FROM core.contacts"
    ).fetchone()
    # 23:30 UTC on Sunday 22 November is Monday 23 November in Amsterdam: a new ISO week.
    assert (day, week) == ("2026-11-23", "2026-W48")


def test_snapshot_has_marts_with_small_cells_suppressed(writer, tmp_path):
    batch = [landed(f"li{i}", i) for i in range(7)] + [
        landed(f"gr{i}", 100 + i, region="NL-GR") for i in range(3)
    ]
    writer.land(batch, [], {})
    snapshot = writer.snapshot(tmp_path / "snap" / "s.duckdb")
    reader = duckdb.connect(str(snapshot), read_only=True)
    rows = dict(reader.execute("SELECT region, contacts FROM marts.daily_contacts").fetchall())
    assert rows == {"NL-LI": 7, "NL-GR": None}
    schemas = {r[0] for r in reader.execute("SELECT schema_name FROM duckdb_tables()").fetchall()}
    assert schemas == {"marts", "ops"}
    tables = {r[0] for r in reader.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "contact_theme_facts" not in tables
