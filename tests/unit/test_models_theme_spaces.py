"""Themes found in one encoder's space get centroids in another's from their members."""

import numpy as np
import pytest

from models.theme_spaces import (
    UNASSIGNED,
    assign_nearest,
    assignment_agreement,
    centroids_from_members,
    encode_second_space,
)


def _blobs(rng, centres, per_theme, noise):
    vectors = np.vstack([c + noise * rng.standard_normal((per_theme, len(c))) for c in centres])
    labels = np.repeat(np.arange(len(centres)), per_theme)
    return vectors.astype(np.float32), labels


def test_centroid_is_the_unit_mean_of_the_members_only():
    vectors = np.array([[1, 0], [1, 0.2], [0, 1], [-1, 0]], dtype=np.float32)
    assignments = np.array([0, 0, 1, UNASSIGNED])
    space = centroids_from_members(assignments, vectors, n_themes=3)
    expected = (vectors[0] / 1 + vectors[1] / np.linalg.norm(vectors[1])) / 2
    np.testing.assert_allclose(space.centroids[0], expected / np.linalg.norm(expected), rtol=1e-5)
    np.testing.assert_allclose(space.centroids[1], [0, 1])
    assert not space.centroids[2].any()  # a theme without members never attracts a contact


def test_second_space_assignment_gives_back_the_refit_labels():
    rng = np.random.default_rng(0)
    centres = np.eye(8, 16) * 3
    vectors, labels = _blobs(rng, centres, per_theme=40, noise=0.3)
    space = centroids_from_members(labels, vectors, n_themes=8)
    assert assignment_agreement(labels, assign_nearest(vectors, space)) > 0.95


def test_a_contact_far_from_every_theme_stays_unassigned():
    rng = np.random.default_rng(1)
    vectors, labels = _blobs(rng, np.eye(3, 8) * 3, per_theme=30, noise=0.2)
    space = centroids_from_members(labels, vectors, n_themes=3)
    stranger = np.zeros((1, 8), dtype=np.float32)
    stranger[0, 7] = 1.0
    assert assign_nearest(stranger, space)[0] == UNASSIGNED


def test_only_assigned_contacts_are_encoded():
    class Recorder:
        seen: list[str] = []

        def encode(self, texts, batch_size=32):
            self.seen.extend(texts)
            return np.array([[1.0, 0.0] if "a" in t else [0.0, 1.0] for t in texts])

    encoder = Recorder()
    space = encode_second_space(["a1", "b1", "x", "a2"], np.array([0, 1, -1, 0]), 2, encoder)
    assert encoder.seen == ["a1", "b1", "a2"]
    np.testing.assert_allclose(space.centroids, [[1, 0], [0, 1]])


def test_agreement_counts_unassigned_as_disagreement_and_needs_assigned_contacts():
    assert assignment_agreement(np.array([0, 1, 1, -1]), np.array([0, -1, 1, 0])) == 2 / 3
    with pytest.raises(ValueError, match="assigned no contact"):
        assignment_agreement(np.array([-1]), np.array([0]))
