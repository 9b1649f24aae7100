"""The production path under failure: two workers, kill -9 five times, poison records.

10,000 simulated contacts (with planted personal data) go through validate →
redact → embed → assign → DuckDB while workers are killed and restarted, so the
partitions rebalance between them. Exactly 10,000 contacts must land, each once,
with the sink's offsets at the end of its topics, and no planted personal value
may appear anywhere in the DuckDB file.
"""

import random
from datetime import date
from itertools import islice
from pathlib import Path

import pytest

from pipeline.kafka_topics import DLQ, ENRICHED, EVENTS, RAW
from pipeline.producer import EventProducer
from pipeline.simulator.generator import simulate
from tests.integration.leaks import leaks_in_database, planted_by_event
from tests.integration.processes import (
    PipelineProcess,
    end_offsets,
    group_lag,
    sink_caught_up,
    snapshot_query,
    stop_all,
    wait_for,
)

pytestmark = pytest.mark.integration

CONTACTS = 10_000
POISON = [
    b'{"event_id": "half',
    b"\x00\x9f\x92\x96 binary",
    b"[]",
    b'{"event_id": "x", "text": "' + b"a" * 70_000 + b'"}',
]


def landed(data_dir: Path) -> int:
    rows = snapshot_query(data_dir, "SELECT contacts FROM ops.landed")
    return rows[0][0] if rows else 0


def test_two_workers_killed_five_times_land_every_contact_once(
    kafka_broker, pipeline_env, tmp_path
):
    env = {
        **pipeline_env,
        "LEDENRADAR_EMBEDDING_MODEL": "minilm",
        "LEDENRADAR_ENRICH_BATCH_SIZE": "128",
    }
    data_dir = Path(env["LEDENRADAR_DATA_DIR"])
    pairs = list(islice(simulate("baseline", date(2026, 3, 2), 14, seed=11), CONTACTS))
    assert len(pairs) == CONTACTS
    rng = random.Random(5)
    records = [(event["event_id"], event) for event, _ in pairs]
    poison = 0
    with EventProducer(kafka_broker.bootstrap) as producer:
        for i, (key, event) in enumerate(records):
            producer.send_json(RAW, event, key=key)
            if i % 1000 == 500:
                producer.send(RAW, rng.choice(POISON))
                poison += 1

    logs = iter(range(100))
    sink = PipelineProcess(
        ["sink", "--no-themes", "--snapshot-every", "1"], env, tmp_path / "sink.log"
    )
    workers = [
        PipelineProcess(["worker"], env, tmp_path / f"worker-{next(logs)}.log") for _ in range(2)
    ]
    try:
        for kill in range(5):
            target = landed(data_dir) + rng.randint(300, 900)
            wait_for(
                lambda t=target: landed(data_dir) >= t,
                600,
                f"progress before kill {kill + 1}",
                (sink, *workers),
            )
            victim = kill % 2
            workers[victim].kill()
            workers[victim] = PipelineProcess(
                ["worker"], env, tmp_path / f"worker-{next(logs)}.log"
            )
        assert landed(data_dir) < CONTACTS, "the stream finished before the fifth kill"

        group = env["LEDENRADAR_APP_ID"]
        wait_for(
            lambda: (
                group_lag(kafka_broker.bootstrap, group, RAW) == 0
                and group_lag(kafka_broker.bootstrap, group, EVENTS) == 0
                and sink_caught_up(kafka_broker.bootstrap, data_dir, (ENRICHED, DLQ))
            ),
            1800,  # bounds a hang; on a quiet machine this takes a few minutes
            "workers and sink to finish",
            (sink, *workers),
        )
    finally:
        stop_all(*workers, sink)

    assert landed(data_dir) == CONTACTS
    reasons = dict(snapshot_query(data_dir, "SELECT reason, records FROM ops.dead_letter_reasons"))
    assert sum(reasons.values()) == poison == 10, reasons
    assert "duplicate_event_id" not in reasons
    stored = dict(
        ((t, p), o)
        for t, p, o in snapshot_query(
            data_dir, "SELECT topic, partition, next_offset FROM ops.consumer_offsets"
        )
    )
    # A partition that never received a record has no stored position: it counts as 0.
    ends = end_offsets(kafka_broker.bootstrap, (ENRICHED, DLQ))
    assert set(stored) <= set(ends)
    assert {key: stored.get(key, 0) for key in ends} == ends

    warehouse = data_dir / "ledenradar.duckdb"
    found = leaks_in_database(warehouse, planted_by_event(truth for _, truth in pairs))
    assert found == {}, {kind: values[:5] for kind, values in found.items()}
