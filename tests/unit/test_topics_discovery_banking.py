"""Discovery on real sentence embeddings: a slice of BANKING77 (10 intents × 20 questions)."""

import numpy as np
import pytest

from topics.datasets import load_dataset
from topics.discovery import DiscoveryConfig, ThemeDiscovery
from topics.metrics import score_clustering

N_INTENTS = 10
PER_INTENT = 20


@pytest.fixture(scope="module")
def banking_slice():
    from models.embedder import Embedder
    from pipeline.settings import Settings

    banking = load_dataset("banking77", use_extra=False)
    intents = sorted(set(banking.labels))[:: len(set(banking.labels)) // N_INTENTS][:N_INTENTS]
    rows = [
        [i for i, label in enumerate(banking.labels) if label == intent][:PER_INTENT]
        for intent in intents
    ]
    texts = [banking.texts[i] for group in rows for i in group]
    labels = [banking.labels[i] for group in rows for i in group]
    return (
        texts,
        labels,
        Embedder.load("minilm", models_dir=Settings.load().models_dir).encode(texts),
    )


def test_recovers_intents_without_being_told_how_many(banking_slice):
    texts, labels, embeddings = banking_slice
    result = ThemeDiscovery(DiscoveryConfig(language="en")).fit(texts, embeddings)
    scores = score_clustering(labels, result.assignments)
    assert scores.nmi > 0.75, scores
    assert scores.ari > 0.5, scores
    assert 6 <= scores.n_themes <= 20, scores
    assert scores.coverage >= 0.85, scores


def test_labels_and_quotes_describe_the_theme(banking_slice):
    texts, labels, embeddings = banking_slice
    result = ThemeDiscovery(DiscoveryConfig(language="en")).fit(texts, embeddings)
    quotes_show_main_intent = 0
    for theme in range(result.n_themes):
        assert result.labels[theme]
        assert not {"the", "my", "i", "de", "het"} & set(result.keyphrases[theme])
        members = np.flatnonzero(result.assignments == theme)
        assert set(result.quotes[theme]) <= set(members.tolist())
        member_labels = [labels[i] for i in members]
        majority = max(set(member_labels), key=member_labels.count)
        quotes_show_main_intent += majority in {labels[i] for i in result.quotes[theme]}
    # A theme that mixes two intents may be quoted by its minority; most must not be.
    assert quotes_show_main_intent >= 0.8 * result.n_themes
