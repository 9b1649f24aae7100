"""Employer names in quotes: replaced by "[werkgever]".

Redaction keeps employers on purpose (themes need "bij Albert Heijn"), but a quote that an
official, the digest or a published press dossier shows must not point at a small firm and
so at the member (issue 20). Found by:

- a legal form or group word after a capitalised name ("Jansen Transport B.V.", "Heijboer
  Groep", "Vion Holding");
- an organisation word as the head or the tail of a capitalised phrase ("Transportbedrijf
  Van der Sluis", "Papierfabriek De Maas", "Heijboer Infra", "Kuipers Aannemers", "Modehuis
  [NAAM]");
- a capitalised phrase where the text says an employer follows ("bij Vitens", "mijn
  werkgever Zeeman", "werk voor Picnic", "in dienst van Brink"), except places;
- a list of large Dutch employers (PostNL, Albert Heijn, Tata Steel, …); the ones that are
  also words ("Plus", "Action", "Bol") only where the text says an employer follows;
- public employers after such a cue ("bij de gemeente Tilburg", "werkgever het UWV").
"""

from __future__ import annotations

import re

from pipeline.redaction.gazetteer import load_gazetteer

TOKEN = "[werkgever]"

_CAP = r"(?:[A-ZÀ-ÖØ-Þ][\w'’&-]*(?:\.(?:com|nl|be|eu)\b)?|\[NAAM\])"
_LINK = r"(?:van|de|der|den|het|'t|&)"
_PHRASE = rf"{_CAP}(?:[ ](?:{_LINK}[ ])*{_CAP}){{0,4}}"
_LEGAL_FORM = re.compile(
    rf"{_PHRASE}[ ]?(?:B\.V\.|BV|N\.V\.|NV|V\.O\.F\.|VOF|C\.V\.|Holding|Groep|Group"
    r"|International|Nederland|Benelux)(?![\w.])"
)
_ORG_WORDS = (
    "bedrijf", "bedrijven", "fabriek", "groep", "centrum", "handel", "transport", "vervoer",
    "logistiek", "bezorging", "bouw", "infra", "aannemers", "aannemer", "grondwerken", "werken",
    "machinebouw", "werk", "bewerking", "verwerker", "verwerking", "branderij", "bakkerij",
    "winkel", "markt", "huis", "kantoor", "school", "scholengroep", "opvang", "zorg",
    "ziekenhuis", "instelling", "stichting", "theater", "museum", "bibliotheek", "omroep",
    "podium", "veiling", "diensten", "dienstverlener", "verzekeraar", "bank", "callcenter",
    "wasserij", "drogisterij", "warenhuis", "hogeschool", "park", "service", "services",
    "installatietechniek", "techniek", "schoonmaak", "beveiliging", "uitzendbureau",
    "detachering", "catering", "hotel", "restaurant", "garage", "apotheek", "kwekerij",
    "dienst", "combinatie", "bureau", "praktijk", "kliniek", "makelaardij", "studio", "elektro",
)  # fmt: skip
_ORG_HEAD = (
    rf"(?:[A-ZÀ-ÖØ-Þ][\w'’-]*(?:{'|'.join(_ORG_WORDS)})"
    rf"|(?:{'|'.join(w.capitalize() for w in _ORG_WORDS)})|ROC|GGZ|MBO|VVT|AZC|GGD)"
)
# "Transportbedrijf Van der Sluis", "Zorggroep De Zonnebloem", "Bakkerij Van Dongen"
# Phone transcripts put hesitations inside a name: "Vleesverwerker eh De Kempen".
_FILLERS = r"(?:,?[ ](?:eh|ehm|uh|uhm|nou|dus|zeg maar|en))*,?"
# in lower case a compound ("bouwbedrijf De Vries") or a word that is always a business
# ("bakkerij Van Dongen"); not "werk" or "zorg" alone ("ik werk Maandag")
_LOWER_HEAD = (
    rf"(?:[a-zà-ÿ][\w'’-]*(?:{'|'.join(_ORG_WORDS)})"
    r"|bedrijf|fabriek|bakkerij|winkel|stichting|groothandel|supermarkt|firma|drogisterij"
    r"|garage|kwekerij|hotel|restaurant)"
)
_HEADED = re.compile(
    rf"(?<![\w-])(?:{_CAP}-{_FILLERS} en{_FILLERS} )?(?:{_ORG_HEAD}|{_LOWER_HEAD})"
    rf"{_FILLERS}(?:[ ](?:{_LINK}[ ])*{_CAP}){{1,4}}"
)
# "Heijboer Infra", "Kuipers Aannemers", "Van Asten Machinebouw", "Dura Grondwerken"
_TAILED = re.compile(
    rf"(?<![\w-])(?:(?:{_LINK}[ ])?{_CAP}{_FILLERS}[ ]){{1,3}}{_ORG_HEAD}(?![\w-])"
)
_CUE = re.compile(
    r"\b(?:bij|voor|werkgever(?:,| is| was)?|werk(?:t|en|te)? (?:bij|voor)|in dienst (?:bij|van)"
    r"|collega's (?:bij|van)|ontslagen (?:bij|door)|overgenomen door|eigenaar van)[ ]",
    re.IGNORECASE,
)
_CUED_PHRASE = re.compile(_PHRASE)
_PUBLIC = re.compile(
    r"\b(?:(?:de|het) )?(?:gemeente [A-ZÀ-ÖØ-Þ][\w'-]*(?:[ ][A-ZÀ-ÖØ-Þ][\w'-]*)?|provincie(?: [A-Z]\w+)?"
    r"|waterschap(?: [A-Z]\w+)?|Belastingdienst|UWV|Rijkswaterstaat|Defensie|politie)\b"
)
# "de gemeente Tilburg" names the employer and the place: masked wherever it stands
_MUNICIPALITY = re.compile(r"\b(?:[Dd]e )?[Gg]emeente [A-ZÀ-ÖØ-Þ][\w'-]*(?:[ ][A-ZÀ-ÖØ-Þ][\w'-]*)?")
# Large employers whose name is no ordinary word: replaced wherever they stand.
_KNOWN = (
    "PostNL", "DHL", "Albert Heijn", "Jumbo", "Lidl", "Aldi", "Tata Steel", "Philips", "ASML",
    "Shell", "Heineken", "Unilever", "KLM", "Schiphol", "Arriva", "Connexxion", "Keolis",
    "Qbuzz", "Transdev", "RET", "GVB", "HTM", "Vion", "FrieslandCampina", "Ahold", "HEMA",
    "Blokker", "Kruidvat", "Etos", "Coolblue", "bol.com", "Picnic", "Amazon", "Rabobank",
    "ING", "ABN AMRO", "KPN", "Randstad", "Tempo-Team", "Adecco", "Manpower", "Start People",
    "Vebego", "CSU", "Sodexo", "Albron", "Praxis", "Karwei", "Hornbach", "IKEA", "Primark",
    "Zeeman", "Heijmans", "VolkerWessels", "Dura Vermeer", "Boskalis", "Van Oord", "DSM",
    "AkzoNobel", "VDL", "DAF", "Nedcar", "Thales", "Vanderlande", "Achmea", "Aegon",
    "Nationale-Nederlanden", "Dekamarkt", "Hoogvliet", "Vomar", "MediaMarkt", "Zalando",
    "Wehkamp", "Deliveroo", "Thuisbezorgd", "Van der Valk", "Dirk van den Broek", "NAM",
    "Nyrstar", "Stork", "Damen", "Brink", "Vitens", "Eneco", "Vattenfall", "Essent", "Ziggo",
    "T-Mobile", "Odido", "Booking.com", "Uber", "Flink", "Sligro", "Makro", "Hanos", "Bidfood",
    "Rijkswaterstaat", "ProRail", "Defensie",
)  # fmt: skip
_KNOWN_PATTERN = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(k) for k in sorted(_KNOWN, key=len, reverse=True))
    + r")(?![\w-])"
)
_NOT_EMPLOYERS = frozenset(
    {"de bond", "ons", "mij", "me", "ik", "u", "jou", "cao", "het", "de", "[naam]", "nederland"}
)
_CAO = re.compile(r"\bcao\s*\Z", re.IGNORECASE)


def employer_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of employer names in `text` (overlaps allowed)."""
    spans: list[tuple[int, int]] = []
    for pattern in (_LEGAL_FORM, _HEADED, _TAILED, _KNOWN_PATTERN, _MUNICIPALITY):
        spans += [m.span() for m in pattern.finditer(text) if not _after_cao(text, m.start())]
    gazetteer = load_gazetteer()
    for cue in _CUE.finditer(text):
        public = _PUBLIC.match(text, cue.end())
        # "aangevraagd bij het UWV": after a bare "bij" or "voor" an agency is no employer
        agency = public is not None and cue.group(0).strip() in ("bij", "voor")
        if public and not (agency and re.search(r"UWV|Belastingdienst|politie", public.group(0))):
            spans.append(public.span())
            continue
        phrase = _CUED_PHRASE.match(text, cue.end())
        if phrase is None:
            continue
        name = phrase.group(0)
        if name.lower() in _NOT_EMPLOYERS or name in gazetteer.places:
            continue
        if gazetteer.is_common_word(name.split(" ")[0]) and " " not in name:
            continue  # "bij Ons", "voor Morgen"
        spans.append(phrase.span())
    return spans


def mask_employers(text: str) -> str:
    """`text` with every employer name replaced by TOKEN."""
    spans = sorted(employer_spans(text))
    masked = _replace(text, spans) if spans else text
    if TOKEN not in masked:
        return masked
    # "[werkgever] zeg maar Van der Sluis", "Museum dus [werkgever]": the rest of a name
    # that a hesitation split off
    return _SPLIT_REST.sub(TOKEN, masked)


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    merged = [list(spans[0])]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, cursor = [], 0
    for start, end in merged:
        parts += [text[cursor:start], TOKEN]
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


_SPLIT_REST = re.compile(
    rf"\[werkgever\](?:(?:,?[ ](?:eh|ehm|uh|uhm|nou|dus|zeg maar|{_LINK}))+,?[ ]{_PHRASE})+"
    rf"|(?:{_ORG_HEAD}|{_LOWER_HEAD}){_FILLERS}[ ]\[werkgever\]"
)


def _after_cao(text: str, start: int) -> bool:
    """ "cao Bouw & Infra", "de cao Ziekenhuizen": an agreement's name, not an employer."""
    return _CAO.search(text, max(0, start - 6), start) is not None
