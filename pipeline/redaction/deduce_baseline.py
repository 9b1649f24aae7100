"""Deduce's complete de-identification pipeline, as a candidate to measure ours against.

Deduce is built for Dutch clinical notes. Its tags map onto ours where they mean the
same; tags without a counterpart here (`datum`, `leeftijd`, `ziekenhuis`, ...) are
dropped, so a plain date is not counted against it as a false date of birth.
"""

from __future__ import annotations

from pipeline.redaction.spans import Span

_TAGS = {
    "persoon": "NAAM",
    "patient": "NAAM",
    "telefoonnummer": "TELEFOON",
    "emailadres": "EMAIL",
    "email": "EMAIL",
    "bsn": "BSN",
    "locatie": "ADRES",
    "id": "LIDNUMMER",
}


class DeduceBaseline:
    def __init__(self) -> None:
        from deduce import Deduce  # minutes on first use: builds its lookup structures

        self._deduce = Deduce()

    def detect(self, text: str) -> list[Span]:
        document = self._deduce.deidentify(text)
        return [
            Span(a.start_char, a.end_char, _TAGS[a.tag])
            for a in document.annotations
            if a.tag in _TAGS
        ]
