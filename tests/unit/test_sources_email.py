"""E-mail connectors: .eml folders, Maildir, mbox and IMAP on loopback, plus the MIME core."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest

from pipeline.contract.dead_letter import DeadLetter
from pipeline.kafka_topics import DLQ, RAW
from pipeline.sources import Emitter, MemoryTarget
from pipeline.sources.email import EmailSource, ImapSource
from pipeline.sources.email.imap import ImapError
from pipeline.sources.email.message import UnreadableMail, read_mail
from pipeline.sources.emit import MAX_DEAD_LETTER_ORIGINAL
from tests.contract.imap_server import LoopbackImapServer, Mailbox
from tests.contract.samples import BROKEN_MIME, DATE, NO_DATE, alternative_mail, plain_mail
from tests.contract.source_contract import SourceContract


class TestEmlFolder(SourceContract):
    expected_events = 2
    bad_reasons = {"broken_mime", "missing_field"}

    def make_source(self, tmp_path: Path) -> EmailSource:
        folder = tmp_path / "eml"
        (folder / "2026-11").mkdir(parents=True, exist_ok=True)
        (folder / "2026-11" / "a.eml").write_bytes(plain_mail("<a-1@mail.example.nl>"))
        (folder / "b.eml").write_bytes(alternative_mail("<b-2@mail.example.nl>"))
        return EmailSource(path=folder)

    def bad_input(self, tmp_path: Path) -> EmailSource:
        folder = tmp_path / "bad"
        folder.mkdir(exist_ok=True)
        (folder / "broken.eml").write_bytes(BROKEN_MIME)
        (folder / "nodate.eml").write_bytes(NO_DATE)
        return EmailSource(path=folder, format="eml")


class TestMaildir(SourceContract):
    expected_events = 2
    bad_reasons = {"broken_mime", "missing_field"}

    def _maildir(self, path: Path, messages: list[bytes]) -> EmailSource:
        box = mailbox.Maildir(path, create=True)
        if not len(box):
            for raw in messages:
                box.add(raw)
        return EmailSource(path=path, format="maildir")

    def make_source(self, tmp_path: Path) -> EmailSource:
        messages = [plain_mail("<m-1@mail.example.nl>"), alternative_mail("<m-2@mail.example.nl>")]
        return self._maildir(tmp_path / "Maildir", messages)

    def bad_input(self, tmp_path: Path) -> EmailSource:
        return self._maildir(tmp_path / "BadMaildir", [BROKEN_MIME, NO_DATE])


class TestMbox(SourceContract):
    expected_events = 2
    bad_reasons = {"broken_mime", "missing_field"}

    def _mbox(self, path: Path, messages: list[bytes]) -> EmailSource:
        if not path.exists():
            box = mailbox.mbox(path, create=True)
            for raw in messages:
                box.add(raw)
            box.close()
        return EmailSource(path=path)

    def make_source(self, tmp_path: Path) -> EmailSource:
        messages = [plain_mail("<x-1@mail.example.nl>"), alternative_mail("<x-2@mail.example.nl>")]
        return self._mbox(tmp_path / "inbox.mbox", messages)

    def bad_input(self, tmp_path: Path) -> EmailSource:
        return self._mbox(tmp_path / "bad.mbox", [plain_mail("<x-3@example.nl>"), NO_DATE])


class TestImap(SourceContract):
    expected_events = 2
    bad_reasons = {"broken_mime", "missing_field"}

    @pytest.fixture(autouse=True)
    def _servers(self):
        self.good = Mailbox("lid-service", "geheim")
        self.good.add(plain_mail("<i-1@mail.example.nl>"))
        self.good.add(alternative_mail("<i-2@mail.example.nl>"))
        self.bad = Mailbox("lid-service", "geheim")
        self.bad.add(BROKEN_MIME)
        self.bad.add(NO_DATE)
        with LoopbackImapServer(self.good) as good, LoopbackImapServer(self.bad) as bad:
            self.good_port, self.bad_port = good.port, bad.port
            yield

    def _source(self, port: int, **options) -> ImapSource:
        return ImapSource(
            host="127.0.0.1",
            port=port,
            username="lid-service",
            password="geheim",
            ssl=False,
            **options,
        )

    def make_source(self, tmp_path: Path) -> ImapSource:
        return self._source(self.good_port, poll_interval=0.2)

    def bad_input(self, tmp_path: Path) -> ImapSource:
        return self._source(self.bad_port)

    def test_same_mail_has_the_same_id_over_imap_and_from_a_file(self, tmp_path: Path) -> None:
        over_imap = {r.key for r in self.collect(self.make_source(tmp_path)).on(RAW)}
        folder = tmp_path / "same"
        folder.mkdir()
        for uid, raw in self.good.messages.items():
            (folder / f"{uid}.eml").write_bytes(raw)
        from_files = {r.key for r in self.collect(EmailSource(path=folder)).on(RAW)}
        assert over_imap == from_files

    def test_following_picks_up_only_new_mail(self, tmp_path: Path) -> None:
        import threading
        import time

        source = self._source(self.good_port, follow=True, poll_interval=0.1)
        emitter = Emitter(source.name, MemoryTarget())
        thread = threading.Thread(target=source.run, args=(emitter,), daemon=True)
        thread.start()
        self.good.add(
            plain_mail("<i-3@mail.example.nl>", body="Wanneer krijg ik mijn vakantiegeld?")
        )
        deadline = time.monotonic() + 10
        while emitter.counts.emitted < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        source.stop()
        thread.join(5)
        assert emitter.counts.emitted == 3
        assert emitter.counts.duplicates == 0
        assert sorted(self.good.fetched_bodies) == sorted(self.good.messages)

    def test_a_wrong_password_is_a_clear_error(self) -> None:
        source = ImapSource(
            host="127.0.0.1",
            port=self.good_port,
            username="lid-service",
            password="fout",
            ssl=False,
        )
        with pytest.raises(ImapError, match="login refused"):
            source.run(Emitter(source.name, MemoryTarget()))

    def test_an_oversized_mail_is_not_downloaded(self) -> None:
        big = self.good.add(plain_mail("<huge@example.nl>", body="x" * 5000))
        target = MemoryTarget()
        source = self._source(self.good_port, max_message_bytes=4000)
        source.run(Emitter(source.name, target))
        letters = [DeadLetter.from_json(r.value) for r in target.on(DLQ)]
        assert [letter.reason for letter in letters] == ["oversize"]
        assert big not in self.good.fetched_bodies
        assert target.on(DLQ)[0].headers["ledenradar-source-ref"] == f"imap:INBOX:7:{big}".encode()
        assert len(target.on(RAW)) == 2


# The MIME core, on real bytes.


def test_multipart_prefers_plain_text_and_counts_attachments() -> None:
    mail = read_mail(alternative_mail("<alt@example.nl>"))
    assert mail.text == "Mag mijn werkgever mij ontslaan terwijl ik ziek ben?"
    assert mail.metadata["body_format"] == "plain"
    assert mail.metadata["attachments"] == 1
    assert mail.metadata["attachment_bytes"] == len(b"%PDF-1.4 loonstrook")


def test_html_only_mail_becomes_text_without_the_quoted_part() -> None:
    raw = (
        b"Date: " + DATE.encode() + b"\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p {color: red}</style></head><body>"
        b"<p>Ik word per 1 januari &eacute;&eacute;n schaal lager ingedeeld.</p>"
        b"<p>Klopt dat?</p><blockquote>Eerder antwoord van de bond</blockquote></body></html>"
    )
    mail = read_mail(raw)
    assert mail.text == "Ik word per 1 januari één schaal lager ingedeeld.\n\nKlopt dat?"
    assert mail.metadata["body_format"] == "html"


@pytest.mark.parametrize(
    ("charset", "payload", "expected", "repaired"),
    [
        (
            "iso-8859-1",
            "Geachte, mijn ploegentoeslag is verlaagd. Één vraag.".encode("latin-1"),
            "Één vraag.",
            False,
        ),
        (
            "windows-1252",
            "Ik kreeg “ontslag” voor €500 minder.".encode("cp1252"),
            "“ontslag” voor €500",
            False,
        ),
        ("utf-8", "Reiskosten naar Zoë’s school?".encode(), "Zoë’s", False),
        # Declared UTF-8 but written in windows-1252: repaired, flagged, nothing lost.
        ("utf-8", "Mijn loon is €20 te laag, café".encode("cp1252"), "€20 te laag, café", True),
        # Declared ISO-8859-1 but really UTF-8.
        ("iso-8859-1", "Overwerk vergoeding voor één week".encode(), "één week", True),
        # An unknown charset name.
        ("x-onbekend", "Vraag over pensioen, één".encode(), "één", True),
    ],
)
def test_charsets(charset: str, payload: bytes, expected: str, repaired: bool) -> None:
    raw = (
        b"Date: "
        + DATE.encode()
        + b"\r\nContent-Type: text/plain; charset="
        + charset.encode()
        + b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + payload
    )
    mail = read_mail(raw)
    assert expected in mail.text
    assert mail.metadata.get("charset_repaired", False) is repaired


def test_quoted_reply_and_signature_are_stripped() -> None:
    body = (
        "Bedankt voor het antwoord, maar mijn werkgever weigert nog steeds.\n"
        "Wat kan ik nu doen?\n\n"
        "Met vriendelijke groet,\n"
        "Jan Jansen\n"
        "06-12345678\n\n"
        "Op ma 2 nov. 2026 om 10:12 schreef Ledenservice <ledenservice@vakbond.example>:\n"
        "> U kunt bezwaar maken.\n"
        "> Groet, de bond\n"
    )
    mail = read_mail(plain_mail("<reply@example.nl>", body=body))
    assert mail.text == (
        "Bedankt voor het antwoord, maar mijn werkgever weigert nog steeds.\nWat kan ik nu doen?"
    )


def test_outlook_history_and_dash_signature_are_stripped() -> None:
    body = (
        "Graag een afspraak met een jurist.\n"
        "-- \n"
        "P. de Vries | Verzonden vanaf mijn iPhone\n\n"
        "Van: Ledenservice\nVerzonden: maandag 2 november 2026 10:12\nAan: P. de Vries\n"
        "Onderwerp: RE: ontslag\n\nEerdere mail.\n"
    )
    assert read_mail(plain_mail("<outlook@example.nl>", body=body)).text == (
        "Graag een afspraak met een jurist."
    )


def test_wrapped_reply_intro_is_stripped() -> None:
    body = "Is dit al bekend?\n\nOp 2 nov. 2026 10:12 schreef Jan Jansen\n<jan@example.nl>:\n\nOude tekst\n"
    assert read_mail(plain_mail("<wrap@example.nl>", body=body)).text == "Is dit al bekend?"


def test_a_huge_attachment_is_counted_not_kept(tmp_path: Path) -> None:
    message = EmailMessage()
    message["Date"] = DATE
    message["Message-ID"] = "<big@example.nl>"
    message.set_content("Hierbij mijn arbeidscontract, klopt de proeftijd?")
    attachment = bytes(range(256)) * (8 * 1024 * 4)  # 8 MiB
    message.add_attachment(
        attachment, maintype="application", subtype="octet-stream", filename="contract.bin"
    )
    (tmp_path / "big.eml").write_bytes(message.as_bytes())
    target = MemoryTarget()
    EmailSource(path=tmp_path).run(Emitter("email", target))
    [record] = target.on(RAW)
    assert len(record.value) < 2000
    assert b'"attachment_bytes": 8388608' in record.value
    assert b"proeftijd" in record.value


def test_a_mail_over_the_size_limit_is_dead_lettered_truncated(tmp_path: Path) -> None:
    raw = plain_mail("<toolarge@example.nl>", body="a" * (600 * 1024))
    (tmp_path / "large.eml").write_bytes(raw)
    target = MemoryTarget()
    EmailSource(path=tmp_path, max_message_bytes=512 * 1024).run(Emitter("email", target))
    [record] = target.on(DLQ)
    letter = DeadLetter.from_json(record.value)
    assert letter.reason == "oversize"
    assert len(letter.original) == MAX_DEAD_LETTER_ORIGINAL
    assert letter.original == raw[:MAX_DEAD_LETTER_ORIGINAL]
    assert record.headers["ledenradar-source-ref"] == b"eml:large.eml"


def test_broken_mime_and_missing_date_give_clear_reasons() -> None:
    with pytest.raises(UnreadableMail) as broken:
        read_mail(BROKEN_MIME)
    assert broken.value.reason == "broken_mime"
    assert "Defect" in broken.value.detail
    with pytest.raises(UnreadableMail) as undated:
        read_mail(NO_DATE)
    assert undated.value.reason == "missing_field"


def test_mail_without_message_id_is_identified_by_its_bytes() -> None:
    raw = b"Date: " + DATE.encode() + b"\r\n\r\nVraag over de cao.\r\n"
    assert read_mail(raw).own_id == read_mail(raw).own_id
    assert read_mail(raw).own_id != read_mail(raw + b"Nog iets.\r\n").own_id
