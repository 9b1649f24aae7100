"""Dutch places per province: cities with their postcode range and area code, streets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    postcode_from: int  # first four-digit postcode area of the city
    postcode_span: int
    area_code: str  # landline prefix, e.g. "043"


def _cities(*rows: tuple[str, int, int, str]) -> tuple[City, ...]:
    return tuple(City(*row) for row in rows)


CITIES: dict[str, tuple[City, ...]] = {
    "NL-GR": _cities(
        ("Groningen", 9711, 37, "050"),
        ("Hoogezand", 9601, 10, "0598"),
        ("Delfzijl", 9931, 10, "0596"),
        ("Stadskanaal", 9501, 10, "0599"),
        ("Winschoten", 9671, 10, "0597"),
    ),
    "NL-FR": _cities(
        ("Leeuwarden", 8911, 30, "058"),
        ("Drachten", 9201, 10, "0512"),
        ("Sneek", 8601, 10, "0515"),
        ("Heerenveen", 8441, 10, "0513"),
        ("Harlingen", 8861, 5, "0517"),
    ),
    "NL-DR": _cities(
        ("Assen", 9401, 10, "0592"),
        ("Emmen", 7811, 20, "0591"),
        ("Hoogeveen", 7901, 10, "0528"),
        ("Meppel", 7941, 5, "0522"),
    ),
    "NL-OV": _cities(
        ("Zwolle", 8011, 30, "038"),
        ("Enschede", 7511, 40, "053"),
        ("Deventer", 7411, 20, "0570"),
        ("Hengelo", 7551, 10, "074"),
        ("Almelo", 7601, 10, "0546"),
        ("Kampen", 8261, 5, "038"),
    ),
    "NL-FL": _cities(
        ("Almere", 1311, 50, "036"),
        ("Lelystad", 8211, 20, "0320"),
        ("Emmeloord", 8301, 10, "0527"),
        ("Dronten", 8251, 5, "0321"),
    ),
    "NL-GE": _cities(
        ("Arnhem", 6811, 35, "026"),
        ("Nijmegen", 6511, 35, "024"),
        ("Apeldoorn", 7311, 30, "055"),
        ("Ede", 6711, 20, "0318"),
        ("Doetinchem", 7001, 10, "0314"),
        ("Harderwijk", 3841, 10, "0341"),
        ("Tiel", 4001, 5, "0344"),
    ),
    "NL-UT": _cities(
        ("Utrecht", 3511, 50, "030"),
        ("Amersfoort", 3811, 30, "033"),
        ("Nieuwegein", 3431, 10, "030"),
        ("Veenendaal", 3901, 10, "0318"),
        ("Zeist", 3701, 10, "030"),
    ),
    "NL-NH": _cities(
        ("Amsterdam", 1011, 100, "020"),
        ("Haarlem", 2011, 30, "023"),
        ("Zaandam", 1501, 10, "075"),
        ("Alkmaar", 1811, 20, "072"),
        ("Hilversum", 1211, 15, "035"),
        ("Hoorn", 1621, 10, "0229"),
        ("Den Helder", 1781, 10, "0223"),
        ("Purmerend", 1441, 10, "0299"),
    ),
    "NL-ZH": _cities(
        ("Rotterdam", 3011, 80, "010"),
        ("Den Haag", 2491, 80, "070"),
        ("Leiden", 2311, 20, "071"),
        ("Dordrecht", 3311, 20, "078"),
        ("Zoetermeer", 2711, 20, "079"),
        ("Delft", 2611, 20, "015"),
        ("Gouda", 2801, 10, "0182"),
        ("Spijkenisse", 3201, 10, "0181"),
        ("Schiedam", 3111, 10, "010"),
    ),
    "NL-ZE": _cities(
        ("Middelburg", 4331, 10, "0118"),
        ("Vlissingen", 4381, 10, "0118"),
        ("Goes", 4461, 10, "0113"),
        ("Terneuzen", 4531, 10, "0115"),
    ),
    "NL-NB": _cities(
        ("Eindhoven", 5611, 50, "040"),
        ("Tilburg", 5011, 40, "013"),
        ("Breda", 4811, 30, "076"),
        ("'s-Hertogenbosch", 5211, 30, "073"),
        ("Helmond", 5701, 10, "0492"),
        ("Oss", 5341, 10, "0412"),
        ("Roosendaal", 4701, 10, "0165"),
        ("Bergen op Zoom", 4611, 10, "0164"),
    ),
    "NL-LI": _cities(
        ("Maastricht", 6211, 19, "043"),
        ("Venlo", 5911, 17, "077"),
        ("Heerlen", 6411, 12, "045"),
        ("Sittard", 6131, 7, "046"),
        ("Roermond", 6041, 5, "0475"),
        ("Weert", 6001, 5, "0495"),
        ("Kerkrade", 6461, 7, "045"),
        ("Geleen", 6161, 7, "046"),
    ),
}

STREETS = (
    "Kerkstraat",
    "Dorpsstraat",
    "Molenweg",
    "Stationsweg",
    "Julianastraat",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Schoolstraat",
    "Eikenlaan",
    "Lindelaan",
    "Parallelweg",
    "Nieuwstraat",
    "Havenstraat",
    "Prins Bernhardlaan",
    "Burgemeester de Withstraat",
    "Oranjestraat",
    "Emmastraat",
    "Kastanjelaan",
    "Beukenlaan",
    "Industrieweg",
    "Tulpstraat",
    "Rozenstraat",
    "Meidoornstraat",
    "Vondelstraat",
    "Rembrandtlaan",
    "Van Goghstraat",
    "Hoofdstraat",
    "Marktstraat",
    "Sportlaan",
    "Graaf Florisweg",
    "Koningin Julianaplein",
    "Achterom",
    "Zandweg",
    "Dijkstraat",
    "Groenewoud",
    "Vlierstraat",
    "Anjerlaan",
    "Pastoor van Arsstraat",
    "Weverstraat",
    "Smidsweg",
)
