"""The batch path: history or a demo file through the same core as the stream, without Kafka.

validate → redact → embed → assign → land, then the theme jobs by event time.
Each input line's position is its origin, so running the same file twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import duckdb

from pipeline.dead_letter import Origin, dead_letter
from pipeline.enrich import Enricher
from pipeline.normalise import Accepted, accept
from pipeline.settings import Settings
from pipeline.theme_schedule import ScheduleLog, ThemeSchedule
from pipeline.warehouse.writer import LandedContact, WarehouseWriter

CHUNK = 512


@dataclass
class BackfillReport:
    contacts: int
    dead_letters: int
    duplicates: int
    schedule: ScheduleLog


def read_lines(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip(b"\r\n")


def backfill(
    records: Iterable[bytes],
    source: str,
    writer: WarehouseWriter,
    enricher: Enricher,
    schedule: ThemeSchedule | None,
    max_text_bytes: int,
    progress: Callable[[int], None] | None = None,
) -> BackfillReport:
    contacts = letters = duplicates = 0
    numbered = enumerate(records)
    while chunk := list(islice(numbered, CHUNK)):
        accepted, rejected = [], []
        for line_no, raw in chunk:
            origin = Origin(f"file:{source}", 0, line_no)
            outcome = accept(raw, max_text_bytes)
            if isinstance(outcome, Accepted):
                accepted.append((outcome.event, origin, len(raw)))
            else:
                rejected.append(
                    dead_letter(outcome.reason, outcome.detail, origin, raw, outcome.event_id)
                )
        enriched = enricher.enrich([event for event, _, _ in accepted])
        rows = [
            LandedContact(contact.event, origin, size, contact.enrichment)
            for contact, (_, origin, size) in zip(enriched, accepted, strict=True)
        ]
        result = writer.land(rows, rejected, {})
        contacts += result.contacts
        letters += result.dead_letters
        duplicates += result.duplicates
        if schedule is not None:
            schedule.advance()
        if progress is not None:
            progress(len(chunk))
    if schedule is not None:
        schedule.advance(final=True)
    return BackfillReport(
        contacts, letters, duplicates, schedule.log if schedule else ScheduleLog()
    )


def open_for_backfill(settings: Settings) -> tuple[WarehouseWriter, Enricher, ThemeSchedule]:
    from pipeline.warehouse.database import open_warehouse
    from pipeline.worker import load_enricher

    con: duckdb.DuckDBPyConnection = open_warehouse(settings.duckdb_path)
    return WarehouseWriter(con), load_enricher(settings), ThemeSchedule(con, settings)
