"""How well theme labels name the subject, on simulator scenarios whose true themes are known.

For each scenario, discovery runs once (the default `DiscoveryConfig`, the stream's encoder,
embeddings centred as the refit does) and its assignments are cached under
`data/bench/label_quality/`, so labels can be recomputed without rerunning discovery. Each
discovered theme is then labelled twice from the same key phrases and contacts: by the rule
before the label change (`previous_label`, kept here as the reference) and by the current
`topics.representation.theme_labels`.

A label names its theme when one of its words matches a word of the majority true theme's
name or subject lines (`topics.naming_check`: equal, a compound start, or the same stem;
generic words shared by three or more true themes left out). The score is the share of
discovered themes whose label names their theme, and the same weighted by theme size.

    PYTHONPATH=. .venv/bin/python bench/label_quality.py [SCENARIO[:DAYS] ...]

Default scenarios: baseline:30 surge-limburg:30 new-theme:60 national-spike:60 (days of
simulated contacts; `new-theme` plants its theme at day 30, `national-spike` at day 45).
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter

import numpy as np

from pipeline.settings import Settings
from topics.datasets import LabelledSet, load_simulated
from topics.naming_check import names_subject, simulator_vocabularies
from topics.representation import class_tfidf_keyphrases, theme_labels

MODEL, BACKEND, VARIANT = "multilingual-e5-small", "onnx", "int8"
DEFAULT_SCENARIOS = ["baseline:30", "surge-limburg:30", "new-theme:60", "national-spike:60"]


def previous_label(keyphrases: list[str]) -> str:
    """The label rule before the label change: the first bigram among the top five phrases,
    else the top two words."""
    if not keyphrases:
        return "onbenoemd thema"
    for phrase in keyphrases[:5]:
        if " " in phrase:
            return phrase
    words = [phrase for phrase in keyphrases if " " not in phrase][:2]
    return " / ".join(words) if words else keyphrases[0]


def discovered(scenario: str, days: int) -> tuple[LabelledSet, np.ndarray]:
    """The scenario's labelled contacts and discovery's assignments, cached by text hash."""
    dataset = load_simulated(scenario, days=days)
    digest = hashlib.sha256("\n".join(dataset.to_embed()).encode()).hexdigest()[:16]
    cache = Settings.load().data_dir / "bench" / "label_quality" / f"{scenario}-{days}-{digest}.npy"
    if cache.exists():
        return dataset, np.load(cache)
    from topics.discovery import DiscoveryConfig
    from topics.embeddings import embed_texts
    from topics.evaluate import evaluate_discovery

    embeddings = embed_texts(dataset.to_embed(), MODEL, BACKEND, VARIANT)
    evaluation = evaluate_discovery(dataset, embeddings, MODEL, DiscoveryConfig(language="nl"))
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, evaluation.result.assignments)
    return dataset, evaluation.result.assignments


def score(scenario: str, days: int, vocabulary: dict[str, set[str]]) -> dict[str, float]:
    dataset, assignments = discovered(scenario, days)
    n_themes = int(assignments.max()) + 1
    keyphrases = class_tfidf_keyphrases(dataset.texts, assignments, n_themes, "nl")
    before = [previous_label(phrases) for phrases in keyphrases]
    after = theme_labels(dataset.texts, assignments, n_themes, "nl")
    truth = np.asarray(dataset.labels)
    sizes = np.bincount(assignments[assignments >= 0], minlength=n_themes)
    hits = {"before": np.zeros(n_themes, bool), "after": np.zeros(n_themes, bool)}
    print(f"\n## {scenario}, {days} days: {len(dataset.texts)} contacts, {n_themes} themes\n")
    print("| size | true theme | before | after |\n|---:|---|---|---|")
    for theme in range(n_themes):
        majority = Counter(truth[assignments == theme].tolist()).most_common(1)[0][0]
        hits["before"][theme] = names_subject(before[theme], vocabulary[majority])
        hits["after"][theme] = names_subject(after[theme], vocabulary[majority])
        marks = ["" if hits[k][theme] else " ✗" for k in ("before", "after")]
        print(
            f"| {sizes[theme]} | {majority} | {before[theme]}{marks[0]} | {after[theme]}{marks[1]} |"
        )
    result = {}
    for key, hit in hits.items():
        result[f"{key}_themes"] = float(hit.mean())
        result[f"{key}_contacts"] = float(sizes[hit].sum() / sizes.sum())
    return result


def main(specs: list[str]) -> None:
    vocabulary = simulator_vocabularies()
    rows = []
    for spec in specs or DEFAULT_SCENARIOS:
        scenario, _, days = spec.partition(":")
        rows.append((spec, score(scenario, int(days or 30), vocabulary)))
    print("\n| scenario | themes named, before | after | contacts named, before | after |")
    print("|---|---:|---:|---:|---:|")
    for spec, r in rows:
        print(
            f"| {spec} | {r['before_themes']:.2f} | {r['after_themes']:.2f} "
            f"| {r['before_contacts']:.2f} | {r['after_contacts']:.2f} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
