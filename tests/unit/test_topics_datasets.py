"""Loading labelled sets for theme evaluation: shared public sets and text,label files."""

import json

import pytest

from topics.datasets import load_dataset


def test_banking77_is_the_test_split_with_train_as_unlabelled_extra():
    banking = load_dataset("banking77")
    assert len(banking.texts) == len(banking.labels) == 3080
    assert len(set(banking.labels)) == 77
    assert len(banking.extra_texts) == 10003
    assert load_dataset("banking77", use_extra=False).extra_texts == []


def test_clinc150_keeps_in_scope_test_queries_only():
    clinc = load_dataset("clinc150")
    assert len(clinc.texts) == 4500
    assert len(set(clinc.labels)) == 150
    assert "oos" not in clinc.labels


def test_csv_and_jsonl_files_with_text_and_label(tmp_path):
    csv_file = tmp_path / "set.csv"
    csv_file.write_text(
        'text,label\n"Mijn loon, is te laat",loon\nOntslag op staande voet,ontslag\n'
    )
    jsonl_file = tmp_path / "set.jsonl"
    jsonl_file.write_text(
        "\n".join(json.dumps({"text": t, "label": lab}) for t, lab in [("a b", "x"), ("c", "y")])
    )
    from_csv = load_dataset(str(csv_file))
    assert from_csv.texts == ["Mijn loon, is te laat", "Ontslag op staande voet"]
    assert from_csv.labels == ["loon", "ontslag"]
    assert from_csv.language == "nl"
    assert load_dataset(str(jsonl_file)).labels == ["x", "y"]


def test_unknown_dataset_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown dataset"):
        load_dataset("no-such-set")


def test_simulated_contacts_are_masked_in_text_and_subject_like_the_pipeline_sees_them():
    from pipeline.content import embedding_text
    from topics.datasets import _masked_event

    event = {
        "event_id": "sim-1",
        "occurred_at": "2026-03-02T09:00:00+00:00",
        "received_at": "2026-03-02T09:01:00+00:00",
        "source": "simulator",
        "channel": "email",
        "subject": "Ontslag van Jan Smit",
        "text": "Beste,\nIk ben Jan Smit. Mijn werkgever wil mij ontslaan, mag dat?\nGroet",
    }
    truth = {
        "pii": [
            {"type": "NAAM", "field": "subject", "start": 12, "end": 20},
            {"type": "NAAM", "field": "text", "start": 14, "end": 22},
        ]
    }
    masked = _masked_event(event, truth)
    assert masked.subject == "Ontslag van [NAAM]"
    assert "Jan Smit" not in masked.text
    assert embedding_text(masked) == (
        "Ontslag van [NAAM]\nMijn werkgever wil mij ontslaan, mag dat?"
    )
