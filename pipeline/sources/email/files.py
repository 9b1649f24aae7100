"""E-mail from files: a folder of `.eml` files, a Maildir, or an mbox file."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.sources.base import Source
from pipeline.sources.email.message import UnreadableMail, read_mail
from pipeline.sources.emit import Emit

DEFAULT_MAX_MESSAGE_BYTES = 50 * 1024 * 1024
FORMATS = ("auto", "eml", "maildir", "mbox")


def emit_mail(source: Source, emit: Emit, raw: bytes, ref: str, max_bytes: int) -> None:
    """Parse one mail and emit it, or dead-letter it with the reason."""
    if len(raw) > max_bytes:
        emit.reject("oversize", f"mail of {len(raw)} bytes exceeds {max_bytes}", raw, ref=ref)
        return
    try:
        mail = read_mail(raw)
    except UnreadableMail as error:
        emit.reject(error.reason, error.detail, raw, ref=ref)
        return
    record = {
        "event_id": source.event_id(mail.own_id),
        "occurred_at": mail.occurred_at.isoformat(),
        "channel": "email",
        "direction": "inbound",
        "subject": mail.subject,
        "text": mail.text,
        "metadata": mail.metadata,
    }
    emit(record, ref=ref)


class EmailSource(Source):
    """E-mails from `.eml` files (a folder, searched recursively), a Maildir or an mbox.

    Config: `path`, `format` (auto, eml, maildir, mbox), `max_message_bytes`,
    `follow`, `poll_interval`. Event ids derive from the Message-ID.
    """

    name = "email"

    def __init__(
        self,
        path: str | Path,
        format: str = "auto",
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}")
        self.path = Path(path)
        self.format = _detect(self.path) if format == "auto" else format
        self.max_message_bytes = max_message_bytes

    def run(self, emit: Emit) -> None:
        for _ in self.passes():
            for ref, raw in self._messages():
                if self.stopped:
                    return
                emit_mail(self, emit, raw, ref, self.max_message_bytes)

    def _messages(self) -> Iterator[tuple[str, bytes]]:
        if self.format == "eml":
            files = [self.path] if self.path.is_file() else sorted(self.path.rglob("*.eml"))
            for file in files:
                ref = f"eml:{file.relative_to(self.path.parent if self.path.is_file() else self.path)}"
                if file.stat().st_size > self.max_message_bytes:
                    # Read no more than a dead letter keeps; the file itself stays.
                    with file.open("rb") as handle:
                        yield ref, handle.read(self.max_message_bytes + 1)
                else:
                    yield ref, file.read_bytes()
        elif self.format == "maildir":
            box = mailbox.Maildir(self.path, factory=None, create=False)
            for key in sorted(box.keys()):
                yield f"maildir:{key}", box.get_bytes(key)
        else:
            box = mailbox.mbox(self.path, create=False)
            for key in box.iterkeys():
                yield f"mbox:{key}", box.get_bytes(key)


def _detect(path: Path) -> str:
    if path.is_file():
        return "eml" if path.suffix == ".eml" else "mbox"
    if (path / "cur").is_dir() and (path / "new").is_dir():
        return "maildir"
    if path.is_dir():
        return "eml"
    raise FileNotFoundError(f"no mail folder or mbox file at {path}")
