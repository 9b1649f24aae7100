"""Text assembled from plain pieces and planted personal data, keeping every span.

Channel renderers build a contact as a list of segments; plain strings may be
reshaped (hesitations, chat spelling) but `Pii` segments never are, so the
recorded offsets always point at the exact planted value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from random import Random
from typing import TypeVar

from pipeline.redaction.spans import PII_TYPES  # the simulator plants what the redactor must find

T = TypeVar("T")


@dataclass(frozen=True)
class Pii:
    type: str
    value: str


Segment = str | Pii

_ALTERNATION = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_SLOT = re.compile(r"\{([A-Za-z_]+)\}")


@dataclass(frozen=True)
class _Slot:
    name: str


@dataclass(frozen=True)
class _Choice:
    options: tuple[tuple[str | _Slot, ...], ...]


_Part = str | _Slot | _Choice


@cache
def _compiled(template: str) -> tuple[_Part, ...]:
    """Parse a template once: literals, {slots} and [a|b] choices (which may hold slots)."""
    parts: list[_Part] = []
    position = 0
    for match in _ALTERNATION.finditer(template):
        parts += _slots(template[position : match.start()])
        options = tuple(tuple(_slots(option)) for option in match.group(1).split("|"))
        parts.append(_Choice(options))
        position = match.end()
    parts += _slots(template[position:])
    return tuple(parts)


def _slots(text: str) -> list[str | _Slot]:
    parts: list[str | _Slot] = []
    position = 0
    for match in _SLOT.finditer(text):
        parts += [text[position : match.start()], _Slot(match.group(1))]
        position = match.end()
    parts.append(text[position:])
    return [p for p in parts if p != ""]


def render(template: str, slots: dict[str, str], pii: dict[str, str], rng: Random) -> list[Segment]:
    """Fill a template: choices are drawn left to right, lower-case slots are plain words,
    upper-case ones planted PII."""
    segments: list[Segment] = []
    words: list[str] = []

    def fill(parts: Iterable[_Part]) -> None:
        for part in parts:
            if isinstance(part, str):
                words.append(part)
            elif isinstance(part, _Slot):
                if part.name in PII_TYPES:
                    if words:
                        segments.append("".join(words))
                        words.clear()
                    segments.append(Pii(part.name, pii[part.name]))
                else:
                    words.append(slots[part.name])
            else:
                fill(pick(rng, part.options))

    fill(_compiled(template))
    if words:
        segments.append("".join(words))
    return segments


def reshape(segments: list[Segment], change: Callable[[str], str]) -> list[Segment]:
    """Apply a register change to the plain pieces only."""
    return [change(s) if isinstance(s, str) else s for s in segments]


def assemble(segments: Iterable[Segment], field: str = "text") -> tuple[str, list[dict]]:
    """Join segments into one string and the spans of its planted values."""
    parts: list[str] = []
    spans: list[dict] = []
    offset = 0
    for segment in segments:
        if isinstance(segment, Pii):
            spans.append(
                {
                    "type": segment.type,
                    "value": segment.value,
                    "field": field,
                    "start": offset,
                    "end": offset + len(segment.value),
                }
            )
            value = segment.value
        else:
            value = segment
        parts.append(value)
        offset += len(value)
    return "".join(parts), spans


def pick(rng: Random, options: Sequence[T]) -> T:
    """`rng.choice` at a third of its cost, which matters at 200,000 contacts."""
    return options[int(rng.random() * len(options))]


def between(rng: Random, low: int, high: int) -> int:
    """`rng.randrange(low, high)` without its argument checks, for the hot loop."""
    return low + int(rng.random() * (high - low))
