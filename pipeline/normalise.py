"""Turn whatever arrives on `contact.raw` into a valid ContactEvent, or say why not.

`accept(raw)` never raises: every input ends as an `Accepted` event or a
`Rejected` reason that becomes a dead letter. A rejection's detail names the field
and the rule, never the value: a rejected value was never redacted.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pipeline.contract.schema import (
    DEPRECATED_FIELDS,
    EVENT_ID_PATTERN,
    ContactEvent,
    InvalidEvent,
    drop_staff_fields,
    resolve_deprecated_fields,
)
from pipeline.contract.vocab import SECTORS, UNKNOWN, province_code

DEFAULT_MAX_TEXT_BYTES = 64 * 1024
# Retention keys on occurred_at, which the source sets: an event dated in the future would
# outlive the retention period. A day of leeway covers clocks and time zones gone astray.
MAX_FUTURE = timedelta(days=1)
# A record this much larger than the text cap cannot be valid; refuse before parsing it.
_ENVELOPE_FACTOR = 4

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# The deprecated name too, so "Limburg" under one name and "NL-LI" under the other agree.
_PROVINCE_FIELDS = (
    "province",
    *(old for old, new in DEPRECATED_FIELDS.items() if new == "province"),
)
_SECTOR_ALIASES = {key.replace("_", ""): key for key in SECTORS} | {
    "zorgenwelzijn": "zorg_welzijn",
    "zorg": "zorg_welzijn",
}


@dataclass(frozen=True)
class Accepted:
    event: ContactEvent


@dataclass(frozen=True)
class Rejected:
    reason: str
    detail: str
    event_id: str | None = None


def accept(
    raw: bytes, max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES, now: datetime | None = None
) -> Accepted | Rejected:
    """Decode, parse, normalise and validate one raw record."""
    if len(raw) > max_text_bytes * _ENVELOPE_FACTOR:
        return Rejected("oversize", f"record of {len(raw)} bytes exceeds the limit")
    try:
        text = decode(raw)
    except UnicodeDecodeError as error:
        return Rejected("undecodable", f"not UTF-8 or UTF-16 text ({error.reason})")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        return Rejected("bad_json", _json_error(error))
    if not isinstance(data, dict):
        return Rejected("bad_json", f"expected an object, got {type(data).__name__}")
    event_id = data.get("event_id")
    # A malformed id may be anything a client typed; it must not travel into the DLQ's columns.
    if not isinstance(event_id, str) or not EVENT_ID_PATTERN.match(event_id):
        event_id = None
    try:
        normalised = normalise_fields(data, now or datetime.now(UTC))
        text = normalised.get("text")
        text_bytes = len(text.encode("utf-8")) if isinstance(text, str) else 0
        if text_bytes > max_text_bytes:
            return Rejected(
                "oversize", f"text of {text_bytes} bytes exceeds {max_text_bytes}", event_id
            )
        return Accepted(ContactEvent.from_dict(normalised))
    except InvalidEvent as error:
        return Rejected(error.reason, error.detail, event_id)


def decode(raw: bytes) -> str:
    """UTF-8, or UTF-16/UTF-8 announced by a byte-order mark; anything else is refused."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding)
    return raw.decode("utf-8")


def normalise_fields(data: dict[str, Any], now: datetime) -> dict[str, Any]:
    data = drop_staff_fields(data)
    result = {key: _nfc(value) for key, value in data.items()}
    if isinstance(result.get("text"), str):
        result["text"] = normalise_text(result["text"])
    if isinstance(result.get("subject"), str):
        result["subject"] = " ".join(result["subject"].split()) or None
    for name in ("channel", "direction", "service_line", "language", "union_unit"):
        if isinstance(result.get(name), str):
            result[name] = result[name].strip().lower()
    result["occurred_at"] = parse_timestamp(result.get("occurred_at"), "occurred_at")
    if result["occurred_at"] > now + MAX_FUTURE:
        raise InvalidEvent(
            "future_timestamp", "occurred_at is more than a day after the time of validation"
        )
    received = result.get("received_at")
    result["received_at"] = now if received is None else parse_timestamp(received, "received_at")
    for name in _PROVINCE_FIELDS:
        if isinstance(result.get(name), str):
            code = province_code(result[name])
            if code is None:
                raise InvalidEvent(
                    "bad_value", f"{name} must be a Dutch province (name or ISO 3166-2:NL code)"
                )
            result[name] = code
    result = resolve_deprecated_fields(result)
    if isinstance(result.get("sector"), str):
        result["sector"] = normalise_sector(result["sector"])
    return result


def normalise_text(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalise_sector(value: str) -> str:
    folded = re.sub(r"[^a-z]", "", value.lower())
    if folded in ("", UNKNOWN):
        return UNKNOWN
    sector = _SECTOR_ALIASES.get(folded)
    if sector is None:
        raise InvalidEvent("bad_value", f"sector must be one of {', '.join(SECTORS)}")
    return sector


def parse_timestamp(value: Any, name: str) -> datetime:
    if value is None:
        raise InvalidEvent("missing_field", name)
    if not isinstance(value, str):
        raise InvalidEvent("bad_timestamp", f"{name} must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        # The parser's message quotes the value; the detail must not.
        raise InvalidEvent("bad_timestamp", f"{name} must be an ISO 8601 time") from error
    if parsed.tzinfo is None:
        raise InvalidEvent("bad_timestamp", f"{name} has no UTC offset")
    return parsed.astimezone(UTC)


def _json_error(error: json.JSONDecodeError | RecursionError) -> str:
    if isinstance(error, RecursionError):
        return "the JSON is nested too deeply"
    return f"not JSON: {error.msg} at line {error.lineno} column {error.colno}"


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {key: _nfc(item) for key, item in value.items()}
    return value
