import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.contract.codec import decode_event, encode_event
from pipeline.contract.schema import DEPRECATED_FIELDS, ContactEvent, InvalidEvent, json_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "contact_event.schema.json"


def test_exported_json_schema_is_current():
    assert json.loads(DOC.read_text(encoding="utf-8")) == json_schema(), (
        "run `ledenradar export-schema`"
    )


def test_schema_lists_every_field_of_the_dataclass_and_marks_the_deprecated_names():
    properties = json_schema()["properties"]
    assert set(properties) == set(ContactEvent.__dataclass_fields__) | set(DEPRECATED_FIELDS)
    for old, new in DEPRECATED_FIELDS.items():
        assert properties[old]["deprecated"] is True and new in properties[old]["description"]
        assert properties[old]["enum"] == properties[new]["enum"]


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


def test_content_hash_keeps_the_field_names_of_the_first_release():
    """core.contacts keeps hashes made before `region` became `province`: a re-delivery of
    such a contact must hash the same, or it would be dead-lettered as a duplicate."""
    occurred = datetime(2026, 11, 20, 10, tzinfo=UTC)
    event = ContactEvent("e1", occurred, occurred, "test", "email", "vraag", province="NL-LI")
    as_first_release = {k: v for k, v in event.to_dict().items() if k != "received_at"}
    as_first_release["region"] = as_first_release.pop("province")
    canonical = json.dumps(
        as_first_release, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    assert event.content_hash() == hashlib.sha256(canonical.encode("utf-8")).digest()


def test_from_dict_takes_the_deprecated_name_and_refuses_two_different_values():
    now = datetime.now(UTC)
    base = {"event_id": "e", "occurred_at": now, "received_at": now, "source": "s"}
    base |= {"channel": "chat", "text": "t"}
    assert ContactEvent.from_dict({**base, "region": "NL-GR"}).province == "NL-GR"
    assert ContactEvent.from_dict({**base, "region": "NL-GR", "province": "NL-GR"}).province == (
        "NL-GR"
    )
    with pytest.raises(InvalidEvent) as error:
        ContactEvent.from_dict({**base, "region": "NL-GR", "province": "NL-LI"})
    assert error.value.reason == "conflicting_fields"
    assert "region" in error.value.detail and "NL-" not in error.value.detail


def test_a_record_written_before_the_rename_still_decodes():
    occurred = datetime(2026, 11, 20, 10, tzinfo=UTC)
    event = ContactEvent("e1", occurred, occurred, "test", "email", "vraag", province="NL-ZE")
    old = json.loads(encode_event(event))
    old["region"] = old.pop("province")
    assert decode_event(json.dumps(old).encode()) == event
