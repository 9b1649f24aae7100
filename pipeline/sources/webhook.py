"""An HTTP endpoint for chat and web-form platforms: `POST /events` with a JSON body.

    curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
         -d @event.json http://127.0.0.1:8088/events

    {"id": "chat-8841", "channel": "chat", "occurred_at": "2026-11-02T09:14:05+01:00",
     "text": "...", "province": "Utrecht", "sector": "zorg", "member_ref": "m-1234"}

A client sends only the fields in `CLIENT_FIELDS`, each a string; the server sets
`event_id`, `source` and `received_at`. `union_unit` must be one of the configured
`union_units`.

Answers:
- 202 `{"status": "accepted", "event_id": ...}` only once Kafka has acknowledged
  the event (the source's emitter waits per record; requests wait side by side);
- 200 `{"status": "duplicate", ...}` for a replay of an id already accepted with
  the same content;
- 400 `{"error": reason, "detail": ...}` for an invalid payload (not JSON, nested
  too deeply, a field that is not accepted, a wrong type or value), which is also
  dead-lettered so nothing is lost; the detail names the field, never the value;
- 409 `{"error": "duplicate_event_id", ...}` for an id already accepted with other
  content, dead-lettered too;
- 401 without a valid bearer token, 415 when the body is not `application/json`,
  411 without Content-Length, 413 over `max_body_bytes` (the body is not read),
  408 when the request has not arrived within `read_timeout_s`, 404 elsewhere, 503
  when Kafka is down (the only answer a client should retry).

Event ids derive from the client's name and its own message id, so a client
that retries after a timeout cannot create a second event.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import socket
import threading
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from pipeline.contract.schema import DEPRECATED_FIELDS, field_names
from pipeline.sources.base import Source
from pipeline.sources.emit import DeadLettered, Duplicate, Emit

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY_BYTES = 256 * 1024
# A request whose line, headers and body take longer is cut off (408 once the headers are in).
DEFAULT_READ_TIMEOUT_S = 10.0
_POLL_SECONDS = 0.2
_DRAIN_SECONDS = 35.0  # longer than one Kafka ack may take
# Connections waiting to be accepted; requests run side by side, so a burst should not be refused.
_LISTEN_BACKLOG = 128
CHANNELS = ("chat", "webform")
CLIENT_FIELDS = (
    "id",
    "channel",
    "occurred_at",
    "text",
    "subject",
    "direction",
    "language",
    "province",
    "sector",
    "union_unit",
    "service_line",
    "member_ref",
    *DEPRECATED_FIELDS,  # clients not yet updated; the door maps them to today's names
)
OPTIONAL_FIELDS = frozenset(
    {"subject", "province", "sector", "union_unit", "member_ref", *DEPRECATED_FIELDS}
)
_JSON = "application/json"


class _Server(ThreadingHTTPServer):
    request_queue_size = _LISTEN_BACKLOG


class WebhookSource(Source):
    """Serves `POST /events` until stopped.

    Config: `host`, `port` (0 picks a free one), `clients` (client name:
    `{token_env: VAR}`; `{token: ...}` only for tests), `max_body_bytes`,
    `read_timeout_s`, `union_units` (the unit codes a client may send).
    """

    name = "webhook"
    acknowledge_each: ClassVar[bool] = True

    def __init__(
        self,
        clients: dict[str, dict[str, str]],
        host: str = "127.0.0.1",
        port: int = 8088,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        read_timeout_s: float = DEFAULT_READ_TIMEOUT_S,
        union_units: list[str] | tuple[str, ...] = (),
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.host, self.port, self.max_body_bytes = host, port, max_body_bytes
        self.read_timeout_s = read_timeout_s
        self.union_units = frozenset(unit.strip().lower() for unit in union_units)
        self._tokens = {name: _token(name, spec).encode() for name, spec in clients.items()}
        if not self._tokens:
            raise ValueError("configure at least one client with a token")
        self._serving = threading.Event()
        self._in_flight = 0
        self._settled = threading.Condition()

    def run(self, emit: Emit) -> None:
        server = _Server((self.host, self.port), _handler(self, emit))
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
        # Socket timeout of every read: an idle connection or a stalled request is closed.
        timeout = source.read_timeout_s

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._watchdog.cancel()
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
            media_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if media_type != _JSON:
                detail = f"the body must be {_JSON}"
                self._answer(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    {"error": "unsupported_media_type", "detail": detail},
                    close=True,
                )
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
            body = self._read_body(int(length))
            if body is None:
                detail = f"the body did not arrive within {source.read_timeout_s:g} s"
                self._answer(
                    HTTPStatus.REQUEST_TIMEOUT, {"error": "timeout", "detail": detail}, close=True
                )
                return
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

        def handle_one_request(self) -> None:
            # However slowly a client trickles its request line, headers and body, the
            # request is cut off `read_timeout_s` after it began: each read alone would
            # wait that long again for every byte.
            self._watchdog = threading.Timer(source.read_timeout_s, self._cut_off)
            self._watchdog.daemon = True
            self._watchdog.start()
            try:
                super().handle_one_request()
            finally:
                self._watchdog.cancel()

        def _cut_off(self) -> None:
            with contextlib.suppress(OSError):  # already closed
                self.connection.shutdown(socket.SHUT_RD)

        def _read_body(self, length: int) -> bytes | None:
            """The whole body, or None when it was cut off or the client left."""
            try:
                body = self.rfile.read(length)
            except TimeoutError:
                return None
            self._watchdog.cancel()  # read in time; waiting for Kafka is no client's fault
            return body if len(body) == length else None

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
            try:
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client went away (or was cut off) before its answer
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            # The default writes client addresses to stderr; log the status only.
            log.debug("webhook request answered: %s", args[1] if len(args) > 1 else "")

    return Handler


def _process(
    source: WebhookSource, emit: Emit, client: str, body: bytes
) -> tuple[HTTPStatus, dict]:
    ref_base = f"webhook:{client}"
    # A payload without a usable id is known by its bytes: one origin per distinct body.
    ref = f"{ref_base}:sha256:{hashlib.sha256(body).hexdigest()[:32]}"
    try:
        record = _event_fields(source, ref_base, body)
    except _Refused as refused:
        outcome = emit.reject(refused.reason, refused.detail, body, ref=refused.ref or ref)
        return HTTPStatus.BAD_REQUEST, {"error": outcome.reason, "detail": outcome.detail}
    own = f"{client}:{record.pop('id')}"
    record |= {
        "event_id": source.event_id(own),
        # Set here, never by the client: when the pipeline received the contact.
        "received_at": datetime.now(UTC).isoformat(),
    }
    outcome = emit(record, ref=f"webhook:{own}")
    if isinstance(outcome, DeadLettered):
        status = (
            HTTPStatus.CONFLICT
            if outcome.reason == "duplicate_event_id"
            else HTTPStatus.BAD_REQUEST
        )
        return status, {"error": outcome.reason, "detail": outcome.detail}
    if isinstance(outcome, Duplicate):
        return HTTPStatus.OK, {"status": "duplicate", "event_id": outcome.event_id}
    return HTTPStatus.ACCEPTED, {"status": "accepted", "event_id": outcome.event_id}


class _Refused(ValueError):
    def __init__(self, reason: str, detail: str, ref: str | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.ref = reason, detail, ref


def _event_fields(source: WebhookSource, ref_base: str, body: bytes) -> dict[str, str]:
    """The client's documented fields, or `_Refused`; only strings travel on."""
    try:
        payload = json.loads(body)
    except RecursionError as error:
        raise _Refused("bad_json", "the JSON is nested too deeply") from error
    except UnicodeDecodeError as error:
        raise _Refused("bad_json", "the body is not UTF-8") from error
    except json.JSONDecodeError as error:
        detail = f"not JSON: {error.msg} at line {error.lineno} column {error.colno}"
        raise _Refused("bad_json", detail) from error
    if not isinstance(payload, dict):
        raise _Refused("bad_json", "the body must be a JSON object")
    own_id = payload.get("id")
    if isinstance(own_id, int) and not isinstance(own_id, bool):
        payload["id"] = own_id = str(own_id)
    if not isinstance(own_id, str) or own_id.strip() == "":
        raise _Refused("missing_source_id", "the payload needs an id (string or number)")
    ref = f"{ref_base}:{own_id}"
    unknown = set(payload) - set(CLIENT_FIELDS)
    if unknown:
        raise _Refused("unknown_field", f"not accepted: {field_names(unknown)}", ref)
    for name, value in payload.items():
        if value is None and name not in OPTIONAL_FIELDS:
            raise _Refused("missing_field", f"{name} is required", ref)
        if not isinstance(value, str | None):
            raise _Refused("bad_type", f"{name} must be a string", ref)
    if payload.get("channel") not in CHANNELS:
        raise _Refused("bad_value", f"channel must be one of {', '.join(CHANNELS)}", ref)
    unit = payload.get("union_unit")
    if unit is not None:
        payload["union_unit"] = unit = unit.strip().lower()
        if unit not in source.union_units:
            raise _Refused("bad_value", "union_unit is not one of the configured units", ref)
    return payload
