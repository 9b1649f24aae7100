"""The validate agent with faust's test helpers: no broker, real routing logic."""

import asyncio
import json
from unittest.mock import patch

import faust

from pipeline.contract.dead_letter import DeadLetter
from pipeline.kafka_topics import DLQ, EVENTS
from pipeline.settings import Settings
from pipeline.worker import create_app


def run_agent(values: list[bytes]) -> dict[str, list[dict]]:
    app = create_app(Settings.load(app_id="test-validate"))
    app.conf.store = "memory://"
    app.finalize()
    app.flow_control.resume()
    sent: dict[str, list[dict]] = {EVENTS: [], DLQ: []}

    async def fake_send(self: faust.Topic, **kwargs):
        sent[self.get_topic_name()].append(kwargs)

    async def scenario():
        with patch.object(faust.Topic, "send", autospec=True, side_effect=fake_send):
            async with app.agents["validate"].test_context() as agent:
                for value in values:
                    await agent.put(value)

    asyncio.run(scenario())
    return sent


def test_agent_routes_valid_events_and_dead_letters():
    good = {
        "event_id": "chat-1",
        "occurred_at": "2026-11-20T10:00:00Z",
        "source": "chat",
        "channel": "chat",
        "text": "Hoe zit het met de thuiswerkvergoeding?",
    }
    sent = run_agent([json.dumps(good).encode(), b"\x00\x01 not json"])
    assert [s["key"] for s in sent[EVENTS]] == [b"chat-1"]
    assert json.loads(sent[EVENTS][0]["value"])["text"] == good["text"]
    assert "ledenradar-origin" in sent[EVENTS][0]["headers"]
    (letter,) = sent[DLQ]
    parsed = DeadLetter.from_json(letter["value"])
    assert parsed.reason == "bad_json"
    assert parsed.original == b"\x00\x01 not json"


def test_the_enrich_agent_decodes_events_once_and_dead_letters_what_it_cannot_read():
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from pipeline.contract.codec import encode_event
    from pipeline.contract.dead_letter import Origin
    from pipeline.contract.headers import ORIGIN_HEADER
    from pipeline.contract.schema import ContactEvent
    from pipeline.worker import split_valid

    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    good = encode_event(ContactEvent("e1", now, now, "test", "chat", "Vraag over de cao"))

    def event(value, offset, header=None):
        header = header or f"contact.raw/2/{offset + 10}".encode()
        message = SimpleNamespace(
            topic=EVENTS, partition=0, offset=offset, value=value, headers=[(ORIGIN_HEADER, header)]
        )
        return SimpleNamespace(message=message)

    accepted, letters = split_valid(
        [event(good, 1), event(good, 2, header=b"garbage"), event(b"{", 3), event(None, 4)]
    )
    assert [(e.event_id, origin) for e, origin in accepted] == [
        ("e1", Origin("contact.raw", 2, 11))
    ]
    # A bad header: the record's own place; an undecodable event: its raw origin.
    assert [(d.reason, d.origin) for d in letters] == [
        ("bad_header", Origin(EVENTS, 0, 2)),
        ("bad_event", Origin("contact.raw", 2, 13)),
        ("bad_event", Origin("contact.raw", 2, 14)),
    ]
