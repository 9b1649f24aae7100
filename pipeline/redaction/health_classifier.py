"""A small health classifier beside the lexicon: character n-grams (3–6, within words)
and logistic regression, for conditions the lexicon does not list ("sarcoïdose", "jicht").

Trained by `python scripts/train_health_classifier.py` on the hand-written sentences
in `tests/data/health/` (main set, held-out 1, 2 and 3, the former final set; `holdout2_*`
stays out for measuring) plus 3,000 sentences of simulated contacts about subjects without
health (pension, travel costs, dismissal, leave, …; seed 11, none with a lexicon hit).
Without those, a classifier trained on short first-person sentences flagged 61–96 % of
every simulated theme. Nothing is downloaded; the weights (`health_model.npz`) are written
by that script. Each sentence of a text is scored; THRESHOLD is high because the lexicon
catches the rest: 0.7 kept out as many of the former final set as 0.6 with half the
sentences lost, scored by a classifier not trained on that set (docs/redaction.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

MODEL_PATH = Path(__file__).with_name("health_model.npz")
THRESHOLD = 0.7
_NGRAMS = (3, 6)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


class HealthClassifier:
    """Probability that a sentence is about someone's health, from the saved weights."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        with np.load(path) as saved:
            terms = str(saved["terms"]).split("\n")
            self._vectorizer = vectorizer(vocabulary={term: i for i, term in enumerate(terms)})
            self._vectorizer.idf_ = saved["idf"].astype(np.float64)
            self._coef = saved["coef"].astype(np.float64)
            self._intercept = float(saved["intercept"])

    def probabilities(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros(0)
        scores = self._vectorizer.transform(sentences) @ self._coef + self._intercept
        return 1.0 / (1.0 + np.exp(-scores))

    def mentions_health(self, text: str) -> bool:
        sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
        return bool((self.probabilities(sentences) >= THRESHOLD).any())


@lru_cache(maxsize=1)
def health_classifier() -> HealthClassifier:
    return HealthClassifier()


def vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=_NGRAMS, sublinear_tf=True, vocabulary=vocabulary
    )
