"""A small, synchronous Kafka producer shared by sources, the simulator and tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from kafka import KafkaProducer


class EventProducer:
    """Produce keyed records; `flush()` (or leaving the `with` block) waits for acks.

    >>> with EventProducer("127.0.0.1:9092") as producer:  # doctest: +SKIP
    ...     producer.send_json("contact.raw", key="evt-1", value={"event_id": "evt-1"})
    """

    def __init__(self, bootstrap: str, **config: Any) -> None:
        self._producer = KafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            linger_ms=5,
            retries=5,
            **config,
        )

    def send(self, topic: str, value: bytes, key: str | None = None) -> None:
        self._producer.send(topic, value=value, key=key.encode() if key else None)

    def send_json(self, topic: str, value: dict[str, Any], key: str | None = None) -> None:
        self.send(topic, json.dumps(value, ensure_ascii=False).encode("utf-8"), key)

    def send_many(self, topic: str, records: Iterable[tuple[str | None, bytes]]) -> int:
        count = 0
        for key, value in records:
            self.send(topic, value, key)
            count += 1
        return count

    def flush(self, timeout: float = 60.0) -> None:
        self._producer.flush(timeout=timeout)

    def close(self) -> None:
        self._producer.flush()
        self._producer.close()

    def __enter__(self) -> EventProducer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
