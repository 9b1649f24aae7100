"""How varied a simulated run is: distinct texts per theme and per channel.

Three measures, from loose to strict: distinct full texts with planted values masked
(`[NAAM]`, `[BSN]` …; channel wrappers alone make these almost all unique), the share
of a theme's situation × question templates a run used, and distinct member phrasings
(situation + question with slots, no wrapper) among N draws per theme.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from random import Random
from typing import Any

from pipeline.simulator.people import make_person
from pipeline.simulator.themes import Theme, load_off_topic, load_themes, phrase
from pipeline.simulator.workplace import SECTOR_WORK, work_slots


def masked_text(event: dict[str, Any], truth: dict[str, Any]) -> str:
    """The text with every planted value replaced by its `[TYPE]` token, as the redactor writes."""
    text = event["text"]
    spans = sorted((s for s in truth["pii"] if s["field"] == "text"), key=lambda s: -s["start"])
    for span in spans:
        text = f"{text[: span['start']]}[{span['type']}]{text[span['end'] :]}"
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
    templates: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, event: dict[str, Any], truth: dict[str, Any]) -> None:
        raw, masked = event["text"], masked_text(event, truth)
        theme = truth["themes"][0] if truth["themes"] else f"off_topic:{truth['off_topic']}"
        self.by_theme[theme].add(raw, masked)
        self.templates[theme].add(truth["templates"][0])
        self.by_channel[event["channel"]].add(raw, masked)
        self.overall.add(raw, masked)

    def summary(self, phrasing_draws: int = 1000) -> dict[str, Any]:
        catalogue = {**load_themes(), **{f"off_topic:{k}": t for k, t in load_off_topic().items()}}
        by_theme = {}
        for key, tally in sorted(self.by_theme.items()):
            theme = catalogue[key]
            by_theme[key] = {
                **tally.row(),
                "templates_used": len(self.templates[key]),
                "templates_available": theme.template_count,
                "distinct_phrasings": round(
                    len(set(sample_phrasings(theme, phrasing_draws))) / phrasing_draws, 4
                ),
            }
        return {
            "overall": self.overall.row(),
            "by_channel": {k: v.row() for k, v in sorted(self.by_channel.items())},
            "by_theme": by_theme,
            "phrasing_draws": phrasing_draws,
        }


def sample_phrasings(theme: Theme, draws: int, seed: int = 11) -> list[str]:
    """What members say about `theme` (no channel wrapper), across sectors and people."""
    rng = Random(seed)
    sectors = list(SECTOR_WORK)
    today = date(2026, 5, 4)
    phrasings = []
    for i in range(draws):
        person = make_person(rng, "M1", "NL-GE", sectors[i % len(sectors)], today)
        slots = work_slots(rng, person.sector, person.city.name, today)
        slots["dagdeel"], slots["dagdeel_klein"] = "Goedemorgen", "goedemorgen"
        phrasings.append(phrase(theme, rng, slots, person.pii, detail_chance=0.0).plain())
    return phrasings
