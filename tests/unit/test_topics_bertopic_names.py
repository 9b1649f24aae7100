"""BERTopic's own representation models name themes the project found."""

import numpy as np
import pytest

from topics.bertopic_names import bertopic_labels
from topics.evaluate import named_tree
from topics.representation import UNNAMED

# Two themes; in each a template word ("arrive", "purchase") is the most distinctive
# phrase by c-TF-IDF, while the subject ("card", "refund") is what the contacts' vectors
# point at. A third theme index has no contacts.
TEXTS = (
    ["my card has not arrived yet"] * 5
    + ["when will my new card arrive"] * 5
    + ["refund for my purchase please"] * 5
    + ["I want a refund of the payment"] * 5
    + ["hello there"]
)
ASSIGNMENTS = np.array([0] * 10 + [1] * 10 + [-1])
AXES = {"card": [1.0, 0.0, 0.0], "refund": [0.0, 1.0, 0.0]}


def _vectors() -> np.ndarray:
    rows = [AXES["card"]] * 10 + [AXES["refund"]] * 10 + [[0.0, 0.0, 1.0]]
    noise = np.random.default_rng(0).normal(0, 0.01, (len(rows), 3))
    return np.asarray(rows) + noise


def _embed(phrases: list[str]) -> np.ndarray:
    """A phrase points where its subject word points; anything else is off to the side."""
    return np.array(
        [next((v for w, v in AXES.items() if w in p.split()), [0.0, 0.0, 1.0]) for p in phrases]
    )


def test_keybert_names_a_theme_by_the_phrase_closest_to_its_contacts_ctfidf_by_its_words():
    by_words = bertopic_labels(TEXTS, ASSIGNMENTS, 3, _vectors(), _embed, "ctfidf", "en")
    by_closeness = bertopic_labels(TEXTS, ASSIGNMENTS, 3, _vectors(), _embed, "keybert", "en")
    assert "card" not in by_words[0].split() and "refund" not in by_words[1].split()
    assert "card" in by_closeness[0].split() and "refund" in by_closeness[1].split()
    assert by_words[2] == by_closeness[2] == UNNAMED


def test_an_unknown_representation_is_refused():
    with pytest.raises(ValueError, match="unknown representation"):
        bertopic_labels(TEXTS, ASSIGNMENTS, 2, _vectors(), _embed, "llm", "en")


def test_evaluate_names_the_themes_by_the_chosen_representation():
    texts, assignments = TEXTS[:-1], ASSIGNMENTS[:-1]
    vectors = _vectors()[:-1]
    by_closeness = named_tree(texts, None, assignments, 2, vectors, "en", _embed, "keybert")[2]
    assert sorted(by_closeness) == sorted(
        bertopic_labels(texts, assignments, 2, vectors, _embed, "keybert", "en")
    )
    with pytest.raises(ValueError, match="unknown names"):
        named_tree(texts, None, assignments, 2, vectors, "en", _embed, "llm")
    with pytest.raises(ValueError, match="phrase encoder"):
        named_tree(texts, None, assignments, 2, vectors, "en", None, "keybert")
