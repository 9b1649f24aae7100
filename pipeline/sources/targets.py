"""Where an emitter's records go: Kafka, or a list in memory for tests and dry runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kafka import KafkaProducer

ACK_TIMEOUT_SECONDS = 30.0
# Settled futures are dropped (and failures raised) every so many sends, to bound memory.
_SETTLE_EVERY = 10_000


@dataclass(frozen=True)
class SentRecord:
    topic: str
    key: str
    value: bytes
    headers: dict[str, bytes]


@dataclass
class MemoryTarget:
    """Keeps what was sent; used by the contract tests and `sources run --dry-run`."""

    records: list[SentRecord] = field(default_factory=list)

    def send(self, topic: str, key: str, value: bytes, headers: dict[str, bytes]) -> None:
        self.records.append(SentRecord(topic, key, value, dict(headers)))

    def flush(self) -> None:
        """Nothing is pending in memory."""

    def on(self, topic: str) -> list[SentRecord]:
        return [record for record in self.records if record.topic == topic]


class KafkaTarget:
    """Produce with `acks=all`; with `wait_for_ack` each send returns only once Kafka has it.

    Waiting per record is what lets the webhook answer 202 only for a stored event;
    file sources batch and wait once, in `flush()`.
    """

    def __init__(self, bootstrap: str, *, wait_for_ack: bool = False, **config: Any) -> None:
        self.wait_for_ack = wait_for_ack
        self._producer = KafkaProducer(
            bootstrap_servers=bootstrap, acks="all", linger_ms=5, retries=5, **config
        )
        self._pending: list[Any] = []

    def send(self, topic: str, key: str, value: bytes, headers: dict[str, bytes]) -> None:
        future = self._producer.send(
            topic, value=value, key=key.encode("utf-8"), headers=list(headers.items())
        )
        if self.wait_for_ack:
            future.get(timeout=ACK_TIMEOUT_SECONDS)
            return
        self._pending.append(future)
        if len(self._pending) >= _SETTLE_EVERY:
            for done in (f for f in self._pending if f.is_done):
                done.get()  # raises Kafka's error for a refused record
            self._pending = [f for f in self._pending if not f.is_done]

    def flush(self) -> None:
        """Wait for every pending record; raises if Kafka refused any of them."""
        self._producer.flush(timeout=ACK_TIMEOUT_SECONDS)
        pending, self._pending = self._pending, []
        for future in pending:
            future.get(timeout=ACK_TIMEOUT_SECONDS)

    def close(self) -> None:
        self.flush()
        self._producer.close()
