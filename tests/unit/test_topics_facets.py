"""The theme tree's seam: groupings are checked, themes of facets, where a newborn goes."""

from datetime import date, timedelta

import numpy as np
import pytest

from topics.discovery import DiscoveryResult
from topics.facets import (
    AttachByCentroid,
    FacetSummary,
    emergence,
    facet_own_contacts,
    facet_summaries,
    group_by_identity,
    never_attach,
    previous_themes,
    theme_groups,
    themes_of,
)

E = np.eye(4, dtype=np.float32)
FACETS = np.stack([E[0], E[1], (E[1] + 0.4 * E[2]) / np.linalg.norm(E[1] + 0.4 * E[2])])
PHRASES = [["pensioen opbouw"], ["camera cabine"], ["score per rit"]]
THEMES = ["T0001", "T0002", "T0002"]
TREE = AttachByCentroid(similarity=0.8, margin=0.15, shared_words=2)


def summary(centroid, label="x", keyphrases=None):
    return FacetSummary(np.asarray(centroid, np.float32), keyphrases or [label], 10, label)


KNOWN = [summary(f, keyphrases=p) for f, p in zip(FACETS, PHRASES, strict=True)]


def newborn(centroid, keyphrases):
    return summary(centroid, keyphrases=keyphrases)


def test_identity_grouping_makes_each_facet_its_own_theme():
    facets = [summary(E[i]) for i in range(3)]
    assert theme_groups(group_by_identity, facets) == [0, 1, 2]


def test_a_grouping_answer_is_renumbered_in_order_of_first_appearance():
    facets = [summary(E[i]) for i in range(4)]
    assert theme_groups(lambda f: [7, 3, 7, 9], facets) == [0, 1, 0, 2]


@pytest.mark.parametrize(
    ("answer", "message"),
    [([0, 1], "2 groups for 3 facets"), ([0, -1, 1], "non-negative"), ([0, "a", 1], "integers")],
)
def test_a_wrong_grouping_answer_is_a_clear_error(answer, message):
    facets = [summary(E[i]) for i in range(3)]
    with pytest.raises(ValueError, match=message):
        theme_groups(lambda f: answer, facets)


def test_a_newborn_close_to_a_facet_joins_that_facets_theme():
    born = (E[2] + 2.0 * E[1]) / np.linalg.norm(E[2] + 2.0 * E[1])  # nearest: facet 2
    assert TREE(newborn(born, ["iets anders"]), KNOWN, THEMES) == "T0002"


def test_a_newborn_far_from_every_facet_is_a_new_theme():
    assert TREE(newborn(E[3], ["score per rit"]), KNOWN, THEMES) is None


def test_shared_words_attach_a_newborn_just_below_the_similarity():
    born = (E[0] + 0.7 * E[3]) / np.linalg.norm(E[0] + 0.7 * E[3])  # cosine 0.82 to facet 0
    strict = AttachByCentroid(similarity=0.9, margin=0.1, shared_words=2)
    assert strict(newborn(born, ["opbouw pensioen"]), KNOWN, THEMES) == "T0001"
    assert strict(newborn(born, ["pensioen"]), KNOWN, THEMES) is None
    too_far = AttachByCentroid(similarity=0.95, margin=0.1, shared_words=2)
    assert too_far(newborn(born, ["opbouw pensioen"]), KNOWN, THEMES) is None


def _contacts(directions: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` contacts around each of `directions` (rows), a little apart."""
    return np.vstack([d + 0.05 * rng.standard_normal((n, len(d))) for d in directions])


def test_a_facet_shows_a_newborn_only_its_own_contacts_not_the_strays_it_holds():
    rng = np.random.default_rng(0)
    own, newborn = np.eye(4)[0], np.eye(4)[1]
    facet = _contacts(np.array([[1.0, 0, 0.2, 0]]), 20, rng)
    # Another subject's first contacts: nearer the newborn, and far from the facet's others.
    strays = _contacts(np.array([[0.2, 1.0, 0, 0.1]]), 5, rng)
    kept = facet_own_contacts(np.vstack([facet, strays]), own, newborn)
    assert kept.tolist() == [True] * 20 + [False] * 5
    # The centroids' lengths do not tip it: a long centroid is no nearer.
    kept = facet_own_contacts(np.vstack([facet, strays]), own, 5 * newborn)
    assert kept.tolist() == [True] * 20 + [False] * 5
    assert facet_own_contacts(np.zeros((0, 4)), own, newborn).shape == (0,)


def test_contacts_nearer_a_newborn_that_fit_the_facet_as_well_as_the_rest_are_its_own():
    rng = np.random.default_rng(0)
    own, newborn = np.eye(4)[0], np.eye(4)[1]
    # A loose facet of one subject told in three ways; the newborn is the third way, and
    # the facet's contacts told that way fit it as well as those told otherwise.
    ways = np.array([[0.4, 0, 0.9, 0], [0.4, 0, 0, 0.9], [0.4, 0.9, 0, 0]])
    facet = _contacts(ways, 10, rng)
    unit = facet / np.linalg.norm(facet, axis=1, keepdims=True)
    assert (unit[20:] @ newborn > unit[20:] @ own).all()  # the third way: nearer the newborn
    assert facet_own_contacts(facet, own, newborn).all()
    # All nearer the newborn: nothing to fit worse than, so all are the facet's own.
    assert facet_own_contacts(facet[20:], own, newborn).all()


def test_with_identity_grouping_a_newborn_is_always_a_new_theme():
    assert never_attach(KNOWN[1], KNOWN, THEMES) is None


def _fit() -> tuple[DiscoveryResult, np.ndarray, list[str]]:
    vectors = np.repeat(FACETS, 4, axis=0)
    texts = ["pensioen opbouw klopt niet"] * 4 + ["camera in de cabine"] * 4 + ["score per rit"] * 4
    assignments = np.repeat(np.arange(3), 4)
    fit = DiscoveryResult(
        assignments,
        FACETS.copy(),
        PHRASES,
        ["pensioen", "camera", "score"],
        [[0], [4], [8]],
        [4] * 3,
    )
    return fit, vectors, texts


def test_themes_of_identity_groups_are_the_facets_unchanged():
    fit, vectors, texts = _fit()
    themes = themes_of(fit, group_by_identity(facet_summaries(fit)), vectors, texts)
    assert (themes.assignments == fit.assignments).all()
    assert themes.keyphrases == fit.keyphrases and themes.labels == fit.labels
    assert np.allclose(themes.centroids, fit.centroids)


def test_themes_of_a_group_hold_the_union_of_its_facets_contacts():
    fit, vectors, texts = _fit()
    themes = themes_of(fit, [0, 1, 1], vectors, texts)
    assert themes.n_themes == 2 and themes.sizes == [4, 8]
    assert themes.assignments.tolist() == [0] * 4 + [1] * 8
    mean = (FACETS[1] + FACETS[2]) / np.linalg.norm(FACETS[1] + FACETS[2])
    assert np.allclose(themes.centroids[1], mean, atol=1e-6)
    assert themes.keyphrases[0] == PHRASES[0]  # a theme of one facet is that facet
    assert themes.keyphrases[1] != PHRASES[1]  # found anew over both facets' contacts


def test_the_model_assigns_to_the_nearest_facet_and_reports_its_theme(tmp_path):
    from topics.model import ThemeModel

    model = ThemeModel(["T0001", "T0002"], ["a", "b"], [[], []], E[:2], 0.5, "fake@1", "r1")
    model.add_facet("F0001", "T0001", "pensioen", PHRASES[0], FACETS[0])
    model.add_facet("F0002", "T0002", "camera", PHRASES[1], FACETS[1])
    model.add_facet("F0003", "T0002", "score", PHRASES[2], FACETS[2])
    model.save(tmp_path)
    loaded = ThemeModel.load(tmp_path)
    (found,) = loaded.assigner().assign(FACETS[2][None])
    assert (found.theme_id, found.facet_id) == ("T0002", "F0003")
    (far,) = loaded.assigner().assign(E[3][None])
    assert (far.theme_id, far.facet_id) == (None, None)


def test_a_model_saved_before_the_tree_assigns_to_the_nearest_theme(tmp_path):
    import json

    from topics.model import ThemeModel

    ThemeModel(["T0001", "T0002"], ["a", "b"], [[], []], E[:2], 0.5, "fake@1", "r1").save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text())
    for key in ("facet_ids", "facet_themes", "facet_names", "facet_keyphrases"):
        del meta[key]
    (tmp_path / "model.json").write_text(json.dumps(meta))
    np.savez(tmp_path / "model.npz", centroids=E[:2], center=np.zeros(0, np.float32))
    (found,) = ThemeModel.load(tmp_path).assigner().assign(E[1][None])
    assert (found.theme_id, found.facet_id) == ("T0002", None)


def test_a_facet_emerges_when_a_tenth_of_its_contacts_have_arrived():
    start = date(2026, 8, 3)
    days = [start + timedelta(days=d) for d in range(0, 100, 2)] + [
        start + timedelta(days=d) for d in range(60, 100, 2)
    ]
    assignments = np.array([0] * 50 + [1] * 20)
    emerged = emergence(days, assignments, 3)
    assert emerged[0] == pytest.approx(9.8 / 98)
    assert emerged[1] == pytest.approx(63.8 / 98)
    assert emerged[2] == 0.0  # no contacts: nothing to date it by
    assert emergence([start] * 4, np.array([0, 0, 1, 1]), 2) == [0.0, 0.0]
    with pytest.raises(ValueError, match="3 days for 4 documents"):
        emergence([start] * 3, np.array([0, 0, 1, 1]), 2)


def test_a_facet_comes_from_the_theme_at_least_half_its_contacts_had():
    themes = ["T1", "T1", "T2", None, "T2", "T3", "T3", "T1", None]
    assignments = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2])
    assert previous_themes(themes, assignments, 4) == ["T1", "T3", "T1", None]
    with pytest.raises(ValueError, match="2 themes for 3 documents"):
        previous_themes(["T1", "T2"], np.array([0, 0, 1]), 2)
