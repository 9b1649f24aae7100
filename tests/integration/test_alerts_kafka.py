"""Emerging-theme alerts reach `contact.alerts` on a real broker, keyed by theme, as JSON."""

import json
from datetime import date

import pytest

from pipeline.alerts import AlertPublisher
from pipeline.kafka_topics import ALERTS
from tests.integration.processes import read_topic
from topics.emergence import Alert

pytestmark = pytest.mark.integration


def alert(theme_id: str, province: str) -> Alert:
    return Alert(
        theme_id=theme_id,
        kind="new_theme",
        segment_kind="province",
        segment_value=province,
        window_days=7,
        day=date(2026, 9, 3),
        iso_week="2026-W36",
        first_seen=date(2026, 9, 2),
        observed=9,
        expected=0.4,
        rate_ratio=22.5,
        p_value=1e-9,
        q_value=1e-7,
        quote_ids=("sim-1", "sim-2"),
    )


def test_published_alerts_can_be_read_back_from_contact_alerts(kafka_broker):
    sent = [alert("T0068", "NL-NB"), alert("T0070", "NL-LI")]
    AlertPublisher(kafka_broker.bootstrap).publish(sent)

    received = read_topic(kafka_broker.bootstrap, ALERTS)

    by_theme = {r.key.decode(): json.loads(r.value) for r in received}
    assert sorted(by_theme) == ["T0068", "T0070"]
    first = by_theme["T0068"]
    assert first["segment_value"] == "NL-NB" and first["kind"] == "new_theme"
    assert date.fromisoformat(first["day"]) - date.fromisoformat(first["first_seen"]) == (
        date(2026, 9, 3) - date(2026, 9, 2)
    )
    assert first["quote_ids"] == ["sim-1", "sim-2"]
