"""The contract every stream source meets; a new source passes it by subclassing.

    class TestMySource(SourceContract):
        expected_events = 2
        bad_reasons = {"missing_field"}

        def make_source(self, tmp_path):   # input with `expected_events` valid records
            ...                            # that mention `planted_personal_data`
        def bad_input(self, tmp_path):     # input with at least one bad record
            ...

Sources that receive input while running (a webhook) set `runs_until_stopped`
and override `feed`. Everything runs against an in-memory target: no Kafka.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import ClassVar

from pipeline.contract.dead_letter import DeadLetter
from pipeline.kafka_topics import DLQ, RAW
from pipeline.normalise import Accepted, accept
from pipeline.sources import Emitter, MemoryTarget, Source

PROMPT_STOP_SECONDS = 2.0
RUN_TIMEOUT_SECONDS = 20.0


class SourceContract:
    expected_events: ClassVar[int]
    bad_reasons: ClassVar[set[str]]
    planted_personal_data: ClassVar[tuple[str, ...]] = ("jan.jansen@example.nl", "06-12345678")
    runs_until_stopped: ClassVar[bool] = False

    def make_source(self, tmp_path: Path) -> Source:
        raise NotImplementedError

    def bad_input(self, tmp_path: Path) -> Source:
        raise NotImplementedError

    def feed(self, source: Source) -> None:
        """Deliver the input to a running source; file sources read their own."""

    def collect(self, source: Source, emitter: Emitter | None = None) -> MemoryTarget:
        """Run the source to the end of its input; what it emitted."""
        emitter = emitter or Emitter(source.name, MemoryTarget())
        errors: list[BaseException] = []
        thread = threading.Thread(target=_run, args=(source, emitter, errors), daemon=True)
        thread.start()
        self.feed(source)
        if self.runs_until_stopped:
            source.stop()
        thread.join(RUN_TIMEOUT_SECONDS)
        assert not thread.is_alive(), f"{source.name} did not finish its input"
        assert not errors, f"{source.name} raised {errors[0]!r}"
        emitter.close()
        assert isinstance(emitter.target, MemoryTarget)
        return emitter.target

    def test_emits_valid_events_keyed_by_event_id(self, tmp_path: Path) -> None:
        source = self.make_source(tmp_path)
        target = self.collect(source)
        assert target.on(DLQ) == []
        raw = target.on(RAW)
        assert len(raw) == self.expected_events
        for record in raw:
            outcome = accept(record.value)
            assert isinstance(outcome, Accepted), outcome
            assert outcome.event.event_id == record.key
            assert outcome.event.source == source.name
            assert outcome.event.text

    def test_a_rerun_emits_the_same_ids_and_a_replay_nothing(self, tmp_path: Path) -> None:
        first = [record.key for record in self.collect(self.make_source(tmp_path)).on(RAW)]
        second = [record.key for record in self.collect(self.make_source(tmp_path)).on(RAW)]
        assert sorted(first) == sorted(second)
        assert len(set(first)) == len(first) == self.expected_events
        emitter = Emitter(self.make_source(tmp_path).name, MemoryTarget())
        self.collect(self.make_source(tmp_path), emitter)
        self.collect(self.make_source(tmp_path), emitter)
        assert emitter.counts.emitted == self.expected_events
        assert emitter.counts.duplicates == self.expected_events

    def test_a_bad_record_goes_to_the_dlq_with_a_reason(self, tmp_path: Path) -> None:
        source = self.bad_input(tmp_path)
        letters = [DeadLetter.from_json(r.value) for r in self.collect(source).on(DLQ)]
        assert letters, "the bad input produced no dead letter"
        assert {letter.reason for letter in letters} <= self.bad_reasons
        for letter in letters:
            assert letter.detail
            assert letter.origin.topic == f"source:{source.name}"

    def test_stop_is_prompt_while_running(self, tmp_path: Path) -> None:
        source = self.make_source(tmp_path)
        source.follow, source.poll_interval = True, 60.0
        emitter = Emitter(source.name, MemoryTarget())
        thread = threading.Thread(target=_run, args=(source, emitter, []), daemon=True)
        thread.start()
        self.feed(source)
        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        while emitter.counts.emitted < self.expected_events and time.monotonic() < deadline:
            time.sleep(0.02)
        assert thread.is_alive(), "a following source must keep running until stopped"
        started = time.monotonic()
        source.stop()
        thread.join(PROMPT_STOP_SECONDS + 1)
        elapsed = time.monotonic() - started
        assert not thread.is_alive() and elapsed < PROMPT_STOP_SECONDS, f"stop took {elapsed:.1f}s"

    def test_no_personal_data_in_logs(self, tmp_path: Path, caplog) -> None:
        caplog.set_level(logging.DEBUG)
        target = self.collect(self.make_source(tmp_path))
        self.collect(self.bad_input(tmp_path))
        emitted = " ".join(record.value.decode("utf-8") for record in target.on(RAW))
        for planted in self.planted_personal_data:
            assert planted in emitted, f"the test input should mention {planted!r}"
            assert planted not in caplog.text


def _run(source: Source, emitter: Emitter, errors: list[BaseException]) -> None:
    try:
        source.run(emitter)
    except BaseException as error:  # reported by the test thread
        errors.append(error)
