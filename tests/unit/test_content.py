import pytest

from pipeline.content import encoder_input, first_question, member_words


def test_phone_transcript_keeps_only_the_member_side():
    text = (
        "Medewerker: Ledenservice, goedemorgen.\n"
        "Lid: Ja eh hallo, mijn werkgever houdt eh geld in op mijn loon.\n"
        "Medewerker: Mag ik uw postcode?\n"
        "Lid: [POSTCODE]. Kan de bond een brief sturen?"
    )
    assert (
        member_words(text)
        == "Ja hallo, mijn werkgever houdt geld in op mijn loon. Kan de bond een brief sturen?"
    )


def test_identification_clauses_go_but_long_clauses_keep_their_words():
    text = "Ik ben [NAAM] en mijn lidnummer is [LIDNUMMER]. Mijn werkgever [NAAM] wil dat ik elke dag een volgsysteem draag."
    assert member_words(text) == "Mijn werkgever wil dat ik elke dag een volgsysteem draag."


def test_a_short_identifying_sentence_goes_whole_even_across_a_comma():
    text = "Ik heb m'n burgerservicenummer erbij, dat is [BSN]. Mag mijn werkgever mijn BSN aan een uitzendbureau geven?"
    assert member_words(text) == "Mag mijn werkgever mijn BSN aan een uitzendbureau geven?"


def test_email_loses_greeting_signature_and_quoted_reply():
    text = (
        "Beste ledenservice,\n\nKrijg ik thuiswerkvergoeding over dagen dat ik ziek was?\n\n"
        "Met vriendelijke groet,\n[NAAM]\nTel: [TELEFOON]\n\nOp 3 mei 2026 schreef Ledenservice:\n> Beste lid, ..."
    )
    assert member_words(text) == "Krijg ik thuiswerkvergoeding over dagen dat ik ziek was?"


def test_webform_keeps_the_question_not_the_fields():
    text = "Naam: [NAAM]\nLidnummer: [LIDNUMMER]\nE-mailadres: [EMAIL]\n\nUw vraag:\nHoe hoog is de contributie?"
    assert member_words(text) == "Hoe hoog is de contributie?"


def test_text_with_nothing_left_falls_back_to_the_whole_text_without_tokens():
    assert member_words("Beste bond,") == "Beste bond,"
    assert member_words("[NAAM]") == ""


def test_closing_turns_of_thanks_and_goodbye_are_not_the_question():
    text = (
        "Medewerker: Ledenservice, goedemiddag.\n"
        "Lid: Ik heb een vraag over mijn vakantiegeld, dat is niet betaald.\n"
        "Medewerker: Dat zoeken we voor u uit.\n"
        "Lid: Top, bedankt. Doei.\n"
        "Lid: Ja prima, fijne dag nog!"
    )
    assert member_words(text) == "Ik heb een vraag over mijn vakantiegeld, dat is niet betaald."


def test_a_turn_with_one_content_word_is_kept():
    text = "Lid: Bedankt, en de reiskosten?\nLid: Doei."
    assert member_words(text) == "Bedankt, en de reiskosten?"


# A second question: spoken, written and in words the simulator does not use.
@pytest.mark.parametrize(
    "words",
    [
        "Mijn vakantiegeld is niet betaald. Mag dat? En nog iets anders: hoe zeg ik mijn lidmaatschap op?",
        "Mijn vakantiegeld is niet betaald. Mag dat? O ja, en dan nog nog wat: hoe zeg ik op?",
        "Mijn vakantiegeld is niet betaald. Mag dat? Nou en wat ik zeg maar ook nog wilde vragen: hoe zeg ik op?",
        "Mijn vakantiegeld is niet betaald. Mag dat? Daarnaast heb ik nog een vraag. Hoe zeg ik op?",
        "Mijn vakantiegeld is niet betaald. Mag dat? Ik heb ook nog een andere vraag: hoe zeg ik op?",
        "Mijn vakantiegeld is niet betaald. Mag dat? Mijn tweede vraag is hoe ik opzeg.",
        "Mijn vakantiegeld is niet betaald. Mag dat? Verder vroeg ik mij af hoe ik opzeg.",
    ],
)
def test_a_second_question_is_not_the_first(words):
    assert first_question(words) == "Mijn vakantiegeld is niet betaald. Mag dat?"


@pytest.mark.parametrize(
    "words",
    [
        "Ik vroeg me af of mijn vakantiegeld nog komt.",
        "Kan ik nog iets doen tegen mijn ontslag?",
        "Nog een vraag: hoe zeg ik mijn lidmaatschap op?",
        "Mijn werkgever vergoedt nog wat reiskosten, maar niet alles.",
    ],
)
def test_one_question_stays_whole(words):
    assert first_question(words) == words


def test_the_encoder_sees_the_subject_and_the_first_question():
    words = "Mijn vakantiegeld is niet betaald. Mag dat? Dan nog iets anders: hoe zeg ik op?"
    assert (
        encoder_input("Vakantiegeld", words)
        == "Vakantiegeld\nMijn vakantiegeld is niet betaald. Mag dat?"
    )
