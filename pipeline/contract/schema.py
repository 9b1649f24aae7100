"""ContactEvent v1: the one shape every source produces and every stage consumes.

`ContactEvent.from_dict` is strict: it raises `InvalidEvent` with a machine-readable
reason, which the dead-letter queue records. Fields that identify contact-centre
staff are removed before validation (see `STAFF_FIELDS`): Ledenradar measures what
members ask, never how individual employees perform.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pipeline.contract.vocab import CHANNELS, DIRECTIONS, PROVINCES, SECTORS, SERVICE_LINES, UNKNOWN

SCHEMA_VERSION = 1

# Lower-cased keys that would identify an employee; dropped at top level and in metadata.
STAFF_FIELDS = frozenset(
    {
        "agent",
        "agent_id",
        "agent_name",
        "employee",
        "employee_id",
        "employee_name",
        "handled_by",
        "operator",
        "operator_id",
        "medewerker",
        "medewerker_id",
        "medewerker_naam",
        "user_id",
        "staff_id",
        "behandelaar",
    }
)

EVENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")
# Pseudonymous references contain a digit and no spaces, so a name can never pass.
MEMBER_REF_PATTERN = re.compile(r"^(?=.*\d)[A-Za-z0-9_\-]{4,64}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2}$")
# A union unit is a code from the union's own list (e.g. "afd-utrecht-03"): no spaces, so
# neither a name nor a sentence can land in core through it.
UNION_UNIT_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,47}$")
_PLAIN_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")
# Set when the pipeline (not the source) saw the event: differs between two deliveries of the
# same contact, so it is no part of the content (see `ContactEvent.content_hash`).
INGESTION_FIELDS = frozenset({"received_at"})
# Deprecated names of fields, accepted on input and mapped to today's name (docs/warehouse.md,
# "Changes"): events from senders not yet updated keep landing. Never written.
DEPRECATED_FIELDS = {"region": "province"}


class InvalidEvent(ValueError):
    """An event that does not meet the schema; `reason` is a stable code for the DLQ.

    `detail` names the field and the rule it breaks, never the rejected value: a value
    that fails validation was never redacted and may be personal data.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ContactEvent:
    event_id: str
    occurred_at: datetime
    received_at: datetime
    source: str
    channel: str
    text: str
    direction: str = "inbound"
    language: str = "nl"
    subject: str | None = None
    province: str = UNKNOWN
    sector: str = UNKNOWN
    union_unit: str | None = None
    service_line: str = "first_line"
    member_ref: str | None = None
    schema_version: int = SCHEMA_VERSION
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        # Field by field rather than `asdict`, whose deep copy of every field was a fifth of
        # the worker's CPU besides encoding (docs/performance.md); only metadata is mutable.
        data = {name: getattr(self, name) for name in _FIELD_ORDER}
        data["metadata"] = copy.deepcopy(self.metadata)
        data["occurred_at"] = self.occurred_at.isoformat()
        data["received_at"] = self.received_at.isoformat()
        return data

    def content_hash(self) -> bytes:
        """SHA-256 of the canonical JSON of the event without its ingestion-time fields.

        Two deliveries of the same contact (a source run twice, a webhook replay) have
        the same hash; an event id reused for another contact has a different one.
        """
        content = {k: v for k, v in self.to_dict().items() if k not in INGESTION_FIELDS}
        # Hashed under the names of the first release: `core.contacts.content_hash` keeps the
        # hashes of contacts landed before a rename, and a re-delivery must still match them.
        for old, new in DEPRECATED_FIELDS.items():
            content[old] = content.pop(new)
        canonical = json.dumps(
            content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        )
        return hashlib.sha256(canonical.encode("utf-8")).digest()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ContactEvent:
        """Validate an already-normalised mapping (see `pipeline.normalise`)."""
        data = resolve_deprecated_fields(drop_staff_fields(data))
        unknown = set(data) - _FIELD_NAMES
        if unknown:
            raise InvalidEvent("unknown_field", field_names(unknown))
        missing = [name for name in REQUIRED_FIELDS if data.get(name) in (None, "")]
        if missing:
            raise InvalidEvent("missing_field", ", ".join(missing))
        _expect_type(data, "event_id", str)
        if not EVENT_ID_PATTERN.match(data["event_id"]):
            raise InvalidEvent("bad_event_id", "event_id must be 1-128 letters, digits, . _ : -")
        for name in ("occurred_at", "received_at"):
            value = data.get(name)
            if not isinstance(value, datetime) or value.tzinfo is None:
                raise InvalidEvent("bad_timestamp", f"{name} must be a timezone-aware time")
        for name in ("source", "channel", "text", "direction", "language", "province", "sector"):
            _expect_type(data, name, str)
        for name in ("subject", "union_unit", "member_ref"):
            _expect_type(data, name, str, optional=True)
        _expect_choice(data, "channel", CHANNELS)
        _expect_choice(data, "direction", DIRECTIONS)
        _expect_choice(data, "service_line", SERVICE_LINES)
        _expect_choice(data, "province", (*PROVINCES, UNKNOWN))
        _expect_choice(data, "sector", (*SECTORS, UNKNOWN))
        if "language" in data and not LANGUAGE_PATTERN.match(data["language"]):
            raise InvalidEvent(
                "bad_value", "language must be a two-letter ISO 639-1 code such as nl"
            )
        unit = data.get("union_unit")
        if unit is not None and not UNION_UNIT_PATTERN.match(unit):
            raise InvalidEvent("bad_value", "union_unit must be a unit code (a-z, 0-9, . _ -)")
        ref = data.get("member_ref")
        if ref is not None and not MEMBER_REF_PATTERN.match(ref):
            raise InvalidEvent("bad_member_ref", "member_ref must be a pseudonymous id")
        version = data.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION or isinstance(version, bool):
            raise InvalidEvent(
                "unsupported_schema_version", f"schema_version must be {SCHEMA_VERSION}"
            )
        if not isinstance(data.get("metadata", {}), dict):
            raise InvalidEvent("bad_type", "metadata must be an object")
        return cls(**data)


def drop_staff_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Remove employee-identifying fields, including inside `metadata`."""
    cleaned = {k: v for k, v in data.items() if k.lower() not in STAFF_FIELDS}
    if isinstance(cleaned.get("metadata"), dict):
        cleaned["metadata"] = {
            k: v for k, v in cleaned["metadata"].items() if k.lower() not in STAFF_FIELDS
        }
    return cleaned


def resolve_deprecated_fields(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with each deprecated field under its current name; `InvalidEvent` when an
    event gives both names with different values (which one the sender meant is unknown)."""
    for old, new in DEPRECATED_FIELDS.items():
        if old in data:
            data = dict(data)
            value = data.pop(old)
            if new in data and data[new] != value:
                raise InvalidEvent(
                    "conflicting_fields", f"{old} (deprecated name of {new}) and {new} differ"
                )
            data[new] = value
    return data


def field_names(names: set[str]) -> str:
    """Names of offending fields for a detail; a key that is no plain identifier could be
    a value typed into the wrong place, so it is counted instead of quoted."""
    plain = sorted(name for name in names if _PLAIN_FIELD_NAME.match(name))
    others = len(names) - len(plain)
    return ", ".join([*plain, *([f"{others} field(s) with an unusable name"] if others else [])])


def _expect_type(data: dict[str, Any], name: str, kind: type, optional: bool = False) -> None:
    if name not in data or (optional and data[name] is None):
        return
    if not isinstance(data[name], kind):
        raise InvalidEvent("bad_type", f"{name} must be {kind.__name__}")


def _expect_choice(data: dict[str, Any], name: str, choices: tuple[str, ...]) -> None:
    if name in data and data[name] not in choices:
        raise InvalidEvent("bad_value", f"{name} must be one of {', '.join(choices)}")


_FIELD_ORDER = tuple(ContactEvent.__dataclass_fields__)
_FIELD_NAMES = set(_FIELD_ORDER)
REQUIRED_FIELDS = ("event_id", "occurred_at", "received_at", "source", "channel", "text")


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ContactEvent v1 as it travels on Kafka."""
    string = {"type": "string"}
    nullable = {"type": ["string", "null"]}
    timestamp = {"type": "string", "format": "date-time"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ledenradar.example/schemas/contact-event-v1.json",
        "title": "ContactEvent",
        "description": "One member contact (call transcript, e-mail, chat, web form, letter). "
        "No field identifies a contact-centre employee; such fields are dropped at ingestion.",
        "type": "object",
        "additionalProperties": False,
        "required": list(REQUIRED_FIELDS),
        "properties": {
            "event_id": {
                **string,
                "pattern": EVENT_ID_PATTERN.pattern,
                "description": "Idempotency key.",
            },
            "occurred_at": {**timestamp, "description": "When the contact happened (with offset)."},
            "received_at": {**timestamp, "description": "When the pipeline received it."},
            "source": {**string, "description": "Name of the source connector."},
            "channel": {"enum": list(CHANNELS)},
            "direction": {"enum": list(DIRECTIONS), "default": "inbound"},
            "language": {**string, "pattern": LANGUAGE_PATTERN.pattern, "default": "nl"},
            "subject": nullable,
            "text": {**string, "description": "Transcript or body; redacted before storage."},
            "province": {
                "enum": [*PROVINCES, UNKNOWN],
                "default": UNKNOWN,
                "description": "ISO 3166-2:NL province code; a province name is accepted "
                "on input and stored as its code.",
            },
            "region": {
                "enum": [*PROVINCES, UNKNOWN],
                "deprecated": True,
                "description": "Deprecated name of province, accepted on input only: "
                "stored as province; given together with a different province, the event "
                "is dead-lettered (conflicting_fields).",
            },
            "sector": {"enum": [*SECTORS, UNKNOWN], "default": UNKNOWN},
            "union_unit": {
                "type": ["string", "null"],
                "pattern": UNION_UNIT_PATTERN.pattern,
                "description": "Code of the union unit (afdeling) that owns the member.",
            },
            "service_line": {"enum": list(SERVICE_LINES), "default": "first_line"},
            "member_ref": {
                "type": ["string", "null"],
                "pattern": MEMBER_REF_PATTERN.pattern,
                "description": "Pseudonymous member reference, never a name.",
            },
            "schema_version": {"const": SCHEMA_VERSION},
            "metadata": {"type": "object"},
        },
    }
