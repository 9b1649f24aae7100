"""Refit in EmbeddingGemma's space, stream in e5-small's: agreement and quality.

    PYTHONPATH=. .venv/bin/python bench/gemma_second_space.py banking77

Discovers themes on a labelled set's Gemma vectors (ONNX int8, default discovery), builds
each theme's centroid and floor in e5-small's space from its members
(`models.theme_spaces`), assigns every text by nearest e5 centroid, and prints how often
that gives back the refit's own label and how the e5-space labels score against the gold
ones. In-sample: the centroids come from the same texts they assign. Uses (and fills) the
embedding cache; needs EmbeddingGemma provisioned.
"""

from __future__ import annotations

import argparse

from models.theme_spaces import assign_nearest, assignment_agreement, centroids_from_members
from topics.datasets import load_dataset
from topics.discovery import DiscoveryConfig
from topics.embeddings import embed_texts
from topics.evaluate import evaluate_discovery
from topics.metrics import score_clustering


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset")
    args = parser.parse_args()
    data = load_dataset(args.dataset, use_extra=False)
    texts = data.to_embed()
    gemma = embed_texts(texts, "embeddinggemma-300m", "onnx", "int8")
    e5 = embed_texts(texts, "multilingual-e5-small", "onnx", "int8")
    refit = evaluate_discovery(
        data, gemma, "embeddinggemma-300m", DiscoveryConfig(language=data.language)
    )
    labels = refit.result.assignments
    space = centroids_from_members(labels, e5, refit.result.n_themes)
    stream = assign_nearest(e5, space)
    print("refit in Gemma's space:", refit.as_dict())
    print(f"e5-space assignment agrees with the refit: {assignment_agreement(labels, stream):.4f}")
    print("e5-space labels vs gold:", score_clustering(data.labels, stream[: len(data.texts)]))


if __name__ == "__main__":
    main()
