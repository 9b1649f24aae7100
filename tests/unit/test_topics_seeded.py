"""A curated subject that discovery did not find gathers the contacts that use its seeds."""

import numpy as np
import pytest

from topics.discovery import DiscoveryResult
from topics.names import DISCOVERED
from topics.seeded import gather_curated, names_seed
from topics.taxonomy import Taxonomy, Theme

LEAVE = "Mag ik mijn vakantiedagen opnemen wanneer ik wil van mijn werkgever?"
CORONA = "Ik ben besmet met het virus en mijn werkgever wil dat ik vakantiedagen opneem."
PENSION = "Mijn pensioenopbouw bij het pensioenfonds klopt niet."


def words(text: str) -> list[str]:
    return text.lower().replace(",", " ").split()


def test_a_seed_stands_for_its_inflections_and_a_phrase_for_its_words_in_a_row():
    assert names_seed(words("veel collega's zijn besmet"), "besmetting")
    assert names_seed(words("er zijn besmettingen op de afdeling"), "besmetting")
    assert names_seed(words("geen mondkapjes"), "mondkapje")
    assert names_seed(words("de coronamaatregelen"), "corona")
    assert names_seed(words("ik ben thuiswerker"), "thuiswerk")
    assert names_seed(words("ik heb positief getest"), "positief getest")
    assert not names_seed(words("getest en positief"), "positief getest")
    # A shorter word stands for its seed only short of an ending, never as a compound's
    # first part: "werk" is not "werkdruk", "thuis" (sick at home) not "thuiswerken".
    assert not names_seed(words("mijn werk"), "werkdruk")
    assert not names_seed(words("ik ben ziek thuis"), "thuiswerken")


def taxonomy(discovered_corona: bool = False) -> Taxonomy:
    corona = Theme(
        "T0008",
        "Corona op het werk",
        DISCOVERED if discovered_corona else "Corona en het werk.",
        seed_phrases=["corona", "besmetting", "virus"],
    )
    pension = Theme("T0009", "Pensioen", "Pensioen.", seed_phrases=["pensioen"])
    return Taxonomy({t.id: t for t in (corona, pension)})


def fit(
    corona_in_leave: int, corona_unassigned: int = 0
) -> tuple[DiscoveryResult, list, np.ndarray]:
    """Two facets (leave: 40 contacts, `corona_in_leave` of them about corona; pension: 40)
    and `corona_unassigned` corona contacts without a facet; vectors: leave, corona and
    pension each along their own axis."""
    texts = [CORONA] * corona_in_leave + [LEAVE] * (40 - corona_in_leave) + [PENSION] * 40
    texts += [CORONA] * corona_unassigned
    axis = [1 if t == CORONA else 0 if t == LEAVE else 2 for t in texts]
    vectors = np.eye(3, dtype=np.float32)[axis] + 0.01
    assignments = np.array([0] * 40 + [1] * 40 + [-1] * corona_unassigned)
    centroids = np.array([[0.9, 0.4, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    facets = DiscoveryResult(
        assignments=assignments,
        centroids=centroids / np.linalg.norm(centroids, axis=1, keepdims=True),
        keyphrases=[["vakantiedagen", "opnemen"], ["pensioenopbouw", "pensioenfonds"]],
        labels=["vakantiedagen", "pensioenopbouw"],
        quotes=[[0], [40]],
        sizes=[40, 40],
        floors=np.array([0.5, 0.5], dtype=np.float32),
    )
    return facets, texts, vectors


def gather(facets, texts, vectors, subjects, min_size=8, curated=None):
    return gather_curated(
        facets, subjects, texts, vectors, curated or taxonomy(), min_size, outlier_spread=4.0
    )


def test_a_curated_subject_no_facet_speaks_of_becomes_a_facet_of_its_seed_users():
    facets, texts, vectors = fit(corona_in_leave=10, corona_unassigned=3)

    out, subjects = gather(facets, texts, vectors, [None, "T0009"])

    assert subjects == [None, "T0009", "T0008"]
    assert out.n_themes == 3 and out.sizes == [30, 40, 13]
    corona = [i for i, t in enumerate(texts) if t == CORONA]
    assert set(np.flatnonzero(out.assignments == 2)) == set(corona)
    # Its centroid is its members' (the corona axis); the old facets keep their words.
    assert np.argmax(out.centroids[2]) == 1 and out.centroids[0][0] > 0.99
    assert out.keyphrases[:2] == facets.keyphrases
    assert {"besmet", "virus"} & set(" ".join(out.keyphrases[2]).split())


@pytest.mark.parametrize(
    "why, corona_in_leave, subjects, min_size, discovered",
    [
        ("too few use its seeds", 10, [None, "T0009"], 11, False),
        ("a facet already speaks of it", 10, ["T0008", "T0009"], 8, False),
        ("it would take most of a facet", 30, [None, "T0009"], 8, False),
        ("a theme the machine found has no seeds of the union's", 10, [None, "T0009"], 8, True),
    ],
)
def test_nothing_is_gathered_when(why, corona_in_leave, subjects, min_size, discovered):
    facets, texts, vectors = fit(corona_in_leave)

    out, after = gather(facets, texts, vectors, subjects, min_size, taxonomy(discovered))

    assert out is facets and after == subjects, why
