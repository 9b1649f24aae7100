"""Closed vocabularies shared by every stage: provinces, sectors, channels, service lines."""

from __future__ import annotations

import unicodedata

# ISO 3166-2:NL province codes with Dutch names and 2025 population (CBS, thousands),
# the latter so the simulator can weight members realistically.
PROVINCES: dict[str, tuple[str, int]] = {
    "NL-GR": ("Groningen", 596),
    "NL-FR": ("Friesland", 659),
    "NL-DR": ("Drenthe", 502),
    "NL-OV": ("Overijssel", 1176),
    "NL-FL": ("Flevoland", 445),
    "NL-GE": ("Gelderland", 2133),
    "NL-UT": ("Utrecht", 1386),
    "NL-NH": ("Noord-Holland", 2971),
    "NL-ZH": ("Zuid-Holland", 3835),
    "NL-ZE": ("Zeeland", 391),
    "NL-NB": ("Noord-Brabant", 2642),
    "NL-LI": ("Limburg", 1128),
}
UNKNOWN = "unknown"

SECTORS: dict[str, str] = {
    "bouw": "Bouw en infra",
    "industrie": "Industrie",
    "transport": "Transport en logistiek",
    "voeding": "Voedingsindustrie",
    "detailhandel": "Detailhandel",
    "groothandel": "Groothandel",
    "dienstverlening": "Zakelijke dienstverlening",
    "schoonmaak": "Schoonmaak",
    "onderwijs": "Onderwijs",
    "zorg_welzijn": "Zorg en welzijn",
    "overheid": "Overheid",
    "cultuur": "Cultuur en media",
}

DUTCH_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

CHANNELS = ("phone", "email", "chat", "webform", "letter")
DIRECTIONS = ("inbound", "outbound")
SERVICE_LINES = ("first_line", "second_line_legal")


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum()).lower()


_PROVINCE_ALIASES = {_fold(name): code for code, (name, _) in PROVINCES.items()} | {
    "fryslan": "NL-FR",
    "brabant": "NL-NB",
    "noordbrabant": "NL-NB",
    "noordholland": "NL-NH",
    "zuidholland": "NL-ZH",
}


def province_code(value: str) -> str | None:
    """Map a province code or (Dutch) name to its ISO code; None when unrecognised."""
    stripped = value.strip()
    if stripped.upper() in PROVINCES:
        return stripped.upper()
    if stripped.lower() == UNKNOWN or stripped == "":
        return UNKNOWN
    return _PROVINCE_ALIASES.get(_fold(stripped))
