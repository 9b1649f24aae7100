"""Parity of a model's quantised variant with its fp32 reference: the cosine of each
sentence's two vectors. int8 earns its place only if it keeps what fp32 sees
(`ledenradar models parity`, docs/models.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models.encoder import TextEncoder

MIN_MEAN_COSINE = 0.99


@dataclass(frozen=True)
class VariantParity:
    cosines: np.ndarray  # one per sentence

    @property
    def sentences(self) -> int:
        return len(self.cosines)

    @property
    def mean_cosine(self) -> float:
        return float(self.cosines.mean())

    @property
    def min_cosine(self) -> float:
        return float(self.cosines.min())

    @property
    def passed(self) -> bool:
        return self.mean_cosine >= MIN_MEAN_COSINE


def row_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine of each row of `a` with the same row of `b` (rows need not be unit length)."""
    if a.shape != b.shape:
        raise ValueError(f"vectors of shape {a.shape} and {b.shape} cannot be compared")
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    if np.any(norms == 0):
        raise ValueError("an encoder returned a zero vector")
    return (np.sum(a * b, axis=1) / norms).astype(np.float32)


def compare_variants(
    candidate: TextEncoder, reference: TextEncoder, sentences: Sequence[str], batch_size: int = 16
) -> VariantParity:
    """Both encoders on the same sentences; raises on an empty list (nothing compared
    must not read as a pass)."""
    if not sentences:
        raise ValueError("no sentences to compare")
    texts = list(sentences)
    return VariantParity(
        row_cosines(
            candidate.encode(texts, batch_size=batch_size),
            reference.encode(texts, batch_size=batch_size),
        )
    )
