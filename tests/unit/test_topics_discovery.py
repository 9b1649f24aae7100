"""Theme discovery on synthetic clusters: recovery, determinism, outliers, labels, transform."""

import dataclasses

import numpy as np
import pytest

from topics.discovery import (
    DiscoveryConfig,
    ThemeDiscovery,
    assign_to_nearest,
    min_cluster_size_for,
)
from topics.metrics import score_clustering

TOPIC_WORDS = [
    ("thuiswerk", "vergoeding"),
    ("ontslag", "vaststellingsovereenkomst"),
    ("pensioen", "opbouw"),
    ("loon", "betaling"),
    ("ziekte", "verzuim"),
]
FILLERS = ["ik heb een vraag", "graag hulp", "kunt u mij helpen", "wat zijn mijn rechten"]


def make_blobs(n_per_theme=40, dim=24, noise=0.25, seed=0):
    """Unit vectors around one random direction per theme, with Dutch texts per theme."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(TOPIC_WORDS), dim))
    vectors, texts, gold = [], [], []
    for theme, (first, second) in enumerate(TOPIC_WORDS):
        points = centres[theme] + noise * np.linalg.norm(centres[theme]) * rng.normal(
            size=(n_per_theme, dim)
        ) / np.sqrt(dim)
        vectors.append(points)
        texts += [
            f"{FILLERS[i % len(FILLERS)]} over mijn {first} {second}" for i in range(n_per_theme)
        ]
        gold += [theme] * n_per_theme
    vectors = np.vstack(vectors).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), texts, np.array(gold)


FAST = DiscoveryConfig(reducer="pca", n_components=8, min_cluster_size=10)


def test_recovers_well_separated_themes_without_being_told_how_many():
    vectors, texts, gold = make_blobs()
    result = ThemeDiscovery(FAST).fit(texts, vectors)
    scores = score_clustering(gold, result.assignments)
    assert result.n_themes == len(TOPIC_WORDS)
    assert scores.ari > 0.95
    # The outlier rule is relative to each theme's spread, so it may flag a stray tail point.
    assert scores.coverage >= 0.99
    assert all(38 <= size <= 40 for size in result.sizes)


def test_result_shapes_and_normalised_centroids():
    vectors, texts, _ = make_blobs()
    result = ThemeDiscovery(FAST).fit(texts, vectors)
    assert result.centroids.shape == (result.n_themes, vectors.shape[1])
    assert np.allclose(np.linalg.norm(result.centroids, axis=1), 1.0, atol=1e-5)
    assert result.assignments.dtype.kind == "i"
    assert len(result.keyphrases) == len(result.labels) == len(result.quotes) == result.n_themes
    for theme, quotes in enumerate(result.quotes):
        assert len(quotes) == 3
        assert all(result.assignments[index] == theme for index in quotes)


def test_labels_are_the_theme_bigram_and_skip_dutch_stopwords():
    vectors, texts, gold = make_blobs()
    result = ThemeDiscovery(FAST).fit(texts, vectors)
    for theme in range(result.n_themes):
        members = gold[result.assignments == theme]
        first, second = TOPIC_WORDS[np.bincount(members).argmax()]
        assert result.labels[theme] == f"{first} {second}"
        assert "ik" not in result.keyphrases[theme] and "een" not in result.keyphrases[theme]


def test_same_seed_gives_the_same_themes_with_umap():
    vectors, texts, _ = make_blobs(n_per_theme=30)
    config = DiscoveryConfig(reducer="umap", min_cluster_size=8, seed=7)
    first = ThemeDiscovery(config).fit(texts, vectors)
    second = ThemeDiscovery(config).fit(texts, vectors)
    np.testing.assert_array_equal(first.assignments, second.assignments)
    np.testing.assert_allclose(first.centroids, second.centroids)
    assert first.labels == second.labels
    assert first.n_themes == len(TOPIC_WORDS)


def test_far_away_documents_stay_unassigned_but_coverage_stays_above_85_percent():
    # High dimension: random directions are then nearly orthogonal to every theme.
    vectors, texts, _ = make_blobs(dim=128)
    rng = np.random.default_rng(1)
    strays = rng.normal(size=(25, vectors.shape[1])).astype(np.float32)
    strays /= np.linalg.norm(strays, axis=1, keepdims=True)
    all_vectors = np.vstack([vectors, strays])
    all_texts = texts + [f"losse opmerking {i}" for i in range(25)]
    result = ThemeDiscovery(FAST).fit(all_texts, all_vectors)
    assert np.mean(result.assignments >= 0) >= 0.85
    assert np.mean(result.assignments[-25:] == -1) > 0.8
    assert np.all(result.assignments[:-25] >= 0)


def test_unassigned_share_is_capped_even_when_everything_is_dissimilar():
    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(100, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    centroids = vectors[:3]
    assignments = assign_to_nearest(vectors, centroids, min_similarity=0.99, max_unassigned=0.15)
    assert np.mean(assignments == -1) <= 0.15


def test_transform_puts_new_documents_in_the_theme_of_their_cluster():
    vectors, texts, gold = make_blobs(seed=0)
    discovery = ThemeDiscovery(FAST)
    result = discovery.fit(texts, vectors)
    fresh, _, fresh_gold = make_blobs(n_per_theme=10, seed=0)  # same centres, new draws
    predicted = discovery.transform(fresh)
    theme_of_gold = {
        g: np.bincount(result.assignments[(gold == g) & (result.assignments >= 0)]).argmax()
        for g in set(gold)
    }
    assert np.mean(predicted == np.array([theme_of_gold[g] for g in fresh_gold])) > 0.95


def test_kmeans_and_agglomerative_clusterers_are_swappable():
    vectors, texts, gold = make_blobs()
    for clusterer in ("kmeans", "agglomerative"):
        config = DiscoveryConfig(reducer="none", clusterer=clusterer, n_clusters=5)
        result = ThemeDiscovery(config).fit(texts, vectors)
        assert score_clustering(gold, result.assignments).ari > 0.95


def test_configuration_errors_are_explicit():
    vectors, texts, _ = make_blobs(n_per_theme=5)
    with pytest.raises(ValueError, match="needs n_clusters"):
        ThemeDiscovery(DiscoveryConfig(clusterer="kmeans")).fit(texts, vectors)
    with pytest.raises(ValueError, match="texts but"):
        ThemeDiscovery(FAST).fit(texts[:-1], vectors)
    with pytest.raises(RuntimeError):
        ThemeDiscovery(FAST).transform(vectors)


def test_min_cluster_size_grows_with_the_corpus():
    assert min_cluster_size_for(100) == 5
    assert min_cluster_size_for(13_000) == 52


def test_pieces_of_one_theme_merge_by_neighbour_links_and_distinct_themes_do_not():
    from topics.discovery import merge_linked, nearest_neighbours

    vectors, _, gold = make_blobs(dim=64)
    # Theme 0 split in two halves, as an over-splitting clusterer would leave it.
    labels = gold.copy()
    labels[np.flatnonzero(gold == 0)[::2]] = 5
    merged = merge_linked(nearest_neighbours(vectors, 11), labels, min_share=0.1)
    assert len(set(merged.tolist())) == 5
    assert score_clustering(gold, merged).ari == 1.0


def test_outlier_rule_follows_the_similarity_scale():
    # The same themes and strays squeezed into a narrow cone (all cosines ≈ 0.9, like e5):
    # an absolute cosine floor would keep every stray; the per-theme floors still find them.
    vectors, texts, _ = make_blobs(dim=64)
    strays = np.random.default_rng(3).normal(size=(10, 64)).astype(np.float32)
    spread = np.vstack([vectors, strays / np.linalg.norm(strays, axis=1, keepdims=True)])
    cone = spread + 3.0 * np.eye(64, dtype=np.float32)[0]
    all_texts = texts + [f"losse opmerking {i}" for i in range(10)]
    for space in (spread, cone):
        unassigned = ThemeDiscovery(FAST).fit(all_texts, space).assignments == -1
        assert unassigned[-10:].all()
        assert unassigned[:-10].mean() <= 0.01


class FixedLabels:
    """A clusterer that returns given labels, as an over-splitting clusterer would."""

    def __init__(self, labels: np.ndarray) -> None:
        self.labels = labels

    def fit_predict(self, points: np.ndarray) -> np.ndarray:
        return self.labels


def test_merge_counts_40_links_but_never_more_than_the_smallest_theme_is_large():
    # Theme 0 lies in two overlapping halves of 60 documents each: of a document's 19 nearest
    # neighbours about 8 % lie in the other half, of its 39 nearest about 14 %. With 40 links
    # (the default) the halves join and the distinct themes do not; with 20 links, or where
    # the smallest theme may be 20 documents (a window of 5,000), they stay apart.
    rng = np.random.default_rng(1)
    dim = 32
    centres = 6.0 * np.eye(dim)[:4]
    halves = [centres[0] + 0.65 * np.eye(dim)[10], centres[0] - 0.65 * np.eye(dim)[10]]
    blobs = halves + list(centres[1:])
    vectors = np.vstack([b + 0.25 * rng.normal(size=(60, dim)) for b in blobs])
    gold = np.repeat([0, 0, 1, 2, 3], 60)
    split = FixedLabels(np.repeat([0, 4, 1, 2, 3], 60))
    config = DiscoveryConfig(reducer="none", min_cluster_size=60)
    joined = ThemeDiscovery(config, clusterer=split).cluster(vectors)
    assert score_clustering(gold, joined).ari == 1.0
    for apart in (
        dataclasses.replace(config, merge_neighbours=20),
        dataclasses.replace(config, min_cluster_size=20),
    ):
        assert len(set(ThemeDiscovery(apart, clusterer=split).cluster(vectors).tolist())) == 5
