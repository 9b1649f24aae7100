"""The source API: the runnable docstring example, the emitter, the registry and the CLI."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import pipeline.sources.base
from pipeline.cli import app
from pipeline.contract.dead_letter import DeadLetter
from pipeline.kafka_topics import DLQ, RAW
from pipeline.sources import DeadLettered, Duplicate, Emitted, Emitter, MemoryTarget, Source
from pipeline.sources.emit import origin_for
from pipeline.sources.registry import UnknownSource, load, registered

VALID = {
    "event_id": "test:1",
    "occurred_at": "2026-11-02T09:00:00+01:00",
    "channel": "chat",
    "text": "Vraag over de cao",
}


def test_the_docstring_example_runs() -> None:
    result = doctest.testmod(pipeline.sources.base)
    assert result.attempted >= 4 and result.failed == 0


def test_emitter_outcomes_and_counts() -> None:
    target = MemoryTarget()
    emitter = Emitter("test", target)
    assert emitter(VALID, ref="r1") == Emitted("test:1")
    assert emitter(VALID, ref="r1") == Duplicate("test:1")
    outcome = emitter({**VALID, "event_id": "test:2", "channel": "fax"}, ref="r2")
    assert isinstance(outcome, DeadLettered) and outcome.reason == "bad_value"
    counts = emitter.close()
    assert (counts.emitted, counts.duplicates, counts.dead_lettered) == (1, 1, 1)
    assert counts.reasons == {"bad_value": 1}
    [raw] = target.on(RAW)
    assert json.loads(raw.value)["source"] == "test"
    [dlq] = target.on(DLQ)
    letter = DeadLetter.from_json(dlq.value)
    assert letter.origin == origin_for("test", "r2")
    assert letter.event_id == "test:2"


def test_origins_are_stable_per_reference_and_fit_kafka_offsets() -> None:
    assert origin_for("email", "eml:a.eml") == origin_for("email", "eml:a.eml")
    assert origin_for("email", "eml:a.eml") != origin_for("email", "eml:b.eml")
    origin = origin_for("email", "eml:a.eml")
    assert origin.topic == "source:email" and origin.partition == 0
    assert 0 <= origin.offset < 2**63


def test_replay_memory_is_bounded() -> None:
    emitter = Emitter("test", MemoryTarget(), memory=2)
    for number in range(3):
        emitter({**VALID, "event_id": f"test:{number}"}, ref=str(number))
    # The oldest id was forgotten; the warehouse de-duplicates what memory does not.
    assert emitter({**VALID, "event_id": "test:0"}, ref="0") == Emitted("test:0")
    assert emitter({**VALID, "event_id": "test:2"}, ref="2") == Duplicate("test:2")


def test_event_ids_hash_the_source_id() -> None:
    class Tiny(Source):
        name = "tiny"

    event_id = Tiny().event_id("<CAF=jan.jansen@example.nl>")
    assert event_id.startswith("tiny:") and "jan" not in event_id
    assert event_id == Tiny().event_id("<CAF=jan.jansen@example.nl>")


def test_the_registry_lists_the_connectors() -> None:
    assert {"email", "imap", "crm", "transcripts", "webhook"} <= set(registered())
    assert issubclass(load("email"), Source)
    with pytest.raises(UnknownSource, match="registered: "):
        load("fax")


def test_cli_lists_and_dry_runs_a_source(tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    calls.mkdir()
    turns = [{"speaker": "a", "start": 0, "end": 2, "text": "Vraag over ontslag"}]
    (calls / "c1.json").write_text(
        json.dumps(
            {
                "call_id": "c1",
                "started_at": "2026-11-02T09:00:00Z",
                "speakers": {"a": "lid"},
                "turns": turns,
            }
        )
    )
    (calls / "c2.json").write_text("{kapot")
    config = tmp_path / "transcripts.yaml"
    config.write_text(yaml.safe_dump({"path": str(calls)}))
    runner = CliRunner()
    listed = runner.invoke(app, ["sources", "list"])
    assert listed.exit_code == 0 and "transcripts" in listed.output
    result = runner.invoke(
        app, ["sources", "run", "transcripts", "--config", str(config), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "1 emitted, 0 duplicates, 1 dead letters {'bad_json': 1}" in result.output
    unknown = runner.invoke(app, ["sources", "run", "fax", "--config", str(config)])
    assert unknown.exit_code == 2
    config.write_text(yaml.safe_dump({"path": str(calls), "colour": "blue"}))
    invalid = runner.invoke(app, ["sources", "run", "transcripts", "--config", str(config)])
    # The message wraps where the terminal ends, which depends on the length of the path.
    assert invalid.exit_code == 2 and "invalid configuration" in " ".join(invalid.output.split())


def test_an_id_sent_again_with_other_content_is_a_dead_letter_not_a_duplicate() -> None:
    target = MemoryTarget()
    emitter = Emitter("test", target)
    first = {
        "event_id": "test:1",
        "occurred_at": "2026-11-02T09:00:00+01:00",
        "received_at": "2026-11-02T09:00:01+01:00",
        "channel": "chat",
        "text": "Eerste vraag",
    }
    assert isinstance(emitter(first, ref="a"), Emitted)
    # Received again later: the same contact, so a replay.
    later = {**first, "received_at": "2026-11-03T10:00:00+01:00"}
    assert isinstance(emitter(later, ref="b"), Duplicate)
    other = emitter({**first, "text": "Andere vraag"}, ref="c")
    assert isinstance(other, DeadLettered) and other.reason == "duplicate_event_id"
    [letter] = [DeadLetter.from_json(r.value) for r in target.on(DLQ)]
    assert letter.event_id == "test:1" and b"Andere vraag" in letter.original
    assert len(target.on(RAW)) == 1
    assert (emitter.counts.emitted, emitter.counts.duplicates, emitter.counts.dead_lettered) == (
        1,
        1,
        1,
    )
