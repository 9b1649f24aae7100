"""E-mail new and rising themes to officials over SMTP, once per alert.

The mail says what, where and since when, with counts as the mart publishes them
(perturbed, never below the threshold). It carries no quotes: a mail leaves the system, quotes need a login.
Which alerts were already sent is kept in a small JSON state file.
"""

from __future__ import annotations

import json
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import duckdb

from dashboards.episodes import EpisodeAlert, episode_alerts
from pipeline.disclosure import MIN_CELL_SIZE, NOISE_BOUND
from pipeline.tls import client_context, is_loopback, untrusted


def mail_line(alert: EpisodeAlert) -> str:
    """One alert in the mail, worded like the dashboard's (dashboards/episodes.py)."""
    return f"{alert.headline} — {alert.where}, {alert.since_label}: {alert.count_sentence}"


def pending_alerts(
    con: duckdb.DuckDBPyConnection, since: date, already_sent: set[str]
) -> list[EpisodeAlert]:
    """Published alerts from `since` on, oldest first, that were not mailed before."""
    alerts = episode_alerts(con, first_day=since)
    alerts.sort(key=lambda a: (a.day, a.kind, a.theme_id, a.segment_kind, a.segment_value))
    return [a for a in alerts if a.key not in already_sent]


def compose(
    alerts: Sequence[EpisodeAlert],
    sender: str,
    recipients: Sequence[str],
    dashboard_url: str | None,
) -> EmailMessage:
    themes = list(dict.fromkeys(a.theme_name for a in alerts))
    message = EmailMessage()
    noun = "thema" if len(themes) == 1 else "thema's"
    message["Subject"] = f"Ledenradar: {len(themes)} nieuw of sterk stijgend {noun}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    body = ["Nieuw of sterk stijgend in de contacten van leden:", ""]
    body += [f"- {mail_line(a)}" for a in alerts]
    if dashboard_url:
        body += ["", "Meer (ook citaten, na inloggen):"]
        body += [
            f"  {dashboard_url.rstrip('/')}/theme/{t}"
            for t in dict.fromkeys(a.theme_id for a in alerts)
        ]
    body += [
        "",
        f"Aantallen onder de {MIN_CELL_SIZE} tonen we niet, en elk aantal kan tot {NOISE_BOUND} afwijken,",
        "zodat niemand herkenbaar is. 'Sterk stijgend' betekent duidelijk meer contacten",
        "dan verwacht op basis van de weken ervoor.",
    ]
    message.set_content("\n".join(body))
    return message


@dataclass(frozen=True)
class SmtpServer:
    """Where mail goes. With `starttls` the server's certificate and host name are verified;
    `ca_file` is a PEM file of a private CA to trust as well."""

    host: str = "127.0.0.1"
    port: int = 25
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    ca_file: Path | None = None


class SentLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def keys(self) -> set[str]:
        if not self.path.exists():
            return set()
        return set(json.loads(self.path.read_text(encoding="utf-8")))

    def add(self, keys: Sequence[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(sorted(self.keys() | set(keys)), indent=1), encoding="utf-8")
        tmp.replace(self.path)


def deliver(server: SmtpServer, message: EmailMessage) -> None:
    """Hand one message to the SMTP server; raises when it is not accepted."""
    if server.username and not server.starttls and not is_loopback(server.host):
        raise ValueError(
            f"the SMTP password would cross the network to {server.host} unencrypted; "
            "use STARTTLS (--starttls)"
        )
    with smtplib.SMTP(server.host, server.port, timeout=30) as smtp:
        if server.starttls:
            try:
                smtp.starttls(context=client_context(server.ca_file))
            except ssl.SSLCertVerificationError as error:
                raise untrusted(server.host, server.port, error) from error
        if server.username:
            smtp.login(server.username, server.password or "")
        smtp.send_message(message)


def mail_alerts(
    con: duckdb.DuckDBPyConnection,
    server: SmtpServer,
    sender: str,
    recipients: Sequence[str],
    since: date,
    sent: SentLog,
    dashboard_url: str | None = None,
) -> list[EpisodeAlert]:
    """Send one mail with every alert not mailed before; returns what was sent."""
    alerts = pending_alerts(con, since, sent.keys())
    if not alerts:
        return []
    deliver(server, compose(alerts, sender, recipients, dashboard_url))
    # Recorded only after the server accepted the mail, so a failure is retried next run.
    sent.add([a.key for a in alerts])
    return alerts
