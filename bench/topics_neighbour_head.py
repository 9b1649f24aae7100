"""Exploration, not in the default pipeline: does a neighbour-contrastive projection head,
trained without labels on frozen embeddings, make BANKING77 easier to cluster?

Each document's positive is one of its 10 nearest neighbours (CLNN-style, on frozen MiniLM
vectors of test + train); the yardstick is k-means with the true k on the scored test part.

    .venv/bin/python bench/topics_neighbour_head.py
"""

import time

import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.neighbors import NearestNeighbors

from pipeline.settings import Settings
from topics import discovery as steps
from topics.datasets import load_dataset
from topics.embeddings import embed_texts
from topics.metrics import score_clustering

SETTINGS = Settings.load()


def main() -> None:
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    dataset = load_dataset("banking77")
    vectors = steps._normalise(
        embed_texts(
            dataset.texts + dataset.extra_texts,
            "minilm",
            models_dir=SETTINGS.models_dir,
            cache_root=SETTINGS.embedding_cache_dir,
        )
    )
    n_scored = len(dataset.texts)

    def report(name: str, points: np.ndarray) -> None:
        labels = KMeans(77, n_init=3, random_state=0).fit_predict(points)
        s = score_clustering(dataset.labels, labels[:n_scored])
        print(f"{name:45s} NMI={s.nmi:.3f} ARI={s.ari:.3f} ACC={s.acc:.3f}", flush=True)

    report("frozen MiniLM, k-means true k", vectors)
    _, neighbours = (
        NearestNeighbors(n_neighbors=11, metric="cosine").fit(vectors).kneighbors(vectors)
    )
    neighbours = neighbours[:, 1:]
    inputs = torch.tensor(vectors)
    for temperature in (0.05, 0.1):
        head = torch.nn.Sequential(
            torch.nn.Linear(384, 384), torch.nn.ReLU(), torch.nn.Linear(384, 128)
        )
        optimiser = torch.optim.Adam(head.parameters(), lr=1e-3)
        started = time.perf_counter()
        for _ in range(15):
            order = torch.randperm(len(inputs))
            for start in range(0, len(inputs), 512):
                batch = order[start : start + 512]
                pick = rng.integers(0, 10, len(batch))
                positives = torch.tensor(neighbours[batch.numpy(), pick])
                a = torch.nn.functional.normalize(head(inputs[batch]), dim=1)
                b = torch.nn.functional.normalize(head(inputs[positives]), dim=1)
                loss = torch.nn.functional.cross_entropy(
                    a @ b.T / temperature, torch.arange(len(batch))
                )
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
        with torch.no_grad():
            projected = torch.nn.functional.normalize(head(inputs), dim=1).numpy()
        seconds = time.perf_counter() - started
        report(f"+ head, temperature {temperature} ({seconds:.0f}s)", projected)


if __name__ == "__main__":
    main()
