import json
import os
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.contract.dead_letter import Origin
from pipeline.normalise import accept
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.snapshot_publisher import SNAPSHOT_NICENESS, SnapshotPublisher
from pipeline.warehouse.writer import LandedContact, WarehouseWriter


def landed(event_id: str, offset: int) -> LandedContact:
    raw = {
        "event_id": event_id,
        "occurred_at": "2026-11-20T10:00:00+00:00",
        "source": "test",
        "channel": "chat",
        "text": "vraag",
    }
    return LandedContact(accept(json.dumps(raw).encode()).event, Origin("t", 0, offset), 100)


def test_the_loop_goes_on_while_a_snapshot_is_written_and_never_starts_a_second() -> None:
    release, running = threading.Event(), threading.Event()
    calls = []

    def publish() -> None:
        calls.append(threading.get_ident())
        running.set()
        assert release.wait(10)

    publisher = SnapshotPublisher(publish, every=0.0)
    assert publisher.start_if_due(time.monotonic())  # returns while the snapshot still runs
    assert running.wait(10) and publisher.busy()
    assert not publisher.start_if_due(time.monotonic() + 60)
    release.set()
    publisher.wait()
    assert calls and calls[0] != threading.get_ident() and not publisher.busy()
    assert len(calls) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="nice per thread is Linux's")
def test_the_snapshot_thread_gives_way_to_the_rest_of_the_process() -> None:
    seen = []

    def publish() -> None:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    publisher = SnapshotPublisher(publish, every=0.0)
    assert publisher.start_if_due(time.monotonic())
    publisher.wait()
    assert seen == [min(own + SNAPSHOT_NICENESS, 19)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own


def test_after_a_slow_snapshot_the_next_waits_three_times_as_long() -> None:
    publisher = SnapshotPublisher(lambda: time.sleep(0.2), every=0.05)
    assert not publisher.start_if_due(time.monotonic())  # the first waits `every` too
    assert publisher.start_if_due(time.monotonic() + 0.1)
    publisher.wait()
    finished = time.monotonic()
    assert not publisher.start_if_due(finished + 0.4)  # 3 x 0.2 s have not passed
    assert publisher.start_if_due(finished + 0.7)
    publisher.wait()


def test_a_failed_snapshot_is_raised_in_the_loops_thread() -> None:
    def publish() -> None:
        raise OSError("disk full")

    publisher = SnapshotPublisher(publish, every=0.0)
    assert publisher.start_if_due(time.monotonic())
    with pytest.raises(RuntimeError, match="snapshot failed") as raised:
        publisher.wait()
    assert isinstance(raised.value.__cause__, OSError)
    publisher.wait()  # raised once, not again


def test_a_snapshot_on_a_cursor_holds_what_was_committed_while_landing_goes_on(
    tmp_path: Path,
) -> None:
    writer = WarehouseWriter(open_warehouse(tmp_path / "w.duckdb"))
    writer.land([landed(f"e{i}", i) for i in range(7)], [], {})
    target = tmp_path / "snapshot.duckdb"

    def publish() -> None:
        cursor = writer.con.cursor()
        try:
            writer.snapshot(target, cursor)
        finally:
            cursor.close()

    publisher = SnapshotPublisher(publish, every=0.0)
    assert publisher.start_if_due(time.monotonic())
    writer.land([landed(f"f{i}", 100 + i) for i in range(5)], [], {})  # beside the snapshot
    publisher.wait()
    first = duckdb.connect(str(target), read_only=True)
    assert first.execute("SELECT contacts FROM ops.landed").fetchone()[0] in (7, 12)
    first.close()
    publisher.publish_now()
    latest = duckdb.connect(str(target), read_only=True)
    assert latest.execute("SELECT contacts FROM ops.landed").fetchone()[0] == 12
    latest.close()
