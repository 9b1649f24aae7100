"""Kafka header names, and reading the origin header back without ever raising."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.contract.codec import UndecodableRecord
from pipeline.contract.dead_letter import Origin

# On every record past `validate`: topic/partition/offset of the raw record it came from.
ORIGIN_HEADER = "ledenradar-origin"
# On a source's dead letters: the source's own reference for the input (file and position).
SOURCE_REF_HEADER = "ledenradar-source-ref"


def origin_of(headers: Iterable[tuple[str, bytes]] | None, here: Origin) -> Origin:
    """The raw origin a record carries, or `here` when it carries none.

    A malformed header raises `UndecodableRecord`, so the caller dead-letters the record
    instead of failing on it again after every restart."""
    value = dict(headers or []).get(ORIGIN_HEADER)
    if value is None:
        return here
    try:
        return Origin.from_header(value)
    except (ValueError, TypeError, AttributeError) as error:
        raise UndecodableRecord(
            "bad_header", ORIGIN_HEADER, "must be topic/partition/offset"
        ) from error
