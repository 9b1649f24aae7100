"""Discovery on a sample, the rest placed by centroids (`topics.sampling`)."""

import numpy as np

from topics.discovery import DiscoveryConfig, ThemeDiscovery
from topics.sampling import place_rest, stratified_sample


def test_a_stratified_sample_gives_each_stratum_its_share():
    strata = ["w1"] * 300 + ["w2"] * 100 + ["w3"] * 50
    sample = stratified_sample(strata, 90, seed=1)
    assert len(sample) == len(set(sample)) == 90
    assert list(sample) == sorted(sample)
    counts = {w: sum(strata[i] == w for i in sample) for w in ("w1", "w2", "w3")}
    assert counts == {"w1": 60, "w2": 20, "w3": 10}
    assert list(stratified_sample(strata, 90, seed=1)) == list(sample)
    assert list(stratified_sample(strata, 90, seed=2)) != list(sample)


def test_a_window_no_larger_than_the_sample_is_taken_whole():
    assert list(stratified_sample(["a", "b", "a"], 3, seed=0)) == [0, 1, 2]


def blobs(n_per: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    centres = np.eye(12)[:3]
    labels = np.repeat(np.arange(3), n_per)
    vectors = centres[labels] + rng.normal(0, 0.12, (len(labels), 12))
    return vectors.astype(np.float32), labels


def test_the_rest_goes_to_the_facet_of_its_kind_and_a_stray_stays_out():
    rng = np.random.default_rng(0)
    vectors, truth = blobs(200, rng)
    stray = np.zeros((1, 12), dtype=np.float32)
    stray[0, 11] = 1.0
    vectors = np.vstack([vectors, stray])
    words = ["pensioen opbouw", "ontslag vergoeding", "thuiswerk plek", "iets anders"]
    texts = [f"vraag over {words[label]}" for label in [*truth, 3]]
    sample = stratified_sample(["all"] * len(vectors), 150, seed=3)
    sample = sample[sample < len(truth)]  # the stray is among the rest
    config = DiscoveryConfig(reducer="pca", n_components=5, seed=3)
    found = ThemeDiscovery(config).fit([texts[i] for i in sample], vectors[sample])
    placed = place_rest(found, sample, vectors, texts, config.outlier_spread, config.max_unassigned)
    assert len(placed.assignments) == len(vectors)
    assert (placed.assignments[sample] == found.assignments).all()
    rest = np.setdiff1d(np.arange(len(truth)), sample)
    # Each blob's unsampled members take the facet its sampled members hold.
    for blob in range(3):
        facet = np.bincount(found.assignments[truth[sample] == blob].clip(0)).argmax()
        assert (placed.assignments[rest][truth[rest] == blob] == facet).mean() >= 0.98
    assert placed.assignments[-1] == -1
    assert placed.sizes == np.bincount(placed.assignments[placed.assignments >= 0]).tolist()
    # Centroids of all members now, not of the sample's only.
    members = vectors[placed.assignments == 0]
    mean = members / np.linalg.norm(members, axis=1, keepdims=True)
    mean = mean.sum(axis=0)
    assert np.allclose(placed.centroids[0], mean / np.linalg.norm(mean), atol=1e-5)
