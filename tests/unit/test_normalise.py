import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.contract.schema import ContactEvent
from pipeline.normalise import Accepted, Rejected, accept

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def valid(**changes) -> dict:
    base = {
        "event_id": "mail-0001",
        "occurred_at": "2026-11-20T10:15:00+01:00",
        "source": "mailbox",
        "channel": "email",
        "text": "Beste FNV,\r\nik   heb een vraag over mijn cao.",
        "province": "Limburg",
        "sector": "Zorg en welzijn",
    }
    base.update(changes)
    return base


def encode(data: dict) -> bytes:
    return json.dumps(data).encode("utf-8")


def test_valid_event_is_normalised():
    outcome = accept(encode(valid()), now=NOW)
    assert isinstance(outcome, Accepted)
    event = outcome.event
    assert event.occurred_at == datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
    assert event.received_at == NOW
    assert event.province == "NL-LI"
    assert event.sector == "zorg_welzijn"
    assert event.text == "Beste FNV,\nik heb een vraag over mijn cao."


def test_unicode_is_composed_to_nfc():
    decomposed = "Cafe\u0301 medewerker"
    outcome = accept(encode(valid(text=decomposed)), now=NOW)
    assert outcome.event.text == "Caf\u00e9 medewerker"


def test_staff_fields_are_dropped_everywhere():
    data = valid(
        agent_name="Piet", medewerker_id="m17", metadata={"handled_by": "Piet", "queue": "cao"}
    )
    event = accept(encode(data), now=NOW).event
    assert event.metadata == {"queue": "cao"}
    assert "Piet" not in json.dumps(event.to_dict())


def test_the_deprecated_name_region_lands_as_province():
    old = {k: v for k, v in valid().items() if k != "province"} | {"region": "Groningen"}
    assert accept(encode(old), now=NOW).event.province == "NL-GR"
    # Both names for the same province (one a name, one a code) agree.
    assert accept(encode(valid(region="NL-LI")), now=NOW).event.province == "NL-LI"


def test_region_and_province_that_differ_are_dead_lettered_with_both_names():
    outcome = accept(encode(valid(region="Groningen")), now=NOW)
    assert isinstance(outcome, Rejected) and outcome.reason == "conflicting_fields"
    assert "region" in outcome.detail and "province" in outcome.detail
    assert "Groningen" not in outcome.detail and "Limburg" not in outcome.detail
    bad = accept(encode(valid(region="Atlantis")), now=NOW)
    assert (bad.reason, bad.detail.split()[0]) == ("bad_value", "region")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "bad_json"),
        (b"[1, 2]", "bad_json"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff", "undecodable"),
        (encode({k: v for k, v in valid().items() if k != "text"}), "missing_field"),
        (encode(valid(channel="pigeon")), "bad_value"),
        (encode(valid(text=42)), "bad_type"),
        (encode(valid(occurred_at="2026-11-20T10:15:00")), "bad_timestamp"),
        (encode(valid(occurred_at="gisteren")), "bad_timestamp"),
        (encode(valid(province="Atlantis")), "bad_value"),
        (encode(valid(member_ref="Jan de Vries")), "bad_member_ref"),
        (encode(valid(schema_version=2)), "unsupported_schema_version"),
        (encode(valid(favourite_colour="rood")), "unknown_field"),
        (encode(valid(text="x" * (64 * 1024 + 1))), "oversize"),
        (b"{" + b" " * (300 * 1024) + b"}", "oversize"),
    ],
)
def test_bad_input_is_rejected_with_reason(raw, reason):
    outcome = accept(raw, now=NOW)
    assert isinstance(outcome, Rejected)
    assert outcome.reason == reason


def test_utf16_with_bom_is_accepted():
    outcome = accept(json.dumps(valid()).encode("utf-16"), now=NOW)
    assert isinstance(outcome, Accepted)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_give_event_or_rejection(raw):
    outcome = accept(raw, now=NOW)
    assert isinstance(outcome, Accepted | Rejected)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(list(valid()) + ["subject", "metadata", "direction"]), json_values
    )
)
def test_any_json_object_gives_event_or_rejection(data):
    outcome = accept(encode(valid() | data), now=NOW)
    if isinstance(outcome, Accepted):
        assert ContactEvent.from_dict(outcome.event.__dict__) == outcome.event
    else:
        assert outcome.reason
