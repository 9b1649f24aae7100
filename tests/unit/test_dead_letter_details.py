"""A dead letter's detail names the field and the rule, never the rejected value."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.contract.dead_letter import DeadLetter, Origin, dead_letter
from pipeline.kafka_topics import DLQ
from pipeline.normalise import Accepted, Rejected, accept
from pipeline.sources import Emitter, MemoryTarget

PLANTED = "Jan Jansen, BSN 111222333"
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def valid(**fields) -> dict:
    return {
        "event_id": "e-1",
        "occurred_at": "2026-11-20T10:15:00+01:00",
        "source": "test",
        "channel": "chat",
        "text": "Hoe zit het met mijn vakantiegeld?",
        **fields,
    }


def reject(record: dict) -> Rejected:
    outcome = accept(json.dumps(record).encode(), now=NOW)
    assert isinstance(outcome, Rejected), outcome
    return outcome


@pytest.mark.parametrize(
    "field",
    [
        "province",
        "sector",
        "channel",
        "direction",
        "service_line",
        "language",
        "union_unit",
        "member_ref",
        "occurred_at",
        "received_at",
        "schema_version",
        "event_id",
        "metadata",
    ],
)
def test_a_planted_value_never_reaches_the_detail(field) -> None:
    rejected = reject(valid(**{field: PLANTED}))
    assert field in rejected.detail
    assert "Jansen" not in rejected.detail and "111222333" not in rejected.detail


def test_an_unknown_key_that_is_a_value_is_counted_not_quoted() -> None:
    rejected = reject(valid(**{PLANTED: "x", "agent_note": "y"}))
    assert rejected.reason == "unknown_field"
    assert "agent_note" in rejected.detail and "1 field(s) with an unusable name" in rejected.detail
    assert "Jansen" not in rejected.detail


def test_the_emitters_dead_letters_carry_no_value() -> None:
    target = MemoryTarget()
    emitter = Emitter("test", target)
    for field in ("province", "sector", "occurred_at", "union_unit"):
        emitter(valid(**{field: PLANTED}), ref=field)
    letters = [DeadLetter.from_json(record.value) for record in target.on(DLQ)]
    assert len(letters) == 4
    assert all("Jansen" not in letter.detail for letter in letters)
    assert all(PLANTED.encode() in letter.original for letter in letters)  # kept to repair


def test_a_detail_that_quotes_is_blanked_when_made_and_when_read() -> None:
    origin = Origin("contact.raw", 0, 7)
    made = dead_letter("bad_enrichment", f"KeyError('{PLANTED}')", origin, b"{}")
    assert "Jansen" not in made.detail and made.reason == "bad_enrichment"
    old = json.loads(made.to_json())
    old["detail"] = f'province "{PLANTED}" is no province'
    read = DeadLetter.from_json(json.dumps(old).encode())
    assert "Jansen" not in read.detail and read.detail.startswith("province")


def test_occurred_at_more_than_a_day_ahead_is_a_dead_letter() -> None:
    rejected = reject(valid(occurred_at="2099-01-01T00:00:00+00:00"))
    assert rejected.reason == "future_timestamp" and "occurred_at" in rejected.detail
    just_ahead = (NOW + timedelta(hours=23)).isoformat()
    assert isinstance(accept(json.dumps(valid(occurred_at=just_ahead)).encode(), now=NOW), Accepted)
    too_far = (NOW + timedelta(hours=25)).isoformat()
    assert reject(valid(occurred_at=too_far)).reason == "future_timestamp"


def test_a_malformed_event_id_is_not_kept_as_the_dead_letters_id() -> None:
    assert reject(valid(event_id=PLANTED, province="Atlantis")).event_id is None
    assert reject(valid(province="Atlantis")).event_id == "e-1"
