"""The analysts' snapshot, published beside the landing loop.

A snapshot re-materialises every mart (`WarehouseWriter.snapshot`): about 0.15 CPU-s at
3,000 contacts, most of it fixed DuckDB work per mart, 0.6 s at 10,000. Taken in the sink's
own loop, landing waited for it, and on a machine where the worker encodes on every core it
took a core from the encoder once a second. So the sink publishes it in a thread of its
own, at a lower CPU priority: landing never waits for a snapshot, and where the worker and
the sink share cores the encoder goes first. A snapshot that has to wait for a core takes
longer, and the next one waits `SNAPSHOT_MAX_SHARE_INVERSE` times as long (measured in
docs/performance.md, "The snapshot gives way to the encoder").
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable

# A snapshot re-materialises every mart, so its cost grows with the warehouse; at a fixed
# one-second cadence it would end up taking the sink's whole core. Waiting at least this
# many times the last snapshot's duration caps it near a quarter. 5 (a sixth) cost 3 s of
# p95 latency at 50 contacts/s.
SNAPSHOT_MAX_SHARE_INVERSE = 3
# The snapshot thread's nice value above the sink's own (Linux: per thread): under
# contention it gets about a tenth of a core's share beside a thread of nice 0; on an idle
# core it runs at full speed.
SNAPSHOT_NICENESS = 10


def next_snapshot_gap(snapshot_every: float, last_duration: float) -> float:
    """Seconds to wait after a snapshot before the next one: the configured interval, or
    longer when snapshots have become expensive."""
    return max(snapshot_every, SNAPSHOT_MAX_SHARE_INVERSE * last_duration)


def lower_thread_priority(niceness: int = SNAPSHOT_NICENESS) -> None:
    """Raise the calling thread's nice value by `niceness`. Linux sets it per thread; other
    systems would renice the whole process, so there it is left alone."""
    if sys.platform.startswith("linux"):
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + niceness)


class SnapshotPublisher:
    """Runs `publish` (one snapshot, in the calling thread) in a background thread of lower
    priority, at most one at a time and no sooner than `next_snapshot_gap` after the last.

    A failed snapshot is raised again in the loop's thread, at its next call.

        publisher = SnapshotPublisher(lambda: writer.snapshot(path, writer.con.cursor()), 1.0)
        if dirty and publisher.start_if_due(time.monotonic()):
            dirty = False  # everything committed before this call is in it
        ...
        publisher.publish_now()  # at stop: waits for a running one, then one more
    """

    def __init__(self, publish: Callable[[], object], every: float) -> None:
        self._publish = publish
        self._every = every
        self._gap = every
        self._finished = time.monotonic()
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start_if_due(self, now: float) -> bool:
        """Start a snapshot unless one is running or the gap since the last has not passed;
        True when one started (it holds everything committed before this call)."""
        self._raise_failure()
        if self.busy() or now - self._finished < self._gap:
            return False
        self._thread = threading.Thread(target=self._run, name="snapshot", daemon=True)
        self._thread.start()
        return True

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
        self._raise_failure()

    def publish_now(self) -> None:
        """Wait for a running snapshot, then publish one in this thread."""
        self.wait()
        self._publish()

    def _run(self) -> None:
        lower_thread_priority()
        started = time.monotonic()
        try:
            self._publish()
        except BaseException as failure:  # noqa: BLE001 - handed to the loop's thread
            self._failure = failure
        finally:
            self._finished = time.monotonic()
            self._gap = next_snapshot_gap(self._every, self._finished - started)

    def _raise_failure(self) -> None:
        failure, self._failure = self._failure, None
        if failure is not None:
            raise RuntimeError("publishing the analysts' snapshot failed") from failure
