"""How members and staff sound per channel: fixed phrases and register changes.

Staff lines never carry a name: the contact centre answers as "de ledenservice".
"""

from __future__ import annotations

import re
from random import Random

from pipeline.simulator.text import pick

UNION_MAILBOX = "ledenservice@debond.nl"

PHONE_GREETINGS = {
    "first_line": (
        "{dagdeel}, u spreekt met de ledenservice. Waarmee kan ik u helpen?",
        "Ledenservice, {dagdeel_klein}.",
        "{dagdeel}, ledenservice van de bond, wat kan ik voor u doen?",
    ),
    "second_line_legal": (
        "{dagdeel}, juridisch advies van de bond. Waarmee kan ik u helpen?",
        "Juridisch spreekuur, {dagdeel_klein}. Waar gaat het over?",
    ),
}
PHONE_OPENERS = ("Ja, {dagdeel_klein}, ", "Ja hallo, ", "Eh ja, ", "Nou, ", "{dagdeel}, ", "Ja, ")
_BY_NUMBER = ("Ja, dat is {LIDNUMMER}.", "Eh, {LIDNUMMER}.", "Momentje hoor... {LIDNUMMER}.")
PHONE_IDENTITY_CHECKS = (
    ("Mag ik eerst uw lidnummer?", _BY_NUMBER),
    ("Wat is uw lidnummer?", _BY_NUMBER),
    (
        "Mag ik even uw lidnummer of geboortedatum voor de controle?",
        (*_BY_NUMBER, "Ik ben geboren op {GEBOORTEDATUM}.", "Eh, {GEBOORTEDATUM}."),
    ),
    (
        "Mag ik uw postcode en huisnummer?",
        ("Dat is {POSTCODE}, {ADRES}.", "{POSTCODE}. Ik woon op {ADRES}."),
    ),
)
# (staff follow-up question, how the member's answer starts)
PHONE_FOLLOW_UPS = (
    ("Oké. Kunt u daar iets meer over vertellen?", "Ja. "),
    ("Ja. Sinds wanneer speelt dit?", "Sinds {datum_verleden} ongeveer. "),
    ("Dat is vervelend. En wat is precies uw vraag?", ""),
    ("Ik begrijp het. Heeft u dat ook op papier?", "[Ja, dat heb ik|Nee, nog niet]. "),
    ("Hm-hm. Bij welke werkgever bent u in dienst?", "Bij {werkgever}. "),
)
PHONE_CLOSINGS = {
    "first_line": (
        "Ik stuur u de informatie even per mail.",
        "Ik zet het voor u op papier en u krijgt binnen een paar dagen antwoord.",
        "Dan maak ik een notitie in uw dossier en we nemen contact met u op.",
        "Op onze website staat daar ook meer over, ik stuur u de link.",
    ),
    "second_line_legal": (
        "Ik leg het voor aan een van onze juristen, die belt u binnen twee werkdagen terug.",
        "Stuurt u de stukken naar ons op, dan kijkt een jurist ernaar.",
        "Dit is iets voor juridisch advies, ik maak een dossier voor u aan.",
    ),
}
PHONE_GOODBYES = (
    "Oké, dank u wel.",
    "Top, bedankt. Doei.",
    "Ja prima, fijne dag nog.",
    "Nou, dan wacht ik dat af. Dank u.",
)
PHONE_ANYTHING_ELSE = "Kan ik u verder nog ergens mee helpen?"
PHONE_SECOND_TOPIC = (
    "En eh, nog iets anders: ",
    "O ja, en dan nog wat: ",
    "Nou en eh, wat ik ook nog wilde vragen: ",
)

EMAIL_GREETINGS = (
    "Beste ledenservice,",
    "Geachte heer/mevrouw,",
    "Hallo,",
    "{dagdeel},",
    "Beste mensen,",
)
EMAIL_INTROS = (
    "Mijn naam is {NAAM} en ik ben lid van de bond.",
    "Ik ben {NAAM}, al {jaren} jaar lid.",
    "Mijn naam is {NAAM}.",
)
EMAIL_SECOND_TOPIC = (
    "Daarnaast heb ik nog een vraag. ",
    "Verder vroeg ik me af het volgende. ",
    "Dan nog iets anders: ",
)
EMAIL_CLOSINGS = (
    "Alvast bedankt voor uw reactie.",
    "Ik hoor graag van u.",
    "Graag zo snel mogelijk antwoord.",
    "Bij voorbaat dank.",
)
EMAIL_SIGN_OFFS = (
    "Met vriendelijke groet,",
    "Groet,",
    "Mvg,",
    "Vriendelijke groeten,",
    "Groetjes,",
)
UNION_REPLY_LINES = (
    "Dank voor uw bericht. Kunt u ons {uw_document} sturen?",
    "Wij hebben uw vraag ontvangen en nemen binnen vijf werkdagen contact met u op.",
    "Om u goed te kunnen helpen hebben wij {uw_document} nodig.",
)
EMPLOYER_MAIL_LINES = (
    "Zoals besproken ontvang je hierbij de stukken.",
    "Graag plannen we op korte termijn een gesprek in over je situatie.",
    "Hierbij bevestig ik ons gesprek van vandaag.",
    "Ik verwacht uiterlijk {datum_toekomst} een reactie van je.",
)
HR_ROLES = ("HR-adviseur", "HR-business partner", "Personeelszaken", "Manager HR")

CHAT_OPENERS = ("hoi, ", "hallo! ", "goedenavond, ", "hey, vraagje: ", "", "hi, ", "Goedendag, ")
CHAT_ACKS = (
    "Goedendag! Vervelend om te horen. Kunt u iets meer vertellen?",
    "Dank voor uw bericht. Waar kan ik u precies mee helpen?",
    "Hallo, ik kijk even met u mee. Wat is uw vraag?",
)
CHAT_CLOSINGS = {
    "first_line": (
        "Ik stuur u een mail met de informatie. Nog een fijne dag!",
        "Op onze site vindt u er meer over, de link staat hieronder.",
    ),
    "second_line_legal": (
        "Ik zet uw vraag door naar juridisch advies; u wordt binnen twee werkdagen gebeld.",
        "Dit laat ik oppakken door een jurist. Wilt u de stukken mailen?",
    ),
}
CHAT_GOODBYES = ("ok top thx", "oke dankjewel!", "super, bedankt", "ok", "dank u wel")

# What members add about themselves, by PII type; spoken and written forms.
PII_SENTENCES_WRITTEN = {
    "BSN": ("Mijn BSN is {BSN}.", "Mijn burgerservicenummer is {BSN}.", "(BSN: {BSN})"),
    "IBAN": (
        "Mijn rekeningnummer is {IBAN}.",
        "U kunt het terugstorten op {IBAN}.",
        "IBAN: {IBAN}",
    ),
    "TELEFOON": ("U kunt me bereiken op {TELEFOON}.", "Bel me gerust op {TELEFOON}."),
    "EMAIL": ("Mijn mailadres is {EMAIL}.",),
    "GEBOORTEDATUM": (
        "Ik ben geboren op {GEBOORTEDATUM}.",
        "Mijn geboortedatum is {GEBOORTEDATUM}.",
    ),
    "LIDNUMMER": ("Mijn lidnummer is {LIDNUMMER}.", "Lidnummer: {LIDNUMMER}"),
    "KENTEKEN": (
        "Het gaat om de auto met kenteken {KENTEKEN}.",
        "Kenteken van de auto: {KENTEKEN}.",
    ),
    "ADRES": ("Ik woon op {ADRES}, {POSTCODE} {stad}.",),
    "POSTCODE": ("Mijn postcode is {POSTCODE}.",),
    "NAAM": ("Mijn naam is {NAAM}.",),
}
PII_SENTENCES_SPOKEN = {
    "BSN": ("Mijn BSN is eh {BSN}.", "Ik heb m'n burgerservicenummer erbij, dat is {BSN}."),
    "IBAN": ("M'n rekeningnummer is {IBAN}.", "Het moet naar {IBAN}."),
    "TELEFOON": ("Je kunt me bereiken op {TELEFOON}.", "M'n nummer is {TELEFOON}."),
    "EMAIL": ("Mijn mail is {EMAIL}.",),
    "GEBOORTEDATUM": ("Ik ben geboren op {GEBOORTEDATUM}.",),
    "LIDNUMMER": ("M'n lidnummer is {LIDNUMMER}.",),
    "KENTEKEN": ("Het kenteken is {KENTEKEN}.", "De auto, {KENTEKEN}, die is van mij."),
    "ADRES": ("Ik woon op {ADRES} in {stad}.",),
    "POSTCODE": ("Postcode {POSTCODE}.",),
    "NAAM": ("Mijn naam is {NAAM}.",),
}

_WORD = re.compile(r"(\S+)(\s+)")
_FILLERS = ("eh", "eh,", "eh", "zeg maar", "dus", "nou", "eh eh")


# Sentence openings that lose their capital after "Ja, mijn naam is X, ..."; names
# of employers and places keep theirs.
_COMMON_OPENINGS = frozenset(
    [
        "ik",
        "mijn",
        "m'n",
        "er",
        "ze",
        "we",
        "wij",
        "het",
        "de",
        "een",
        "sinds",
        "op",
        "in",
        "na",
        "volgens",
        "als",
        "collega's",
        "wanneer",
        "door",
        "bij",
        "onze",
        "klanten",
        "vorig",
    ]
)


def lower_first(text: str) -> str:
    first_word = text.split(" ", 1)[0]
    if first_word.lower() in _COMMON_OPENINGS:
        return text[:1].lower() + text[1:]
    return text


def dagdeel(hour: int) -> str:
    if hour < 12:
        return "Goedemorgen"
    return "Goedemiddag" if hour < 18 else "Goedenavond"


def spoken(text: str, rng: Random) -> str:
    """Turn written Dutch into what a transcript of a caller looks like."""

    def speak(match: re.Match[str]) -> str:
        word, space = match.group(1), match.group(2)
        if word == "mijn" and rng.random() < 0.5:
            word = "m'n"
        elif word == "het" and rng.random() < 0.2:
            word = "'t"
        roll = rng.random()
        if roll < 0.07:
            return f"{word} {pick(rng, _FILLERS)}{space}"
        if roll < 0.085 and len(word) <= 4 and word.isalpha():
            return f"{word} {word}{space}"  # a false start, as speech recognition keeps it
        return f"{word}{space}"

    return _WORD.sub(speak, text)


def chatty(text: str, rng: Random) -> str:
    """Short, informal chat spelling."""
    if rng.random() < 0.6 and text[:1].isupper():
        text = text[0].lower() + text[1:]
    if rng.random() < 0.5:
        text = text.replace(" even ", " ff ")
    if rng.random() < 0.4:
        text = text.replace("?", "??") if rng.random() < 0.5 else text.rstrip(".")
    return text
