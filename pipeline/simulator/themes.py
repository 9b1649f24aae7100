"""The Dutch theme catalogue: loading, checking and turning templates into phrasings.

A phrasing is what a member says about one theme: a situation and a question, each
with inline choices and slot values. Channels wrap phrasings in their own register.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from random import Random

import yaml

from pipeline.contract.vocab import CHANNELS, SECTORS
from pipeline.redaction.spans import PII_TYPES
from pipeline.simulator.text import Segment, between, pick, render

_HERE = Path(__file__).parent
MIN_SITUATIONS = 8
MIN_QUESTIONS = 5


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    weight: float
    second_line: float
    sectors: dict[str, float]
    related: tuple[str, ...]
    pii: tuple[str, ...]
    channels: tuple[str, ...]
    subjects: tuple[str, ...]
    situations: tuple[str, ...]
    questions: tuple[str, ...]
    details: tuple[str, ...]

    @property
    def template_count(self) -> int:
        return len(self.situations) * len(self.questions)

    def sector_affinity(self, sector: str) -> float:
        return self.sectors.get(sector, 1.0)


@dataclass(frozen=True)
class Phrasing:
    situation: list[Segment]
    question: list[Segment]
    detail: list[Segment] | None
    template: str  # "theme:s3q1", which templates were used

    def plain(self) -> str:
        """The phrasing as one line (planted values written as they are)."""
        parts = [self.situation, self.question, *([self.detail] if self.detail else [])]
        return " ".join(_flatten(p) for p in parts)


def _flatten(segments: list[Segment]) -> str:
    return "".join(s if isinstance(s, str) else s.value for s in segments)


def phrase(
    theme: Theme, rng: Random, slots: dict[str, str], pii: dict[str, str], detail_chance: float
) -> Phrasing:
    s = between(rng, 0, len(theme.situations))
    q = between(rng, 0, len(theme.questions))
    situation = _capitalised(render(theme.situations[s], slots, pii, rng))
    question = render(theme.questions[q], slots, pii, rng)
    detail = None
    if theme.details and rng.random() < detail_chance:
        detail = render(pick(rng, theme.details), slots, pii, rng)
    return Phrasing(situation, question, detail, f"{theme.id}:s{s}q{q}")


def _capitalised(segments: list[Segment]) -> list[Segment]:
    first = segments[0]
    if isinstance(first, str) and first and first[0].islower():
        return [first[0].upper() + first[1:], *segments[1:]]
    return segments


@cache
def load_themes() -> dict[str, Theme]:
    """Work themes, in file order (weight 0 means: only through a scenario effect)."""
    return _load(_HERE / "themes_nl.yaml", work_themes=True)


@cache
def load_off_topic() -> dict[str, Theme]:
    return _load(_HERE / "off_topic_nl.yaml", work_themes=False)


def _load(path: Path, work_themes: bool) -> dict[str, Theme]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    themes = {key: _theme(key, spec, work_themes) for key, spec in raw.items()}
    for theme in themes.values():
        unknown = set(theme.related) - set(themes)
        if unknown:
            raise ValueError(f"{path.name}: {theme.id} relates to unknown {sorted(unknown)}")
    return themes


def _theme(key: str, spec: dict, work_theme: bool) -> Theme:
    def strings(name: str) -> tuple[str, ...]:
        return tuple(str(s) for s in spec.get(name, ()))

    theme = Theme(
        id=key,
        label=spec.get("label", key),
        weight=float(spec.get("weight", 1.0)),
        second_line=float(spec.get("second_line", 0.0)),
        sectors={str(k): float(v) for k, v in (spec.get("sectors") or {}).items()},
        related=strings("related"),
        pii=strings("pii"),
        channels=strings("channels") or CHANNELS,
        subjects=strings("subjects"),
        situations=strings("situations"),
        questions=strings("questions"),
        details=strings("details"),
    )
    problems = []
    if work_theme and len(theme.situations) < MIN_SITUATIONS:
        problems.append(f"needs >= {MIN_SITUATIONS} situations")
    if work_theme and len(theme.questions) < MIN_QUESTIONS:
        problems.append(f"needs >= {MIN_QUESTIONS} questions")
    if not theme.subjects:
        problems.append("needs subjects")
    if set(theme.sectors) - set(SECTORS):
        problems.append(f"unknown sectors {sorted(set(theme.sectors) - set(SECTORS))}")
    if set(theme.pii) - set(PII_TYPES):
        problems.append(f"unknown PII types {sorted(set(theme.pii) - set(PII_TYPES))}")
    if set(theme.channels) - set(CHANNELS):
        problems.append("unknown channels")
    if problems:
        raise ValueError(f"theme {key}: {'; '.join(problems)}")
    return theme
