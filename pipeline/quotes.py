"""Anonymised quotes: redacted text, shortened, and never about someone's health.

Quotes reach officials and the press officer. Redaction already removed names and
numbers; this step also leaves out any text that mentions illness or health,
which is special-category data under the AVG even without a name attached.
"""

from __future__ import annotations

import re

MAX_QUOTE_CHARS = 300

_HEALTH = re.compile(
    r"\b(ziek\w*|burn-?out|overspannen\w*|depress\w*|kanker|diagnose\w*|zwanger\w*|operatie\w*|"
    r"therap\w*|medicijn\w*|medicatie|psycholo\w*|psychiat\w*|ziekenhuis\w*|bedrijfsarts\w*|huisarts\w*|"
    r"arbo-?arts\w*|hernia|chemo\w*|long ?covid|post-?covid|corona-?besmet\w*|besmet\w*|"
    r"handicap\w*|beperking\w*|revalid\w*|re-?integratie\w*|arbeidsongeschikt\w*|wia|ziektewet)\b",
    re.IGNORECASE,
)
_SPEAKER = re.compile(r"^(Lid|Medewerker|Beller|Member|Agent)\s*:\s*", re.MULTILINE)


def mentions_health(text: str) -> bool:
    return _HEALTH.search(text) is not None


def anonymised_quote(redacted_text: str) -> str | None:
    """A short quote from already-redacted text, or None when it must not be quoted."""
    if mentions_health(redacted_text):
        return None
    flat = " ".join(_SPEAKER.sub("", redacted_text).split())
    if len(flat) < 20:
        return None
    if len(flat) <= MAX_QUOTE_CHARS:
        return flat
    cut = flat[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0]
    return f"{cut} …"
