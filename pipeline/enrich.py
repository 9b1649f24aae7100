"""Redact, embed and assign a theme: the per-contact work between validation and landing.

Redaction comes first and everything after it sees only redacted text: the
embedding, the theme, the warehouse, the quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from models.encoder import TextEncoder
from pipeline.content import embedding_text
from pipeline.contract.enriched import EnrichedContact, Enrichment
from pipeline.contract.schema import ContactEvent
from pipeline.redaction import Redactor
from topics.model import ThemeModelWatcher

if TYPE_CHECKING:
    from pipeline.settings import Settings


def redact_event(redactor: Redactor, event: ContactEvent) -> tuple[ContactEvent, int]:
    """The event with its text and subject redacted, and how many spans were replaced."""
    body = redactor.redact(event.text)
    subject = redactor.redact(event.subject) if event.subject else None
    count = len(body.spans) + (len(subject.spans) if subject else 0)
    return replace(event, text=body.text, subject=subject.text if subject else None), count


class Enricher:
    def __init__(
        self,
        redactor: Redactor,
        encoder: TextEncoder,
        themes: ThemeModelWatcher,
        encode_batch_size: int = 6,
    ) -> None:
        self.redactor = redactor
        self.encoder = encoder
        self.themes = themes
        self.encode_batch_size = encode_batch_size

    @property
    def model_name(self) -> str:
        return f"{self.encoder.model_id}@{self.encoder.model_version}"

    def redact(self, event: ContactEvent) -> tuple[ContactEvent, int]:
        return redact_event(self.redactor, event)

    def enrich(self, events: Sequence[ContactEvent]) -> list[EnrichedContact]:
        if not events:
            return []
        redacted = [self.redact(event) for event in events]
        vectors = self.encoder.encode(
            [embedding_text(event) for event, _ in redacted], batch_size=self.encode_batch_size
        )
        model = self.themes.current()
        if model is not None and model.embedding_model == self.model_name:
            found = model.assigner().assign(model.prepare(vectors))
            assignments = [(a.theme_id, a.similarity, a.facet_id) for a in found]
        else:
            # No themes yet, or themes made with another encoder: the sink assigns these
            # once a model fits (`pipeline.themes.retheme.assign_waiting`).
            assignments = [(None, None, None)] * len(events)
        return [
            EnrichedContact(
                event,
                Enrichment(
                    count,
                    vector,
                    self.model_name,
                    theme,
                    None if sim is None else float(sim),
                    facet,
                ),
            )
            for (event, count), vector, (theme, sim, facet) in zip(
                redacted, vectors, assignments, strict=True
            )
        ]


def enricher_from_settings(settings: Settings) -> Enricher:
    """The redactor, the settings' encoder and the theme model file's watcher.

    No embedding cache here: streamed texts are almost never seen twice, and refits read
    the vectors back from the warehouse instead of re-encoding."""
    from models.embedder import load_encoder

    encoder = load_encoder(
        settings.embedding_model,
        settings.embedding_backend,
        settings.embedding_variant,
        threads=settings.encode_threads or None,
        models_dir=settings.models_dir,
    )
    return Enricher(
        Redactor(), encoder, ThemeModelWatcher(settings.themes_dir), settings.encode_batch_size
    )
