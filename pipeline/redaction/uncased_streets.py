"""Street addresses written all in lower case ("de kerkstraat 12a") or all in capitals
("HOOFDSTRAAT 3"), which the capitalised-street patterns do not see.

A house number follows a space, so the search starts at each space-and-digit (a few per
message) and reads the word before it, instead of scanning every word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.redaction.gazetteer import Gazetteer
from pipeline.redaction.spans import Span

HOUSE_NUMBER = r"\d{1,5}(?:[ ]?[a-zA-Z](?![\w])|-\d{1,3}[a-zA-Z]?|[ ]bis\b)?"
STREET_SUFFIXES = (
    r"straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|dreef|steeg|park|plantsoen|markt"
    r"|ring|baan|wal|wetering|veld|erf|hoek|dam|haven|kanaal|burg|berg|straatweg|boulevard"
    r"|allee|hage|horst|polder|vliet|zijde|dreve|oord|akker|kamp|gaarde|tuin|hout|bos|weide"
)
_SUFFIX_LIST = tuple(STREET_SUFFIXES.split("|"))
_SUFFIX_LIST_CAPS = tuple(suffix.upper() for suffix in _SUFFIX_LIST)
_SPACE_DIGIT = re.compile(r" \d")
_LOWER_STREET = re.compile(rf"[a-zà-ÿ][a-zà-ÿ'-]*(?:{STREET_SUFFIXES})\Z")
_CAPS_STREET = re.compile(rf"[A-Z][A-Z'-]*(?:{STREET_SUFFIXES.upper()})\Z")
# "onderweg 3 uur": a number of something is no house number
_NUMBER = re.compile(
    rf"({HOUSE_NUMBER})(?![\w-])"
    r"(?![ ](?:uur|jaar|euro|procent|minuten|km|kilometer|meter|keer|dagen|weken|maanden))"
)
_WORD_WINDOW = 40
# lower-case words that end like a street and are one in some town, but mostly are words
_NOT_STREETS = frozenset({"onderweg", "halfweg"})
_STRONG_SUFFIXES = (
    "straat", "laan", "gracht", "kade", "singel", "plein", "steeg", "dreef", "plantsoen",
    "boulevard", "straatweg",
)  # fmt: skip


def uncased_addresses(text: str, gazetteer: Gazetteer) -> Iterator[Span]:
    """A lower-case street needs a strong suffix (straat, laan, …) or a known street name
    and must not be a common word; a street in capitals is one by its suffix."""
    for gap in _SPACE_DIGIT.finditer(text):
        end = gap.start()
        if not end or not text[end - 1].isalpha():
            continue
        lower = text[end - 1].islower()
        if not text.endswith(_SUFFIX_LIST if lower else _SUFFIX_LIST_CAPS, 0, end):
            continue  # a cheap test before the regex: most numbers follow no street word
        street = (_LOWER_STREET if lower else _CAPS_STREET).search(
            text, max(0, end - _WORD_WINDOW), end
        )
        if street is None or (street.start() and _is_word_char(text[street.start() - 1])):
            continue
        number = _NUMBER.match(text, end + 1)
        if number is None:
            continue
        word = street.group(0)
        if lower and not _is_street_word(word, gazetteer):
            continue
        yield Span(street.start(), number.end(1), "ADRES")


def _is_street_word(word: str, gazetteer: Gazetteer) -> bool:
    strong = word.endswith(_STRONG_SUFFIXES) and len(word) > 7
    known = word.capitalize() in gazetteer.streets and word not in _NOT_STREETS
    return (strong or known) and not gazetteer.is_common_word(word)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_'-"
