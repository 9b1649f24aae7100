"""A tiny IMAP4rev1 server on loopback, enough for `imaplib`: LOGIN, SELECT/EXAMINE,
UID SEARCH, UID FETCH (RFC822.SIZE, BODY.PEEK[]), NOOP, LOGOUT. One mailbox, in memory.
With a server-side `ssl.SSLContext` it speaks IMAP over TLS (port 993 style).
"""

from __future__ import annotations

import re
import shlex
import socket
import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from types import TracebackType

_UID_RANGE = re.compile(r"^(\d+):(\d+|\*)$")


@dataclass
class Mailbox:
    username: str
    password: str
    name: str = "INBOX"
    uid_validity: int = 7
    messages: dict[int, bytes] = field(default_factory=dict)
    fetched_bodies: list[int] = field(default_factory=list)

    def add(self, raw: bytes) -> int:
        uid = max(self.messages, default=100) + 1
        self.messages[uid] = raw
        return uid


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def setup(self) -> None:
        self.handshake_failed = False
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError):
                # The client refused our certificate: that is what the TLS tests look for.
                self.handshake_failed = True
        super().setup()

    def handle(self) -> None:
        if self.handshake_failed:
            return
        box = self.server.mailbox
        self._send(b"* OK [CAPABILITY IMAP4rev1] loopback IMAP ready")
        authenticated = False
        while line := self.rfile.readline():
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self._send(b"* CAPABILITY IMAP4rev1")
                self._ok(tag, "CAPABILITY")
            elif command == "LOGIN":
                user, password = shlex.split(args)
                authenticated = (user, password) == (box.username, box.password)
                if authenticated:
                    self._ok(tag, "LOGIN")
                else:
                    self._send(f"{tag} NO [AUTHENTICATIONFAILED] invalid credentials".encode())
            elif not authenticated and command != "LOGOUT":
                self._send(f"{tag} BAD not authenticated".encode())
            elif command in ("SELECT", "EXAMINE"):
                if shlex.split(args)[0] != box.name:
                    self._send(f"{tag} NO no such mailbox".encode())
                    continue
                self._send(f"* {len(box.messages)} EXISTS".encode())
                self._send(f"* OK [UIDVALIDITY {box.uid_validity}] UIDs valid".encode())
                self._ok(tag, command, "[READ-ONLY] " if command == "EXAMINE" else "")
            elif command == "UID":
                self._uid(tag, args, box)
            elif command == "NOOP":
                self._ok(tag, "NOOP")
            elif command == "LOGOUT":
                self._send(b"* BYE logging out")
                self._ok(tag, "LOGOUT")
                return
            else:
                self._send(f"{tag} BAD unsupported".encode())

    def _uid(self, tag: str, args: str, box: Mailbox) -> None:
        sub, _, rest = args.partition(" ")
        uids = sorted(box.messages)
        if sub.upper() == "SEARCH":
            match = _UID_RANGE.match(rest.split()[-1])
            low = int(match.group(1)) if match else 1
            found = [uid for uid in uids if uid >= low] or uids[-1:]  # "n:*" matches the newest
            self._send(("* SEARCH " + " ".join(map(str, found))).strip().encode())
            self._ok(tag, "SEARCH")
        elif sub.upper() == "FETCH":
            uid_text, _, items = rest.partition(" ")
            uid = int(uid_text)
            sequence = uids.index(uid) + 1
            raw = box.messages[uid]
            if "RFC822.SIZE" in items.upper():
                self._send(f"* {sequence} FETCH (UID {uid} RFC822.SIZE {len(raw)})".encode())
            else:
                box.fetched_bodies.append(uid)
                self._send(f"* {sequence} FETCH (UID {uid} BODY[] {{{len(raw)}}}".encode())
                self.wfile.write(raw)
                self._send(b")")
            self._ok(tag, "FETCH")
        else:
            self._send(f"{tag} BAD unsupported UID command".encode())

    def _ok(self, tag: str, command: str, code: str = "") -> None:
        self._send(f"{tag} OK {code}{command} completed".encode())

    def _send(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    mailbox: Mailbox
    tls: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, object]:
        sock, address = super().get_request()
        if self.tls is None:
            return sock, address
        # The handshake runs in the handler's thread, so a refusing client blocks nobody.
        return self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address


class LoopbackImapServer:
    """`with LoopbackImapServer(Mailbox("lid", "geheim")) as server: server.port`."""

    def __init__(self, mailbox: Mailbox, tls: ssl.SSLContext | None = None) -> None:
        self.mailbox = mailbox
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.mailbox = mailbox
        self._server.tls = tls
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,), daemon=True)

    def __enter__(self) -> LoopbackImapServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
