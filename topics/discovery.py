"""Theme discovery: embeddings in, themes out (assignments, centroids, key phrases, labels, quotes).

The pipeline, each step swappable through `DiscoveryConfig`:
1. reduction (UMAP or PCA) and clustering (HDBSCAN, k-means or agglomerative) of the
   normalised embeddings;
2. merging of over-split themes by their nearest-neighbour links: two themes merge when a
   large share of one theme's documents have their nearest neighbours in the other. The
   rule counts neighbours, never compares cosines, so it means the same for every encoder
   (e5 vectors sit in a narrow cone, MiniLM's do not);
3. the documents the clusterer left out join the nearest theme centroid in a
   neighbourhood-smoothed copy of the embedding space (each vector averaged with its
   nearest neighbours, which pulls paraphrases of one request together); the clustered
   documents keep their theme;
4. outlier reduction: documents far from their theme become unassigned again, but at most
   `max_unassigned` of them ("nog onbekend");
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
    representative_quotes,
    theme_labels,
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
    # Nearest neighbours per document, for smoothing (step 3).
    neighbours: int = 20
    # Nearest neighbours per document for merging (step 2), never more than the smallest theme
    # is large (so a window of 5,000 counts 20); None: always as many as that. 40 by measurement
    # (docs/models.md, issue 21): 20 left Gemma's BANKING77 facets over-split, None (52 there,
    # 90 on CLINC150) merged distinct CLINC150 intents.
    merge_neighbours: int | None = 40
    # Two themes merge when at least this share of one theme's neighbour links go to the other.
    merge_link_share: float = 0.1
    # How far below its theme's typical similarity a document must lie to stay unassigned, in
    # robust standard deviations of that theme (see `outlier_floors`).
    outlier_spread: float = 4.0
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
    # Per theme: the cosine to its centroid below which a document is unassigned.
    floors: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    @property
    def n_themes(self) -> int:
        return len(self.centroids)


def min_cluster_size_for(n_documents: int) -> int:
    """Small enough to split most distinct requests apart (merging repairs over-splitting)."""
    return max(5, round(n_documents / 250))


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def nearest_neighbours(vectors: np.ndarray, n_neighbours: int) -> np.ndarray:
    """Indices of each vector's nearest neighbours by cosine, itself first."""
    from sklearn.neighbors import NearestNeighbors

    k = max(1, min(n_neighbours, len(vectors)))
    index = NearestNeighbors(n_neighbors=k, metric="cosine").fit(vectors)
    return index.kneighbors(vectors, return_distance=False)


def smooth_by_neighbours(vectors: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """Each vector replaced by the normalised mean of itself and its nearest neighbours."""
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


def neighbour_link_shares(neighbours: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """shares[a, b]: of the links from theme a's documents to their nearest neighbours in a
    theme, the share that lands in theme b (-1 and the document itself excluded).

    A document of a theme with n documents counts only its n - 1 nearest neighbours: more
    would have to leave the theme however tight it is, which would merge small themes.
    """
    n_themes = labels.max() + 1
    sizes = np.bincount(labels[labels >= 0], minlength=n_themes)
    others = neighbours[:, 1:]
    counted = np.arange(others.shape[1])[None, :] < (sizes[np.maximum(labels, 0)] - 1)[:, None]
    source = np.broadcast_to(labels[:, None], others.shape)[counted]
    target = labels[others[counted]]
    linked = (source >= 0) & (target >= 0)
    counts = np.zeros((n_themes, n_themes))
    np.add.at(counts, (source[linked], target[linked]), 1)
    return counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)


def merge_linked(neighbours: np.ndarray, labels: np.ndarray, min_share: float) -> np.ndarray:
    """Merge, one pair at a time, the two themes most tied by neighbour links until no theme
    sends `min_share` of its links to another.

    A clusterer that splits one request into several dense pieces leaves many neighbour links
    between the pieces; distinct requests, however close, link mostly within themselves.
    Shares count neighbours instead of comparing cosines, so the rule needs no threshold in
    the encoder's similarity scale, and the share of the *smaller-linked* side counts, so a
    small splinter merges into its parent.
    """
    labels = labels.copy()
    while labels.max() > 0:
        shares = neighbour_link_shares(neighbours, labels)
        tie = np.maximum(shares, shares.T)
        np.fill_diagonal(tie, 0.0)
        a, b = np.unravel_index(np.argmax(tie), tie.shape)
        if tie[a, b] < min_share:
            break
        labels = _compact(np.where(labels == max(a, b), min(a, b), labels))
    return labels


def assign_to_nearest(
    vectors: np.ndarray,
    centroids: np.ndarray,
    min_similarity: float | np.ndarray,
    max_unassigned: float,
) -> np.ndarray:
    """Nearest theme per document; those under the (per-theme) floor stay -1, but never more
    than the cap (the least similar go first)."""
    if len(centroids) == 0:
        return np.full(len(vectors), UNASSIGNED, dtype=np.int64)
    similarity = vectors @ centroids.T
    nearest = np.argmax(similarity, axis=1)
    margin = (
        similarity[np.arange(len(vectors)), nearest]
        - np.broadcast_to(np.asarray(min_similarity, dtype=np.float32), (len(centroids),))[nearest]
    )
    threshold = 0.0
    if np.mean(margin < threshold) > max_unassigned:
        threshold = float(np.quantile(margin, max_unassigned))
    return np.where(margin >= threshold, nearest, UNASSIGNED).astype(np.int64)


def outlier_floors(
    vectors: np.ndarray, labels: np.ndarray, centroids: np.ndarray, spread: float
) -> np.ndarray:
    """Per theme: the median cosine of its documents to the centroid minus `spread` robust
    standard deviations (1.4826 · MAD).

    Relative to each theme's own spread, so the rule follows the encoder's similarity scale;
    an absolute floor (cosine 0.3) left 14 % of the simulator's contacts unassigned with
    centred e5 vectors and none with MiniLM's.
    """
    if len(centroids) == 0:
        return np.zeros(0, dtype=np.float32)
    similarity = np.einsum("ij,ij->i", vectors, centroids[np.maximum(labels, 0)])
    floors = np.full(len(centroids), -1.0, dtype=np.float32)
    for theme in range(len(centroids)):
        members = similarity[labels == theme]
        if len(members):
            median = np.median(members)
            floors[theme] = median - spread * 1.4826 * np.median(np.abs(members - median))
    return floors


def settle_outliers(
    vectors: np.ndarray,
    labels: np.ndarray,
    centroids: np.ndarray,
    floors: np.ndarray,
    max_unassigned: float,
) -> np.ndarray:
    """Documents under their theme's floor become -1, but never more than `max_unassigned` of
    them (the furthest below their floor go first)."""
    if len(centroids) == 0:
        return np.full(len(vectors), UNASSIGNED, dtype=np.int64)
    similarity = np.einsum("ij,ij->i", vectors, centroids[np.maximum(labels, 0)])
    margin = np.where(labels >= 0, similarity - floors[np.maximum(labels, 0)], -np.inf)
    threshold = 0.0
    if np.mean(margin < threshold) > max_unassigned:
        threshold = float(np.quantile(margin, max_unassigned))
    return np.where(margin >= threshold, labels, UNASSIGNED).astype(np.int64)


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
        # Links reach no further than the smallest theme is large: beyond that, even a tight
        # theme must send links elsewhere (on a 200-question slice, 20 links merged 10 intents
        # into 5).
        smallest = config.min_cluster_size or min_cluster_size_for(len(vectors))
        links = min(config.merge_neighbours or smallest, smallest)
        neighbours = nearest_neighbours(vectors, max(links, config.neighbours))
        labels = merge_linked(neighbours[:, :links], labels, config.merge_link_share)
        # Only the left-out documents move: re-drawing every border by k-means lost 0.03–0.06
        # NMI on the simulator, where one theme's contacts are several distinct situations.
        geometry = smooth_by_neighbours(vectors, neighbours[:, : config.neighbours])
        centroids = _centroids(geometry, labels, labels.max() + 1)
        nearest = np.argmax(geometry @ centroids.T, axis=1)
        return np.where(labels >= 0, labels, nearest)

    def fit(self, texts: Sequence[str], embeddings: np.ndarray) -> DiscoveryResult:
        if len(texts) != len(embeddings):
            raise ValueError(f"{len(texts)} texts but {len(embeddings)} embeddings")
        config = self.config
        vectors = _normalise(embeddings)
        labels = self.cluster(vectors)
        centroids = _centroids(vectors, labels, int(labels.max()) + 1)
        floors = outlier_floors(vectors, labels, centroids, config.outlier_spread)
        settled = settle_outliers(vectors, labels, centroids, floors, config.max_unassigned)
        assignments = _compact(settled)  # renumbered by size; a theme may have lost everything
        n_themes = int(assignments.max()) + 1
        centroids = _centroids(vectors, assignments, n_themes)
        assigned = assignments >= 0
        theme_floors = np.empty(n_themes, dtype=np.float32)
        theme_floors[assignments[assigned]] = floors[settled[assigned]]
        keyphrases = class_tfidf_keyphrases(texts, assignments, n_themes, config.language)
        self.result = DiscoveryResult(
            assignments=assignments,
            centroids=centroids,
            keyphrases=keyphrases,
            labels=theme_labels(texts, assignments, n_themes, config.language),
            quotes=representative_quotes(vectors, assignments, centroids, texts),
            sizes=np.bincount(assignments[assignments >= 0], minlength=n_themes).tolist(),
            floors=theme_floors,
        )
        return self.result

    def transform(self, embeddings: np.ndarray) -> np.ndarray:
        """Nearest fitted theme per new embedding, -1 where none is similar enough."""
        if self.result is None:
            raise RuntimeError("fit() before transform()")
        return assign_to_nearest(
            _normalise(embeddings), self.result.centroids, self.result.floors, 1.0
        )
