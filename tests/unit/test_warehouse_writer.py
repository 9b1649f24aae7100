import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from pipeline.contract.dead_letter import Origin, dead_letter
from pipeline.disclosure import NOISE_BOUND
from pipeline.normalise import accept
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import LandedContact, WarehouseWriter


def event(event_id: str, province: str = "NL-LI", day: str = "2026-11-20"):
    raw = {
        "event_id": event_id,
        "occurred_at": f"{day}T23:30:00+00:00",
        "source": "test",
        "channel": "chat",
        "text": "vraag",
        "province": province,
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


def test_same_id_and_content_from_another_origin_is_a_harmless_redelivery(writer):
    writer.land([landed("e1", 1)], [], {})
    # A source run twice: new Kafka records, a later received_at, the same contact.
    again = replace(event("e1"), received_at=datetime(2027, 1, 1, tzinfo=UTC))
    result = writer.land(
        [LandedContact(again, Origin("contact.raw", 2, 9), 100), landed("e2", 10)], [], {}
    )
    assert (result.contacts, result.duplicates, result.dead_letters) == (1, 0, 0)
    assert result.redelivered == 1
    assert count(writer, "SELECT count(*) FROM core.dead_letters") == 0
    assert count(writer, "SELECT origin_offset FROM core.contacts WHERE event_id = 'e1'") == 1


def test_same_id_with_other_content_is_a_dead_letter(writer):
    writer.land([landed("e1", 1)], [], {})
    result = writer.land([landed("e1", 9, partition=2, province="NL-GR"), landed("e2", 10)], [], {})
    assert (result.contacts, result.duplicates, result.redelivered) == (1, 1, 0)
    row = writer.con.execute(
        "SELECT origin_partition, origin_offset, event_id, reason, detail FROM core.dead_letters"
    ).fetchone()
    assert row[:4] == (2, 9, "e1", "duplicate_event_id")
    assert "other content" in row[4] and "contact.raw/0/1" in row[4]
    assert count(writer, "SELECT count(*) FROM core.contacts WHERE province = 'NL-GR'") == 0
    # A replay of the conflicting record adds no second dead letter.
    writer.land([landed("e1", 9, partition=2, province="NL-GR")], [], {})
    assert count(writer, "SELECT count(*) FROM core.dead_letters") == 1


def test_duplicates_inside_one_batch_keep_the_first_copy(writer):
    batch = [landed("e1", 5), landed("e1", 3), landed("e1", 3), landed("e1", 4, province="NL-GR")]
    result = writer.land(batch, [], {})
    assert (result.contacts, result.duplicates, result.redelivered) == (1, 1, 1)
    assert count(writer, "SELECT origin_offset FROM core.contacts") == 3
    offset, detail = writer.con.execute(
        "SELECT origin_offset, detail FROM core.dead_letters"
    ).fetchone()
    assert offset == 4 and "other content" in detail and "contact.raw/0/3" in detail


def test_rows_landed_before_content_hashes_still_dead_letter_a_duplicate(writer):
    writer.land([landed("e1", 1)], [], {})
    writer.con.execute("UPDATE core.contacts SET content_hash = NULL")
    result = writer.land([landed("e1", 2)], [], {})
    assert (result.contacts, result.duplicates, result.redelivered) == (0, 1, 0)
    detail = count(writer, "SELECT detail FROM core.dead_letters")
    assert "content not compared" in detail


def test_a_warehouse_without_the_hash_column_gets_it_on_open(tmp_path):
    path = tmp_path / "old.duckdb"
    con = open_warehouse(path)
    con.execute("ALTER TABLE core.contacts DROP COLUMN content_hash")
    con.close()
    writer = WarehouseWriter(open_warehouse(path))
    assert writer.land([landed("e1", 1)], [], {}).contacts == 1
    assert count(writer, "SELECT count(content_hash) FROM core.contacts") == 1


def test_each_contact_lands_with_the_record_key_of_the_salt(writer):
    writer.land([landed("e1", 1), landed("e2", 2)], [], {})
    stored = writer.con.execute("SELECT event_id, record_key FROM core.contacts").fetchall()
    computed = writer.con.execute(
        "SELECT event_id, marts.record_key(event_id) FROM core.contacts"
    ).fetchall()
    assert sorted(stored) == sorted(computed) and len({key for _, key in stored}) == 2


def test_contacts_landed_before_record_keys_were_kept_get_them_on_open(tmp_path):
    path = tmp_path / "old.duckdb"
    writer = WarehouseWriter(open_warehouse(path))
    writer.land([landed("e1", 1), landed("e2", 2)], [], {})
    writer.con.execute("ALTER TABLE core.contacts DROP COLUMN record_key")
    writer.con.close()
    con = open_warehouse(path)
    rows = con.execute(
        "SELECT record_key, marts.record_key(event_id) FROM core.contacts"
    ).fetchall()
    assert len(rows) == 2 and all(stored == computed for stored, computed in rows)


def test_positions_of_several_partitions_commit_together(writer):
    positions = {("contact.enriched", 0): 2, ("contact.enriched", 3): 9, ("contact.dlq", 1): 4}
    writer.land([landed("e1", 1)], [], positions)
    writer.land([], [], {("contact.enriched", 3): 12})
    assert writer.positions() == positions | {("contact.enriched", 3): 12}


def test_landed_origins_names_only_landed_ids(writer):
    writer.land([landed("e1", 1), landed("e2", 2, partition=3)], [], {})
    assert writer.landed_origins(["e2", "e9"]) == {"e2": Origin("contact.raw", 3, 2)}
    assert writer.landed_origins([]) == {}


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


def test_snapshot_has_marts_with_small_cells_left_out(writer, tmp_path):
    batch = [landed(f"li{i}", i) for i in range(7)] + [
        landed(f"gr{i}", 100 + i, province="NL-GR") for i in range(3)
    ]
    writer.land(batch, [], {})
    snapshot = writer.snapshot(tmp_path / "snap" / "s.duckdb")
    reader = duckdb.connect(str(snapshot), read_only=True)
    rows = dict(reader.execute("SELECT province, contacts FROM marts.daily_contacts").fetchall())
    # 7 contacts are published within the noise bound; 3 are left out, not listed as NULL.
    assert set(rows) == {"NL-LI"} and abs(rows["NL-LI"] - 7) <= NOISE_BOUND
    schemas = {r[0] for r in reader.execute("SELECT schema_name FROM duckdb_tables()").fetchall()}
    assert schemas == {"marts", "ops"}
    tables = {r[0] for r in reader.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "contact_theme_facts" not in tables and "contact_facet_facts" not in tables
    # No per-contact building block reaches the snapshot, whatever its name.
    per_contact = reader.execute(
        "SELECT table_name FROM duckdb_columns() WHERE column_name IN ('event_id', 'record_key')"
    ).fetchall()
    assert per_contact == []
