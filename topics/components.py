"""Swappable discovery components behind a small fit/transform API, in BERTopic's spirit.

A reducer maps (normalised) embeddings to a low-dimensional space where density is easier to
see; a clusterer labels points in that space (-1 = noise). Every component takes a seed, so a
discovery run is reproducible.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Reducer(Protocol):
    def fit_transform(self, vectors: np.ndarray) -> np.ndarray: ...


class Clusterer(Protocol):
    def fit_predict(self, points: np.ndarray) -> np.ndarray: ...


class UmapReducer:
    """UMAP on cosine distance; `min_dist=0` packs clusters tightly, which suits HDBSCAN."""

    def __init__(self, n_components: int = 5, n_neighbors: int = 15, seed: int = 42) -> None:
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.seed = seed

    def fit_transform(self, vectors: np.ndarray) -> np.ndarray:
        import umap

        n_neighbors = max(2, min(self.n_neighbors, len(vectors) - 1))
        model = umap.UMAP(
            n_neighbors=n_neighbors,
            n_components=min(self.n_components, len(vectors) - 2),
            metric="cosine",
            min_dist=0.0,
            random_state=self.seed,
            init="spectral" if len(vectors) > self.n_components + 2 else "random",
        )
        return np.asarray(model.fit_transform(vectors), dtype=np.float32)


class PcaReducer:
    """Linear and fast: the choice when UMAP's cost or non-determinism across machines matters."""

    def __init__(self, n_components: int = 50, seed: int = 42) -> None:
        self.n_components = n_components
        self.seed = seed

    def fit_transform(self, vectors: np.ndarray) -> np.ndarray:
        from sklearn.decomposition import PCA

        n_components = min(self.n_components, vectors.shape[0], vectors.shape[1])
        return PCA(n_components=n_components, random_state=self.seed).fit_transform(vectors)


class IdentityReducer:
    """No reduction: cluster the embeddings themselves."""

    def fit_transform(self, vectors: np.ndarray) -> np.ndarray:
        return vectors


class HdbscanClusterer:
    """Density-based: finds the number of clusters itself and marks sparse points as noise."""

    def __init__(self, min_cluster_size: int = 15, min_samples: int | None = None) -> None:
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples

    def fit_predict(self, points: np.ndarray) -> np.ndarray:
        import hdbscan

        model = hdbscan.HDBSCAN(
            min_cluster_size=max(2, self.min_cluster_size),
            min_samples=self.min_samples,
            cluster_selection_method="eom",
        )
        return np.asarray(model.fit_predict(points), dtype=np.int64)


class KMeansClusterer:
    """k-means with a given number of clusters; every point is assigned."""

    def __init__(self, n_clusters: int, seed: int = 42) -> None:
        self.n_clusters = n_clusters
        self.seed = seed

    def fit_predict(self, points: np.ndarray) -> np.ndarray:
        from sklearn.cluster import KMeans

        model = KMeans(
            n_clusters=min(self.n_clusters, len(points)), n_init=5, random_state=self.seed
        )
        return np.asarray(model.fit_predict(points), dtype=np.int64)


class AgglomerativeClusterer:
    """Ward agglomerative clustering with a given number of clusters."""

    def __init__(self, n_clusters: int) -> None:
        self.n_clusters = n_clusters

    def fit_predict(self, points: np.ndarray) -> np.ndarray:
        from sklearn.cluster import AgglomerativeClustering

        model = AgglomerativeClustering(n_clusters=min(self.n_clusters, len(points)))
        return np.asarray(model.fit_predict(points), dtype=np.int64)
