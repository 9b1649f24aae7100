"""Person names with tussenvoegsels in the places members write them, next to the
capitalised words, employers and cities that must stay."""

import pytest

from pipeline.redaction import Redactor
from pipeline.redaction.annotations import parse_marked


@pytest.fixture(scope="module")
def redactor():
    return Redactor()


def names(redactor, text):
    return [text[s.start : s.end] for s in redactor.redact(text).spans if s.type == "NAAM"]


@pytest.mark.parametrize(
    "marked",
    [
        "Beste [[NAAM|Jan]],\n\nIk heb een vraag.",
        "Geachte mevrouw [[NAAM|De Vries]], dank voor uw brief.",
        "Geachte heer [[NAAM|Van der Meer]],",
        "Met vriendelijke groet,\n[[NAAM|Pieter van den Berg]]",
        "Met vriendelijke groet,\n\n[[NAAM|Marco van 't Hof]]\nIJmuiden",
        "Hoogachtend,\n[[NAAM|A.J.M. van der Linden]]",
        "Goedemorgen, mijn naam is [[NAAM|Annelies de Groot]] en ik werk in de zorg.",
        "Ja, m'n eh, naam is [[NAAM|B. Brouwer]], ik bel over mijn ontslag.",
        "Lid: Ja goedemorgen, met [[NAAM|Gert van Os]].",
        "Mijn leidinggevende [[NAAM|Rik Jansen]] belt elke dag.",
        "Groet,\n[[NAAM|Esther Kramer-de Boer]]",
        "ik ben [[NAAM|jan de vries]] en werk bij de gemeente",
        "[[NAAM|Karin]]: Goedemorgen.\n[[NAAM|Yusuf]]: Hallo, ik ben [[NAAM|Yusuf Öztürk]].",
        "Van: [[NAAM|Bram Koster]] <bram@example.nl>\nOnderwerp: vraag",
        "Op 3 mei 2026 schreef [[NAAM|Sanne Mulder]] <s.mulder@debond.nl>:",
        "Naam: [[NAAM|Naima Aziz]]\nWerkgever: Schiphol",
        "Medewerker: Met wie spreek ik?\nLid: Met [[NAAM|Van Beek]]. [[NAAM|Thijs van Beek]].",
        "Beste mevrouw [[NAAM|Kok]], wij hebben uw vraag ontvangen.",
    ],
)
def test_names_in_context_are_found_whole(redactor, marked):
    text, spans = parse_marked(marked)
    assert names(redactor, text) == [text[s.start : s.end] for s in spans]


@pytest.mark.parametrize(
    "text",
    [
        # first names that are Dutch words, at the start of a sentence
        "Wil ik een vraag stellen over vakantiedagen?",
        "Ben ik verzekerd als ik al ziek was?",
        "Mag mijn baas dat zomaar? Kerst valt op een zaterdag.",
        # capitalised common words at sentence starts
        "Graag advies. Morgen heb ik een gesprek. Ontslag op staande voet gekregen.",
        # employers named after people, and cities
        "Ik werk bij Albert Heijn in Utrecht.",
        "Mijn nieuwe werkgever is Dirk van den Broek, de supermarkt.",
        "Ik werk bij Van Oord als machinist, collega's in Rotterdam ook.",
        "Ontslag bij De Vries Bouw in Zwolle.",
        "Rotterdam, Den Haag of Den Bosch, maakt niet uit.",
        "Wil de bond actie voeren bij Ter Apel?",
        # cao names and staff roles in transcripts
        "Medewerker: Valt u onder de cao Metalektro?\nLid: Ja, en de cao VVT.",
        "Papierfabriek De Maas gaat de vestiging sluiten.",
    ],
)
def test_capitalised_non_names_stay(redactor, text):
    assert names(redactor, text) == []


def test_a_name_found_once_is_redacted_everywhere_in_the_message(redactor):
    text = "Met vriendelijke groet,\nTim Vermeulen\n\n> Beste Tim,\n> Groet van de bond"
    assert names(redactor, text) == ["Tim Vermeulen", "Tim"]
