"""Anonymised quotes: redacted text, without employer names, shortened, and never about
someone's health.

Quotes reach officials, the weekly digest and the press dossier, which may be published.
Redaction already removed names and numbers; `anonymised_quote` is the one place where
quotes are chosen, and it also replaces employer names by "[werkgever]" (in a small firm
the employer points at the member) and leaves out any text that reveals something about
someone's health (special-category data under the AVG, even without a name attached).
"""

from __future__ import annotations

import re

from pipeline.redaction.employers import mask_employers
from pipeline.redaction.health import mentions_health

__all__ = ["MAX_QUOTE_CHARS", "anonymised_quote", "mentions_health"]

MAX_QUOTE_CHARS = 300

_SPEAKER = re.compile(r"^(Lid|Medewerker|Beller|Member|Agent)\s*:\s*", re.MULTILINE)


def anonymised_quote(redacted_text: str) -> str | None:
    """A short quote from already-redacted text, or None when it must not be quoted."""
    text = mask_employers(redacted_text)
    # judged after masking: working at "Ziekenhuis Rijnstate" says nothing about health
    if mentions_health(text):
        return None
    flat = " ".join(_SPEAKER.sub("", text).split())
    if len(flat) < 20:
        return None
    if len(flat) <= MAX_QUOTE_CHARS:
        return flat
    cut = flat[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0]
    return f"{cut} …"
