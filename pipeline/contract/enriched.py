"""The record on `contact.enriched`: the redacted event, its fp16 embedding and its theme.

Written by the `enrich` agent, read once by the sink. `decode_enriched` is the one reader:
it rebuilds the typed record, or raises `UndecodableRecord` naming the field and the rule.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.contract.codec import UndecodableRecord, event_from_wire, json_of
from pipeline.contract.schema import ContactEvent

_REASON = "bad_enrichment"


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


def decode_enriched(raw: bytes | None) -> EnrichedContact:
    """The typed record, decoded once; the event's schema was checked at the door."""
    data = json_of(raw, _REASON, "record")
    if not isinstance(data, dict):
        raise UndecodableRecord(_REASON, "record", "must be a JSON object")
    for name in ("event", "redactions", "embedding", "embedding_model", "theme_id", "similarity"):
        if name not in data:
            raise UndecodableRecord(_REASON, name, "is missing")
    return EnrichedContact(event_from_wire(data["event"]), _enrichment(data))


def _enrichment(data: dict[str, Any]) -> Enrichment:
    redactions, similarity = data["redactions"], data["similarity"]
    if not isinstance(redactions, int) or isinstance(redactions, bool) or redactions < 0:
        raise UndecodableRecord(_REASON, "redactions", "must be a count")
    if not isinstance(data["embedding_model"], str):
        raise UndecodableRecord(_REASON, "embedding_model", "must be a string")
    if data["theme_id"] is not None and not isinstance(data["theme_id"], str):
        raise UndecodableRecord(_REASON, "theme_id", "must be a string or null")
    if similarity is not None and (
        not isinstance(similarity, int | float) or isinstance(similarity, bool)
    ):
        raise UndecodableRecord(_REASON, "similarity", "must be a number or null")
    facet_id = data.get("facet_id")  # absent in records enriched before the theme tree
    if facet_id is not None and not isinstance(facet_id, str):
        raise UndecodableRecord(_REASON, "facet_id", "must be a string or null")
    return Enrichment(
        redactions=redactions,
        embedding=_embedding(data["embedding"]),
        embedding_model=data["embedding_model"],
        theme_id=data["theme_id"],
        similarity=None if similarity is None else float(similarity),
        facet_id=facet_id,
    )


def _embedding(value: Any) -> np.ndarray:
    try:
        packed = base64.b64decode(value, validate=True)
    except (TypeError, ValueError, binascii.Error) as error:
        raise UndecodableRecord(_REASON, "embedding", "must be base64") from error
    if not packed or len(packed) % 2:
        raise UndecodableRecord(_REASON, "embedding", "must hold float16 values")
    vector = np.frombuffer(packed, dtype="<f2").astype(np.float32)
    if not np.isfinite(vector).all():
        raise UndecodableRecord(_REASON, "embedding", "must hold finite values")
    return vector
