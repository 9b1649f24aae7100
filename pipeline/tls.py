"""TLS for the connections the project opens to mail servers: always verified.

`ssl.create_default_context` checks the certificate chain and the host name; the
stdlib clients (`imaplib.IMAP4_SSL`, `smtplib.SMTP.starttls`) do not, on Python 3.11,
when they are given no context. A private CA (a union's own mail server) is trusted
through `ca_file`, never by turning verification off.
"""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path


class TlsError(RuntimeError):
    """The server's certificate could not be verified; says which server and what to set."""


def client_context(ca_file: str | Path | None = None) -> ssl.SSLContext:
    """A client context that verifies the chain and host name (TLS 1.2 or later).

    With `ca_file`, the certificates in that PEM file are trusted in addition to the
    system's CAs.
    """
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def untrusted(host: str, port: int, error: ssl.SSLCertVerificationError) -> TlsError:
    reason = getattr(error, "verify_message", None) or error
    return TlsError(
        f"TLS certificate of {host}:{port} not trusted ({reason}); "
        "if the server uses a private CA, set its PEM file as ca_file"
    )


def is_loopback(host: str) -> bool:
    """True for 'localhost' and loopback addresses: where plaintext never leaves the machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
