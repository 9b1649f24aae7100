"""Theme labels name the subject: hand-made Dutch contacts, two themes at most."""

import numpy as np
import pytest

from topics.representation import UNNAMED, is_label_word, stopwords_for, theme_labels

HOLIDAY_PAY = [
    "Mijn vakantiegeld is nog steeds niet betaald door mijn werkgever.",
    "Het vakantiegeld op mijn strook klopt niet, mijn werkgever rekent verkeerd.",
]


def two_themes(first: list[str], second: list[str] = HOLIDAY_PAY * 15) -> list[str]:
    """Labels of two themes: `first` (theme 0) and, to weigh against, holiday pay (theme 1)."""
    assignments = np.array([0] * len(first) + [1] * len(second))
    return theme_labels(first + second, assignments, 2)


def contacts(situations: list[str], questions: list[str], n: int = 30) -> list[str]:
    """Contacts made of one situation and one question, cycling through both lists."""
    return [f"{situations[i % len(situations)]} {questions[i % len(questions)]}" for i in range(n)]


def test_a_pronominal_adverb_phrase_never_labels_a_theme_about_a_reorganisation():
    reorganisation = contacts(
        [
            "Er is een reorganisatie aangekondigd en mijn afdeling verdwijnt.",
            "Na de reorganisatie ben ik boventallig verklaard.",
            "De reorganisatie gaat door, het afspiegelingsbeginsel is niet toegepast.",
        ],
        ["Is de bond hierbij betrokken?", "Wat betekent dit voor mij?"],
    )
    label, _ = two_themes(reorganisation)
    assert label == "reorganisatie"


def test_a_subject_written_in_compounds_beats_a_distinctive_question():
    pension = contacts(
        [
            "Mijn pensioenoverzicht laat een lager bedrag zien dan vorig jaar.",
            "Mijn werkgever zit niet bij een pensioenfonds aangesloten.",
            "Ik wil een deel van mijn pensioen eerder laten ingaan.",
        ],
        ["Kan iemand met mij meerekenen?", "Ik ben bij dezelfde werkgever sinds jaren."],
    )
    label, _ = two_themes(pension)
    assert label == "pensioen"  # in every contact, through "pensioenoverzicht" and "pensioenfonds"


def test_a_word_every_theme_uses_loses_to_the_subject_on_precision():
    shifts = contacts(
        [
            "Mijn werkgever betaalt de ploegentoeslag niet uit.",
            "De ploegentoeslag staat niet op mijn strook, zegt mijn werkgever.",
            "Mijn werkgever wil dat ik in het weekend werk.",
        ],
        ["Mag dat?"],
    )
    label, holiday_pay = two_themes(shifts)
    assert label == "ploegentoeslag"
    assert holiday_pay == "vakantiegeld"


def test_a_word_gives_way_to_the_phrase_most_members_write_with_it():
    fixed_term = contacts(
        [
            "Ik werk al drie jaar met tijdelijke contracten.",
            "Mijn werkgever belooft al lang een vaste aanstelling.",
            "Na de zomer zou ik een vaste aanstelling krijgen.",
            "Een aanstelling voor onbepaalde tijd zit er niet in.",
        ],
        ["Heb ik nu recht op een vaste aanstelling?", "Wat kan ik doen?"],
    )
    label, _ = two_themes(fixed_term)
    assert label == "vaste aanstelling"


@pytest.mark.parametrize(
    "word",
    ["hierbij", "hierop", "daaraan", "ertussen", "waarin", "elkaar", "meerdere", "dezelfde"],
)
def test_pronominal_adverbs_and_closed_class_words_are_no_label_words(word):
    assert not is_label_word(word, frozenset(stopwords_for("nl")))


@pytest.mark.parametrize("word", ["reorganisatie", "bedrijfsarts", "bedenktermijn", "erfpacht"])
def test_content_words_are_label_words(word):
    assert is_label_word(word, frozenset(stopwords_for("nl")))


def test_a_theme_of_filler_and_function_words_is_unnamed():
    filler = ["Goedemorgen, dank u wel en fijne dag!"] * 10
    assert theme_labels(filler, np.zeros(10, dtype=int), 1) == [UNNAMED]
    closed = ["Hierbij meerdere, elkaar hierop."] * 10
    assert theme_labels(closed, np.zeros(10, dtype=int), 1) == [UNNAMED]
