"""Dead letters: records the pipeline could not accept, with the reason why.

On Kafka (`contact.dlq`, short retention) a dead letter keeps the original bytes so
an operator can repair and replay it. In DuckDB only the reason and the origin are
kept: the payload may hold personal data that was never redacted. For the same reason a
dead letter's `detail` names the field and the rule, never the value; as a last guard,
anything quoted in a detail is blanked when the dead letter is made or read.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

MAX_DETAIL_CHARS = 300
# A message that quotes what it rejects ("region 'Jan Jansen' ...", KeyError('x')).
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


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
        return cls(topic, int(partition), int(offset))


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
    def from_json(cls, raw: bytes) -> DeadLetter:
        data = json.loads(raw)
        return cls(
            reason=data["reason"],
            detail=data["detail"],
            origin=Origin(**data["origin"]),
            original=base64.b64decode(data["original"]),
            failed_at=datetime.fromisoformat(data["failed_at"]),
            event_id=data.get("event_id"),
        )


def dead_letter(
    reason: str, detail: str, origin: Origin, original: bytes, event_id: str | None = None
) -> DeadLetter:
    return DeadLetter(reason, detail, origin, original, datetime.now(UTC), event_id)


def safe_detail(detail: str) -> str:
    """The detail with anything quoted blanked, at most `MAX_DETAIL_CHARS` long."""
    return _QUOTED.sub("'…'", detail)[:MAX_DETAIL_CHARS]
