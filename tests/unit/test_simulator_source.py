"""The simulator as a stream source: it goes through the same emitter as every connector."""

import json
from datetime import date

from pipeline.kafka_topics import DLQ, RAW
from pipeline.normalise import Accepted, accept
from pipeline.simulator import simulate
from pipeline.simulator.source import SimulatorSource
from pipeline.sources import Emitter, MemoryTarget


def _source(tmp_path, **overrides):
    config = {"scenario": "baseline", "start": "2026-03-07", "days": 2, "seed": 4}
    config |= {"truth": str(tmp_path / "sim.truth.jsonl"), **overrides}
    return SimulatorSource.from_config(config)


def test_emits_valid_events_keyed_by_event_id_with_truth_beside(tmp_path):
    target = MemoryTarget()
    emitter = Emitter("simulator", target)
    _source(tmp_path).run(emitter)
    emitter.close()
    assert target.on(DLQ) == []
    raw = target.on(RAW)
    truth = [
        json.loads(line) for line in (tmp_path / "sim.truth.jsonl").read_text("utf-8").splitlines()
    ]
    assert 20 < len(raw) == len(truth)  # a quiet weekend
    assert [r.key for r in raw] == [t["event_id"] for t in truth]
    assert (tmp_path / "sim.scenario.json").is_file()
    for record in raw:
        outcome = accept(record.value)
        assert isinstance(outcome, Accepted) and outcome.event.source == "simulator"


def test_a_replay_sends_nothing_new(tmp_path):
    emitter = Emitter("simulator", MemoryTarget())
    first, second = _source(tmp_path), _source(tmp_path)
    first.run(emitter)
    second.run(emitter)
    assert emitter.counts.emitted == first.count == second.count
    assert emitter.counts.duplicates == first.count


def test_stop_ends_the_run_early(tmp_path):
    source = _source(tmp_path, days=30)
    sent = []

    def emit(record, *, ref):
        sent.append(ref)
        if len(sent) == 10:
            source.stop()

    source.run(emit)
    assert len(sent) == 10


def test_ingestion_leaves_simulated_text_untouched_so_spans_still_fit():
    """Normalisation must be the identity on simulator output, or PII offsets would drift."""
    for event, _ in simulate("surge-limburg", date(2026, 3, 23), 1, seed=6):
        outcome = accept(json.dumps(event, ensure_ascii=False).encode("utf-8"))
        assert isinstance(outcome, Accepted), outcome
        assert outcome.event.to_dict() == event
