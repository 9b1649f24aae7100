"""Personal data the simulator plants: valid checksums, Dutch formats, exact spans."""

from datetime import date
from random import Random

import pytest

from pipeline.simulator.people import (
    bsn,
    iban,
    is_valid_bsn,
    is_valid_iban,
    licence_plate,
    make_person,
)
from pipeline.simulator.text import Pii, assemble, render


def test_generated_bsns_pass_the_eleven_test():
    rng = Random(3)
    assert all(is_valid_bsn(bsn(rng)) for _ in range(2000))


def test_eleven_test_rejects_a_changed_digit():
    assert is_valid_bsn("111222333")
    assert not is_valid_bsn("111222334")


def test_generated_ibans_have_valid_check_digits():
    rng = Random(4)
    values = [iban(rng) for _ in range(2000)]
    assert all(is_valid_iban(v) for v in values)
    assert any(" " in v for v in values) and any(" " not in v for v in values)


@pytest.mark.parametrize("value", ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00"])
def test_known_iban_is_valid_and_a_typo_is_not(value):
    assert is_valid_iban(value)
    assert not is_valid_iban(value.replace("64", "46"))


def test_person_carries_every_pii_type_in_a_dutch_shape():
    person = make_person(Random(5), "M123456", "NL-LI", "industrie", date(2026, 3, 2))
    pii = person.pii
    assert set(pii) == {
        "NAAM",
        "BSN",
        "IBAN",
        "TELEFOON",
        "EMAIL",
        "POSTCODE",
        "ADRES",
        "GEBOORTEDATUM",
        "LIDNUMMER",
        "KENTEKEN",
    }
    assert 5800 <= int(pii["POSTCODE"][:4]) <= 6499  # a Limburg postcode
    assert "@" in pii["EMAIL"] and pii["TELEFOON"].lstrip("+")[:1] in "03"


def test_tussenvoegsel_is_capitalised_only_without_a_first_name():
    rng = Random(0)
    people = [make_person(rng, "M1", "NL-UT", "zorg_welzijn", date(2026, 1, 1)) for _ in range(300)]
    with_particle = [p for p in people if p.tussenvoegsel]
    assert with_particle
    for person in with_particle:
        assert person.surname_alone()[0].isupper()
        assert person.tussenvoegsel in person.pii["NAAM"]


def test_licence_plates_follow_side_codes():
    rng = Random(1)
    for _ in range(200):
        plate = licence_plate(rng)
        assert plate.count("-") == 2 and len(plate) == 8


def test_rendered_spans_point_at_the_planted_value():
    segments = render(
        "[Hallo|Hoi], ik ben {NAAM} van {werkgever}; mijn BSN is {BSN}.",
        {"werkgever": "Bouwbedrijf Van Wijk"},
        {"NAAM": "Jan van der Meer", "BSN": "111222333"},
        Random(2),
    )
    text, spans = assemble([*segments, " Groet, ", Pii("NAAM", "Jan")])
    assert [s["type"] for s in spans] == ["NAAM", "BSN", "NAAM"]
    for span in spans:
        assert text[span["start"] : span["end"]] == span["value"]
