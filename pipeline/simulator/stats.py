"""How varied a simulated run is: distinct texts per theme and per channel.

Raw texts are nearly all distinct because names and numbers differ, so the honest
measure masks every planted value (`<NAAM>`, `<BSN>` …) before comparing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


def masked_text(event: dict[str, Any], truth: dict[str, Any]) -> str:
    text = event["text"]
    spans = sorted((s for s in truth["pii"] if s["field"] == "text"), key=lambda s: -s["start"])
    for span in spans:
        text = f"{text[: span['start']]}<{span['type']}>{text[span['end'] :]}"
    return text


@dataclass
class _Tally:
    total: int = 0
    raw: set[int] = field(default_factory=set)
    masked: set[int] = field(default_factory=set)

    def add(self, raw: str, masked: str) -> None:
        self.total += 1
        self.raw.add(hash(raw))
        self.masked.add(hash(masked))

    def row(self) -> dict[str, float]:
        return {
            "total": self.total,
            "distinct_raw": round(len(self.raw) / self.total, 4),
            "distinct_masked": round(len(self.masked) / self.total, 4),
        }


@dataclass
class Diversity:
    """Feed it (event, truth) pairs; `summary()` gives distinct/total ratios."""

    by_theme: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    by_channel: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    overall: _Tally = field(default_factory=_Tally)

    def add(self, event: dict[str, Any], truth: dict[str, Any]) -> None:
        raw, masked = event["text"], masked_text(event, truth)
        theme = truth["themes"][0] if truth["themes"] else f"off_topic:{truth['off_topic']}"
        self.by_theme[theme].add(raw, masked)
        self.by_channel[event["channel"]].add(raw, masked)
        self.overall.add(raw, masked)

    def summary(self) -> dict[str, Any]:
        return {
            "overall": self.overall.row(),
            "by_channel": {k: v.row() for k, v in sorted(self.by_channel.items())},
            "by_theme": {k: v.row() for k, v in sorted(self.by_theme.items())},
        }
