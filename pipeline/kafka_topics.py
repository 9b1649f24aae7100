"""The pipeline's Kafka topics, created explicitly (the broker does not auto-create)."""

from __future__ import annotations

import contextlib
from typing import Any

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

RAW = "contact.raw"
EVENTS = "contact.events"
ENRICHED = "contact.enriched"
DLQ = "contact.dlq"
ALERTS = "contact.alerts"

PIPELINE_TOPICS = (RAW, EVENTS, ENRICHED, DLQ, ALERTS)
DEFAULT_PARTITIONS = 4


def ensure_topics(
    bootstrap: str,
    names: tuple[str, ...] = PIPELINE_TOPICS,
    partitions: int = DEFAULT_PARTITIONS,
    **kafka_config: Any,
) -> list[str]:
    """Create missing topics; returns the names that were created."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, **kafka_config)
    try:
        existing = set(admin.list_topics())
        missing = [name for name in names if name not in existing]
        if missing:
            # Another process may create a topic between our list and create.
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics([NewTopic(name, partitions, 1) for name in missing])
        return missing
    finally:
        admin.close()
