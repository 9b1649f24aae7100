"""Sources against a real broker: the webhook answers 202 only for events on Kafka,
and a file source run through the CLI lands its events and dead letters, once however
often it runs."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest
import yaml
from kafka import KafkaProducer

from pipeline.contract.dead_letter import DeadLetter, Origin
from pipeline.ingest import route_raw
from pipeline.kafka_topics import DLQ, EVENTS, RAW
from pipeline.normalise import DEFAULT_MAX_TEXT_BYTES
from pipeline.sources import Emitter, KafkaTarget
from pipeline.sources.webhook import WebhookSource
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.sink import WarehouseSink
from pipeline.warehouse.writer import WarehouseWriter
from tests.contract.samples import BROKEN_MIME, TOKEN, alternative_mail, chat, plain_mail, post
from tests.integration.processes import LEDENRADAR, end_offsets, read_topic

pytestmark = pytest.mark.integration


def validate_and_land(bootstrap: str, writer: WarehouseWriter, validated: set) -> None:
    """In-process, what the worker's validate agent and the sink do with new raw records:
    contact.raw → `route_raw` with the raw record's origin → contact.events → DuckDB."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for record in read_topic(bootstrap, RAW):
        if (record.partition, record.offset) not in validated:
            origin = Origin(record.topic, record.partition, record.offset)
            routed = route_raw(record.value, origin, DEFAULT_MAX_TEXT_BYTES)
            producer.send(routed.topic, routed.value, routed.key, list(routed.headers.items()))
            validated.add((record.partition, record.offset))
    producer.flush()
    producer.close()
    WarehouseSink(writer, bootstrap, topics=(EVENTS, DLQ)).run(idle_exit_after=3)
    ends = end_offsets(bootstrap, (EVENTS, DLQ))
    assert all(writer.positions().get(key, 0) >= end for key, end in ends.items())


def test_webhook_answers_202_only_once_the_event_is_on_kafka(kafka_broker) -> None:
    bootstrap = kafka_broker.bootstrap
    source = WebhookSource(clients={"chatplatform": {"token": TOKEN}}, port=0)
    target = KafkaTarget(bootstrap, wait_for_ack=source.acknowledge_each)
    thread = threading.Thread(target=source.run, args=(Emitter(source.name, target),), daemon=True)
    thread.start()
    url = source.wait_until_serving()
    try:
        status, answer = post(url, json.dumps(chat("c-1")).encode())
        assert (status, answer["status"]) == (202, "accepted")
        # The answer came after the ack: the offsets already count the event.
        assert sum(end_offsets(bootstrap, (RAW,)).values()) == 1
        assert post(url, json.dumps(chat("c-1")).encode())[0] == 200
        assert post(url, json.dumps(chat("c-2")).encode(), token="fout")[0] == 401
        status, error = post(url, json.dumps({**chat("c-3"), "sector": "ruimtevaart"}).encode())
        assert (status, error["error"]) == (400, "bad_value")
    finally:
        source.stop()
        thread.join(5)
        target.close()
    [event] = read_topic(bootstrap, RAW)
    assert event.key.decode() == answer["event_id"]
    assert json.loads(event.value)["text"] == chat("c-1")["text"]
    [letter] = [DeadLetter.from_json(record.value) for record in read_topic(bootstrap, DLQ)]
    assert letter.reason == "bad_value" and letter.origin.topic == "source:webhook"


def test_an_email_folder_lands_on_kafka_and_a_rerun_repeats_the_same_ids(
    kafka_broker, pipeline_env, tmp_path: Path
) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "a.eml").write_bytes(plain_mail("<a@mail.example.nl>"))
    (folder / "b.eml").write_bytes(alternative_mail("<b@mail.example.nl>"))
    (folder / "c.eml").write_bytes(BROKEN_MIME)
    config = tmp_path / "email.yaml"
    config.write_text(yaml.safe_dump({"path": str(folder)}))
    command = [*LEDENRADAR, "sources", "run", "email", "--config", str(config)]
    writer = WarehouseWriter(open_warehouse(tmp_path / "warehouse.duckdb"))
    validated: set = set()
    warehouse = []
    for _ in range(2):
        done = subprocess.run(
            command, env=pipeline_env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert "2 emitted, 0 duplicates, 1 dead letters" in done.stdout
        assert "jan.jansen@example.nl" not in done.stdout + done.stderr
        validate_and_land(kafka_broker.bootstrap, writer, validated)
        warehouse.append(
            writer.con.execute(
                "SELECT (SELECT count(*) FROM core.contacts),"
                " (SELECT list(reason ORDER BY reason) FROM core.dead_letters)"
            ).fetchone()
        )
    # The re-run's records are new on Kafka but the same contacts: no contact, no dead letter.
    assert warehouse == [(2, ["broken_mime"]), (2, ["broken_mime"])]
    events = read_topic(kafka_broker.bootstrap, RAW)
    keys = [record.key.decode() for record in events]
    assert len(keys) == 4 and len(set(keys)) == 2  # the warehouse keeps one per id
    letters = [
        DeadLetter.from_json(record.value) for record in read_topic(kafka_broker.bootstrap, DLQ)
    ]
    assert [letter.reason for letter in letters] == ["broken_mime", "broken_mime"]
    assert letters[0].origin == letters[1].origin
