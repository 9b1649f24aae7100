"""Mail servers over TLS are verified: a self-signed local server is refused until its CA
is given (`ca_file`), for IMAP over TLS and for SMTP with STARTTLS."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from fixtures.certificates import Certificates, make_certificates
from fixtures.warehouse import build_warehouse
from typer.testing import CliRunner

from dashboards.alerts_mail import SmtpServer, deliver
from pipeline.cli import app
from pipeline.kafka_broker import free_port
from pipeline.kafka_topics import RAW
from pipeline.sources import Emitter, MemoryTarget
from pipeline.sources.email import ImapSource
from pipeline.tls import TlsError
from tests.contract.imap_server import LoopbackImapServer, Mailbox
from tests.contract.samples import plain_mail


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def imap_over_tls(certificates: Certificates):
    mailbox = Mailbox("lid-service", "geheim")
    mailbox.add(plain_mail("<tls-1@mail.example.nl>"))
    with LoopbackImapServer(mailbox, tls=certificates.server_context()) as server:
        yield server


def imap_source(port: int, **options) -> ImapSource:
    return ImapSource(
        host="127.0.0.1", port=port, username="lid-service", password="geheim", **options
    )


def test_imap_refuses_a_server_whose_certificate_it_cannot_verify(imap_over_tls):
    target = MemoryTarget()
    source = imap_source(imap_over_tls.port)
    with pytest.raises(TlsError, match=r"127\.0\.0\.1:\d+ not trusted.*ca_file"):
        source.run(Emitter(source.name, target))
    assert target.on(RAW) == []
    assert imap_over_tls.mailbox.fetched_bodies == []


def test_imap_reads_the_mailbox_when_given_the_ca(imap_over_tls, certificates):
    target = MemoryTarget()
    source = imap_source(imap_over_tls.port, ca_file=str(certificates.ca))
    source.run(Emitter(source.name, target))
    assert len(target.on(RAW)) == 1


def test_imap_checks_the_host_name_too(imap_over_tls, certificates):
    # The certificate names 127.0.0.1 only: 'localhost' reaches the same server but is refused.
    source = ImapSource(
        host="localhost",
        port=imap_over_tls.port,
        username="x",
        password="y",
        ca_file=str(certificates.ca),
    )
    with pytest.raises(TlsError, match="not trusted"):
        source.run(Emitter(source.name, MemoryTarget()))


def test_imap_without_tls_only_on_loopback():
    with pytest.raises(ValueError, match="unencrypted"):
        ImapSource(host="mail.bond.test", port=143, username="x", password="y", ssl=False)
    assert ImapSource(host="localhost", port=143, username="x", password="y", ssl=False)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_starttls(certificates: Certificates):
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=certificates.server_context(),
        require_starttls=True,
    )
    controller.start()
    yield inbox, controller.port
    controller.stop()


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "radar@bond.test", "bestuur@bond.test", "test"
    mail.set_content("Nieuw thema")
    return mail


def test_smtp_starttls_refuses_a_server_whose_certificate_it_cannot_verify(smtp_starttls):
    inbox, port = smtp_starttls
    with pytest.raises(TlsError, match="not trusted"):
        deliver(SmtpServer("127.0.0.1", port, starttls=True), message())
    assert inbox.messages == []


def test_smtp_starttls_delivers_when_given_the_ca(smtp_starttls, certificates):
    inbox, port = smtp_starttls
    deliver(SmtpServer("127.0.0.1", port, starttls=True, ca_file=certificates.ca), message())
    assert len(inbox.messages) == 1


def test_no_smtp_password_in_plaintext_to_another_host(tmp_path: Path):
    server = SmtpServer("mail.bond.test", 25, starttls=False, username="radar", password="x")
    with pytest.raises(ValueError, match="unencrypted"):
        deliver(server, message())


def test_mail_alerts_cli_reports_an_untrusted_server_and_sends_nothing(
    smtp_starttls, tmp_path, monkeypatch
):
    inbox, port = smtp_starttls
    monkeypatch.setenv("LEDENRADAR_DATA_DIR", str(tmp_path / "data"))
    snapshot = build_warehouse(tmp_path / "warehouse")
    args = ["mail-alerts", "--to", "bestuur@bond.test", "--smtp-port", str(port), "--starttls"]
    args += ["--days", "3650", "--snapshot", str(snapshot)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "mail niet verstuurd" in result.output and "not trusted" in result.output
    assert inbox.messages == [] and not (tmp_path / "data" / "alerts_mailed.json").exists()
