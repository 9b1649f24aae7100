"""The launcher's error messages when Kafka cannot start, and its stop (the broker itself is
exercised by every integration test)."""

import os
import stat
import subprocess
import time

import pytest

from pipeline.kafka_broker import KafkaBroker, KafkaUnavailable
from pipeline.settings import Settings


def broker(tmp_path) -> KafkaBroker:
    return KafkaBroker(home=tmp_path / "kafka", cache_dir=Settings.load().cache_dir, port=1)


def test_without_java_the_message_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(KafkaUnavailable, match="Java 17\\+ is needed"):
        broker(tmp_path).start(timeout=5)


def test_a_failing_storage_format_is_a_clear_error_not_a_traceback(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    java = bin_dir / "java"
    java.write_text("#!/bin/sh\necho 'Error: the log directory is not writable' >&2\nexit 3\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(KafkaUnavailable, match="exit 3.*not writable"):
        broker(tmp_path).start(timeout=5)


def test_stop_returns_once_the_broker_it_started_exits(tmp_path):
    kafka = broker(tmp_path)
    kafka.home.mkdir()
    # Stands in for the JVM: a child of this process, as the one `start` launches.
    child = subprocess.Popen(["sleep", "60"], start_new_session=True)
    (kafka.home / "broker.pid").write_text(str(child.pid))
    began = time.monotonic()
    kafka.stop(timeout=20)
    # The exited child is reaped, not waited on as a zombie until SIGKILL.
    assert time.monotonic() - began < 10
    assert kafka.pid() is None and not (kafka.home / "broker.pid").exists()
