"""Work vocabulary per sector (fictional employers, cao's, jobs) and the slot values
that make one phrasing differ from the next."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from pipeline.simulator.people import MONTHS_NL
from pipeline.simulator.text import between, pick

# sector: (employers, cao names, jobs); employers are invented but sound like real ones.
SECTOR_WORK: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "bouw": (
        ("Bouwbedrijf Van Wijk", "Heijboer Infra", "Bouwcombinatie De Linge", "Kuipers Aannemers", "Dura Grondwerken", "Bouwgroep Noord"),
        ("cao Bouw & Infra", "bouw-cao"),
        ("timmerman", "metselaar", "machinist", "uitvoerder", "stratenmaker", "betonvlechter"),
    ),
    "industrie": (
        ("Metaalbewerking Zuid", "Kunststoffabriek Roerdal", "Staalwerk Hoogeveld", "Chemie Park Geleen", "Van Asten Machinebouw", "Papierfabriek De Maas"),
        ("cao Metalektro", "cao Metaal en Techniek", "de cao van de chemie"),
        ("operator", "monteur", "lasser", "procesoperator", "CNC-draaier", "productiemedewerker"),
    ),
    "transport": (
        ("Transportbedrijf Van der Sluis", "Distributiecentrum Hazeldonk", "Koel- en Vriestransport Brabant", "Pakketbezorging Snel", "Havenlogistiek Waalhaven", "Busvervoer Regio Oost"),
        ("cao Beroepsgoederenvervoer", "cao Openbaar Vervoer", "de cao voor de logistiek"),
        ("chauffeur", "orderpicker", "heftruckchauffeur", "planner", "buschauffeur", "magazijnmedewerker"),
    ),
    "voeding": (
        ("Vleesverwerker De Kempen", "Zuivelfabriek Friesland-Noord", "Bakkerij Van Dongen", "Groenteverwerking Westland", "Snoepfabriek Zoetstra", "Koffiebranderij Het Anker"),
        ("cao Vleessector", "cao Zuivel", "cao Bakkersbedrijf", "cao Levensmiddelenindustrie"),
        ("inpakker", "productiemedewerker", "uitsnijder", "bakker", "lijnoperator", "kwaliteitsmedewerker"),
    ),
    "detailhandel": (
        ("Supermarkt Dekkers", "Bouwmarkt Klusmaat", "Drogisterij Vitaal", "Modehuis Van Leeuwen", "Elektro Planeet", "Warenhuis De Passage"),
        ("cao Supermarkten", "cao Retail Non-Food", "cao Detailhandel"),
        ("vakkenvuller", "kassamedewerker", "filiaalmanager", "verkoopmedewerker", "teamleider", "afdelingsmanager"),
    ),
    "groothandel": (
        ("Groothandel Van Eijk", "Technische Groothandel Noord", "Bloemenveiling Aalsmeer-Zuid", "Sanitairgroothandel Bosman", "Food Service Hendriks"),
        ("cao Groothandel in Levensmiddelen", "cao Groothandel Bloemen en Planten", "cao Technische Groothandel"),
        ("magazijnmedewerker", "inkoper", "accountmanager", "chauffeur", "orderpicker"),
    ),
    "dienstverlening": (
        ("Callcenter Klantlijn", "Beveiligingsbedrijf Waakzaam", "IT-dienstverlener Bitwerk", "Verzekeraar Zekerheid", "Administratiekantoor Cijfer", "Bank Noordwest"),
        ("cao Particuliere Beveiliging", "cao Contactcenters", "cao Banken", "cao Verzekeraars"),
        ("klantenservicemedewerker", "beveiliger", "servicedeskmedewerker", "administratief medewerker", "adviseur", "teamleider"),
    ),
    "schoonmaak": (
        ("Schoonmaakbedrijf Glans", "Facilitair Bedrijf Schoon & Co", "Glazenwasserij Helder", "Hygiënediensten Noord"),
        ("cao Schoonmaak- en Glazenwassersbedrijf", "schoonmaak-cao"),
        ("schoonmaker", "glazenwasser", "objectleider", "voorman"),
    ),
    "onderwijs": (
        ("Basisschool De Regenboog", "Scholengroep Rijnland", "ROC Midden", "Stichting Openbaar Onderwijs Zuid", "Hogeschool Westland"),
        ("cao Primair Onderwijs", "cao VO", "cao MBO", "cao Hbo"),
        ("leerkracht", "docent", "onderwijsassistent", "conciërge", "intern begeleider", "instructeur"),
    ),
    "zorg_welzijn": (
        ("Ziekenhuis Rijnstate-Oost", "Zorggroep De Zonnebloem", "Thuiszorg Samen", "GGZ Oostbrabant", "Verpleeghuis Het Baken", "Kinderopvang Kiekeboe"),
        ("cao Ziekenhuizen", "cao VVT", "cao Gehandicaptenzorg", "cao GGZ", "cao Kinderopvang"),
        ("verpleegkundige", "verzorgende IG", "helpende", "pedagogisch medewerker", "begeleider", "doktersassistent"),
    ),
    "overheid": (
        ("gemeente", "de provincie", "Rijkswaterstaat", "het waterschap", "de Belastingdienst", "het UWV"),
        ("cao Gemeenten", "cao Rijk", "cao Waterschappen", "cao Provincies"),
        ("beleidsmedewerker", "handhaver", "medewerker burgerzaken", "wijkregisseur", "ambtenaar", "consulent"),
    ),
    "cultuur": (
        ("Theater De Schouwburg", "Omroep Regio", "Museum Het Pakhuis", "Bibliotheek Midden", "Poppodium De Kelder"),
        ("cao Nederlandse Podia", "cao Openbare Bibliotheken", "cao Publieke Omroep"),
        ("technicus", "kassamedewerker", "redacteur", "bibliotheekmedewerker", "decorbouwer"),
    ),
}  # fmt: skip
# The same papers as a member names them and as the union asks for them.
DOCUMENTS = (
    ("mijn arbeidsovereenkomst", "uw arbeidsovereenkomst"),
    ("mijn laatste loonstrook", "uw laatste loonstrook"),
    ("de brief van mijn werkgever", "de brief van uw werkgever"),
    ("het verslag van het gesprek", "het verslag van het gesprek"),
    ("mijn jaaropgave", "uw jaaropgave"),
    ("de beslissing van het UWV", "de beslissing van het UWV"),
)
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def work_slots(rng: Random, sector: str, city: str, today: date) -> dict[str, str]:
    """Slot values for one contact; dates lie around `today` so texts feel current."""
    employers, caos, jobs = SECTOR_WORK[sector]
    employer = pick(rng, employers)
    if employer == "gemeente":
        employer = f"de gemeente {city}"
    document = pick(rng, DOCUMENTS)
    past = today - timedelta(days=between(rng, 3, 60))
    future = today + timedelta(days=between(rng, 7, 120))
    return {
        "werkgever": employer,
        "cao": pick(rng, caos),
        "functie": pick(rng, jobs),
        "stad": city,
        "bedrag": _euros(between(rng, 40, 2400)),
        "salaris": _euros(between(rng, 21, 60) * 100 + pick(rng, (0, 25, 50, 75))),
        "weekloon": _euros(between(rng, 48, 95) * 10),
        "vergoeding": _euros(between(rng, 3, 80) * 1000),
        "aantal": str(between(rng, 12, 450)),
        "uren": str(pick(rng, (8, 12, 16, 20, 24, 28, 32, 36, 38, 40))),
        "jaren": str(between(rng, 2, 31)),
        "maanden": str(between(rng, 2, 24)),
        "weken": str(between(rng, 2, 14)),
        "procent": str(pick(rng, (1, 2, 2.5, 3, 3.5, 4, 5, 6, 7))).replace(".", ","),
        "datum_verleden": f"{past.day} {MONTHS_NL[past.month - 1]}",
        "datum_toekomst": f"{future.day} {MONTHS_NL[future.month - 1]}",
        "maand": MONTHS_NL[between(rng, 0, 12)],
        "dag": pick(rng, WEEKDAYS_NL[:5]),
        "kilometers": str(between(rng, 8, 90)),
        "document": document[0],
        "uw_document": document[1],
    }


def _euros(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")
