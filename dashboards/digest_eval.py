"""Score the weekly digest an official reads against a simulated run's truth.

The theme scores (`ledenradar evaluate stream`) say how well contacts are grouped; this says
whether the digest's "Meest genoemde thema's" tells the week as it was: for each theme listed,
the true subject most of its contacts that week have, how many contacts that subject truly
had, and how far the digest's count is from it; and which of the week's busiest true subjects
the list misses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dashboards.digest import ThemeRow

OFF_TOPIC = "off_topic"


@dataclass(frozen=True)
class DigestLine:
    name: str
    shown: int | None  # None: suppressed in the digest
    subject: str  # the true subject most of the theme's contacts of the week have
    subject_share: float  # that subject's share of the theme's contacts of the week
    true_count: int  # the subject's contacts of the week, whatever theme they went to

    @property
    def error(self) -> float | None:
        """(shown - true) / true; None where the digest shows no number."""
        if self.shown is None or not self.true_count:
            return None
        return (self.shown - self.true_count) / self.true_count


@dataclass(frozen=True)
class DigestScore:
    week: str
    lines: list[DigestLine]
    busiest: list[tuple[str, int]]  # the week's true subjects, busiest first
    listed: set[str]  # subjects some listed theme stands for

    def missing(self, top: int) -> list[tuple[str, int]]:
        """The week's `top` busiest true subjects (off-topic aside) no listed theme stands for."""
        return [(s, n) for s, n in self.busiest[:top] if s not in self.listed]

    def within(self, tolerance: float) -> float:
        """Share of listed themes whose count is within `tolerance` of their subject's."""
        errors = [line.error for line in self.lines]
        return sum(e is not None and abs(e) <= tolerance for e in errors) / max(len(errors), 1)


def score_digest(
    week: str,
    top_themes: Iterable[ThemeRow],
    contacts: Iterable[tuple[str, str | None, str]],
    truth: Mapping[str, str | None],
) -> DigestScore:
    """`contacts`: (event_id, theme_id, iso_week) of the run; `truth`: event_id → the true
    subject (None: off-topic)."""
    of_week = [(e, t) for e, t, w in contacts if w == week]
    true_counts = Counter(truth.get(e) or OFF_TOPIC for e, _ in of_week)
    by_theme: dict[str, Counter] = {}
    for event_id, theme_id in of_week:
        if theme_id is not None:
            by_theme.setdefault(theme_id, Counter())[truth.get(event_id) or OFF_TOPIC] += 1
    lines = []
    for row in top_themes:
        members = by_theme.get(row.theme_id, Counter())
        subject, n = members.most_common(1)[0] if members else (OFF_TOPIC, 0)
        share = n / max(sum(members.values()), 1)
        lines.append(DigestLine(row.name, row.contacts, subject, share, true_counts[subject]))
    busiest = [(s, n) for s, n in true_counts.most_common() if s != OFF_TOPIC]
    return DigestScore(week, lines, busiest, {line.subject for line in lines})
