"""The webhook on loopback: tokens, size limit, clear errors, replays, and Kafka failures."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.contract.dead_letter import DeadLetter
from pipeline.kafka_topics import DLQ, RAW
from pipeline.sources import Emitter, MemoryTarget
from pipeline.sources.webhook import WebhookSource
from tests.contract.samples import TOKEN, chat, post
from tests.contract.source_contract import SourceContract


def make_webhook(**options) -> WebhookSource:
    return WebhookSource(clients={"chatplatform": {"token": TOKEN}}, port=0, **options)


class TestWebhook(SourceContract):
    expected_events = 2
    bad_reasons = {"bad_json", "missing_source_id", "bad_value", "missing_field"}
    runs_until_stopped = True

    def make_source(self, tmp_path: Path) -> WebhookSource:
        self.payloads = [
            json.dumps(
                chat("c-1", "Mijn mail is jan.jansen@example.nl, bel 06-12345678.")
            ).encode(),
            json.dumps(chat("c-2")).encode(),
        ]
        return make_webhook()

    def bad_input(self, tmp_path: Path) -> WebhookSource:
        self.payloads = [
            b"{niet json",
            json.dumps({"channel": "chat", "text": "zonder id"}).encode(),
            json.dumps({**chat("c-3"), "channel": "phone"}).encode(),
            json.dumps({**chat("c-4"), "occurred_at": None}).encode(),
        ]
        return make_webhook()

    def feed(self, source: WebhookSource) -> None:
        url = source.wait_until_serving()
        for payload in self.payloads:
            post(url, payload)


@pytest.fixture
def running() -> Iterator[tuple[str, MemoryTarget, WebhookSource]]:
    source = make_webhook(max_body_bytes=4096)
    target = MemoryTarget()
    thread = threading.Thread(target=source.run, args=(Emitter(source.name, target),), daemon=True)
    thread.start()
    yield source.wait_until_serving(), target, source
    source.stop()
    thread.join(5)


def test_accepted_then_a_replay_is_a_duplicate(running) -> None:
    url, target, _ = running
    body = json.dumps(chat("c-77")).encode()
    status, answer = post(url, body)
    assert (status, answer["status"]) == (202, "accepted")
    status, replay = post(url, body)
    assert (status, replay) == (200, {"status": "duplicate", "event_id": answer["event_id"]})
    assert [r.key for r in target.on(RAW)] == [answer["event_id"]]


def test_ids_are_namespaced_by_client() -> None:
    source = WebhookSource(clients={"a": {"token": "ta"}, "b": {"token": "tb"}}, port=0)
    assert source.client_for("Bearer ta") == "a" and source.client_for("Bearer tb") == "b"
    assert source.event_id("a:1") != source.event_id("b:1")


@pytest.mark.parametrize("token", [None, "wrong", ""])
def test_unauthenticated_calls_get_401_and_send_nothing(running, token) -> None:
    url, target, _ = running
    status, answer = post(url, json.dumps(chat("c-1")).encode(), token=token)
    assert (status, answer) == (401, {"error": "unauthorized"})
    assert target.records == []


def test_an_oversized_body_gets_413_unread(running) -> None:
    url, target, _ = running
    status, answer = post(url, json.dumps(chat("c-big", "x" * 5000)).encode())
    assert status == 413 and answer["error"] == "too_large"
    assert target.records == []


def test_invalid_payloads_get_400_with_the_reason_and_a_dead_letter(running) -> None:
    url, target, _ = running
    status, answer = post(url, json.dumps({**chat("c-9"), "region": "Atlantis"}).encode())
    assert status == 400
    assert answer == {"error": "bad_value", "detail": "region 'Atlantis' is no Dutch province"}
    [letter] = [DeadLetter.from_json(r.value) for r in target.on(DLQ)]
    assert letter.reason == "bad_value" and b"Atlantis" in letter.original
    status, answer = post(url, b"[1, 2]")
    assert (status, answer["error"]) == (400, "bad_json")


def test_kafka_down_gives_503_and_a_retry_is_accepted() -> None:
    class FlakyTarget(MemoryTarget):
        failures = 1

        def send(self, topic, key, value, headers):
            if self.failures:
                self.failures -= 1
                raise TimeoutError("no ack")
            super().send(topic, key, value, headers)

    source = make_webhook()
    target = FlakyTarget()
    thread = threading.Thread(target=source.run, args=(Emitter(source.name, target),), daemon=True)
    thread.start()
    url = source.wait_until_serving()
    body = json.dumps(chat("c-retry")).encode()
    try:
        assert post(url, body) == (503, {"error": "unavailable"})
        status, answer = post(url, body)
        assert (status, answer["status"]) == (202, "accepted")
        assert len(target.on(RAW)) == 1
    finally:
        source.stop()
        thread.join(5)


def test_unknown_paths_and_health(running) -> None:
    url, _, _ = running
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", "/health")
    assert connection.getresponse().status == 200
    connection.close()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", "/events")
    assert connection.getresponse().status == 404
    connection.close()


def test_stopping_lets_a_request_in_flight_finish() -> None:
    class SlowTarget(MemoryTarget):
        def send(self, topic, key, value, headers):
            time.sleep(0.5)  # a slow Kafka acknowledgement
            super().send(topic, key, value, headers)

    source = make_webhook()
    target = SlowTarget()
    runner = threading.Thread(target=source.run, args=(Emitter(source.name, target),), daemon=True)
    runner.start()
    url = source.wait_until_serving()
    answers: list = []
    caller = threading.Thread(
        target=lambda: answers.append(post(url, json.dumps(chat("c-5")).encode()))
    )
    caller.start()
    time.sleep(0.2)
    source.stop()
    runner.join(5)
    assert not runner.is_alive()
    assert len(target.on(RAW)) == 1  # on the target before run() returned
    caller.join(5)
    assert answers[0][0] == 202
