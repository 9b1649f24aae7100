"""Theme names compared: the project's `topics.subject_names` against BERTopic's own
representation models (`topics.bertopic_names`: c-TF-IDF alone, KeyBERTInspired,
MaximalMarginalRelevance, both chained), on the same themes.

For each set discovery runs once (cached by `bench/label_quality.py` under
`data/bench/label_quality/`), `topics.tree.build_tree` groups its clusters into themes as
`ledenradar evaluate themes` does, and every method names those same themes, and also
discovery's clusters taken as themes (level "clusters"). A name counts when a word of it
matches the theme's majority true label (`topics.naming_check`: the simulator theme's
name and subject lines; for a public set a word of the intent's name, stems allowed);
the shares are those of `evaluate themes --json` (`topics.evaluate.named_share_of`).

    PYTHONPATH=. .venv/bin/python bench/bench_names.py [--misses] [--method=M ...] [SET ...]

SET is `SCENARIO:DAYS` (the simulator, the stream's encoder) or `public:banking77` /
`public:clinc150` (`evaluate themes`' defaults: MiniLM, the train split as extra texts).
Default: the four scenarios of `bench/label_quality.py` and both public sets.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bench.label_quality import (
    BACKEND,
    DEFAULT_SCENARIOS,
    MODEL,
    PUBLIC_MODEL,
    VARIANT,
    discovered,
    public_discovered,
    stream_embeddings,
)
from pipeline.settings import Settings
from topics.bertopic_names import REPRESENTATIONS, bertopic_labels
from topics.cli import phrase_encoder
from topics.datasets import LabelledSet
from topics.evaluate import found_themes, named_share_of
from topics.model import centred
from topics.subject_names import naming_texts, subject_labels, theme_centroids
from topics.tree import build_tree

DEFAULT_SETS = [*DEFAULT_SCENARIOS, "public:banking77", "public:clinc150"]
METHODS = ("subject_names", *REPRESENTATIONS)


@dataclass
class NamingSet:
    """One set ready to name: texts for the names, discovery's clusters, centred vectors and
    the phrase encoder into the same space."""

    dataset: LabelledSet
    texts: list[str]
    subjects: list[str | None] | None
    clusters: np.ndarray
    vectors: np.ndarray
    embed: Callable[[list[str]], np.ndarray]


def memoised(encode: Callable[[list[str]], np.ndarray]) -> Callable[[list[str]], np.ndarray]:
    """Each phrase encoded once across methods (the encoder is the slow part here)."""
    seen: dict[str, np.ndarray] = {}

    def embed(phrases: list[str]) -> np.ndarray:
        new = [p for p in dict.fromkeys(phrases) if p not in seen]
        if new:
            seen.update(zip(new, encode(new), strict=True))
        return np.vstack([seen[p] for p in phrases])

    return embed


def naming_set(spec: str) -> NamingSet:
    models_dir = Settings.load().models_dir
    name, _, days = spec.partition(":")
    if name == "public":
        dataset, clusters, vectors, mean = public_discovered(days)
        encode = phrase_encoder(PUBLIC_MODEL, "torch", "fp32", models_dir)
        texts, subjects = dataset.texts + dataset.extra_texts, dataset.all_subjects()
    else:
        dataset, clusters = discovered(name, int(days or 30))
        embeddings = stream_embeddings(dataset)
        mean = embeddings.mean(axis=0)
        vectors = centred(embeddings, mean, 1)
        encode = phrase_encoder(MODEL, BACKEND, VARIANT, models_dir)
        texts, subjects = dataset.texts, dataset.subjects
    return NamingSet(
        dataset, texts, subjects, clusters, vectors, memoised(lambda p: centred(encode(p), mean, 1))
    )


def names_by(method: str, s: NamingSet, units: np.ndarray, n_units: int) -> list[str]:
    language = s.dataset.language
    if method == "subject_names":
        return subject_labels(
            s.texts,
            units,
            n_units,
            language,
            s.subjects,
            centroids=theme_centroids(s.vectors, units, n_units),
            embed=s.embed,
        )
    documents = naming_texts(s.texts, s.subjects)
    return bertopic_labels(documents, units, n_units, s.vectors, s.embed, method, language)


def compare(
    spec: str, methods: list[str], show_misses: bool
) -> list[tuple[str, str, float, float, int]]:
    """(level, method, themes named, contacts named, units) for one set."""
    s = naming_set(spec)
    n_clusters = int(s.clusters.max()) + 1
    tree = build_tree(s.texts, s.clusters, n_clusters, s.dataset.language, s.vectors)
    levels = {
        "themes": (tree.themes_of(s.clusters), tree.n_themes),
        "clusters": (s.clusters, n_clusters),
    }
    rows = []
    for level, (units, n_units) in levels.items():
        for method in methods:
            found = found_themes(s.dataset, units, names_by(method, s, units, n_units))
            themes, contacts = named_share_of(found)
            rows.append((level, method, themes, contacts, len(found)))
            if show_misses:
                print(f"\n### {spec}, {level}, {method}: not named\n")
                for theme in found:
                    if theme.named is False:
                        print(f"- {theme.label!r}: {theme.majority} ({theme.size}, {theme.purity})")
    return rows


def main(arguments: list[str]) -> None:
    show_misses = "--misses" in arguments
    methods = [a.removeprefix("--method=") for a in arguments if a.startswith("--method=")]
    specs = [a for a in arguments if not a.startswith("--")] or DEFAULT_SETS
    table = [
        (spec, *row)
        for spec in specs
        for row in compare(spec, methods or list(METHODS), show_misses)
    ]
    print("\n| set | level | method | themes named | contacts named | themes |")
    print("|---|---|---|---:|---:|---:|")
    for spec, level, method, themes, contacts, n in table:
        print(f"| {spec} | {level} | {method} | {themes:.2f} | {contacts:.2f} | {n} |")


if __name__ == "__main__":
    main(sys.argv[1:])
