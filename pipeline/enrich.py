"""Redact, embed and assign a theme: the per-contact work between validation and landing.

Redaction comes first and everything after it sees only redacted text: the
embedding, the theme, the warehouse, the quotes.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from pipeline.content import member_words
from pipeline.redaction import Redactor
from pipeline.schema import ContactEvent
from topics.model import ThemeModelWatcher

# Long e-mail threads add little beyond their first part to the theme and cost encoder time.
EMBED_MAX_CHARS = 2000


class TextEncoder(Protocol):
    model_id: str
    model_version: str

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


@dataclass(frozen=True)
class Enrichment:
    redactions: int
    embedding: np.ndarray
    embedding_model: str
    theme_id: str | None
    similarity: float | None  # None: no theme model to compare with yet (see `assign_waiting`)
    facet_id: str | None = None  # the nearest facet; its theme is `theme_id`


@dataclass(frozen=True)
class EnrichedContact:
    event: ContactEvent  # text and subject already redacted
    enrichment: Enrichment

    def to_json(self) -> bytes:
        e = self.enrichment
        data: dict[str, Any] = {
            "event": self.event.to_dict(),
            "redactions": e.redactions,
            "embedding": base64.b64encode(e.embedding.astype("<f2").tobytes()).decode("ascii"),
            "embedding_model": e.embedding_model,
            "theme_id": e.theme_id,
            "similarity": e.similarity,
            "facet_id": e.facet_id,
        }
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    @staticmethod
    def parse(raw: bytes) -> tuple[dict[str, Any], Enrichment]:
        """The event as a dict (to be re-validated by the caller) and its enrichment."""
        data = json.loads(raw)
        vector = np.frombuffer(base64.b64decode(data["embedding"]), dtype="<f2").astype(np.float32)
        enrichment = Enrichment(
            redactions=int(data["redactions"]),
            embedding=vector,
            embedding_model=str(data["embedding_model"]),
            theme_id=data["theme_id"],
            similarity=None if data["similarity"] is None else float(data["similarity"]),
            facet_id=data.get("facet_id"),  # absent in messages enriched before the tree
        )
        return data["event"], enrichment


def embedding_text(event: ContactEvent) -> str:
    """What the encoder sees: the subject and the member's own words (see `pipeline.content`)."""
    words = member_words(event.text)
    text = f"{event.subject}\n{words}" if event.subject else words
    return text[:EMBED_MAX_CHARS]


class Enricher:
    def __init__(
        self,
        redactor: Redactor,
        encoder: TextEncoder,
        themes: ThemeModelWatcher,
        encode_batch_size: int = 16,
    ) -> None:
        self.redactor = redactor
        self.encoder = encoder
        self.themes = themes
        self.encode_batch_size = encode_batch_size

    @property
    def model_name(self) -> str:
        return f"{self.encoder.model_id}@{self.encoder.model_version}"

    def redact(self, event: ContactEvent) -> tuple[ContactEvent, int]:
        body = self.redactor.redact(event.text)
        subject = self.redactor.redact(event.subject) if event.subject else None
        count = len(body.spans) + (len(subject.spans) if subject else 0)
        return replace(event, text=body.text, subject=subject.text if subject else None), count

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
