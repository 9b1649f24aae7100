"""The leaks an attack probe found (issue 19): each written form is caught whole, and the
ordinary Dutch and English words that look like them stay."""

import pytest

from pipeline.redaction import Redactor
from pipeline.redaction.annotations import parse_marked


@pytest.fixture(scope="module")
def redactor():
    return Redactor()


@pytest.mark.parametrize(
    "marked",
    [
        # e-mail addresses written around a spam filter
        "mail me op [[EMAIL|jan punt jansen at gmail punt com]] aub",
        "mijn mail is [[EMAIL|jan.jansen[at]gmail.com]]",
        "mijn mail is [[EMAIL|jan.jansen(at)gmail.com]]",
        "mijn mail is [[EMAIL|jan.jansen＠gmail.com]]",
        "mijn mail is [[EMAIL|jan.jansen ＠ gmail.com]]",
        "mail: [[EMAIL|d_koster [at] live [dot] nl]]",
        "dat is [[EMAIL|k punt vermeulen apenstaartje outlook punt com]].",
        "adres [[EMAIL|sanne punt de wit at gmail punt com]], graag",
        # phone with a slash
        "bel [[TELEFOON|06/12345678]] of [[TELEFOON|010/4123456]]",
        # street and postcode in lower case, street in capitals
        "ik woon op de [[ADRES|kerkstraat 12a]] in boxtel",
        "postcode [[POSTCODE|1234 ab]]",
        "[[ADRES|HOOFDSTRAAT 3]]\n[[POSTCODE|7701 BK]] DEDEMSVAART",
        # names without capitals, or in capitals only
        "ik sprak mevrouw [[NAAM|el amrani]] gisteren",
        "ik sprak mevrouw [[NAAM|van den heuvel]] gisteren",
        "dank alvast\n\ngroet, [[NAAM|sanne]]",
        "dank je wel!! groetjes [[NAAM|lisa]]",
        "[[NAAM|JAN DE VRIES]]",
        "Met vriendelijke groet,\n[[NAAM|PETRA VAN DIJK]]",
        "vraag van [[NAAM|DAVID BOS]]: zijn de roosters klaar?",
        "mijn vrouw [[NAAM|yasmina]] is ook lid",
        "op naam van [[NAAM|R. Koster]].",
        # plates in other sidecodes and in lower case
        "kenteken [[KENTEKEN|xx-99-zz]] gezien",
        "de auto [[KENTEKEN|XX-99-YY]] en de bus [[KENTEKEN|BX-123-T]]",
        "mijn auto, [[KENTEKEN|7-TVR-82]], en [[KENTEKEN|23-lbn-5]]",
        "de wagen [[KENTEKEN|vlg-19-r]] van de zaak",
        # a shortened year in a date of birth
        "geboren [[GEBOORTEDATUM|12 juni '81]]",
        "Geboortedatum: [[GEBOORTEDATUM|22 okt ’75]]",
        # an IBAN with dashes or dots: whole, not only its tail
        "IBAN [[IBAN|NL91-ABNA-0417-1643-00]] graag",
        "rekening [[IBAN|NL02.ABNA.0123.4567.89]].",
    ],
)
def test_probe_leaks_are_caught_whole(redactor, marked):
    text, gold = parse_marked(marked)
    found = {(s.type, text[s.start : s.end]) for s in redactor.detect(text)}
    assert {(s.type, text[s.start : s.end]) for s in gold} <= found


@pytest.mark.parametrize(
    "text",
    [
        "We meet at the office at five, and I work at home.",
        "Ik heb op punt 3 van het rooster gewerkt, maar dat punt wordt niet betaald.",
        "We verdienen punt voor punt minder dan vorig jaar.",
        "In 2024 en 2025 geen verhoging; het is 1500 km per week en 2000 op de teller.",
        "Factuurnummer F-2026-0042, ordernummer AB-1234, typenummer XP-200.",
        "De afspraak is op 2-mei-24 en het ma-12-uur rooster begint.",  # vowels: no plate
        "Ik ben onderweg 3 uur kwijt, de kerkstraat is afgesloten.",
        "mevrouw zei dat de meneer van personeelszaken belt.",
        "WIJ WILLEN ONS GELD TERUG EN EEN EERLIJKE CAO",
        "Het geboortejaar van mijn zoon is 2012 en ik ben 12 juni '81 begonnen.",
    ],
)
def test_ordinary_words_that_look_like_the_forms_stay(redactor, text):
    assert redactor.detect(text) == ()
