"""Score theme discovery against a labelled set; labels are used for scoring only.

Discovery is fitted on the labelled texts plus any unlabelled extra texts of the set (e.g.
BANKING77's train split), and scored on the labelled texts alone. The embeddings are centred
on the fitted window's mean first, exactly as the refit does (`pipeline.themes_job.refit`), so
the scores are those of the pipeline's own discovery.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from topics.datasets import LabelledSet
from topics.discovery import DiscoveryConfig, DiscoveryResult, ThemeDiscovery
from topics.metrics import ClusteringScores, score_clustering
from topics.naming_check import (
    intent_vocabularies,
    majority_labels,
    names_subject,
    simulator_vocabularies,
)


@dataclass(frozen=True)
class ThemeEvaluation:
    dataset: str
    model: str
    scores: ClusteringScores
    n_fit_documents: int
    seconds: float
    result: DiscoveryResult

    themes: list[FoundTheme] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        named_themes, named_documents = named_share_of(self.themes)
        return {
            "dataset": self.dataset,
            "model": self.model,
            **self.scores.as_dict(),
            "named_themes": named_themes,
            "named_documents": named_documents,
            "n_fit_documents": self.n_fit_documents,
            "seconds": round(self.seconds, 1),
            "themes": [vars(theme) for theme in self.themes],
        }


@dataclass(frozen=True)
class FoundTheme:
    """One found theme among the scored documents, as an analyst checks it."""

    theme: int
    label: str
    size: int
    majority: str  # the most frequent true label among its documents
    purity: float  # the share of its documents with that label
    named: bool | None  # whether the label names the majority; None: no name could


def found_themes(dataset: LabelledSet, result: DiscoveryResult) -> list[FoundTheme]:
    """The themes holding scored documents, largest first, each checked against the truth."""
    predicted = result.assignments[: len(dataset.texts)]
    vocabularies = (
        simulator_vocabularies()
        if dataset.name.startswith("sim:")
        else intent_vocabularies(dataset.labels, dataset.language)
    )
    majorities = majority_labels(dataset.labels, predicted, result.n_themes)
    sizes = np.bincount(predicted[predicted >= 0], minlength=result.n_themes)
    themes = [
        FoundTheme(
            theme=theme,
            label=result.labels[theme],
            size=int(sizes[theme]),
            majority=majority,
            purity=round(purity, 3),
            named=(
                names_subject(result.labels[theme], vocabularies[majority])
                if vocabularies.get(majority)
                else None
            ),
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
) -> ThemeEvaluation:
    """Fit on texts + extra texts (`embeddings` in that order), score the labelled part."""
    texts = dataset.texts + dataset.extra_texts
    if len(embeddings) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(embeddings)} embeddings")
    from models.ensemble import block_count
    from pipeline.theme_model import centred

    config = config or DiscoveryConfig(language=dataset.language)
    started = time.perf_counter()
    mean = np.asarray(embeddings, dtype=np.float32).mean(axis=0)
    vectors = centred(embeddings, mean, block_count(model_name))
    result = ThemeDiscovery(config).fit(texts, vectors)
    seconds = time.perf_counter() - started
    predicted = result.assignments[: len(dataset.texts)]
    return ThemeEvaluation(
        dataset=dataset.name,
        model=model_name,
        scores=score_clustering(dataset.labels, predicted),
        n_fit_documents=len(texts),
        seconds=seconds,
        result=result,
        themes=found_themes(dataset, result),
    )
