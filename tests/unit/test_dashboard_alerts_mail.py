from datetime import date
from email import message_from_bytes
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller
from fixtures.warehouse import (
    FACETED_THEME,
    FACETS,
    NEW_FACET,
    PLANTED_THEME,
    QUOTES,
    build_warehouse,
)

from dashboards.alerts_mail import SentLog, SmtpServer, mail_alerts
from dashboards.dutch import day_label
from pipeline.kafka_broker import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_sink():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, SmtpServer("127.0.0.1", controller.port)
    controller.stop()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


def test_new_alerts_are_mailed_once(snapshot, smtp_sink, tmp_path):
    inbox, server = smtp_sink
    con = duckdb.connect(str(snapshot), read_only=True)
    log = SentLog(tmp_path / "sent.json")
    args = (con, server, "radar@bond.test", ["bestuur@bond.test"], date(2026, 11, 16), log)
    sent = mail_alerts(*args, dashboard_url="http://dash.test")
    assert {a.theme_id for a in sent} == {PLANTED_THEME[0], "T0002", FACETED_THEME}
    assert len(inbox.messages) == 1
    recipients, raw = inbox.messages[0]
    assert recipients == ["bestuur@bond.test"]
    mail = message_from_bytes(raw)
    assert mail["Subject"] == "Ledenradar: 3 nieuw of sterk stijgend thema's"
    body = mail.get_payload(decode=True).decode()
    assert f"Nieuw thema: {PLANTED_THEME[1]} — Transport en logistiek in Limburg" in body
    # The episode in that segment began with the alert of the 16th (marts.theme_episodes).
    assert "sinds 16 november 2026" in body
    assert "33 contacten over 7 dagen t/m 16 november 2026" in body
    assert f"http://dash.test/theme/{PLANTED_THEME[0]}" in body
    assert all(q not in body for q in QUOTES[PLANTED_THEME[0]])
    assert "Zeldzame" not in body  # an alert on 3 contacts is never mailed

    assert mail_alerts(*args) == []
    assert len(inbox.messages) == 1
    con.close()


def test_a_refused_mail_is_tried_again(snapshot, tmp_path):
    con = duckdb.connect(str(snapshot), read_only=True)
    log = SentLog(tmp_path / "sent.json")
    closed = SmtpServer("127.0.0.1", free_port())
    with pytest.raises(OSError):
        mail_alerts(con, closed, "a@b.test", ["c@d.test"], date(2026, 11, 16), log)
    assert log.keys() == set()
    con.close()


def test_a_new_facet_of_a_known_theme_is_mailed_as_such(snapshot, smtp_sink, tmp_path):
    inbox, server = smtp_sink
    con = duckdb.connect(str(snapshot), read_only=True)
    log = SentLog(tmp_path / "sent.json")
    args = (con, server, "radar@bond.test", ["bestuur@bond.test"], date(2026, 11, 16), log)
    sent = [a for a in mail_alerts(*args) if a.theme_id == FACETED_THEME]
    body = message_from_bytes(inbox.messages[0][1]).get_payload(decode=True).decode()
    theme = con.execute("SELECT name FROM marts.themes WHERE theme_id = ?", [FACETED_THEME])
    name = theme.fetchone()[0]
    facet = FACETS[NEW_FACET[0]][1]
    assert [a.kind for a in sent] == ["new_facet"]
    start = con.execute(
        "SELECT episode_start FROM marts.theme_episodes WHERE facet_id = ?", [NEW_FACET[0]]
    ).fetchone()[0]
    since = f"sinds {day_label(start)}"  # the episode's start, as every view says it
    assert f"Nieuw aspect van thema {name}: {facet} — heel Nederland, {since}" in body
    assert f"Nieuw thema: {name}" not in body and f"Sterk stijgend: {name}" not in body
    # Its count is the facet's alert cell as the mart publishes it.
    shown = con.execute(
        "SELECT observed FROM marts.theme_episodes WHERE facet_id = ?", [NEW_FACET[0]]
    ).fetchone()[0]
    assert f"{shown} contacten over" in body
    con.close()
