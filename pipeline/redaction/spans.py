"""The vocabulary of redaction: what a detected span is, and the types it can have."""

from __future__ import annotations

from dataclasses import dataclass

# Order matters when two detectors claim overlapping text: the earlier type wins,
# because formatted values and labelled numbers ("lidnummer ...") are more certain
# than a bare checksum, and all of them more certain than a name.
PII_TYPES: tuple[str, ...] = (
    "EMAIL",
    "IBAN",
    "TELEFOON",
    "LIDNUMMER",
    "GEBOORTEDATUM",
    "BSN",
    "KENTEKEN",
    "POSTCODE",
    "ADRES",
    "NAAM",
)


@dataclass(frozen=True, order=True)
class Span:
    """A half-open character range [start, end) of the ORIGINAL text and its PII type."""

    start: int
    end: int
    type: str

    def token(self) -> str:
        return f"[{self.type}]"
