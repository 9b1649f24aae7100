"""A small health classifier beside the lexicon: character n-grams (3–6, within words)
and logistic regression, for conditions the lexicon does not list ("slaapapneu",
"netvliesloslating", "bloedsuiker").

Trained by `python -m pipeline.redaction.health_classifier` on the hand-written sentences
in `tests/data/health/` (main set, held-out 1 and 2; held-out 3 stays out for measuring)
plus 1,500 sentences of simulated contacts about subjects without health (pension, travel
costs, strikes, …; seed 11, none with a lexicon hit). Without those, a classifier trained
on short first-person sentences flagged 61–96 % of every simulated theme. Nothing is
downloaded; the weights (`health_model.npz`) are written by the command above. Each
sentence of a text is scored; THRESHOLD is high because the lexicon catches the rest.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

MODEL_PATH = Path(__file__).with_name("health_model.npz")
THRESHOLD = 0.8
_NGRAMS = (3, 6)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


class HealthClassifier:
    """Probability that a sentence is about someone's health, from the saved weights."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        with np.load(path) as saved:
            terms = str(saved["terms"]).split("\n")
            self._vectorizer = _vectorizer(vocabulary={term: i for i, term in enumerate(terms)})
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


def _vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=_NGRAMS, sublinear_tf=True, vocabulary=vocabulary
    )


def train_and_save(path: Path = MODEL_PATH) -> None:
    from sklearn.linear_model import LogisticRegression

    from pipeline.redaction.health import health_terms
    from pipeline.simulator.labelled import labelled_texts

    folder = Path(__file__).resolve().parents[2] / "tests" / "data" / "health"
    texts: list[str] = []
    labels: list[int] = []
    for stem in ("", "heldout_", "heldout2_"):
        for name, label in ((f"{stem}health.txt", 1), (f"{stem}not_health.txt", 0)):
            lines = (folder / name).read_text(encoding="utf-8").splitlines()
            sentences = [line for line in lines if line.strip() and not line.startswith("#")]
            texts += sentences
            labels += [label] * len(sentences)
    simulated, themes = labelled_texts("baseline", days=30, seed=11, limit=3000)
    negatives = [
        sentence
        for text, theme in zip(simulated, themes, strict=True)
        if theme in _THEMES_WITHOUT_HEALTH
        for sentence in _SENTENCE_END.split(text)
        if len(sentence) > 15 and not health_terms(sentence)
    ]
    negatives = list(dict.fromkeys(negatives))[:1500]
    texts += negatives
    labels += [0] * len(negatives)
    vectorizer = _vectorizer()
    model = LogisticRegression(C=10, max_iter=3000, class_weight="balanced")
    model.fit(vectorizer.fit_transform(texts), labels)
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    np.savez_compressed(
        path,
        terms=np.array("\n".join(terms)),
        idf=vectorizer.idf_.astype(np.float32),
        coef=model.coef_[0].astype(np.float32),
        intercept=np.float32(model.intercept_[0]),
    )


_THEMES_WITHOUT_HEALTH = frozenset(
    {
        "acties_stakingen", "belastingservice", "cao_loonsverhoging", "contributie_lidmaatschap",
        "loon_te_laat", "overwerk", "pensioen", "reiskosten", "reorganisatie",
        "rooster_werktijden", "scholing", "thuiswerkvergoeding", "vaststellingsovereenkomst",
        "ww_uitkering", "energietoeslag", "oproepcontract", "uitzendwerk", "beoordeling",
    }
)  # fmt: skip


if __name__ == "__main__":
    train_and_save()
    print(f"wrote {MODEL_PATH}")
