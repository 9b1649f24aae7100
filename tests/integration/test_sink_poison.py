"""Poison on the sink's topics: every bad record becomes a dead letter and the sink moves on.

Three kinds of poison, each of which used to raise inside the sink before its offset moved
(so it failed again after every restart): an enriched record with a malformed origin
header, a dead letter whose origin partition is "abc", and an enriched record whose event
holds a number where text belongs. Among them good enriched contacts and good dead letters:
all of them must land, and the poison must be dead letters that name field and rule.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pytest
from kafka import KafkaProducer

from pipeline.contract.dead_letter import Origin, dead_letter
from pipeline.contract.enriched import EnrichedContact, Enrichment
from pipeline.contract.headers import ORIGIN_HEADER
from pipeline.contract.schema import ContactEvent
from pipeline.kafka_topics import DLQ, ENRICHED
from tests.integration.processes import PipelineProcess, sink_caught_up, stop_all, wait_for

pytestmark = pytest.mark.integration

GOOD_CONTACTS, GOOD_LETTERS = 40, 5
START = datetime(2026, 11, 20, 9, tzinfo=UTC)


def good_contact(i: int) -> bytes:
    moment = START + timedelta(minutes=i)
    event = ContactEvent(f"good-{i}", moment, moment, "test", "chat", f"Vraag {i} over de cao")
    vector = np.full(8, 0.25, dtype=np.float32)
    return EnrichedContact(event, Enrichment(0, vector, "m@1", None, None)).to_json()


def produce(bootstrap: str) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    raw = 0

    def send(topic: str, value: bytes, header: bytes | None = None) -> None:
        nonlocal raw
        raw += 1
        headers = [(ORIGIN_HEADER, header or Origin("contact.raw", 0, raw).header())]
        producer.send(topic, value=value, headers=headers, partition=raw % 2)

    for i in range(GOOD_CONTACTS):
        send(ENRICHED, good_contact(i))
        if i == 10:
            send(ENRICHED, good_contact(1000), header=b"Jan Jansen, BSN 111222333")
        if i == 20:
            letter = json.loads(
                dead_letter("bad_json", "x", Origin("contact.raw", 0, 9999), b"{").to_json()
            )
            letter["origin"]["partition"] = "abc"
            send(DLQ, json.dumps(letter).encode())
        if i == 30:
            wrong = json.loads(good_contact(2000))
            wrong["event"]["text"] = 12345
            send(ENRICHED, json.dumps(wrong).encode())
    for j in range(GOOD_LETTERS):
        letter = dead_letter("bad_json", "Expecting value", Origin("contact.raw", 3, j), b"{")
        send(DLQ, letter.to_json())
    producer.flush(60)
    producer.close()


def warehouse(data_dir: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(data_dir / "ledenradar.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_poison_becomes_dead_letters_and_every_good_record_lands(
    kafka_broker, pipeline_env, tmp_path
):
    data_dir = Path(pipeline_env["LEDENRADAR_DATA_DIR"])
    produce(kafka_broker.bootstrap)
    log = tmp_path / "sink.log"
    sink = PipelineProcess(["sink", "--no-themes", "--snapshot-every", "1"], pipeline_env, log)
    try:
        # `wait_for` fails as soon as the sink exits: before, it died on the first poison.
        wait_for(
            lambda: sink_caught_up(kafka_broker.bootstrap, data_dir, (ENRICHED, DLQ)),
            180,
            "the sink to move past every record",
            (sink,),
        )
    finally:
        stop_all(sink)
    assert sink.process.returncode == 0, log.read_text()[-3000:]

    contacts = warehouse(data_dir, "SELECT event_id FROM core.contacts ORDER BY event_id")
    assert sorted(c for (c,) in contacts) == sorted(f"good-{i}" for i in range(GOOD_CONTACTS))
    letters = warehouse(
        data_dir,
        "SELECT origin_topic, reason, detail FROM core.dead_letters ORDER BY reason, detail",
    )
    poison = [row for row in letters if row[1] != "bad_json"]
    assert poison == [
        (DLQ, "bad_dead_letter", "origin.partition must be a non-negative integer"),
        (ENRICHED, "bad_event", "event.text must be a string"),
        (ENRICHED, "bad_header", "ledenradar-origin must be topic/partition/offset"),
    ]
    assert [row for row in letters if row[1] == "bad_json"] == [
        ("contact.raw", "bad_json", "Expecting value")
    ] * GOOD_LETTERS
    assert not any("Jan" in detail or "12345" in detail for _, _, detail in letters)
