"""One e-mail (RFC 5322 bytes) to a ContactEvent-shaped record, or a clear reason why not.

MIME multipart is walked; the text/plain part is preferred, else HTML is turned
into text. Charsets are honoured, and a body whose bytes do not match its
declared charset is repaired (UTF-8, then windows-1252, then ISO-8859-1, which
decodes anything) and flagged in metadata, so no mail is lost to a wrong label.
Attachments are counted and measured, never stored. Sender and recipient
addresses are not copied: the member is identified, if at all, by `member_ref`.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any

from pipeline.sources.email.text import html_to_text, strip_reply

_FALLBACK_CHARSETS = ("utf-8", "windows-1252", "iso-8859-1")
_SINGLE_BYTE_LABELS = frozenset({"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"})
_SEVERE_DEFECTS = frozenset(
    {
        "NoBoundaryInMultipartDefect",
        "StartBoundaryNotFoundDefect",
        "MultipartInvariantViolationDefect",
        "InvalidBase64PaddingDefect",
        "InvalidBase64CharactersDefect",
        "InvalidBase64LengthDefect",
    }
)


class UnreadableMail(Exception):
    """A mail that yields no ContactEvent; `reason` is the dead letter's reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Body:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: int = 0
    attachment_bytes: int = 0
    charset_repaired: bool = False


@dataclass(frozen=True)
class Mail:
    own_id: str
    occurred_at: datetime
    subject: str | None
    text: str
    metadata: dict[str, Any]


def read_mail(raw: bytes) -> Mail:
    """Parse and clean one mail; raises `UnreadableMail`."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    defects = sorted({type(defect).__name__ for part in message.walk() for defect in part.defects})
    body = Body()
    _collect(message, body)
    if body.plain:
        text, body_format = "\n\n".join(body.plain), "plain"
    else:
        text, body_format = "\n\n".join(html_to_text(part) for part in body.html), "html"
    text = strip_reply(text)
    if not text:
        if _SEVERE_DEFECTS.intersection(defects):
            raise UnreadableMail("broken_mime", "no readable text; defects: " + ", ".join(defects))
        raise UnreadableMail("no_text_body", "the mail has no text of its own")
    metadata: dict[str, Any] = {
        "body_format": body_format,
        "attachments": body.attachments,
        "attachment_bytes": body.attachment_bytes,
    }
    if body.charset_repaired:
        metadata["charset_repaired"] = True
    if defects:
        metadata["mime_defects"] = defects
    return Mail(_own_id(message, raw), _date(message), _subject(message), text, metadata)


def _collect(part: Message, body: Body) -> None:
    content_type = part.get_content_type()
    if part.get_content_maintype() == "multipart" and isinstance(part.get_payload(), list):
        for sub in part.get_payload():
            _collect(sub, body)
        return
    disposition = (part.get_content_disposition() or "").lower()
    if content_type in ("text/plain", "text/html") and disposition != "attachment":
        payload = part.get_payload(decode=True) or b""
        text, repaired = _decode(payload, part.get_content_charset())
        body.charset_repaired |= repaired
        (body.plain if content_type == "text/plain" else body.html).append(text)
        return
    # Everything else (files, images, forwarded messages) is counted, never kept.
    payload = part.get_payload(decode=True)
    body.attachments += 1
    body.attachment_bytes += len(payload) if isinstance(payload, bytes) else 0


def _decode(payload: bytes, declared: str | None) -> tuple[str, bool]:
    """Text and whether the declared charset was wrong."""
    if declared in _SINGLE_BYTE_LABELS and not payload.isascii():
        # Valid multi-byte UTF-8 is vanishingly rare in real Latin-1 text: a mislabel.
        try:
            return payload.decode("utf-8"), True
        except UnicodeDecodeError:
            pass
    candidates = ([declared] if declared else []) + list(_FALLBACK_CHARSETS)
    for position, charset in enumerate(candidates):
        try:
            return payload.decode(charset), position > 0
        except (LookupError, UnicodeDecodeError):
            continue
    raise AssertionError("iso-8859-1 decodes every byte string")  # pragma: no cover


def _own_id(message: Message, raw: bytes) -> str:
    message_id = (message.get("Message-ID") or "").strip()
    # Without a Message-ID the bytes themselves are the identity: a re-read is a replay.
    return message_id or "sha256:" + hashlib.sha256(raw).hexdigest()


def _date(message: Message) -> datetime:
    value = message.get("Date")
    if not value:
        raise UnreadableMail("missing_field", "the mail has no Date header")
    try:
        parsed = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError) as error:
        raise UnreadableMail("bad_timestamp", "the Date header is not an RFC 5322 date") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _subject(message: Message) -> str | None:
    value = message.get("Subject")
    if value is None:
        return None
    parts = []
    for chunk, charset in email.header.decode_header(str(value)):
        if isinstance(chunk, bytes):
            chunk, _ = _decode(chunk, charset)
        parts.append(chunk)
    return " ".join("".join(parts).split()) or None
