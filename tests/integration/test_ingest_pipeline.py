"""10,000 events through the real broker, faust worker and DuckDB sink.

500 of them are malformed in seven ways. The worker is killed mid-stream and
restarted, then a second worker replays the topic from the beginning: the
warehouse must count exactly the same throughout.
"""

import json
import random
import time
from pathlib import Path

import pytest

from pipeline.kafka_topics import DLQ, ENRICHED, EVENTS, RAW
from pipeline.producer import EventProducer
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

TOTAL, MALFORMED = 10_000, 500
BAD_KINDS = {
    "bad_json": 100,
    "missing_field": 80,
    "bad_type": 80,
    "undecodable": 60,
    "oversize": 60,
    "bad_timestamp": 60,
    "duplicate_event_id": 60,
}


def valid_event(i: int, rng: random.Random) -> dict:
    return {
        "event_id": f"it-{i:05d}",
        "occurred_at": f"2026-11-{rng.randint(2, 27):02d}T{rng.randint(8, 20):02d}:15:00+01:00",
        "source": "integration-test",
        "channel": rng.choice(["phone", "email", "chat", "webform"]),
        "text": f"Vraag {i} over mijn cao en de thuiswerkvergoeding.",
        "province": rng.choice(["NL-LI", "Noord-Brabant", "NL-ZH", "utrecht"]),
        "sector": rng.choice(["industrie", "zorg en welzijn", "onderwijs"]),
    }


def malformed(kind: str, i: int, rng: random.Random) -> tuple[str | None, bytes]:
    event = valid_event(100_000 + i, rng)
    if kind == "bad_json":
        return None, json.dumps(event).encode()[: rng.randint(5, 60)]
    if kind == "missing_field":
        del event[rng.choice(["text", "channel", "occurred_at", "source"])]
    elif kind == "bad_type":
        event[rng.choice(["text", "channel", "source"])] = rng.choice([42, ["a"], {"x": 1}, True])
    elif kind == "undecodable":
        return None, bytes([0xFF, 0xFE, 0x00, 0xD8]) + rng.randbytes(40)
    elif kind == "oversize":
        event["text"] = "lang verhaal " * 6000
    elif kind == "bad_timestamp":
        event["occurred_at"] = rng.choice(
            ["2026-13-45T10:00:00+01:00", "gisteren", "2026-11-20 10:00"]
        )
    elif kind == "duplicate_event_id":
        event["event_id"] = f"it-{rng.randrange(TOTAL - MALFORMED):05d}"
    return event["event_id"], json.dumps(event).encode()


def produce_all(bootstrap: str) -> None:
    rng = random.Random(7)
    records = [
        (f"it-{i:05d}", json.dumps(valid_event(i, rng)).encode()) for i in range(TOTAL - MALFORMED)
    ]
    for kind, n in BAD_KINDS.items():
        records += [malformed(kind, i, rng) for i in range(n)]
    rng.shuffle(records)
    with EventProducer(bootstrap) as producer:
        producer.send_many(RAW, records)


def landed(data_dir: Path) -> tuple[int, dict[str, int]]:
    contacts = snapshot_query(data_dir, "SELECT contacts FROM ops.landed")
    reasons = snapshot_query(data_dir, "SELECT reason, records FROM ops.dead_letter_reasons")
    return (contacts[0][0] if contacts else 0), dict(reasons)


def test_ten_thousand_events_land_exactly_once(kafka_broker, pipeline_env, tmp_path):
    data_dir = Path(pipeline_env["LEDENRADAR_DATA_DIR"])
    started = time.monotonic()
    produce_all(kafka_broker.bootstrap)

    sink = PipelineProcess(
        ["sink", "--no-themes", "--snapshot-every", "1"], pipeline_env, tmp_path / "sink.log"
    )
    worker = PipelineProcess(["worker"], pipeline_env, tmp_path / "worker-1.log")
    processes = (sink, worker)
    try:
        # The bounds below only catch a hang: speed is the benchmark's business
        # (bench/bench_pipeline.py); on a quiet machine each wait takes a minute or two.
        wait_for(lambda: landed(data_dir)[0] >= 1500, 600, "first contacts to land", processes)
        worker.kill()
        assert landed(data_dir)[0] < TOTAL - MALFORMED, (
            "worker finished before it could be killed mid-stream"
        )

        worker = PipelineProcess(["worker"], pipeline_env, tmp_path / "worker-2.log")
        processes = (sink, worker)
        wait_for(
            lambda: (
                group_lag(kafka_broker.bootstrap, pipeline_env["LEDENRADAR_APP_ID"], RAW) == 0
                and group_lag(kafka_broker.bootstrap, pipeline_env["LEDENRADAR_APP_ID"], EVENTS)
                == 0
                and sink_caught_up(kafka_broker.bootstrap, data_dir, (ENRICHED, DLQ))
            ),
            900,
            "the restarted worker and the sink to catch up",
            processes,
        )
        elapsed = time.monotonic() - started
        contacts, reasons = landed(data_dir)
        assert contacts == TOTAL - MALFORMED
        assert reasons == BAD_KINDS
        print(f"\n10k events produced, validated and landed in {elapsed:.1f}s (worker killed once)")

        # A second consumer group reads contact.raw from the beginning: a full replay.
        worker.stop()
        replay_env = {
            **pipeline_env,
            "LEDENRADAR_APP_ID": pipeline_env["LEDENRADAR_APP_ID"] + "-replay",
        }
        worker = PipelineProcess(["worker"], replay_env, tmp_path / "worker-replay.log")
        processes = (sink, worker)
        wait_for(
            lambda: (
                group_lag(kafka_broker.bootstrap, replay_env["LEDENRADAR_APP_ID"], RAW) == 0
                and group_lag(kafka_broker.bootstrap, replay_env["LEDENRADAR_APP_ID"], EVENTS) == 0
                and sink_caught_up(kafka_broker.bootstrap, data_dir, (ENRICHED, DLQ))
            ),
            900,
            "the replay to be landed",
            processes,
        )
        assert landed(data_dir) == (TOTAL - MALFORMED, BAD_KINDS)
        replayed = sum(end_offsets(kafka_broker.bootstrap, (EVENTS,)).values())
        assert replayed >= 2 * (TOTAL - MALFORMED), "the replay did not re-send the events"
    finally:
        stop_all(*processes)
