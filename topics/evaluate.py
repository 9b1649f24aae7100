"""Score theme discovery against a labelled set; labels are used for scoring only.

Discovery is fitted on the labelled texts plus any unlabelled extra texts of the set (e.g.
BANKING77's train split), and scored on the labelled texts alone. The embeddings are centred
on the fitted window's mean first, exactly as the refit does (`pipeline.themes.refit`), so
the scores are those of the pipeline's own discovery.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from topics.datasets import LabelledSet
from topics.discovery import DiscoveryConfig, DiscoveryResult, ThemeDiscovery
from topics.metrics import ClusteringScores, score_clustering


@dataclass(frozen=True)
class ThemeEvaluation:
    dataset: str
    model: str
    scores: ClusteringScores
    n_fit_documents: int
    seconds: float
    result: DiscoveryResult

    def as_dict(self) -> dict[str, object]:
        return {
            "dataset": self.dataset,
            "model": self.model,
            **self.scores.as_dict(),
            "n_fit_documents": self.n_fit_documents,
            "seconds": round(self.seconds, 1),
        }


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
    from topics.model import centred

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
    )
