"""Dead letters: records the pipeline could not accept, with the reason why.

On Kafka (`contact.dlq`, short retention) a dead letter keeps the original bytes so
an operator can repair and replay it. In DuckDB only the reason and the origin are
kept: the payload may hold personal data that was never redacted. For the same reason a
dead letter's `detail` names the field and the rule, never the value; as a last guard,
anything quoted in a detail is blanked when the dead letter is made or read.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from pipeline.contract.codec import UndecodableRecord, json_of

MAX_DETAIL_CHARS = 300
# A message that quotes what it rejects ("province 'Jan Jansen' ...", KeyError('x')).
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_REASON = "bad_dead_letter"
# Partitions and offsets land in INTEGER and BIGINT columns.
_MAX_PARTITION = 2**31 - 1
_MAX_OFFSET = 2**63 - 1


@dataclass(frozen=True)
class Origin:
    """Where a record was read from; together unique for every Kafka record."""

    topic: str
    partition: int
    offset: int

    def header(self) -> bytes:
        return f"{self.topic}/{self.partition}/{self.offset}".encode()

    @classmethod
    def from_header(cls, value: bytes) -> Origin:
        topic, partition, offset = value.decode().rsplit("/", 2)
        origin = cls(topic, int(partition), int(offset))
        if not (
            _in_range(origin.partition, _MAX_PARTITION) and _in_range(origin.offset, _MAX_OFFSET)
        ):
            raise ValueError("partition or offset out of range")
        return origin


@dataclass(frozen=True)
class DeadLetter:
    reason: str
    detail: str
    origin: Origin
    original: bytes
    failed_at: datetime
    event_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", safe_detail(self.detail))

    def to_json(self) -> bytes:
        data: dict[str, Any] = asdict(self)
        data["original"] = base64.b64encode(self.original).decode("ascii")
        data["failed_at"] = self.failed_at.isoformat()
        return json.dumps(data).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes | None) -> DeadLetter:
        """Read a `contact.dlq` record back; `UndecodableRecord` names the field and the rule
        of anything that would not land (a partition "abc" would fail the insert)."""
        data = json_of(raw, _REASON, "dead letter")
        if not isinstance(data, dict):
            raise UndecodableRecord(_REASON, "dead letter", "must be a JSON object")
        origin = data.get("origin")
        if not isinstance(origin, dict):
            raise UndecodableRecord(_REASON, "origin", "must be an object")
        _expect(isinstance(origin.get("topic"), str), "origin.topic", "must be a string")
        for name, most in (("partition", _MAX_PARTITION), ("offset", _MAX_OFFSET)):
            value = origin.get(name)
            _expect(_in_range(value, most), f"origin.{name}", "must be a non-negative integer")
        for name in ("reason", "detail"):
            _expect(isinstance(data.get(name), str), name, "must be a string")
        event_id = data.get("event_id")
        _expect(event_id is None or isinstance(event_id, str), "event_id", "must be a string")
        try:
            original = base64.b64decode(data["original"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error) as error:
            raise UndecodableRecord(_REASON, "original", "must be base64") from error
        try:
            failed_at = datetime.fromisoformat(data["failed_at"])
        except (KeyError, TypeError, ValueError) as error:
            raise UndecodableRecord(_REASON, "failed_at", "must be an ISO 8601 time") from error
        _expect(failed_at.tzinfo is not None, "failed_at", "must carry a UTC offset")
        return cls(
            reason=data["reason"],
            detail=data["detail"],
            origin=Origin(origin["topic"], origin["partition"], origin["offset"]),
            original=original,
            failed_at=failed_at,
            event_id=event_id,
        )


def _in_range(value: object, most: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= most


def _expect(holds: bool, field: str, rule: str) -> None:
    if not holds:
        raise UndecodableRecord(_REASON, field, rule)


def dead_letter(
    reason: str, detail: str, origin: Origin, original: bytes, event_id: str | None = None
) -> DeadLetter:
    return DeadLetter(reason, detail, origin, original, datetime.now(UTC), event_id)


def safe_detail(detail: str) -> str:
    """The detail with anything quoted blanked, at most `MAX_DETAIL_CHARS` long."""
    return _QUOTED.sub("'…'", detail)[:MAX_DETAIL_CHARS]
