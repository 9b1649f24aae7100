"""Simulated contacts as a labelled set for scoring theme discovery (`sim:NAME` datasets).

Texts come as the pipeline would embed them: planted personal data replaced by the
redactor's `[TYPE]` tokens (a perfect redaction). Only contacts about exactly one work
theme are kept, so every text has one true label.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from random import Random

from pipeline.simulator.generator import simulate
from pipeline.simulator.scenario import load_scenario
from pipeline.simulator.stats import masked_text

DEFAULT_START = date(2026, 3, 2)


def labelled_texts(
    scenario: str,
    days: int = 30,
    seed: int = 1,
    limit: int | None = 5000,
    start: date = DEFAULT_START,
    per_working_day: float | None = None,
) -> tuple[list[str], list[str]]:
    """(texts, theme ids) of single-theme contacts; a seeded sample of `limit` if given."""
    loaded = load_scenario(scenario)
    if per_working_day is not None:
        loaded = replace(loaded, per_working_day=per_working_day)
    pairs = [
        (masked_text(event, truth), truth["themes"][0])
        for event, truth in simulate(loaded, start, days, seed)
        if len(truth["themes"]) == 1
    ]
    if limit is not None and len(pairs) > limit:
        pairs = Random(seed).sample(pairs, limit)
    return [text for text, _ in pairs], [label for _, label in pairs]
