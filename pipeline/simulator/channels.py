"""Render one contact in its channel's register: phone transcript, e-mail, chat, web form.

Every renderer returns segments, so planted personal data keeps exact spans whatever
the register does to the words around it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from pipeline.simulator import registers as reg
from pipeline.simulator.people import MONTHS_NL, Person, email_address, full_name, make_person
from pipeline.simulator.text import Pii, Segment, assemble, between, pick, render, reshape
from pipeline.simulator.themes import Phrasing


@dataclass(frozen=True)
class Draft:
    """Everything decided about a contact before its words are written."""

    channel: str
    person: Person
    service_line: str
    phrasings: tuple[Phrasing, ...]
    subject: str
    volunteered: tuple[str, ...]  # PII types the member adds about themselves
    slots: dict[str, str]
    local_time: datetime
    employer_mail_fits: bool  # the theme is one where members forward HR mail


@dataclass(frozen=True)
class Rendered:
    text: str
    subject: str | None
    pii: list[dict]


class _Writer:
    def __init__(self, draft: Draft, rng: Random) -> None:
        self.draft = draft
        self.rng = rng
        self.segments: list[Segment] = []

    def fill(self, template: str) -> list[Segment]:
        return render(template, self.draft.slots, self.draft.person.pii, self.rng)

    def add(self, *parts: Segment | list[Segment]) -> None:
        for part in parts:
            self.segments.extend(part if isinstance(part, list) else [part])

    def volunteered(self, bank: dict[str, tuple[str, ...]]) -> list[Segment]:
        out: list[Segment] = []
        for kind in self.draft.volunteered:
            out += [" ", *self.fill(pick(self.rng, bank[kind]))]
        return out


def render_contact(draft: Draft, rng: Random) -> Rendered:
    renderer: Callable[[Draft, Random], Rendered] = {
        "phone": _phone,
        "email": _email,
        "chat": _chat,
        "webform": _webform,
    }[draft.channel]
    return renderer(draft, rng)


def _phrasing_segments(phrasing: Phrasing) -> list[Segment]:
    out: list[Segment] = list(phrasing.situation)
    if phrasing.detail:
        out += [" ", *phrasing.detail]
    return [*out, " ", *phrasing.question]


def _phone(draft: Draft, rng: Random) -> Rendered:
    w = _Writer(draft, rng)
    line = draft.service_line

    def member(parts: list[Segment]) -> None:
        w.add("\nLid: ", reshape(parts, lambda s: reg.spoken(s, rng)))

    def staff(template: str) -> None:
        w.add("\nMedewerker: ", w.fill(template))

    w.add("Medewerker: ", w.fill(pick(rng, reg.PHONE_GREETINGS[line])))
    first = draft.phrasings[0]
    opening = w.fill(pick(rng, reg.PHONE_OPENERS))
    if rng.random() < 0.6:
        opening += w.fill("mijn naam is {NAAM}, ")
    situation = list(first.situation)
    if isinstance(situation[0], str):
        situation[0] = reg.lower_first(situation[0])
    member([*opening, *situation])
    if rng.random() < 0.7:
        question, answers = pick(rng, reg.PHONE_IDENTITY_CHECKS)
        staff(question)
        member(w.fill(pick(rng, answers)))
    follow_up, answer_start = pick(rng, reg.PHONE_FOLLOW_UPS)
    staff(follow_up)
    follow: list[Segment] = w.fill(answer_start)
    if first.detail:
        follow += [*first.detail, " "]
    follow += first.question
    member([*follow, *w.volunteered(reg.PII_SENTENCES_SPOKEN)])
    for extra in draft.phrasings[1:]:
        staff(reg.PHONE_ANYTHING_ELSE)
        member([pick(rng, reg.PHONE_SECOND_TOPIC), *_phrasing_segments(extra)])
        staff("Dat noteer ik er ook bij.")
    staff(pick(rng, reg.PHONE_CLOSINGS[line]))
    if rng.random() < 0.3:
        staff("Op welk nummer kunnen we u bereiken?")
        member(w.fill("Op {TELEFOON}."))
    member([pick(rng, reg.PHONE_GOODBYES)])
    text, spans = assemble(w.segments)
    return Rendered(text, None, spans)


def _email(draft: Draft, rng: Random) -> Rendered:
    w = _Writer(draft, rng)
    quote = rng.random()
    w.add(w.fill(pick(rng, reg.EMAIL_GREETINGS)), "\n\n")
    if rng.random() < 0.4:
        w.add(w.fill(pick(rng, reg.EMAIL_INTROS)), " ")
    w.add(_phrasing_segments(draft.phrasings[0]), w.volunteered(reg.PII_SENTENCES_WRITTEN))
    for extra in draft.phrasings[1:]:
        w.add("\n\n", pick(rng, reg.EMAIL_SECOND_TOPIC), _phrasing_segments(extra))
    w.add("\n\n", pick(rng, reg.EMAIL_CLOSINGS), "\n\n", pick(rng, reg.EMAIL_SIGN_OFFS), "\n")
    w.add(Pii("NAAM", draft.person.pii["NAAM"]))
    if rng.random() < 0.5:
        w.add(w.fill("\nLidnummer: {LIDNUMMER}"))
    if rng.random() < 0.4:
        w.add(w.fill("\nTel: {TELEFOON}"))
    if rng.random() < 0.1:
        w.add("\n\nVerzonden vanaf mijn iPhone")
    subject = draft.subject
    if quote < 0.25:
        w.add(_union_reply_quote(w, draft))
        subject = f"Re: {subject}"
    elif quote < 0.4 and draft.employer_mail_fits:
        w.add(_employer_quote(w, draft, rng))
        subject = f"Fwd: {subject}"
    subject_segments: list[Segment] = [subject]
    if rng.random() < 0.08:
        subject_segments += w.fill(" (lidnummer {LIDNUMMER})")
    subject_text, subject_spans = assemble(subject_segments, field="subject")
    text, spans = assemble(w.segments)
    return Rendered(text, subject_text, spans + subject_spans)


def _quoted(lines: list[list[Segment]]) -> list[Segment]:
    out: list[Segment] = []
    for line in lines:
        out += ["\n> ", *line] if line else ["\n>"]
    return out


def _mail_date(draft: Draft, rng: Random) -> str:
    """An earlier working-hours moment, 1-14 days before this contact."""
    day = draft.local_time - timedelta(days=between(rng, 1, 15))
    earlier = day.replace(hour=between(rng, 8, 17), minute=between(rng, 0, 60))
    month = MONTHS_NL[earlier.month - 1]
    return f"{earlier.day} {month} {earlier.year} om {earlier.hour:02d}:{earlier.minute:02d}"


def _union_reply_quote(w: _Writer, draft: Draft) -> list[Segment]:
    person = draft.person
    # The shared mailbox is no one's personal data, but a redactor should still remove
    # every address, so it is listed with the planted values.
    return [
        f"\n\nOp {_mail_date(draft, w.rng)} schreef Ledenservice <",
        Pii("EMAIL", reg.UNION_MAILBOX),
        ">:",
        *_quoted(
            [
                [f"Beste {person.salutation} ", Pii("NAAM", person.surname_alone()), ","],
                [],
                w.fill(pick(w.rng, reg.UNION_REPLY_LINES)),
                [],
                ["Met vriendelijke groet,"],
                ["Team Ledenservice"],
            ]
        ),
    ]


def _employer_quote(w: _Writer, draft: Draft, rng: Random) -> list[Segment]:
    """A forwarded HR mail: a third person's name and address, also personal data."""
    hr = make_person(rng, "M0", draft.person.province, draft.person.sector, draft.local_time.date())
    hr_name = full_name(hr.first_name, hr.tussenvoegsel, hr.surname)
    company = "".join(c for c in draft.slots["werkgever"].lower() if c.isalnum())[:18]
    hr_mail = email_address(rng, hr.first_name, hr.tussenvoegsel, hr.surname, 1980).split("@")[0]
    return [
        f"\n\nOp {_mail_date(draft, rng)} schreef ",
        Pii("NAAM", hr_name),
        " <",
        Pii("EMAIL", f"{hr_mail}@{company}.nl"),
        ">:",
        *_quoted(
            [
                ["Beste ", Pii("NAAM", draft.person.first_name), ","],
                [],
                w.fill(pick(rng, reg.EMPLOYER_MAIL_LINES)),
                [],
                ["Met vriendelijke groet,"],
                [Pii("NAAM", hr_name)],
                [f"{pick(rng, reg.HR_ROLES)} {draft.slots['werkgever']}"],
            ]
        ),
    ]


def _chat(draft: Draft, rng: Random) -> Rendered:
    w = _Writer(draft, rng)
    line = draft.service_line

    def member(parts: list[Segment]) -> None:
        w.add("\nLid: ", reshape(parts, lambda s: reg.chatty(s, rng)))

    first = draft.phrasings[0]
    w.add(
        "Lid: ",
        reshape([pick(rng, reg.CHAT_OPENERS), *first.situation], lambda s: reg.chatty(s, rng)),
    )
    w.add("\nMedewerker: ", pick(rng, reg.CHAT_ACKS))
    member([*first.question, *w.volunteered(reg.PII_SENTENCES_WRITTEN)])
    for extra in draft.phrasings[1:]:
        member(["en nog iets: ", *_phrasing_segments(extra)])
    if rng.random() < 0.5:
        w.add("\nMedewerker: Mag ik uw lidnummer?")
        member(w.fill("{LIDNUMMER}"))
    w.add("\nMedewerker: ", pick(rng, reg.CHAT_CLOSINGS[line]))
    member([pick(rng, reg.CHAT_GOODBYES)])
    text, spans = assemble(w.segments)
    return Rendered(text, None, spans)


def _webform(draft: Draft, rng: Random) -> Rendered:
    w = _Writer(draft, rng)
    fields = [("Naam", "{NAAM}", 1.0), ("Lidnummer", "{LIDNUMMER}", 0.7)]
    fields += [("E-mailadres", "{EMAIL}", 0.9), ("Telefoonnummer", "{TELEFOON}", 0.6)]
    w.add(f"Onderwerp: {draft.subject}")
    for label, template, chance in fields:
        if rng.random() < chance:
            w.add(f"\n{label}: ", w.fill(template))
    if rng.random() < 0.3 or "ADRES" in draft.volunteered:
        w.add(w.fill("\nAdres: {ADRES}\nPostcode: {POSTCODE}\nWoonplaats: {stad}"))
    if rng.random() < 0.2:
        w.add(w.fill("\nGeboortedatum: {GEBOORTEDATUM}"))
    volunteered = [k for k in draft.volunteered if k not in ("ADRES", "POSTCODE")]
    bank = {k: reg.PII_SENTENCES_WRITTEN[k] for k in volunteered}
    w.add("\n\nUw vraag:\n", _phrasing_segments(draft.phrasings[0]))
    for kind in volunteered:
        w.add(" ", w.fill(pick(rng, bank[kind])))
    for extra in draft.phrasings[1:]:
        w.add(" ", pick(rng, reg.EMAIL_SECOND_TOPIC), _phrasing_segments(extra))
    text, spans = assemble(w.segments)
    return Rendered(text, draft.subject, spans)
