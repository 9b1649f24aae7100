"""Facets found in one encoder's space keep their members and get the other space's geometry."""

import numpy as np
import pytest

from topics.discovery import UNASSIGNED, DiscoveryResult, assign_to_nearest
from topics.second_space import in_space


def _two_spaces(rng, themes=4, per_theme=30):
    """The same documents in two unrelated spaces: blobs around different centres."""
    labels = np.repeat(np.arange(themes), per_theme)
    strong = np.eye(themes, 12)[labels] * 3 + 0.3 * rng.standard_normal((len(labels), 12))
    rotation, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    fast = (np.eye(themes, 8)[labels] * 3 + 0.4 * rng.standard_normal((len(labels), 8))) @ rotation
    return labels, strong.astype(np.float32), fast.astype(np.float32)


def _result(labels, vectors, n_themes):
    units = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    centroids = np.vstack([units[labels == k].mean(axis=0) for k in range(n_themes)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    return DiscoveryResult(
        assignments=labels.copy(),
        centroids=centroids,
        keyphrases=[[f"woord {k}"] for k in range(n_themes)],
        labels=[f"Thema {k}" for k in range(n_themes)],
        quotes=[[0]] * n_themes,
        sizes=np.bincount(labels[labels >= 0], minlength=n_themes).tolist(),
        floors=np.zeros(n_themes, dtype=np.float32),
    )


def test_partition_and_names_stay_the_discoverys_own():
    labels, strong, fast = _two_spaces(np.random.default_rng(0))
    labels[5] = UNASSIGNED
    found = _result(labels, strong, 4)
    moved = in_space(found, fast, [f"tekst {i}" for i in range(len(labels))], 4.0)
    np.testing.assert_array_equal(moved.assignments, labels)
    assert moved.labels == found.labels and moved.keyphrases == found.keyphrases
    assert moved.sizes == found.sizes


def test_centroids_live_in_the_second_space_and_give_the_members_back():
    labels, strong, fast = _two_spaces(np.random.default_rng(1))
    moved = in_space(_result(labels, strong, 4), fast, [str(i) for i in range(len(labels))], 4.0)
    assert moved.centroids.shape == (4, fast.shape[1])
    np.testing.assert_allclose(np.linalg.norm(moved.centroids, axis=1), 1.0, rtol=1e-5)
    units = fast / np.linalg.norm(fast, axis=1, keepdims=True)
    assigned = assign_to_nearest(units, moved.centroids, moved.floors, 1.0)
    assert (assigned == labels).mean() > 0.95


def test_quotes_are_members_nearest_their_centroid_in_the_second_space():
    labels, strong, fast = _two_spaces(np.random.default_rng(2))
    texts = [f"tekst {i}" for i in range(len(labels))]
    moved = in_space(_result(labels, strong, 4), fast, texts, 4.0)
    units = fast / np.linalg.norm(fast, axis=1, keepdims=True)
    for theme, quotes in enumerate(moved.quotes):
        members = np.flatnonzero(labels == theme)
        best = members[np.argmax(units[members] @ moved.centroids[theme])]
        assert quotes[0] == best
        assert set(quotes) <= set(members)


def test_floors_follow_each_themes_spread_in_the_second_space():
    rng = np.random.default_rng(3)
    labels, strong, fast = _two_spaces(rng)
    fast[labels == 0] += 1.5 * rng.standard_normal(fast[labels == 0].shape)  # theme 0 loose
    moved = in_space(_result(labels, strong, 4), fast, [str(i) for i in range(len(labels))], 4.0)
    assert moved.floors[0] < moved.floors[1:].min()


def test_vectors_of_other_documents_are_refused():
    labels, strong, fast = _two_spaces(np.random.default_rng(4))
    with pytest.raises(ValueError, match="vectors for"):
        in_space(_result(labels, strong, 4), fast[:-1], ["x"] * len(labels), 4.0)
