"""Planted personal data from the simulator must not survive redaction.

The pipeline-level leak test (DuckDB file and reports) belongs to the streaming step;
this is its core: redact simulated contacts and look for every planted value."""

from datetime import date

import pytest

from pipeline.redaction import Redactor
from pipeline.simulator.generator import simulate

FORMATTED = {"BSN", "IBAN", "TELEFOON", "EMAIL", "POSTCODE", "ADRES", "GEBOORTEDATUM",
             "LIDNUMMER", "KENTEKEN"}  # fmt: skip


@pytest.fixture(scope="module")
def leaks():
    redactor = Redactor()
    planted = leaked = 0
    leaked_formatted = []
    for event, truth in simulate("baseline", date(2026, 3, 2), 1, 5):
        redacted = redactor.redact(event["text"]).text
        for pii in truth["pii"]:
            if pii.get("field", "text") != "text":
                continue
            planted += 1
            if pii["value"] in redacted:
                leaked += 1
                if pii["type"] in FORMATTED:
                    leaked_formatted.append((pii["type"], pii["value"]))
    return planted, leaked, leaked_formatted


def test_no_planted_formatted_value_survives(leaks):
    planted, _, leaked_formatted = leaks
    assert planted > 500
    assert leaked_formatted == []


def test_at_most_one_percent_of_planted_values_survive(leaks):
    planted, leaked, _ = leaks
    assert leaked / planted <= 0.01
