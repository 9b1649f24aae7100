"""Refit in one encoder's space, stream in e5-small's: agreement and quality.

    PYTHONPATH=. nice -n 10 .venv/bin/python bench/gemma_second_space.py sim:baseline \
        [--discovery embeddinggemma-300m] [--use-extra]

Discovers facets on a labelled set with the discovery encoder (ONNX int8, default
discovery, centred vectors, as the refit does), re-expresses them in e5-small's centred
space from their members (`topics.second_space.in_space`), then assigns every text as the
stream does (`ThemeAssigner.from_fit`: nearest facet centroid, one floor letting 90 % of
the fit's themed contacts pass). Prints how often that gives back the refit's own facet,
and how the refit's and the stream's labels score against the gold ones. With
`--discovery multilingual-e5-small` both spaces are e5's: today's roles, the baseline.
In-sample: the centroids come from the texts they assign. Uses (and fills) the embedding
cache under `LEDENRADAR_DATA_DIR`.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

STREAM_ENCODER = "multilingual-e5-small"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset")
    parser.add_argument("--discovery", default="embeddinggemma-300m")
    parser.add_argument("--use-extra", action="store_true")
    args = parser.parse_args()

    from pipeline.settings import Settings
    from topics.assign import ThemeAssigner
    from topics.datasets import load_dataset
    from topics.discovery import DiscoveryConfig
    from topics.embeddings import embed_texts
    from topics.evaluate import evaluate_discovery
    from topics.metrics import score_clustering
    from topics.model import centred
    from topics.second_space import in_space

    settings = Settings.load()
    data = load_dataset(args.dataset, use_extra=args.use_extra)
    texts = data.to_embed()
    dirs = {"models_dir": settings.models_dir, "cache_root": settings.embedding_cache_dir}
    strong = embed_texts(texts, args.discovery, "onnx", "int8", **dirs)
    fast = embed_texts(texts, STREAM_ENCODER, "onnx", "int8", **dirs)
    config = DiscoveryConfig(language=data.language)
    refit = evaluate_discovery(data, strong, args.discovery, config)
    facets = refit.result
    stream_space = centred(fast, fast.mean(axis=0), 1)
    moved = in_space(facets, stream_space, data.texts + data.extra_texts, config.outlier_spread)
    ids = [str(k) for k in range(moved.n_themes)]
    assigner = ThemeAssigner.from_fit(stream_space, moved.assignments, moved.centroids, ids)
    stream = np.array(
        [-1 if a.theme_id is None else int(a.theme_id) for a in assigner.assign(stream_space)]
    )
    themed = facets.assignments >= 0
    labelled = len(data.texts)
    report = {
        "dataset": args.dataset,
        "discovery": args.discovery,
        "refit": {k: v for k, v in refit.as_dict().items() if not isinstance(v, (list, dict))},
        "stream_agrees_with_refit": float((stream[themed] == facets.assignments[themed]).mean()),
        "stream_unassigned": float((stream < 0).mean()),
        "stream_vs_gold": score_clustering(data.labels, stream[:labelled]).as_dict(),
    }
    print(json.dumps(report, default=float))


if __name__ == "__main__":
    main()
