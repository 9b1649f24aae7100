"""Backfill re-runs: an event whose id has landed is not encoded again, and nothing changes."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from pipeline.backfill import CHUNK, backfill
from pipeline.enrich import Enricher
from pipeline.redaction import Redactor
from pipeline.simulator.generator import simulate
from pipeline.simulator.scenario import load_scenario
from pipeline.themes.schedule import ScheduleLog
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import WarehouseWriter
from topics.model import ThemeModelWatcher

MAX_TEXT_BYTES = 64 * 1024


class CountingEncoder:
    model_id, model_version = "counting", "1"

    def __init__(self) -> None:
        self.encoded = 0

    def encode(self, texts, batch_size: int = 64) -> np.ndarray:
        self.encoded += len(texts)
        return np.ones((len(texts), 4), dtype=np.float32)


class RecordingSchedule:
    def __init__(self) -> None:
        self.log = ScheduleLog()
        self.calls: list[bool] = []

    def advance(self, final: bool = False) -> list:
        self.calls.append(final)
        return []


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


@pytest.fixture(scope="module")
def events() -> list[dict]:
    # Over one chunk, so the skip works across chunks.
    scenario = replace(load_scenario("baseline"), per_working_day=(CHUNK + 100) // 3)
    return [event for event, _ in simulate(scenario, date(2026, 11, 2), 3, 11)]


def lines(events: list[dict]) -> list[bytes]:
    return [json.dumps(event, ensure_ascii=False).encode() for event in events]


def state(writer: WarehouseWriter) -> dict[str, list]:
    """Everything backfill writes: a re-run must leave it identical."""
    return {
        table: writer.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        for table in (
            "core.contacts",
            "core.dead_letters",
            "core.contact_themes",
            "staging.contact_texts",
        )
    }


def run(writer, encoder, redactor, tmp_path, records, source="history.jsonl"):
    enricher = Enricher(redactor, encoder, ThemeModelWatcher(tmp_path / "themes"))
    schedule = RecordingSchedule()
    report = backfill(records, source, writer, enricher, schedule, MAX_TEXT_BYTES)
    return report, schedule


def test_a_second_backfill_of_the_same_file_encodes_and_changes_nothing(
    tmp_path: Path, redactor, events
):
    writer = WarehouseWriter(open_warehouse(tmp_path / "w.duckdb"))
    encoder = CountingEncoder()
    first, _ = run(writer, encoder, redactor, tmp_path, lines(events))
    assert len(events) > CHUNK
    assert (first.contacts, first.dead_letters, first.duplicates, first.skipped) == (
        len(events),
        0,
        0,
        0,
    )
    assert encoder.encoded == len(events)
    before = state(writer)

    second, schedule = run(writer, encoder, redactor, tmp_path, lines(events))
    assert encoder.encoded == len(events)  # nothing encoded the second time
    assert (second.contacts, second.dead_letters, second.duplicates, second.skipped) == (
        0,
        0,
        0,
        len(events),
    )
    assert schedule.calls == []  # no theme jobs for a run that landed nothing
    assert state(writer) == before


def test_a_backfill_from_another_file_compares_content_without_encoding(
    tmp_path: Path, redactor, events
):
    writer = WarehouseWriter(open_warehouse(tmp_path / "w.duckdb"))
    encoder = CountingEncoder()
    run(writer, encoder, redactor, tmp_path, lines(events[:10]))
    encoded = encoder.encoded
    changed = {**events[1], "text": events[1]["text"] + " En nog iets anders."}
    other = [events[0], changed, events[10]]  # same, id reused for other content, new

    report, schedule = run(writer, encoder, redactor, tmp_path, lines(other), "other.jsonl")
    assert encoder.encoded == encoded + 1  # only the new event
    assert (report.contacts, report.duplicates, report.dead_letters, report.skipped) == (
        1,
        1,
        0,
        2,
    )
    assert schedule.calls and schedule.calls[-1] is True
    rows = writer.con.execute(
        "SELECT origin_topic, origin_offset, event_id, reason, detail FROM core.dead_letters"
    ).fetchall()
    [(topic, offset, event_id, reason, detail)] = rows
    assert (topic, offset, event_id, reason) == (
        "file:other.jsonl",
        1,
        events[1]["event_id"],
        "duplicate_event_id",
    )
    assert "other content" in detail and "file:history.jsonl/0/1" in detail
