"""Exploration, not in the default pipeline: CLNN-style neighbour-contrastive fine-tuning of
the encoder itself on the unlabelled window, then the default discovery on the new vectors.

Pairs are mined without labels: each text with one of its 10 nearest neighbours among the
frozen, centred embeddings. One epoch of in-batch-negatives contrastive loss
(MultipleNegativesRankingLoss, written out so that it runs on CPU without a trainer), then
every text is re-embedded and scored as `ledenradar evaluate themes` scores it.

    .venv/bin/python bench/topics_clnn_finetune.py [DATASET] [EPOCHS]
"""

import sys
import time

import numpy as np
import torch
from sentence_transformers import SentenceTransformer

from models.registry import MINILM, known_model_dir
from pipeline.settings import Settings
from topics import discovery as steps
from topics.datasets import load_dataset
from topics.discovery import DiscoveryConfig, ThemeDiscovery
from topics.embeddings import embed_texts
from topics.metrics import score_clustering
from topics.model import centred

SETTINGS = Settings.load()

BATCH = 64
NEIGHBOURS = 10


def mine_pairs(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each document, one of its nearest neighbours (never itself) as its positive."""
    neighbours = steps.nearest_neighbours(vectors, NEIGHBOURS + 1)[:, 1:]
    return neighbours[np.arange(len(vectors)), rng.integers(0, NEIGHBOURS, len(vectors))]


def main(dataset_name: str = "banking77", epochs: str = "1") -> None:
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    dataset = load_dataset(dataset_name)
    texts = dataset.to_embed()
    frozen = embed_texts(
        texts, "minilm", models_dir=SETTINGS.models_dir, cache_root=SETTINGS.embedding_cache_dir
    )
    model = SentenceTransformer(str(known_model_dir(MINILM, SETTINGS.models_dir)), device="cpu")
    optimiser = torch.optim.AdamW(model.parameters(), lr=5e-5)
    started = time.perf_counter()
    model.train()
    for _ in range(int(epochs)):
        positives = mine_pairs(centred(frozen, frozen.mean(axis=0)), rng)
        order = rng.permutation(len(texts))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            anchors = _embed(model, [texts[i] for i in batch])
            others = _embed(model, [texts[i] for i in positives[batch]])
            scores = 20.0 * anchors @ others.T
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()
    tuned = model.encode(texts, batch_size=128, normalize_embeddings=True)
    print(f"fine-tuned and re-embedded in {time.perf_counter() - started:.0f}s", flush=True)
    # The frozen encoder's score is `ledenradar evaluate themes --dataset D --model minilm`.
    result = ThemeDiscovery(DiscoveryConfig(language=dataset.language)).fit(
        dataset.texts + dataset.extra_texts, centred(tuned, tuned.mean(axis=0))
    )
    s = score_clustering(dataset.labels, result.assignments[: len(dataset.labels)])
    print(
        f"fine-tuned MiniLM: NMI {s.nmi:.3f} ARI {s.ari:.3f} ACC {s.acc:.3f} "
        f"coverage {s.coverage:.3f} themes {s.n_themes}",
        flush=True,
    )


def _embed(model: SentenceTransformer, texts: list[str]) -> torch.Tensor:
    features = model.tokenize(texts)
    return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=1)


if __name__ == "__main__":
    main(*sys.argv[1:])
