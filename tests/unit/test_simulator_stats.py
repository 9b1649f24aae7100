"""Diversity measures of a run: masking planted values, templates used, phrasings."""

from datetime import date

from pipeline.simulator import simulate
from pipeline.simulator.stats import Diversity, masked_text


def test_masking_replaces_every_planted_value_by_its_type():
    event = {"text": "Ik ben Jan de Vries, BSN 111222333."}
    truth = {
        "pii": [
            {"type": "NAAM", "value": "Jan de Vries", "field": "text", "start": 7, "end": 19},
            {"type": "BSN", "value": "111222333", "field": "text", "start": 25, "end": 34},
        ]
    }
    assert masked_text(event, truth) == "Ik ben [NAAM], BSN [BSN]."


def test_diversity_counts_per_theme_and_channel():
    diversity = Diversity()
    pairs = list(simulate("baseline", date(2026, 3, 3), 1, seed=8))
    for event, truth in pairs:
        diversity.add(event, truth)
    summary = diversity.summary(phrasing_draws=100)
    assert summary["overall"]["total"] == len(pairs)
    assert sum(row["total"] for row in summary["by_channel"].values()) == len(pairs)
    for key, row in summary["by_theme"].items():
        assert 0 < row["distinct_masked"] <= 1
        assert 1 <= row["templates_used"] <= row["templates_available"], key
        assert 0 < row["distinct_phrasings"] <= 1
    # Every text is unique once names differ, and stays near-unique after masking them.
    assert summary["overall"]["distinct_masked"] > 0.95


def test_labelled_texts_are_redacted_single_theme_contacts():
    from pipeline.simulator import labelled_texts

    texts, labels = labelled_texts("baseline", days=2, limit=500)
    assert len(texts) == len(labels) == 500
    assert len(set(labels)) >= 25
    assert any("[NAAM]" in text for text in texts)
    assert labelled_texts("baseline", days=2, limit=500) == (texts, labels)
