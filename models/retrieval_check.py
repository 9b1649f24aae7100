"""Top-1 retrieval on hand-written Dutch paraphrase pairs: two phrasings of the
same member question, with different words. Each phrasing must find its partner
among all other questions' phrasings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "paraphrases_nl.jsonl"


class Encoder(Protocol):
    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


@dataclass(frozen=True)
class RetrievalResult:
    pairs: int
    a_to_b: float
    b_to_a: float

    @property
    def mean(self) -> float:
        return (self.a_to_b + self.b_to_a) / 2


def load_pairs(path: Path = DEFAULT_PAIRS) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(row["a"], row["b"]) for row in rows]


def top1_retrieval(encoder: Encoder, pairs: Sequence[tuple[str, str]]) -> RetrievalResult:
    a = encoder.encode([first for first, _ in pairs])
    b = encoder.encode([second for _, second in pairs])
    similarity = a @ b.T
    expected = np.arange(len(pairs))
    return RetrievalResult(
        pairs=len(pairs),
        a_to_b=float(np.mean(similarity.argmax(axis=1) == expected)),
        b_to_a=float(np.mean(similarity.argmax(axis=0) == expected)),
    )
