"""Step-by-step ablation of theme discovery on a labelled set (default: BANKING77, MiniLM).

Fits on the labelled texts plus the set's unlabelled extra texts, centred as the refit does,
scores the labelled part, and computes UMAP once so every step is compared on the same
reduced space. Each row adds one step of `ThemeDiscovery.fit`.

    .venv/bin/python bench/topics_ablation.py [DATASET] [MODEL]
"""

import sys
import time

import numpy as np

from pipeline.settings import Settings
from topics import discovery as steps
from topics.components import HdbscanClusterer, KMeansClusterer, UmapReducer
from topics.datasets import load_dataset
from topics.embeddings import embed_texts
from topics.metrics import score_clustering
from topics.model import centred

SETTINGS = Settings.load()


def main(dataset_name: str = "banking77", model: str = "minilm") -> None:
    dataset = load_dataset(dataset_name)
    embeddings = embed_texts(
        dataset.to_embed(),
        model,
        models_dir=SETTINGS.models_dir,
        cache_root=SETTINGS.embedding_cache_dir,
    )
    vectors = centred(embeddings, embeddings.mean(axis=0))
    n_scored = len(dataset.texts)
    config = steps.DiscoveryConfig()

    def report(step: str, labels: np.ndarray) -> None:
        s = score_clustering(dataset.labels, labels[:n_scored])
        print(
            f"| {step} | {s.nmi:.3f} | {s.ari:.3f} | {s.acc:.3f} | {s.coverage:.3f} | {s.n_themes} |"
        )

    print("| step | NMI | ARI | ACC | coverage | themes |\n|---|---|---|---|---|---|")
    n_true = len(set(dataset.labels))
    report(
        f"reference only: k-means with the TRUE k={n_true}",
        KMeansClusterer(n_true).fit_predict(vectors),
    )
    started = time.perf_counter()
    points = UmapReducer(config.n_components, config.n_neighbors, config.seed).fit_transform(
        vectors
    )
    size = steps.min_cluster_size_for(len(vectors))
    labels = steps._compact(HdbscanClusterer(size, config.min_samples).fit_predict(points))
    report(f"UMAP + HDBSCAN (min_cluster_size={size}), noise left out", labels)
    links = min(config.merge_neighbours or size, size)
    neighbours = steps.nearest_neighbours(vectors, max(links, config.neighbours))
    labels = steps.merge_linked(neighbours[:, :links], labels, config.merge_link_share)
    neighbours = neighbours[:, : config.neighbours]
    report(f"+ merge themes sharing >= {config.merge_link_share} of neighbour links", labels)
    geometry = steps.smooth_by_neighbours(vectors, neighbours)
    centroids = steps._centroids(geometry, labels, labels.max() + 1)
    labels = np.where(labels >= 0, labels, np.argmax(geometry @ centroids.T, axis=1))
    report(f"+ noise to nearest centroid, {config.neighbours}-NN-smoothed space", labels)
    centroids = steps._centroids(vectors, labels, labels.max() + 1)
    floors = steps.outlier_floors(vectors, labels, centroids, config.outlier_spread)
    report(
        f"+ outliers (> {config.outlier_spread} robust SD below theme median) unassigned",
        steps.settle_outliers(vectors, labels, centroids, floors, config.max_unassigned),
    )
    print(f"\n({time.perf_counter() - started:.0f}s after embeddings)")


if __name__ == "__main__":
    main(*sys.argv[1:])
