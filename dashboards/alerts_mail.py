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

from dashboards.dutch import count_text, day_label, segment_label
from pipeline.disclosure import MIN_CELL_SIZE, NOISE_BOUND
from pipeline.tls import client_context, is_loopback, untrusted


@dataclass(frozen=True)
class AlertLine:
    key: str
    theme_id: str
    theme_name: str
    kind: str
    where: str
    day: date
    since: date
    observed: int
    facet_id: str | None = None  # the new facet of a new_facet alert
    facet_name: str | None = None

    @property
    def text(self) -> str:
        if self.kind == "new_facet":
            # A new variation of a subject officials know, not a new subject.
            what = f"Nieuw aspect van thema {self.theme_name}: {self.facet_name}"
        else:
            kind = "Nieuw thema" if self.kind == "new_theme" else "Sterk stijgend"
            what = f"{kind}: {self.theme_name}"
        return (
            f"{what} — {self.where}, sinds {day_label(self.since)} "
            f"({count_text(self.observed)} contacten op {day_label(self.day)})"
        )


def pending_alerts(
    con: duckdb.DuckDBPyConnection, since: date, already_sent: set[str]
) -> list[AlertLine]:
    rows = con.execute(
        "SELECT theme_id, theme_name, kind, segment_kind, segment_value, day, first_seen, observed,"
        " facet_id, facet_name FROM marts.emerging_themes WHERE day >= ? AND observed >= ?"
        " ORDER BY day, kind, theme_id, segment_kind, segment_value, facet_id",
        [since, MIN_CELL_SIZE],
    ).fetchall()
    lines = []
    for theme_id, name, kind, segment_kind, segment_value, day, first_seen, observed, *f in rows:
        facet_id, facet_name = f
        # A new facet's alert is its own: another new facet of the theme is news again.
        subject = f"{theme_id}/{facet_id}" if facet_id else theme_id
        key = f"{subject}|{kind}|{segment_kind}|{segment_value}|{day}"
        if key not in already_sent:
            where = segment_label(segment_kind, segment_value)
            lines.append(
                AlertLine(
                    key,
                    theme_id,
                    name,
                    kind,
                    where,
                    day,
                    first_seen,
                    observed,
                    facet_id,
                    facet_name,
                )
            )
    return lines


def compose(
    alerts: Sequence[AlertLine], sender: str, recipients: Sequence[str], dashboard_url: str | None
) -> EmailMessage:
    themes = list(dict.fromkeys(a.theme_name for a in alerts))
    message = EmailMessage()
    noun = "thema" if len(themes) == 1 else "thema's"
    message["Subject"] = f"Ledenradar: {len(themes)} nieuw of sterk stijgend {noun}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    body = ["Nieuw of sterk stijgend in de contacten van leden:", ""]
    body += [f"- {a.text}" for a in alerts]
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
) -> list[AlertLine]:
    """Send one mail with every alert not mailed before; returns what was sent."""
    alerts = pending_alerts(con, since, sent.keys())
    if not alerts:
        return []
    deliver(server, compose(alerts, sender, recipients, dashboard_url))
    # Recorded only after the server accepted the mail, so a failure is retried next run.
    sent.add([a.key for a in alerts])
    return alerts
