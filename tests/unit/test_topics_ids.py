"""Theme ids across a refit: continued ids stay, curated themes name newcomers, merges fold."""

import numpy as np

from topics.discovery import DiscoveryResult
from topics.ids import (
    curated_subject,
    facet_subjects,
    fold_same_ids,
    follow_curated_subjects,
    settle_ids,
    shares_modifier,
)
from topics.taxonomy import Taxonomy, Theme


def taxonomy() -> Taxonomy:
    themes = [
        Theme("T0001", "Ontslag", seed_phrases=["ontslag vaststellingsovereenkomst"]),
        Theme("T0002", "Thuiswerken", seed_phrases=["thuiswerk vergoeding"]),
    ]
    return Taxonomy({t.id: t for t in themes})


def test_a_split_parent_keeps_its_id_even_when_the_child_looks_like_it():
    # T0001 split: the matched cluster keeps T0001, the child got T0007 from matching. The
    # child's key phrases share T0001's seed words, but T0001 is not free to hand out.
    ids = settle_ids(
        ["T0007", "T0001"],
        ["T0001", "T0002"],
        [["ontslag vaststellingsovereenkomst"], ["ontslag"]],
        taxonomy(),
    )
    assert ids == ["T0007", "T0001"]


def test_a_newcomer_takes_a_free_curated_theme_and_each_id_is_used_once():
    ids = settle_ids(
        ["T0008", "T0009", None],
        ["T0005"],
        [["thuiswerk vergoeding"], ["vergoeding thuiswerk"], ["pensioen"]],
        taxonomy(),
    )
    assert ids == ["T0002", "T0009", None]


def test_a_newcomer_whose_label_is_a_curated_seed_takes_that_theme_when_it_is_free():
    # A pension theme writes compounds ("pensioenoverzicht"), never the seed word itself.
    curated = Taxonomy(
        {
            "T0009": Theme("T0009", "Pensioen", seed_phrases=["pensioen", "pensioenfonds"]),
            "T0042": Theme(
                "T0042", "Bod", "Gevonden door Ledenradar.", seed_phrases=["bod", "pensioen"]
            ),
        }
    )
    phrases = [["pensioenoverzicht", "meerekenen"], ["pensioenoverzicht", "aow"]]

    assert settle_ids([None, None], [], phrases, curated, ["pensioen", "pensioen"]) == [
        "T0009",
        None,
    ]
    assert settle_ids([None], [], phrases[:1], curated) == [None]


def test_a_newcomer_saying_a_curated_themes_very_name_takes_it():
    curated = Taxonomy(
        {"T0019": Theme("T0019", "Proeftijd", seed_phrases=["proeftijd", "proeftijdbeding"])}
    )
    phrases = [["proeftijd", "ontslagbrief", "proefperiode"], ["cao", "ontslagbrief"]]

    assert settle_ids([None, None], [], phrases, curated, ["proef", "cao"]) == ["T0019", None]


def test_clusters_resolving_to_one_theme_become_one():
    vectors = np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    result = DiscoveryResult(
        assignments=np.array([0, 1, 2, -1]),
        centroids=np.eye(3, dtype=np.float32),
        keyphrases=[["ontslag"], ["vso"], ["pensioen"]],
        labels=["Ontslag", "Vso", "Pensioen"],
        quotes=[[0], [1], [2]],
        sizes=[1, 1, 1],
        floors=np.array([0.5, 0.3, 0.4], dtype=np.float32),
    )
    folded, ids = fold_same_ids(result, ["T0001", "T0001", "T0003"], vectors)
    assert ids == ["T0001", "T0003"]
    assert folded.assignments.tolist() == [0, 0, 1, -1]
    assert folded.sizes == [2, 1]
    assert folded.floors.tolist() == [np.float32(0.3), np.float32(0.4)]
    assert folded.keyphrases == [["ontslag"], ["pensioen"]]
    expected = vectors[:2].mean(axis=0)
    np.testing.assert_allclose(folded.centroids[0], expected / np.linalg.norm(expected), rtol=1e-6)


def test_distinct_ids_leave_the_result_as_it_was():
    result = DiscoveryResult(
        np.array([0, 1]), np.eye(2, dtype=np.float32), [["a"], ["b"]], ["A", "B"], [[0], [1]]
    )
    folded, ids = fold_same_ids(result, ["T0001", "T0002"], np.eye(2, dtype=np.float32))
    assert folded is result and ids == ["T0001", "T0002"]


def test_a_facets_curated_subject_is_a_theme_the_union_defined_never_a_discovered_one():
    themes = taxonomy()
    themes.themes["T0042"] = Theme(
        "T0042",
        "Vergoeding",
        "Gevonden door Ledenradar.",
        seed_phrases=["thuiswerk vergoeding", "reiskosten vergoeding"],
    )

    assert curated_subject(["thuiswerk vergoeding", "laptop"], themes) == "T0002"
    assert curated_subject(["reiskosten vergoeding"], themes) is None
    assert curated_subject(["laptop"], themes, label="thuiswerken") == "T0002"


def test_a_facet_whose_key_phrases_name_no_seed_takes_the_subject_its_own_name_names():
    phrases = [["druk", "tafel leggen"], ["thuiswerk vergoeding"], ["druk", "rooster"]]
    discovery_labels = ["Druk", "Laptop", "Druk"]
    own_names = ["Thuiswerken", "Ontslag", "Rooster"]

    subjects = facet_subjects(phrases, discovery_labels, own_names, taxonomy())
    # Key phrases and the discovery's label come first; the own name only where they name
    # nothing, and a name that is no curated theme's names nothing either.
    assert subjects == ["T0002", "T0002", None]


def test_a_compound_names_the_curated_theme_whose_seed_words_begin_with_its_modifier():
    seeds = ["thuiswerkvergoeding", "thuiswerken", "thuiswerkplek", "internetvergoeding"]
    assert shares_modifier("Thuiswerkdag", seeds)
    assert not shares_modifier("Werkdag", seeds)  # "werk" is too short to name anything
    assert not shares_modifier("Thuiswerkdag", ["thuiswerkvergoeding", "laptop"])
    assert not shares_modifier("thuiswerk dag", seeds)
    themes = taxonomy()
    themes.themes["T0002"].seed_phrases = seeds
    assert curated_subject(["claimen", "nieuwe regeling"], themes, "Thuiswerkdag") == "T0002"


def test_a_label_headed_by_a_seed_word_names_that_seeds_subject():
    # Key phrases share one seed word only ("incasso"), too little on their own.
    themes = taxonomy()
    themes.themes["T0003"] = Theme("T0003", "Contributie", seed_phrases=["incasso", "ledenpas"])
    phrases = ["incasso", "automatische", "bank", "aanmaning"]

    assert curated_subject(phrases, themes, label="automatische incasso") == "T0003"
    assert curated_subject(phrases, themes, label="incasso mislukt") is None
    assert curated_subject(phrases, themes, label="bank") is None


def test_a_facets_own_name_outweighs_a_curated_name_among_its_key_phrases():
    # Home-working members write "reiskosten" too; the facet's name sums it up.
    themes = taxonomy()
    themes.themes["T0002"].seed_phrases = ["thuiswerkvergoeding", "thuiswerken", "thuiswerkplek"]
    themes.themes["T0011"] = Theme("T0011", "Reiskosten", seed_phrases=["kilometervergoeding"])
    phrases = ["claimen", "spullen", "thuiswerkdag", "reiskosten"]

    assert facet_subjects([phrases], ["Claimen"], ["Thuiswerkdag"], themes) == ["T0002"]
    assert curated_subject(phrases, themes, "Thuiswerkdag") == "T0002"
    # Without a label that names a subject, the curated name among the key phrases still does.
    assert curated_subject(phrases, themes, "Claimen") == "T0011"


def test_a_discovered_theme_of_an_idle_curated_subject_is_taken_over_by_it():
    themes = taxonomy()
    found = "Gevonden door Ledenradar."
    themes.themes["T0029"] = Theme(
        "T0029", "Thuiswerken (T0029)", found, seed_phrases=["thuiswerk vergoeding"]
    )
    themes.themes["T0030"] = Theme("T0030", "Pensioen", found, seed_phrases=["pensioen"])
    phrases = [["thuiswerk vergoeding", "laptop"], ["pensioen"]]
    labels = ["thuiswerk", "pensioen"]

    ids, adoptions = follow_curated_subjects(["T0029", "T0030"], phrases, labels, themes)
    assert ids == ["T0002", "T0030"] and adoptions == {"T0029": "T0002"}
    # A name a curator gave is kept, and so is the id it belongs to.
    themes.themes["T0029"].former_names.append("Thuiswerk")
    assert follow_curated_subjects(["T0029"], phrases[:1], labels[:1], themes) == (["T0029"], {})


def test_a_curated_id_moves_to_the_cluster_that_speaks_of_its_subject():
    themes = taxonomy()
    phrases = [["ontslag vaststellingsovereenkomst"], ["thuiswerk vergoeding"], ["laptop"]]
    labels = ["ontslag", "thuiswerk", "laptop"]

    # Matching left "Thuiswerken" on the dismissal cluster and "Ontslag" on the home-working
    # one: they swap. The cluster that names no curated subject keeps its id.
    ids, adoptions = follow_curated_subjects(["T0002", "T0001", "T0007"], phrases, labels, themes)
    assert ids == ["T0001", "T0002", "T0007"] and adoptions == {}
    # A free curated id goes to its cluster; one whose holder speaks of it stays there.
    ids, _ = follow_curated_subjects(["T0002", "T0008", "T0007"], phrases, labels, themes)
    assert ids == ["T0001", "T0002", "T0007"]
    ids, _ = follow_curated_subjects(["T0001", "T0009"], [phrases[0]] * 2, labels[:2], themes)
    assert ids == ["T0001", "T0009"]
    # A cluster a curator placed keeps the id it was given.
    ids, _ = follow_curated_subjects(["T0002", "T0001"], phrases[:2], labels[:2], themes, {0})
    assert ids == ["T0002", "T0001"]
    # A cluster whose subject is known otherwise (seed phrases gathered its facet) takes
    # that subject's id from a holder that does not speak of it, whatever its own words say.
    ids, _ = follow_curated_subjects(
        ["T0007", "T0002"],
        [["laptop"], ["vakantie"]],
        ["laptop", "vakantie"],
        themes,
        known={0: "T0002"},
    )
    assert ids == ["T0002", "T0007"]


def test_a_compound_among_a_facets_key_phrases_names_its_subject_for_the_tree_only():
    themes = taxonomy()
    themes.themes["T0002"].seed_phrases = ["thuiswerkvergoeding", "thuiswerken", "thuiswerkplek"]
    phrases = [["claimen", "spullen", "thuiswerkdag"], ["claimen", "werkdag"]]

    subjects = facet_subjects(phrases, ["Claimen", "Claimen"], ["Spullen", "Claimen"], themes)
    assert subjects == ["T0002", None]
    # A theme's id does not follow a key phrase this way.
    ids, adoptions = follow_curated_subjects(["T0050"], phrases[:1], ["claimen"], themes)
    assert ids == ["T0050"] and adoptions == {}
