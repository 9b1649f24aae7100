"""Step-by-step ablation of theme discovery on a labelled set (default: BANKING77, MiniLM).

Fits on the labelled texts plus the set's unlabelled extra texts, scores the labelled part,
and computes UMAP once so every step is compared on the same reduced space.

    .venv/bin/python bench/topics_ablation.py [DATASET] [MODEL]
"""

import sys
import time

import numpy as np

from topics import discovery as steps
from topics.components import HdbscanClusterer, KMeansClusterer, UmapReducer
from topics.datasets import load_dataset
from topics.embeddings import embed_texts
from topics.metrics import score_clustering


def main(dataset_name: str = "banking77", model: str = "minilm") -> None:
    dataset = load_dataset(dataset_name)
    vectors = steps._normalise(embed_texts(dataset.texts + dataset.extra_texts, model))
    n_scored = len(dataset.texts)
    config = steps.DiscoveryConfig()

    def report(step: str, labels: np.ndarray) -> None:
        s = score_clustering(dataset.labels, labels[:n_scored])
        print(
            f"| {step} | {s.nmi:.3f} | {s.ari:.3f} | {s.acc:.3f} | {s.coverage:.2f} | {s.n_themes} |"
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
    hdbscan_labels = steps._compact(HdbscanClusterer(size, config.min_samples).fit_predict(points))
    report(f"UMAP + HDBSCAN (min_cluster_size={size}), noise left out", hdbscan_labels)
    centroids = steps._centroids(vectors, hdbscan_labels, hdbscan_labels.max() + 1)
    report(
        "+ noise to nearest centroid (BERTopic-style outlier reduction)",
        np.argmax(vectors @ centroids.T, axis=1),
    )
    report(
        "+ spherical k-means refinement on raw embeddings",
        steps._refine(vectors, hdbscan_labels, config.refine_rounds),
    )
    smoothed = steps.smooth_by_neighbours(vectors, config.smoothing_neighbors)
    refined = steps._refine(smoothed, hdbscan_labels, config.refine_rounds)
    report(f"+ refinement on {config.smoothing_neighbors}-NN-smoothed embeddings", refined)
    report(
        f"+ merge centroids with cosine >= {config.merge_similarity} (= default pipeline)",
        steps._merge_similar(smoothed, refined, config.merge_similarity),
    )
    print(f"\n({time.perf_counter() - started:.0f}s after embeddings)")


if __name__ == "__main__":
    main(*sys.argv[1:])
