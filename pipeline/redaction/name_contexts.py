"""Where in a message a name may start, and how sure that context is.

Each context is a regex whose match ENDS where the name would begin ("mevrouw ",
"Met vriendelijke groet,\\n", "Naam: "). One pass per regex over the message gives a
map from offsets to context strength, so judging a capitalised word is a dict lookup
instead of a handful of regex searches (this keeps redaction above 2,000 messages/s).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pipeline.salutations import SIGN_OFF

# hesitations and repeats in phone transcripts: "m'n eh naam naam is is zeg maar ..."
_FILLERS = r"(?:,? (?:eh|ehm|uh|uhm|nou|dus|zeg maar|naam|is)\b,?)*"

TITLE = re.compile(
    r"\b(?:meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|de heer|heer|mijnheer|juffrouw|mr\.|mej\.?)[ \t]+",
    re.IGNORECASE,
)
STRONG_INTRO = re.compile(
    rf"(?:\b(?:mijn|m'n){_FILLERS} naam{_FILLERS} is{_FILLERS}|\bik heet|\bmy name is"
    r"|\bu spreekt met|\bje spreekt met)[ \t]+",
    re.IGNORECASE,
)
FIELD = re.compile(
    r"^[ \t>]*(?:naam(?: lid| melder| gezinslid| overleden lid)?|voornaam|achternaam"
    r"|contactpersoon|name)[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
CLOSING = re.compile(
    rf"^[ \t>]*(?:{SIGN_OFF}|groeten uit [^\n,]+|dank(?: je| u)?(?: wel)?|bedankt)"
    r"[ \t]*[,.!]?[ \t]*(?:\n[ \t]*(?:>[ \t]*)?\n?)?[ \t>]*",
    re.IGNORECASE | re.MULTILINE,
)
# A mail header: "Van: …" at a line start, or "… schreef …". Two patterns, not one
# alternation: the word form then scans for its literals (a fifth of find_contexts' time
# on long mails went here), and no match of one can overlap a match of the other.
HEADER_LINE = re.compile(
    r"^[ \t>]*(?:van|aan|from|to|cc)[ \t]*:[ \t]+", re.IGNORECASE | re.MULTILINE
)
HEADER_WORD = re.compile(r"\b(?:schreef|heeft|wrote)[ \t]+", re.IGNORECASE)
# a header name runs to "<address>", "[mailto:", ":" or the end of the line
HEADER_NAME = re.compile(r"[^\n<\[:(]{1,60}\s*(?:<|\[|:|\(|$)", re.MULTILINE)
GREETING = re.compile(
    r"(?:^|[.!?]\s)[ \t>]*(?:beste|geachte|hoi|hallo|hey|hi|dag|lieve|dear)[ \t]+",
    re.IGNORECASE | re.MULTILINE,
)
INTRO = re.compile(
    r"\b(?:ik ben|i am|this is|namens|collega|leidinggevende|teamleider|directeur|manager"
    r"|vader|moeder|zoon|dochter|vrouw|man|partner|broer|zus|gesproken met|hier is|aan)[ \t]+",
    re.IGNORECASE,
)
# "Ledenservice, met Ilse." / "Ja hallo, met De Boer": the phone greeting, not "met de bond"
PHONE_MET = re.compile(r"\bmet[ \t]+", re.IGNORECASE)
_BEFORE_PHONE_MET = re.compile(
    r"(?:^|[.,!?:]|\b(?:ja|hallo|hoi|goedemorgen|goedemiddag|goedenavond|goedendag|goeiedag))"
    r"[ \t]*\Z",
    re.IGNORECASE | re.MULTILINE,
)
# "bij Albert Heijn", "werkgever is Dirk van den Broek": what follows is an employer
ORGANISATION = re.compile(
    r"(?:\bbij|\bwerkgever(?:\s+is)?:?|\bfirma|\bbedrijf|\bwerk(?:t|en)?\s+voor|\bsupermarkt"
    r"|\bdoor|\bnaar)\s+",
    re.IGNORECASE,
)
SENTENCE_START = re.compile(r"(?:\A|[.!?:;\"“(\n])[\s>]*(?:-[ \t]+)?")
# "dank je wel!! groetjes lisa": a sign-off inside a chat line, the name last on its line;
# run on the lowercase copy, so the name's own case is checked on the original
INLINE_SIGNOFF = re.compile(
    r"(?:groet|mvg|liefs)(?:jes|en)?[ \t]*[,.]?[ \t]+(?=[a-z][a-z'-]+[ \t.!]*(?:\n|\Z))"
)
LOWERCASE_INTRO = re.compile(r"\b(?:mijn naam is|ik ben|ik heet)[ \t]+(?=[a-z])", re.IGNORECASE)
SPEAKER = re.compile(r"^[ \t]*([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)[ \t]*:", re.MULTILINE)

# weakest first: a stronger context at the same offset overwrites a weaker one
_RANKED = (
    (INTRO, "medium"),
    (GREETING, "medium"),
    (HEADER_LINE, "header"),
    (HEADER_WORD, "header"),
    (CLOSING, "signature"),
    (FIELD, "strong"),
    (STRONG_INTRO, "strong"),
    (TITLE, "title"),
)


@dataclass(frozen=True)
class Contexts:
    by_offset: dict[int, str]
    organisation_ends: frozenset[int]
    sentence_starts: frozenset[int]
    lowercase_intro_ends: tuple[int, ...] = ()
    """Where a LOWERCASE_INTRO match ends ("ik ben jan")."""
    lowercase_signoff_ends: tuple[int, ...] = ()
    """Where an INLINE_SIGNOFF match ends ("groetjes lisa")."""


def lowercase_copy(text: str) -> str | None:
    """`text.lower()` when case-sensitive lowercase patterns on it find exactly what the
    IGNORECASE patterns find on `text`, at the same offsets; None otherwise.

    Offsets only line up when no character lowercases to two ("İ"), and IGNORECASE
    matching of ASCII differs from str.lower() only for "ı" and "ſ" (which match "i" and
    "s"); an exhaustive check over all code points for the ASCII letters, digits and
    punctuation of these patterns and for \\w, \\s, \\d found no other character."""
    low = text.lower()
    if len(low) != len(text) or "ı" in text or "ſ" in text:
        return None
    return low


def case_sensitive(pattern: re.Pattern[str], *, word_start: bool = False) -> re.Pattern[str]:
    """The lowercase-text variant of an IGNORECASE pattern written in lower case; with
    `word_start`, without its leading \\b, which at_word_starts checks instead (a
    pattern that starts with alternatives of literals scans much faster)."""
    source = pattern.pattern
    assert not re.search(r"(?<!\\)[A-Z]", source.replace("\\\\", "")), source
    if word_start:
        assert source.startswith(r"\b"), source
        source = source[2:]
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


def at_word_starts(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) with a leading \\b put back: the same matches as the
    original, because every alternative starts with a letter and none is empty."""
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            pos = start + 1
            continue
        yield match
        pos = match.end()


Finder = Callable[[str], Iterable[re.Match[str]]]


@dataclass(frozen=True)
class _Finders:
    """The context patterns, as run on the original text or on its lowercase copy."""

    phone_met: Finder
    before_phone_met: re.Pattern[str]
    ranked: tuple[tuple[Finder, str], ...]  # weakest first, as _RANKED
    organisation: Finder
    lowercase_intro: Finder


def _lowercase_finder(pattern: re.Pattern[str], word_start: bool = False) -> Finder:
    low = case_sensitive(pattern, word_start=word_start)
    return functools.partial(at_word_starts, low) if word_start else low.finditer


# These start with \b and alternatives of literals.
_WORD_START = (TITLE, INTRO, PHONE_MET, LOWERCASE_INTRO, HEADER_WORD)
_IGNORECASE = _Finders(
    PHONE_MET.finditer,
    _BEFORE_PHONE_MET,
    tuple((pattern.finditer, strength) for pattern, strength in _RANKED),
    ORGANISATION.finditer,
    LOWERCASE_INTRO.finditer,
)
_LOWERCASE = _Finders(
    _lowercase_finder(PHONE_MET, word_start=True),
    case_sensitive(_BEFORE_PHONE_MET),
    tuple(
        (_lowercase_finder(pattern, word_start=pattern in _WORD_START), strength)
        for pattern, strength in _RANKED
    ),
    _lowercase_finder(ORGANISATION),
    _lowercase_finder(LOWERCASE_INTRO, word_start=True),
)


def find_contexts(text: str) -> Contexts:
    low = lowercase_copy(text)
    # The lowercase copy lets the patterns run without IGNORECASE, much faster; the rare
    # text it cannot stand in for takes the original patterns.
    haystack, finders = (text, _IGNORECASE) if low is None else (low, _LOWERCASE)
    by_offset: dict[int, str] = {}
    for match in finders.phone_met(haystack):
        if finders.before_phone_met.search(haystack, max(0, match.start() - 20), match.start()):
            by_offset[match.end()] = "medium"
    for find, strength in finders.ranked:
        for match in find(haystack):
            offset = match.end()
            if strength == "header":
                if not HEADER_NAME.match(text, offset):
                    continue
                strength_here = "medium"
            else:
                strength_here = strength
            by_offset[offset] = strength_here
    return Contexts(
        by_offset,
        frozenset(m.end() for m in finders.organisation(haystack)),
        frozenset(m.end() for m in SENTENCE_START.finditer(text)),
        tuple(m.end() for m in finders.lowercase_intro(haystack)),
        _inline_signoff_ends(text, low),
    )


def _inline_signoff_ends(text: str, low: str | None) -> tuple[int, ...]:
    if low is None or not ("groet" in low or "mvg" in low or "liefs" in low):
        return ()
    return tuple(
        m.end()
        for m in INLINE_SIGNOFF.finditer(low)
        if (not m.start() or not low[m.start() - 1].isalnum()) and text[m.end()].islower()
    )
