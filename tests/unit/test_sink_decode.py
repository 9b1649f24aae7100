"""The sink's decoding of Kafka records, without Kafka: enriched events, dead letters, garbage."""

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import pytest

from pipeline.dead_letter import Origin, dead_letter
from pipeline.enrich import EnrichedContact, Enrichment
from pipeline.ingest import ORIGIN_HEADER
from pipeline.kafka_topics import DLQ, ENRICHED
from pipeline.schema import ContactEvent
from pipeline.warehouse.sink import decode_batch, next_snapshot_gap


def record(topic: str, value: bytes, offset: int = 0, origin: Origin | None = None):
    headers = [(ORIGIN_HEADER, origin.header())] if origin else []
    return SimpleNamespace(topic=topic, partition=1, offset=offset, value=value, headers=headers)


def enriched(event_id: str) -> bytes:
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    event = ContactEvent(event_id, now, now, "test", "chat", "Vraag over [NAAM] en de cao")
    vector = np.full(4, 0.5, dtype=np.float32)
    return EnrichedContact(event, Enrichment(1, vector, "m@1", "T0002", 0.8)).to_json()


def test_enriched_records_keep_their_raw_origin_and_enrichment():
    origin = Origin("contact.raw", 3, 41)
    contacts, letters = decode_batch([record(ENRICHED, enriched("e1"), origin=origin)])
    assert letters == []
    (contact,) = contacts
    assert contact.origin == origin
    assert contact.enrichment.theme_id == "T0002"
    np.testing.assert_allclose(contact.enrichment.embedding, 0.5, atol=1e-3)


def test_a_contact_enriched_before_any_theme_model_arrives_as_not_compared():
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    event = ContactEvent("e2", now, now, "test", "chat", "Vraag over de cao")
    unthemed = Enrichment(0, np.zeros(4, np.float32), "m@1", None, None)
    (contact,), _ = decode_batch([record(ENRICHED, EnrichedContact(event, unthemed).to_json())])
    assert contact.enrichment.theme_id is None and contact.enrichment.similarity is None


def test_dead_letters_and_garbage_become_dead_letters():
    letter = dead_letter("bad_json", "x", Origin("contact.raw", 0, 5), b"{")
    contacts, letters = decode_batch(
        [
            record(DLQ, letter.to_json()),
            record(DLQ, b"not a dead letter", offset=9),
            record(ENRICHED, b'{"event": {}}', offset=10),
            record(
                ENRICHED,
                json.dumps(
                    {
                        "event": {"event_id": "x"},
                        "redactions": 0,
                        "embedding": "",
                        "embedding_model": "m",
                        "theme_id": None,
                        "similarity": 0,
                    }
                ).encode(),
                offset=11,
            ),
        ]
    )
    assert contacts == []
    assert [d.reason for d in letters] == [
        "bad_json",
        "bad_dead_letter",
        "bad_enrichment",
        "missing_field",
    ]


def test_snapshots_keep_their_interval_while_cheap_and_back_off_when_costly() -> None:
    assert next_snapshot_gap(1.0, 0.05) == 1.0
    assert next_snapshot_gap(5.0, 0.6) == 5.0
    assert next_snapshot_gap(1.0, 0.6) == pytest.approx(1.8)
