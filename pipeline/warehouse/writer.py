"""The one warehouse writer: lands batches exactly once and publishes snapshots.

Kafka delivers at least once. The writer turns that into exactly-once landing by
keeping its consumer position in DuckDB, in the same transaction as the rows, and
by treating `event_id` as the primary key. For an `event_id` that is already landed
(or an earlier copy in the same batch):

- the same Kafka origin is a replay: ignored;
- another origin with the same content (`ContactEvent.content_hash`, which leaves out
  `received_at`) is a re-delivery, such as a source run twice over the same input:
  ignored, and counted in `LandingResult.redelivered`;
- another origin with other content reuses the id for another contact: a
  `duplicate_event_id` dead letter, so nothing is silently dropped.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.contract.dead_letter import DeadLetter, Origin
from pipeline.contract.enriched import Enrichment
from pipeline.contract.schema import ContactEvent
from pipeline.warehouse.theme_store import transaction, write_contact_themes

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The analysts' snapshot holds the marts and ops views, materialised; the per-contact
# building block stays behind, and so do core and the restricted staging layer.
SNAPSHOT_SCHEMAS = ("marts", "ops")
SNAPSHOT_EXCLUDED = frozenset({"marts.contact_theme_facts", "marts.contact_facet_facts"})


@dataclass(frozen=True)
class LandedContact:
    event: ContactEvent
    origin: Origin
    payload_bytes: int
    # Present once the contact is redacted and embedded; only then may its text land.
    enrichment: Enrichment | None = None


@dataclass(frozen=True)
class LandingResult:
    contacts: int
    duplicates: int
    dead_letters: int
    # Same event_id and content from another origin: skipped without a dead letter.
    redelivered: int = 0


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.astimezone(AMSTERDAM).isocalendar()
    return f"{year}-W{week:02d}"


def _contacts_table(contacts: Sequence[LandedContact], landed_at: datetime) -> pa.Table:
    rows = []
    for item in contacts:
        e = item.event
        local = e.occurred_at.astimezone(AMSTERDAM)
        rows.append(
            {
                "event_id": e.event_id,
                "occurred_at": e.occurred_at,
                "occurred_day": local.date(),
                "occurred_week": iso_week(e.occurred_at),
                "received_at": e.received_at,
                "source": e.source,
                "channel": e.channel,
                "direction": e.direction,
                "language": e.language,
                "province": e.province,
                "sector": e.sector,
                "union_unit": e.union_unit,
                "service_line": e.service_line,
                "origin_topic": item.origin.topic,
                "origin_partition": item.origin.partition,
                "origin_offset": item.origin.offset,
                "landed_at": landed_at,
                "payload_bytes": item.payload_bytes,
                "content_hash": e.content_hash(),
                **_enrichment_columns(item),
            }
        )
    return pa.Table.from_pylist(rows, schema=_CONTACT_SCHEMA)


_TS = pa.timestamp("us", tz="UTC")
_CONTACT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("occurred_at", _TS),
        ("occurred_day", pa.date32()),
        ("occurred_week", pa.string()),
        ("received_at", _TS),
        ("source", pa.string()),
        ("channel", pa.string()),
        ("direction", pa.string()),
        ("language", pa.string()),
        ("province", pa.string()),
        ("sector", pa.string()),
        ("union_unit", pa.string()),
        ("service_line", pa.string()),
        ("origin_topic", pa.string()),
        ("origin_partition", pa.int32()),
        ("origin_offset", pa.int64()),
        ("landed_at", _TS),
        ("payload_bytes", pa.int64()),
        ("content_hash", pa.binary()),
        ("enriched", pa.bool_()),
        ("subject", pa.string()),
        ("text", pa.string()),
        ("redactions", pa.int32()),
        ("embedding", pa.list_(pa.float32())),
        ("embedding_model", pa.string()),
        ("theme_id", pa.string()),
        ("similarity", pa.float64()),
        ("facet_id", pa.string()),
    ]
)
_ENRICHMENT_COLUMNS = (
    "enriched",
    "subject",
    "text",
    "redactions",
    "embedding",
    "embedding_model",
    "theme_id",
    "similarity",
    "facet_id",
)


def _enrichment_columns(item: LandedContact) -> dict:
    e = item.enrichment
    if e is None:
        return dict.fromkeys(_ENRICHMENT_COLUMNS) | {"enriched": False}
    return {
        "enriched": True,
        "subject": item.event.subject,
        "text": item.event.text,
        "redactions": e.redactions,
        "embedding": e.embedding.astype(np.float32),
        "embedding_model": e.embedding_model,
        "theme_id": e.theme_id,
        "similarity": e.similarity,
        "facet_id": e.facet_id,
    }


_DEAD_LETTER_SCHEMA = pa.schema(
    [
        ("origin_topic", pa.string()),
        ("origin_partition", pa.int32()),
        ("origin_offset", pa.int64()),
        ("event_id", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("payload_bytes", pa.int64()),
        ("failed_at", _TS),
    ]
)

_LAND_CONTACTS = """
CREATE OR REPLACE TEMP TABLE incoming AS
WITH copies AS (
    SELECT *,
           row_number() OVER copy AS copy_number,
           first_value(content_hash) OVER copy AS first_hash,
           first_value(origin_topic || '/' || origin_partition || '/' || origin_offset)
               OVER copy AS first_origin
    FROM (SELECT DISTINCT ON (event_id, origin_topic, origin_partition, origin_offset) *
          FROM contact_batch)
    WINDOW copy AS (PARTITION BY event_id ORDER BY origin_topic, origin_partition, origin_offset)
)
SELECT i.*,
       c.origin_topic || '/' || c.origin_partition || '/' || c.origin_offset AS landed_origin,
       CASE
           WHEN c.event_id IS NULL AND i.copy_number = 1 THEN 'fresh'
           WHEN c.event_id IS NULL AND i.content_hash = i.first_hash THEN 'redelivery'
           WHEN c.event_id IS NULL THEN 'conflict_in_batch'
           WHEN (c.origin_topic, c.origin_partition, c.origin_offset)
              = (i.origin_topic, i.origin_partition, i.origin_offset) THEN 'replay'
           WHEN c.content_hash = i.content_hash THEN 'redelivery'
           WHEN c.content_hash IS NULL THEN 'unknown_content'
           ELSE 'conflict'
       END AS verdict
FROM copies i LEFT JOIN core.contacts c USING (event_id);

INSERT INTO core.dead_letters
SELECT origin_topic, origin_partition, origin_offset, event_id, 'duplicate_event_id',
       CASE verdict
           WHEN 'conflict' THEN
               'event_id reused with other content; already landed from ' || landed_origin
           WHEN 'conflict_in_batch' THEN
               'event_id reused with other content; an earlier record in the same batch ('
               || first_origin || ') lands'
           ELSE 'event_id already landed from ' || landed_origin
               || ' before content hashes were kept; content not compared'
       END,
       payload_bytes, landed_at
FROM incoming
WHERE verdict IN ('conflict', 'conflict_in_batch', 'unknown_content')
ON CONFLICT DO NOTHING;

CREATE OR REPLACE TEMP TABLE fresh AS SELECT * FROM incoming WHERE verdict = 'fresh';

INSERT INTO core.contacts BY NAME
SELECT * EXCLUDE (copy_number, first_hash, first_origin, landed_origin, verdict, payload_bytes,
                  enriched, subject, text, redactions, embedding, embedding_model, theme_id,
                  similarity, facet_id),
       marts.record_key(event_id) AS record_key
FROM fresh;

INSERT INTO staging.contact_texts BY NAME
SELECT event_id, occurred_at, subject, text, redactions, embedding, embedding_model, landed_at
FROM fresh WHERE enriched;
"""
# Each enriched contact lands with the theme the worker gave it (`theme_store.write_contact_themes`).
_ONLINE_THEMES = """(SELECT event_id, theme_id, similarity, 'online' AS assigned_by,
                            landed_at AS assigned_at, facet_id FROM fresh WHERE enriched)"""


class WarehouseWriter:
    """Lands batches in one DuckDB transaction each; owns the read-write connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        # One DuckDB thread: a landed batch is tens of rows and a snapshot a few thousand, and
        # waking further threads for that costs more CPU than it saves, CPU the encoder on the
        # same machine needs (docs/performance.md: a third less to land, a fifth less to
        # snapshot; 1,000-row batches land as fast). Set once: switching costs ~2 ms.
        con.execute("SET threads = 1")

    def positions(self) -> dict[tuple[str, int], int]:
        """Next offset to read per (topic, partition), as committed with the rows."""
        rows = self.con.execute(
            "SELECT topic, partition, next_offset FROM core.consumer_offsets"
        ).fetchall()
        return {(topic, partition): offset for topic, partition, offset in rows}

    def land(
        self,
        contacts: Sequence[LandedContact],
        dead_letters: Sequence[DeadLetter],
        positions: Mapping[tuple[str, int], int],
    ) -> LandingResult:
        now = datetime.now(UTC)
        con = self.con
        redelivered = 0
        before = self._counts()
        with transaction(con):
            if contacts:
                con.register("contact_batch", _contacts_table(contacts, now))
                con.execute(_LAND_CONTACTS)
                write_contact_themes(con, _ONLINE_THEMES)
                con.unregister("contact_batch")
                redelivered = con.execute(
                    "SELECT count(*) FROM incoming WHERE verdict = 'redelivery'"
                ).fetchone()[0]
            if dead_letters:
                con.register("dead_letter_batch", _dead_letter_table(dead_letters))
                con.execute(
                    "INSERT INTO core.dead_letters SELECT * FROM dead_letter_batch"
                    " ON CONFLICT DO NOTHING"
                )
                con.unregister("dead_letter_batch")
            if positions:
                # One statement for all partitions: executemany runs one per row.
                keys, offsets = zip(*positions.items(), strict=True)
                con.execute(
                    "INSERT OR REPLACE INTO core.consumer_offsets"
                    " SELECT unnest(?), unnest(?), unnest(?), ?",
                    [[t for t, _ in keys], [p for _, p in keys], list(offsets), now],
                )
        after = self._counts()
        duplicates = after[2] - before[2]
        return LandingResult(
            after[0] - before[0], duplicates, after[1] - before[1] - duplicates, redelivered
        )

    def landed_origins(self, event_ids: Sequence[str]) -> dict[str, Origin]:
        """The origin each of these event ids landed from; ids not landed yet are absent."""
        if not event_ids:
            return {}
        rows = self.con.execute(
            "SELECT event_id, origin_topic, origin_partition, origin_offset FROM core.contacts"
            " WHERE event_id IN (SELECT unnest(?))",
            [list(event_ids)],
        ).fetchall()
        return {event_id: Origin(topic, part, offset) for event_id, topic, part, offset in rows}

    def snapshot(self, target: Path) -> Path:
        """Publish a read-only copy for analysts: the marts and ops views as tables.

        Written to a temporary file and renamed, so a reader opens either the old
        or the new snapshot, never a half-written one, and never meets a lock.
        """
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.unlink(missing_ok=True)
        con = self.con
        main = con.execute("SELECT current_database()").fetchone()[0]
        views = [
            (f"{schema}.{name}", comment)
            for schema, name, comment in con.execute(
                "SELECT schema_name, view_name, comment FROM duckdb_views() WHERE database_name = ?"
                " AND schema_name IN (SELECT unnest(?)) ORDER BY ALL",
                [main, list(SNAPSHOT_SCHEMAS)],
            ).fetchall()
            if f"{schema}.{name}" not in SNAPSHOT_EXCLUDED
        ]
        con.execute(f"ATTACH '{tmp}' AS snapshot")
        try:
            # One transaction: the file is written once, not once per table.
            with transaction(con):
                for schema in SNAPSHOT_SCHEMAS:
                    con.execute(f"CREATE SCHEMA snapshot.{schema}")
                for view, comment in views:
                    con.execute(f'CREATE TABLE snapshot.{view} AS SELECT * FROM "{main}".{view}')
                    if comment:
                        quoted = comment.replace("'", "''")
                        con.execute(f"COMMENT ON TABLE snapshot.{view} IS '{quoted}'")
        finally:
            con.execute("DETACH snapshot")
        os.replace(tmp, target)
        return target

    def _counts(self) -> tuple[int, int, int]:
        """Contacts, dead letters, and those of them that are duplicates: one query."""
        return self.con.execute(
            "SELECT (SELECT count(*) FROM core.contacts), (SELECT count(*) FROM core.dead_letters),"
            " (SELECT count(*) FROM core.dead_letters WHERE reason = 'duplicate_event_id')"
        ).fetchone()


def _dead_letter_table(dead_letters: Sequence[DeadLetter]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "origin_topic": d.origin.topic,
                "origin_partition": d.origin.partition,
                "origin_offset": d.origin.offset,
                "event_id": d.event_id,
                "reason": d.reason,
                "detail": d.detail,
                "payload_bytes": len(d.original),
                "failed_at": d.failed_at,
            }
            for d in dead_letters
        ],
        schema=_DEAD_LETTER_SCHEMA,
    )
