"""A simulated day lands in the real broker: every event keyed by its id, truth beside it."""

import json
from datetime import datetime

import pytest
import typer
from typer.testing import CliRunner

from pipeline.contract.schema import ContactEvent
from pipeline.kafka_topics import RAW
from pipeline.simulator.cli import simulate as simulate_command
from tests.integration.processes import read_topic

pytestmark = pytest.mark.integration


def test_simulated_contacts_arrive_on_contact_raw(kafka_broker, tmp_path):
    app = typer.Typer()
    app.command()(simulate_command)
    truth_file = tmp_path / "run.truth.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "--scenario", "baseline", "--start", "2026-03-08", "--days", "1", "--seed", "21",
            "--to-kafka", "--bootstrap", kafka_broker.bootstrap, "--truth", str(truth_file),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    truth = [json.loads(line) for line in truth_file.read_text("utf-8").splitlines()]
    expected = {t["event_id"] for t in truth}
    assert 20 < len(expected) < 1000  # a quiet Sunday
    assert (tmp_path / "run.scenario.json").is_file()

    received: dict[str, dict] = {}
    for record in read_topic(kafka_broker.bootstrap, RAW):
        event = json.loads(record.value.decode("utf-8"))
        assert record.key.decode() == event["event_id"]
        received[event["event_id"]] = event
    assert set(received) == expected
    for event in received.values():
        for key in ("occurred_at", "received_at"):
            event[key] = datetime.fromisoformat(event[key])
        ContactEvent.from_dict(event)
