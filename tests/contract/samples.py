"""Sample inputs shared by the source tests: mails as real RFC 5322 bytes, webhook calls."""

from __future__ import annotations

import http.client
import json
from email.message import EmailMessage
from urllib.parse import urlsplit

DATE = "Mon, 02 Nov 2026 09:14:05 +0100"
QUESTION = (
    "Mijn werkgever betaalt de eindejaarsuitkering niet uit. Bereikbaar via "
    "jan.jansen@example.nl of 06-12345678."
)


def plain_mail(message_id: str, body: str = QUESTION, subject: str = "Vraag over cao") -> bytes:
    message = EmailMessage()
    message["From"] = "Jan Jansen <jan.jansen@example.nl>"
    message["To"] = "ledenservice@vakbond.example"
    message["Subject"] = subject
    message["Date"] = DATE
    message["Message-ID"] = message_id
    message.set_content(body)
    return message.as_bytes()


def alternative_mail(message_id: str) -> bytes:
    message = EmailMessage()
    message["Subject"] = "Ontslag tijdens ziekte"
    message["Date"] = DATE
    message["Message-ID"] = message_id
    message.set_content("Mag mijn werkgever mij ontslaan terwijl ik ziek ben?")
    message.add_alternative(
        "<p>Mag mijn werkgever mij <b>ontslaan</b> terwijl ik ziek ben?</p>", subtype="html"
    )
    message.add_attachment(
        b"%PDF-1.4 loonstrook", maintype="application", subtype="pdf", filename="loonstrook.pdf"
    )
    return message.as_bytes()


BROKEN_MIME = (
    b"Date: " + DATE.encode() + b"\r\nMessage-ID: <broken@example.nl>\r\n"
    b"Content-Type: multipart/mixed\r\n\r\n"
    b"--zonder-grens\r\nContent-Type: application/octet-stream\r\n\r\nAAAA\r\n"
)
NO_DATE = (
    b"Message-ID: <nodate@example.nl>\r\nSubject: Hallo\r\n\r\nIk heb een vraag over mijn loon.\r\n"
)


TOKEN = "s3cret-chat-token"


def chat(message_id: str, text: str = "Hoe zeg ik mijn lidmaatschap op?") -> dict:
    return {
        "id": message_id,
        "channel": "chat",
        "occurred_at": "2026-11-02T09:14:05+01:00",
        "text": text,
        "province": "Utrecht",
    }


def post(url: str, body: bytes, token: str | None = TOKEN, headers: dict | None = None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    connection.request("POST", "/events", body=body, headers=all_headers)
    response = connection.getresponse()
    answer = json.loads(response.read() or b"{}")
    connection.close()
    return response.status, answer
