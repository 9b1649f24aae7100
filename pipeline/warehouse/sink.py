"""The Kafka → DuckDB sink: a thin consumer loop around `WarehouseWriter`.

It assigns itself every partition of its topics (there is one writer, so no
consumer group and no rebalance), seeks to the positions stored in DuckDB, and
lands each polled batch in one transaction together with the new positions.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from pipeline.contract.codec import UndecodableRecord, decode_event
from pipeline.contract.dead_letter import DeadLetter, Origin, dead_letter
from pipeline.contract.enriched import decode_enriched
from pipeline.contract.headers import origin_of
from pipeline.kafka_topics import DLQ, ENRICHED
from pipeline.themes.schedule import ThemeSchedule
from pipeline.warehouse.retention import purge_staging
from pipeline.warehouse.writer import LandedContact, LandingResult, WarehouseWriter
from topics.emergence import Alert


@dataclass
class SinkStats:
    contacts: int = 0
    duplicates: int = 0
    dead_letters: int = 0
    redelivered: int = 0
    batches: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, result: LandingResult) -> None:
        self.contacts += result.contacts
        self.duplicates += result.duplicates
        self.dead_letters += result.dead_letters
        self.redelivered += result.redelivered
        self.batches += 1


def decode_batch(records: Iterable) -> tuple[list[LandedContact], list[DeadLetter]]:
    """Kafka records of `contact.enriched` (or `contact.events`) and `contact.dlq` → rows.

    Each record is decoded once, into the typed rows the writer lands. The schema was
    checked at the door (`validate`) and is not checked again; a record that cannot be
    decoded (a malformed header, a dead letter whose partition is "abc", a value that is no
    record at all) becomes a dead letter here, so its offset moves on with the batch and the
    sink never fails on it again after a restart.
    """
    contacts: list[LandedContact] = []
    letters: list[DeadLetter] = []
    for record in records:
        here = Origin(record.topic, record.partition, record.offset)
        try:
            if record.topic == DLQ:
                letters.append(DeadLetter.from_json(record.value))
            else:
                contacts.append(_landed(record, origin_of(record.headers, here)))
        except UndecodableRecord as error:
            letters.append(dead_letter(error.reason, error.detail, here, record.value or b""))
    return contacts, letters


def _landed(record: Any, origin: Origin) -> LandedContact:
    if record.topic == ENRICHED:
        enriched = decode_enriched(record.value)
        return LandedContact(enriched.event, origin, len(record.value), enriched.enrichment)
    return LandedContact(decode_event(record.value), origin, len(record.value))


PURGE_EVERY_S = 24 * 3600
# A snapshot re-materialises every mart, so its cost grows with the warehouse (0.6 s at
# 10,000 contacts, most of it the drill-down cube); at a fixed one-second cadence it would
# end up taking the sink's whole core. Waiting at least this many times the last snapshot's
# duration caps it near a quarter. 5 (a sixth) cost 3 s of p95 latency at 50 contacts/s.
SNAPSHOT_MAX_SHARE_INVERSE = 3


def next_snapshot_gap(snapshot_every: float, last_duration: float) -> float:
    """Seconds to wait after a snapshot before the next one: the configured interval, or
    longer when snapshots have become expensive."""
    return max(snapshot_every, SNAPSHOT_MAX_SHARE_INVERSE * last_duration)


class WarehouseSink:
    def __init__(
        self,
        writer: WarehouseWriter,
        bootstrap: str,
        topics: tuple[str, ...] = (ENRICHED, DLQ),
        snapshot_path: Path | None = None,
        snapshot_every: float = 5.0,
        max_records: int = 5000,
        schedule: ThemeSchedule | None = None,
        alerts: Callable[[list[Alert]], None] | None = None,
        retention_days: int | None = None,
        kafka_config: dict[str, Any] | None = None,
    ) -> None:
        self.retention_days = retention_days
        self.writer = writer
        self.schedule = schedule
        self.alerts = alerts
        self.topics = topics
        self.snapshot_path = snapshot_path
        self.snapshot_every = snapshot_every
        self.max_records = max_records
        self.stats = SinkStats()
        self._stop = threading.Event()
        self._consumer = KafkaConsumer(
            bootstrap_servers=bootstrap,
            enable_auto_commit=False,
            group_id=None,
            max_poll_records=max_records,
            fetch_max_bytes=64 * 1024 * 1024,
            # Fewer, fuller fetches while contacts trickle in: at most a quarter second later.
            fetch_min_bytes=64 * 1024,
            fetch_max_wait_ms=250,
            **(kafka_config or {}),  # security: pipeline/kafka_security.py
        )
        self._assign()

    def _assign(self) -> None:
        partitions = [
            TopicPartition(topic, p)
            for topic in self.topics
            for p in sorted(self._consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            raise RuntimeError(
                f"none of the topics {self.topics} exist; run `ledenradar kafka start`"
            )
        self._consumer.assign(partitions)
        stored = self.writer.positions()
        for tp in partitions:
            position = stored.get((tp.topic, tp.partition))
            if position is None:
                self._consumer.seek_to_beginning(tp)
            else:
                self._consumer.seek(tp, position)

    def poll_once(self, timeout_ms: int = 500) -> LandingResult | None:
        polled = self._consumer.poll(timeout_ms=timeout_ms, max_records=self.max_records)
        if not polled:
            return None
        records = [record for batch in polled.values() for record in batch]
        contacts, letters = decode_batch(records)
        positions = {(tp.topic, tp.partition): batch[-1].offset + 1 for tp, batch in polled.items()}
        result = self.writer.land(contacts, letters, positions)
        self.stats.add(result)
        if self.schedule is not None and result.contacts:
            self._publish(self.schedule.advance())
        return result

    def _publish(self, fresh: list[Alert]) -> None:
        if fresh and self.alerts is not None:
            self.alerts(fresh)

    def run(self, idle_exit_after: float | None = None) -> SinkStats:
        """Land until stopped (SIGTERM/SIGINT), or until idle for `idle_exit_after` seconds."""
        last_data = last_snapshot = time.monotonic()
        snapshot_gap = self.snapshot_every
        last_purge = None
        dirty = False
        while not self._stop.is_set():
            result = self.poll_once()
            now = time.monotonic()
            if self.retention_days is not None and (
                last_purge is None or now - last_purge >= PURGE_EVERY_S
            ):
                if purge_staging(self.writer.con, self.retention_days):
                    dirty = True  # erased quotes must leave the analysts' snapshot too
                last_purge = now
            if result is not None:
                last_data, dirty = now, True
            if self.snapshot_path and dirty and now - last_snapshot >= snapshot_gap:
                self.writer.snapshot(self.snapshot_path)
                last_snapshot, dirty = time.monotonic(), False
                snapshot_gap = next_snapshot_gap(self.snapshot_every, last_snapshot - now)
            if idle_exit_after is not None and now - last_data >= idle_exit_after:
                break
        if self.schedule is not None:
            self._publish(self.schedule.advance(final=True))
            dirty = True
        if self.snapshot_path and dirty:
            self.writer.snapshot(self.snapshot_path)
        self._consumer.close()
        return self.stats

    def stop(self) -> None:
        self._stop.set()

    def stop_on_signals(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stop())
