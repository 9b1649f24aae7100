"""A discovery's facets, re-expressed in another encoder's space.

When a strong, slow encoder discovers the facets at a refit and a fast one assigns contacts
in the stream, everything after discovery (centroids, outlier floors, quotes, the stream's
threshold, identity against the previous model) must live in the stream's space: the stored
contacts carry the stream encoder's vectors, and the stream compares new contacts with the
centroids. The discovery's partition is kept as it is (that is what the strong encoder is
for); only what is measured in a space is measured again, from the same members, by the
same rules discovery uses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from models.theme_spaces import centroids_from_members
from topics.discovery import DiscoveryResult, outlier_floors
from topics.representation import representative_quotes


def in_space(
    result: DiscoveryResult, vectors: np.ndarray, texts: Sequence[str], outlier_spread: float
) -> DiscoveryResult:
    """`result` with its centroids, floors and quotes computed from `vectors` (the same
    documents, in the order the discovery saw them, in another encoder's space); the
    assignments, key phrases, labels and sizes are the discovery's own."""
    if len(vectors) != len(result.assignments):
        raise ValueError(f"{len(vectors)} vectors for {len(result.assignments)} documents")
    vectors = np.asarray(vectors, dtype=np.float32)
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    centroids = centroids_from_members(result.assignments, vectors, result.n_themes).centroids
    return DiscoveryResult(
        assignments=result.assignments.copy(),
        centroids=centroids,
        keyphrases=result.keyphrases,
        labels=result.labels,
        quotes=representative_quotes(vectors, result.assignments, centroids, texts),
        sizes=list(result.sizes),
        floors=outlier_floors(vectors, result.assignments, centroids, outlier_spread),
    )
