"""The Kafka security settings reach every client: kafka-python producers, the sink's
consumer, the topic admin and the faust worker (no SASL broker needed)."""

from dataclasses import replace

import certifi
import pytest
from faust.auth import SASLCredentials
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

import pipeline.kafka_topics
import pipeline.producer
import pipeline.sources.targets
import pipeline.warehouse.sink
from pipeline.kafka_security import faust_broker_credentials, kafka_python_config
from pipeline.settings import Settings
from pipeline.worker import create_app

SASL = {
    "LEDENRADAR_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "LEDENRADAR_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
    "LEDENRADAR_KAFKA_SASL_USERNAME": "ledenradar-sink",
    "LEDENRADAR_KAFKA_SASL_PASSWORD": "s3cret-from-env",
    "LEDENRADAR_KAFKA_CA_FILE": "/etc/ledenradar/union-ca.pem",
}
EXPECTED = {
    "security_protocol": "SASL_SSL",
    "sasl_mechanism": "SCRAM-SHA-512",
    "sasl_plain_username": "ledenradar-sink",
    "sasl_plain_password": "s3cret-from-env",
    "ssl_cafile": "/etc/ledenradar/union-ca.pem",
    "ssl_check_hostname": True,
}


class Built(Exception):
    """Raised by a fake client so the test sees exactly what it was given."""


def fake_client(*args, **kwargs):
    raise Built(kwargs)


@pytest.fixture
def sasl_settings(monkeypatch, tmp_path) -> Settings:
    monkeypatch.setenv("LEDENRADAR_CONFIG", str(tmp_path / "none.toml"))
    for name, value in SASL.items():
        monkeypatch.setenv(name, value)
    return Settings.load()


def test_plaintext_is_the_default_and_adds_nothing():
    assert kafka_python_config(Settings()) == {}
    assert faust_broker_credentials(Settings()) is None


def test_sasl_ssl_settings_come_from_the_environment(sasl_settings):
    assert kafka_python_config(sasl_settings) == EXPECTED
    assert "s3cret" not in repr(sasl_settings)


@pytest.mark.parametrize(
    ("module", "build"),
    [
        (pipeline.producer, lambda c: pipeline.producer.EventProducer("k:9094", **c)),
        (
            pipeline.sources.targets,  # the webhook's and the file sources' producer
            lambda c: pipeline.sources.targets.KafkaTarget("k:9094", wait_for_ack=True, **c),
        ),
        (pipeline.kafka_topics, lambda c: pipeline.kafka_topics.ensure_topics("k:9094", **c)),
        (
            pipeline.warehouse.sink,
            lambda c: pipeline.warehouse.sink.WarehouseSink(None, "k:9094", kafka_config=c),
        ),
    ],
)
def test_the_settings_reach_each_kafka_python_client(sasl_settings, monkeypatch, module, build):
    for name in ("KafkaProducer", "KafkaConsumer", "KafkaAdminClient"):
        if hasattr(module, name):
            monkeypatch.setattr(module, name, fake_client)
    with pytest.raises(Built) as built:
        build(kafka_python_config(sasl_settings))
    given = built.value.args[0]
    assert {k: given[k] for k in EXPECTED} == EXPECTED
    assert given["bootstrap_servers"] == "k:9094"


def test_the_settings_reach_the_faust_worker(sasl_settings):
    # The worker loads the CA file when it builds its TLS context: give it a real bundle.
    app = create_app(replace(sasl_settings, kafka_ca_file=certifi.where()))
    credentials = app.conf.broker_credentials
    assert isinstance(credentials, SASLCredentials)
    auth = credentials_to_aiokafka_auth(credentials)
    assert auth["security_protocol"] == "SASL_SSL"
    assert auth["sasl_mechanism"] == "SCRAM-SHA-512"
    assert auth["sasl_plain_username"] == "ledenradar-sink"
    assert auth["sasl_plain_password"] == "s3cret-from-env"
    assert auth["ssl_context"].verify_mode.name == "CERT_REQUIRED"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kafka_security_protocol": "SASL_PLAINTEXT"}, "use one of"),
        ({"kafka_security_protocol": "SASL_SSL"}, "needs kafka_sasl_username"),
        (
            {
                "kafka_security_protocol": "SASL_SSL",
                "kafka_sasl_username": "u",
                "kafka_sasl_password": "p",
                "kafka_sasl_mechanism": "MD5",
            },
            "kafka_sasl_mechanism",
        ),
        ({"kafka_ca_file": "/ca.pem"}, "PLAINTEXT"),
    ],
)
def test_incomplete_or_unsafe_settings_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        kafka_python_config(Settings(**changes))
