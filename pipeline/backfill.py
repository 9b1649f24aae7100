"""The batch path: history or a demo file through the same core as the stream, without Kafka.

validate → redact → embed → assign → land, then the theme jobs by event time.
Each input line's position is its origin, so running the same file twice adds nothing.
An event whose id has landed already is not redacted or encoded again: from the same
line it is a replay and is skipped outright; from another line (an edited or another
file) it is only redacted, so that the writer can compare its content with what
landed (a re-delivery is ignored, other content under that id is a dead letter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import duckdb

from pipeline.contract.dead_letter import Origin, dead_letter
from pipeline.enrich import Enricher, enricher_from_settings
from pipeline.normalise import Accepted, accept
from pipeline.settings import Settings
from pipeline.themes.discovery_encoder import CachedDiscoveryEncoder, discovery_encoder
from pipeline.themes.files import ThemeFiles, theme_grouping
from pipeline.themes.schedule import ScheduleLog, ThemeSchedule
from pipeline.warehouse.writer import LandedContact, WarehouseWriter

CHUNK = 512


@dataclass
class BackfillReport:
    contacts: int
    dead_letters: int
    duplicates: int
    schedule: ScheduleLog
    # Valid events whose event_id had landed already: not redacted or encoded again.
    skipped: int = 0


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
    contacts = letters = duplicates = skipped = 0
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
        landed = writer.landed_origins([event.event_id for event, _, _ in accepted])
        new = [item for item in accepted if item[0].event_id not in landed]
        skipped += len(accepted) - len(new)
        enriched = enricher.enrich([event for event, _, _ in new])
        rows = [
            LandedContact(contact.event, origin, size, contact.enrichment)
            for contact, (_, origin, size) in zip(enriched, new, strict=True)
        ]
        # The writer never lands these; it only needs their content as it would have landed.
        rows += [
            LandedContact(enricher.redact(event)[0], origin, size)
            for event, origin, size in accepted
            if event.event_id in landed and landed[event.event_id] != origin
        ]
        result = writer.land(rows, rejected, {})
        contacts += result.contacts
        letters += result.dead_letters
        duplicates += result.duplicates
        # Like the sink: the theme jobs run only once new contacts landed, so a re-run
        # of a file that has landed already changes nothing (no refit, no births).
        if schedule is not None and result.contacts:
            schedule.advance()
        if progress is not None:
            progress(len(chunk))
    if schedule is not None and contacts:
        schedule.advance(final=True)
    return BackfillReport(
        contacts, letters, duplicates, schedule.log if schedule else ScheduleLog(), skipped
    )


def discovery_encoder_from_settings(settings: Settings) -> CachedDiscoveryEncoder | None:
    """The refit's discovery encoder the settings name, checked now; None: the stream's."""
    return discovery_encoder(
        settings.discovery_model,
        settings.embedding_model,
        backend=settings.embedding_backend,
        variant=settings.embedding_variant,
        threads=settings.encode_threads or None,
        models_dir=settings.models_dir,
        cache_root=settings.embedding_cache_dir,
        batch_size=settings.encode_batch_size,
    )


def open_for_backfill(settings: Settings) -> tuple[WarehouseWriter, Enricher, ThemeSchedule]:
    """The warehouse writer, the enricher and the theme jobs of `settings`. Raises
    `DiscoveryModelUnavailable` before opening anything when the discovery model named in
    the settings could not be used at a refit."""
    from pipeline.warehouse.database import open_warehouse

    discovery = discovery_encoder_from_settings(settings)
    con: duckdb.DuckDBPyConnection = open_warehouse(settings.duckdb_path)
    enricher = enricher_from_settings(settings)
    files = ThemeFiles(
        settings.themes_dir,
        settings.data_dir / "taxonomy.yaml",
        theme_grouping(settings.theme_tree),
        phrase_encoder=enricher.encoder.encode,
        discovery_encoder=discovery,
    )
    return WarehouseWriter(con), enricher, ThemeSchedule(con, files)
