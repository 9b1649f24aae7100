"""E-mail from an IMAP mailbox, read-only: mails are fetched with BODY.PEEK and never changed."""

from __future__ import annotations

import imaplib
import logging
import os
import ssl
from typing import Any

from pipeline.sources.base import Source
from pipeline.sources.email.files import DEFAULT_MAX_MESSAGE_BYTES, emit_mail
from pipeline.sources.emit import Emit
from pipeline.tls import client_context, is_loopback, untrusted

log = logging.getLogger(__name__)

SOCKET_TIMEOUT_SECONDS = 30.0


class ImapError(RuntimeError):
    """The server refused a command (login, mailbox); the source stops with this."""


class ImapSource(Source):
    """Mails from one IMAP mailbox; with `follow`, new mails are picked up by polling.

    Config: `host`, `port`, `username`, `password_env` (the name of an environment
    variable; `password` only for tests), `mailbox`, `ssl`, `max_message_bytes`,
    `follow`, `poll_interval`, `ca_file`. With `ssl` (the default) the server's
    certificate and host name are verified; `ca_file` is a PEM file of a private CA to
    trust as well. `ssl: false` is plaintext and refused for any host but loopback, since
    the password would cross the network readable. Event ids derive from the Message-ID,
    so reading the mailbox again, or from another client, adds nothing.
    """

    name = "imap"
    id_namespace = "email"

    def __init__(
        self,
        host: str,
        username: str,
        port: int = 993,
        password: str | None = None,
        password_env: str | None = None,
        mailbox: str = "INBOX",
        ssl: bool = True,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
        ca_file: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.host, self.port, self.username, self.mailbox = host, port, username, mailbox
        if not ssl and not is_loopback(host):
            raise ValueError(
                f"ssl: false would send the IMAP password to {host} unencrypted; "
                "only a server on loopback may be read without TLS"
            )
        self.ssl = ssl
        self.ca_file = ca_file
        self.max_message_bytes = max_message_bytes
        self._password = password if password is not None else os.environ.get(password_env or "")
        if self._password is None:
            raise ValueError("set password_env to the environment variable holding the password")

    def run(self, emit: Emit) -> None:
        last_uid = 0
        for _ in self.passes():
            client = self._connect()
            try:
                uid_validity = self._open_mailbox(client)
                for uid in self._uids_after(client, last_uid):
                    if self.stopped:
                        return
                    self._fetch_and_emit(
                        client, emit, uid, f"imap:{self.mailbox}:{uid_validity}:{uid}"
                    )
                    last_uid = uid
            finally:
                _logout(client)

    def _connect(self) -> imaplib.IMAP4:
        client = self._open()
        try:
            client.login(self.username, self._password)
        except imaplib.IMAP4.error as error:
            _logout(client)
            raise ImapError(f"IMAP login refused by {self.host}:{self.port}") from error
        return client

    def _open(self) -> imaplib.IMAP4:
        if not self.ssl:
            return imaplib.IMAP4(self.host, self.port, timeout=SOCKET_TIMEOUT_SECONDS)
        try:
            return imaplib.IMAP4_SSL(
                self.host,
                self.port,
                ssl_context=client_context(self.ca_file),
                timeout=SOCKET_TIMEOUT_SECONDS,
            )
        except ssl.SSLCertVerificationError as error:
            raise untrusted(self.host, self.port, error) from error

    def _open_mailbox(self, client: imaplib.IMAP4) -> str:
        status, _ = client.select(self.mailbox, readonly=True)
        if status != "OK":
            raise ImapError(f"mailbox {self.mailbox!r} cannot be opened")
        _, validity = client.response("UIDVALIDITY")
        return validity[0].decode() if validity and validity[0] else "0"

    def _uids_after(self, client: imaplib.IMAP4, last_uid: int) -> list[int]:
        status, data = client.uid("SEARCH", "UID", f"{last_uid + 1}:*")
        if status != "OK":
            raise ImapError("UID SEARCH failed")
        # "n:*" always matches the newest mail, even when its uid is below n.
        return sorted(uid for uid in (int(u) for u in data[0].split()) if uid > last_uid)

    def _fetch_and_emit(self, client: imaplib.IMAP4, emit: Emit, uid: int, ref: str) -> None:
        _, data = client.uid("FETCH", str(uid), "(RFC822.SIZE)")
        size = _size(data)
        if size is not None and size > self.max_message_bytes:
            # Not downloaded; the mail stays on the server and the ref says where.
            detail = f"mail of {size} bytes exceeds {self.max_message_bytes}"
            emit.reject("oversize", detail, b"", ref=ref)
            return
        status, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
        raw = next((item[1] for item in data if isinstance(item, tuple)), None)
        if status != "OK" or raw is None:
            emit.reject("fetch_failed", f"the server returned no body for uid {uid}", b"", ref=ref)
            return
        emit_mail(self, emit, raw, ref, self.max_message_bytes)


def _size(data: list[Any]) -> int | None:
    for item in data:
        text = item[0] if isinstance(item, tuple) else item
        if isinstance(text, bytes) and b"RFC822.SIZE" in text:
            return int(text.split(b"RFC822.SIZE", 1)[1].split()[0].rstrip(b")"))
    return None


def _logout(client: imaplib.IMAP4) -> None:
    try:
        client.logout()
    except (imaplib.IMAP4.error, OSError):
        log.debug("IMAP logout failed; the connection is closed anyway")
