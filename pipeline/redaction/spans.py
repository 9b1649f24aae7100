"""The vocabulary of redaction: what a detected span is, and the types it can have."""

from __future__ import annotations

from dataclasses import dataclass

# Order matters when two detectors claim overlapping text: the earlier type wins,
# because checksummed and strongly formatted values are more certain than names.
PII_TYPES: tuple[str, ...] = (
    "EMAIL",
    "IBAN",
    "TELEFOON",
    "BSN",
    "GEBOORTEDATUM",
    "LIDNUMMER",
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
