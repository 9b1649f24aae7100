"""Episodes: the one reader of `marts.theme_episodes`, for every view that shows an alert.

An *episode* is a rising or new theme in one segment (heel Nederland, a province, a
sector, or a sector in a province): a continuous run of alerts of that theme in that
segment. Alert d with window w (1, 3 or 7 days) covers days d-w+1 .. d; it belongs to the
run of the alert before it when no day lies uncovered between them (d - w <= the previous
alert day), and otherwise opens a new episode. The episode *starts* on the first alert day
of its run. Only alerts the mart publishes (at least 5 contacts, counted from the
contacts as themed now) count, so the start is always a day an official can see an
alert on. The mart computes all of this (`pipeline/warehouse/sql/35_episodes.sql`);
this module only reads and words it, so the overview, theme page, alert list, digest,
alert mail and dossier cannot disagree on a start, a window or a count.

A theme's *headline* in a period is its alert on the latest alert day of that period,
in the segment ranked first that day (highest rate ratio, then count).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from dashboards.dutch import IsoWeek, day_label, decimal_text, segment_label, window_label

KIND_LABELS = {"new_theme": "Nieuw thema", "surge": "Sterk stijgend", "new_facet": "Nieuw aspect"}
SEGMENT_ORDER = {"national": 0, "province": 1, "sector": 2, "province_sector": 3}


@dataclass(frozen=True)
class EpisodeAlert:
    """One alert day of an episode, exactly as `marts.theme_episodes` publishes it."""

    theme_id: str
    theme_name: str
    kind: str
    segment_kind: str
    segment_value: str
    day: date
    episode_start: date
    episode_kind: str
    window_days: int
    observed: int
    expected: float
    rate_ratio: float | None
    segment_rank: int
    facet_id: str | None = None  # the new facet of a new_facet alert
    facet_name: str | None = None

    @property
    def headline(self) -> str:
        """What the alert is about: the theme, or a known theme's new facet."""
        if self.kind == "new_facet" and self.facet_name:
            return f"Nieuw aspect van thema {self.theme_name}: {self.facet_name}"
        return f"{self.episode_label}: {self.theme_name}"

    @property
    def kind_label(self) -> str:
        return self._label(self.kind)

    @property
    def episode_label(self) -> str:
        """What the episode is, by the alert that opened it: 'Nieuw thema' or 'Sterk stijgend'."""
        return self._label(self.episode_kind)

    def _label(self, kind: str) -> str:
        if kind == "new_facet" and self.facet_name:
            return f"Nieuw aspect: {self.facet_name}"
        return KIND_LABELS.get(kind, kind)

    @property
    def where(self) -> str:
        return segment_label(self.segment_kind, self.segment_value)

    @property
    def start_label(self) -> str:
        return day_label(self.episode_start)

    @property
    def since_label(self) -> str:
        return f"sinds {day_label(self.episode_start)}"

    @property
    def day_label(self) -> str:
        return day_label(self.day)

    @property
    def window_label(self) -> str:
        return window_label(self.window_days)

    @property
    def count_sentence(self) -> str:
        """e.g. '77 contacten over 7 dagen t/m 22 november 2026 (verwacht 4,0)'."""
        return (
            f"{self.observed} contacten {self.window_label} t/m {day_label(self.day)}"
            f" (verwacht {decimal_text(self.expected)})"
        )

    @property
    def drill_query(self) -> dict[str, str]:
        """The drill-down cell of the alert's segment in the alert's week. The drill path
        starts at the province, so a sector alone opens at heel Nederland."""
        query = {"week": str(IsoWeek.of(self.day)), "theme": self.theme_id}
        if self.facet_id:
            query["facet"] = self.facet_id
        if self.segment_kind == "province":
            query["province"] = self.segment_value
        elif self.segment_kind == "province_sector":
            query["province"], _, query["sector"] = self.segment_value.partition("|")
        return query

    @property
    def key(self) -> str:
        """Identifies the alert (theme, kind, segment, day), e.g. for the mail's sent log."""
        subject = f"{self.theme_id}/{self.facet_id}" if self.facet_id else self.theme_id
        return f"{subject}|{self.kind}|{self.segment_kind}|{self.segment_value}|{self.day}"


COLUMNS = (
    "theme_id, theme_name, kind, segment_kind, segment_value, day, episode_start, episode_kind,"
    " window_days,"
    " observed, expected, rate_ratio, segment_rank, facet_id, facet_name"
)


def episode_alerts(
    con: duckdb.DuckDBPyConnection,
    theme_id: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[EpisodeAlert]:
    """Published alerts, newest first, optionally of one theme and within some days."""
    rows = con.execute(
        f"SELECT {COLUMNS} FROM marts.theme_episodes"
        " WHERE (?::VARCHAR IS NULL OR theme_id = ?)"
        " AND (?::DATE IS NULL OR day >= ?) AND (?::DATE IS NULL OR day <= ?)"
        " ORDER BY day DESC, segment_rank, theme_id",
        [theme_id, theme_id, first_day, first_day, last_day, last_day],
    ).fetchall()
    return [EpisodeAlert(*row) for row in rows]


def headline(alerts: Iterable[EpisodeAlert]) -> EpisodeAlert | None:
    """The alert that tells a theme's story: latest day, then the best-ranked segment."""
    return min(alerts, key=lambda a: (-a.day.toordinal(), a.segment_rank), default=None)


def places(alerts: Iterable[EpisodeAlert]) -> list[str]:
    """Where the alerts fired, national first, each place once."""
    ordered = sorted(alerts, key=lambda a: (SEGMENT_ORDER[a.segment_kind], a.segment_value))
    return list(dict.fromkeys(a.where for a in ordered))


@dataclass(frozen=True)
class SegmentEpisode:
    """One episode of the mart: a theme's (or facet's) run of alerts in one segment."""

    alerts: tuple[EpisodeAlert, ...]  # newest first

    @property
    def latest(self) -> EpisodeAlert:
        return self.alerts[0]

    @property
    def covers_from(self) -> date:
        """The first day any of its alert windows reaches back to."""
        return min(a.day - timedelta(days=a.window_days - 1) for a in self.alerts)

    @property
    def rank_key(self) -> tuple:
        latest = self.latest
        return (-(latest.rate_ratio or 0.0), -latest.observed, SEGMENT_ORDER[latest.segment_kind])


@dataclass(frozen=True)
class EpisodeBlock:
    """What the theme page and dossier tell as one story: the episodes of one theme (or one
    new facet) in several segments whose windows overlap in time, segments ranked."""

    segments: tuple[SegmentEpisode, ...]  # ranked: highest rate ratio of its latest alert first

    @property
    def alerts(self) -> list[EpisodeAlert]:
        return [a for s in self.segments for a in s.alerts]

    @property
    def start(self) -> date:
        return min(s.latest.episode_start for s in self.segments)

    @property
    def end(self) -> date:
        return max(s.latest.day for s in self.segments)

    @property
    def opener(self) -> EpisodeAlert:
        """The latest alert of the segment whose episode started first (national first)."""
        first = min(
            self.segments,
            key=lambda s: (s.latest.episode_start, SEGMENT_ORDER[s.latest.segment_kind]),
        )
        return first.latest

    @property
    def headline(self) -> EpisodeAlert:
        return headline(self.alerts)  # type: ignore[return-value]

    @property
    def title(self) -> str:
        """e.g. 'Nieuw thema sinds 14 november 2026 (eerst in heel Nederland)'."""
        opener = self.opener
        return f"{opener.episode_label} sinds {day_label(self.start)} (eerst in {opener.where})"


def episode_blocks(alerts: Iterable[EpisodeAlert]) -> list[EpisodeBlock]:
    """The alerts grouped per episode (the mart's start), and episodes whose days overlap
    (from the first day a window reaches back to, to the last alert day) into one block;
    a new facet's episodes stay apart from the theme's. Newest block first."""
    runs: dict[tuple, list[EpisodeAlert]] = {}
    for a in sorted(alerts, key=lambda a: a.day, reverse=True):
        runs.setdefault((a.facet_id, a.segment_kind, a.segment_value, a.episode_start), []).append(
            a
        )
    episodes = sorted(
        (SegmentEpisode(tuple(r)) for r in runs.values()), key=lambda s: s.covers_from
    )
    blocks: list[list[SegmentEpisode]] = []
    for facet in dict.fromkeys(s.latest.facet_id for s in episodes):
        open_block: list[SegmentEpisode] = []
        for episode in (s for s in episodes if s.latest.facet_id == facet):
            if open_block and episode.covers_from > max(s.latest.day for s in open_block):
                blocks.append(open_block)
                open_block = []
            open_block.append(episode)
        blocks.append(open_block)
    found = [EpisodeBlock(tuple(sorted(b, key=lambda s: s.rank_key))) for b in blocks]
    return sorted(found, key=lambda b: (b.end, b.start), reverse=True)
