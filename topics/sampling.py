"""Discovery on a bounded sample of a large window, the rest placed by the facets' centroids.

A slow discovery encoder (EmbeddingGemma: ~15 contacts per CPU-second) cannot embed a whole
12-week window on a small machine in the time a refit may take (docs/models.md, "The cold
refit with EmbeddingGemma"). So it embeds a sample stratified by week, discovery runs on
that, and every other contact of the window takes the facet of most of its nearest sampled
neighbours in the stream's space, under that facet's outlier floor; centroids, floors and
quotes are then measured again from all members (BERTopic's own advice for large corpora:
fit on a sample, `transform` the rest).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from topics.discovery import DiscoveryResult, settle_outliers
from topics.second_space import in_space

# Sampled neighbours whose facets vote on an unsampled contact's. On 20,000 contacts a vote
# kept more of the discovery's quality than the nearest centroid (docs/models.md, "The cold
# refit with EmbeddingGemma"): one facet's contacts are often several distinct situations.
PLACEMENT_NEIGHBOURS = 10


def stratified_sample(strata: Sequence[Hashable], size: int, seed: int) -> np.ndarray:
    """Sorted indices of at most `size` documents, each stratum (e.g. ISO week) holding its
    share of them (largest remainders round), drawn at random within it; every index when
    there are no more than `size`."""
    n = len(strata)
    if n <= size:
        return np.arange(n)
    groups: dict[Hashable, list[int]] = {}
    for i, stratum in enumerate(strata):
        groups.setdefault(stratum, []).append(i)
    members = list(groups.values())
    exact = np.array([len(m) for m in members]) * size / n
    quotas = np.floor(exact).astype(int)
    for k in np.argsort(-(exact - quotas), kind="stable")[: size - quotas.sum()]:
        quotas[k] += 1
    rng = np.random.default_rng(seed)
    picked = [rng.choice(m, q, replace=False) for m, q in zip(members, quotas, strict=True)]
    return np.sort(np.concatenate(picked)).astype(np.int64)


def place_rest(
    found: DiscoveryResult,
    sample: np.ndarray,
    vectors: np.ndarray,
    texts: Sequence[str],
    outlier_spread: float,
    max_unassigned: float,
    neighbours: int = PLACEMENT_NEIGHBOURS,
) -> DiscoveryResult:
    """The discovery over the whole window: `found` is the sample's (in the space of
    `vectors`, the whole window's, e.g. by `topics.second_space.in_space`); each other document
    takes the facet most of its `neighbours` nearest sampled members hold, unless it lies under
    that facet's floor (no more than `max_unassigned` of them left out); centroids, floors and
    quotes are then those of all members."""
    from sklearn.neighbors import NearestNeighbors

    unit = np.asarray(vectors, dtype=np.float32)
    unit = unit / np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    assignments = np.full(len(unit), -1, dtype=np.int64)
    assignments[sample] = found.assignments
    rest = np.setdiff1d(np.arange(len(unit)), sample)
    members = sample[found.assignments >= 0]
    if len(rest) and len(members):
        index = NearestNeighbors(n_neighbors=min(neighbours, len(members)), metric="cosine")
        nearest = index.fit(unit[members]).kneighbors(unit[rest], return_distance=False)
        votes = assignments[members][nearest]
        voted = np.array([np.bincount(row).argmax() for row in votes], dtype=np.int64)
        assignments[rest] = settle_outliers(
            unit[rest], voted, found.centroids, found.floors, max_unassigned
        )
    placed = DiscoveryResult(
        assignments=assignments,
        centroids=found.centroids,
        keyphrases=found.keyphrases,
        labels=found.labels,
        quotes=found.quotes,
        sizes=np.bincount(assignments[assignments >= 0], minlength=found.n_themes).tolist(),
        floors=found.floors,
    )
    return in_space(placed, unit, texts, outlier_spread)
