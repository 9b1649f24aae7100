"""Routing a raw record: to `contact.events` when valid, to `contact.dlq` with a reason when not."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.contract.codec import encode_event
from pipeline.contract.dead_letter import Origin, dead_letter
from pipeline.contract.headers import ORIGIN_HEADER
from pipeline.kafka_topics import DLQ, EVENTS
from pipeline.normalise import Accepted, accept


@dataclass(frozen=True)
class Routed:
    topic: str
    key: bytes | None
    value: bytes
    headers: dict[str, bytes]
    reason: str | None = None


def route_raw(raw: bytes, origin: Origin, max_text_bytes: int) -> Routed:
    """Never raises: a valid event keyed by event_id, or a dead letter keyed by its origin."""
    outcome = accept(raw, max_text_bytes)
    headers = {ORIGIN_HEADER: origin.header()}
    if isinstance(outcome, Accepted):
        event = outcome.event
        return Routed(EVENTS, event.event_id.encode(), encode_event(event), headers)
    letter = dead_letter(outcome.reason, outcome.detail, origin, raw, outcome.event_id)
    return Routed(DLQ, origin.header(), letter.to_json(), headers, outcome.reason)
