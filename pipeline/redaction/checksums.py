"""Check digits that separate real identifiers from look-alike numbers.

A nine-digit invoice number and a BSN look the same; the 11-proef tells them apart
for 10 of every 11 random numbers. An IBAN carries a mod-97 check over the whole string.
"""

from __future__ import annotations

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)

# Lengths per country for the IBANs members realistically mention.
IBAN_LENGTHS: dict[str, int] = {
    "NL": 18,
    "BE": 16,
    "DE": 22,
    "FR": 27,
    "ES": 24,
    "PL": 28,
    "GB": 22,
    "LU": 20,
    "PT": 25,
    "IT": 27,
    "AT": 20,
}


def is_valid_bsn(candidate: str) -> bool:
    """11-proef on the digits of `candidate` (separators ignored); 8 digits get a leading 0."""
    digits = "".join(ch for ch in candidate if ch.isdigit())
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, _BSN_WEIGHTS, strict=True))
    return total % 11 == 0


def is_valid_iban(candidate: str) -> bool:
    """ISO 13616 mod-97 check; spaces are ignored and letters may be lower case."""
    compact = "".join(candidate.split()).upper()
    if len(compact) < 15 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    if not compact.isalnum() or not compact.isascii():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1
