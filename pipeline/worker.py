"""The faust worker: thin agents over the pure steps in `pipeline.ingest` and `pipeline.enrich`.

Run with `ledenradar worker`. Processing is at-least-once; the warehouse writer
makes landing exactly-once (see `pipeline.warehouse.writer`).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
import os
from collections.abc import Sequence

import faust

from pipeline.contract.codec import UndecodableRecord, decode_event
from pipeline.contract.dead_letter import DeadLetter, Origin, dead_letter
from pipeline.contract.enriched import EnrichedContact
from pipeline.contract.headers import ORIGIN_HEADER, origin_of
from pipeline.contract.schema import ContactEvent
from pipeline.enrich import Enricher, enricher_from_settings
from pipeline.ingest import route_raw
from pipeline.kafka_security import faust_broker_credentials
from pipeline.kafka_topics import DEFAULT_PARTITIONS, DLQ, ENRICHED, EVENTS, RAW
from pipeline.settings import Settings


def _bytes_topic(app: faust.App, name: str) -> faust.TopicT:
    return app.topic(name, value_type=bytes, value_serializer="raw", key_serializer="raw")


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def release_free_heap() -> None:
    """Hand memory that glibc keeps in its arenas after freeing back to the OS.

    Loading the model and each encoded batch leave hundreds of MB of freed buffers behind;
    trimming after each batch kept an e5 worker's RSS ~300 MB lower (docs/performance.md).
    A no-op where the C library has no `malloc_trim` (not glibc)."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)


def enrich_batch(enricher: Enricher, events: Sequence[ContactEvent]) -> list[EnrichedContact]:
    enriched = enricher.enrich(events)
    release_free_heap()
    return enriched


def load_enricher(settings: Settings) -> Enricher:
    """The settings' enricher; loaded once per worker process, on first use."""
    enricher = enricher_from_settings(settings)
    release_free_heap()
    return enricher


def create_app(settings: Settings) -> faust.App:
    # faust's own files, beside the warehouse: by default it writes "<app id>-data" into
    # whatever folder the worker was started from. faust makes only the last folder of it.
    faust_dir = settings.data_dir / "faust"
    faust_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.app_id,
        broker=f"kafka://{settings.kafka_bootstrap}",
        broker_credentials=faust_broker_credentials(settings),
        store="memory://",
        datadir=str(faust_dir),
        topic_partitions=DEFAULT_PARTITIONS,
        web_enabled=False,
        producer_acks=-1,
        # A micro-batch is sent as a burst of records, and `validate` sends one record per
        # await: 50 ms of linger packs them into one request per partition instead of many
        # (5 ms before: broker CPU per contact 0.64 -> 0.39 ms, docs/performance.md), a delay
        # that is small beside the 1 s micro-batch wait.
        producer_linger=0.05,
        producer_max_batch_size=256 * 1024,
        consumer_auto_offset_reset="earliest",
        # A killed worker must not hold its partitions for long: recovery is a rebalance away.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=2.0,
    )
    topics = {name: _bytes_topic(app, name) for name in (RAW, EVENTS, ENRICHED, DLQ)}

    @app.agent(topics[RAW], name="validate")
    async def validate(stream: faust.StreamT) -> None:
        async for event in stream.events():
            message = event.message
            origin = Origin(message.topic or RAW, message.partition or 0, message.offset or 0)
            routed = route_raw(message.value, origin, settings.max_text_bytes)
            await topics[routed.topic].send(
                key=routed.key, value=routed.value, headers=routed.headers
            )
            yield routed

    @app.agent(topics[EVENTS], name="enrich")
    async def enrich(stream: faust.StreamT) -> None:
        loop = asyncio.get_running_loop()
        enricher = await loop.run_in_executor(None, load_enricher, settings)
        async for batch in stream.take_events(
            settings.enrich_batch_size, within=settings.enrich_within_s
        ):
            accepted, letters = split_valid(batch)
            # Encoding is CPU-bound: off the event loop, so heartbeats keep flowing.
            enriched = await loop.run_in_executor(
                None, enrich_batch, enricher, [e for e, _ in accepted]
            )
            for contact, (_, origin) in zip(enriched, accepted, strict=True):
                key = contact.event.event_id.encode()
                await topics[ENRICHED].send(
                    key=key, value=contact.to_json(), headers={ORIGIN_HEADER: origin.header()}
                )
            for letter in letters:
                await topics[DLQ].send(key=letter.origin.header(), value=letter.to_json())
            yield len(enriched)

    return app


def split_valid(
    batch: Sequence[faust.EventT],
) -> tuple[list[tuple[ContactEvent, Origin]], list[DeadLetter]]:
    """Events decoded with their raw origin. `validate` checked the schema at the door, so
    they are decoded, not validated again; what cannot be decoded becomes a dead letter."""
    accepted, letters = [], []
    for event in batch:
        message = event.message
        here = Origin(message.topic or EVENTS, message.partition or 0, message.offset or 0)
        try:
            origin = origin_of(message.headers, here)
        except UndecodableRecord as error:
            letters.append(dead_letter(error.reason, error.detail, here, message.value or b""))
            continue
        try:
            accepted.append((decode_event(message.value), origin))
        except UndecodableRecord as error:
            letters.append(dead_letter(error.reason, error.detail, origin, message.value or b""))
    return accepted, letters


def run_worker(settings: Settings, loglevel: str = "warning") -> None:
    """Block running the worker until SIGTERM/SIGINT."""
    # The worker shares the machine with the broker and the sink. OpenMP threads that
    # spin while waiting then steal the cores the encoder needs: measured 3x slower
    # encoding under load with the default policy (see docs/performance.md).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    quiet_worker(create_app(settings), loglevel).execute_from_commandline()


def quiet_worker(app: faust.App, loglevel: str) -> faust.Worker:
    """A faust worker without its terminal spinner. To spin on every log record, faust sets
    the root logger to DEBUG, so faust and aiokafka build a log record for every message
    sent: 8 % of the worker's own CPU besides encoding (docs/performance.md)."""
    worker = faust.Worker(app, loglevel=loglevel)
    worker.spinner = None
    return worker
