"""Clustering quality against gold labels: NMI, ARI, Hungarian accuracy and coverage.

Unassigned documents (theme -1) count as one extra predicted cluster in NMI, ARI and ACC, so
leaving documents out is never rewarded; coverage reports how many were assigned at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import (
    adjusted_rand_score,
    homogeneity_completeness_v_measure,
    normalized_mutual_info_score,
)

UNASSIGNED = -1


@dataclass(frozen=True)
class ClusteringScores:
    """Agreement of predicted themes with gold labels."""

    nmi: float
    ari: float
    homogeneity: float  # each found theme holds one true label
    completeness: float  # each true label lies in one found theme
    acc: float
    coverage: float
    n_themes: int
    n_labels: int
    n_docs: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _as_codes(values: Sequence[object] | np.ndarray) -> np.ndarray:
    _, codes = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return codes


def hungarian_accuracy(gold: Sequence[object], predicted: Sequence[int] | np.ndarray) -> float:
    """Best one-to-one mapping of predicted clusters to gold labels, as a fraction of docs right."""
    gold_codes = _as_codes(gold)
    predicted_codes = _as_codes(predicted)
    if len(gold_codes) == 0:
        return 0.0
    contingency = np.zeros((predicted_codes.max() + 1, gold_codes.max() + 1), dtype=np.int64)
    np.add.at(contingency, (predicted_codes, gold_codes), 1)
    rows, cols = linear_sum_assignment(contingency, maximize=True)
    return float(contingency[rows, cols].sum() / len(gold_codes))


def coverage(predicted: Sequence[int] | np.ndarray) -> float:
    """Fraction of documents assigned to a theme (not -1)."""
    predicted = np.asarray(predicted)
    if predicted.size == 0:
        return 0.0
    return float(np.mean(predicted != UNASSIGNED))


def score_clustering(
    gold: Sequence[object], predicted: Sequence[int] | np.ndarray
) -> ClusteringScores:
    """NMI (arithmetic mean normalisation), ARI, Hungarian ACC, coverage and cluster counts."""
    predicted = np.asarray(predicted)
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    gold_codes = _as_codes(gold)
    homogeneity, completeness, _ = homogeneity_completeness_v_measure(gold_codes, predicted)
    return ClusteringScores(
        nmi=float(normalized_mutual_info_score(gold_codes, predicted)),
        ari=float(adjusted_rand_score(gold_codes, predicted)),
        homogeneity=float(homogeneity),
        completeness=float(completeness),
        acc=hungarian_accuracy(gold_codes, predicted),
        coverage=coverage(predicted),
        n_themes=int(len(set(predicted.tolist()) - {UNASSIGNED})),
        n_labels=int(len(set(gold_codes.tolist()))),
        n_docs=len(predicted),
    )
