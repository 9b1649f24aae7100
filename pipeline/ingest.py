"""Routing a raw record: to `contact.events` when valid, to `contact.dlq` with a reason when not."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pipeline.dead_letter import Origin, dead_letter
from pipeline.kafka_topics import DLQ, EVENTS
from pipeline.normalise import Accepted, accept

ORIGIN_HEADER = "ledenradar-origin"


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
        value = json.dumps(event.to_dict(), ensure_ascii=False).encode("utf-8")
        return Routed(EVENTS, event.event_id.encode(), value, headers)
    letter = dead_letter(outcome.reason, outcome.detail, origin, raw, outcome.event_id)
    return Routed(DLQ, origin.header(), letter.to_json(), headers, outcome.reason)
