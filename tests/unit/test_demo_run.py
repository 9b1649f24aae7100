"""`make demo`'s shell: the broker it starts never outlives a failed run."""

import pytest

import pipeline.demo as demo


class RecordingBroker:
    bootstrap = "127.0.0.1:9"
    stopped = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def start(self) -> float:
        return 0.1

    def stop(self) -> None:
        RecordingBroker.stopped += 1


def test_the_broker_is_stopped_when_the_worker_cannot_start(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "KafkaBroker", RecordingBroker)
    monkeypatch.setattr(demo, "ensure_topics", lambda bootstrap: None)
    monkeypatch.setattr(demo.sys, "executable", str(tmp_path / "bin" / "python"))

    with pytest.raises(FileNotFoundError, match="make setup"):
        demo.run(tmp_path / "demo")

    assert RecordingBroker.stopped == 1
