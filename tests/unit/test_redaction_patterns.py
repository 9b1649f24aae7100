"""Formatted personal data: every common Dutch phone form, IBAN/BSN with checksums,
e-mail, postcode, address, birth date in context, member number and licence plate."""

import pytest

from pipeline.redaction import Redactor, RedactorConfig


@pytest.fixture(scope="module")
def redactor():
    return Redactor()


def types_and_values(redactor, text):
    return [(s.type, text[s.start : s.end]) for s in redactor.redact(text).spans]


@pytest.mark.parametrize(
    "phone",
    [
        "06-12345678",
        "06 1234 5678",
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "+31 6 12345678",
        "+31612345678",
        "+31 (0)6 12 34 56 78",
        "+316 19 87 65 43",
        "0031 6 55 12 34 90",
        "0031612847391",
        "020-1234567",
        "020 123 4567",
        "010 - 123 45 67",
        "0546-872310",
        "(020) 1234567",
        "088 - 456 7890",
        "06–52 31 98 76",
        "+48 601 234 567",
    ],
)
def test_each_phone_form_is_one_telefoon_span(redactor, phone):
    text = f"Bel mij op {phone} na vijf uur."
    assert types_and_values(redactor, text) == [("TELEFOON", phone)]


@pytest.mark.parametrize(
    "text", ["Ontslagen op 01-12-2021.", "Dat kost 0,50 euro.", "Om 14:00 uur."]
)
def test_dates_amounts_and_times_are_not_phones(redactor, text):
    assert redactor.redact(text).spans == ()


def test_iban_with_and_without_spaces_and_checksum(redactor):
    text = "Oud NL17 TRIO 7754 9528 22, nieuw NL62RABO2983751822, fout NL06RABO2786037663."
    assert types_and_values(redactor, text) == [
        ("IBAN", "NL17 TRIO 7754 9528 22"),
        ("IBAN", "NL62RABO2983751822"),
    ]


def test_spaced_iban_does_not_swallow_the_next_word(redactor):
    text = "Rekening NL74 ASNB 8469 6863 62 voor de contributie"
    assert types_and_values(redactor, text) == [("IBAN", "NL74 ASNB 8469 6863 62")]


def test_bsn_needs_the_11_proef_unless_labelled(redactor):
    assert types_and_values(redactor, "Mijn nummer 252760189 graag.") == [("BSN", "252760189")]
    assert types_and_values(redactor, "Factuurnummer 467510743 graag.") == []
    # "BSN:" before a number means a BSN, even with a typo in it
    assert types_and_values(redactor, "BSN: 252760188") == [("BSN", "252760188")]


def test_emails_including_in_quoted_reply_headers(redactor):
    text = (
        "Dank!\n\nOp 3 mei 2026 schreef Sanne Mulder <s.mulder@debond.nl>:\n"
        "> Stuur het naar juridisch@debond.nl of peter.de.graaf1972@ziggo.nl."
    )
    emails = [v for t, v in types_and_values(redactor, text) if t == "EMAIL"]
    assert emails == ["s.mulder@debond.nl", "juridisch@debond.nl", "peter.de.graaf1972@ziggo.nl"]


def test_postcode_with_house_number_and_street_address(redactor):
    text = "Ik woon op Kerkstraat 12a, 1092 KH 17 Amsterdam. Post naar 5611EM graag."
    assert types_and_values(redactor, text) == [
        ("ADRES", "Kerkstraat 12a"),
        ("POSTCODE", "1092 KH 17"),
        ("POSTCODE", "5611EM"),
    ]


def test_years_followed_by_words_are_not_postcodes(redactor):
    assert redactor.redact("In 2024 en 2025 is de cao verlengd.").spans == ()


def test_birth_date_only_in_context(redactor):
    text = "Ontslagen op 12-03-2026. Ik ben geboren op 3 november 1985 en geb. 3-11-85."
    assert types_and_values(redactor, text) == [
        ("GEBOORTEDATUM", "3 november 1985"),
        ("GEBOORTEDATUM", "3-11-85"),
    ]


def test_member_number_after_cue_and_configurable_pattern(redactor):
    text = "Mag ik uw lidnummer?\nLid: Ja, dat is 20119876."
    assert types_and_values(redactor, text) == [("LIDNUMMER", "20119876")]
    custom = Redactor(RedactorConfig(member_patterns=(r"\bFNV-?\d{7,8}\b",)))
    text = "Mijn nummer is FNV-1234567."
    assert types_and_values(custom, text) == [("LIDNUMMER", "FNV-1234567")]
    assert types_and_values(redactor, text) == []


@pytest.mark.parametrize("plate", ["12-ABC-3", "AB-12-CD", "1-ABC-23", "XF-123-Z", "VGX-34-P"])
def test_licence_plate_sidecodes(redactor, plate):
    assert types_and_values(redactor, f"Kenteken {plate} van de bus.") == [("KENTEKEN", plate)]


def test_the_lowercase_member_cue_path_finds_what_the_ignorecase_pattern_finds():
    """The default cues run on text.lower() without IGNORECASE (speed); a union's own cues
    take the IGNORECASE pattern. Both must give the same spans, in any case."""
    from pipeline.redaction.annotations import read_jsonl
    from pipeline.redaction.cli import ANNOTATED_SET
    from pipeline.redaction.gazetteer import load_gazetteer
    from pipeline.redaction.patterns import DEFAULT_MEMBER_CUES, PatternDetector

    fast = PatternDetector(load_gazetteer())
    slow = PatternDetector(load_gazetteer(), member_cues=f"(?:{DEFAULT_MEMBER_CUES})")
    assert fast._member_cue_lower is not None and slow._member_cue_lower is None
    texts = [m.text for m in read_jsonl(ANNOTATED_SET)]
    texts += ["LIDNUMMER: 12345678", "Numer Członkowski 7654321", "NUMER CZŁONKOWSKI 7654321"]
    texts += ["xlidnummer 12345678", "Lıdnummer 12345678", "İk, lidnummer 12345678"]
    found = 0
    for text in texts:
        for variant in (text, text.upper(), text.swapcase()):
            spans = list(fast.member_numbers(variant))
            assert spans == list(slow.member_numbers(variant)), variant
            found += len(spans)
    assert found > 50


def test_the_only_non_ascii_letter_of_the_default_cues_folds_like_lower():
    """IGNORECASE "ł" matches exactly the characters whose lower() is "ł" (so the
    lowercase path of the member cues is exact for it, as for ASCII letters)."""
    import re

    pattern = re.compile("ł", re.IGNORECASE)
    matched = {chr(c) for c in range(0x110000) if pattern.fullmatch(chr(c))}
    assert matched == {c for c in map(chr, range(0x110000)) if c.lower() == "ł"} == {"ł", "Ł"}
