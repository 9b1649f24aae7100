"""Names that name the subject: nominal phrases, subject lines, facets relative to their theme."""

import numpy as np

from topics.names import register_discovered
from topics.representation import theme_labels
from topics.subject_names import as_members_write, facet_labels, nominal_words, subject_labels
from topics.taxonomy import TaxonomyFile


def test_nominal_words_follow_a_determiner_or_open_a_subject_line():
    texts = [
        "ik wil de transitievergoeding meenemen",
        "mijn vaste aanstelling is zomaar gestopt",
        "kan ik dat meenemen",
    ]
    nouns = nominal_words(texts, subjects=["Thuiswerkvergoeding", None, None])
    assert {"transitievergoeding", "aanstelling", "thuiswerkvergoeding"} <= nouns
    assert not {"meenemen", "zomaar", "gestopt", "wil"} & nouns


def test_a_subject_line_that_opens_with_an_inflected_adjective_has_its_noun_second():
    texts = ["ik word seksueel lastiggevallen", "ik heb vrij genomen", "het algoritme is streng"]
    subjects = [
        "Seksuele intimidatie",
        "Re: Vrije dagen",
        "Ontslag aangevochten",
        "Algoritme beslist",
    ]
    nouns = nominal_words(texts, subjects)
    assert {"intimidatie", "dagen", "ontslag", "algoritme"} <= nouns
    assert "re" not in nouns
    # Only after an inflected adjective, one members also write bare: after a noun, even
    # one ending in -e, the headline goes on with a verb.
    assert not {"aangevochten", "beslist"} & nouns


def test_a_verb_after_het_is_no_noun_a_noun_said_only_after_het_is():
    texts = [
        "het gaat om mijn ontslag en de kantonrechter",
        "het uwv zegt dat het gaat lukken",
        "dit speelt al jaren bij het bedrijf",
        "de kantonrechter beslist",
    ]
    nouns = nominal_words(texts)
    assert {"uwv", "bedrijf", "kantonrechter", "ontslag"} <= nouns
    assert not {"gaat", "speelt"} & nouns
    dismissal = [f"de kantonrechter gaat over mijn ontslag {n}" for n in range(6)]
    dismissal += [f"het gaat om de kantonrechter {n}" for n in range(6)]
    assert not subject_labels(dismissal, np.zeros(12, dtype=int), 1)[0].endswith("gaat")


def test_a_verb_every_contact_repeats_does_not_name_the_theme_a_noun_does():
    texts = [f"ik moet de stukken meenemen {n}" for n in range(6)] + [
        f"mijn pensioen en de aow {n}" for n in range(6)
    ]
    assignments = np.array([0] * 6 + [1] * 6)
    # The rule without nouns names the first theme by its verb ...
    assert theme_labels(texts, assignments, 2)[0].endswith("meenemen")
    # ... the subject rule by what the members bring: the documents.
    assert subject_labels(texts, assignments, 2)[0] == "stukken"


def test_a_subject_line_can_name_a_theme_its_messages_never_name():
    texts = [f"ik ben besmet geraakt op de afdeling {n}" for n in range(5)] + [
        f"mijn loon is te laat op de afdeling {n}" for n in range(5)
    ]
    subjects = ["Corona op het werk"] * 4 + [None] + [None] * 5
    names = subject_labels(texts, np.array([0] * 5 + [1] * 5), 2, subjects=subjects)
    assert names[0] == "corona"


def test_the_unit_of_an_amount_does_not_name_the_theme():
    texts = (
        [f"nu moet ik {n}00 euro studiekosten terugbetalen" for n in range(1, 5)]
        + [f"moet ik de studiekosten terugbetalen {n}" for n in range(2)]
        + [f"mijn pensioen en de aow {n}" for n in range(6)]
    )
    # Most members write the amount before the subject; the number falls away, the unit
    # must too ("Euro studiekosten" was a demo theme's name).
    assert subject_labels(texts, np.array([0] * 6 + [1] * 6), 2)[0] == "studiekosten"


def test_a_compound_most_members_write_is_preferred_over_its_bare_head():
    texts = (
        [f"de vaststellingsovereenkomst en de overeenkomst {n}" for n in range(4)]
        + [f"de overeenkomst {n}" for n in range(2)]
        + [f"mijn vakantiegeld {n}" for n in range(6)]
    )
    names = theme_labels(texts, np.array([0] * 6 + [1] * 6), 2)
    assert names[0] == "vaststellingsovereenkomst"


def test_facets_are_named_by_what_sets_them_apart_within_their_theme():
    texts = (
        [f"mijn contributie is dubbel afgeschreven via de incasso {n}" for n in range(5)]
        + [f"mijn contributie bij mijn lagere inkomen {n}" for n in range(5)]
        + [f"de proeftijd is verlengd {n}" for n in range(5)]
    )
    facets = np.array([0] * 5 + [1] * 5 + [2] * 5)
    facet_theme = np.array([0, 0, 1])
    names = facet_labels(texts, facets, facet_theme, ["contributie", "proeftijd"])
    assert names[0] == "incasso" and names[1].endswith("inkomen")
    assert names[2] == "proeftijd"  # a theme's only facet carries the theme's name


def test_a_candidate_whose_embedding_lies_closer_to_the_theme_wins_a_near_tie():
    texts = [f"de brief over het minimumloon {n}" for n in range(5)] + [
        f"mijn vakantiegeld {n}" for n in range(5)
    ]
    assignments = np.array([0] * 5 + [1] * 5)
    centroids = np.array([[1.0, 0.0], [0.0, 1.0]])
    directions = {"minimumloon": [1.0, 0.1], "brief": [0.2, 1.0]}

    def embed(phrases):
        return np.array([directions.get(phrase, [0.5, 0.5]) for phrase in phrases])

    assert subject_labels(texts, assignments, 2)[0] == "brief"  # alphabetical in a tie
    names = subject_labels(texts, assignments, 2, centroids=centroids, embed=embed)
    assert names[0] == "minimumloon"


def test_a_compound_takes_the_word_class_of_its_head():
    texts = ["ik moet de aangifte doen", "hulp bij belastingaangifte", "ik wil terugbetalen"]
    texts += ["kan ik dat betalen", "ik ga betalen"]
    nouns = nominal_words(texts, subjects=["Afspraak inkomstenaangifte", None, None, None, None])
    assert {"aangifte", "belastingaangifte", "inkomstenaangifte"} <= nouns
    assert "terugbetalen" not in nouns  # its head is a verb


def test_a_compound_a_fifth_of_the_bare_heads_users_write_names_the_theme():
    def named(compound_users: int) -> str:
        texts = [
            f"mijn belastingaangifte en de aangifte {n}"
            if n < compound_users
            else f"de aangifte {n}"
            for n in range(10)
        ] + [f"mijn vakantiegeld {n}" for n in range(10)]
        return subject_labels(texts, np.array([0] * 10 + [1] * 10), 2)[0]

    assert named(3) == "belastingaangifte"  # the compound names the subject, the head a family
    assert named(1) == "aangifte"  # one member's compound is not what members say


def test_an_english_noun_after_a_modifier_is_nominal_a_verb_after_a_noun_is_not():
    texts = [
        *(["what is my credit score", "how do i raise my credit score"] * 2),
        "is a score of 700 good",
        *(["my car battery is dead"] * 3),
        "the battery died again",
        "my card arrived",
        "has my card arrived yet",
        "when will the package have arrived",
    ]
    nouns = nominal_words(texts, language="en")
    # "score" and "battery" follow a determiner directly in a fifth and a quarter of their
    # uses: nouns only through the modifier before them.
    assert {"score", "battery", "card"} <= nouns
    assert "arrived" not in nouns  # after "my card", but never right after a determiner
    # Dutch inflects its adjectives: an uninflected word between does not make a noun.
    assert "batterij" not in nominal_words(["mijn auto batterij is leeg"] * 3, language="nl")


def test_an_inflected_adjective_is_not_a_noun_though_it_follows_a_determiner():
    texts = [
        "er is een nieuwe regeling",
        "de nieuwe regeling is onduidelijk",
        "het rooster is nieuw",
        "ik betaal de premie",
        "de premie is hoog",
    ]
    nouns = nominal_words(texts)
    assert "nieuwe" not in nouns  # its bare form "nieuw" is written too
    assert {"regeling", "premie"} <= nouns  # "premi" is no word


def test_a_facet_word_members_write_about_every_subject_does_not_name_the_facet():
    # Within "ontslag" every letter is in the first facet, but letters come with every
    # subject; the notice period is what only the first facet's members write about.
    texts = (
        [f"ik kreeg de brief over mijn ontslag en de opzegtermijn {n}" for n in range(5)]
        + [f"de brief over mijn ontslag en de opzegtermijn {n}" for n in range(3)]
        + [f"mijn ontslag en de transitievergoeding {n}" for n in range(6)]
        + [f"een brief over mijn pensioen {n}" for n in range(6)]
        + [f"de brief over mijn vakantiegeld {n}" for n in range(6)]
    )
    facets = np.array([0] * 8 + [1] * 6 + [2] * 6 + [3] * 6)
    facet_theme = np.array([0, 0, 1, 2])
    names = facet_labels(texts, facets, facet_theme, ["ontslag", "pensioen", "vakantiegeld"])
    assert names[:2] == ["opzegtermijn", "transitievergoeding"]


def test_a_facet_candidate_closer_to_the_facet_wins_a_near_tie():
    texts = (
        [f"de camera en de score {n}" for n in range(5)]
        + [f"de scanner {n}" for n in range(5)]
        + [f"mijn vakantiegeld {n}" for n in range(5)]
    )
    facets = np.array([0] * 5 + [1] * 5 + [2] * 5)
    centroids = np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]])
    directions = {"score": [1.0, 0.1], "camera": [0.1, 1.0]}

    def embed(phrases):
        return np.array([directions.get(phrase, [0.5, 0.5]) for phrase in phrases])

    theme = np.array([0, 0, 1])
    names = ["monitoring", "vakantiegeld"]
    assert facet_labels(texts, facets, theme, names)[0] == "camera"  # alphabetical in a tie
    assert facet_labels(texts, facets, theme, names, centroids=centroids, embed=embed)[0] == "score"


def test_sibling_facets_get_different_names_and_none_repeats_its_theme_in_a_compound():
    texts = (
        [f"mijn uitzendbureau betaalt te laat {n}" for n in range(6)]
        + [f"het uitzendbureau en de reserveringen {n}" for n in range(4)]
        + [f"mijn vakantiegeld en de vakantie {n}" for n in range(5)]
        + [f"de vakantie en de transitievergoeding {n}" for n in range(5)]
    )
    facets = np.array([0] * 6 + [1] * 4 + [2] * 5 + [3] * 5)
    names = facet_labels(texts, facets, np.array([0, 0, 1, 1]), ["uitzendwerk", "vakantiegeld"])
    assert names[0] == "uitzendbureau" and names[1] == "reserveringen"
    assert "vakantie" not in names[2:]  # a part of "vakantiegeld" says nothing new


def test_abbreviations_keep_the_capitals_members_write_them_in():
    texts = [
        "Er is een AI-programma dat mijn werk volgt.",
        "Mag AI mij beoordelen?",
        "Ik krijg WW maar de ai zegt iets anders.",
        "Vraag over de cao en de CAO van vorig jaar.",
        "Wat zegt de cao over mijn loon?",
        "DRINGEND: mijn loon is niet betaald, dringend graag.",
    ]
    labels = ["ai", "ww-uitkering", "cao", "dringend loon", "onbenoemd thema"]
    assert as_members_write(labels, texts) == [
        "AI",
        "WW-uitkering",
        "cao",
        "dringend loon",
        "onbenoemd thema",
    ]


def test_a_new_theme_keeps_its_abbreviation_in_capitals(tmp_path):
    taxonomy_file = TaxonomyFile(tmp_path / "taxonomy.yaml")
    register_discovered(taxonomy_file, ["T0900"], [["ai", "camera"]], ["AI-monitoring"])
    assert taxonomy_file.load().themes["T0900"].name == "AI-monitoring"


def _corona_and_pay(headlines: int) -> tuple[list[str], list[str | None], np.ndarray]:
    """Theme 0: 15 contacts, 7 about "de quarantaine", `headlines` of them e-mails under
    "Corona op het werk"; theme 1: 15 contacts on late pay."""
    texts = [f"ik moet in de quarantaine {n}" for n in range(7)]
    texts += [f"ik blijf ziek thuis {n}" for n in range(8)]
    texts += [f"mijn loon is te laat {n}" for n in range(15)]
    subjects: list[str | None] = [None] * 30
    for n in range(headlines):
        subjects[14 - n] = "Corona op het werk"
    return texts, subjects, np.array([0] * 15 + [1] * 15)


def test_a_word_of_a_themes_subject_lines_is_weighed_among_the_contacts_that_have_one():
    # Only e-mails have a subject line: "corona" is in 5 of 15 contacts, but in every
    # subject line the theme has; "quarantaine" is in 7 messages.
    texts, subjects, assignments = _corona_and_pay(headlines=5)
    assert subject_labels(texts, assignments, 2, subjects=subjects)[0] == "corona"
    # Too few subject lines say nothing of the theme's: the messages decide.
    texts, subjects, assignments = _corona_and_pay(headlines=2)
    assert subject_labels(texts, assignments, 2, subjects=subjects)[0] == "quarantaine"
