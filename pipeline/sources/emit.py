"""The one path from a source to Kafka: validate, de-duplicate, route.

A source calls `emit(record, ref=...)` with a dict in ContactEvent v1 shape, or
`emit.reject(reason, detail, original, ref=...)` for input it could not even turn
into such a dict (broken MIME, a CSV row without an id). Every record ends as one
of three outcomes, so nothing is lost silently:

- `Emitted`: valid; the normalised event goes to `contact.raw`, keyed by event id;
- `Duplicate`: an event id this emitter already sent with the same content (a
  replay); nothing is sent;
- `DeadLettered`: invalid, or an event id already sent with other content
  (`duplicate_event_id`); a `DeadLetter` with the reason goes to `contact.dlq`.

A record read from outside Kafka has no topic, partition or offset, so its dead
letter's origin is `Origin(topic="source:<name>", partition=0, offset=<hash>)`,
where the offset is a stable 63-bit hash of the source's own reference for the
record (file and position, Message-ID, ...): the same bad record always has the
same origin. The reference itself travels only in the Kafka header
`ledenradar-source-ref` of the dead letter, where an operator can find the input.

Logs carry event ids, reasons and counts, never record contents.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipeline.contract.dead_letter import Origin, dead_letter
from pipeline.contract.headers import ORIGIN_HEADER, SOURCE_REF_HEADER
from pipeline.kafka_topics import DLQ, RAW
from pipeline.normalise import DEFAULT_MAX_TEXT_BYTES, Accepted, accept

log = logging.getLogger(__name__)

# Kafka refuses records over 1 MiB by default; a dead letter keeps at most this much.
MAX_DEAD_LETTER_ORIGINAL = 256 * 1024
DEFAULT_MEMORY = 1_000_000


@dataclass(frozen=True)
class Emitted:
    event_id: str


@dataclass(frozen=True)
class Duplicate:
    event_id: str


@dataclass(frozen=True)
class DeadLettered:
    reason: str
    detail: str
    event_id: str | None = None


Outcome = Emitted | Duplicate | DeadLettered


class Target(Protocol):
    """Where records go: Kafka in production, memory in tests."""

    def send(self, topic: str, key: str, value: bytes, headers: dict[str, bytes]) -> None: ...

    def flush(self) -> None: ...


class Emit(Protocol):
    """What a source's `run` receives."""

    def __call__(self, record: dict[str, Any], *, ref: str) -> Outcome: ...

    def reject(
        self, reason: str, detail: str, original: bytes, *, ref: str, event_id: str | None = None
    ) -> DeadLettered: ...


def origin_for(source_name: str, ref: str) -> Origin:
    digest = hashlib.sha256(ref.encode("utf-8")).digest()
    return Origin(f"source:{source_name}", 0, int.from_bytes(digest[:8], "big") >> 1)


@dataclass
class Counts:
    emitted: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


class Emitter:
    """Validates through `normalise.accept` and routes to `topic` or the DLQ.

    Thread-safe: a webhook calls it from many request threads. The lock guards only
    the bookkeeping, never a send, so one slow acknowledgement does not hold up the
    other callers; two callers with the same event id take turns. It remembers the
    last `memory` event ids it sent with their content hash, so replays within a run
    send nothing and a reused id with other content is a dead letter; across runs
    the warehouse does the same by event id.
    """

    def __init__(
        self,
        source_name: str,
        target: Target,
        *,
        topic: str = RAW,
        max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
        memory: int = DEFAULT_MEMORY,
    ) -> None:
        self.source_name = source_name
        self.target = target
        self.topic = topic
        self.max_text_bytes = max_text_bytes
        self.counts = Counts()
        self._memory = memory
        self._sent: OrderedDict[str, bytes] = OrderedDict()
        # Ids being sent right now; a second caller with the same id waits for the first.
        self._sending: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def __call__(self, record: dict[str, Any], *, ref: str) -> Outcome:
        record = {"source": self.source_name, **record}
        raw = json.dumps(record, ensure_ascii=False, default=str).encode("utf-8")
        outcome = accept(raw, self.max_text_bytes)
        if not isinstance(outcome, Accepted):
            return self.reject(
                outcome.reason, outcome.detail, raw, ref=ref, event_id=outcome.event_id
            )
        event = outcome.event
        content = event.content_hash()
        sent_content = self._claim(event.event_id)
        if sent_content == content:
            with self._lock:
                self.counts.duplicates += 1
            log.info("duplicate %s not sent again", event.event_id)
            return Duplicate(event.event_id)
        if sent_content is not None:
            detail = "event_id reused with other content; the first content was sent already"
            return self.reject("duplicate_event_id", detail, raw, ref=ref, event_id=event.event_id)
        value = json.dumps(event.to_dict(), ensure_ascii=False).encode("utf-8")
        headers = {ORIGIN_HEADER: origin_for(self.source_name, ref).header()}
        sent = False
        try:
            self.target.send(self.topic, event.event_id, value, headers)
            sent = True
        finally:
            # A failed send forgets the claim, so a retry is no duplicate.
            self._release(event.event_id, content if sent else None)
        log.debug("emitted %s", event.event_id)
        return Emitted(event.event_id)

    def _claim(self, event_id: str) -> bytes | None:
        """The content hash this id was sent with; None once the caller may send it."""
        while True:
            with self._lock:
                sent_content = self._sent.get(event_id)
                if sent_content is not None:
                    return sent_content
                turn = self._sending.get(event_id)
                if turn is None:
                    self._sending[event_id] = threading.Event()
                    return None
            turn.wait()

    def _release(self, event_id: str, content: bytes | None) -> None:
        with self._lock:
            if content is not None:
                self._remember(event_id, content)
                self.counts.emitted += 1
            self._sending.pop(event_id).set()

    def reject(
        self, reason: str, detail: str, original: bytes, *, ref: str, event_id: str | None = None
    ) -> DeadLettered:
        origin = origin_for(self.source_name, ref)
        if len(original) > MAX_DEAD_LETTER_ORIGINAL:
            detail = f"{detail} (original of {len(original)} bytes truncated; see the source ref)"
            original = original[:MAX_DEAD_LETTER_ORIGINAL]
        letter = dead_letter(reason, detail, origin, original, event_id)
        headers = {ORIGIN_HEADER: origin.header(), SOURCE_REF_HEADER: ref.encode("utf-8")}
        self.target.send(DLQ, origin.header().decode(), letter.to_json(), headers)
        with self._lock:
            self.counts.dead_lettered += 1
            self.counts.reasons[reason] = self.counts.reasons.get(reason, 0) + 1
        log.warning("dead letter (%s) at %s/%d", reason, origin.topic, origin.offset)
        return DeadLettered(reason, letter.detail, event_id)

    def close(self) -> Counts:
        """Wait until everything sent is acknowledged, then log the counts."""
        self.target.flush()
        counts = self.counts
        log.info(
            "source %s: %d emitted, %d duplicates, %d dead letters %s",
            self.source_name,
            counts.emitted,
            counts.duplicates,
            counts.dead_lettered,
            counts.reasons or "",
        )
        return counts

    def _remember(self, event_id: str, content: bytes) -> None:
        self._sent[event_id] = content
        if len(self._sent) > self._memory:
            self._sent.popitem(last=False)
