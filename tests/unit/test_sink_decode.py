"""The sink's decoding of Kafka records, without Kafka: enriched events, dead letters, garbage."""

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import pytest

from pipeline.contract.dead_letter import Origin, dead_letter
from pipeline.contract.enriched import EnrichedContact, Enrichment
from pipeline.contract.headers import ORIGIN_HEADER
from pipeline.contract.schema import ContactEvent
from pipeline.kafka_topics import DLQ, ENRICHED
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
        "bad_event",
    ]
    assert letters[3].detail == "event.occurred_at is missing"


def test_a_malformed_origin_header_is_a_dead_letter_at_the_record_itself():
    poisoned = record(ENRICHED, enriched("e3"), offset=12)
    poisoned.headers = [(ORIGIN_HEADER, b"Jan Jansen/abc")]
    contacts, (letter,) = decode_batch([poisoned, record(ENRICHED, enriched("e4"), offset=13)])
    assert [c.event.event_id for c in contacts] == ["e4"]
    assert (letter.reason, letter.origin) == ("bad_header", Origin(ENRICHED, 1, 12))
    assert letter.detail == "ledenradar-origin must be topic/partition/offset"
    assert "Jan" not in letter.detail


def test_a_dead_letter_whose_partition_is_no_integer_names_the_field_not_the_value():
    letter = json.loads(dead_letter("bad_json", "x", Origin("contact.raw", 0, 5), b"{").to_json())
    letter["origin"]["partition"] = "abc"
    _, (found,) = decode_batch([record(DLQ, json.dumps(letter).encode(), offset=14)])
    assert (found.reason, found.origin) == ("bad_dead_letter", Origin(DLQ, 1, 14))
    assert found.detail == "origin.partition must be a non-negative integer"


def test_an_empty_record_and_a_number_for_text_are_dead_letters():
    wrong_type = json.loads(enriched("e5"))
    wrong_type["event"]["text"] = 12345
    contacts, letters = decode_batch(
        [
            record(ENRICHED, None, offset=15),
            record(ENRICHED, json.dumps(wrong_type).encode(), offset=16),
            record(DLQ, None, offset=17),
        ]
    )
    assert contacts == []
    assert [(d.reason, d.detail) for d in letters] == [
        ("bad_enrichment", "record is empty (a tombstone)"),
        ("bad_event", "event.text must be a string"),
        ("bad_dead_letter", "dead letter is empty (a tombstone)"),
    ]
    assert all("12345" not in d.detail for d in letters)


def test_snapshots_keep_their_interval_while_cheap_and_back_off_when_costly() -> None:
    assert next_snapshot_gap(1.0, 0.05) == 1.0
    assert next_snapshot_gap(5.0, 0.6) == 5.0
    assert next_snapshot_gap(1.0, 0.6) == pytest.approx(1.8)
