"""Publishing emerging-theme alerts on `contact.alerts` for the digest, dashboard and e-mail."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pipeline.kafka_topics import ALERTS
from pipeline.producer import EventProducer
from topics.emergence import Alert


def alert_record(alert: Alert) -> dict:
    data = asdict(alert)
    data["day"] = alert.day.isoformat()
    data["first_seen"] = alert.first_seen.isoformat()
    data["quote_ids"] = list(alert.quote_ids)
    return data


class AlertPublisher:
    def __init__(self, bootstrap: str, **kafka_config: Any) -> None:
        self._producer = EventProducer(bootstrap, **kafka_config)

    def publish(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            self._producer.send_json(ALERTS, alert_record(alert), key=alert.theme_id)
        self._producer.flush()
