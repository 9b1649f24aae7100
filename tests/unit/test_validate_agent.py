"""The validate agent with faust's test helpers: no broker, real routing logic."""

import asyncio
import json
from unittest.mock import patch

import faust

from pipeline.dead_letter import DeadLetter
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
