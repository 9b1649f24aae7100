"""Score theme discovery against a labelled set; labels are used for scoring only.

Discovery is fitted on the labelled texts plus any unlabelled extra texts of the set (e.g.
BANKING77's train split), and scored on the labelled texts alone. The embeddings are centred
on the fitted window's mean first, exactly as the refit does (`pipeline.themes.refit`), so
the scores are those of the pipeline's own discovery.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from topics.bertopic_names import REPRESENTATIONS, bertopic_labels
from topics.datasets import LabelledSet
from topics.discovery import DiscoveryConfig, DiscoveryResult, ThemeDiscovery
from topics.metrics import ClusteringScores, score_clustering
from topics.naming_check import (
    intent_vocabularies,
    majority_labels,
    names_subject,
    simulator_vocabularies,
)
from topics.subject_names import facet_labels, naming_texts, subject_labels, theme_centroids
from topics.tree import ThemeTree, build_tree

# Who names the themes: the project's nominal phrases (the default) or one of BERTopic's
# representations (`topics.bertopic_names`; docs/themes.md compares them).
SUBJECT_NAMES = "subject"
NAMERS = (SUBJECT_NAMES, *REPRESENTATIONS)


@dataclass(frozen=True)
class FoundTheme:
    """One found theme (or facet) among the scored documents, as an analyst checks it."""

    theme: int
    label: str
    size: int
    majority: str  # the most frequent true label among its documents
    purity: float  # the share of its documents with that label
    named: bool | None  # whether the label names the majority; None: no name could
    facets: list[int] = field(default_factory=list)  # for a theme: its facets


@dataclass(frozen=True)
class ThemeEvaluation:
    """Scores at the facet level (discovery's clusters) and at the theme level (the tree)."""

    dataset: str
    model: str
    scores: ClusteringScores  # facets
    n_fit_documents: int
    seconds: float
    result: DiscoveryResult
    facets: list[FoundTheme] = field(default_factory=list)
    tree: ThemeTree | None = None
    theme_scores: ClusteringScores | None = None
    themes: list[FoundTheme] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Facet-level scores at the top (as before the tree), the theme level beneath."""
        named_facets, named_facet_documents = named_share_of(self.facets)
        report: dict[str, object] = {
            "dataset": self.dataset,
            "model": self.model,
            **self.scores.as_dict(),
            "named_themes": named_facets,
            "named_documents": named_facet_documents,
            "n_fit_documents": self.n_fit_documents,
            "seconds": round(self.seconds, 1),
        }
        if self.theme_scores is not None:
            named_themes, named_documents = named_share_of(self.themes)
            report["theme_level"] = {
                **self.theme_scores.as_dict(),
                "named_themes": named_themes,
                "named_documents": named_documents,
            }
        report["themes"] = [vars(theme) for theme in self.themes]
        report["facets"] = [vars(facet) for facet in self.facets]
        return report


def found_themes(
    dataset: LabelledSet,
    assignments: np.ndarray,
    labels: list[str],
    facet_theme: np.ndarray | None = None,
) -> list[FoundTheme]:
    """The themes holding scored documents, largest first, each checked against the truth;
    with `facet_theme` (facet → theme), `assignments` are themes and each lists its facets."""
    predicted = np.asarray(assignments)[: len(dataset.texts)]
    vocabularies = (
        simulator_vocabularies()
        if dataset.name.startswith("sim:")
        else intent_vocabularies(dataset.labels, dataset.language)
    )
    majorities = majority_labels(dataset.labels, predicted, len(labels))
    sizes = np.bincount(predicted[predicted >= 0], minlength=len(labels))
    themes = [
        FoundTheme(
            theme=theme,
            label=labels[theme],
            size=int(sizes[theme]),
            majority=majority,
            purity=round(purity, 3),
            named=(
                names_subject(labels[theme], vocabularies[majority])
                if vocabularies.get(majority)
                else None
            ),
            facets=[] if facet_theme is None else np.flatnonzero(facet_theme == theme).tolist(),
        )
        for theme, (majority, purity) in enumerate(majorities)
        if sizes[theme]
    ]
    return sorted(themes, key=lambda theme: -theme.size)


def named_share_of(themes: list[FoundTheme]) -> tuple[float, float]:
    """(share of themes, share of their documents) whose label names their majority label."""
    scored = [theme for theme in themes if theme.named is not None]
    if not scored:
        return 0.0, 0.0
    named = [theme for theme in scored if theme.named]
    return (
        len(named) / len(scored),
        sum(t.size for t in named) / max(sum(t.size for t in scored), 1),
    )


def evaluate_discovery(
    dataset: LabelledSet,
    embeddings: np.ndarray,
    model_name: str,
    config: DiscoveryConfig | None = None,
    phrase_encoder: Callable[[list[str]], np.ndarray] | None = None,
    names: str = SUBJECT_NAMES,
) -> ThemeEvaluation:
    """Fit on texts + extra texts (`embeddings` in that order), score the labelled part,
    at the facet level (discovery) and the theme level (`topics.tree`). With
    `phrase_encoder` (the same encoder, phrases → raw embeddings) theme names weigh their
    candidates by closeness to the theme (`topics.subject_names.subject_labels`); `names`
    another of `NAMERS` names the themes by a BERTopic representation instead (it needs
    `phrase_encoder`)."""
    texts = dataset.texts + dataset.extra_texts
    if len(embeddings) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(embeddings)} embeddings")
    from models.ensemble import block_count
    from topics.model import centred

    config = config or DiscoveryConfig(language=dataset.language)
    started = time.perf_counter()
    mean = np.asarray(embeddings, dtype=np.float32).mean(axis=0)
    blocks = block_count(model_name)
    vectors = centred(embeddings, mean, blocks)
    result = ThemeDiscovery(config).fit(texts, vectors)
    embed = None
    if phrase_encoder is not None:

        def embed(phrases: list[str]) -> np.ndarray:
            return centred(phrase_encoder(phrases), mean, blocks)

    named = named_tree(
        texts,
        dataset.all_subjects(),
        result.assignments,
        result.n_themes,
        vectors,
        config.language,
        embed,
        names,
    )
    tree, themes, theme_names, facet_names = named
    seconds = time.perf_counter() - started
    scored = len(dataset.texts)
    return ThemeEvaluation(
        dataset=dataset.name,
        model=model_name,
        scores=score_clustering(dataset.labels, result.assignments[:scored]),
        n_fit_documents=len(texts),
        seconds=seconds,
        result=result,
        facets=found_themes(dataset, result.assignments, facet_names),
        tree=tree,
        theme_scores=score_clustering(dataset.labels, themes[:scored]),
        themes=found_themes(dataset, themes, theme_names, tree.facet_theme),
    )


def named_tree(
    texts: list[str],
    subjects: list[str | None] | None,
    facet_assignments: np.ndarray,
    n_facets: int,
    vectors: np.ndarray,
    language: str,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    names: str = SUBJECT_NAMES,
) -> tuple[ThemeTree, np.ndarray, list[str], list[str]]:
    """The tree over discovery's facets, each document's theme, and the names of themes and
    facets (`topics.subject_names`); `embed` (phrases → vectors centred like `vectors`) lets
    names weigh their candidates by closeness to the theme. `names` picks the namer of the
    themes (`NAMERS`; facets are always named by `facet_labels`)."""
    if names not in NAMERS:
        raise ValueError(f"unknown names {names!r}: one of {', '.join(NAMERS)}")
    tree = build_tree(texts, facet_assignments, n_facets, language, vectors)
    themes = tree.themes_of(facet_assignments)
    if names == SUBJECT_NAMES:
        theme_names = subject_labels(
            texts,
            themes,
            tree.n_themes,
            language,
            subjects,
            centroids=theme_centroids(vectors, themes, tree.n_themes),
            embed=embed,
        )
    elif embed is None:
        raise ValueError(f"names {names!r} need a phrase encoder")
    else:
        documents = naming_texts(texts, subjects)
        theme_names = bertopic_labels(
            documents, themes, tree.n_themes, vectors, embed, names, language
        )
    facet_names = facet_labels(
        texts,
        facet_assignments,
        tree.facet_theme,
        theme_names,
        language,
        subjects,
        centroids=theme_centroids(vectors, facet_assignments, n_facets),
        embed=embed,
    )
    return tree, themes, theme_names, facet_names
