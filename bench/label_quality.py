"""How well theme labels name the subject, on simulator scenarios whose true themes are known.

For each scenario, discovery runs once (the default `DiscoveryConfig`, the stream's encoder,
embeddings centred as the refit does) and its assignments are cached under
`data/bench/label_quality/`, so labels can be recomputed without rerunning discovery. Before:
discovery's clusters (the themes before the theme tree) named by
`topics.representation.theme_labels` from the members' words. After: the themes of
`topics.tree` over those clusters, named by `topics.subject_names.subject_labels` (nominal
phrases, subject lines included, candidates weighed by their embedding's closeness to the
theme).

A label names its theme when one of its words matches a word of the majority true theme's
name or subject lines (`topics.naming_check`: equal, a compound start, or the same stem;
generic words shared by three or more true themes left out). The score is the share of
discovered themes whose label names their theme, and the same weighted by theme size.

    PYTHONPATH=. .venv/bin/python bench/label_quality.py [SCENARIO[:DAYS] ...]
    PYTHONPATH=. .venv/bin/python bench/label_quality.py public:banking77 public:clinc150

Default scenarios: baseline:30 surge-limburg:30 new-theme:60 national-spike:60 (days of
simulated contacts; `new-theme` plants its theme at day 30, `national-spike` at day 45).
`public:SET` scores a public intent set as `ledenradar evaluate themes --dataset SET` does
(its defaults: minilm, torch, fp32, the train split as extra texts, seed 42; an intent is
named when a word of its name matches), with discovery's assignments cached the same way, so
naming rules can be compared without refitting; the CLI gives the reported numbers.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from pipeline.settings import Settings
from topics.cli import phrase_encoder
from topics.datasets import LabelledSet, load_simulated
from topics.embeddings import embed_texts
from topics.model import centred
from topics.naming_check import names_subject, simulator_vocabularies
from topics.representation import theme_labels
from topics.subject_names import subject_labels, theme_centroids
from topics.tree import build_tree

MODEL, BACKEND, VARIANT = "multilingual-e5-small", "onnx", "int8"
# `ledenradar evaluate themes`' default encoder, for the public sets.
PUBLIC_MODEL = "minilm"
DEFAULT_SCENARIOS = ["baseline:30", "surge-limburg:30", "new-theme:60", "national-spike:60"]


def stream_embeddings(dataset: LabelledSet) -> np.ndarray:
    """The dataset's vectors by the stream's encoder (cached on disk by `embed_texts`)."""
    settings = Settings.load()
    return embed_texts(
        dataset.to_embed(),
        MODEL,
        BACKEND,
        VARIANT,
        models_dir=settings.models_dir,
        cache_root=settings.embedding_cache_dir,
    )


def cache_key(texts: list[str], config: object) -> str:
    """What discovery's assignments depend on: the texts, the configuration and the code
    of discovery and its components, so that a changed rule is never scored on stale
    clusters."""
    import topics.components
    import topics.discovery

    digest = hashlib.sha256("\n".join(texts).encode())
    digest.update(repr(config).encode())
    for module in (topics.discovery, topics.components):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def discovered(scenario: str, days: int) -> tuple[LabelledSet, np.ndarray]:
    """The scenario's labelled contacts and discovery's assignments, cached by `cache_key`."""
    from topics.discovery import DiscoveryConfig
    from topics.evaluate import evaluate_discovery

    dataset = load_simulated(scenario, days=days)
    config = DiscoveryConfig(language="nl")
    digest = cache_key(dataset.to_embed(), config)
    cache = Settings.load().data_dir / "bench" / "label_quality" / f"{scenario}-{days}-{digest}.npy"
    if cache.exists():
        return dataset, np.load(cache)
    embeddings = stream_embeddings(dataset)
    evaluation = evaluate_discovery(dataset, embeddings, MODEL, config)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, evaluation.result.assignments)
    return dataset, evaluation.result.assignments


def _named(labels: list[str], units: np.ndarray, truth: np.ndarray, vocabulary) -> tuple:
    """Per unit (facet or theme): size, majority true theme and whether its label names it."""
    rows = []
    for unit, label in enumerate(labels):
        members = truth[units == unit]
        if len(members):
            majority = Counter(members.tolist()).most_common(1)[0][0]
            rows.append((len(members), majority, label, names_subject(label, vocabulary[majority])))
    hits = np.array([hit for *_, hit in rows])
    sizes = np.array([size for size, *_ in rows])
    return rows, float(hits.mean()), float(sizes[hits].sum() / sizes.sum())


def score(scenario: str, days: int, vocabulary: dict[str, set[str]]) -> dict[str, float]:
    """Before: today's themes (discovery's clusters) named by `theme_labels` from the
    members' words. After: the themes of `topics.tree` named by
    `topics.subject_names.subject_labels` from subject lines and words."""
    dataset, assignments = discovered(scenario, days)
    n_facets = int(assignments.max()) + 1
    truth = np.asarray(dataset.labels)
    embeddings = stream_embeddings(dataset)  # cached by `discovered`
    mean = embeddings.mean(axis=0)
    vectors = centred(embeddings, mean, 1)
    encode = phrase_encoder(MODEL, BACKEND, VARIANT, Settings.load().models_dir)
    before = theme_labels(dataset.texts, assignments, n_facets, "nl")
    tree = build_tree(dataset.texts, assignments, n_facets, "nl", vectors)
    themes = tree.themes_of(assignments)
    after = subject_labels(
        dataset.texts,
        themes,
        tree.n_themes,
        "nl",
        dataset.subjects,
        centroids=theme_centroids(vectors, themes, tree.n_themes),
        embed=lambda phrases: centred(encode(phrases), mean, 1),
    )
    _, before_themes, before_contacts = _named(before, assignments, truth, vocabulary)
    rows, after_themes, after_contacts = _named(after, themes, truth, vocabulary)
    print(f"\n## {scenario}, {days} days: {len(truth)} contacts, {n_facets} clusters, ")
    print(f"{tree.n_themes} themes\n\n| size | true theme | name |\n|---:|---|---|")
    for size, majority, label, hit in sorted(rows, key=lambda row: -row[0]):
        print(f"| {size} | {majority} | {label}{'' if hit else ' ✗'} |")
    return {
        "before_themes": before_themes,
        "before_contacts": before_contacts,
        "after_themes": after_themes,
        "after_contacts": after_contacts,
    }


def public_discovered(name: str) -> tuple[LabelledSet, np.ndarray, np.ndarray, np.ndarray]:
    """A public set as `evaluate themes` fits it: the set, discovery's assignments (cached by
    `cache_key`), the centred vectors and the window mean."""
    from topics.datasets import load_dataset
    from topics.discovery import DiscoveryConfig, ThemeDiscovery

    settings = Settings.load()
    dataset = load_dataset(name)
    texts = dataset.to_embed()
    embeddings = embed_texts(
        texts,
        PUBLIC_MODEL,
        "torch",
        "fp32",
        models_dir=settings.models_dir,
        cache_root=settings.embedding_cache_dir,
    )
    mean = embeddings.mean(axis=0)
    vectors = centred(embeddings, mean, 1)
    config = DiscoveryConfig(language=dataset.language, seed=42)
    cache = settings.data_dir / "bench" / "label_quality" / f"{name}-{cache_key(texts, config)}.npy"
    if not cache.exists():
        result = ThemeDiscovery(config).fit(dataset.texts + dataset.extra_texts, vectors)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, result.assignments)
    return dataset, np.load(cache), vectors, mean


def score_public(name: str) -> dict[str, float]:
    """Named shares of a public set's themes and facets, as `evaluate themes --json`."""
    from topics.evaluate import found_themes, named_share_of, named_tree

    dataset, assignments, vectors, mean = public_discovered(name)
    encode = phrase_encoder(PUBLIC_MODEL, "torch", "fp32", Settings.load().models_dir)
    texts = dataset.texts + dataset.extra_texts
    tree, themes, theme_names, facet_names = named_tree(
        texts,
        dataset.all_subjects(),
        assignments,
        int(assignments.max()) + 1,
        vectors,
        dataset.language,
        lambda phrases: centred(encode(phrases), mean, 1),
    )
    found = found_themes(dataset, themes, theme_names, tree.facet_theme)
    facets = found_themes(dataset, assignments, facet_names)
    print(f"\n## {name}: {len(facets)} facets, {len(found)} themes\n")
    print("| size | majority intent | purity | name |\n|---:|---|---:|---|")
    for theme in found:
        mark = "" if theme.named in (True, None) else " ✗"
        print(f"| {theme.size} | {theme.majority} | {theme.purity:.2f} | {theme.label}{mark} |")
    named_themes, named_documents = named_share_of(found)
    named_facets, named_facet_documents = named_share_of(facets)
    return {
        "before_themes": named_facets,
        "before_contacts": named_facet_documents,
        "after_themes": named_themes,
        "after_contacts": named_documents,
    }


def main(specs: list[str]) -> None:
    vocabulary = simulator_vocabularies()
    rows = []
    for spec in specs or DEFAULT_SCENARIOS:
        scenario, _, days = spec.partition(":")
        if scenario == "public":
            rows.append((spec, score_public(days)))
            continue
        rows.append((spec, score(scenario, int(days or 30), vocabulary)))
    # For a public set "before" is the facets (named within their theme), "after" the themes.
    print("\n| scenario | themes named, before | after | contacts named, before | after |")
    print("|---|---:|---:|---:|---:|")
    for spec, r in rows:
        print(
            f"| {spec} | {r['before_themes']:.2f} | {r['after_themes']:.2f} "
            f"| {r['before_contacts']:.2f} | {r['after_contacts']:.2f} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
