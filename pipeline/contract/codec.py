"""ContactEvent v1 on the wire: JSON bytes, written once at the door and read back typed.

`pipeline.normalise.accept` is the schema check, done once by the `validate` agent. Every
later stage reads the event with `decode_event`, which rebuilds the typed event without
checking the schema's rules again, but refuses anything whose shape it cannot trust to
land (a missing field, a number where text belongs, a time without offset): such a record
raises `UndecodableRecord` and becomes a dead letter, never a crash.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pipeline.contract.schema import (
    REQUIRED_FIELDS,
    ContactEvent,
    InvalidEvent,
    resolve_deprecated_fields,
)

_TEXT_FIELDS = ("event_id", "source", "channel", "text", "direction", "language")
_TEXT_FIELDS += ("province", "sector", "service_line")
_OPTIONAL_TEXT_FIELDS = ("subject", "union_unit", "member_ref")
_TIMESTAMPS = ("occurred_at", "received_at")
_FIELDS = frozenset(ContactEvent.__dataclass_fields__)


class UndecodableRecord(ValueError):
    """A record that cannot be read back; `reason` and `detail` name the field and the rule,
    never the value (it may be personal data)."""

    def __init__(self, reason: str, field: str, rule: str) -> None:
        super().__init__(f"{reason}: {field} {rule}")
        self.reason = reason
        self.detail = f"{field} {rule}"


def encode_event(event: ContactEvent) -> bytes:
    return json.dumps(event.to_dict(), ensure_ascii=False).encode("utf-8")


def decode_event(raw: bytes | None) -> ContactEvent:
    """The event of a `contact.events` record."""
    return event_from_wire(json_of(raw, "bad_event", "event"))


def event_from_wire(data: Any, field: str = "event") -> ContactEvent:
    """A ContactEvent from its `to_dict` form (as it travels inside a record)."""
    reason = "bad_event"
    if not isinstance(data, dict):
        raise UndecodableRecord(reason, field, "must be a JSON object")
    try:  # records written before a field was renamed are still on the topics
        data = resolve_deprecated_fields(data)
    except InvalidEvent as error:
        raise UndecodableRecord(
            reason, field, "gives a field under two names that differ"
        ) from error
    unknown = set(data) - _FIELDS
    if unknown:
        raise UndecodableRecord(reason, field, "has a field ContactEvent v1 does not know")
    for name in REQUIRED_FIELDS:
        if name not in data:
            raise UndecodableRecord(reason, f"{field}.{name}", "is missing")
    for name in _TEXT_FIELDS:
        if name in data and not isinstance(data[name], str):
            raise UndecodableRecord(reason, f"{field}.{name}", "must be a string")
    for name in _OPTIONAL_TEXT_FIELDS:
        if data.get(name) is not None and not isinstance(data[name], str):
            raise UndecodableRecord(reason, f"{field}.{name}", "must be a string or null")
    if not isinstance(data.get("metadata", {}), dict):
        raise UndecodableRecord(reason, f"{field}.metadata", "must be an object")
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise UndecodableRecord(reason, f"{field}.schema_version", "must be an integer")
    times = {name: _timestamp(data[name], f"{field}.{name}") for name in _TIMESTAMPS}
    return ContactEvent(**{**data, **times})


def _timestamp(value: Any, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise UndecodableRecord("bad_event", field, "must be an ISO 8601 time") from error
    if parsed.tzinfo is None:
        raise UndecodableRecord("bad_event", field, "must carry a UTC offset")
    return parsed


def json_of(raw: bytes | None, reason: str, field: str) -> Any:
    """Parsed JSON of a record's value, or `UndecodableRecord` naming `field`."""
    if raw is None:
        raise UndecodableRecord(reason, field, "is empty (a tombstone)")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise UndecodableRecord(reason, field, "must be UTF-8 JSON") from error
