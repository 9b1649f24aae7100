"""Detectors for formatted personal data: e-mail, IBAN, phone, BSN, dates of birth,
member numbers, licence plates, postcodes and street addresses.

Each detector is a compiled regular expression plus, where the format alone is
ambiguous, a checksum (BSN, IBAN) or a context cue ("geboren op", "lidnummer").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.redaction.checksums import IBAN_LENGTHS, is_valid_bsn, is_valid_iban
from pipeline.redaction.gazetteer import Gazetteer
from pipeline.redaction.name_contexts import at_word_starts, case_sensitive, lowercase_copy
from pipeline.redaction.obfuscated_email import obfuscated_emails
from pipeline.redaction.spans import Span
from pipeline.redaction.uncased_streets import HOUSE_NUMBER, STREET_SUFFIXES, uncased_addresses

_SEP = r"[ \t\-.–/]{0,3}"  # what people put between digit groups: spaces, dashes, dots, "06/…"

EMAIL = re.compile(r"(?<![\w.%+\-'])[\w.%+\-']+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")

IBAN_START = re.compile(r"(?<![\w])([A-Za-z]{2})(\d{2})")

PHONE = re.compile(
    r"(?<![\w+])(?:"
    # +31 / 0031, optionally with the "(0)" people keep writing: nine national digits
    rf"(?:\+|00)[ ]?31{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}\d){{8}}"
    # other countries: +48 601 234 567
    rf"|(?:\+|00)[ ]?(?!31)[1-9]\d{{1,2}}{_SEP}\d(?:{_SEP}\d){{7,11}}"
    # national with the area code in brackets: (020) 123 4567
    rf"|\(0[1-9]\d{{1,2}}\){_SEP}\d(?:{_SEP}\d){{5,7}}"
    # national: 06-12345678, 020 123 4567, 010 - 123 45 67
    rf"|0[1-9](?:{_SEP}\d){{8}}"
    # service numbers: 0800-1234, 0900 123 4567
    r"|0[89]0[09][ \-]?\d{4}(?:\d{3})?"
    r")(?!\d)"
)
_DATE_LIKE = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.](?:(?:19|20)\d{2}(?!\d)|\d{2}$)")

BSN_CANDIDATE = re.compile(r"(?<![\w.,\-])\d(?:[ .\-]?\d){8}(?![\w]|[.,\-]\d)")
BSN_LABELLED = re.compile(
    r"\b(?:bsn|burgerservicenummer|burger ?service ?nummer|sofi-?nummer)\b[\s:.-]*(?:is\s+)?"
    r"(\d(?:[ .]?\d){7,8})(?!\d)",
    re.IGNORECASE,
)

_MONTHS = (
    r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    r"|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?"
)
DATE = re.compile(
    r"(?<![\w-])(?:"
    r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}"
    # "12 juni 1981", and the shortened year "12 juni '81" (only a birth cue makes it count)
    rf"|\d{{1,2}} {_MONTHS} (?:(?:19|20)\d{{2}}|['’‘`]\d{{2}}(?!\d))"
    r"|(?:19|20)\d{2}-\d{2}-\d{2}"
    r")(?![\w-])",
    re.IGNORECASE,
)
BIRTH_CUE = re.compile(
    r"\b(?:geboren|geboortedatum|geboorte datum|geb\.|geb\b|date of birth|dob|born)",
    re.IGNORECASE,
)
_CUE_WINDOW = 60  # characters before a date in which a birth cue makes it a birth date
_MEMBER_WINDOW = 100  # "Mag ik uw lidnummer?" and the answer on the next transcript line

DEFAULT_MEMBER_CUES = (
    r"lidnummer|lid nummer|lidnr\.?|lid nr\.?|ledennummer|lidmaatschapsnummer"
    r"|relatienummer|numer członkowski|member number"
)
DEFAULT_MEMBER_PATTERNS = (r"\bL\d{8}\b",)
MEMBER_NUMBER = re.compile(r"(?<![\w])[A-Z]?\d{6,9}(?!\d)")

# The Dutch sidecodes: letter/digit groups such as 12-ABC-3, AB-12-CD, 1-ABC-23.
_PLATE_FORMS = (
    r"[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}"
    r"|[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}"
    r"|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}"
    r"|\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d"
)
PLATE = re.compile(rf"(?:{_PLATE_FORMS})")
# Every sidecode has a middle group of two or three between two dashes: found first (a
# fast scan), then the groups around it are read and the whole checked against PLATE.
_PLATE_MIDDLE = re.compile(r"-[A-Za-z\d]{2,3}-")
_PLATE_AROUND = re.compile(r"[A-Za-z\d]{1,3}\Z")
_PLATE_AFTER = re.compile(r"[A-Za-z\d]{1,3}(?![\w-])")
# Plates since sidecode 4 (1978) use no vowels; a lower-case "xx-99-yy" counts only then,
# so lower-case words with dashes and digits ("2-mei-24", "ma-12-uur") stay.
_VOWELS = frozenset("aeiou")
PLATE_UNDASHED = re.compile(r"\bkenteken\b[^\n\d]{0,20}?\b([A-Z0-9]{6})\b", re.IGNORECASE)

# 1234 AB (not SA/SD/SS, which PostNL never issues), 1234AB, 5611em; "1234 ab" only when
# the two letters are no word or unit ("2024 en", "1500 km" stay).
POSTCODE = re.compile(
    r"(?<![\w-])[1-9]\d{3}(?:[ ]?(?!SA|SD|SS)[A-Z]{2}|[a-z]{2}|[ ](?!sa|sd|ss)[a-z]{2})(?![\w-])"
)
_NOT_POSTCODE_LETTERS = frozenset(
    [
        "en",
        "in",
        "op",
        "om",
        "af",
        "al",
        "of",
        "te",
        "ze",
        "je",
        "we",
        "is",
        "ik",
        "er",
        "na",
        "as",
        "at",
        "an",
        "be",
        "by",
        "do",
        "go",
        "he",
        "if",
        "it",
        "me",
        "my",
        "no",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "am",
        "ah",
        "eh",
        "uh",
        "oh",
        "ok",
        "nu",
        "zo",
        "da",
        "de",
        "km",
        "kg",
        "mg",
        "ml",
        "cl",
        "dl",
        "cm",
        "mm",
        "mb",
        "gb",
        "kb",
        "tb",
        "kw",
        "pk",
        "st",
        "nr",
        "pp",
        "ha",
        "pm",
        "ca",
        "eu",
        "ov",
        "uu",
    ]
)
POSTCODEHOUSE_NUMBER = re.compile(r"[ ]\d{1,5}[a-zA-Z]?(?![\w-])")

STREET_SUFFIXED = re.compile(
    r"(?<![\w'-])"
    r"((?:(?:[A-Z][\w'.]*|van|de|der|den|het|'t|ter|ten)[ ]){0,4}?"
    rf"[A-Z][\w'-]*(?:{STREET_SUFFIXES})(?:-[A-Z][a-z]+)?)"
    rf"[ ]({HOUSE_NUMBER})(?![\w-])"
)
# both address forms end in a word character, a space and a house number's first digit
_ADDRESS_HINT = re.compile(r"[\w'-] \d")
_SPACE_DIGIT = re.compile(r" \d")
_STREET_WORD_END = re.compile(rf"(?:{STREET_SUFFIXES})(?:-[A-Z][a-z]+)?\Z")
# chat without capitals: "de kerkstraat 12a"; a weaker suffix needs a known street name
STREET_BY_NAME = re.compile(
    r"(?<![\w'-])((?:[A-Z][\w'-]*[ ]){0,3}[A-Z][\w'-]*)[ ]" rf"({HOUSE_NUMBER})(?![\w-])"
)


class PatternDetector:
    """All formatted-data detectors, compiled once per configuration."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        member_cues: str = DEFAULT_MEMBER_CUES,
        member_patterns: tuple[str, ...] = DEFAULT_MEMBER_PATTERNS,
    ) -> None:
        self._gazetteer = gazetteer
        self._member_cue = re.compile(rf"\b(?:{member_cues})", re.IGNORECASE)
        # The default cues run on the lowercase copy, case-sensitively and with the \b
        # checked per match (name_contexts.lowercase_copy says why that finds the same):
        # a quarter of the time. A union's own cues keep the IGNORECASE pattern.
        self._member_cue_lower = (
            case_sensitive(self._member_cue, word_start=True)
            if member_cues == DEFAULT_MEMBER_CUES
            else None
        )
        self._member_patterns = tuple(re.compile(p) for p in member_patterns)

    def find(self, text: str) -> Iterator[Span]:
        yield from self.emails(text)
        yield from obfuscated_emails(text)
        yield from self.ibans(text)
        yield from self.phones(text)
        yield from self.member_numbers(text)
        yield from self.birth_dates(text)
        yield from self.bsns(text)
        yield from self.plates(text)
        yield from self.postcodes(text)
        yield from self.addresses(text)

    def emails(self, text: str) -> Iterator[Span]:
        for match in EMAIL.finditer(text):
            yield Span(match.start(), match.end(), "EMAIL")

    def ibans(self, text: str) -> Iterator[Span]:
        for match in IBAN_START.finditer(text):
            country = match.group(1).upper()
            lengths = [IBAN_LENGTHS[country]] if country in IBAN_LENGTHS else range(15, 33)
            for length in lengths:
                end = _take_alnum(text, match.start(), length)
                if end is None:  # "NL91-ABNA-0417-1643-00": dashes instead of spaces
                    end = _take_alnum(text, match.start(), length, joiners="-.")
                if end and is_valid_iban(re.sub(r"[-.]", "", text[match.start() : end])):
                    yield Span(match.start(), end, "IBAN")
                    break

    def phones(self, text: str) -> Iterator[Span]:
        for match in PHONE.finditer(text):
            if not _DATE_LIKE.match(match.group(0)):
                yield Span(match.start(), match.end(), "TELEFOON")

    def bsns(self, text: str) -> Iterator[Span]:
        for match in BSN_CANDIDATE.finditer(text):
            if is_valid_bsn(match.group(0)):
                yield Span(match.start(), match.end(), "BSN")
        # Someone who writes "BSN:" before a number means a BSN, even one with a typo.
        # Pre-check: IGNORECASE matches "s" and "i" also as "ſ" and "ı" (no str.lower()).
        low = text.lower()
        if not ("bsn" in low or "burger" in low or "sofi" in low or "ſ" in text or "ı" in text):
            return
        for match in BSN_LABELLED.finditer(text):
            yield Span(match.start(1), match.end(1), "BSN")

    def birth_dates(self, text: str) -> Iterator[Span]:
        previous_end = 0
        for match in DATE.finditer(text):
            window_start = max(previous_end, match.start() - _CUE_WINDOW)
            if BIRTH_CUE.search(text, window_start, match.start()):
                yield Span(match.start(), match.end(), "GEBOORTEDATUM")
            previous_end = match.end()

    def member_numbers(self, text: str) -> Iterator[Span]:
        low = lowercase_copy(text) if self._member_cue_lower is not None else None
        cues = (
            self._member_cue.finditer(text)
            if self._member_cue_lower is None or low is None
            else at_word_starts(self._member_cue_lower, low)
        )
        for cue in cues:
            number = MEMBER_NUMBER.search(text, cue.end(), cue.end() + _MEMBER_WINDOW)
            if number:
                yield Span(number.start(), number.end(), "LIDNUMMER")
        for pattern in self._member_patterns:
            for match in pattern.finditer(text):
                yield Span(match.start(), match.end(), "LIDNUMMER")

    def plates(self, text: str) -> Iterator[Span]:
        for middle in _PLATE_MIDDLE.finditer(text):
            before = _PLATE_AROUND.search(text, max(0, middle.start() - 3), middle.start())
            after = _PLATE_AFTER.match(text, middle.end())
            if before is None or after is None:
                continue
            start, end = before.start(), after.end()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_-"):
                continue
            plate = text[start:end]
            if not PLATE.fullmatch(plate.upper()):
                continue
            if plate.isupper() or not _VOWELS.intersection(plate.lower()):
                yield Span(start, end, "KENTEKEN")
        if "kenteken" not in text.lower():  # IGNORECASE "k" also matches "K", which lowers to "k"
            return
        for match in PLATE_UNDASHED.finditer(text):
            plate = match.group(1)
            if any(c.isdigit() for c in plate) and any(c.isalpha() for c in plate):
                yield Span(match.start(1), match.end(1), "KENTEKEN")

    def postcodes(self, text: str) -> Iterator[Span]:
        for match in POSTCODE.finditer(text):
            if match.group(0)[-3:].startswith(" ") and match.group(0)[-2:] in (
                _NOT_POSTCODE_LETTERS
            ):
                continue
            house_number = POSTCODEHOUSE_NUMBER.match(text, match.end())
            end = house_number.end() if house_number else match.end()
            yield Span(match.start(), end, "POSTCODE")

    def addresses(self, text: str) -> Iterator[Span]:
        if not _ADDRESS_HINT.search(text):
            return
        suffixed, capitalised = _address_gaps(text)
        if suffixed:
            for match in STREET_SUFFIXED.finditer(text):
                yield Span(match.start(1), match.end(2), "ADRES")
        yield from uncased_addresses(text, self._gazetteer)
        if not capitalised:
            return
        for match in STREET_BY_NAME.finditer(text):
            words = match.group(1).split(" ")
            # the longest tail of the capitalised words that is a known street name
            for first in range(len(words)):
                if " ".join(words[first:]) in self._gazetteer.streets:
                    start = match.start(1) + len(" ".join(words[:first])) + (1 if first else 0)
                    yield Span(start, match.end(2), "ADRES")
                    break


def _address_gaps(text: str) -> tuple[bool, bool]:
    """Could STREET_SUFFIXED, could STREET_BY_NAME match? Both end in a word, a space and a
    digit (a few such gaps per message); the word before that space must end in a street
    suffix (optionally "-Oost") for the first and start with a capital for the second.
    Without such a gap the pattern cannot match, and its scan over a long mail (most of
    the time of addresses()) is skipped."""
    suffixed = capitalised = False
    for gap in _SPACE_DIGIT.finditer(text):
        end = gap.start()
        start = end
        while start and (text[start - 1].isalnum() or text[start - 1] in "_'-"):
            start -= 1
        word = text[start:end]
        if not word:
            continue
        capitalised = capitalised or "A" <= word[0] <= "Z"
        suffixed = suffixed or _STREET_WORD_END.search(word) is not None
        if suffixed and capitalised:
            break
    return suffixed, capitalised


def _take_alnum(text: str, start: int, count: int, joiners: str = " ") -> int | None:
    """End offset after `count` letters/digits from `start`, allowing single `joiners`
    (spaces) between them; None if the run is shorter or continues as one word past `count`."""
    taken = 0
    position = start
    while position < len(text) and taken < count:
        char = text[position]
        if char.isalnum():
            taken += 1
        elif not (char in joiners and position + 1 < len(text) and text[position + 1].isalnum()):
            return None
        position += 1
    if taken < count or (position < len(text) and text[position].isalnum()):
        return None
    return position
