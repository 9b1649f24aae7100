import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.contract.schema import ContactEvent, InvalidEvent, json_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "contact_event.schema.json"


def test_exported_json_schema_is_current():
    assert json.loads(DOC.read_text(encoding="utf-8")) == json_schema(), (
        "run `ledenradar export-schema`"
    )


def test_schema_lists_every_field_of_the_dataclass():
    assert set(json_schema()["properties"]) == set(ContactEvent.__dataclass_fields__)


def test_no_field_can_hold_staff_identity():
    assert not {"agent_id", "employee_id", "medewerker"} & set(json_schema()["properties"])


@pytest.mark.parametrize("ref", ["M123456", "lid-0042"])
def test_pseudonymous_member_refs_are_accepted(ref):
    now = datetime.now(UTC)
    event = ContactEvent.from_dict(
        {
            "event_id": "e",
            "occurred_at": now,
            "received_at": now,
            "source": "s",
            "channel": "chat",
            "text": "t",
            "member_ref": ref,
        }
    )
    assert event.member_ref == ref


@pytest.mark.parametrize("ref", ["Jan Jansen", "janjansen", "Piet"])
def test_names_are_refused_as_member_refs(ref):
    now = datetime.now(UTC)
    with pytest.raises(InvalidEvent) as error:
        ContactEvent.from_dict(
            {
                "event_id": "e",
                "occurred_at": now,
                "received_at": now,
                "source": "s",
                "channel": "chat",
                "text": "t",
                "member_ref": ref,
            }
        )
    assert error.value.reason == "bad_member_ref"


def test_content_hash_ignores_when_the_pipeline_received_the_event():
    occurred = datetime(2026, 11, 20, 10, tzinfo=UTC)
    first = ContactEvent("e1", occurred, occurred, "test", "email", "vraag", metadata={"a": 1})
    later = replace(first, received_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert first.content_hash() == later.content_hash()
    assert len(first.content_hash()) == 32  # raw SHA-256, stored as BLOB
    for changed in (
        replace(first, text="andere vraag"),
        replace(first, occurred_at=datetime(2026, 11, 21, tzinfo=UTC)),
        replace(first, metadata={"a": 2}),
        replace(first, province="NL-LI"),
    ):
        assert changed.content_hash() != first.content_hash()
