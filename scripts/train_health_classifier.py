"""Train the health classifier's weights (`pipeline/redaction/health_model.npz`).

Run from the repository root: `PYTHONPATH=. .venv/bin/python scripts/train_health_classifier.py`.
It reads the hand-written sentences in `tests/data/health/` and simulated contacts about
subjects without health; the simulator is a training-time tool, so this lives outside the
runtime package (the import contracts keep `pipeline.redaction` free of the simulator).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from pipeline.redaction.health import health_terms
from pipeline.redaction.health_classifier import _SENTENCE_END, MODEL_PATH
from pipeline.redaction.health_classifier import vectorizer as make_vectorizer
from pipeline.simulator.labelled import labelled_texts


def train_and_save(path: Path = MODEL_PATH) -> None:
    folder = Path(__file__).resolve().parents[1] / "tests" / "data" / "health"
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
    vectorizer = make_vectorizer()
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
