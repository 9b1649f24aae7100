"""Shared fixtures: a real Kafka broker for the session, started by the project's own launcher."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.kafka_broker import KafkaBroker, free_port
from pipeline.kafka_topics import ensure_topics
from pipeline.settings import Settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaBroker]:
    """A private KRaft broker per test (topics never leak between tests).

    It fails the test, never skips it, when Kafka cannot start.
    """
    broker = KafkaBroker(
        home=tmp_path_factory.mktemp("kafka"),
        cache_dir=Settings.load().cache_dir,
        port=free_port(),
    )
    seconds = broker.start(timeout=120)
    print(f"\nKafka broker ready on {broker.bootstrap} after {seconds:.1f}s")
    ensure_topics(broker.bootstrap)
    yield broker
    broker.stop()


@pytest.fixture
def pipeline_env(tmp_path: Path, kafka_broker: KafkaBroker) -> dict[str, str]:
    """Environment for pipeline subprocesses: own data dir, the session broker, a unique app id."""
    env = dict(os.environ)
    env.update(
        {
            "LEDENRADAR_DATA_DIR": str(tmp_path / "data"),
            "LEDENRADAR_KAFKA_BOOTSTRAP": kafka_broker.bootstrap,
            "LEDENRADAR_KAFKA_PORT": str(kafka_broker.port),
            "LEDENRADAR_APP_ID": f"ledenradar-test-{tmp_path.name}",
            "HF_HUB_OFFLINE": "1",
            # Integration tests check the plumbing; the Dutch model's quality has its own tests.
            "LEDENRADAR_EMBEDDING_MODEL": "minilm",
        }
    )
    return env
