"""Simulated members and the personal data they mention, valid where checks exist.

BSNs pass the 11-proef and IBANs the ISO 13616 mod-97 check (with the old Dutch
account 11-proef as well), because a redactor that keys on checksums must meet
values that look exactly like real ones.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from pipeline.simulator.places import CITIES, STREETS, City
from pipeline.simulator.text import between, pick

FIRST_NAMES_FEMALE = (
    "Anna", "Emma", "Sanne", "Lisa", "Anouk", "Fleur", "Iris", "Marloes", "Petra", "Monique",
    "Sandra", "Linda", "Ingrid", "Wilma", "Yvonne", "Esther", "Marieke", "Chantal", "Kim",
    "Naomi", "Fatima", "Samira", "Noor", "Yasmina", "Aylin", "Priya", "Joyce", "Maria", "Ilse",
    "Femke", "Lotte", "Annemarie", "Gerda", "Hanneke", "Ria", "Tineke", "Nicole", "Sabrina",
    "Dewi", "Agnieszka", "Bianca", "Miranda", "Renate", "Zeynep", "Khadija", "Mirjam",
    "Saskia", "Manon", "Jolanda", "Astrid", "Els", "Henny", "Jacqueline", "Marjolein", "Roos",
    "Julia", "Sophie", "Tess", "Eva", "Lieke", "Nadia", "Hatice", "Elif", "Shanti", "Kimberley",
    "Romy", "Danielle", "Wendy", "Ellen", "Corrie", "Gonny", "Anita", "Magda", "Olga", "Ayşe",
)  # fmt: skip
FIRST_NAMES_MALE = (
    "Jan", "Piet", "Kees", "Henk", "Gerrit", "Johan", "Willem", "Bram", "Daan", "Sem", "Lucas",
    "Thomas", "Tim", "Kevin", "Mark", "Dennis", "Sander", "Jeroen", "Bas", "Ruud", "Marco",
    "Erik", "Peter", "Frank", "Hans", "Martijn", "Mohamed", "Ahmed", "Youssef", "Mehmet",
    "Emre", "Hakan", "Stefan", "Tomasz", "Rachid", "Bilal", "Niels", "Joost", "Wim", "Ton",
    "Rob", "Arjen", "Ricardo", "Dirk", "Koen", "Jasper", "Gijs", "Thijs", "Ruben", "Stijn",
    "Wouter", "Hendrik", "Cor", "Harm", "Klaas", "Sjoerd", "Jelle", "Freek", "Maarten", "Rik",
    "Ibrahim", "Mustafa", "Abdel", "Karim", "Murat", "Serkan", "Piotr", "Marek", "Dimitri",
    "Rajesh", "Glenn", "Roy", "Patrick", "Edwin", "Ferdi", "Luuk", "Milan", "Mees", "Ömer",
)  # fmt: skip
# (tussenvoegsel, achternaam); the tussenvoegsel is "" when there is none.
SURNAMES = (
    ("de", "Vries"), ("de", "Jong"), ("", "Jansen"), ("van den", "Berg"), ("", "Bakker"),
    ("van", "Dijk"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"),
    ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"),
    ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"),
    ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"),
    ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"),
    ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"),
    ("van der", "Heijden"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"),
    ("van", "Vliet"), ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"),
    ("", "Koster"), ("van", "Dam"), ("van der", "Wal"), ("", "Prins"), ("", "Blom"),
    ("", "Huisman"), ("", "Peeters"), ("", "Kuipers"), ("van 't", "Hof"), ("in 't", "Veld"),
    ("ter", "Horst"), ("ten", "Brink"), ("op de", "Weegh"), ("", "Yilmaz"), ("", "Kaya"),
    ("", "El Amrani"), ("", "Bouzid"), ("", "Öztürk"), ("", "Nowak"), ("", "Wijaya"),
    ("", "Claessens"), ("", "Janssen"), ("", "Geurts"), ("van", "Loon"), ("", "Postma"),
    ("van der", "Berg"), ("de", "Ruiter"), ("van", "Rijn"), ("van den", "Bosch"), ("", "Bosman"),
    ("", "Wouters"), ("", "Sanders"), ("de", "Koning"), ("van", "Wijk"), ("", "Kramer"),
    ("van", "Doorn"), ("", "Lammers"), ("van der", "Zee"), ("de", "Lange"), ("", "Timmermans"),
    ("van", "Gelder"), ("", "Hermans"), ("van", "Veen"), ("", "Martens"), ("de", "Vos"),
    ("van de", "Pol"), ("ter", "Beek"), ("", "Zwart"), ("", "Evers"), ("van", "Es"),
    ("", "Çelik"), ("", "Demir"), ("", "Şahin"), ("", "Benali"), ("", "Ouali"), ("", "Ramdin"),
    ("", "Sewdien"), ("", "Martina"), ("", "Kowalczyk"), ("", "Wiśniewski"), ("", "Pattipeilohy"),
    ("", "Tahiri"), ("", "Boukhari"), ("", "Schreurs"), ("", "Vinke"), ("van", "Osch"),
)  # fmt: skip
MAIL_DOMAINS = (
    "gmail.com", "hotmail.com", "outlook.com", "live.nl", "ziggo.nl", "kpnmail.nl",
    "hetnet.nl", "planet.nl", "icloud.com", "xs4all.nl", "home.nl",
)  # fmt: skip
BANK_CODES = ("ABNA", "INGB", "RABO", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ", "RBRB")
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
)  # fmt: skip
_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"


@dataclass(frozen=True)
class Person:
    """A member as they would write about themselves; `pii` maps type to surface form."""

    member_ref: str
    province: str
    sector: str
    female: bool
    first_name: str
    tussenvoegsel: str
    surname: str
    city: City
    pii: dict[str, str]

    @property
    def salutation(self) -> str:
        return "mevrouw" if self.female else "meneer"

    def surname_alone(self) -> str:
        """ "Van den Berg": the first particle is capitalised without a first name."""
        if not self.tussenvoegsel:
            return self.surname
        return f"{self.tussenvoegsel[0].upper()}{self.tussenvoegsel[1:]} {self.surname}"


def full_name(first: str, tussenvoegsel: str, surname: str) -> str:
    return " ".join(part for part in (first, tussenvoegsel, surname) if part)


def make_person(rng: Random, member_ref: str, province: str, sector: str, today: date) -> Person:
    female = rng.random() < 0.5
    first = pick(rng, FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
    tussenvoegsel, surname = pick(rng, SURNAMES)
    city = pick(rng, CITIES[province])
    birth = birthdate(rng, today)
    name = full_name(first, tussenvoegsel, surname)
    if rng.random() < 0.25:
        name = full_name(f"{first[0]}.", tussenvoegsel, surname)
    pii = {
        "NAAM": name,
        "TELEFOON": mobile_number(rng) if rng.random() < 0.85 else landline_number(rng, city),
        "EMAIL": email_address(rng, first, tussenvoegsel, surname, birth.year),
        "BSN": bsn(rng),
        "IBAN": iban(rng),
        "POSTCODE": postcode(rng, city),
        "ADRES": street_address(rng),
        "GEBOORTEDATUM": format_date(rng, birth),
        "LIDNUMMER": str(between(rng, 10_000_000, 99_999_999)),
        "KENTEKEN": licence_plate(rng),
    }
    return Person(member_ref, province, sector, female, first, tussenvoegsel, surname, city, pii)


def bsn(rng: Random) -> str:
    """A nine-digit BSN that passes the 11-proef."""
    while True:
        head = str(int(10_000_000 + rng.random() * 90_000_000))
        check = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return head + str(check)


def is_valid_bsn(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 9:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def iban(rng: Random) -> str:
    """A Dutch IBAN with valid check digits, printed compact or in groups of four."""
    while True:
        head = f"{int(rng.random() * 1_000_000_000):09d}"
        last = -sum(int(d) * w for d, w in zip(head, range(10, 1, -1), strict=True)) % 11
        if last < 10:
            break
    account = head + str(last)
    bban = pick(rng, BANK_CODES) + account
    check = 98 - _iban_remainder(bban + "NL00")
    compact = f"NL{check:02d}{bban}"
    if rng.random() < 0.5:
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


def is_valid_iban(value: str) -> bool:
    compact = value.replace(" ", "").upper()
    if not compact.startswith("NL") or len(compact) != 18:
        return False
    return _iban_remainder(compact[4:] + compact[:4]) == 1


def _iban_remainder(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text)) % 97


def mobile_number(rng: Random) -> str:
    rest = f"{between(rng, 10_000_000, 70_000_000):08d}"
    style = between(rng, 0, 5)
    if style == 0:
        return f"06-{rest}"
    if style == 1:
        return f"06 {rest[:2]} {rest[2:4]} {rest[4:6]} {rest[6:]}"
    if style == 2:
        return f"+31 6 {rest}"
    if style == 3:
        return f"+316{rest}"
    return f"06{rest}"


def landline_number(rng: Random, city: City) -> str:
    subscriber = str(between(rng, 10**8, 10**9))[: 10 - len(city.area_code)]
    return f"{city.area_code}-{subscriber}"


def email_address(rng: Random, first: str, tussenvoegsel: str, surname: str, year: int) -> str:
    last = _ascii(tussenvoegsel + surname)
    given = _ascii(first)
    local = pick(
        rng,
        (
            f"{given}.{last}",
            f"{given[0]}.{last}",
            f"{given}{last}",
            f"{given}.{last}{year % 100:02d}",
            f"{given}_{last}",
            f"{given}{year}",
        ),
    )
    return f"{local}@{pick(rng, MAIL_DOMAINS)}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()


def postcode(rng: Random, city: City) -> str:
    while True:
        letters = pick(rng, _POSTCODE_LETTERS) + pick(rng, _POSTCODE_LETTERS)
        if letters not in ("SA", "SD", "SS"):
            break
    number = city.postcode_from + between(rng, 0, city.postcode_span)
    return f"{number} {letters}" if rng.random() < 0.8 else f"{number}{letters}"


def street_address(rng: Random) -> str:
    number = str(between(rng, 1, 240))
    suffix = pick(rng, ("", "", "", "", "a", "b", "-2", " bis", "A"))
    return f"{pick(rng, STREETS)} {number}{suffix}"


def birthdate(rng: Random, today: date) -> date:
    return today - timedelta(days=between(rng, 18 * 365 + 5, 67 * 365))


def format_date(rng: Random, day: date) -> str:
    style = between(rng, 0, 4)
    if style == 0:
        return f"{day.day:02d}-{day.month:02d}-{day.year}"
    if style == 1:
        return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"
    if style == 2:
        return f"{day.day}/{day.month}/{day.year}"
    return f"{day.day}-{day.month}-{day.year}"


def licence_plate(rng: Random) -> str:
    """A plate in one of the current Dutch side codes, e.g. 12-BDF-3 or GX-123-B."""
    pattern = _PLATE_PATTERNS[int(rng.random() * len(_PLATE_PATTERNS))]
    return "".join(
        _PLATE_LETTERS[int(rng.random() * len(_PLATE_LETTERS))]
        if c == "X"
        else str(int(rng.random() * 10))
        if c == "9"
        else c
        for c in pattern
    )


_PLATE_PATTERNS = ("99-XXX-9", "9-XXX-99", "XX-999-X", "X-999-XX", "XXX-99-X")
