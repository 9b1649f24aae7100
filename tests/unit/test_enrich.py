"""Redact → embed → assign, with a deterministic fake encoder and the real redactor."""

import json
from datetime import UTC, datetime

import numpy as np
import pytest

from pipeline.content import embedding_text
from pipeline.contract.enriched import decode_enriched
from pipeline.contract.schema import ContactEvent
from pipeline.enrich import Enricher
from pipeline.quotes import anonymised_quote, mentions_health
from pipeline.redaction import Redactor
from topics.model import ThemeModel, ThemeModelWatcher

DIM = 8


class RecordingEncoder:
    """Maps each text to a fixed direction by keyword, and remembers what it was given."""

    model_id, model_version = "fake", "1"

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.batch_sizes: list[int] = []

    def encode(self, texts, batch_size: int = 64) -> np.ndarray:
        self.seen.extend(texts)
        self.batch_sizes.append(batch_size)
        vectors = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            vectors[i, 0 if "pensioen" in text else 1] = 1.0
        return vectors


def contact(event_id: str, text: str, subject: str | None = None) -> ContactEvent:
    now = datetime(2026, 11, 20, 10, tzinfo=UTC)
    return ContactEvent(event_id, now, now, "test", "email", text, subject=subject)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


def model(tmp_path, ids=("T0001", "T0002")) -> ThemeModelWatcher:
    centroids = np.eye(DIM, dtype=np.float32)[: len(ids)]
    ThemeModel(
        list(ids),
        ["Pensioen", "Overig"],
        [["pensioen"], ["overig"]],
        centroids,
        0.5,
        "fake@1",
        "r1",
    ).save(tmp_path)
    return ThemeModelWatcher(tmp_path)


def test_the_encoder_only_ever_sees_redacted_text(tmp_path, redactor):
    encoder = RecordingEncoder()
    enricher = Enricher(redactor, encoder, model(tmp_path))
    text = "Mijn naam is Jan de Vries, BSN 111222333, vraag over mijn pensioen. Bel 06-12345678."
    (result,) = enricher.enrich([contact("e1", text, subject="Pensioen van Jan de Vries")])
    assert "111222333" not in encoder.seen[0] and "06-12345678" not in encoder.seen[0]
    assert "Jan de Vries" not in encoder.seen[0]
    assert "[BSN]" in result.event.text and "[TELEFOON]" in result.event.text
    assert result.enrichment.redactions >= 4
    assert (result.enrichment.theme_id, result.enrichment.embedding_model) == ("T0001", "fake@1")


def test_no_theme_without_a_model_or_with_another_encoders_model(tmp_path, redactor):
    enricher = Enricher(redactor, RecordingEncoder(), ThemeModelWatcher(tmp_path / "none"))
    assert enricher.enrich([contact("e1", "pensioen")])[0].enrichment.theme_id is None
    ThemeModel(["T1"], ["x"], [["x"]], np.eye(DIM)[:1], 0.1, "other@2", "r").save(
        tmp_path / "other"
    )
    enricher = Enricher(redactor, RecordingEncoder(), ThemeModelWatcher(tmp_path / "other"))
    assert enricher.enrich([contact("e1", "pensioen")])[0].enrichment.theme_id is None


def test_watcher_picks_up_a_new_model_without_restart(tmp_path, redactor):
    watcher = model(tmp_path)
    enricher = Enricher(redactor, RecordingEncoder(), watcher)
    assert enricher.enrich([contact("e1", "vraag")])[0].enrichment.theme_id == "T0002"
    model(tmp_path, ids=("T0001", "T0099"))
    assert enricher.enrich([contact("e2", "vraag")])[0].enrichment.theme_id == "T0099"


def test_enriched_record_round_trips(tmp_path, redactor):
    (result,) = Enricher(redactor, RecordingEncoder(), model(tmp_path)).enrich(
        [contact("e1", "pensioen")]
    )
    decoded = decode_enriched(result.to_json())
    assert decoded.event == result.event
    assert json.loads(result.to_json())["theme_id"] == "T0001"
    assert decoded.enrichment.theme_id == "T0001"
    np.testing.assert_allclose(decoded.enrichment.embedding, result.enrichment.embedding, atol=1e-3)


def test_embedding_text_includes_subject_and_is_capped():
    assert (
        embedding_text(
            contact("e", "Beste bond,\nbody\nMet vriendelijke groet,\n[NAAM]", subject="onderwerp")
        )
        == "onderwerp\nbody"
    )
    assert len(embedding_text(contact("e", "x" * 10_000))) == 2000


@pytest.mark.parametrize(
    "text",
    [
        "Ik ben al drie weken ziek thuis en de werkgever belt steeds.",
        "Mijn burn-out wordt niet erkend door de bedrijfsarts.",
    ],
)
def test_quotes_leave_out_health_details(text):
    assert mentions_health(text)
    assert anonymised_quote(text) is None


def test_quotes_are_short_and_without_speaker_labels():
    text = "Lid: Ik wil weten of mijn werkgever de thuiswerkvergoeding moet betalen.\n" * 10
    quote = anonymised_quote(text)
    assert quote is not None and len(quote) <= 302 and quote.endswith("…")
    assert "Lid:" not in quote


def test_a_micro_batch_is_encoded_in_sub_batches_of_the_configured_size(tmp_path, redactor):
    encoder = RecordingEncoder()
    enricher = Enricher(redactor, encoder, model(tmp_path), encode_batch_size=8)
    enricher.enrich([contact(f"e{i}", "Vraag over mijn pensioen") for i in range(20)])
    assert encoder.batch_sizes == [8]
