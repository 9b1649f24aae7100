"""A real single-node Apache Kafka broker (KRaft) for development, tests and the demo.

The broker runs from the official Apache Kafka jars, fetched once from Maven
Central with `mvn dependency:copy-dependencies` into the shared cache. Each broker
keeps its data, log and pid file under its own directory, so tests can run a
private broker on a free port next to a developer's broker.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

KAFKA_VERSION = "4.1.1"
LOG4J_VERSION = "2.24.3"

_POM = f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>ledenradar</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>{KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>{KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>{LOG4J_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>{LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
"""

_LOG4J2 = """Configuration:
  Appenders:
    File:
      name: broker
      fileName: "${sys:kafka.logs.dir}/server.log"
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: broker
    Logger:
      - name: kafka.server.KafkaRaftServer
        level: INFO
"""


class KafkaUnavailable(RuntimeError):
    """The broker cannot be fetched or started; the message says what is missing."""


def jars_dir(cache_dir: Path) -> Path:
    return cache_dir / f"kafka-{KAFKA_VERSION}" / "libs"


def fetch_jars(cache_dir: Path) -> Path:
    """Download the broker's jars once (idempotent); returns the jar directory."""
    libs = jars_dir(cache_dir)
    marker = libs.parent / ".complete"
    if marker.exists():
        return libs
    if shutil.which("mvn") is None:
        raise KafkaUnavailable("Maven (mvn) is needed once to fetch the Kafka jars; install it.")
    libs.parent.mkdir(parents=True, exist_ok=True)
    (libs.parent / "pom.xml").write_text(_POM, encoding="utf-8")
    result = subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "dependency:copy-dependencies",
            f"-DoutputDirectory={libs}",
            "-DincludeScope=runtime",
        ],
        cwd=libs.parent,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise KafkaUnavailable(
            f"fetching Kafka {KAFKA_VERSION} jars failed:\n{result.stdout[-2000:]}"
        )
    marker.touch()
    return libs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _exited(pid: int) -> bool:
    """True once the process is gone. A broker this process started stays a zombie until it
    is reaped, and a zombie still answers signal 0: without the reap, each stop waited out
    its whole timeout (30 s per test broker)."""
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped:
            return True
    except ChildProcessError:  # started by another process: only signal 0 can tell
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@dataclass
class KafkaBroker:
    """One KRaft broker+controller on 127.0.0.1, living in `home`."""

    home: Path
    cache_dir: Path
    port: int = 9092
    heap: str = "768m"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def _pid_file(self) -> Path:
        return self.home / "broker.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "server.log"

    def pid(self) -> int | None:
        try:
            pid = int(self._pid_file.read_text())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def is_running(self) -> bool:
        return self.pid() is not None and self._answers()

    def start(self, timeout: float = 60.0) -> float:
        """Start (or reuse) the broker; returns seconds until it answered metadata."""
        java = shutil.which("java")
        if java is None:
            raise KafkaUnavailable(
                "Java 17+ is needed to run the Kafka broker (apt-get install openjdk-17-jre-headless)."
            )
        if self.pid() is not None:
            if self._answers():
                return 0.0
            self.stop()
        libs = fetch_jars(self.cache_dir)
        started = time.monotonic()
        properties = self._write_config()
        classpath = f"{libs}/*"
        log_dir = self.home / "logs"
        jvm = [
            java,
            f"-Xmx{self.heap}",
            "-Xms256m",
            # One small broker beside the encoder on a few cores: the serial collector has no
            # concurrent GC threads competing for them (with the setting below, the idle broker
            # 5.7 -> 3.9 % of a core, docs/performance.md).
            "-XX:+UseSerialGC",
            f"-Dkafka.logs.dir={log_dir}",
            f"-Dlog4j2.configurationFile={self.home / 'log4j2.yaml'}",
            "-cp",
            classpath,
        ]
        if not (self.home / "data" / "meta.properties").exists():
            self._format_storage(jvm, properties)
        with open(log_dir / "stdout.log", "ab") as out:
            process = subprocess.Popen(
                [*jvm, "kafka.Kafka", str(properties)],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._pid_file.write_text(str(process.pid))
        deadline = started + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise KafkaUnavailable(
                    f"the broker exited with {process.returncode}; see {log_dir}"
                )
            if self._answers():
                return time.monotonic() - started
            time.sleep(0.3)
        self.stop()
        raise KafkaUnavailable(f"the broker did not answer within {timeout:.0f}s; see {log_dir}")

    def _format_storage(self, jvm: list[str], properties: Path) -> None:
        """Format the KRaft log directory once, with a fresh cluster id."""
        formatted = subprocess.run(
            [
                *jvm,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                uuid.uuid4().hex[:22],
                "-c",
                str(properties),
                "--standalone",
            ],
            capture_output=True,
            text=True,
        )
        if formatted.returncode != 0:
            output = (formatted.stderr or formatted.stdout).strip().splitlines()[-5:]
            raise KafkaUnavailable(
                f"formatting the broker's storage in {self.home / 'data'} failed "
                f"(exit {formatted.returncode}): " + " / ".join(output)
            )

    def stop(self, timeout: float = 30.0) -> None:
        pid = self.pid()
        if pid is None:
            self._pid_file.unlink(missing_ok=True)
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _exited(pid):
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
            _exited(pid)
        self._pid_file.unlink(missing_ok=True)

    def _answers(self) -> bool:
        """True once the broker serves metadata requests."""
        from kafka import KafkaAdminClient
        from kafka.errors import KafkaError

        try:
            admin = KafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=2000)
        except (KafkaError, OSError):
            return False
        try:
            admin.list_topics()
            return True
        except (KafkaError, OSError):
            return False
        finally:
            admin.close()

    def _write_config(self) -> Path:
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        (self.home / "log4j2.yaml").write_text(_LOG4J2, encoding="utf-8")
        path = self.home / "server.properties"
        # The controller's address is part of the formatted metadata: keep it across restarts.
        if path.exists() and f":{self.port}," in path.read_text(encoding="utf-8"):
            return path
        controller = free_port()
        path.write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.bootstrap.servers=127.0.0.1:{controller}",
                    f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{controller}",
                    f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    f"log.dirs={self.home / 'data'}",
                    "num.partitions=4",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=4",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "group.initial.rebalance.delay.ms=0",
                    # One node: no other broker needs the controller's no-op record every 0.5 s
                    # (the default) to see it alive, and each costs an append to the metadata log.
                    "metadata.max.idle.interval.ms=5000",
                    # Personal data lives in Kafka only briefly (privacy by design).
                    "log.retention.hours=168",
                    "auto.create.topics.enable=false",
                ]
            )
            + "\n",
            encoding="utf-8",
        )
        return path


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline.kafka_broker fetch --cache DIR`, used by `make setup`."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.kafka_broker")
    parser.add_argument("command", choices=["fetch"])
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        print(f"kafka jars: {fetch_jars(args.cache)}")
    except KafkaUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
