"""The webhook on loopback: tokens, size limit, clear errors, replays, and Kafka failures."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
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


def test_a_client_still_sending_region_lands_its_province(running) -> None:
    url, target, _ = running
    old_client = {k: v for k, v in chat("c-78").items() if k != "province"} | {"region": "Zeeland"}
    status, answer = post(url, json.dumps(old_client).encode())
    assert (status, answer["status"]) == (202, "accepted")
    [record] = target.on(RAW)
    sent = json.loads(record.value)
    assert sent["province"] == "NL-ZE" and "region" not in sent
    status, answer = post(url, json.dumps({**chat("c-79"), "region": "Zeeland"}).encode())
    assert (status, answer["error"]) == (400, "conflicting_fields")


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
    status, answer = post(url, json.dumps({**chat("c-9"), "province": "Atlantis"}).encode())
    assert status == 400
    assert answer["error"] == "bad_value" and answer["detail"].startswith("province must be")
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


@pytest.mark.parametrize(
    "field", ["source", "received_at", "metadata", "event_id", "schema_version", "agent"]
)
def test_only_documented_fields_are_accepted(running, field) -> None:
    url, target, _ = running
    status, answer = post(url, json.dumps({**chat("c-x"), field: "door de client"}).encode())
    assert (status, answer["error"]) == (400, "unknown_field")
    assert field in answer["detail"] and "door de client" not in answer["detail"]
    assert target.on(RAW) == [] and len(target.on(DLQ)) == 1


def test_the_server_sets_source_and_received_at(running) -> None:
    url, target, _ = running
    assert post(url, json.dumps(chat("c-own")).encode())[0] == 202
    [record] = target.on(RAW)
    event = json.loads(record.value)
    assert event["source"] == "webhook"
    received = datetime.fromisoformat(event["received_at"])
    assert abs(datetime.now(UTC) - received) < timedelta(minutes=5)


def test_union_unit_must_be_a_configured_unit() -> None:
    source = make_webhook(union_units=["afd-utrecht-03"])
    target = MemoryTarget()
    thread = threading.Thread(target=source.run, args=(Emitter(source.name, target),), daemon=True)
    thread.start()
    url = source.wait_until_serving()
    try:
        body = {**chat("c-u1"), "union_unit": "AFD-Utrecht-03"}
        assert post(url, json.dumps(body).encode())[0] == 202
        body = {**chat("c-u2"), "union_unit": "Jan Jansen, BSN 111222333"}
        status, answer = post(url, json.dumps(body).encode())
        assert (status, answer["error"]) == (400, "bad_value") and "union_unit" in answer["detail"]
        assert "Jansen" not in answer["detail"]
        [landed] = [json.loads(r.value) for r in target.on(RAW)]
        assert landed["union_unit"] == "afd-utrecht-03"
    finally:
        source.stop()
        thread.join(5)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[" * 900 + b"]" * 900, "bad_json"),
        (b'{"id": "c-d", "text":' + b'{"a":' * 600 + b"1" + b"}" * 601, "bad_type"),
        (json.dumps({**chat("c-deep"), "text": [[["x"]]]}).encode(), "bad_type"),
        (b"text=hallo", "bad_json"),
        (b"\xff\xfe\x00", "bad_json"),
    ],
)
def test_bodies_that_are_no_event_get_400_never_503(running, body, reason, caplog) -> None:
    url, target, _ = running
    status, answer = post(url, body)
    assert (status, answer["error"]) == (400, reason)
    assert len(target.on(DLQ)) == 1 and target.on(RAW) == []
    assert "Kafka" not in caplog.text


def test_the_deep_body_within_the_size_limit_is_refused() -> None:
    source = make_webhook(max_body_bytes=64 * 1024)
    target = MemoryTarget()
    thread = threading.Thread(target=source.run, args=(Emitter(source.name, target),), daemon=True)
    thread.start()
    try:
        status, answer = post(source.wait_until_serving(), b"[" * 30000 + b"]" * 30000)
        assert (status, answer) == (400, {"error": "bad_json", "detail": answer["detail"]})
        assert "nested too deeply" in answer["detail"]
    finally:
        source.stop()
        thread.join(5)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_body_that_is_not_json_by_content_type_gets_415(running, content_type) -> None:
    url, target, _ = running
    status, answer = post(
        url, json.dumps(chat("c-ct")).encode(), headers={"Content-Type": content_type}
    )
    assert (status, answer["error"]) == (415, "unsupported_media_type")
    assert target.records == []
    charset = {"Content-Type": "application/json; charset=utf-8"}
    assert post(url, json.dumps(chat("c-ct")).encode(), headers=charset)[0] == 202


def test_same_id_with_other_content_is_a_dead_letter_not_a_duplicate(running) -> None:
    url, target, _ = running
    assert post(url, json.dumps(chat("c-same", "Eerste vraag over loon.")).encode())[0] == 202
    status, answer = post(url, json.dumps(chat("c-same", "Andere vraag over ontslag.")).encode())
    assert (status, answer["error"]) == (409, "duplicate_event_id")
    [letter] = [DeadLetter.from_json(r.value) for r in target.on(DLQ)]
    assert letter.reason == "duplicate_event_id" and b"ontslag" in letter.original
    assert len(target.on(RAW)) == 1


def trickle(request_start: bytes, more: int) -> tuple[bytes, int]:
    """Send the start of a request, then one byte now and then (each well within the socket
    timeout, so only a deadline stops it) until the server answers or closes; returns
    the answer and how many of the `more` bytes were sent by then."""
    source = make_webhook(read_timeout_s=0.5)
    thread = threading.Thread(
        target=source.run, args=(Emitter(source.name, MemoryTarget()),), daemon=True
    )
    thread.start()
    parts = urlsplit(source.wait_until_serving())
    sent, answer, closed = 0, b"", False
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as client:
        client.sendall(request_start)
        client.setblocking(False)
        while not (answer or closed) and sent < more:
            try:
                answer = client.recv(4096)
                closed = not answer
            except BlockingIOError:
                client.sendall(b"a")
                sent += 1
                time.sleep(0.05)
    source.stop()
    thread.join(5)
    return answer, sent


def test_a_slow_partial_body_is_cut_off_before_it_completes() -> None:
    declared = 1000
    answer, sent = trickle(
        b"POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {TOKEN}\r\nContent-Length: {declared}\r\n\r\n".encode(),
        declared,
    )
    assert answer.startswith(b"HTTP/1.1 408")
    assert sent < declared


def test_slow_headers_are_cut_off_too() -> None:
    answer, sent = trickle(b"POST /events HTTP/1.1\r\nX-Slow: ", 1000)
    assert sent < 1000  # the server answered or closed long before the headers could end
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4")


def test_twenty_requests_wait_for_their_acknowledgements_side_by_side() -> None:
    callers = 20
    everyone_waiting = threading.Barrier(callers, timeout=30)

    class SlowAckTarget(MemoryTarget):
        """Acknowledges only once all 20 sends wait at once: serialised sends never would."""

        def send(self, topic, key, value, headers):
            everyone_waiting.wait()
            super().send(topic, key, value, headers)

    source = make_webhook()
    target = SlowAckTarget()
    thread = threading.Thread(target=source.run, args=(Emitter(source.name, target),), daemon=True)
    thread.start()
    url = source.wait_until_serving()
    answers: list = []
    requests = [
        threading.Thread(
            target=lambda n=n: answers.append(post(url, json.dumps(chat(f"c-p{n}")).encode()))
        )
        for n in range(callers)
    ]
    for request in requests:
        request.start()
    for request in requests:
        request.join(40)
    source.stop()
    thread.join(5)
    assert sorted(status for status, _ in answers) == [202] * callers
    assert len(target.on(RAW)) == callers
