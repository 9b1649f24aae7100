"""How every Kafka client of the project authenticates: one place turns the settings into
the options kafka-python (sink, producers, admin) and faust (worker) expect.

Default PLAINTEXT, for the broker on the compose file's internal network. In production the
broker listens on SASL_SSL (docs/architecture.md, "Kafka in production"): TLS verified
against the union's CA (`kafka_ca_file`, or the system store), and a SASL user per service
(`kafka_sasl_username`, `kafka_sasl_password`, best set through `LEDENRADAR_KAFKA_SASL_*`
environment variables so the password is in no file).
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING, Any

from pipeline.settings import Settings

if TYPE_CHECKING:
    from faust.types.auth import CredentialsT

PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_SSL")
MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


def _checked(settings: Settings) -> str:
    protocol = settings.kafka_security_protocol.upper()
    if protocol not in PROTOCOLS:
        # SASL_PLAINTEXT would send the password in the clear: not offered.
        raise ValueError(
            f"kafka_security_protocol {settings.kafka_security_protocol!r}: "
            f"use one of {', '.join(PROTOCOLS)}"
        )
    if protocol == "SASL_SSL":
        if settings.kafka_sasl_mechanism not in MECHANISMS:
            raise ValueError(
                f"kafka_sasl_mechanism {settings.kafka_sasl_mechanism!r}: "
                f"use one of {', '.join(MECHANISMS)}"
            )
        if not settings.kafka_sasl_username or not settings.kafka_sasl_password:
            raise ValueError(
                "kafka_security_protocol SASL_SSL needs kafka_sasl_username and "
                "kafka_sasl_password (e.g. LEDENRADAR_KAFKA_SASL_PASSWORD)"
            )
    if settings.kafka_ca_file and protocol == "PLAINTEXT":
        raise ValueError("kafka_ca_file is set but kafka_security_protocol is PLAINTEXT")
    return protocol


def kafka_python_config(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for KafkaProducer, KafkaConsumer and KafkaAdminClient."""
    protocol = _checked(settings)
    if protocol == "PLAINTEXT":
        return {}
    config: dict[str, Any] = {"security_protocol": protocol, "ssl_check_hostname": True}
    if settings.kafka_ca_file:
        config["ssl_cafile"] = settings.kafka_ca_file
    if protocol == "SASL_SSL":
        config |= {
            "sasl_mechanism": settings.kafka_sasl_mechanism,
            "sasl_plain_username": settings.kafka_sasl_username,
            "sasl_plain_password": settings.kafka_sasl_password,
        }
    return config


def faust_broker_credentials(settings: Settings) -> CredentialsT | None:
    """The worker's `broker_credentials`; None for PLAINTEXT."""
    import faust  # only the worker needs it; the sink and sources stay light

    protocol = _checked(settings)
    if protocol == "PLAINTEXT":
        return None
    context = ssl.create_default_context(
        purpose=ssl.Purpose.SERVER_AUTH, cafile=settings.kafka_ca_file or None
    )
    if protocol == "SSL":
        return faust.SSLCredentials(context)
    return faust.SASLCredentials(
        username=settings.kafka_sasl_username,
        password=settings.kafka_sasl_password,
        mechanism=settings.kafka_sasl_mechanism,
        ssl_context=context,
    )
