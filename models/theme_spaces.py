"""A theme's centroid in a second encoder's space, from its member contacts' texts.

When themes are discovered with one encoder (a strong, slow one at a refit) and contacts
are assigned in the stream with another (a fast one), the stream cannot use the refit's
centroids: they live in the other space. Each theme's centroid in the stream's space is
the normalised mean of its members' vectors in that space, and each theme's floor (the
cosine below which a contact stays unassigned) is re-estimated there from the same
members. `assignment_agreement` measures how often nearest-centroid assignment in the
second space gives back the refit's own labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

UNASSIGNED = -1


class TextEncoder(Protocol):
    def encode(self, texts: Sequence[str], batch_size: int = ...) -> np.ndarray: ...


@dataclass(frozen=True)
class SecondSpace:
    centroids: np.ndarray  # (n_themes, dim), unit rows; a theme without members is all zero
    floors: np.ndarray  # (n_themes,), cosine below which a contact stays unassigned


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.where(norms > 0, rows / np.maximum(norms, 1e-12), 0.0).astype(np.float32)


def centroids_from_members(
    assignments: np.ndarray, vectors: np.ndarray, n_themes: int, floor_quantile: float = 0.02
) -> SecondSpace:
    """Per theme: the unit mean of its members' `vectors`, and as floor the
    `floor_quantile` quantile of its members' cosines to that centroid."""
    assignments = np.asarray(assignments)
    if len(assignments) != len(vectors):
        raise ValueError(f"{len(assignments)} assignments for {len(vectors)} vectors")
    vectors = _unit(np.asarray(vectors, dtype=np.float32))
    sums = np.zeros((n_themes, vectors.shape[1]), dtype=np.float64)
    members = assignments != UNASSIGNED
    np.add.at(sums, assignments[members], vectors[members])
    centroids = _unit(sums)
    floors = np.ones(n_themes, dtype=np.float32)
    for theme in range(n_themes):
        rows = vectors[assignments == theme]
        if len(rows):
            floors[theme] = float(np.quantile(rows @ centroids[theme], floor_quantile))
    return SecondSpace(centroids, floors)


def encode_second_space(
    texts: Sequence[str],
    assignments: np.ndarray,
    n_themes: int,
    encoder: TextEncoder,
    batch_size: int = 32,
) -> SecondSpace:
    """`centroids_from_members` over the assigned contacts' texts encoded by `encoder`
    (unassigned contacts are not encoded)."""
    assignments = np.asarray(assignments)
    members = np.flatnonzero(assignments != UNASSIGNED)
    vectors = encoder.encode([texts[i] for i in members], batch_size=batch_size)
    return centroids_from_members(assignments[members], vectors, n_themes)


def assign_nearest(vectors: np.ndarray, space: SecondSpace) -> np.ndarray:
    """Nearest centroid per row, UNASSIGNED where the cosine is below that theme's floor."""
    similarities = _unit(np.asarray(vectors, dtype=np.float32)) @ space.centroids.T
    nearest = similarities.argmax(axis=1)
    best = similarities[np.arange(len(nearest)), nearest]
    return np.where(best >= space.floors[nearest], nearest, UNASSIGNED)


def assignment_agreement(refit: np.ndarray, stream: np.ndarray) -> float:
    """Share of the refit's assigned contacts that the stream's assignment puts in the
    same theme (a contact the stream leaves unassigned counts as a disagreement)."""
    refit, stream = np.asarray(refit), np.asarray(stream)
    assigned = refit != UNASSIGNED
    if not assigned.any():
        raise ValueError("the refit assigned no contact")
    return float((refit[assigned] == stream[assigned]).mean())
