"""Running pipeline processes for integration tests, and reading what they landed."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

# `python -m pipeline`, not the console script: see pipeline/__main__.py.
LEDENRADAR = [sys.executable, "-m", "pipeline"]


class PipelineProcess:
    """A `ledenradar` subprocess with its output in a log file under the test's tmp dir."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*LEDENRADAR, *args], env=env, stdout=self._out, stderr=subprocess.STDOUT
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        self._out.close()

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._out.close()
        return self.process.returncode

    def assert_alive(self) -> None:
        if self.process.poll() is not None:
            raise AssertionError(
                f"process exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}"
            )


def wait_for(
    condition: Callable[[], bool], timeout: float, what: str, processes: tuple = ()
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            process.assert_alive()
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def snapshot_query(data_dir: Path, sql: str) -> list[tuple]:
    path = data_dir / "snapshot" / "ledenradar.duckdb"
    if not path.exists():
        return []
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def end_offsets(bootstrap: str, topics: tuple[str, ...]) -> dict[tuple[str, int], int]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    try:
        partitions = [
            TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()
        ]
        return {
            (tp.topic, tp.partition): offset
            for tp, offset in consumer.end_offsets(partitions).items()
        }
    finally:
        consumer.close()


def group_lag(bootstrap: str, group: str, topic: str) -> int | None:
    """Records of `topic` the consumer group has not committed yet; None before its first commit."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        committed = admin.list_group_offsets(group).get(group, {})
    finally:
        admin.close()
    ends = end_offsets(bootstrap, (topic,))
    done = {
        (tp.topic, tp.partition): meta.offset for tp, meta in committed.items() if tp.topic == topic
    }
    if not done:
        return None
    return sum(end - max(done.get(key, 0), 0) for key, end in ends.items())


def sink_caught_up(bootstrap: str, data_dir: Path, topics: tuple[str, ...]) -> bool:
    stored = dict(
        ((t, p), o)
        for t, p, o in snapshot_query(
            data_dir, "SELECT topic, partition, next_offset FROM ops.consumer_offsets"
        )
    )
    ends = end_offsets(bootstrap, topics)
    return all(stored.get(key, 0) >= end for key, end in ends.items())


def stop_all(*processes: PipelineProcess) -> None:
    for process in processes:
        if process.process.poll() is None:
            process.stop()


def read_topic(bootstrap: str, topic: str) -> list:
    """Everything on `topic` now, read from the beginning by a fresh consumer."""
    expected = sum(end_offsets(bootstrap, (topic,)).values())
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        consumer_timeout_ms=10_000,
    )
    records = []
    try:
        for record in consumer:
            records.append(record)
            if len(records) >= expected:
                break
    finally:
        consumer.close()
    return records
