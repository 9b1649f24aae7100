"""An HTTP endpoint for chat and web-form platforms: `POST /events` with a JSON body.

    curl -H "Authorization: Bearer $TOKEN" -d @event.json http://127.0.0.1:8088/events

    {"id": "chat-8841", "channel": "chat", "occurred_at": "2026-11-02T09:14:05+01:00",
     "text": "...", "region": "Utrecht", "sector": "zorg", "member_ref": "m-1234"}

Answers:
- 202 `{"status": "accepted", "event_id": ...}` only once Kafka has acknowledged
  the event (the source's emitter waits per record);
- 200 `{"status": "duplicate", ...}` for a replay of an id already accepted;
- 400 `{"error": reason, "detail": ...}` for an invalid payload, which is also
  dead-lettered so nothing is lost;
- 401 without a valid bearer token, 411 without Content-Length, 413 over
  `max_body_bytes` (the body is not read), 404 elsewhere, 503 when Kafka is down.

Event ids derive from the client's name and its own message id, so a client
that retries after a timeout cannot create a second event.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from pipeline.sources.base import Source
from pipeline.sources.emit import DeadLettered, Duplicate, Emit

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY_BYTES = 256 * 1024
_POLL_SECONDS = 0.2
_DRAIN_SECONDS = 35.0  # longer than one Kafka ack may take
_IDLE_CONNECTION_SECONDS = 30
CHANNELS = ("chat", "webform")


class WebhookSource(Source):
    """Serves `POST /events` until stopped.

    Config: `host`, `port` (0 picks a free one), `clients` (client name:
    `{token_env: VAR}`; `{token: ...}` only for tests), `max_body_bytes`.
    """

    name = "webhook"
    acknowledge_each: ClassVar[bool] = True

    def __init__(
        self,
        clients: dict[str, dict[str, str]],
        host: str = "127.0.0.1",
        port: int = 8088,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.host, self.port, self.max_body_bytes = host, port, max_body_bytes
        self._tokens = {name: _token(name, spec).encode() for name, spec in clients.items()}
        if not self._tokens:
            raise ValueError("configure at least one client with a token")
        self._serving = threading.Event()
        self._in_flight = 0
        self._settled = threading.Condition()

    def run(self, emit: Emit) -> None:
        server = ThreadingHTTPServer((self.host, self.port), _handler(self, emit))
        server.timeout = _POLL_SECONDS
        self.port = server.server_address[1]
        self._serving.set()
        log.info("webhook listening on %s:%d", self.host, self.port)
        try:
            while not self.stopped:
                server.handle_request()
        finally:
            server.server_close()
            self._serving.clear()
            # Requests in flight finish (and get their answer) before the emitter closes.
            with self._settled:
                self._settled.wait_for(lambda: self._in_flight == 0, timeout=_DRAIN_SECONDS)

    def _begin(self) -> bool:
        with self._settled:
            if self.stopped:
                return False
            self._in_flight += 1
            return True

    def _end(self) -> None:
        with self._settled:
            self._in_flight -= 1
            self._settled.notify_all()

    def wait_until_serving(self, timeout: float = 10.0) -> str:
        """The base URL once the socket listens (for tests and health checks)."""
        if not self._serving.wait(timeout):
            raise TimeoutError("the webhook did not start listening")
        return f"http://{self.host}:{self.port}"

    def client_for(self, authorization: str | None) -> str | None:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        offered = token.strip().encode()
        # Compare against every token so timing does not reveal which prefix matched.
        matches = [
            name for name, known in self._tokens.items() if hmac.compare_digest(known, offered)
        ]
        return matches[0] if matches else None


def _token(client: str, spec: dict[str, str]) -> str:
    token = spec.get("token") or os.environ.get(spec.get("token_env", ""), "")
    if not token:
        raise ValueError(f"client {client!r} has no token (set token_env)")
    return token


def _handler(source: WebhookSource, emit: Emit) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = _IDLE_CONNECTION_SECONDS

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path == "/health":
                self._answer(HTTPStatus.OK, {"status": "ok"})
            else:
                self._answer(HTTPStatus.NOT_FOUND, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            if self.path != "/events":
                self._answer(HTTPStatus.NOT_FOUND, {"error": "not_found"}, close=True)
                return
            client = source.client_for(self.headers.get("Authorization"))
            if client is None:
                self._answer(HTTPStatus.UNAUTHORIZED, {"error": "unauthorized"}, close=True)
                return
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                self._answer(HTTPStatus.LENGTH_REQUIRED, {"error": "length_required"}, close=True)
                return
            if int(length) > source.max_body_bytes:
                detail = f"body of {length} bytes exceeds {source.max_body_bytes}"
                self._answer(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    {"error": "too_large", "detail": detail},
                    close=True,
                )
                return
            body = self.rfile.read(int(length))
            if not source._begin():
                self._answer(HTTPStatus.SERVICE_UNAVAILABLE, {"error": "shutting_down"}, close=True)
                return
            try:
                status, answer = _process(source, emit, client, body)
            except Exception as error:  # Kafka unreachable or refusing: the client must retry.
                # The type only: a message could quote the payload.
                log.error("webhook could not hand an event to Kafka: %s", type(error).__name__)
                status, answer = HTTPStatus.SERVICE_UNAVAILABLE, {"error": "unavailable"}
            finally:
                source._end()
            self._answer(status, answer)

        def _answer(self, status: HTTPStatus, body: dict[str, Any], close: bool = False) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            if status == HTTPStatus.UNAUTHORIZED:
                self.send_header("WWW-Authenticate", 'Bearer realm="ledenradar"')
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            # The default writes client addresses to stderr; log the status only.
            log.debug("webhook request answered: %s", args[1] if len(args) > 1 else "")

    return Handler


def _process(
    source: WebhookSource, emit: Emit, client: str, body: bytes
) -> tuple[HTTPStatus, dict]:
    ref_base = f"webhook:{client}"
    # A payload without a usable id is known by its bytes: one origin per distinct body.
    ref_body = f"{ref_base}:sha256:{hashlib.sha256(body).hexdigest()[:32]}"
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        outcome = emit.reject("bad_json", f"body is not JSON ({error})"[:200], body, ref=ref_body)
        return HTTPStatus.BAD_REQUEST, {"error": outcome.reason, "detail": outcome.detail}
    if not isinstance(payload, dict):
        outcome = emit.reject("bad_json", "body must be a JSON object", body, ref=ref_body)
        return HTTPStatus.BAD_REQUEST, {"error": outcome.reason, "detail": outcome.detail}
    own_id = payload.pop("id", None)
    if not isinstance(own_id, str | int) or str(own_id).strip() == "":
        outcome = emit.reject("missing_source_id", "the payload needs an 'id'", body, ref=ref_body)
        return HTTPStatus.BAD_REQUEST, {"error": outcome.reason, "detail": outcome.detail}
    if payload.get("channel") not in CHANNELS:
        detail = f"channel must be one of {', '.join(CHANNELS)}"
        outcome = emit.reject("bad_value", detail, body, ref=f"{ref_base}:{own_id}")
        return HTTPStatus.BAD_REQUEST, {"error": outcome.reason, "detail": outcome.detail}
    own = f"{client}:{own_id}"
    record = {**payload, "event_id": source.event_id(own)}
    outcome = emit(record, ref=f"webhook:{own}")
    if isinstance(outcome, DeadLettered):
        return HTTPStatus.BAD_REQUEST, {"error": outcome.reason, "detail": outcome.detail}
    if isinstance(outcome, Duplicate):
        return HTTPStatus.OK, {"status": "duplicate", "event_id": outcome.event_id}
    return HTTPStatus.ACCEPTED, {"status": "accepted", "event_id": outcome.event_id}
