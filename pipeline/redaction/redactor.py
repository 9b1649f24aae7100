"""The Redactor: find personal data, resolve overlaps, replace with typed Dutch tokens."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.redaction.gazetteer import load_gazetteer
from pipeline.redaction.names import NameDetector
from pipeline.redaction.patterns import (
    DEFAULT_MEMBER_CUES,
    DEFAULT_MEMBER_PATTERNS,
    PatternDetector,
)
from pipeline.redaction.spans import PII_TYPES, Span

_PRIORITY = {kind: rank for rank, kind in enumerate(PII_TYPES)}


@dataclass(frozen=True)
class RedactorConfig:
    """What counts as a member number differs per union; everything else is fixed Dutch format."""

    member_cues: str = DEFAULT_MEMBER_CUES
    member_patterns: tuple[str, ...] = DEFAULT_MEMBER_PATTERNS
    detect_names: bool = True


@dataclass(frozen=True)
class RedactionResult:
    text: str
    spans: tuple[Span, ...] = field(default_factory=tuple)
    """Detected spans in ORIGINAL-text offsets, sorted by start."""


class Redactor:
    """Reusable and thread-compatible: patterns compile and lists load once, in __init__."""

    def __init__(self, config: RedactorConfig | None = None) -> None:
        self.config = config or RedactorConfig()
        gazetteer = load_gazetteer()
        self._patterns = PatternDetector(
            gazetteer, self.config.member_cues, self.config.member_patterns
        )
        self._names = NameDetector(gazetteer) if self.config.detect_names else None

    def detect(self, text: str) -> tuple[Span, ...]:
        found = list(self._patterns.find(text))
        if self._names is not None:
            found.extend(self._names.find(text))
        return resolve_overlaps(found)

    def redact(self, text: str) -> RedactionResult:
        spans = self.detect(text)
        return RedactionResult(replace_spans(text, spans), spans)


def resolve_overlaps(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Merge overlapping spans of one type, then let the more certain type win overlaps."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.type, s.start, -s.end)):
        last = merged[-1] if merged else None
        if last is not None and last.type == span.type and span.start <= last.end:
            merged[-1] = Span(last.start, max(last.end, span.end), span.type)
        else:
            merged.append(span)
    kept: list[Span] = []  # non-overlapping, sorted by start
    for span in sorted(merged, key=lambda s: (_PRIORITY[s.type], s.start)):
        index = bisect.bisect_left(kept, span)
        if index > 0 and kept[index - 1].end > span.start:
            continue
        if index < len(kept) and kept[index].start < span.end:
            continue
        kept.insert(index, span)
    return tuple(kept)


def replace_spans(text: str, spans: Iterable[Span]) -> str:
    parts = []
    cursor = 0
    for span in sorted(spans):
        parts.append(text[cursor : span.start])
        parts.append(span.token())
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)
