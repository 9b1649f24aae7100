"""Train the health classifier's weights (`pipeline/redaction/health_model.npz`).

Run from the repository root: `PYTHONPATH=. .venv/bin/python scripts/train_health_classifier.py`.
It reads the hand-written sentences in `tests/data/health/` (the main set, held-out 1–3
and, since the eighth session, the former final set; never `holdout2_*.txt`, the held-out
set of that session) and simulated contacts about subjects without health; the simulator is a training-time tool, so this lives outside the
runtime package (the import contracts keep `pipeline.redaction` free of the simulator).

`--cross-validate` prints, per threshold, the 5-fold cross-validated share of health
sentences flagged and of other sentences flagged, by the classifier alone and by the
shipped rule (lexicon or classifier): how THRESHOLD was chosen, without looking at the
held-out set (`holdout2_*.txt`, never trained on).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from pipeline.redaction.health import health_terms
from pipeline.redaction.health_classifier import _SENTENCE_END, MODEL_PATH
from pipeline.redaction.health_classifier import vectorizer as make_vectorizer
from pipeline.simulator.labelled import labelled_texts

FOLDER = Path(__file__).resolve().parents[1] / "tests" / "data" / "health"
TRAINING_SETS = ("", "heldout_", "heldout2_", "heldout3_", "final_")
REGULARISATION = 10.0


def hand_written() -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    for stem in TRAINING_SETS:
        for name, label in ((f"{stem}health.txt", 1), (f"{stem}not_health.txt", 0)):
            lines = (FOLDER / name).read_text(encoding="utf-8").splitlines()
            sentences = [line for line in lines if line.strip() and not line.startswith("#")]
            texts += sentences
            labels += [label] * len(sentences)
    return texts, labels


def simulated_negatives() -> list[str]:
    """Sentences of simulated contacts about subjects without health, no lexicon hit."""
    simulated, themes = labelled_texts("baseline", days=30, seed=11, limit=3000)
    negatives = [
        sentence
        for text, theme in zip(simulated, themes, strict=True)
        if theme in _THEMES_WITHOUT_HEALTH
        for sentence in _SENTENCE_END.split(text)
        if len(sentence) > 15 and not health_terms(sentence)
    ]
    return list(dict.fromkeys(negatives))[:3000]


def fit(texts: list[str], labels: list[int]) -> tuple[TfidfVectorizer, LogisticRegression]:
    vectorizer = make_vectorizer()
    model = LogisticRegression(C=REGULARISATION, max_iter=3000, class_weight="balanced")
    model.fit(vectorizer.fit_transform(texts), labels)
    return vectorizer, model


def train_and_save(path: Path = MODEL_PATH) -> None:
    texts, labels = hand_written()
    negatives = simulated_negatives()
    vectorizer, model = fit(texts + negatives, labels + [0] * len(negatives))
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    np.savez_compressed(
        path,
        terms=np.array("\n".join(terms)),
        idf=vectorizer.idf_.astype(np.float32),
        coef=model.coef_[0].astype(np.float32),
        intercept=np.float32(model.intercept_[0]),
    )


def cross_validate() -> None:
    texts, labels = hand_written()
    negatives = simulated_negatives()
    x, y = np.array(texts, dtype=object), np.array(labels)
    probabilities = np.zeros(len(x))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
        vectorizer, model = fit(list(x[train]) + negatives, list(y[train]) + [0] * len(negatives))
        probabilities[test] = model.predict_proba(vectorizer.transform(list(x[test])))[:, 1]
    lexicon = np.array([bool(health_terms(text)) for text in x])
    for threshold in (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        flagged = probabilities >= threshold
        either = flagged | lexicon  # the shipped rule: lexicon or classifier
        print(
            f"threshold {threshold:.2f}: classifier alone {flagged[y == 1].mean():.3f} of "
            f"health sentences flagged, {flagged[y == 0].mean():.3f} of others; with the "
            f"lexicon {either[y == 1].mean():.3f} / {either[y == 0].mean():.3f}"
        )


_THEMES_WITHOUT_HEALTH = frozenset(
    {
        "acties_stakingen", "belastingservice", "cao_loonsverhoging", "contributie_lidmaatschap",
        "loon_te_laat", "overwerk", "pensioen", "reiskosten", "reorganisatie",
        "rooster_werktijden", "scholing", "thuiswerkvergoeding", "vaststellingsovereenkomst",
        "ww_uitkering", "energietoeslag", "oproepcontract", "uitzendwerk", "beoordeling",
        "ontslag", "tijdelijk_contract", "vakantiedagen", "zzp", "vakantiegeld",
        "transitievergoeding", "proeftijd", "intimidatie", "ai_monitoring",
    }
)  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cross-validate", action="store_true")
    if parser.parse_args().cross_validate:
        cross_validate()
    else:
        train_and_save()
        print(f"wrote {MODEL_PATH}")
