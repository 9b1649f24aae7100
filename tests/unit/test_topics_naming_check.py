"""The rule that decides whether a theme's name names its true subject."""

import numpy as np

from topics.naming_check import (
    intent_vocabularies,
    majority_labels,
    named_shares,
    names_subject,
    simulator_vocabularies,
    subject_vocabularies,
    words_match,
)


def test_words_match_whole_by_compound_start_and_by_stem_but_not_by_a_shared_beginning():
    assert words_match("cao", "cao")
    assert words_match("pensioen", "pensioenoverzicht")
    assert words_match("verify", "verification")
    assert words_match("charging", "charge")
    assert not words_match("cao", "caolabel")  # three letters match only whole ...
    assert words_match("tax", "taxes") and words_match("fees", "fee")  # ... or as a plural
    assert not words_match("tax", "taxi") and not words_match("pin", "pines")
    assert not words_match("transfer", "transport")
    assert not words_match("card", "care")


def test_words_shared_by_three_subjects_name_none_of_them():
    vocabularies = subject_vocabularies(
        {"a": ["card arrival"], "b": ["card linking"], "c": ["lost card"], "d": ["the refund"]},
        stopwords=["the"],
    )
    assert vocabularies == {"a": {"arrival"}, "b": {"linking"}, "c": {"lost"}, "d": {"refund"}}
    assert not names_subject("Card", vocabularies["a"])
    assert names_subject("Cards arriving", vocabularies["a"])


def test_a_word_of_a_subjects_own_name_names_it_even_where_other_subjects_share_it():
    texts = {
        "ontslag": ["Ontslag", "Ontslag op staande voet"],
        "vso": ["Vaststellingsovereenkomst", "Ontslag met wederzijds goedvinden"],
        "ww": ["WW-uitkering", "Uitkering na ontslag"],
    }
    vocabularies = subject_vocabularies(
        texts, stopwords=["op", "na", "met"], names={"ontslag": "Ontslag"}
    )
    assert names_subject("Ontslag", vocabularies["ontslag"])
    assert not names_subject("Ontslag", vocabularies["vso"])
    assert names_subject("Ontslag", simulator_vocabularies()["ontslag"])


def test_an_intent_name_splits_on_underscores_and_keeps_words_other_intents_share():
    intents = ["card_arrival", "card_linking", "lost_card", "Refund_not_showing_up"]
    vocabularies = intent_vocabularies(intents)
    assert vocabularies["card_arrival"] == {"card", "arrival", "cardarrival"}
    assert "refund" in vocabularies["Refund_not_showing_up"]
    assert names_subject("Topup", intent_vocabularies(["top_up_reverted"])["top_up_reverted"])


def test_the_simulator_vocabulary_holds_a_themes_name_and_subject_words():
    vocabularies = simulator_vocabularies()
    assert "contributie" in vocabularies["contributie_lidmaatschap"]
    assert names_subject("Automatische incasso", vocabularies["contributie_lidmaatschap"]) is False
    assert names_subject("Contributie", vocabularies["contributie_lidmaatschap"])


def test_named_shares_leave_out_subjects_no_name_could_name():
    vocabularies = {"a": {"pensioen"}, "b": {"ontslag"}, "off_topic": set()}
    themes, contacts = named_shares(
        ["Pensioenfonds", "Los", "Nummer"], [30, 10, 50], ["a", "b", "off_topic"], vocabularies
    )
    assert themes == 0.5
    assert contacts == 0.75


def test_majority_label_and_purity_per_theme():
    gold = ["a", "a", "b", "b", "b", "c"]
    assignments = np.array([0, 0, 0, 1, 1, -1])
    assert majority_labels(gold, assignments, 3) == [("a", 2 / 3), ("b", 1.0), ("", 0.0)]


def test_found_themes_list_label_size_majority_purity_and_whether_the_label_names_it():
    from topics.datasets import LabelledSet
    from topics.discovery import DiscoveryResult
    from topics.evaluate import found_themes, named_share_of

    dataset = LabelledSet(
        "banking77",
        ["a", "b", "c", "d", "e"],
        ["card_arrival", "card_arrival", "lost_card", "lost_card", "exchange_rate"],
        extra_texts=["f"],
    )
    result = DiscoveryResult(
        assignments=np.array([0, 0, 0, 1, -1, 2]),
        centroids=np.eye(3),
        keyphrases=[[], [], []],
        labels=["arrived yet", "stolen", "extra only"],
        quotes=[[], [], []],
    )

    themes = found_themes(dataset, result.assignments, result.labels)

    assert [(t.theme, t.size, t.majority, t.purity) for t in themes] == [
        (0, 3, "card_arrival", round(2 / 3, 3)),
        (1, 1, "lost_card", 1.0),
    ]  # theme 2 holds only an unlabelled extra text
    assert [t.named for t in themes] == [True, False]
    assert named_share_of(themes) == (0.5, 0.75)
