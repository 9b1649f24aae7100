"""11-proef for BSN and mod-97 for IBAN, on valid numbers and one-digit near misses."""

import pytest

from pipeline.redaction.checksums import is_valid_bsn, is_valid_iban


@pytest.mark.parametrize("number", ["111222333", "123456782", "252760189", "507529170"])
def test_valid_bsn_passes_the_11_proef(number):
    assert is_valid_bsn(number)


@pytest.mark.parametrize(
    "number",
    # each is a valid BSN above with one digit changed
    ["111222334", "123456783", "252760188", "507529171", "467510743"],
)
def test_near_miss_bsn_fails(number):
    assert not is_valid_bsn(number)


def test_bsn_separators_are_ignored_and_eight_digits_get_a_leading_zero():
    assert is_valid_bsn("1215.47.280")
    assert is_valid_bsn("611 148 936")
    assert is_valid_bsn("12345672")  # 012345672 passes the 11-proef


def test_bsn_rejects_wrong_lengths_and_all_zeros():
    assert not is_valid_bsn("12345678901")
    assert not is_valid_bsn("1234567")
    assert not is_valid_bsn("000000000")


@pytest.mark.parametrize(
    "iban",
    [
        "NL06RABO2786036663",
        "NL74 ASNB 8469 6863 62",
        "nl76snsb6707601364",
        "BE68539007547034",
        "DE89370400440532013000",
    ],
)
def test_valid_iban_passes_mod_97(iban):
    assert is_valid_iban(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "NL06RABO2786037663",  # one digit changed
        "NL07RABO2786036663",  # check digits changed
        "NL06RABO278603666",  # one digit short
        "DE89370400440532013001",
        "NL06RABO27860366€3",
    ],
)
def test_near_miss_iban_fails(iban):
    assert not is_valid_iban(iban)
