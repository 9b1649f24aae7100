"""Theme discovery: embeddings in, themes out (assignments, centroids, key phrases, labels, quotes).

The pipeline, each step swappable through `DiscoveryConfig`:
1. reduction (UMAP or PCA) and clustering (HDBSCAN, k-means or agglomerative) of the
   normalised embeddings;
2. refinement: rounds of spherical k-means over all documents, started from the clusters
   found, in a neighbourhood-smoothed copy of the embedding space (each vector averaged with
   its nearest neighbours, which pulls paraphrases of one request together), so that the
   noise points HDBSCAN left out shape the themes too;
3. merging of near-duplicate themes whose centroids are almost parallel;
4. outlier reduction: documents join their nearest theme unless they are far from every
   theme; at most `max_unassigned` of the documents stay unassigned ("nog onbekend");
5. representation: c-TF-IDF key phrases, a short label, three representative quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from topics.components import (
    AgglomerativeClusterer,
    Clusterer,
    HdbscanClusterer,
    IdentityReducer,
    KMeansClusterer,
    PcaReducer,
    Reducer,
    UmapReducer,
)
from topics.representation import (
    class_tfidf_keyphrases,
    label_from_keyphrases,
    representative_quotes,
)

UNASSIGNED = -1


@dataclass(frozen=True)
class DiscoveryConfig:
    """One default that is used for every data set; nothing here is tuned per data set."""

    reducer: str = "umap"  # umap | pca | none
    n_components: int = 5
    n_neighbors: int = 15
    clusterer: str = "hdbscan"  # hdbscan | kmeans | agglomerative
    # HDBSCAN's smallest theme; None scales it with the corpus (see `min_cluster_size_for`).
    min_cluster_size: int | None = None
    min_samples: int | None = 10
    n_clusters: int | None = None  # only for kmeans / agglomerative
    smoothing_neighbors: int = 20
    refine_rounds: int = 10
    merge_similarity: float = 0.95
    # Cosine similarity to the nearest centroid below which a document stays unassigned.
    min_similarity: float = 0.3
    max_unassigned: float = 0.15
    language: str = "nl"
    seed: int = 42


@dataclass
class DiscoveryResult:
    """Themes found in one fit; theme k is row k of `centroids` and entry k of each list."""

    assignments: np.ndarray  # int per document, -1 = unassigned
    centroids: np.ndarray  # (n_themes, dim), L2-normalised, embedding space
    keyphrases: list[list[str]]
    labels: list[str]
    quotes: list[list[int]]  # indices of representative documents per theme
    sizes: list[int] = field(default_factory=list)

    @property
    def n_themes(self) -> int:
        return len(self.centroids)


def min_cluster_size_for(n_documents: int) -> int:
    """Small enough to split most distinct requests apart (merging repairs over-splitting)."""
    return max(5, round(n_documents / 250))


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def smooth_by_neighbours(vectors: np.ndarray, n_neighbours: int) -> np.ndarray:
    """Each vector replaced by the normalised mean of itself and its nearest neighbours."""
    from sklearn.neighbors import NearestNeighbors

    k = min(n_neighbours, len(vectors))
    if k <= 1:
        return vectors
    index = NearestNeighbors(n_neighbors=k, metric="cosine").fit(vectors)
    _, neighbours = index.kneighbors(vectors)
    return _normalise(vectors[neighbours].mean(axis=1))


def _centroids(vectors: np.ndarray, labels: np.ndarray, n_themes: int) -> np.ndarray:
    sums = np.zeros((n_themes, vectors.shape[1]), dtype=np.float64)
    assigned = labels >= 0
    np.add.at(sums, labels[assigned], vectors[assigned])
    return _normalise(sums)


def _compact(labels: np.ndarray) -> np.ndarray:
    """Renumber themes 0..k-1 by decreasing size (ties by first occurrence), keeping -1."""
    kept = labels[labels >= 0]
    if kept.size == 0:
        return labels.copy()
    themes, first, counts = np.unique(kept, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    mapping = np.full(labels.max() + 1, UNASSIGNED, dtype=np.int64)
    mapping[themes[order]] = np.arange(len(themes))
    return np.where(labels >= 0, mapping[np.maximum(labels, 0)], UNASSIGNED)


def _refine(vectors: np.ndarray, labels: np.ndarray, rounds: int) -> np.ndarray:
    """Spherical k-means over every document, started from the current themes."""
    for _ in range(rounds):
        centroids = _centroids(vectors, labels, labels.max() + 1)
        updated = _compact(np.argmax(vectors @ centroids.T, axis=1))
        if np.array_equal(updated, labels):
            break
        labels = updated
    return labels


def _merge_similar(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Merge themes whose centroids have cosine similarity ≥ threshold (single linkage)."""
    n_themes = labels.max() + 1
    if n_themes < 2:
        return labels
    centroids = _centroids(vectors, labels, n_themes)
    similarity = centroids @ centroids.T
    parent = np.arange(n_themes)

    def root(theme: int) -> int:
        while parent[theme] != theme:
            theme = parent[theme]
        return theme

    for a, b in zip(*np.nonzero(np.triu(similarity >= threshold, k=1)), strict=True):
        parent[max(root(a), root(b))] = min(root(a), root(b))
    merged = np.array([root(theme) for theme in range(n_themes)])
    return _compact(np.where(labels >= 0, merged[np.maximum(labels, 0)], UNASSIGNED))


def assign_to_nearest(
    vectors: np.ndarray, centroids: np.ndarray, min_similarity: float, max_unassigned: float
) -> np.ndarray:
    """Nearest theme per document; the least similar stay -1, but never more than the cap."""
    if len(centroids) == 0:
        return np.full(len(vectors), UNASSIGNED, dtype=np.int64)
    similarity = vectors @ centroids.T
    nearest = np.argmax(similarity, axis=1)
    best = similarity[np.arange(len(vectors)), nearest]
    threshold = min_similarity
    if np.mean(best < threshold) > max_unassigned:
        threshold = float(np.quantile(best, max_unassigned))
    return np.where(best >= threshold, nearest, UNASSIGNED).astype(np.int64)


def settle_outliers(
    vectors: np.ndarray,
    labels: np.ndarray,
    centroids: np.ndarray,
    min_similarity: float,
    max_unassigned: float,
) -> np.ndarray:
    """Unclustered documents join their nearest theme; documents far from their theme become
    -1, but never more than `max_unassigned` of them (the least similar go first)."""
    if len(centroids) == 0:
        return np.full(len(vectors), UNASSIGNED, dtype=np.int64)
    nearest = np.argmax(vectors @ centroids.T, axis=1)
    chosen = np.where(labels >= 0, labels, nearest)
    similarity = np.einsum("ij,ij->i", vectors, centroids[chosen])
    threshold = min_similarity
    if np.mean(similarity < threshold) > max_unassigned:
        threshold = float(np.quantile(similarity, max_unassigned))
    return np.where(similarity >= threshold, chosen, UNASSIGNED).astype(np.int64)


class ThemeDiscovery:
    """Fit themes on a window of texts with their embeddings; assign new embeddings later."""

    def __init__(
        self,
        config: DiscoveryConfig | None = None,
        reducer: Reducer | None = None,
        clusterer: Clusterer | None = None,
    ) -> None:
        self.config = config or DiscoveryConfig()
        self._reducer = reducer
        self._clusterer = clusterer
        self.result: DiscoveryResult | None = None

    def _make_reducer(self) -> Reducer:
        config = self.config
        if self._reducer is not None:
            return self._reducer
        if config.reducer == "umap":
            return UmapReducer(config.n_components, config.n_neighbors, config.seed)
        if config.reducer == "pca":
            return PcaReducer(config.n_components, config.seed)
        if config.reducer == "none":
            return IdentityReducer()
        raise ValueError(f"unknown reducer {config.reducer!r}")

    def _make_clusterer(self, n_documents: int) -> Clusterer:
        config = self.config
        if self._clusterer is not None:
            return self._clusterer
        if config.clusterer == "hdbscan":
            size = config.min_cluster_size or min_cluster_size_for(n_documents)
            return HdbscanClusterer(size, min(config.min_samples or size, size))
        if config.n_clusters is None:
            raise ValueError(f"clusterer {config.clusterer!r} needs n_clusters")
        if config.clusterer == "kmeans":
            return KMeansClusterer(config.n_clusters, config.seed)
        if config.clusterer == "agglomerative":
            return AgglomerativeClusterer(config.n_clusters)
        raise ValueError(f"unknown clusterer {config.clusterer!r}")

    def cluster(self, embeddings: np.ndarray) -> np.ndarray:
        """Theme per document (steps 1–3), before outlier handling and representation."""
        config = self.config
        vectors = _normalise(embeddings)
        points = self._make_reducer().fit_transform(vectors)
        labels = _compact(self._make_clusterer(len(vectors)).fit_predict(points))
        if labels.max() < 0:
            return labels
        geometry = smooth_by_neighbours(vectors, config.smoothing_neighbors)
        labels = _refine(geometry, labels, config.refine_rounds)
        return _merge_similar(geometry, labels, config.merge_similarity)

    def fit(self, texts: Sequence[str], embeddings: np.ndarray) -> DiscoveryResult:
        if len(texts) != len(embeddings):
            raise ValueError(f"{len(texts)} texts but {len(embeddings)} embeddings")
        config = self.config
        vectors = _normalise(embeddings)
        labels = self.cluster(vectors)
        centroids = _centroids(vectors, labels, int(labels.max()) + 1)
        assignments = _compact(
            settle_outliers(
                vectors, labels, centroids, config.min_similarity, config.max_unassigned
            )
        )
        n_themes = int(assignments.max()) + 1
        centroids = _centroids(vectors, assignments, n_themes)
        keyphrases = class_tfidf_keyphrases(texts, assignments, n_themes, config.language)
        self.result = DiscoveryResult(
            assignments=assignments,
            centroids=centroids,
            keyphrases=keyphrases,
            labels=[label_from_keyphrases(phrases) for phrases in keyphrases],
            quotes=representative_quotes(vectors, assignments, centroids, texts),
            sizes=np.bincount(assignments[assignments >= 0], minlength=n_themes).tolist(),
        )
        return self.result

    def transform(self, embeddings: np.ndarray) -> np.ndarray:
        """Nearest fitted theme per new embedding, -1 where none is similar enough."""
        if self.result is None:
            raise RuntimeError("fit() before transform()")
        return assign_to_nearest(
            _normalise(embeddings), self.result.centroids, self.config.min_similarity, 1.0
        )
