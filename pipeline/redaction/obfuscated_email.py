"""E-mail addresses that members write so a spam filter cannot read them:
"jan punt jansen at gmail punt com", "jan[at]gmail.com", "jan (at) gmail (dot) com",
"jan＠gmail.com" (a full-width at sign), "jan apenstaartje ziggo punt nl".

A marker ("at", "[at]", "＠", …) is found first; the domain must follow it and end in a
top-level domain, and the local part is read backwards from the marker. The plain word
"at" (English text: "at the office") counts only when the domain is written with
"punt"/"dot"/"." and ends in a known top-level domain, so "at home" stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.redaction.spans import Span

# Bracketed or full-width markers leave no doubt; the bare words need a domain that
# ends in a known top-level domain.
_MARKER = re.compile(
    r"[ \t]*(?:[\[({]\s*(?:at|@|apenstaartje)\s*[\])}]|＠|﹫)[ \t]*"
    r"|[ \t]+@[ \t]+"
    r"|[ \t]+(?:at|apenstaartje|apestaartje)[ \t]+",
    re.IGNORECASE,
)
_DOT = r"(?:[ \t]+(?:punt|dot)[ \t]+|[ \t]*[\[({][ \t]*(?:punt|dot|\.)[ \t]*[\])}][ \t]*|\.|．)"
_KNOWN_TLD = (
    r"(?:nl|com|net|org|be|de|eu|info|nu|biz|fr|uk|pl|es|it|io|me|online|email|mail|live"
    r"|frl|amsterdam)"
)
_DOMAIN = re.compile(rf"(?:[\w-]+{_DOT}){{1,4}}(?:{_KNOWN_TLD}|[a-z]{{2,6}})\b", re.IGNORECASE)
_DOMAIN_KNOWN_TLD = re.compile(rf"(?:[\w-]+{_DOT}){{1,4}}{_KNOWN_TLD}\b", re.IGNORECASE)
# the local part, read back from the marker: words joined by dots, dashes or "punt"; a
# spoken part may have a space in it ("sanne punt de wit at …")
_LOCAL_TAIL = re.compile(
    r"[\w%+'-]+(?:(?:[ \t]+(?:punt|dot)[ \t]+|[._-])[\w%+'-]+(?:[ ][a-z]{2,})?){0,4}\Z",
    re.IGNORECASE,
)
_LOCAL_WINDOW = 80
_BARE_WORDS = ("at", "apenstaartje", "apestaartje")
# cheap pre-checks (substring tests, no regex scan): every marker contains one of these
_HINTS_LOWER = (" at", "at]", "at)", "at}", "@]", "@)", "@}", " @", "staartje")
_HINTS_WIDE = ("＠", "﹫")


def obfuscated_emails(text: str) -> Iterator[Span]:
    """Spans of e-mail addresses written with a spelled-out or look-alike at sign."""
    if not any(h in text for h in _HINTS_WIDE):
        low = text.lower()
        if not any(h in low for h in _HINTS_LOWER):
            return
    for marker in _MARKER.finditer(text):
        bare = marker.group(0).strip().lower() in _BARE_WORDS
        domain = (_DOMAIN_KNOWN_TLD if bare else _DOMAIN).match(text, marker.end())
        if domain is None:
            continue
        window_start = max(0, marker.start() - _LOCAL_WINDOW)
        local = _LOCAL_TAIL.search(text, window_start, marker.start())
        if local is None:
            continue
        yield Span(local.start(), domain.end(), "EMAIL")
