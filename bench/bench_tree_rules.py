"""The tree's two grouping rules on the same facets: words alone, and words with centroids.

    PYTHONPATH=. .venv/bin/python bench/bench_tree_rules.py [sim:baseline sim:new-theme ...]

For each labelled set: embeds (cached) with the stream's encoder (e5, onnx int8), runs
discovery once, then groups those facets by each rule and scores the themes against the
labels (homogeneity, completeness, NMI, ARI, number of themes). The rules differ only in
`topics.tree.blended_standing` (centroids or not); docs/themes.md has the table.
"""

from __future__ import annotations

import sys

import numpy as np
from sklearn.metrics import (
    adjusted_rand_score,
    homogeneity_completeness_v_measure,
    normalized_mutual_info_score,
)

from models.ensemble import block_count
from pipeline.settings import Settings
from topics.datasets import load_dataset
from topics.discovery import DiscoveryConfig, ThemeDiscovery
from topics.embeddings import embed_texts
from topics.model import centred
from topics.tree import build_tree

MODEL, BACKEND, VARIANT = "e5", "onnx", "int8"


def compare(name: str) -> list[tuple[str, dict[str, float]]]:
    settings = Settings.load()
    dataset = load_dataset(name)
    texts = dataset.texts + dataset.extra_texts
    embeddings = embed_texts(
        dataset.to_embed(),
        MODEL,
        BACKEND,
        VARIANT,
        models_dir=settings.models_dir,
        cache_root=settings.embedding_cache_dir,
    )
    vectors = centred(embeddings, embeddings.mean(axis=0), block_count(MODEL))
    config = DiscoveryConfig(language=dataset.language, seed=42)
    facets = ThemeDiscovery(config).fit(texts, vectors)
    labels, scored = np.asarray(dataset.labels), len(dataset.texts)
    rows = []
    for rule, with_vectors in (("facets", None), ("words", False), ("words + centroids", True)):
        if with_vectors is None:
            found = facets.assignments
        else:
            tree = build_tree(
                texts,
                facets.assignments,
                facets.n_themes,
                dataset.language,
                vectors if with_vectors else None,
            )
            found = tree.themes_of(facets.assignments)
        found = found[:scored]
        h, c, _ = homogeneity_completeness_v_measure(labels, found)
        rows.append(
            (
                rule,
                {
                    "homogeneity": h,
                    "completeness": c,
                    "nmi": normalized_mutual_info_score(labels, found),
                    "ari": adjusted_rand_score(labels, found),
                    "themes": len(set(found.tolist()) - {-1}),
                },
            )
        )
    return rows


def main(names: list[str]) -> None:
    print("| set | rule | homogeneity | completeness | NMI | ARI | themes |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        for rule, s in compare(name):
            print(
                f"| {name} | {rule} | {s['homogeneity']:.3f} | {s['completeness']:.3f} "
                f"| {s['nmi']:.3f} | {s['ari']:.3f} | {s['themes']} |"
            )


if __name__ == "__main__":
    main(sys.argv[1:] or ["sim:baseline", "sim:new-theme", "sim:surge-limburg"])
