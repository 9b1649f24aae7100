"""The faust worker: thin agents over the pure steps in `pipeline.ingest` and friends.

Run with `ledenradar worker`. Processing is at-least-once; the warehouse writer
makes landing exactly-once (see `pipeline.warehouse.writer`).
"""

from __future__ import annotations

import faust

from pipeline.dead_letter import Origin
from pipeline.ingest import route_raw
from pipeline.kafka_topics import DEFAULT_PARTITIONS, DLQ, EVENTS, RAW
from pipeline.settings import Settings


def _bytes_topic(app: faust.App, name: str) -> faust.TopicT:
    return app.topic(name, value_type=bytes, value_serializer="raw", key_serializer="raw")


def create_app(settings: Settings) -> faust.App:
    app = faust.App(
        settings.app_id,
        broker=f"kafka://{settings.kafka_bootstrap}",
        store="memory://",
        topic_partitions=DEFAULT_PARTITIONS,
        web_enabled=False,
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
        # A killed worker must not hold its partitions for long: recovery is a rebalance away.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=2.0,
    )
    raw = _bytes_topic(app, RAW)
    outputs = {EVENTS: _bytes_topic(app, EVENTS), DLQ: _bytes_topic(app, DLQ)}

    @app.agent(raw, name="validate")
    async def validate(stream: faust.StreamT) -> None:
        async for event in stream.events():
            message = event.message
            origin = Origin(message.topic or RAW, message.partition or 0, message.offset or 0)
            routed = route_raw(message.value, origin, settings.max_text_bytes)
            await outputs[routed.topic].send(
                key=routed.key, value=routed.value, headers=routed.headers
            )
            yield routed

    return app


def run_worker(settings: Settings, loglevel: str = "warning") -> None:
    """Block running the worker until SIGTERM/SIGINT."""
    faust.Worker(create_app(settings), loglevel=loglevel).execute_from_commandline()
